/**
 * `tractmix fetch` end to end against a local stand-in for the Census Bureau's services
 * (test/helpers/censusServer.ts: real URL layouts and formats, built from the shared Denver
 * files). Never contacts the real services.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeRealData, realDataPath, readRealText } from '../helpers/realData';
import { startCensusServer, type CensusServer, type CensusServerData } from '../helpers/censusServer';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process (async: the server answers from this process). */
function tractmix(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { cwd: process.cwd(), env: { ...process.env, CENSUS_API_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const DENVER_COUNTIES = ['08001', '08005', '08013', '08014', '08019', '08031', '08035', '08047', '08059'];

describeRealData('tractmix fetch against a local Census services double', () => {
  let server: CensusServer & { data: CensusServerData };
  let dir: string;
  let cache: string;
  const fetchArgs = (out: string, ...rest: string[]) => [
    'fetch', '--api-base', server.apiBase, '--tiger-base', server.tigerBase, '--geo-base', server.geoBase,
    '--cache', cache, '--retry-delay', '0.01', '--out', join(dir, out), ...rest,
  ];

  beforeAll(async () => {
    server = await startCensusServer();
    dir = mkdtempSync(join(tmpdir(), 'tractmix-fetch-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    cache = mkdtempSync(join(dir, 'cache-'));
    server.clearFaults();
    server.log.length = 0;
  });

  it('a fetched bundle gives the same figures as analyze on the source files (Denver, ACS 2014–18, UDP\'s nine counties)', async () => {
    const r = await tractmix(fetchArgs('denver9', ...DENVER_COUNTIES.flatMap((c) => ['--place', c]), '--years', '2018'));
    expect(r.stderr).toMatch(/wrote .*denver9: 2018 on 677 tracts/);
    expect(r.code).toBe(0);
    const fromBundle = await tractmix(['analyze', '--bundle', join(dir, 'denver9')]);
    const fromFile = await tractmix(['analyze', '--income', realDataPath('udp-denver/Denvercensus_summ_2018.csv')]);
    expect(fromBundle.code).toBe(0);
    expect(fromFile.code).toBe(0);
    // Same header and the same 677 rows (the bundle writes them in GEOID order).
    const lines = (t: string) => t.trim().split('\n');
    expect(lines(fromBundle.stdout)).toHaveLength(678);
    expect(lines(fromBundle.stdout)[0]).toBe(lines(fromFile.stdout)[0]);
    expect([...lines(fromBundle.stdout)].sort()).toEqual([...lines(fromFile.stdout)].sort());
    // Every download is recorded, without a key, with its release and tables.
    const meta = JSON.parse(readFileSync(join(dir, 'denver9', 'bundle.json'), 'utf8'));
    expect(meta.createdBy).toBe('tractmix fetch');
    expect(meta.provenance).toHaveLength(3);
    expect(meta.provenance[0]).toMatchObject({ release: '2014–18', vintage: 2010, fromCache: false });
    expect(meta.provenance[0].tables).toContain('B19001');
    expect(meta.provenance[0].url).toMatch(/\/data\/2018\/acs\/acs5\?get=NAME,B19001_001E,.*&for=tract:\*&in=state:08&in=county:001,005,013,014,019,031,035,047,059$/);
    expect(meta.provenance[2].url).toMatch(/\/geo\/tiger\/GENZ2018\/shp\/cb_2018_08_tract_500k\.zip$/);
    expect(Date.parse(meta.provenance[0].retrievedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('block groups: Washington DC, ACS 2010–14, the same figures as analyze on the FactFinder export', async () => {
    const r = await tractmix(fetchArgs('dc-bg', '--place', 'District of Columbia', '--years', '2014', '--unit', 'blockgroup'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*dc-bg: 2014 on 450 block groups/);
    expect(server.log.some((l) => l.includes('for=block%20group:*&in=state:11&in=county:001&in=tract:*'))).toBe(true);
    const fromBundle = await tractmix(['analyze', '--bundle', join(dir, 'dc-bg')]);
    const fromFile = await tractmix(['analyze', '--income', realDataPath('dc-blockgroups-acs2014/ACS_14_5YR_B19001_with_ann.csv')]);
    const lines = (t: string) => t.trim().split('\n');
    expect(lines(fromBundle.stdout)).toHaveLength(451);
    expect([...lines(fromBundle.stdout)].sort()).toEqual([...lines(fromFile.stdout)].sort());
  });

  it('three years across vintages: 2000 moved to 2010 tracts through the relationship file, households conserved, change view works', async () => {
    const r = await tractmix(fetchArgs('denver3', '--place', 'Denver County, CO', '--years', '2000,2012,2018'));
    expect(r.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'denver3', 'bundle.json'), 'utf8'));
    expect(meta.years.map((y: { year: number }) => y.year)).toEqual([2000, 2012, 2018]);
    expect(meta.provenance.map((p: { url: string }) => p.url).filter((u: string) => u.endsWith('/rel/trf_txt/co08trf.txt'))).toHaveLength(1);
    // Expected households after the move, worked from the server's own data: every 2000 tract
    // of Denver County that the relationship file maps, in full (its parts all lie in the county).
    const raw00 = Papa.parse<Record<string, string>>(readRealText('udp-denver/Denvercensus_00_2018.csv'), { header: true, skipEmptyLines: true }).data;
    const denver00 = raw00.filter((row) => row.FIPS.padStart(11, '0').startsWith('08031'));
    const unmatched = new Set(server.data.unmatched2000);
    const expected = denver00.filter((row) => !unmatched.has(row.FIPS.padStart(11, '0'))).reduce((s, row) => s + Number(row.hh_00), 0);
    const moved = Papa.parse<Record<string, string>>(readFileSync(join(dir, 'denver3', 'income-2000.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const after = moved.reduce((s, row) => s + Number(row.hh_00), 0);
    expect(after).toBeCloseTo(expected, 3);
    // A 2000 tract kept whole under the same GEOID keeps its brackets exactly (08031000201).
    const src = denver00.find((row) => row.FIPS.padStart(11, '0') === '08031000201')!;
    const dst = moved.find((row) => row.GEOID === '08031000201')!;
    expect(Number(dst.I_10000_00)).toBeCloseTo(Number(src.I_10000_00), 9);
    expect(Number(dst.hh_00)).toBeCloseTo(Number(src.hh_00), 9);
    expect(meta.notes.join(' ')).toMatch(/2000 moved from 2000 to 2010 tracts with the Census Bureau's 2000→2010 relationship files/);
    // The crosswalk used is kept in the bundle: every moved 2000 tract's weights add up to 1.
    expect(meta.moves).toEqual([{ year: 2000, fromVintage: 2000, file: 'moved-2000-from-2000.csv', how: expect.stringMatching(/HU10PT/) }]);
    const sums = new Map<string, number>();
    for (const row of Papa.parse<Record<string, string>>(readFileSync(join(dir, 'denver3', 'moved-2000-from-2000.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data) {
      sums.set(row.source, (sums.get(row.source) ?? 0) + Number(row.weight));
    }
    expect(sums.size).toBeGreaterThan(100);
    for (const [source, sum] of sums) expect(sum, source).toBeCloseTo(1, 9);
    // The change view's computation runs on the bundle.
    const change = await tractmix(['change', '--bundle', join(dir, 'denver3'), '--from', '2000', '--to', '2018']);
    expect(change.code, change.stderr).toBe(0);
    expect(change.stdout.trim().split('\n').length).toBe(1 + 144);
    // 2000, 2012 and 2023 span three vintages: 2000 → 2010 → 2020 chained (2020 tracts equal the 2010 ones in
    // the double), so the moved 2000 counts are the same as above.
    const three = await tractmix(fetchArgs('denver-3v', '--place', 'Denver County, CO', '--years', '2000,2012,2023'));
    expect(three.code, three.stderr).toBe(0);
    const meta3 = JSON.parse(readFileSync(join(dir, 'denver-3v', 'bundle.json'), 'utf8'));
    expect(meta3.name).toBe('Denver County, CO, 2000, 2008–12, 2019–23');
    expect(meta3.notes.join(' ')).toMatch(/2000 moved from 2000 to 2020 tracts with the Census Bureau's 2000→2010 relationship files .*, then the Census Bureau's 2010→2020 relationship files/);
    expect(readFileSync(join(dir, 'denver-3v', 'income-2000.csv'), 'utf8')).toBe(readFileSync(join(dir, 'denver3', 'income-2000.csv'), 'utf8'));
  });

  it('ACS 2020+ on 2020 tracts: 2014–18 moved through the 2010→2020 relationship file (identity here) keeps its counts', async () => {
    const r = await tractmix(fetchArgs('denver2023', '--place', '08031', '--years', '2018,2023'));
    expect(r.code, r.stderr).toBe(0);
    expect(server.log.some((l) => l.endsWith('/rel2020/tract/tab20_tract20_tract10_st08.txt'))).toBe(true);
    expect(server.log.some((l) => l.endsWith('/GENZ2023/shp/cb_2023_08_tract_500k.zip'))).toBe(true);
    const a = readFileSync(join(dir, 'denver2023', 'income-2018.csv'), 'utf8').split('\n')[1].split(',');
    const b = server.data.tracts2010.find((t) => t.geoid === a[0])!;
    expect(Number(a[1])).toBe(Number(b.vars.B19001_001E));
  });

  it('retries a 503 and a 429, then succeeds', async () => {
    server.faults.set('/data/', '503-once');
    server.faults.set('/geo/tiger/', '429-once');
    const r = await tractmix(fetchArgs('retry', '--place', '08031', '--years', '2018'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/retrying 2014–18 household income .* HTTP 503/);
    expect(r.stderr).toMatch(/retrying 2010 tract boundaries .* HTTP 429/);
    expect(server.log.filter((l) => l.startsWith('/data/2018/acs/acs5'))).toHaveLength(4);
  });

  it('a dropped connection fails with a message and no bundle; the next run resumes from the cache', async () => {
    server.faults.set('/geo/tiger/', 'drop');
    const first = await tractmix(fetchArgs('resume', '--place', '08031', '--years', '2018', '--retries', '1'));
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/cb_2018_08_tract_500k\.zip: 2010 tract boundaries .*: no usable answer after 2 tries \(last: the connection failed/);
    expect(first.stderr).toMatch(/cached and will not be fetched again/);
    expect(existsSync(join(dir, 'resume'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const apiCalls = server.log.filter((l) => l.startsWith('/data/')).length;
    expect(apiCalls).toBe(2);
    server.clearFaults();
    const second = await tractmix(fetchArgs('resume', '--place', '08031', '--years', '2018'));
    expect(second.code, second.stderr).toBe(0);
    expect(server.log.filter((l) => l.startsWith('/data/')).length).toBe(apiCalls);
    expect(second.stderr).toMatch(/from the cache/);
  });

  it.each([
    ['an invalid key', ['--years', '2018', '--api-key', 'bad'], /rejected the API key \("Invalid Key"\).*Check --api-key/],
    ['a variable the release does not have', ['--years', '2011'], /the 2007–11 release \(acs\/acs5\) has no variable B19001_001E/],
    ['an empty result', ['--years', '2018', '--place', 'Weld County, CO'], /the API has no tracts for Weld County, CO in 2014–18 \(empty answer\)/],
    ['a changed column layout', ['--years', '2013'], /lacks tract: the column layout has changed/],
    ['a release not out yet', ['--years', '2025'], /404 .*no 2021–25 acs\/acs5 release.*may not be out yet/],
    ['a year with no tract income', ['--years', '2005'], /there is no tract income release for 2005; expected 1990, 2000, 2009–2024/],
    ['1990 without a crosswalk', ['--years', '1990,2018'], /Census 1990 is on 1990 tracts.*--crosswalk FILE \(LTDB crosswalk_1990_2010\.csv/],
    ['a server error that persists', ['--years', '2018', '--retries', '1'], /no usable answer after 2 tries \(last: HTTP 500\)/],
  ])('%s gets a message that says what to do, exit 2', async (_what, args, message) => {
    if (_what === 'a server error that persists') server.faults.set('/data/', '500-always');
    const place = args.includes('--place') ? [] : ['--place', '08031'];
    const r = await tractmix(fetchArgs('err', ...place, ...args));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
  });

  it('an optional table missing from a release is left out with a warning; the year is still fetched', async () => {
    const r = await tractmix(fetchArgs('opt', '--place', '08031', '--years', '2010'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: 2006–10: the 2006–10 release \(acs\/acs5\) has no variable B15002_001E; its rent, home value, population, race, tenure, education columns are left out/);
  });
});
