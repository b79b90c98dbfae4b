/**
 * Writers for the real-world income formats, used to convert a real file into every format at
 * test time (no converted copies are committed). Each follows the layout of the real product.
 */
import type { IncomeTable } from '../../src/data/income';

const pad3 = (i: number) => String(i).padStart(3, '0');
const pad2 = (i: number) => String(i).padStart(2, '0');
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** Census API JSON: array of arrays, estimates as strings, geography columns last. */
export function toCensusApiJson(t: IncomeTable, table = 'B19001'): string {
  const header = ['NAME', ...Array.from({ length: 17 }, (_, i) => `${table}_${pad3(i + 1)}E`), 'state', 'county', 'tract'];
  const rows = t.units.map((u) => [
    `Census Tract ${Number(u.geoid.slice(5)) / 100}; County ${u.geoid.slice(2, 5)}; State ${u.geoid.slice(0, 2)}`,
    String(u.total),
    ...Array.from(u.counts, String),
    u.geoid.slice(0, 2),
    u.geoid.slice(2, 5),
    u.geoid.slice(5),
  ]);
  return '[' + [header, ...rows].map((r) => JSON.stringify(r)).join(',\n') + ']';
}

/** data.census.gov CSV: GEO_ID + NAME, estimate and MOE columns, a second row of labels. */
export function toDataCensusGovCsv(t: IncomeTable): string {
  const codes = ['GEO_ID', 'NAME'];
  const labels = ['Geography', 'Geographic Area Name'];
  for (let i = 1; i <= 17; i++) {
    codes.push(`B19001_${pad3(i)}E`, `B19001_${pad3(i)}M`);
    labels.push(`Estimate!!Total:!!bracket ${i}`, `Margin of Error!!Total:!!bracket ${i}`);
  }
  const rows = t.units.map((u) => {
    const r = [`1400000US${u.geoid}`, `Census Tract ${u.geoid.slice(5)}, Somewhere`];
    const values = [u.total, ...u.counts];
    values.forEach((v, i) => r.push(String(v), String(u.moe ? (i === 0 ? u.totalMoe ?? 0 : u.moe[i - 1]) : 12)));
    return r;
  });
  return csv([codes, labels, ...rows]);
}

/** Old American FactFinder export: GEO.id/GEO.id2/label, HD01_VDnn estimates, HD02_VDnn MOEs, two header rows. */
export function toAffCsv(t: IncomeTable): string {
  const codes = ['GEO.id', 'GEO.id2', 'GEO.display-label'];
  const labels = ['Id', 'Id2', 'Geography'];
  for (let i = 1; i <= 17; i++) {
    codes.push(`HD01_VD${pad2(i)}`, `HD02_VD${pad2(i)}`);
    labels.push(`Estimate; Total: - bracket ${i}`, `Margin of Error; Total: - bracket ${i}`);
  }
  const prefix = t.unitKind === 'block group' ? '1500000US' : '1400000US';
  const rows = t.units.map((u) => {
    const r = [`${prefix}${u.geoid}`, u.geoid, `Census Tract ${u.geoid.slice(5)}, Some County, Some State`];
    [u.total, ...u.counts].forEach((v, i) => r.push(String(v), String(u.moe ? (i === 0 ? u.totalMoe ?? 0 : u.moe[i - 1]) : '*****')));
    return r;
  });
  return csv([codes, labels, ...rows]);
}

/** A spreadsheet of the user's own design, read through a column mapping. */
export function toMappedCsv(t: IncomeTable): { csv: string; mapping: object } {
  const header = ['Tract ID', 'Households', ...t.set.lowerEdges.map((e) => `From $${e}`), 'Median'];
  const rows = t.units.map((u) => [Number(u.geoid).toString(), String(u.total), ...Array.from(u.counts, String), u.publishedMedian === null ? '' : String(u.publishedMedian)]);
  return {
    csv: csv([header, ...rows]),
    mapping: { id: 'Tract ID', total: 'Households', brackets: header.slice(2, -1), median: 'Median', bracketSet: t.set.id, year: t.year },
  };
}
