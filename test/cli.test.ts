/** The researcher CLI, run as a user runs it (a child process), on real files. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describeRealData, realDataPath } from './helpers/realData';

function tractmix(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function rows(csv: string) {
  return Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
}
const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

/**
 * Class counts of a UDP 2018 file worked out here, plainly and without src/: the pooled-bracket
 * median as AMI, linear interpolation inside brackets (METHOD §2; every cut, up to 150% AMI, is
 * below $200k, so the open top bracket is never split), six AMI groups, H = −Σ p ln p / ln 6 and
 * Galster et al.'s thresholds with 100 households at least (METHOD §3–4).
 */
function referenceClassCounts(csv: string): Record<string, number> {
  const edges = [0, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 60_000, 75_000, 100_000, 125_000, 150_000, 200_000];
  const columns = [...edges.slice(1).map((e) => `I_${e}_18`), 'I_201000_18'];
  const tracts = rows(csv).data.map((r) => columns.map((c) => Number(r[c])));
  const below = (counts: number[], x: number) => {
    expect(x).toBeLessThan(200_000);
    let n = 0;
    for (let i = 0; i < 15; i++) n += counts[i] * Math.min(1, Math.max(0, (x - edges[i]) / (edges[i + 1] - edges[i])));
    return n;
  };
  const pooled = edges.map((_, i) => tracts.reduce((sum, t) => sum + t[i], 0));
  const half = pooled.reduce((a, b) => a + b, 0) / 2;
  let i = 0;
  let cum = 0;
  while (cum + pooled[i] < half) cum += pooled[i++];
  const ami = edges[i] + ((half - cum) / pooled[i]) * (edges[i + 1] - edges[i]);
  const cuts = [0.5, 0.8, 1, 1.2, 1.5].map((f) => f * ami);
  const counts: Record<string, number> = { high: 0, moderate: 0, low: 0, 'not-diverse': 0, insufficient: 0 };
  for (const t of tracts) {
    const total = t.reduce((a, b) => a + b, 0);
    if (total < 100) {
      counts.insufficient++;
      continue;
    }
    const cumulative = [0, ...cuts.map((c) => below(t, c)), total];
    const h = -cumulative.slice(1).reduce((acc, c, g) => {
      const p = (c - cumulative[g]) / total;
      return p > 0 ? acc + p * Math.log(p) : acc;
    }, 0) / Math.log(6);
    counts[h >= 0.87 ? 'high' : h >= 0.69 ? 'moderate' : h >= 0.48 ? 'low' : 'not-diverse']++;
  }
  return counts;
}

describeRealData('tractmix analyze / summary on real files', () => {
  const chicago = () => ['--income', realDataPath('udp-chicago/Chicagocensus_summ_2018.csv'), '--boundaries', realDataPath('udp-chicago/cb_2018_17_tract_500k.shp')];

  it('analyze: the exact columns, one row per tract, the join report on stderr', () => {
    const r = tractmix('analyze', ...chicago());
    expect(r.code).toBe(0);
    const parsed = rows(r.stdout);
    expect(parsed.meta.fields).toEqual(['GEOID', 'year', 'households', 'ami', 'vli', 'li', 'mi', 'hmi', 'hi', 'vhi', 'entropy', 'class', 'median_income']);
    expect(parsed.data).toHaveLength(1985);
    const t = parsed.data.find((d) => d.GEOID === '17031010100')!;
    expect(t.year).toBe('2018');
    expect(t.vli).toMatch(/^\d\.\d{6,}$/);
    expect(['high', 'moderate', 'low', 'not-diverse', 'insufficient']).toContain(t.class);
    const shares = ['vli', 'li', 'mi', 'hmi', 'hi', 'vhi'].reduce((s, k) => s + Number(t[k]), 0);
    expect(shares).toBeCloseTo(1, 6);
    expect(r.stderr).toMatch(/1983 of 1985 income units matched a boundary/);
    expect(r.stderr).toMatch(/2 income units without a boundary: .*17097990000/);
    expect(r.stderr).toMatch(/17031990000/);
    expect(r.stderr).toMatch(/1985 rows read, 1985 usable, 0 rejected/);
  });

  it('summary: the region measures as JSON with the documented keys', () => {
    const r = tractmix('summary', '--income', realDataPath('udp-chicago/Chicagocensus_summ_2018.csv'));
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    for (const key of ['ami', 'amiKind', 'households', 'tracts', 'classCounts', 'classShares', 'vliShareInHigh', 'vliLivingInHigh', 'vliInPoorTracts', 'poorTracts', 'poorTractsHigh']) {
      expect(s).toHaveProperty(key);
    }
    expect(s.households).toBe(3_107_682);
    expect(s.tracts).toBe(1985);
    expect(s.classCounts).toEqual(referenceClassCounts(readFileSync(realDataPath('udp-chicago/Chicagocensus_summ_2018.csv'), 'utf8')));
    expect(s.poorTractsHigh).toBe(0);
  });

  it('--year picks a year, --ami tract-median and typed dollars, --scheme quintile5', () => {
    const denver00 = realDataPath('udp-denver/Denvercensus_00_10_2018.csv');
    const q = tractmix('analyze', '--income', denver00, '--year', '2000', '--scheme', 'quintile5', '--ami', '52000');
    expect(q.code).toBe(0);
    const parsed = rows(q.stdout);
    expect(parsed.meta.fields).toEqual(['GEOID', 'year', 'households', 'ami', 'q1', 'q2', 'q3', 'q4', 'q5', 'entropy', 'class', 'median_income']);
    expect(parsed.data[0].year).toBe('2000');
    expect(parsed.data[0].ami).toBe('52000.00');
    const tm = JSON.parse(tractmix('summary', '--income', realDataPath('udp-denver/Denvercensus_summ_2018.csv'), '--ami', 'tract-median').stdout);
    expect(tm.amiKind).toBe('tract-median');
    expect(tm.ami).toBe(76_843.5);
  });

  it('--out FILE.geojson writes the matched tracts with the figures and the method', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-'));
    const out = join(dir, 'chicago.geojson');
    const r = tractmix('analyze', ...chicago(), '--out', out);
    expect(r.code).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features).toHaveLength(1983);
    expect(fc.tractmix.ami.kind).toBe('auto');
    expect(fc.tractmix.cutPointsDollars).toHaveLength(5);
    expect(fc.features[0].properties).toHaveProperty('entropy');
    expect(fc.features[0].geometry.type).toMatch(/Polygon/);
  });

  it('--out FILE.csv writes the CSV and the method parameters beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-'));
    const out = join(dir, 'dc.csv');
    const r = tractmix('analyze', '--income', realDataPath('dc-blockgroups-acs2014/ACS_14_5YR_B19001_with_ann.csv'), '--aggregate', 'tract', '--min-households', '50', '--out', out);
    expect(r.code).toBe(0);
    expect(rows(readFileSync(out, 'utf8')).data).toHaveLength(179);
    const method = JSON.parse(readFileSync(out + '.method.json', 'utf8'));
    expect(method).toMatchObject({ minHouseholds: 50, year: 2014, incomeFormat: 'aff', scheme: 'ami6' });
    expect(r.stderr).toMatch(/450 block groups summed to 179 tracts/);
  });

  it('--uncertainty appends the 90% interval of H and class probabilities from the MOEs (DC, FactFinder)', () => {
    const r = tractmix('analyze', '--income', realDataPath('dc-blockgroups-acs2014/ACS_14_5YR_B19001_with_ann.csv'), '--aggregate', 'tract', '--uncertainty');
    expect(r.code).toBe(0);
    const parsed = rows(r.stdout);
    expect(parsed.meta.fields!.slice(-8)).toEqual(['entropy_p05', 'entropy_p95', 'p_high', 'p_moderate', 'p_low', 'p_not_diverse', 'p_insufficient', 'class_uncertain']);
    for (const d of parsed.data.filter((x) => x.class !== 'insufficient')) {
      expect(Number(d.entropy_p05)).toBeLessThanOrEqual(Number(d.entropy_p95));
      const p = ['p_high', 'p_moderate', 'p_low', 'p_not_diverse', 'p_insufficient'].reduce((a, k) => a + Number(d[k]), 0);
      expect(p).toBeCloseTo(1, 3);
    }
    expect(r.stderr).toMatch(/uncertainty: \d+ of 179 tracts have an uncertain class/);
    // Without MOEs the columns are there but empty, and the user is told.
    const none = tractmix('analyze', '--income', realDataPath('udp-denver/Denvercensus_summ_2018.csv'), '--uncertainty');
    expect(none.stderr).toMatch(/no margins of error/);
  });

  it('--columns reads a table through a mapping file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-'));
    const csv = 'tract,total,' + Array.from({ length: 16 }, (_, i) => `b${i}`).join(',') + '\n8031000201,160,' + Array(16).fill(10).join(',') + '\n';
    writeFileSync(join(dir, 't.csv'), csv);
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ id: 'tract', total: 'total', brackets: Array.from({ length: 16 }, (_, i) => `b${i}`), year: 2018 }));
    const r = tractmix('analyze', '--income', join(dir, 't.csv'), '--columns', join(dir, 'map.json'), '--min-households', '1');
    expect(r.code).toBe(0);
    expect(rows(r.stdout).data[0].GEOID).toBe('08031000201');
    expect(r.stderr).toMatch(/1 ids repaired: line 2 8031000201 → 08031000201/);
  });
});

describe('tractmix on a bundle (the embedded demo)', () => {
  it('analyze and summary read --bundle DIR, the latest year by default or --year', () => {
    const latest = tractmix('analyze', '--bundle', 'data/demo');
    expect(latest.code).toBe(0);
    const parsed = rows(latest.stdout);
    expect(parsed.data).toHaveLength(430);
    expect(parsed.data[0].year).toBe('2023');
    expect(latest.stderr).toMatch(/430 of 430 income units matched a boundary/);
    const s2000 = JSON.parse(tractmix('summary', '--bundle', 'data/demo', '--year', '2000').stdout);
    expect(s2000.year).toBe(2000);
    expect(s2000.tracts).toBe(415);
    const missing = tractmix('summary', '--bundle', 'data/demo', '--year', '2010');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/data\/demo: the bundle has no year 2010; expected one of 2000, 2018, 2023/);
    const notBundle = tractmix('summary', '--bundle', 'src');
    expect(notBundle.stderr).toMatch(/src: there is no bundle\.json in this folder/);
  });
});

describe('tractmix on bad input: non-zero exit, one paragraph, no stack trace', () => {
  it.each([
    [['analyze', '--income', 'no/such/file.csv'], /no\/such\/file\.csv: the income file does not exist/],
    [['analyze'], /analyze needs --income FILE or --bundle DIR/],
    [['frobnicate', '--income', 'x.csv'], /unknown command "frobnicate"/],
    [['analyze', '--income', 'package.json', '--ami', 'lots'], /--ami "lots" is not auto, tract-median or a dollar amount from \$1,000 to \$10,000,000/],
    [['analyze', '--income', 'package.json', '--year', '18'], /--year "18" is not a four-digit year/],
    [['analyze', '--income', 'package.json', '--scheme', 'custom'], /--scheme custom needs --cuts/],
    [['analyze', '--income', 'package.json', '--bogus'], /Unknown option '--bogus'/],
    [['analyze', '--income', 'package.json'], /package\.json: the columns are not an income table tractmix knows/],
  ])('%j', (args, message) => {
    const r = tractmix(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    noStackTrace(r.stderr);
    expect(r.stdout).toBe('');
  });
});
