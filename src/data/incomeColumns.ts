/**
 * Income columns: every year of a bundle's income tables in one binary file (issue 10: "income
 * tables in a compact form loaded once for all tracts"), read with typed arrays instead of a CSV
 * parse per year.
 *
 * Layout (all numbers little-endian):
 *   bytes 0–15   the magic `tractmix-columns` (ASCII)
 *   bytes 16–19  uint32: the JSON header's length H in bytes
 *   bytes 20–23  uint32: 0 (reserved)
 *   bytes 24…    the header, UTF-8 JSON (`ColumnsHeader`), then zero bytes up to a multiple of 8
 *   then the blocks the header lists, each starting at a multiple of 8
 *
 * Every column is stored exactly: the writer picks, per block, the smallest of uint16, uint32 and
 * int32 that holds the values as integers times a power of ten (`scale`), checking for each value
 * that `Math.round(v × scale) / scale === v` — the same double a CSV reader gets from the decimal
 * text, since dividing an integer by a power of ten rounds once, as parsing the decimal does. Census
 * 2000 counts moved to 2010 tracts (UDP/LTDB weights, up to 6 decimals) fit int32 at 10⁴–10⁶;
 * anything else stays float64. Integer blocks mark a missing value with the type's reserved code
 * (65535, 4294967295, −2147483648), float64 with NaN. Scaled integers beat float64 on size (2 bytes
 * a count for ACS tracts instead of 8) and, unlike float32, never change a value.
 */
import { BRACKET_SETS, type BracketSet } from '../core/brackets';
import { InputError } from './errors';
import type { IncomeTable, IncomeUnit } from './income';
import { udpBracketColumns } from './income';

export const INCOME_COLUMNS_MAGIC = 'tractmix-columns';
export const INCOME_COLUMNS_FORMAT = 'tractmix-income-columns';
/** The file name `buildBundle` gives it. */
export const INCOME_COLUMNS_FILE = 'income-columns.bin';
const PREFIX_BYTES = 24;

export type BlockType = 'uint16' | 'uint32' | 'int32' | 'float64';

/** A run of numbers in the file: `count` values of `type` at `offset`; value = stored ÷ scale. */
export interface ColumnBlock {
  readonly offset: number;
  readonly count: number;
  readonly type: BlockType;
  readonly scale: number;
}

export interface ColumnsYear {
  readonly year: number;
  readonly incomeYear: number;
  readonly bracketSet: BracketSet['id'];
  readonly universe: 'households' | 'families';
  readonly unitKind: 'tract' | 'block group';
  /** The source table's file name (for messages). */
  readonly source: string;
  readonly units: number;
  /** Index of each unit into the file's GEOID list, in the table's order. */
  readonly index: ColumnBlock;
  readonly total: ColumnBlock;
  /** Unit-major: unit i's k bracket counts at i × k. */
  readonly counts: ColumnBlock;
  readonly median: ColumnBlock | null;
  readonly totalMoe: ColumnBlock | null;
  readonly moe: ColumnBlock | null;
  readonly extras: readonly { readonly name: string; readonly values: ColumnBlock }[];
}

export interface ColumnsHeader {
  readonly format: typeof INCOME_COLUMNS_FORMAT;
  readonly version: 1;
  /** The whole file's length: a file cut short is caught before any block is read. */
  readonly byteLength: number;
  /** Every unit of every year, once: ASCII ids of `width` characters (padded with spaces). */
  readonly geoids: { readonly offset: number; readonly count: number; readonly width: number };
  readonly years: readonly ColumnsYear[];
}

const SENTINEL: Record<Exclude<BlockType, 'float64'>, number> = { uint16: 0xffff, uint32: 0xffffffff, int32: -0x80000000 };
const BYTES: Record<BlockType, number> = { uint16: 2, uint32: 4, int32: 4, float64: 8 };
const RANGE: Record<Exclude<BlockType, 'float64'>, [number, number]> = { uint16: [0, 0xfffe], uint32: [0, 0xfffffffe], int32: [-0x7fffffff, 0x7fffffff] };

/** The exact encoding of `values` (null = missing) that takes the fewest bytes. */
export function chooseEncoding(values: ArrayLike<number | null>): { type: BlockType; scale: number } {
  search: for (let digits = 0; digits <= 6; digits++) {
    const scale = 10 ** digits;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) continue;
      if (!Number.isFinite(v) || Object.is(v, -0)) return { type: 'float64', scale: 1 };
      const stored = Math.round(v * scale);
      if (stored / scale !== v) continue search;
      if (stored < min) min = stored;
      if (stored > max) max = stored;
    }
    for (const type of ['uint16', 'uint32', 'int32'] as const) {
      if (values.length === 0 || (min >= RANGE[type][0] && max <= RANGE[type][1])) return { type, scale };
    }
    return { type: 'float64', scale: 1 };
  }
  return { type: 'float64', scale: 1 };
}

/** A block laid out later (its offset is set once the header's size is known). */
type Pending = { block: { -readonly [K in keyof ColumnBlock]: ColumnBlock[K] }; values: ArrayLike<number | null> };

/** Extra per-unit values by GEOID (column → value), as bundles carry them. */
type Extras = ReadonlyMap<string, Readonly<Record<string, number | null>>>;

/**
 * Every year's table in one file. `extras` holds each year's extra columns (rent, home value, …)
 * in the order they are written; a unit without a record gets missing values.
 */
export function writeIncomeColumns(years: readonly { table: IncomeTable; extras?: Extras; extraColumns?: readonly string[] }[]): Uint8Array {
  const geoidIndex = new Map<string, number>();
  for (const { table } of years) for (const u of table.units) if (!geoidIndex.has(u.geoid)) geoidIndex.set(u.geoid, geoidIndex.size);
  const geoids = [...geoidIndex.keys()];
  let width = 1;
  for (const g of geoids) width = Math.max(width, g.length);
  if (geoids.some((g) => !/^[\x21-\x7e]+$/.test(g))) throw new RangeError('a GEOID is not printable ASCII');
  const pending: Pending[] = [];
  const block = (values: ArrayLike<number | null>) => {
    const enc = chooseEncoding(values);
    const p: Pending = { block: { ...enc, count: values.length, offset: 0 }, values };
    pending.push(p);
    return p.block;
  };
  const headerYears = years.map(({ table, extras, extraColumns }) => {
    const k = table.set.lowerEdges.length;
    const n = table.units.length;
    const counts: number[] = new Array(n * k);
    table.units.forEach((u, i) => {
      if (u.counts.length !== k) throw new RangeError(`unit ${u.geoid} has ${u.counts.length} counts, not ${k}`);
      for (let j = 0; j < k; j++) counts[i * k + j] = finiteOrNull(u.counts[j]) ?? NaN;
    });
    const hasMoe = n > 0 && table.units.every((u) => u.moe !== null);
    const hasMedian = table.units.some((u) => u.publishedMedian !== null);
    const moe: (number | null)[] = [];
    if (hasMoe) for (const u of table.units) for (let j = 0; j < k; j++) moe.push(finiteOrNull(u.moe![j]));
    const columns = extraColumns ?? (extras ? [...new Set([...extras.values()].flatMap((r) => Object.keys(r)))] : []);
    return {
      year: table.year,
      incomeYear: table.incomeYear,
      bracketSet: table.set.id,
      universe: table.universe,
      unitKind: table.unitKind,
      source: table.file,
      units: n,
      index: block(table.units.map((u) => geoidIndex.get(u.geoid)!)),
      total: block(table.units.map((u) => finiteOrNull(u.total))),
      counts: block(counts.map((c) => (Number.isNaN(c) ? null : c))),
      median: hasMedian ? block(table.units.map((u) => finiteOrNull(u.publishedMedian))) : null,
      totalMoe: hasMoe ? block(table.units.map((u) => finiteOrNull(u.totalMoe))) : null,
      moe: hasMoe ? block(moe) : null,
      extras: columns.map((name) => ({ name, values: block(table.units.map((u) => finiteOrNull(extras?.get(u.geoid)?.[name] ?? null))) })),
    };
  });
  // Offsets: the header's length depends on them, so lay the blocks out after a header of a
  // generous fixed size estimate, then write the header padded to that size.
  const encoder = new TextEncoder();
  const layout = (start: number) => {
    let at = start;
    const geoidBlock = { offset: at, count: geoids.length, width };
    at = align8(at + geoids.length * width);
    for (const p of pending) {
      p.block.offset = at;
      at = align8(at + p.block.count * BYTES[p.block.type]);
    }
    return { geoidBlock, end: at };
  };
  let headerBytes = 0;
  let json = new Uint8Array();
  let end = 0;
  // The header holds the offsets and the offsets follow the header: start with room for 1 KB of
  // header and move the blocks back until the header fits in front of them (zero padding between).
  for (let start = align8(PREFIX_BYTES + 1024); ; ) {
    const { geoidBlock, end: e } = layout(start);
    const header: ColumnsHeader = { format: INCOME_COLUMNS_FORMAT, version: 1, byteLength: e, geoids: geoidBlock, years: headerYears };
    json = encoder.encode(JSON.stringify(header));
    end = e;
    headerBytes = json.length;
    const needed = align8(PREFIX_BYTES + headerBytes);
    if (needed <= start) break;
    start = needed + 64;
  }
  const out = new Uint8Array(end);
  out.set(encoder.encode(INCOME_COLUMNS_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(16, headerBytes, true);
  view.setUint32(20, 0, true);
  out.set(json, PREFIX_BYTES);
  const header = JSON.parse(new TextDecoder().decode(json)) as ColumnsHeader;
  const ids = encoder.encode(geoids.map((g) => g.padEnd(width, ' ')).join(''));
  out.set(ids, header.geoids.offset);
  for (const p of pending) {
    const { type, scale, count } = p.block;
    const offset = p.block.offset;
    for (let i = 0; i < count; i++) {
      const v = p.values[i];
      const at = offset + i * BYTES[type];
      if (type === 'float64') view.setFloat64(at, v === null ? NaN : v, true);
      else {
        const stored = v === null ? SENTINEL[type] : Math.round(v * scale);
        if (type === 'uint16') view.setUint16(at, stored, true);
        else if (type === 'uint32') view.setUint32(at, stored, true);
        else view.setInt32(at, stored, true);
      }
    }
  }
  return out;
}

function finiteOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What to do about a damaged file, for every message below. */
const REBUILD = 'The file is damaged or cut short: download the bundle again, or rebuild it with `tractmix build`.';

/** The header of an income columns file, checked against the file's length. */
export function readColumnsHeader(file: string, bytes: Uint8Array): ColumnsHeader {
  const fail = (problem: string, expected?: string): never => {
    throw new InputError({ file, problem, expected, action: REBUILD });
  };
  if (bytes.length < PREFIX_BYTES) fail(`it has ${bytes.length} bytes`, `at least the ${PREFIX_BYTES}-byte start of a tractmix income columns file`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 16));
  if (magic !== INCOME_COLUMNS_MAGIC) fail(`it does not start with "${INCOME_COLUMNS_MAGIC}"`, 'a tractmix income columns file (income-columns.bin)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(16, true);
  if (PREFIX_BYTES + length > bytes.length) fail(`its header says ${length} bytes but the file ends at byte ${bytes.length}`);
  let header: ColumnsHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length)));
  } catch (e) {
    return fail(`its header is not valid JSON (${(e as Error).message.slice(0, 80)})`);
  }
  if (typeof header !== 'object' || header === null || header.format !== INCOME_COLUMNS_FORMAT) fail('its header does not name the format', `"format": "${INCOME_COLUMNS_FORMAT}"`);
  if (header.version !== 1) fail(`its header has version ${JSON.stringify(header.version)}`, 'version 1 (this tractmix reads version 1)');
  if (header.byteLength !== bytes.length) fail(`it has ${bytes.length.toLocaleString('en-US')} bytes but its header says ${Number(header.byteLength).toLocaleString('en-US')}`);
  const g = header.geoids;
  const inFile = (offset: unknown, bytesLong: number) => typeof offset === 'number' && Number.isInteger(offset) && offset >= PREFIX_BYTES + length && offset + bytesLong <= bytes.length;
  if (!g || !Number.isInteger(g.count) || !Number.isInteger(g.width) || g.width < 1 || g.width > 40 || !inFile(g.offset, g.count * g.width)) fail('its GEOID list lies outside the file');
  if (!Array.isArray(header.years)) fail('its header lists no years');
  for (const y of header.years) {
    const k = BRACKET_SETS[y?.bracketSet]?.lowerEdges.length;
    if (!k || !Number.isInteger(y.units) || y.units < 0) fail(`year ${JSON.stringify(y?.year)} has no bracket set or unit count`);
    const check = (b: ColumnBlock | null, count: number, what: string) => {
      if (b === null) return;
      if (!b || !(b.type in BYTES) || b.count !== count || !(b.scale >= 1) || (b.offset as number) % BYTES[b.type] !== 0 || !inFile(b.offset, count * BYTES[b.type])) {
        fail(`the ${what} of ${y.year} lie outside the file or have the wrong length`);
      }
    };
    check(y.index, y.units, 'GEOID indexes');
    check(y.total, y.units, 'household totals');
    check(y.counts, y.units * k, 'bracket counts');
    check(y.median ?? null, y.units, 'published medians');
    check(y.totalMoe ?? null, y.units, 'total MOEs');
    check(y.moe ?? null, y.units * k, 'bracket MOEs');
    if (!Array.isArray(y.extras)) fail(`year ${y.year} has no list of extra columns`);
    for (const e of y.extras) check(e?.values, y.units, `column ${JSON.stringify(e?.name)}`);
  }
  return header;
}

/** The values of a block, missing ones as NaN. */
function blockValues(bytes: Uint8Array, b: ColumnBlock): Float64Array {
  const out = new Float64Array(b.count);
  const at = bytes.byteOffset + b.offset;
  if (!LITTLE_ENDIAN || at % BYTES[b.type] !== 0) {
    const view = new DataView(bytes.buffer, at, b.count * BYTES[b.type]);
    for (let i = 0; i < b.count; i++) {
      const stored =
        b.type === 'float64' ? view.getFloat64(i * 8, true) : b.type === 'uint16' ? view.getUint16(i * 2, true) : b.type === 'uint32' ? view.getUint32(i * 4, true) : view.getInt32(i * 4, true);
      out[i] = b.type !== 'float64' && stored === SENTINEL[b.type] ? NaN : b.scale === 1 ? stored : stored / b.scale;
    }
    return out;
  }
  if (b.type === 'float64') {
    out.set(new Float64Array(bytes.buffer, at, b.count));
    return out;
  }
  const src = b.type === 'uint16' ? new Uint16Array(bytes.buffer, at, b.count) : b.type === 'uint32' ? new Uint32Array(bytes.buffer, at, b.count) : new Int32Array(bytes.buffer, at, b.count);
  const missing = SENTINEL[b.type];
  for (let i = 0; i < b.count; i++) {
    const stored = src[i];
    out[i] = stored === missing ? NaN : b.scale === 1 ? stored : stored / b.scale;
  }
  return out;
}

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** The GEOIDs of the file, in their stored order. */
function readGeoids(bytes: Uint8Array, header: ColumnsHeader): string[] {
  const { offset, count, width } = header.geoids;
  const text = new TextDecoder('latin1').decode(bytes.subarray(offset, offset + count * width));
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = text.slice(i * width, (i + 1) * width).trimEnd();
  return out;
}

/**
 * One year of the file as the CSV reader would give it (same units, order and values), with its
 * extra columns. `geoids` may be passed when several years are read from one file.
 */
export function readColumnsYear(
  file: string,
  bytes: Uint8Array,
  header: ColumnsHeader,
  year: number,
  geoids: readonly string[] = readGeoids(bytes, header),
): { table: IncomeTable; extras: Map<string, Record<string, number | null>>; extraColumns: string[] } {
  const y = header.years.find((x) => x.year === year);
  if (!y) throw new InputError({ file, problem: `it holds no table for ${year} (it has ${header.years.map((x) => x.year).join(', ')})`, action: REBUILD });
  const set = BRACKET_SETS[y.bracketSet];
  const k = set.lowerEdges.length;
  const index = blockValues(bytes, y.index);
  const total = blockValues(bytes, y.total);
  const counts = blockValues(bytes, y.counts);
  const median = y.median ? blockValues(bytes, y.median) : null;
  const totalMoe = y.totalMoe ? blockValues(bytes, y.totalMoe) : null;
  const moe = y.moe ? blockValues(bytes, y.moe) : null;
  const extras = y.extras.map((e) => ({ name: e.name, values: blockValues(bytes, e.values) }));
  const units: IncomeUnit[] = new Array(y.units);
  const extraValues = new Map<string, Record<string, number | null>>();
  for (let i = 0; i < y.units; i++) {
    const geoid = geoids[index[i]];
    if (geoid === undefined || !Number.isInteger(index[i])) throw new InputError({ file, row: i + 1, rowKind: 'record', problem: `unit ${i + 1} of ${year} points at GEOID ${index[i]}, outside the list of ${geoids.length}`, action: REBUILD });
    const c = new Array<number>(k);
    for (let j = 0; j < k; j++) c[j] = counts[i * k + j];
    let m: number[] | null = null;
    if (moe) {
      m = new Array<number>(k);
      for (let j = 0; j < k; j++) m[j] = moe[i * k + j];
    }
    units[i] = { geoid, line: i + 1, counts: c, total: total[i], moe: m, totalMoe: totalMoe ? orNull(totalMoe[i]) : null, publishedMedian: median ? orNull(median[i]) : null };
    if (extras.length) {
      const record: Record<string, number | null> = {};
      for (const e of extras) record[e.name] = orNull(e.values[i]);
      extraValues.set(geoid, record);
    }
  }
  const yy = String(y.year % 100).padStart(2, '0');
  const brackets = udpBracketColumns(set, y.year);
  const table: IncomeTable = {
    file,
    format: 'udp',
    year: y.year,
    incomeYear: y.incomeYear,
    set,
    universe: y.universe,
    unitKind: y.unitKind,
    units,
    rowsRead: y.units,
    rowsUsable: y.units,
    repairedIds: [],
    rejected: [],
    warnings: [],
    columns: { id: 'GEOID', total: `hh_${yy}`, brackets, moe: moe ? brackets.map((b) => `${b}_moe`) : null, median: median ? `hinc_${yy}` : null },
    yearsInFile: header.years.map((x) => x.year),
  };
  return { table, extras: extraValues, extraColumns: extras.map((e) => e.name) };
}

/** Every year of the file, latest first unless asked otherwise (see `readColumnsYear`). */
export function readIncomeColumns(file: string, bytes: Uint8Array): { header: ColumnsHeader; geoids: string[]; read(year: number): ReturnType<typeof readColumnsYear> } {
  const header = readColumnsHeader(file, bytes);
  const geoids = readGeoids(bytes, header);
  return { header, geoids, read: (year) => readColumnsYear(file, bytes, header, year, geoids) };
}
