/** `tractmix export`, run as a user runs it (a child process). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { analyzeSnapshot } from '../src/core/analyze';
import { toSnapshot } from '../src/data/income';
import { readBundleFolder } from '../scripts/lib/files';
import { describeRealData, realDataPath } from './helpers/realData';

function tractmix(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const rows = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

describe('tractmix export on the demo', () => {
  it('--where selects the tracts the rule names, worked out from the core and the GEOIDs', async () => {
    const r = tractmix('export', '--bundle', 'data/demo', '--year', '2018', '--where', 'class=high and county=99003');
    expect(r.code).toBe(0);
    const dataset = await readBundleFolder('data/demo');
    const a = analyzeSnapshot(toSnapshot(dataset.years.find((y) => y.year === 2018)!.table), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } });
    const expected = a.geoids.filter((g, u) => a.classes[u] === 'high' && g.startsWith('99003'));
    expect(rows(r.stdout).map((x) => x.GEOID)).toEqual(expected);
    expect(r.stderr).toBe(`--where class=high and county=99003: ${expected.length} of 430 tracts\n`);
  });

  it('change view: stable_mixed=1 gives the planted stable mixed tracts the flags find, with the method beside the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-export-'));
    const out = join(dir, 'stable.csv');
    const r = tractmix('export', '--bundle', 'data/demo', '--from', '2000', '--to', '2018', '--where', 'stable_mixed=1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--where stable_mixed=1: \d+ of 430 tracts/);
    const got = rows(readFileSync(out, 'utf8'));
    const truth = new Map(rows(readFileSync('data/demo/truth.csv', 'utf8')).map((x) => [x.GEOID, x.planted]));
    const planted = got.filter((x) => truth.get(x.GEOID) === 'stable_mixed').length;
    // demo.test.ts: the flags recover the planted pattern at precision ≥ 0.9
    expect(planted / got.length).toBeGreaterThanOrEqual(0.9);
    expect(got.every((x) => x.stable_mixed === '1')).toBe(true);
    const method = JSON.parse(readFileSync(join(dir, 'stable.method.json'), 'utf8'));
    expect(method.selection).toEqual({ scope: 'selection', rule: 'stable_mixed=1', tracts: got.length, of: 430 });
    expect(readFileSync(join(dir, 'stable.METHOD.txt'), 'utf8')).toContain('Change 2000 → 2018');
  });

  it('zip holds CSV, XLSX, GeoJSON, method.json and METHOD.txt with the same rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-export-'));
    const out = join(dir, 'high.zip');
    const r = tractmix('export', '--bundle', 'data/demo', '--where', 'entropy>=0.9', '--out', out);
    expect(r.code).toBe(0);
    const zip = unzipSync(new Uint8Array(readFileSync(out)));
    expect(Object.keys(zip).sort()).toEqual(['METHOD.txt', 'high.columns.json', 'high.csv', 'high.geojson', 'high.xlsx', 'method.json']);
    const csv = rows(new TextDecoder().decode(zip['high.csv']));
    const geo = JSON.parse(new TextDecoder().decode(zip['high.geojson']));
    expect(geo.features.map((f: { properties: { GEOID: string } }) => f.properties.GEOID)).toEqual(csv.map((x) => x.GEOID));
    expect(csv.every((x) => Number(x.entropy) >= 0.9)).toBe(true);
  });

  it('an unknown field or a bad rule is refused with the valid fields', () => {
    const r = tractmix('export', '--bundle', 'data/demo', '--where', 'colour=red');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown field "colour". Fields: GEOID/geoid (text), county (text), year (number)');
    expect(r.stderr).toContain('class (high, moderate, low, not-diverse, insufficient)');
    const c = tractmix('export', '--bundle', 'data/demo', '--from', '2000', '--where', 'stable_mixed=maybe');
    expect(c.stderr).toContain('stable_mixed is a flag: 1 or 0');
    expect(tractmix('export', '--bundle', 'data/demo', '--format', 'pdf').stderr).toContain('--format "pdf" is not one of csv, geojson, xlsx, zip');
    expect(tractmix('export', '--bundle', 'data/demo', '--format', 'xlsx').stderr).toContain('give --out FILE.xlsx');
  });
});

describeRealData('tractmix export on Denver (UDP 2018 file)', () => {
  it('XLSX keeps the leading zero of 08031000201; county names come from the place table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-export-'));
    const out = join(dir, 'denver.xlsx');
    const r = tractmix('export', '--income', `2018=${realDataPath('udp-denver/Denvercensus_summ_2018.csv')}`, '--boundaries', realDataPath('udp-denver/cb_2018_08_tract_500k.shp'), '--where', 'county="Denver County"', '--out', out);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('tracts 2018')!;
    const ids = (sheet.getColumn(1).values as unknown[]).slice(2) as string[];
    expect(ids).toContain('08031000201');
    expect(ids.every((g) => typeof g === 'string' && g.startsWith('08031'))).toBe(true);
    const row = ids.indexOf('08031000201') + 2;
    expect(sheet.getCell(`C${row}`).value).toBe('Denver County, CO');
    expect(sheet.getCell(`B${row}`).value).toBe('Census Tract 2.01');
  });
});
