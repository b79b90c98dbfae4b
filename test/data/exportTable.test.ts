/**
 * The export table and its files: figures read back from CSV, XLSX and GeoJSON are the numbers the
 * core computed (round trip exact), GEOIDs keep their leading zeros, text from user files is
 * neutralised, the method sidecar is complete, and the change view carries the definition columns.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { analyzeSnapshot, type YearAnalysis } from '../../src/core/analyze';
import { changeAnalysis } from '../../src/core/change';
import type { DefinitionResult } from '../../src/core/definitions';
import { parseRule, ruleMatches } from '../../src/core/rule';
import { toSnapshot } from '../../src/data/income';
import { prepareYearPair } from '../../src/data/yearPair';
import { changeExportTable, filterRows, neutraliseFormula, ruleFields, ruleRecords, tractNameFromGeoid, yearExportTable } from '../../src/data/exportTable';
import { exportZip, methodRecord, methodText, tableCsv, tableGeoJson, tableXlsx } from '../../src/data/exportFiles';
import { readBundleFolder } from '../../scripts/lib/files';

const demo = () => readBundleFolder('data/demo');
/** ACS B19001's 16 brackets as the Census labels them, "Less than $10,000" … "$200,000 or more". */
const BRACKETS_BY_HAND = [
  'income_0_9999', 'income_10000_14999', 'income_15000_19999', 'income_20000_24999', 'income_25000_29999', 'income_30000_34999',
  'income_35000_39999', 'income_40000_44999', 'income_45000_49999', 'income_50000_59999', 'income_60000_74999', 'income_75000_99999',
  'income_100000_124999', 'income_125000_149999', 'income_150000_199999', 'income_200000_plus',
];
const options = { scheme: { kind: 'ami6' as const }, ami: { kind: 'auto' as const } };

async function year2018(): Promise<{ analysis: YearAnalysis; dataset: Awaited<ReturnType<typeof demo>> }> {
  const dataset = await demo();
  const entry = dataset.years.find((y) => y.year === 2018)!;
  return { dataset, analysis: analyzeSnapshot(toSnapshot(entry.table), options) };
}

/** H of counts by the textbook formula, written here without src/: −Σ pᵢ ln pᵢ / ln k. */
function entropyByHand(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return -counts.reduce((acc, c) => (c > 0 ? acc + (c / total) * Math.log(c / total) : acc), 0) / Math.log(counts.length);
}

describe('tract names', () => {
  it('follow the Census NAMELSAD rule', () => {
    expect(tractNameFromGeoid('17031839100')).toBe('Census Tract 8391');
    expect(tractNameFromGeoid('08031010201')).toBe('Census Tract 102.01');
    expect(tractNameFromGeoid('08031000201')).toBe('Census Tract 2.01');
    expect(tractNameFromGeoid('110010001002')).toBe('Block Group 2, Census Tract 1');
  });
  it('formula-like text gets an apostrophe', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    for (const s of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(s)).toBe(`'${s}`);
    expect(neutraliseFormula('Census Tract 1')).toBe('Census Tract 1');
  });
});

describe('year export of the demo, 2018', () => {
  it('CSV round trip: every figure read back is the core number, and H recomputed from the exported counts agrees', async () => {
    const { analysis, dataset } = await year2018();
    const names = new Map(dataset.boundaries.get('2010')!.features.map((f) => [f.properties.GEOID, f.properties.name ?? '']));
    const table = yearExportTable(analysis, { names, countyName: (g) => (g.startsWith('99001') ? 'North Bank County, XX' : undefined) });
    const parsed = Papa.parse<Record<string, string>>(tableCsv(table), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.length).toBe(430);
    const keys = analysis.groups.map((g) => g.key);
    expect(parsed.meta.fields).toEqual([
      'GEOID', 'name', 'county', 'year', 'ami', 'households', 'entropy', 'class', 'median_income', 'median_ami',
      ...keys.map((k) => `${k}_households`), ...keys.map((k) => `${k}_share`),
      // The input, for the round trip: B19001's brackets named by their bounds ("$10,000 to $14,999"), their MOEs, the published median.
      ...BRACKETS_BY_HAND, ...BRACKETS_BY_HAND.map((b) => `${b}_moe`), 'households_moe', 'published_median',
    ]);
    const input = new Map(dataset.years.find((y) => y.year === 2018)!.table.units.map((x) => [x.geoid, x]));
    let checked = 0;
    parsed.data.forEach((row, u) => {
      expect(row.GEOID).toBe(analysis.geoids[u]);
      expect(row.name).toBe(names.get(analysis.geoids[u]));
      expect(row.county).toBe(row.GEOID.startsWith('99001') ? 'North Bank County, XX' : row.GEOID.slice(0, 5));
      expect(Number(row.households)).toBe(analysis.households[u]);
      expect(Number(row.ami)).toBe(analysis.ami.dollars);
      expect(row.class).toBe(analysis.classes[u]);
      const unit = input.get(row.GEOID)!;
      expect(BRACKETS_BY_HAND.map((b) => Number(row[b]))).toEqual(unit.counts);
      expect(BRACKETS_BY_HAND.map((b) => (row[`${b}_moe`] === '' ? null : Number(row[`${b}_moe`])))).toEqual(unit.moe);
      expect(row.households_moe === '' ? null : Number(row.households_moe)).toBe(unit.totalMoe);
      expect(row.published_median === '' ? null : Number(row.published_median)).toBe(unit.publishedMedian);
      const counts = keys.map((k) => Number(row[`${k}_households`]));
      keys.forEach((k, i) => expect(counts[i]).toBe(analysis.groupCounts[u * keys.length + i]));
      if (Number.isFinite(analysis.medianIncome[u])) expect(Number(row.median_income)).toBe(analysis.medianIncome[u]);
      if (row.class !== 'insufficient') {
        expect(Number(row.entropy)).toBe(analysis.entropy[u]);
        expect(Math.abs(entropyByHand(counts) - Number(row.entropy))).toBeLessThan(1e-12);
        checked++;
      } else expect(row.entropy).toBe('');
    });
    expect(checked).toBeGreaterThan(400);
  });

  it('XLSX: GEOIDs are text cells with their zeros, numbers are numbers, formula text stays text', async () => {
    const { analysis, dataset } = await year2018();
    // The demo's state 99 has no leading zero: give one tract a Denver-style GEOID and a hostile name.
    const table = yearExportTable({ ...analysis, geoids: ['08031000201', ...analysis.geoids.slice(1)] }, { names: new Map([['08031000201', '=cmd|"/c calc"!A1']]) });
    const book = new ExcelJS.Workbook();
    const record = methodRecord(dataset, { kind: 'year', analysis }, { scope: 'all', rule: null, tracts: 430, of: 430 }, '2026-12-01T08:00:00.000Z');
    await book.xlsx.load((await tableXlsx(table, record)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('tracts 2018')!;
    expect(sheet.getCell('A2').value).toBe('08031000201');
    expect(sheet.getCell('A2').numFmt).toBe('@');
    expect(sheet.getCell('B2').value).toBe(`'=cmd|"/c calc"!A1`);
    expect(sheet.getCell('C2').value).toBe('08031');
    expect(sheet.getCell('F2').value).toBe(analysis.households[0]);
    expect(sheet.getCell('G2').value).toBe(analysis.classes[0] === 'insufficient' ? '' : analysis.entropy[0]);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.rowCount).toBe(431);
    const method = book.getWorksheet('method')!;
    expect([method.getCell('A3').value, method.getCell('B3').value]).toEqual(['version', record.version]);
    // The CSV carries the same neutralised name.
    expect(tableCsv(table).split('\n')[1]).toContain(`"'=cmd|""/c calc""!A1"`);
  });

  it('rules select on the export columns, county by code or name', async () => {
    const { analysis } = await year2018();
    const table = yearExportTable(analysis, { countyName: (g) => (g.startsWith('99003') ? 'South Bank County, XX' : undefined) });
    const records = ruleRecords(table);
    const pick = (rule: string) => table.rows.filter((_, i) => ruleMatches(parseRule(rule, ruleFields(table)), records[i])).map((r) => r[0]);
    const byHand = analysis.geoids.filter((g, u) => analysis.classes[u] === 'high' && g.startsWith('99003'));
    expect(byHand.length).toBeGreaterThan(5);
    expect(pick('class=high and county=99003')).toEqual(byHand);
    expect(pick('class=high and county="South Bank County"')).toEqual(byHand);
    expect(pick('h>=0.87 and households>=100 and county=99003')).toEqual(byHand);
    expect(pick('median_ami<0.5')).toEqual(analysis.geoids.filter((_, u) => analysis.medianIncome[u] / analysis.ami.dollars < 0.5));
  });
});

describe('rows made on first read', () => {
  it('GEOIDs and counties without the rows; the rows once, then kept; a filtered table keeps its GEOIDs in step', async () => {
    const { analysis } = await year2018();
    let named = 0;
    const names = new Map(analysis.geoids.map((g) => [g, `Tract ${g.slice(5)}`]));
    const naming = { names: { get: (g: string) => (named++, names.get(g)) } as unknown as ReadonlyMap<string, string>, countyName: (g: string) => (g.startsWith('99001') ? 'Lake County, ZZ' : undefined) };
    const table = yearExportTable(analysis, naming);
    expect(table.geoids).toEqual(analysis.geoids);
    // The demo's two counties: 99001 named, 99003 by its code (as its county cell says).
    expect([...table.counties]).toEqual([['99001', 'Lake County, ZZ'], ['99003', '99003']]);
    expect(named).toBe(0);
    const rows = table.rows;
    expect(named).toBe(analysis.geoids.length);
    expect(table.rows).toBe(rows);
    expect(named).toBe(analysis.geoids.length);
    expect(rows.map((r) => r[0])).toEqual(analysis.geoids);
    expect(new Map(rows.map((r) => [String(r[0]).slice(0, 5), r[2]]))).toEqual(table.counties);
    const kept = filterRows(table, (g) => g.endsWith('1'));
    expect(kept.geoids).toEqual(analysis.geoids.filter((g) => g.endsWith('1')));
    expect(kept.rows.map((r) => r[0])).toEqual(kept.geoids);
  });
});

describe('change export of the demo, 2000 → 2018', () => {
  it('carries both years, flags, criteria and the definition columns shown; GeoJSON has the same properties', async () => {
    const dataset = await demo();
    const pair = prepareYearPair(dataset, 2000, 2018, options);
    const change = changeAnalysis(pair.from, pair.to, { largestSourceWeight: pair.largestSourceWeight });
    const results = new Map<string, DefinitionResult>(
      change.tracts.map((t, i) => [t.geoid, { geoid: t.geoid, eligible: i % 2 === 0, gentrified: i % 4 === 0, criteria: { gov_pop_500: i % 3 === 0, gov_income_bottom_40: true }, missing: i === 1 ? ['-home value 2018'] : [] }]),
    );
    const table = changeExportTable(change, {}, { definition: { prefix: 'gov', results } });
    const rows = Papa.parse<Record<string, string>>(tableCsv(table), { header: true, skipEmptyLines: true }).data;
    const fields = Object.keys(rows[0]);
    for (const f of ['GEOID', 'name', 'county', 'households_2000', 'vli_share_2000', 'median_ami_2018', 'stable_mixed', 'income_upgrading', 'transitional', 'sm_class_all_years', 'iu_real_growth', 'gov_eligible', 'gov_gentrified', 'gov_pop_500', 'gov_missing', 'not_called']) {
      expect(fields).toContain(f);
    }
    expect(rows.map((r) => r.stable_mixed === '1').filter(Boolean).length).toBe(change.flagCounts.stable_mixed);
    expect(rows[0].gov_gentrified).toBe('1');
    expect(rows[1].gov_missing).toBe(`'-home value 2018`);
    rows.forEach((r, i) => {
      const t = change.tracts[i];
      expect(Number(r.households_2000)).toBe(t.households[0]);
      expect(Number(r.households_2018)).toBe(t.households[1]);
      if (Number.isFinite(t.deltaEntropy)) expect(Number(r.delta_entropy)).toBe(t.deltaEntropy);
    });
    const geo = tableGeoJson(table, dataset.boundaries.get('2010')!.features, { x: 1 });
    expect(geo.features.length).toBe(rows.length);
    expect(Object.keys(geo.features[0].properties)).toEqual(fields);
    expect(geo.features.every((f) => f.geometry !== null)).toBe(true);
    expect(geo.features[0].properties.gov_gentrified).toBe(1);
    // the later year's figures answer to the plain names
    const records = ruleRecords(table);
    const rule = parseRule('class=high and stable_mixed=0', ruleFields(table));
    expect(table.rows.filter((_, i) => ruleMatches(rule, records[i])).length).toBe(change.tracts.filter((t) => t.classes[1] === 'high' && !t.flags.stable_mixed).length);
  });

  it('the method sidecar names version, inputs, years and periods, AMI, cut points, thresholds, crosswalk, flags, rule and time', async () => {
    const dataset = await demo();
    const pair = prepareYearPair(dataset, 2000, 2018, options);
    const change = changeAnalysis(pair.from, pair.to, { largestSourceWeight: pair.largestSourceWeight });
    const record = methodRecord(dataset, { kind: 'change', change, geography: pair.geography, definition: null }, { scope: 'selection', rule: 'stable_mixed=1', tracts: 60, of: 430 }, '2026-12-01T08:00:00.000Z', 'demo');
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(record.version).toBe(version);
    expect(record.exportedAt).toBe('2026-12-01T08:00:00.000Z');
    expect(record.selection.rule).toBe('stable_mixed=1');
    expect(record.years.map((y) => [y.year, y.period, y.incomeYear, y.inputs.incomeFile, y.inputs.bracketSet])).toEqual([
      [2000, '2000', 1999, 'income-2000.csv', 'B19001'],
      [2018, '2014–18', 2018, 'income-2018.csv', 'B19001'],
    ]);
    expect(record.years[1].ami.dollars).toBe(change.to.ami.dollars);
    expect(record.years[1].cutPointsDollars.length).toBe(5);
    expect(record.years[0].minHouseholds).toBe(100);
    expect(record.change!.crosswalk).toMatch(/crosswalk/);
    expect(record.change!.thresholds.minRealGrowth).toBe(0.1);
    expect(Object.keys(record.change!.criteria)).toContain('iu_real_growth');
    const text = methodText(record);
    for (const s of [`tractmix ${version}`, 'Year 2018 (2014–18)', 'AMI: $', 'Minimum households: 100', 'rule: stable_mixed=1', 'Change 2000 → 2018', 'iu_real_growth', 'SYNTHETIC']) expect(text).toContain(s);
    const zip = unzipSync(await exportZip('demo', changeExportTable(change), dataset.boundaries.get('2010')!.features, record));
    expect(Object.keys(zip).sort()).toEqual(['METHOD.txt', 'demo.columns-2000.json', 'demo.columns-2018.json', 'demo.csv', 'demo.geojson', 'demo.xlsx', 'method.json']);
    // Each year's mapping reads that year's columns of the change table; the command recomputes them with the year's own AMI.
    expect(JSON.parse(strFromU8(zip['demo.columns-2000.json']))).toMatchObject({ id: 'GEOID', total: 'households_2000', brackets: BRACKETS_BY_HAND.map((b) => `${b}_2000`), year: 2000, incomeYear: 1999 });
    expect(record.years[0].reanalysis.command).toBe(`npm run -s tractmix -- analyze --income demo.csv --columns demo.columns-2000.json --ami ${change.from.ami.dollars} --min-households 100`);
    expect(text).toContain(record.years[1].reanalysis.command);
    expect(JSON.parse(strFromU8(zip['method.json']))).toEqual(JSON.parse(JSON.stringify(record)));
  });
});
