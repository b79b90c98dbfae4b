/**
 * Issue 11's round trip: an exported CSV fed to `tractmix analyze` with the column mapping shipped
 * beside it (and the options method.json records) reproduces every figure exactly — households,
 * group counts and shares, H, class, median, median ÷ AMI — and so does the export read back
 * without a mapping (tractmix recognises its own layout) and opened as files in the app.
 *
 * The reference is the same tool on the original data: `analyze` of the original input prints the
 * same lines byte for byte, and `export` of the re-read CSV writes the same cells at full precision.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import { runCli } from './helpers/cli';
import { describeRealData, realDataPath } from './helpers/realData';
import { datasetFromFiles } from '../src/data/datasetFromFiles';
import { analyzeSnapshot } from '../src/core/analyze';
import { toSnapshot } from '../src/data/income';
import { yearExportTable } from '../src/data/exportTable';
import { tableCsv } from '../src/data/exportFiles';

type Row = Record<string, string>;
const parse = (csv: string): { fields: string[]; rows: Row[] } => {
  const p = Papa.parse<Row>(csv, { header: true, skipEmptyLines: true });
  expect(p.errors).toEqual([]);
  return { fields: p.meta.fields ?? [], rows: p.data };
};
const tmp = () => mkdtempSync(join(tmpdir(), 'tractmix-roundtrip-'));

async function ok(...argv: string[]): Promise<string> {
  const r = await runCli(...argv);
  if (r.code !== 0) throw new Error(`tractmix ${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The `analyze` command method.json records for each year, run in `dir` (its file names are relative to the export). */
async function recordedCommands(dir: string, methodFile: string): Promise<Map<number, string>> {
  const method = JSON.parse(readFileSync(join(dir, methodFile), 'utf8'));
  const out = new Map<number, string>();
  for (const y of method.years) {
    const words: string[] = y.reanalysis.command.split(' ');
    expect(words.slice(0, 4)).toEqual(['npm', 'run', '-s', 'tractmix']);
    const argv = words.slice(5).map((w, i, all) => (all[i - 1] === '--income' || all[i - 1] === '--columns' ? join(dir, w) : w));
    out.set(y.year, await ok(...argv));
  }
  return out;
}

/** Lines of an analyze CSV for these GEOIDs, in their order. */
function linesFor(csv: string, geoids: readonly string[]): string[] {
  const byId = new Map(csv.trim().split('\n').slice(1).map((l) => [l.slice(0, l.indexOf(',')), l]));
  return geoids.map((g) => byId.get(g) ?? `missing ${g}`);
}

/** Figure columns of two exports compared cell by cell as text (full precision: equal text = equal double). */
function sameFigures(a: { fields: string[]; rows: Row[] }, b: { fields: string[]; rows: Row[] }, columns: readonly string[], rename: (c: string) => string = (c) => c) {
  expect(b.rows.map((r) => r.GEOID)).toEqual(a.rows.map((r) => r.GEOID));
  let cells = 0;
  for (const c of columns) {
    expect(a.fields, c).toContain(rename(c));
    expect(b.fields, c).toContain(c);
    const diff = a.rows.filter((r, i) => r[rename(c)] !== b.rows[i][c]).map((r, i) => `${r.GEOID} ${c}: ${r[rename(c)]} vs ${b.rows[i]?.[c]}`);
    expect(diff.slice(0, 5), c).toEqual([]);
    cells += a.rows.length;
  }
  return cells;
}

/** The columns `export` writes of one year's figures and inputs (without the year suffix). */
function figureColumns(fields: readonly string[]): string[] {
  const keep = /^(year|ami|households|entropy|class|median_income|median_ami|[a-z0-9]+_households|[a-z0-9]+_share|income_\d+_(\d+|plus)(_moe)?|households_moe|published_median)$/;
  return fields.filter((f) => keep.test(f) && f !== 'GEOID');
}

describe('round trip on the demo', () => {
  it('a one-year selection: analyze with the shipped mapping prints what analyze prints on the original data, line for line', async () => {
    const dir = tmp();
    await ok('export', '--bundle', 'data/demo', '--year', '2018', '--where', 'county=99003', '--out', join(dir, 'south.csv'));
    const exported = parse(readFileSync(join(dir, 'south.csv'), 'utf8'));
    expect(exported.rows.length).toBe(214);
    // B19001's 16 brackets named by their bounds, their MOEs, the total's MOE and the published median.
    expect(exported.fields).toEqual(expect.arrayContaining(['income_0_9999', 'income_10000_14999', 'income_150000_199999', 'income_200000_plus', 'income_0_9999_moe', 'households_moe', 'published_median']));
    const mapping = JSON.parse(readFileSync(join(dir, 'south.columns.json'), 'utf8'));
    expect(mapping).toMatchObject({ id: 'GEOID', total: 'households', bracketSet: 'B19001', year: 2018, incomeYear: 2018, totalMoe: 'households_moe', median: 'published_median' });
    expect(mapping.brackets).toHaveLength(16);

    const again = (await recordedCommands(dir, 'south.method.json')).get(2018)!;
    const original = await ok('analyze', '--bundle', 'data/demo', '--year', '2018');
    const ids = exported.rows.map((r) => r.GEOID);
    expect(again.split('\n')[0]).toBe(original.split('\n')[0]);
    expect(linesFor(again, ids)).toEqual(linesFor(original, ids));
    expect(again.trim().split('\n').length - 1).toBe(214);
    // The bracket counts sum to the households, tract by tract (the reader rejects a row whose do not).
    const south = exported.rows.find((r) => r.GEOID === '99003050100')!;
    const brackets = mapping.brackets.map((b: string) => Number(south[b]));
    expect(brackets.reduce((s: number, x: number) => s + x, 0)).toBe(Number(south.households));

    // Without the mapping: tractmix recognises its own export and reads the same numbers.
    const ami = readFileSync(join(dir, 'south.method.json'), 'utf8').match(/"--ami", "([\d.]+)"|--ami ([\d.]+)/)!;
    expect(await ok('analyze', '--income', join(dir, 'south.csv'), '--ami', ami[1] ?? ami[2])).toBe(again);
  });

  it('the re-read export exported again gives every cell of every figure at full precision', async () => {
    const dir = tmp();
    await ok('export', '--bundle', 'data/demo', '--year', '2023', '--where', 'class=high or households<=99', '--out', join(dir, 'a.csv'));
    const first = parse(readFileSync(join(dir, 'a.csv'), 'utf8'));
    const method = JSON.parse(readFileSync(join(dir, 'a.method.json'), 'utf8'));
    const second = parse(await ok('export', '--income', `2023=${join(dir, 'a.csv')}`, '--ami', String(method.years[0].ami.dollars)));
    const columns = figureColumns(first.fields);
    expect(columns).toHaveLength(5 + 2 + 12 + 16 + 17 + 1);
    expect(sameFigures(first, second, columns)).toBe(first.rows.length * columns.length);
    // The 8 planted small tracts (households ≤ 99) keep class insufficient and an empty H.
    expect(second.rows.filter((r) => r.class === 'insufficient').length).toBeGreaterThanOrEqual(8);
  });

  it('the change view: each year, read back with its own mapping and AMI, gives that year’s exported figures (2000 counts moved to the 2010 tracts included)', async () => {
    const dir = tmp();
    await ok('export', '--bundle', 'data/demo', '--from', '2000', '--to', '2018', '--out', join(dir, 'ch.csv'));
    const change = parse(readFileSync(join(dir, 'ch.csv'), 'utf8'));
    expect(change.fields).toEqual(expect.arrayContaining(['income_0_9999_2000', 'income_200000_plus_2000', 'income_0_9999_2018', 'income_0_9999_moe_2018', 'households_moe_2018']));
    const commands = await recordedCommands(dir, 'ch.method.json');
    const method = JSON.parse(readFileSync(join(dir, 'ch.method.json'), 'utf8'));
    for (const y of [2000, 2018]) {
      const printed = parse(commands.get(y)!);
      expect(printed.rows.map((r) => r.GEOID)).toEqual(change.rows.map((r) => r.GEOID));
      // analyze prints households (6 decimals, no trailing zeros), shares and H (8 decimals; whole numbers as such), class, median (2).
      const d8 = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(8));
      change.rows.forEach((r, i) => {
        const p = printed.rows[i];
        const n = (c: string) => Number(r[`${c}_${y}`]);
        expect(p.households, r.GEOID).toBe(n('households').toFixed(6).replace(/\.?0+$/, ''));
        for (const g of ['vli', 'li', 'mi', 'hmi', 'hi', 'vhi']) expect(p[g], `${r.GEOID} ${g}`).toBe(r[`${g}_share_${y}`] === '' ? '' : d8(n(`${g}_share`)));
        expect(p.entropy, r.GEOID).toBe(r[`entropy_${y}`] === '' ? '' : d8(n('entropy')));
        expect(p.class).toBe(r[`class_${y}`]);
        expect(p.median_income).toBe(r[`median_income_${y}`] === '' ? '' : n('median_income').toFixed(2));
      });
      // Full precision: export of that year of the re-read file, cell by cell against the change export's year columns.
      const again = parse(await ok('export', '--income', `${y}=${join(dir, 'ch.csv')}`, '--ami', String(method.years.find((m: { year: number }) => m.year === y).ami.dollars)));
      const columns = figureColumns(again.fields).filter((c) => c !== 'year' && c !== 'ami');
      sameFigures(change, again, columns, (c) => `${c}_${y}`);
    }
  });

  it('opened as files in the app (the export and the boundaries), the year export reads back as the same table', async () => {
    const dir = tmp();
    await ok('export', '--bundle', 'data/demo', '--year', '2018', '--out', join(dir, 'all.csv'));
    const text = readFileSync(join(dir, 'all.csv'), 'utf8');
    const dataset = await datasetFromFiles([
      { name: 'all.csv', bytes: new TextEncoder().encode(text) },
      { name: 'all.columns.json', bytes: new Uint8Array(readFileSync(join(dir, 'all.columns.json'))) },
      { name: 'all.method.json', bytes: new Uint8Array(readFileSync(join(dir, 'all.method.json'))) },
      { name: 'boundaries-2010.topojson', bytes: new Uint8Array(readFileSync('data/demo/boundaries-2010.topojson')) },
    ]);
    expect(dataset.years.map((y) => [y.year, y.table.format, y.table.units.length])).toEqual([[2018, 'tractmix-export', 430]]);
    // The whole region: the app's default AMI (the pooled median) is the exported one.
    const analysis = analyzeSnapshot(toSnapshot(dataset.years[0].table), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } });
    const first = parse(text);
    const second = parse(tableCsv(yearExportTable(analysis)));
    sameFigures(first, second, figureColumns(first.fields));
  });

  it('the export zip opens on its own in the app: its CSV is the income table, its GeoJSON the boundaries', async () => {
    const dir = tmp();
    await ok('export', '--bundle', 'data/demo', '--year', '2023', '--where', 'county=99001', '--out', join(dir, 'north.zip'));
    const dataset = await datasetFromFiles([{ name: 'north.zip', bytes: new Uint8Array(readFileSync(join(dir, 'north.zip'))) }]);
    const north = (await ok('export', '--bundle', 'data/demo', '--year', '2023', '--where', 'county=99001')).trim().split('\n').slice(1).map((l) => l.slice(0, 11));
    expect(dataset.years.map((y) => [y.year, y.table.format])).toEqual([[2023, 'tractmix-export']]);
    expect(dataset.years[0].table.units.map((u) => u.geoid)).toEqual(north);
    expect(dataset.boundaries.get('files')!.features.map((f) => f.properties.GEOID).sort()).toEqual([...north].sort());
    expect(dataset.reports[0].matched).toBe(north.length);
    // A selection's own pooled median is not the region's AMI: the zip's method.json gives the AMI back, typed.
    const method = JSON.parse(strFromU8(unzipSync(new Uint8Array(readFileSync(join(dir, 'north.zip'))))['method.json']));
    expect(dataset.recordedOptions).toEqual({
      ami: { kind: 'typed', dollars: method.years[0].ami.dollars, source: `recorded in method.json (auto: ${method.years[0].ami.source})` },
      scheme: { kind: 'ami6' },
      minHouseholds: 100,
    });
    const analysis = analyzeSnapshot(toSnapshot(dataset.years[0].table), dataset.recordedOptions!);
    const zipCsv = parse(strFromU8(unzipSync(new Uint8Array(readFileSync(join(dir, 'north.zip'))))['north.csv']));
    const reopened = parse(tableCsv(yearExportTable(analysis)));
    expect(sameFigures(zipCsv, reopened, figureColumns(zipCsv.fields))).toBe(north.length * figureColumns(zipCsv.fields).length);
    // Without it (the CSV alone) the app's default AMI is the selection's own pooled median, and says so.
    const alone = await datasetFromFiles([{ name: 'north.csv', bytes: unzipSync(new Uint8Array(readFileSync(join(dir, 'north.zip'))))['north.csv'] }, { name: 'b.topojson', bytes: new Uint8Array(readFileSync('data/demo/boundaries-2010.topojson')) }]);
    expect(alone.recordedOptions).toBeUndefined();
  });
});

describeRealData('round trip on real data', () => {
  it('Denver, Census 2000 on 2010 tracts (fractional counts) and ACS 2014–18: every figure of both years, exactly', async () => {
    const dir = tmp();
    const D = (f: string) => realDataPath(`udp-denver/${f}`);
    await ok('export', '--income', `2000=${D('Denvercensus_00_10_2018.csv')}`, '--income', `2018=${D('Denvercensus_summ_2018.csv')}`, '--from', '2000', '--to', '2018', '--out', join(dir, 'denver.csv'));
    const change = parse(readFileSync(join(dir, 'denver.csv'), 'utf8'));
    expect(change.rows.length).toBe(675);
    // Crosswalked counts are full doubles in UDP's file; the export keeps every digit.
    expect(change.rows.some((r) => /\.\d{10,}/.test(r.income_0_9999_2000))).toBe(true);
    const commands = await recordedCommands(dir, 'denver.method.json');
    for (const [y, file] of [[2000, 'Denvercensus_00_10_2018.csv'], [2018, 'Denvercensus_summ_2018.csv']] as const) {
      const method = JSON.parse(readFileSync(join(dir, 'denver.method.json'), 'utf8'));
      const ami = String(method.years.find((m: { year: number }) => m.year === y).ami.dollars);
      const original = await ok('analyze', '--income', D(file), '--year', String(y), '--ami', ami);
      const ids = change.rows.map((r) => r.GEOID);
      expect(linesFor(commands.get(y)!, ids)).toEqual(linesFor(original, ids));
    }
    // UDP's AMI (median of the tracts' published medians) works on the export too: the medians are in it.
    const year2018 = join(dir, 'denver-2018.csv');
    await ok('export', '--income', `2018=${D('Denvercensus_summ_2018.csv')}`, '--out', year2018);
    expect(await ok('analyze', '--income', year2018, '--ami', 'tract-median')).toBe(await ok('analyze', '--income', D('Denvercensus_summ_2018.csv'), '--year', '2018', '--ami', 'tract-median'));
  });
});
