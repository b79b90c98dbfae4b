/**
 * Income columns (issue 10): every year of a bundle's income in one binary file. Values read back
 * exactly as written (hand-listed values, and Chicago's Census 2000 counts moved to 2010 tracts,
 * full doubles, read from the CSV text by a plain split here); damaged or cut files stop with the
 * file named and what to do; bundles choose the format, and older CSV bundles still load.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BRACKETS_16 } from '../../src/core/brackets';
import { buildBundle, loadBundle, parseBundleMeta, usesIncomeColumns, type BundleInput } from '../../src/data/bundle';
import { InputError } from '../../src/data/errors';
import { incomeTableOfUnits, readIncomeTable, type IncomeTable, type IncomeUnit } from '../../src/data/income';
import { chooseEncoding, INCOME_COLUMNS_FILE, readIncomeColumns, writeIncomeColumns, type ColumnsYear } from '../../src/data/incomeColumns';
import { describeRealData, realDataPath } from '../helpers/realData';

const k = BRACKETS_16.lowerEdges.length;
const unit = (geoid: string, counts: number[], extra: Partial<IncomeUnit> = {}): IncomeUnit => ({
  geoid,
  line: 0,
  counts,
  total: counts.reduce((a, b) => a + b, 0),
  moe: null,
  totalMoe: null,
  publishedMedian: null,
  ...extra,
});
const seq = (from: number) => Array.from({ length: k }, (_, j) => from + j);

/** Three tracts: small integers; decimals with 6 places; a count above 65,534; medians with one missing. */
const t2018 = incomeTableOfUnits({
  file: 'income-2018.csv',
  year: 2018,
  incomeYear: 2018,
  units: [
    unit('17031010100', seq(0), { publishedMedian: 41250 }),
    unit('17031010201', seq(100), { publishedMedian: null }),
    unit('17031010202', [70000, ...seq(1).slice(1)], { publishedMedian: 250001 }),
  ],
});
/** Census 2000 on 2010 tracts: a full double (1/3), a unit only in this year, MOEs. */
const t2000 = incomeTableOfUnits({
  file: 'income-2000.csv',
  year: 2000,
  incomeYear: 1999,
  units: [
    unit('17031010201', [1 / 3, ...seq(1).slice(1)], { moe: seq(10), totalMoe: 55 }),
    unit('17031990000', seq(0).map((x) => x + 0.125), { moe: seq(20), totalMoe: 66.5 }),
  ],
});

describe('chooseEncoding', () => {
  it.each([
    ['small counts', [0, 1, 65534], { type: 'uint16', scale: 1 }],
    ['65,535 is the missing code of uint16', [0, 65535], { type: 'uint32', scale: 1 }],
    ['a negative value', [-5, 3], { type: 'int32', scale: 1 }],
    ['two decimals', [1.25, 0.5, 100], { type: 'uint16', scale: 100 }],
    ['six decimals', [12.345678, 0.000001], { type: 'uint32', scale: 1_000_000 }],
    ['a full double', [1 / 3], { type: 'float64', scale: 1 }],
    ['minus zero', [-0], { type: 'float64', scale: 1 }],
    ['missing values only', [null, null], { type: 'uint16', scale: 1 }],
  ] as const)('%s', (_name, values, expected) => {
    expect(chooseEncoding(values as unknown as (number | null)[])).toEqual(expected);
  });
});

describe('writeIncomeColumns / readIncomeColumns', () => {
  const extras2018 = new Map([
    ['17031010100', { mrent_18: 874, pop_18: 4100.5 }],
    ['17031010201', { mrent_18: null, pop_18: 3000 }],
  ]);
  const bytes = writeIncomeColumns([
    { table: t2000 },
    { table: t2018, extras: extras2018, extraColumns: ['mrent_18', 'pop_18'] },
  ]);
  const file = readIncomeColumns('income-columns.bin', bytes);

  it('reads back every value exactly, in the table order', () => {
    const y18 = file.read(2018).table;
    expect(y18.units.map((u) => u.geoid)).toEqual(['17031010100', '17031010201', '17031010202']);
    expect(y18.units[0].counts).toEqual(seq(0));
    expect(y18.units[1].counts).toEqual(seq(100));
    expect(y18.units[2].counts).toEqual([70000, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(y18.units.map((u) => u.total)).toEqual([120, 1720, 70000 + 135]);
    expect(y18.units.map((u) => u.publishedMedian)).toEqual([41250, null, 250001]);
    expect(y18.units.every((u) => u.moe === null && u.totalMoe === null)).toBe(true);
    const y00 = file.read(2000).table;
    expect(y00.units.map((u) => u.geoid)).toEqual(['17031010201', '17031990000']);
    expect(y00.units[0].counts[0]).toBe(1 / 3);
    expect(y00.units[1].counts).toEqual([0.125, 1.125, 2.125, 3.125, 4.125, 5.125, 6.125, 7.125, 8.125, 9.125, 10.125, 11.125, 12.125, 13.125, 14.125, 15.125]);
    expect(y00.units[0].moe).toEqual(seq(10));
    expect(y00.units.map((u) => u.totalMoe)).toEqual([55, 66.5]);
    expect([y00.year, y00.incomeYear, y00.set.id, y00.universe, y00.unitKind]).toEqual([2000, 1999, 'B19001', 'households', 'tract']);
  });
  it('keeps the extra columns, a missing one as null', () => {
    const r = file.read(2018);
    expect(r.extraColumns).toEqual(['mrent_18', 'pop_18']);
    expect(Object.fromEntries(r.extras)).toEqual({
      '17031010100': { mrent_18: 874, pop_18: 4100.5 },
      '17031010201': { mrent_18: null, pop_18: 3000 },
      '17031010202': { mrent_18: null, pop_18: null },
    });
    expect(file.read(2000).extraColumns).toEqual([]);
  });
  it('stores ACS-like counts in 2 bytes and the full doubles in 8', () => {
    const y18 = file.header.years.find((y) => y.year === 2018) as ColumnsYear;
    const y00 = file.header.years.find((y) => y.year === 2000) as ColumnsYear;
    expect(y18.counts.type).toBe('uint32'); // 70,000 does not fit in uint16
    expect(y00.counts.type).toBe('float64'); // 1/3
    expect(y18.index.type).toBe('uint16');
    // One GEOID list for both years: 4 distinct tracts.
    expect(file.geoids).toEqual(['17031010201', '17031990000', '17031010100', '17031010202']);
    expect(bytes.length % 8).toBe(0);
  });

  it.each([
    ['the first 10 bytes', (b: Uint8Array) => b.slice(0, 10), /income-columns\.bin: it has 10 bytes; expected at least the 24-byte start/],
    ['cut in the header', (b: Uint8Array) => b.slice(0, 60), /income-columns\.bin: its header says \d+ bytes but the file ends at byte 60/],
    ['cut in the data', (b: Uint8Array) => b.slice(0, b.length - 8), /income-columns\.bin: it has [\d,]+ bytes but its header says [\d,]+/],
    ['another file', () => new TextEncoder().encode('GEOID,hh_18\n17031010100,5\n'.repeat(3)), /income-columns\.bin: it does not start with "tractmix-columns"/],
    [
      'a header that is not JSON',
      (b: Uint8Array) => {
        const c = b.slice();
        c[24] = 0x7b + 1; // '{' → '|'
        return c;
      },
      /income-columns\.bin: its header is not valid JSON/,
    ],
  ])('%s: an InputError naming the file and what to do', (_name, damage, message) => {
    const damaged = damage(bytes);
    expect(() => readIncomeColumns('income-columns.bin', damaged)).toThrow(InputError);
    expect(() => readIncomeColumns('income-columns.bin', damaged)).toThrow(message);
    expect(() => readIncomeColumns('income-columns.bin', damaged)).toThrow(/download the bundle again, or rebuild it with `tractmix build`/);
  });
  it('a block pointing past the end is refused before reading', () => {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(24, 24 + new DataView(bytes.buffer).getUint32(16, true))));
    header.years[0].counts.offset = bytes.length - 8;
    const json = new TextEncoder().encode(JSON.stringify(header));
    const c = new Uint8Array(bytes.length);
    c.set(bytes);
    c.fill(0x20, 24, 24 + new DataView(bytes.buffer).getUint32(16, true));
    c.set(json, 24);
    new DataView(c.buffer).setUint32(16, json.length, true);
    expect(() => readIncomeColumns('income-columns.bin', c)).toThrow(/the bracket counts of 2000 lie outside the file or have the wrong length/);
  });
});

/** A one-boundary bundle input with the two tables above. */
function input(incomeFormat: BundleInput['incomeFormat']): BundleInput {
  const square = (x: number): GeoJSON.Feature<GeoJSON.Polygon, { GEOID: string; name: string }>['geometry'] => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 0.01, 0], [x + 0.01, 0.01], [x, 0.01], [x, 0]]] });
  const ids = ['17031010100', '17031010201', '17031010202', '17031990000'];
  return {
    name: 'test',
    description: '',
    synthetic: true,
    createdBy: 'test',
    boundaries: [{ key: 'main', features: ids.map((id, i) => ({ type: 'Feature', properties: { GEOID: id, name: id.slice(5) }, geometry: square(i * 0.02) })), source: 'squares' }],
    years: [
      { table: t2000, boundaries: 'main', source: 'a' },
      { table: t2018, boundaries: 'main', source: 'b', extras: new Map([['17031010100', { mrent_18: 874 }]]) },
    ],
    incomeFormat,
  };
}

describe('bundles with income columns', () => {
  const columns = buildBundle(input('columns'));
  const csv = buildBundle(input('csv'));
  const getter = (files: Record<string, string | Uint8Array>) => async (f: string) => files[f];

  it('are version 2 with an incomeColumns entry and no income CSVs', () => {
    expect(columns.meta.version).toBe(2);
    expect(columns.meta.incomeColumns).toEqual({ file: INCOME_COLUMNS_FILE, format: 'tractmix-income-columns', bytes: (columns.files[INCOME_COLUMNS_FILE] as Uint8Array).length, years: [2000, 2018] });
    expect(columns.meta.years.map((y) => y.file)).toEqual([INCOME_COLUMNS_FILE, INCOME_COLUMNS_FILE]);
    expect(Object.keys(columns.files).filter((f) => f.startsWith('income-')).sort()).toEqual([INCOME_COLUMNS_FILE]);
    expect(csv.meta.version).toBe(1);
    expect(Object.keys(csv.files).filter((f) => f.startsWith('income-')).sort()).toEqual(['income-2000.csv', 'income-2018.csv']);
  });
  it('load with the same units and extras as the CSV bundle', async () => {
    const a = await loadBundle(getter(columns.files));
    const b = await loadBundle(getter(csv.files));
    const strip = (t: IncomeTable) => t.units.map(({ line: _line, ...u }) => u);
    expect(a.tables.map(strip)).toEqual(b.tables.map(strip));
    expect(a.tables.map(strip)[0]).toEqual(t2000.units.map(({ line: _line, ...u }) => u));
    expect([...a.extras.get(2018)!]).toEqual([...b.extras.get(2018)!]);
    expect(a.extras.get(2018)!.get('17031010100')).toEqual({ mrent_18: 874 });
  });
  it('a columns file cut short is named against bundle.json', async () => {
    const cut = { ...columns.files, [INCOME_COLUMNS_FILE]: (columns.files[INCOME_COLUMNS_FILE] as Uint8Array).slice(0, 100) };
    await expect(loadBundle(getter(cut))).rejects.toThrow(/income-columns\.bin: it has 100 bytes but bundle\.json says [\d,]+; expected the whole file as `tractmix build` wrote it\. The file is damaged or cut short/);
  });
  it('auto: columns for tiled boundaries or more than 5,000 units a year, CSV otherwise', () => {
    const small = input('auto');
    expect(usesIncomeColumns(small)).toBe(false);
    const big = incomeTableOfUnits({ file: 'x', year: 2018, incomeYear: 2018, units: Array.from({ length: 5001 }, (_, i) => unit(`17031${String(i).padStart(6, '0')}`, seq(0))) });
    expect(usesIncomeColumns({ ...small, years: [{ table: big, boundaries: 'main', source: '' }] })).toBe(true);
    expect(usesIncomeColumns({ ...small, boundaries: [{ ...small.boundaries[0], tiles: { tiles: { layer: 'tracts', minzoom: 0, maxzoom: 11, bounds: [0, 0, 1, 1] }, points: new Map() } }] })).toBe(true);
  });
  it.each([
    ['another format', (m: any) => (m.incomeColumns.format = 'csv'), /"incomeColumns"\.format is "csv"; expected "tractmix-income-columns"/],
    ['no length', (m: any) => delete m.incomeColumns.bytes, /"incomeColumns"\.bytes is undefined; expected the file's length in bytes/],
    ['a year it does not hold', (m: any) => m.incomeColumns.years.push(1990), /"incomeColumns"\.years\[2\] is 1990; expected a year of "years"/],
    ['a year on a CSV while listed', (m: any) => (m.years[0].file = 'income-2000.csv'), /"years" entry 2000 has file "income-2000\.csv" but "incomeColumns" lists 2000/],
    ['a file outside the bundle', (m: any) => (m.incomeColumns.file = '../x.bin'), /"incomeColumns"\.file "\.\.\/x\.bin" is not a plain file name/],
    ['version 1', (m: any) => (m.version = 1), /"version" is 1 but the bundle has "incomeColumns"; expected version 2/],
  ])('bundle.json with %s is refused', (_name, edit, message) => {
    const m = JSON.parse(columns.files['bundle.json'] as string);
    edit(m);
    expect(() => parseBundleMeta('bundle.json', JSON.stringify(m))).toThrow(message);
  });
  it('older CSV bundles still load (the demo, version 1, read as bytes or as text)', async () => {
    const asBytes = await loadBundle(async (f) => new Uint8Array(readFileSync(`data/demo/${f}`)));
    const asText = await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8'));
    expect(asBytes.meta.version).toBe(1);
    expect(asBytes.tables.map((t) => [t.year, t.units.length])).toEqual(asText.tables.map((t) => [t.year, t.units.length]));
    expect(asBytes.tables[2].units[5]).toEqual(asText.tables[2].units[5]);
  });
});

describeRealData('income columns on real data', () => {
  it("Chicago's Census 2000 counts on 2010 tracts (full doubles) read back exactly as the CSV text says", () => {
    const path = realDataPath('udp-chicago/Chicagocensus_00_10_2018.csv');
    const text = readFileSync(path, 'utf8');
    const table = readIncomeTable({ name: 'Chicagocensus_00_10_2018.csv', bytes: new Uint8Array(readFileSync(path)) }, { year: 2000 });
    const bytes = writeIncomeColumns([{ table }]);
    const back = readIncomeColumns('income-columns.bin', bytes).read(2000).table;
    // Independently: the I_…_00 cells of each line, by a plain split (no quoted cells in this file).
    const [header, ...lines] = text.trim().split(/\r?\n/);
    const cols = header.split(',');
    const bracketCols = cols.map((c, i) => [c, i] as const).filter(([c]) => /^I_\d+_00$/.test(c)).map(([, i]) => i);
    const fips = cols.indexOf('FIPS');
    expect(bracketCols).toHaveLength(16);
    const byId = new Map(lines.map((l) => l.split(',')).map((cells) => [cells[fips].replace(/\.0$/, '').padStart(11, '0'), bracketCols.map((i) => Number(cells[i]))]));
    expect(back.units).toHaveLength(table.units.length);
    let decimals = 0;
    for (const u of back.units) {
      expect(u.counts, u.geoid).toEqual(byId.get(u.geoid));
      decimals += u.counts.filter((c) => !Number.isInteger(c)).length;
    }
    expect(decimals).toBeGreaterThan(10_000); // the moved counts do carry decimals
    // Full doubles are stored as float64: 8 bytes a count, against ~17 characters in the CSV.
    expect(readIncomeColumns('x', bytes).header.years[0].counts.type).toBe('float64');
  });
});
