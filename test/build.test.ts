/** `tractmix build`, run as a user runs it, and the bundle it writes read back as the app reads it. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { analyzeSnapshot, type YearAnalysis } from '../src/core/analyze';
import { loadBundle, type BundleMeta } from '../src/data/bundle';
import { readIncomeTable, toSnapshot } from '../src/data/income';
import { describeRealData, readRealData, realDataPath } from './helpers/realData';

function tractmix(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
const options = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } } as const;

function classCounts(a: YearAnalysis): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of a.classes) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

describeRealData('tractmix build: Chicago 2000 (on 2010 tracts) + ACS 2014–18 → a bundle the app loads', () => {
  const shp = () => realDataPath('udp-chicago/cb_2018_17_tract_500k.shp');
  const summ = () => realDataPath('udp-chicago/Chicagocensus_summ_2018.csv');
  const xwalk00 = () => realDataPath('udp-chicago/Chicagocensus_00_10_2018.csv');
  const out = join(mkdtempSync(join(tmpdir(), 'tractmix-build-')), 'chicago');
  let built: ReturnType<typeof tractmix> | null = null;
  const buildOnce = () =>
    (built ??= tractmix('build', '--boundaries', shp(), '--income', `2018=${summ()}`, '--income', `2000=${xwalk00()}`, '--name', 'Chicago region', '--out', out, '--source', 'Urban Displacement Project, displacement-typologies'));

  it('writes bundle.json, one TopoJSON and one CSV per year, and reports the join per year', () => {
    const r = buildOnce();
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/year 2000:[\s\S]*1983 of 1983 income units matched a boundary/);
    expect(r.stderr).toMatch(/year 2018:[\s\S]*1983 of 1985 income units matched a boundary/);
    expect(r.stderr).toMatch(/kept 1983 of 3121 features .*dropped 1138 without income in any year, in 95 counties: 17001: 18/);
    const meta = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as BundleMeta;
    expect(meta).toMatchObject({ format: 'tractmix-bundle', name: 'Chicago region', synthetic: false, createdBy: 'tractmix build' });
    expect(meta.years.map((y) => [y.year, y.incomeYear, y.file, y.boundaries])).toEqual([
      [2000, 1999, 'income-2000.csv', 'main'],
      [2018, 2018, 'income-2018.csv', 'main'],
    ]);
    expect(meta.boundaries).toEqual([expect.objectContaining({ key: 'main', file: 'boundaries-main.topojson', features: 1983, units: 'tract' })]);
    expect(meta.years[0].source).toMatch(/^Chicagocensus_00_10_2018\.csv \(Urban Displacement Project/);
    expect(meta.description).toMatch(/Chicagocensus_summ_2018\.csv/);
    expect(meta.notes.join('\n')).toMatch(/hinc_00, mrent_00, mhval_00 .* not valid medians/);
  });

  it('loadBundle reads it back: 1983 features, 2 years, the same units and analysis as the CSVs themselves', async () => {
    expect(buildOnce().code).toBe(0);
    const bundle = await loadBundle((file) => readFile(join(out, file), 'utf8'));
    expect(bundle.boundaries.get('main')!.features).toHaveLength(1983);
    expect(bundle.tables.map((t) => [t.year, t.incomeYear, t.units.length])).toEqual([
      [2000, 1999, 1983],
      [2018, 2018, 1985],
    ]);
    const direct = [
      readIncomeTable({ name: 'Chicagocensus_00_10_2018.csv', bytes: readRealData('udp-chicago/Chicagocensus_00_10_2018.csv') }, { year: 2000 }),
      readIncomeTable({ name: 'Chicagocensus_summ_2018.csv', bytes: readRealData('udp-chicago/Chicagocensus_summ_2018.csv') }, { year: 2018 }),
    ];
    direct.forEach((table, i) => {
      const fromBundle = bundle.tables[i];
      expect(fromBundle.units.map((u) => u.geoid).sort()).toEqual(table.units.map((u) => u.geoid).sort());
      const a = analyzeSnapshot(toSnapshot(table), options);
      const b = analyzeSnapshot(toSnapshot(fromBundle), options);
      expect(b.ami.dollars).toBeCloseTo(a.ami.dollars, 6);
      expect(classCounts(b)).toEqual(classCounts(a));
    });
  });

  it('carries the extra columns by name, Census missing codes as empty cells', () => {
    expect(buildOnce().code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(out, 'income-2018.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const byId = new Map(rows.map((r) => [r.GEOID, r]));
    // Raw file: 17031010100 mrent_18 874.0, mhval_12 207600.0, pop_18 4522.0; 17043841901 mrent_18 -666666666.0.
    expect(byId.get('17031010100')).toMatchObject({ mrent_18: '874', mhval_12: '207600', pop_18: '4522' });
    expect(byId.get('17043841901')!.mrent_18).toBe('');
    const meta = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as BundleMeta;
    expect(meta.years[1].extraColumns).toEqual(expect.arrayContaining(['mrent_18', 'mhval_18', 'total_25_col_bd_18', 'ohu_18', 'mrent_12', 'mhval_12']));
    expect(meta.years[0].extraColumns).toEqual(expect.arrayContaining(['hu_00', 'male_25_col_bd_00', 'female_25_col_phd_00']));
    expect(meta.years[1].extraColumns).not.toContain('hinc_18'); // written once, as the published median
  });

  it.each([
    [() => ['--income', `eighteen=${summ()}`], /--income "eighteen=.*" is not YEAR=FILE/],
    [() => ['--income', summ()], /is not YEAR=FILE: build needs the data year of each file/],
    [() => ['--income', `2010=${summ()}`], /there are no income columns for 2010 \(I_…_10\).*--income 2018=/],
    [() => ['--income', `2018=${summ()}`, '--income', `2018=${xwalk00()}`], /--income names 2018 twice/],
    [() => ['--income', `2018=${summ()}`, '--year', '2018'], /--year is not an option of build/],
  ])('bad input %# exits 2 with a message', (extra, message) => {
    const r = tractmix('build', '--boundaries', shp(), ...extra(), '--name', 'x', '--out', join(out, '..', 'bad'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStackTrace(r.stderr);
  });
});

describe('tractmix build: what it needs', () => {
  it.each([
    [['build', '--income', '2018=x.csv', '--name', 'x', '--out', 'x'], /build needs --boundaries FILE/],
    [['build', '--boundaries', 'x.shp', '--name', 'x', '--out', 'x'], /build needs --income YEAR=FILE, once per year/],
    [['build', '--boundaries', 'x.shp', '--income', '2018=x.csv', '--out', 'x'], /build needs --name NAME/],
    [['analyze', '--income', 'a.csv', '--income', 'b.csv'], /analyze reads one income file, but --income was given 2 times/],
    [['summary', '--income', 'a.csv', '--name', 'x'], /--name is an option of build, not of summary/],
  ])('%j', (args, message) => {
    const r = tractmix(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStackTrace(r.stderr);
  });
});

describeRealData('tractmix build --income-format columns: the same figures as the CSV bundle', () => {
  it('analyze --bundle and change --bundle print the same bytes from either bundle; a rebuild removes the other form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-columns-'));
    const args = (format: string, out: string) => [
      'build', '--boundaries', realDataPath('udp-chicago/cb_2018_17_tract_500k.shp'),
      '--income', `2018=${realDataPath('udp-chicago/Chicagocensus_summ_2018.csv')}`, '--income', `2000=${realDataPath('udp-chicago/Chicagocensus_00_10_2018.csv')}`,
      '--name', 'Chicago', '--income-format', format, '--out', out,
    ];
    expect(tractmix(...args('csv', join(dir, 'csv'))).code).toBe(0);
    const r = tractmix(...args('columns', join(dir, 'columns')));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'columns')).sort()).toEqual(['boundaries-main.topojson', 'bundle.json', 'income-columns.bin']);
    const meta = JSON.parse(readFileSync(join(dir, 'columns', 'bundle.json'), 'utf8')) as BundleMeta;
    expect(meta.version).toBe(2);
    expect(meta.incomeColumns).toMatchObject({ file: 'income-columns.bin', years: [2000, 2018] });
    // The extra columns (rent, home value, education …) travel too: Governing's definition needs them.
    expect(meta.years.map((y) => y.extraColumns.length)).toEqual(JSON.parse(readFileSync(join(dir, 'csv', 'bundle.json'), 'utf8')).years.map((y: { extraColumns: string[] }) => y.extraColumns.length));
    for (const command of [['analyze', '--year', '2000'], ['analyze', '--year', '2018'], ['change', '--definition', 'governing']]) {
      const a = tractmix(...command, '--bundle', join(dir, 'csv'));
      const b = tractmix(...command, '--bundle', join(dir, 'columns'));
      expect(a.code, a.stderr).toBe(0);
      expect(b.stdout.length).toBeGreaterThan(100_000);
      expect(b.stdout, command.join(' ')).toBe(a.stdout);
    }
    // Built again as CSV into the same folder: the columns file goes, the CSVs come.
    expect(tractmix(...args('csv', join(dir, 'columns'))).code).toBe(0);
    expect(readdirSync(join(dir, 'columns')).sort()).toEqual(['boundaries-main.topojson', 'bundle.json', 'income-2000.csv', 'income-2018.csv']);
    expect(tractmix(...args('binary', join(dir, 'x'))).stderr).toMatch(/--income-format "binary" is not auto, columns or csv/);
  }, 240_000);
});
