/**
 * Income tables as people have them, read into one shape (`IncomeTable`): detected from the
 * header, overridable by a column mapping. Formats:
 * - `udp`: Urban Displacement Project / LTDB style, `I_<upper>_<yy>` bracket columns named by
 *   their exclusive upper edge (`201000` = 200k+, `150001` = 150k+), `hh_<yy>` totals, `hinc_<yy>`
 *   medians, ids in `FIPS` / `GEOID` / `state_x`+`county_x`+`tract_x`.
 * - `census-api`: Census API JSON (array of arrays), `B19001_001E…017E` (+`…M` MOEs), geography
 *   in `state`/`county`/`tract`[/`block group`] or `GEO_ID`.
 * - `data-census-gov`: data.census.gov CSV: `GEO_ID` (`1400000US…`), `B19001_002E`/`…M`, and a
 *   second row of labels.
 * - `aff`: old American FactFinder export: `GEO.id2`, `HD01_VDnn` estimates, `HD02_VDnn` MOEs,
 *   two header rows.
 * - `mapped`: any table, with a column mapping (`ColumnMapping`).
 */
import { BRACKET_SETS, BRACKETS_16, BRACKETS_P080, incomeYearOf, surveyOfYear, type BracketSet } from '../core/brackets';
import type { IncomeSnapshot } from '../core/analyze';
import { InputError, type RejectedRow } from './errors';
import { mixedUnitsNote, normalizeGeoid, normalizeGeoidAs, tractOfBlockGroup, unitOfId, unitOfIds, type UnitCount } from './geoid';
import { readTable, type RawTable } from './text';
import { MAX_HOUSEHOLDS_PER_UNIT, MAX_MEDIAN_DOLLARS } from './limits';
import { bracketColumns, bracketSetOfColumns, parseBracketColumn } from './bracketColumns';

export { MAX_HOUSEHOLDS_PER_UNIT };

export interface IncomeFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A column mapping file (`--columns MAPPING.json`): names the columns of any table. */
export interface ColumnMapping {
  /** Id column, or columns concatenated after zero-padding (state 2, county 3, tract 6, block group 1). */
  readonly id?: string | readonly string[];
  readonly total?: string;
  /** Bracket count columns, lowest income first. */
  readonly brackets?: readonly string[];
  readonly bracketSet?: BracketSet['id'];
  /** 90% margins of error of the bracket columns, same order. */
  readonly moe?: readonly string[];
  readonly totalMoe?: string;
  /** Published median income column (B19013). */
  readonly median?: string;
  readonly year?: number;
  readonly incomeYear?: number;
  /** Header lines before the first data row (default 1; 2 for files with a label row). */
  readonly headerRows?: number;
  readonly universe?: 'households' | 'families';
  readonly unitKind?: 'tract' | 'block group';
  /** Id property of the boundary file. */
  readonly boundaryId?: string;
}

const MAPPING_KEYS: Readonly<Record<keyof ColumnMapping, 'string' | 'strings' | 'id' | 'number' | string[]>> = {
  id: 'id',
  total: 'string',
  brackets: 'strings',
  bracketSet: ['B19001', 'P080'],
  moe: 'strings',
  totalMoe: 'string',
  median: 'string',
  year: 'number',
  incomeYear: 'number',
  headerRows: 'number',
  universe: ['households', 'families'],
  unitKind: ['tract', 'block group'],
  boundaryId: 'string',
};

/** A JSON value in a message: short, and never recursing into (possibly very deep) structures. */
export function describeJsonValue(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  return String(v);
}

/**
 * A column mapping as parsed from JSON, checked key by key: an object whose keys are the
 * documented ones with values of the documented types (no `__proto__` tricks, no nulls).
 */
export function validateColumnMapping(file: string, value: unknown): ColumnMapping {
  const fail = (problem: string, expected: string): never => {
    throw new InputError({ file, problem, expected, action: 'Fix the mapping file; see README, "Column mapping", for an example.' });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`the mapping is ${describeJsonValue(value)}`, 'a JSON object such as {"id": "GEOID", "total": "hh", "brackets": […]}');
  const isString = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200;
  for (const key of Object.keys(value as object)) {
    const v = (value as Record<string, unknown>)[key];
    if (!Object.hasOwn(MAPPING_KEYS, key)) fail(`the mapping has the unknown key ${JSON.stringify(key)}`, `only the keys ${Object.keys(MAPPING_KEYS).join(', ')}`);
    const kind = MAPPING_KEYS[key as keyof ColumnMapping];
    const ok =
      kind === 'string' ? isString(v)
      : kind === 'strings' ? Array.isArray(v) && v.length <= 100 && v.every(isString)
      : kind === 'id' ? isString(v) || (Array.isArray(v) && v.length >= 1 && v.length <= 4 && v.every(isString))
      : kind === 'number' ? typeof v === 'number' && Number.isFinite(v)
      : typeof v === 'string' && kind.includes(v);
    if (!ok) {
      const expected =
        kind === 'string' ? 'a column name'
        : kind === 'strings' ? 'a list of column names'
        : kind === 'id' ? 'a column name, or a list of up to 4 (state, county, tract, block group)'
        : kind === 'number' ? 'a number'
        : `one of ${kind.map((k) => JSON.stringify(k)).join(', ')}`;
      fail(`"${key}" is ${describeJsonValue(v)}`, expected);
    }
  }
  return value as ColumnMapping;
}

export type IncomeFormat = 'udp' | 'census-api' | 'data-census-gov' | 'aff' | 'mapped' | 'tractmix-export';

export interface IncomeUnit {
  readonly geoid: string;
  /** Line of the file the unit came from (for messages). */
  readonly line: number;
  /**
   * Households per bracket. Units that crossed from the loading worker hold views of one typed
   * array per year (ui/loadMessages.ts), which `toSnapshot` then uses as it is (issue 10: memory).
   */
  readonly counts: readonly number[] | Float64Array;
  readonly total: number;
  /** 90% MOEs of the brackets, when the file has them (views too, after crossing from the worker). */
  readonly moe: readonly number[] | Float64Array | null;
  readonly totalMoe: number | null;
  /** Published median income, null when absent or a Census missing-value code. */
  readonly publishedMedian: number | null;
}

export interface IncomeTable {
  readonly file: string;
  readonly format: IncomeFormat;
  readonly year: number;
  readonly incomeYear: number;
  readonly set: BracketSet;
  readonly universe: 'households' | 'families';
  readonly unitKind: 'tract' | 'block group';
  readonly units: IncomeUnit[];
  /** Data rows read (excluding header and blank lines). */
  readonly rowsRead: number;
  /** Rows that gave a unit: rowsRead = rowsUsable + rejected (kept when block groups are summed to tracts). */
  readonly rowsUsable?: number;
  readonly repairedIds: { line: number; before: string; after: string }[];
  readonly rejected: RejectedRow[];
  readonly warnings: string[];
  /** The columns used, for the report. */
  readonly columns: { id: string; total: string; brackets: string[]; moe: string[] | null; median: string | null };
  /** Years present in a multi-year file. */
  readonly yearsInFile: number[];
}

export interface ReadIncomeOptions {
  /** Data year to read from a multi-year file, or the year of a single-year file. */
  readonly year?: number;
  readonly mapping?: ColumnMapping;
}

/**
 * Census API / data.census.gov annotation codes written in place of numbers
 * (Census Bureau, "Notes on ACS API Variable Types"): none of them is a value.
 */
export const CENSUS_MISSING_CODES: ReadonlySet<number> = new Set([
  -666666666, -999999999, -888888888, -555555555, -333333333, -222222222,
]);
/** MOE code meaning "estimate is controlled; no sampling error" (MOE 0). */
const MOE_CONTROLLED = -555555555;

/** Header lines a mapping may declare (data.census.gov and AFF have 2). */
const MAX_HEADER_ROWS = 10;

type Cell = { kind: 'number'; value: number } | { kind: 'missing'; why: string } | { kind: 'bad'; why: string };

/** A plain decimal number as written in tables (`1234`, `-5.5`, `1.2e3`); not hex, not `Infinity`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A whole number of up to 15 digits: exact as a double, and never a Census code. */
const PLAIN_COUNT = /^\d{1,15}$/;

/** Codes Census products and spreadsheets write where no value exists. */
const NOT_AVAILABLE = /^(|nan|na|n\/a|null|none|\(x\)|-|n|\*+|#n\/a|#value!|#div\/0!|#ref!|#num!|#name\?|\.)$/i;

/**
 * A cell as a number, or why it is not one. Census codes (`*****`, `(X)`, `N`, -666666666 …) are
 * missing, never 0; anything but a plain decimal is bad.
 */
export function readCensusNumber(raw: string | undefined): Cell {
  // Most cells are plain counts: read them without the slower checks below.
  if (raw !== undefined && PLAIN_COUNT.test(raw)) return { kind: 'number', value: Number(raw) };
  // data.census.gov writes margins of error as "±123" in some downloads.
  const s = (raw ?? '').trim().replace(/^"(.*)"$/, '$1').trim().replace(/^±/, '');
  if (NOT_AVAILABLE.test(s)) {
    return { kind: 'missing', why: s === '' ? 'the cell is empty' : `"${s.slice(0, 20)}" means not available` };
  }
  const plain = s.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!DECIMAL.test(plain)) return { kind: 'bad', why: `"${s.slice(0, 40)}" is not a number` };
  const v = Number(plain);
  if (!Number.isFinite(v)) return { kind: 'bad', why: `"${s.slice(0, 40)}" is out of range` };
  if (CENSUS_MISSING_CODES.has(v)) return { kind: 'missing', why: `${s} is the Census missing-value code` };
  return { kind: 'number', value: v };
}
const readNumber = readCensusNumber;

/** A plain decimal (`0.25`, `1e-3`), or NaN for anything else (`0x1`, `Infinity`, codes). */
export function plainDecimal(raw: string | undefined): number {
  const s = (raw ?? '').trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}

/** A cell's number for auxiliary columns (rent, home value …): null unless a plain decimal. */
export function numberOrNull(raw: string | undefined): number | null {
  const cell = readCensusNumber(raw);
  return cell.kind === 'number' ? cell.value : null;
}

/** "250,000+" and "2,500-" in published medians: the bound is the best figure there is. */
function readMedian(raw: string | undefined): number | null {
  const s = (raw ?? '').trim().replace(/[+-]$/, '');
  const cell = readNumber(s);
  return cell.kind === 'number' && cell.value > 0 && cell.value <= MAX_MEDIAN_DOLLARS ? cell.value : null;
}

function yearFromTwoDigits(yy: string): number {
  const n = Number(yy);
  return n >= 50 ? 1900 + n : 2000 + n;
}

/** A data year from a file name: `ACS_14_5YR…` → 2014, `ACSDT5Y2018…` or `acs2018…` → 2018. */
export function yearFromFileName(name: string): number | null {
  const aff = /ACS_(\d\d)_[135]YR/i.exec(name);
  if (aff) return yearFromTwoDigits(aff[1]);
  const four = /(?:^|[^0-9])((?:19|20)\d\d)(?:[^0-9]|$)/.exec(name.replace(/ACSDT\dY/i, '_'));
  return four ? Number(four[1]) : null;
}

interface Layout {
  format: IncomeFormat;
  /** Column indexes of the id parts and how to pad each. */
  id: { columns: number[]; widths: number[] | null; name: string };
  total: number;
  brackets: number[];
  moe: number[] | null;
  totalMoe: number | null;
  median: number | null;
  set: BracketSet;
  year: number | null;
  universe: 'households' | 'families';
  headerRows: number;
  /** The unit the format declares for every row (API geography columns, a mapping); null: decided from the ids. */
  unitKind: 'tract' | 'block group' | null;
  /** A column of GEO_IDs whose summary-level prefix says each row's unit (AFF's GEO.id). */
  levelColumn?: number;
  yearsInFile: number[];
}

function missingColumns(file: string, wanted: string[], header: string[], format: string): never {
  throw new InputError({
    file,
    column: wanted[0],
    problem: `the ${format} columns ${wanted.map((w) => `"${w}"`).join(', ')} are missing`,
    expected: `all of the table's bracket columns (the header has: ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''})`,
    action: 'Download the whole table, or name the columns with a mapping file (--columns MAPPING.json).',
  });
}

function indexOf(header: string[], name: string): number {
  return header.indexOf(name);
}

const ID_COLUMN_PREFERENCE = ['GEOID', 'geoid', 'GEO_ID', 'GEOID10', 'GEOID20', 'FIPS', 'fips', 'tractid', 'trtid10', 'Id2', 'GEO.id2'];

function detectUdp(file: string, header: string[], options: ReadIncomeOptions): Layout | null {
  const byYear = new Map<string, { upper: number; index: number }[]>();
  header.forEach((h, index) => {
    const m = /^I_(\d+)_(\d\d)$/.exec(h);
    if (m) {
      const list = byYear.get(m[2]) ?? [];
      list.push({ upper: Number(m[1]), index });
      byYear.set(m[2], list);
    }
  });
  if (byYear.size === 0) return null;
  const yearsInFile = [...byYear.keys()].map(yearFromTwoDigits).sort((a, b) => a - b);
  let yy: string;
  if (options.year !== undefined) {
    yy = String(options.year % 100).padStart(2, '0');
    if (!byYear.has(yy)) {
      throw new InputError({
        file,
        problem: `there are no income columns for ${options.year} (I_…_${yy})`,
        expected: `one of the years in the file: ${yearsInFile.join(', ')}`,
        action: `Pass --year ${yearsInFile.join(' or --year ')}.`,
      });
    }
  } else if (byYear.size === 1) {
    yy = [...byYear.keys()][0];
  } else {
    throw new InputError({
      file,
      problem: `the file holds several years (${yearsInFile.join(', ')})`,
      expected: 'one year to read',
      action: `Pass --year ${yearsInFile.join(' or --year ')}.`,
    });
  }
  const columns = byYear.get(yy)!.sort((a, b) => a.upper - b.upper);
  const uppers = columns.map((c) => c.upper);
  // Names carry the exclusive upper edge; the top bracket's name is its lower edge + 1000 or + 1.
  const setOf = (s: BracketSet) => [...s.lowerEdges.slice(1), -1];
  let set: BracketSet | null = null;
  for (const candidate of [BRACKETS_16, BRACKETS_P080]) {
    const expected = setOf(candidate);
    if (uppers.length === expected.length && expected.slice(0, -1).every((e, i) => e === uppers[i])) set = candidate;
  }
  if (!set) {
    throw new InputError({
      file,
      column: header[columns[0].index],
      problem: `the I_…_${yy} columns (${uppers.join(', ')}) match no known bracket set`,
      expected: `the 16 brackets of B19001/P052 (I_10000 … I_200000, I_201000) or the 25 of P080 (I_5000 … I_150000, I_150001)`,
      action: 'Name the bracket columns and their set with a mapping file (--columns MAPPING.json).',
    });
  }
  const total = indexOf(header, `hh_${yy}`);
  if (total < 0) missingColumns(file, [`hh_${yy}`], header, 'total-households');
  // tractmix bundles add 90% MOEs as `<column>_moe`.
  const moeIndexes = columns.map((c) => indexOf(header, `${header[c.index]}_moe`));
  const totalMoe = indexOf(header, `hh_${yy}_moe`);
  const medianIndex = indexOf(header, `hinc_${yy}`);
  const idCol = ID_COLUMN_PREFERENCE.map((n) => indexOf(header, n)).find((i) => i >= 0);
  let id: Layout['id'];
  if (idCol !== undefined) id = { columns: [idCol], widths: null, name: header[idCol] };
  else {
    const parts = [['state_x', 'county_x', 'tract_x'], ['state', 'county', 'tract']].find((p) => p.every((n) => header.includes(n)));
    if (!parts) {
      throw new InputError({
        file,
        problem: 'no tract id column was found',
        expected: 'GEOID, FIPS, or state + county + tract columns',
        action: 'Name the id column with a mapping file (--columns MAPPING.json, {"id": "COLUMN"}).',
      });
    }
    id = { columns: parts.map((p) => indexOf(header, p)), widths: [2, 3, 6], name: parts.join('+') };
  }
  return {
    format: 'udp',
    id,
    total,
    brackets: columns.map((c) => c.index),
    moe: moeIndexes.every((i) => i >= 0) ? moeIndexes : null,
    totalMoe: totalMoe >= 0 ? totalMoe : null,
    median: medianIndex >= 0 ? medianIndex : null,
    set,
    year: yearFromTwoDigits(yy),
    universe: 'households',
    headerRows: 1,
    unitKind: null,
    yearsInFile,
  };
}

/**
 * Columns of a Census table laid out as a total (_001) and 16 brackets (_002…_017), each estimate
 * with an optional margin-of-error twin: B19001 via the API or data.census.gov, HD01/HD02 via AFF.
 */
function estimateColumns(file: string, header: string[], est: (i: number) => string, moe: (i: number) => string, what: string) {
  const wanted = Array.from({ length: 17 }, (_, i) => est(i + 1));
  const missing = wanted.filter((w) => !header.includes(w));
  if (missing.length) missingColumns(file, missing, header, what);
  const moeNames = Array.from({ length: 16 }, (_, i) => moe(i + 2));
  const hasMoe = moeNames.every((m) => header.includes(m));
  return {
    total: indexOf(header, est(1)),
    brackets: wanted.slice(1).map((w) => indexOf(header, w)),
    moe: hasMoe ? moeNames.map((m) => indexOf(header, m)) : null,
    totalMoe: header.includes(moe(1)) ? indexOf(header, moe(1)) : null,
  };
}

/** B19001 (households) or B19101 (families): `<table>_001E … _017E`. */
function detectCensusTable(file: string, header: string[], raw: RawTable, options: ReadIncomeOptions): Layout | null {
  const table = ['B19001', 'B19101'].find((t) => header.includes(`${t}_001E`) || header.some((h) => h.startsWith(`${t}_0`)));
  if (!table) return null;
  const est = (i: number) => `${table}_${String(i).padStart(3, '0')}E`;
  const columns = estimateColumns(file, header, est, (i) => `${table}_${String(i).padStart(3, '0')}M`, table);
  let id: Layout['id'];
  let unitKind: Layout['unitKind'] = null;
  const geoIdIndex = indexOf(header, 'GEO_ID');
  if (geoIdIndex >= 0) {
    // Each GEO_ID says its own unit (1400000US tract, 1500000US block group).
    id = { columns: [geoIdIndex], widths: null, name: 'GEO_ID' };
  } else {
    const parts = ['state', 'county', 'tract'];
    if (!parts.every((p) => header.includes(p))) {
      throw new InputError({
        file,
        problem: 'the geography columns are missing',
        expected: 'GEO_ID, or state, county and tract (and block group) as the Census API returns them',
        action: 'Request the table with for=tract:* (or block group:*) and in=state:… county:…, or add GEO_ID to the request.',
      });
    }
    const bg = header.includes('block group');
    id = {
      columns: [...parts, ...(bg ? ['block group'] : [])].map((p) => indexOf(header, p)),
      widths: bg ? [2, 3, 6, 1] : [2, 3, 6],
      name: bg ? 'state+county+tract+block group' : 'state+county+tract',
    };
    unitKind = bg ? 'block group' : 'tract';
  }
  // data.census.gov puts a label row ("Geography", "Estimate!!Total:") under the codes.
  const second = raw.rows[0]?.cells ?? [];
  const labelRow = second.length > 0 && /estimate|total|geography/i.test(second.join(' ')) && readNumber(second[indexOf(header, est(1))]).kind !== 'number';
  return {
    format: raw.container === 'json' ? 'census-api' : 'data-census-gov',
    id,
    ...columns,
    median: null,
    set: BRACKETS_16,
    year: options.year ?? null,
    universe: table === 'B19101' ? 'families' : 'households',
    headerRows: labelRow ? 2 : 1,
    unitKind,
    yearsInFile: [],
  };
}

function detectAff(file: string, header: string[], raw: RawTable, options: ReadIncomeOptions): Layout | null {
  if (!header.includes('GEO.id2') || !header.some((h) => /^HD01_VD\d+$/.test(h))) return null;
  const vd = (prefix: string) => (i: number) => `${prefix}_VD${String(i).padStart(2, '0')}`;
  const columns = estimateColumns(file, header, vd('HD01'), vd('HD02'), 'American FactFinder HD01');
  const geoId = indexOf(header, 'GEO.id');
  // AFF writes a label row ("Id", "Id2", "Geography", "Estimate; Total:") under the codes; files
  // saved again by a spreadsheet sometimes lost it.
  const id2 = indexOf(header, 'GEO.id2');
  const second = raw.rows[0]?.cells ?? [];
  const labelRow = second.length > 0 && !/^\s*"?\d/.test(second[id2] ?? '');
  return {
    format: 'aff',
    id: { columns: [indexOf(header, 'GEO.id2')], widths: null, name: 'GEO.id2' },
    ...columns,
    median: null,
    set: BRACKETS_16,
    year: options.year ?? null,
    universe: 'households',
    headerRows: labelRow ? 2 : 1,
    unitKind: null,
    levelColumn: geoId >= 0 ? geoId : undefined,
    yearsInFile: [],
  };
}

/** Years of a tractmix export's bracket columns: the `_<year>` suffixes of the change view, or [null] for one year. */
function exportYears(header: readonly string[]): (number | null)[] {
  const years = new Set<number | null>();
  for (const h of header) {
    const c = parseBracketColumn(h);
    if (c && !c.moe) years.add(c.year);
  }
  return [...years].sort((a, b) => (a ?? 0) - (b ?? 0));
}

/**
 * tractmix's own export (exportTable.ts): `GEOID`, `households[_<year>]` and the bracket columns
 * `income_<lower>_<upper>[_<year>]` of a known set (bracketColumns.ts), with `_moe` twins and
 * `published_median` when the data had them. A one-year export says its year in its `year`
 * column; a change-view export holds two years, read one at a time.
 */
function detectTractmixExport(file: string, header: string[], raw: RawTable, options: ReadIncomeOptions): Layout | null {
  if (!header.includes('GEOID')) return null;
  const years = exportYears(header);
  if (years.length === 0) return null;
  let year: number | null;
  if (years.length === 1) year = years[0];
  else if (options.year !== undefined && years.includes(options.year)) year = options.year;
  else {
    throw new InputError({
      file,
      problem: options.year !== undefined ? `the tractmix export has no income columns for ${options.year}` : `the tractmix export holds several years (${years.join(', ')})`,
      expected: `one of the years in the file: ${years.join(', ')}`,
      action: `Pass --year ${years.join(' or --year ')}.`,
    });
  }
  const suffix = year === null ? '' : `_${year}`;
  const names = header.filter((h) => {
    const c = parseBracketColumn(h);
    return c && !c.moe && c.year === year;
  });
  const set = bracketSetOfColumns(names.map((n) => n.slice(0, n.length - suffix.length)));
  if (!set) {
    throw new InputError({
      file,
      column: names[0],
      problem: `the bracket columns ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''} match no known bracket set`,
      expected: `the 16 brackets of B19001/P052 (${bracketColumns(BRACKETS_16)[0]} … ${bracketColumns(BRACKETS_16)[15]}) or the 25 of P080, in order`,
      action: 'Export the table again from tractmix, or name the columns with a mapping file (--columns MAPPING.json).',
    });
  }
  const columns = bracketColumns(set).map((n) => `${n}${suffix}`);
  const total = indexOf(header, `households${suffix}`);
  if (total < 0) missingColumns(file, [`households${suffix}`], header, 'tractmix export');
  const moe = bracketColumns(set).map((n) => indexOf(header, `${n}_moe${suffix}`));
  const totalMoe = indexOf(header, `households_moe${suffix}`);
  const median = indexOf(header, `published_median${suffix}`);
  // A one-year export writes its year in every row.
  let dataYear = year;
  if (dataYear === null) {
    const at = indexOf(header, 'year');
    const cell = at >= 0 ? (raw.rows[0]?.cells[at] ?? '').trim() : '';
    dataYear = /^\d{4}$/.test(cell) ? Number(cell) : (options.year ?? null);
    if (options.year !== undefined && dataYear !== options.year) {
      throw new InputError({
        file,
        column: 'year',
        problem: `the tractmix export holds ${dataYear} figures, not ${options.year}`,
        expected: `--year ${dataYear}, or no --year`,
        action: `Pass --year ${dataYear}, or open the export of ${options.year}.`,
      });
    }
  }
  return {
    format: 'tractmix-export',
    id: { columns: [indexOf(header, 'GEOID')], widths: null, name: 'GEOID' },
    total,
    brackets: columns.map((c) => indexOf(header, c)),
    moe: moe.every((i) => i >= 0) ? moe : null,
    totalMoe: totalMoe >= 0 ? totalMoe : null,
    median: median >= 0 ? median : null,
    set,
    year: dataYear,
    universe: 'households',
    headerRows: 1,
    unitKind: null,
    yearsInFile: years.filter((y): y is number => y !== null),
  };
}

function mappedLayout(file: string, header: string[], mapping: ColumnMapping, options: ReadIncomeOptions): Layout {
  const need = (name: string | undefined, what: string): number => {
    if (name === undefined) {
      throw new InputError({
        file,
        problem: `the column mapping does not name the ${what} column`,
        expected: `"${what}" in the mapping file`,
        action: 'Add it to the mapping (see README, "Column mapping").',
      });
    }
    const i = indexOf(header, name);
    if (i < 0) {
      throw new InputError({
        file,
        column: name,
        problem: `the mapped ${what} column is not in the header`,
        expected: `one of: ${header.slice(0, 15).join(', ')}${header.length > 15 ? ', …' : ''}`,
        action: 'Fix the column name in the mapping file (names are case-sensitive).',
      });
    }
    return i;
  };
  const headerRows = mapping.headerRows === undefined ? 1 : mapping.headerRows;
  if (!(Number.isInteger(headerRows) && headerRows >= 1 && headerRows <= MAX_HEADER_ROWS)) {
    throw new InputError({
      file,
      problem: `the column mapping's "headerRows" is ${JSON.stringify(mapping.headerRows)}`,
      expected: `a whole number from 1 to ${MAX_HEADER_ROWS}: the header line counts (1 for a plain CSV, 2 with a label row)`,
      action: 'Fix "headerRows" in the mapping file.',
    });
  }
  const setId = mapping.bracketSet ?? 'B19001';
  const set = typeof setId === 'string' && Object.hasOwn(BRACKET_SETS, setId) ? BRACKET_SETS[setId] : undefined;
  if (!set) {
    throw new InputError({
      file,
      problem: `the column mapping names the bracket set ${JSON.stringify(mapping.bracketSet)}`,
      expected: `one of ${Object.keys(BRACKET_SETS).join(', ')}`,
      action: 'Fix "bracketSet" in the mapping file.',
    });
  }
  const brackets = (mapping.brackets ?? []).map((b) => need(b, 'bracket'));
  if (brackets.length !== set.lowerEdges.length) {
    throw new InputError({
      file,
      problem: `the mapping names ${brackets.length} bracket columns`,
      expected: `${set.lowerEdges.length} for ${set.label}`,
      action: 'List every bracket column, lowest income first, in "brackets".',
    });
  }
  const ids = typeof mapping.id === 'string' ? [mapping.id] : [...(mapping.id ?? [])];
  if (ids.length === 0) need(undefined, 'id');
  const widths = ids.length > 1 ? [2, 3, 6, 1].slice(0, ids.length) : null;
  return {
    format: 'mapped',
    id: { columns: ids.map((i) => need(i, 'id')), widths, name: ids.join('+') },
    total: need(mapping.total, 'total'),
    brackets,
    moe: mapping.moe ? mapping.moe.map((m) => need(m, 'moe')) : null,
    totalMoe: mapping.totalMoe ? need(mapping.totalMoe, 'totalMoe') : null,
    median: mapping.median ? need(mapping.median, 'median') : null,
    set,
    year: mapping.year ?? options.year ?? null,
    universe: mapping.universe ?? 'households',
    headerRows,
    unitKind: mapping.unitKind ?? null,
    yearsInFile: [],
  };
}

/** Read an income table: detect its format (or apply a mapping), validate every row. */
export function readIncomeTable(input: IncomeFile, options: ReadIncomeOptions = {}): IncomeTable {
  const file = input.name;
  const { decoded, raw } = readTable(file, input.bytes);
  const header = raw.header;
  const layout =
    (options.mapping && options.mapping.brackets ? mappedLayout(file, header, options.mapping, options) : null) ??
    detectUdp(file, header, options) ??
    detectCensusTable(file, header, raw, options) ??
    detectAff(file, header, raw, options) ??
    detectTractmixExport(file, header, raw, options);
  if (!layout) {
    throw new InputError({
      file,
      problem: `the columns are not an income table tractmix knows (header starts: ${header.slice(0, 8).join(', ')})`,
      expected:
        'UDP/LTDB columns (I_10000_18 … I_201000_18, hh_18), Census API or data.census.gov columns (B19001_001E … B19001_017E), or American FactFinder columns (GEO.id2, HD01_VD01 … HD01_VD17)',
      action: 'Name the columns with a mapping file (--columns MAPPING.json); see README, "Column mapping".',
    });
  }
  const year = layout.year ?? yearFromFileName(file);
  if (year === null) {
    throw new InputError({
      file,
      problem: 'the file does not say which year its figures are for',
      expected: 'a year (the ACS period end year, e.g. 2018 for 2014–2018, or 2000)',
      action: 'Pass --year YYYY.',
    });
  }
  const incomeYear = options.mapping?.incomeYear ?? incomeYearOf(year, surveyOfYear(year));
  const labelRows = raw.rows.slice(0, layout.headerRows - 1);
  const dataRows = raw.rows.slice(layout.headerRows - 1);
  // A row skipped as a label row must not be data: a file without its label row would lose a tract.
  for (const row of labelRows) {
    const id = layout.id.widths ? null : normalizeGeoid((row.cells[layout.id.columns[0]] ?? '').trim());
    if (id?.ok && readNumber(row.cells[layout.total]).kind === 'number') {
      throw new InputError({
        file,
        row: row.line,
        problem: `line ${row.line} is skipped as a header row (headerRows ${layout.headerRows}) but holds the data of ${id.geoid}`,
        expected: 'header lines above the first data row',
        action: 'Set "headerRows" in the mapping to the number of header lines (1 when the file has no label row).',
      });
    }
  }
  // The unit of each row is what its own id says (a prefix, or its digits); the file's unit is
  // the one the format declares, else the one most rows are. Rows of the other unit are rejected.
  const unitIdOf = (cells: string[]) =>
    layout.levelColumn !== undefined && cells[layout.levelColumn] !== undefined ? cells[layout.levelColumn] : layout.id.columns.map((c) => cells[c] ?? '').join('');
  const declared = layout.unitKind ?? options.mapping?.unitKind ?? null;
  const counted: UnitCount = unitOfIds(dataRows.filter((r) => !r.problem && !layout.id.widths).map((r) => unitIdOf(r.cells)));
  const unitKind = declared ?? counted.kind;
  const mixed = declared === null ? mixedUnitsNote(file, counted) : null;
  const k = layout.set.lowerEdges.length;
  const units: IncomeUnit[] = [];
  const rejected: RejectedRow[] = [];
  const repairedIds: IncomeTable['repairedIds'] = [];
  const seen = new Map<string, number>();
  const implausibleMedians: number[] = [];
  const columnName = (i: number) => header[i] ?? `#${i + 1}`;

  for (const row of dataRows) {
    const { line, cells } = row;
    if (row.problem) {
      rejected.push({ row: line, reason: row.problem });
      continue;
    }
    if (cells.length < header.length && raw.container === 'csv') {
      rejected.push({ row: line, reason: `the row has ${cells.length} fields; the header has ${header.length}` });
      continue;
    }
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) {
      rejected.push({ row: line, reason: `the row has ${cells.length} fields; the header has ${header.length} (a separator inside a cell that is not quoted?)` });
      continue;
    }
    let rawId: string;
    if (layout.id.widths) {
      const parts = layout.id.columns.map((c) => (cells[c] ?? '').trim().replace(/\.0+$/, ''));
      if (parts.some((p) => !/^\d+$/.test(p))) {
        rejected.push({ row: line, column: layout.id.name, reason: `id parts "${parts.join('", "')}" are not all digits` });
        continue;
      }
      rawId = parts.map((p, i) => p.padStart(layout.id.widths![i], '0')).join('');
    } else rawId = (cells[layout.id.columns[0]] ?? '').trim();
    const levelCell = layout.levelColumn !== undefined ? cells[layout.levelColumn] : undefined;
    const ownUnit = levelCell !== undefined ? unitOfId(levelCell) : null;
    const id =
      ownUnit !== null && ownUnit !== unitKind
        ? ({ ok: false, reason: `"${levelCell!.trim()}" is a ${ownUnit} id, but the file holds ${unitKind}s (a mixed file: this row is left out)` } as const)
        : layout.id.widths
          ? normalizeGeoid(rawId, unitKind === 'block group' ? 12 : 11)
          : normalizeGeoidAs(rawId, unitKind, declared === 'block group' || ownUnit === 'block group');
    if (!id.ok) {
      rejected.push({ row: line, column: layout.id.name, reason: id.reason });
      continue;
    }
    if (id.repaired || (layout.id.widths && rawId !== layout.id.columns.map((c) => cells[c]).join(''))) {
      const before = layout.id.widths ? layout.id.columns.map((c) => cells[c]).join('+') : rawId;
      if (before !== id.geoid) repairedIds.push({ line, before, after: id.geoid });
    }
    const previous = seen.get(id.geoid);
    if (previous !== undefined) {
      throw new InputError({
        file,
        row: line,
        column: layout.id.name,
        problem: `GEOID ${id.geoid} appears twice (lines ${previous} and ${line})`,
        expected: 'one row per tract',
        action: 'Remove the duplicate row, or check whether two files were pasted together.',
      });
    }
    seen.set(id.geoid, line);

    const counts = new Array<number>(k);
    let problem: RejectedRow | null = null;
    for (let i = 0; i < k && !problem; i++) {
      const col = layout.brackets[i];
      const cell = readNumber(cells[col]);
      if (cell.kind !== 'number') {
        problem = { row: line, geoid: id.geoid, column: columnName(col), reason: `bracket count missing: ${cell.why}` };
      } else if (cell.value < 0) {
        problem = { row: line, geoid: id.geoid, column: columnName(col), reason: `negative household count ${cell.value}` };
      } else counts[i] = cell.value;
    }
    if (problem) {
      rejected.push(problem);
      continue;
    }
    const totalCell = readNumber(cells[layout.total]);
    if (totalCell.kind !== 'number' || totalCell.value < 0) {
      rejected.push({
        row: line,
        geoid: id.geoid,
        column: columnName(layout.total),
        reason: totalCell.kind === 'number' ? `negative total ${totalCell.value}` : `total missing: ${totalCell.why}`,
      });
      continue;
    }
    const total = totalCell.value;
    if (total > MAX_HOUSEHOLDS_PER_UNIT) {
      rejected.push({
        row: line,
        geoid: id.geoid,
        column: columnName(layout.total),
        reason: `${total} households is not a plausible ${unitKind} size (at most ${MAX_HOUSEHOLDS_PER_UNIT.toLocaleString('en-US')} accepted; tracts hold a few thousand)`,
      });
      continue;
    }
    const sum = counts.reduce((a, b) => a + b, 0);
    // Crosswalked counts are fractional; allow float rounding, nothing more.
    if (Math.abs(sum - total) > 1e-6 * Math.max(1, total)) {
      rejected.push({
        row: line,
        geoid: id.geoid,
        column: columnName(layout.total),
        reason: `the ${k} brackets add up to ${+sum.toFixed(6)} but the total is ${total}`,
      });
      continue;
    }
    let moe: number[] | null = null;
    const readMoe = (c: number) => {
      const v = Number((cells[c] ?? '').trim());
      if (v === MOE_CONTROLLED || (cells[c] ?? '').trim() === '*****') return 0;
      const m = readNumber(cells[c]);
      return m.kind === 'number' && m.value >= 0 ? m.value : NaN;
    };
    if (layout.moe) moe = layout.moe.map(readMoe);
    const totalMoe = layout.totalMoe !== null ? readMoe(layout.totalMoe) : NaN;
    units.push({
      geoid: id.geoid,
      line,
      counts,
      total,
      moe,
      totalMoe: Number.isNaN(totalMoe) ? null : totalMoe,
      publishedMedian: layout.median !== null ? readMedian(cells[layout.median]) : null,
    });
    if (layout.median !== null) {
      const m = readNumber((cells[layout.median] ?? '').trim().replace(/[+-]$/, ''));
      if (m.kind === 'number' && m.value > MAX_MEDIAN_DOLLARS) implausibleMedians.push(line);
    }
  }
  if (dataRows.length === 0) {
    throw new InputError({
      file,
      problem: 'the file has a header but no data rows',
      expected: 'one row per tract',
      action: 'Check that the download finished.',
    });
  }
  return {
    file,
    format: layout.format,
    year,
    incomeYear,
    set: layout.set,
    universe: layout.universe,
    unitKind,
    units,
    rowsRead: dataRows.length,
    rowsUsable: units.length,
    repairedIds,
    rejected,
    warnings: [
      ...decoded.warnings,
      ...(mixed ? [mixed] : []),
      ...(implausibleMedians.length
        ? [`${implausibleMedians.length} published medians above $${MAX_MEDIAN_DOLLARS.toLocaleString('en-US')} are not plausible and were left empty (lines ${implausibleMedians.slice(0, 10).join(', ')}${implausibleMedians.length > 10 ? ', …' : ''})`]
        : []),
    ],
    columns: {
      id: layout.id.name,
      total: columnName(layout.total),
      brackets: layout.brackets.map(columnName),
      moe: layout.moe ? layout.moe.map(columnName) : null,
      median: layout.median !== null ? columnName(layout.median) : null,
    },
    yearsInFile: layout.yearsInFile.length ? layout.yearsInFile : [year],
  };
}

/**
 * Block groups summed to their tracts (first 11 digits). Counts add; MOEs of sums are
 * √Σ MOEᵢ² (ACS General Handbook 2018, ch. 8); published medians cannot be summed and are dropped.
 */
export function aggregateToTracts(table: IncomeTable): IncomeTable {
  if (table.unitKind === 'tract') return table;
  const k = table.set.lowerEdges.length;
  const byTract = new Map<string, { line: number; counts: number[]; total: number; moe2: number[] | null; totalMoe2: number | null }>();
  for (const u of table.units) {
    const t = tractOfBlockGroup(u.geoid);
    let acc = byTract.get(t);
    if (!acc) {
      acc = { line: u.line, counts: new Array(k).fill(0), total: 0, moe2: u.moe ? new Array(k).fill(0) : null, totalMoe2: u.totalMoe !== null ? 0 : null };
      byTract.set(t, acc);
    }
    for (let i = 0; i < k; i++) acc.counts[i] += u.counts[i];
    acc.total += u.total;
    if (acc.moe2 && u.moe) for (let i = 0; i < k; i++) acc.moe2[i] += u.moe[i] * u.moe[i];
    else acc.moe2 = null;
    if (acc.totalMoe2 !== null && u.totalMoe !== null) acc.totalMoe2 += u.totalMoe * u.totalMoe;
    else acc.totalMoe2 = null;
  }
  const units: IncomeUnit[] = [...byTract.entries()].map(([geoid, a]) => ({
    geoid,
    line: a.line,
    counts: a.counts,
    total: a.total,
    moe: a.moe2 ? a.moe2.map(Math.sqrt) : null,
    totalMoe: a.totalMoe2 !== null ? Math.sqrt(a.totalMoe2) : null,
    publishedMedian: null,
  }));
  return {
    ...table,
    unitKind: 'tract',
    units,
    warnings: [...table.warnings, `${table.units.length} block groups summed to ${units.length} tracts (MOEs as root sum of squares; published medians dropped)`],
  };
}

/**
 * The one typed array that `lists` are consecutive views of, each `k` long and together the whole of
 * it (units unpacked from the loading worker: ui/loadMessages.ts); null for anything else. The
 * snapshot then reads the same memory instead of a copy (85,000 tracts: 11 MB a year).
 */
function wholeArrayOf(lists: readonly (readonly number[] | Float64Array | null)[], k: number): Float64Array | null {
  const first = lists[0];
  if (!(first instanceof Float64Array)) return null;
  const buffer = first.buffer;
  if (buffer.byteLength !== lists.length * k * 8 || first.byteOffset !== 0) return null;
  for (let i = 0; i < lists.length; i++) {
    const l = lists[i];
    if (!(l instanceof Float64Array) || l.buffer !== buffer || l.byteOffset !== i * k * 8 || l.length !== k) return null;
  }
  return new Float64Array(buffer);
}

/** The lists (each `k` long) as one unit-major array: the one they are views of, else a copy; a missing list is `missing`. */
function unitMajor(lists: readonly (readonly number[] | Float64Array | null)[], k: number, missing: number): Float64Array {
  const shared = wholeArrayOf(lists, k);
  if (shared) return shared;
  const out = new Float64Array(lists.length * k);
  if (missing !== 0) out.fill(missing);
  lists.forEach((l, i) => l && out.set(l, i * k));
  return out;
}

/** The core's view of a table: counts unit-major in a typed array. */
export function toSnapshot(table: IncomeTable): IncomeSnapshot {
  const k = table.set.lowerEdges.length;
  const counts = unitMajor(table.units.map((u) => u.counts), k, 0);
  const hasMoe = table.units.some((u) => u.moe !== null);
  const moe = hasMoe ? unitMajor(table.units.map((u) => u.moe), k, NaN) : null;
  const totalMoe = hasMoe ? Float64Array.from(table.units, (u) => u.totalMoe ?? NaN) : null;
  return {
    moe,
    totalMoe,
    year: table.year,
    incomeYear: table.incomeYear,
    set: table.set,
    universe: table.universe,
    geoids: table.units.map((u) => u.geoid),
    counts,
    publishedMedians: table.units.map((u) => u.publishedMedian),
  };
}

/**
 * Years of a UDP/LTDB-style file (one `I_…_<yy>` set per year) or of a tractmix change-view export
 * (`income_…_<year>`); empty for single-year formats.
 * Lets a caller that has no `--year` read every year of a multi-year file.
 */
export function udpYearsInFile(input: IncomeFile): number[] {
  const { raw } = readTable(input.name, input.bytes);
  const years = new Set<number>();
  for (const h of raw.header) {
    const m = /^I_\d+_(\d\d)$/.exec(h);
    if (m) years.add(yearFromTwoDigits(m[1]));
  }
  // A tractmix change-view export: income_<lo>_<hi>_<year> columns of two years.
  if (years.size === 0) for (const y of exportYears(raw.header)) if (y !== null) years.add(y);
  return [...years].sort((a, b) => a - b);
}

/**
 * A table built in memory (synthetic data, tests) in the shape the readers give: UDP-style
 * column names, nothing repaired or rejected.
 */
export function incomeTableOfUnits(init: { file: string; year: number; incomeYear: number; units: IncomeUnit[]; set?: BracketSet }): IncomeTable {
  const yy = String(init.year % 100).padStart(2, '0');
  const set = init.set ?? BRACKETS_16;
  return {
    file: init.file,
    format: 'udp',
    year: init.year,
    incomeYear: init.incomeYear,
    set,
    universe: 'households',
    unitKind: 'tract',
    units: init.units,
    rowsRead: init.units.length,
    repairedIds: [],
    rejected: [],
    warnings: [],
    columns: { id: 'GEOID', total: `hh_${yy}`, brackets: udpBracketColumns(set, init.year), moe: null, median: `hinc_${yy}` },
    yearsInFile: [init.year],
  };
}

/** Column names of a bracket set in the UDP style: each bracket named by its exclusive upper edge. */
export function udpBracketColumns(set: BracketSet, year: number): string[] {
  const e = set.lowerEdges;
  const yy = String(year % 100).padStart(2, '0');
  const top = set.id === 'P080' ? e[e.length - 1] + 1 : e[e.length - 1] + 1000;
  return [...e.slice(1), top].map((u) => `I_${u}_${yy}`);
}
