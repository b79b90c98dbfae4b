/**
 * Dataset bundles: what the app opens. A bundle is a folder (or a set of fetched files) with
 * - `bundle.json`: metadata — name, sources, years with their income years and units, which
 *   boundary vintage each year is on, crosswalks, and whether the data are synthetic;
 * - `boundaries-<key>.topojson`: one TopoJSON per boundary vintage (object `tracts`, property
 *   `GEOID`);
 * - `income-<year>.csv`: one normalised income table per year in the UDP/LTDB column style that
 *   `readIncomeTable` reads (`GEOID`, `hh_<yy>`, `I_<upper>_<yy>`, optional `hinc_<yy>`,
 *   `…_moe` margins of error and extra per-tract columns);
 *   or, in larger bundles, `income-columns.bin`: every year in one binary file (incomeColumns.ts),
 *   described by `incomeColumns` in bundle.json (bundle version 2);
 * - optional crosswalk CSVs (`source,target,weight`);
 * - or, for large bundles, instead of the TopoJSON: `boundaries-<key>.pmtiles` (vector tiles in
 *   one PMTiles archive, read with HTTP range requests, layer `tracts`, properties `GEOID`,
 *   `name`) and `tracts-<key>.csv` (`GEOID,name,lon,lat`: every tract with a point inside it).
 */
import { topology } from 'topojson-server';
import { feature as topoFeature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import { incomeYearOf, surveyOfYear, type BracketSet } from '../core/brackets';
import { InputError, type RejectedRow } from './errors';
import { describeJsonValue, readIncomeTable, udpBracketColumns, type IncomeTable } from './income';
import { toCsv } from './export';
import { extraColumns } from './extras';
import type { BoundarySet, BoundaryFeatureProps } from './boundaries';
import { INCOME_COLUMNS_FILE, readIncomeColumns, writeIncomeColumns } from './incomeColumns';

export const BUNDLE_META_FILE = 'bundle.json';
export const BUNDLE_FORMAT = 'tractmix-bundle';
/** TopoJSON quantization: 1e6 steps across the region's extent (well under a metre for a metro). */
export const BUNDLE_QUANTIZATION = 1e6;
/**
 * Bundles with more units than this in a year (or with tiled boundaries) get their income as one
 * binary columns file instead of a CSV per year (`incomeFormat: 'auto'`): below it a CSV parses in
 * a few tens of milliseconds and stays readable in a spreadsheet (figures in the README).
 */
export const INCOME_COLUMNS_MIN_UNITS = 5000;

/** The binary income file of a bundle (version 2): every year's table in one file. */
export interface BundleIncomeColumns {
  readonly file: string;
  readonly format: 'tractmix-income-columns';
  /** The file's length: a truncated download is named before it is decoded. */
  readonly bytes: number;
  readonly years: readonly number[];
}

export interface BundleBoundaries {
  readonly key: string;
  /** The TopoJSON, or for tiled boundaries the tract list (`GEOID,name,lon,lat`). */
  readonly file: string;
  readonly units: 'tract' | 'block group';
  readonly features: number;
  readonly source: string;
  /** Present when the boundaries are vector tiles. */
  readonly tiles?: BundleTiles;
}

export interface BundleTiles {
  /** The PMTiles archive beside bundle.json. */
  readonly file: string;
  readonly layer: string;
  /**
   * The layer of the same tracts the map draws everything but the fill from (lines, outlines, flags,
   * water, hatch: vectorTiles.ts TILE_OUTLINE_LAYER); absent in bundles built before: then `layer`.
   */
  readonly outlineLayer?: string;
  readonly minzoom: number;
  readonly maxzoom: number;
  /** [west, south, east, north], degrees. */
  readonly bounds: readonly [number, number, number, number];
  /**
   * The tracts the map may draw hatched (no figures or no households in some year), which the tiles
   * mark with `hatch` = 1 (vectorTiles.ts `hatchableTracts`). Absent in bundles built before: then
   * the hatch layer draws from every tract.
   */
  readonly hatch?: readonly string[];
  /**
   * True when neighbours in the tiles share their simplified borders (vectorTiles.ts, sharedBorders.ts):
   * the tracts cover the map without slivers, and the fill needs no outline pass. Absent in bundles
   * built before (each ring simplified apart): the fill is outlined in its own colour to cover them.
   */
  readonly sharedBorders?: boolean;
}

/** A tract of tiled boundaries: its id, name and a point inside it (for zooming to it). */
export interface TiledTract {
  readonly geoid: string;
  readonly name: string;
  readonly lon: number;
  readonly lat: number;
}

/** Tiled boundaries as a bundle holds them: the tile archive's description and the tract list. */
export interface TiledBoundaries extends BundleTiles {
  readonly key: string;
  readonly listFile: string;
  readonly units: 'tract' | 'block group';
  readonly tracts: readonly TiledTract[];
}

export interface BundleYear {
  readonly year: number;
  readonly incomeYear: number;
  readonly file: string;
  /** Key of the boundary vintage the year's GEOIDs refer to. */
  readonly boundaries: string;
  readonly bracketSet: BracketSet['id'];
  readonly universe: 'households' | 'families';
  readonly units: number;
  readonly source: string;
  /** Extra per-tract columns carried in the file (rent, home value, education, …). */
  readonly extraColumns: readonly string[];
}

export interface BundleCrosswalk {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly source: string;
}

/** One download behind a fetched bundle (`tractmix fetch`): shown under Sources in the app. */
export interface FetchRecord {
  /** The URL, without an API key. */
  readonly url: string;
  readonly what: string;
  readonly retrievedAt: string;
  readonly bytes: number;
  readonly fromCache: boolean;
  /** ACS period or census year ("2014–18"), table ids and tract vintage, where they apply. */
  readonly release?: string;
  readonly tables?: readonly string[];
  readonly vintage?: number;
}

/**
 * A year whose counts were moved onto the bundle's boundaries before it was written (`tractmix
 * fetch`): the crosswalk used, kept beside the data so the move can be checked or redone.
 */
export interface BundleMove {
  readonly year: number;
  /** The tract vintage the year's own tables are on. */
  readonly fromVintage: number;
  readonly file: string;
  /** How the weights were made, in words. */
  readonly how: string;
}

/** The user's area layer carried in a bundle (`tractmix build --areas FILE`). */
export interface BundleAreas {
  /** GeoJSON FeatureCollection, one feature per area with properties.name. */
  readonly file: string;
  /** The name field of the original layer. */
  readonly nameField: string;
  readonly areas: number;
  readonly source: string;
}

/** A point layer of community assets carried in a bundle (`tractmix build --points NAME=FILE`). */
export interface BundlePoints {
  /** Layer name, also the prefix of its count columns. */
  readonly name: string;
  /** GeoJSON FeatureCollection of Points with properties category, name, row. */
  readonly file: string;
  readonly source: string;
  readonly categoryField: string | null;
  readonly points: number;
  /** Rows of the original file that could not be used (not in the bundle). */
  readonly rejected: number;
  /** Which rows those were, with the column and reason (so the app lists them); absent in older bundles. */
  readonly rejectedRows?: readonly RejectedRow[];
  readonly categories: readonly string[];
}

export interface BundleMeta {
  readonly format: typeof BUNDLE_FORMAT;
  /** 1, or 2 when the income is in `incomeColumns` (older readers then refuse it with a message). */
  readonly version: 1 | 2;
  readonly name: string;
  readonly description: string;
  /** True for made-up data: the app labels it "synthetic demo data". */
  readonly synthetic: boolean;
  readonly createdBy: string;
  readonly boundaries: readonly BundleBoundaries[];
  readonly years: readonly BundleYear[];
  readonly crosswalks: readonly BundleCrosswalk[];
  readonly notes: readonly string[];
  /** Every download behind a fetched bundle. */
  readonly provenance?: readonly FetchRecord[];
  /** Years moved onto the boundaries before writing, with their crosswalks. */
  readonly moves?: readonly BundleMove[];
  readonly areas?: BundleAreas;
  readonly points?: readonly BundlePoints[];
  /** Present when every year's income is in one binary file (`years[].file` names it). */
  readonly incomeColumns?: BundleIncomeColumns;
}

type Feature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, BoundaryFeatureProps>;

export interface BundleInput {
  readonly name: string;
  readonly description: string;
  readonly synthetic: boolean;
  readonly createdBy: string;
  readonly boundaries: readonly {
    key: string;
    features: readonly Feature[];
    source: string;
    units?: 'tract' | 'block group';
    /** Tiled: the archive is written by the caller (binary); the bundle gets the tract list instead of TopoJSON. */
    tiles?: { tiles: Omit<BundleTiles, 'file'>; points: ReadonlyMap<string, readonly [number, number]> };
  }[];
  readonly years: readonly {
    table: IncomeTable;
    boundaries: string;
    source: string;
    /** Extra per-tract values by GEOID (column → value), written beside the brackets. */
    extras?: ReadonlyMap<string, Readonly<Record<string, number | null>>>;
  }[];
  readonly crosswalks?: readonly { from: string; to: string; rows: readonly { source: string; target: string; weight: number }[]; source: string }[];
  readonly notes?: readonly string[];
  readonly provenance?: readonly FetchRecord[];
  readonly moves?: readonly { year: number; fromVintage: number; rows: readonly { source: string; target: string; weight: number }[]; how: string }[];
  readonly areas?: { features: readonly GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>[]; nameField: string; source: string };
  readonly points?: readonly {
    name: string;
    points: readonly { lon: number; lat: number; category: string; name: string; row: number }[];
    source: string;
    categoryField: string | null;
    rejected: number;
    rejectedRows?: readonly RejectedRow[];
  }[];
  /**
   * 'columns': every year in one binary file; 'csv': one CSV per year; 'auto' (default): columns
   * when the boundaries are tiled or a year has more than INCOME_COLUMNS_MIN_UNITS units.
   */
  readonly incomeFormat?: 'auto' | 'columns' | 'csv';
}

function yy(year: number): string {
  return String(year % 100).padStart(2, '0');
}


/** The extra columns present in any tract's record, in first-seen order. */
function extraColumnNames(extras?: ReadonlyMap<string, Readonly<Record<string, number | null>>>): string[] {
  return extras ? [...new Set([...extras.values()].flatMap((r) => Object.keys(r)))] : [];
}

/** An income table as a normalised CSV that readIncomeTable reads back to the same figures. */
export function incomeTableCsv(table: IncomeTable, extras?: ReadonlyMap<string, Readonly<Record<string, number | null>>>): string {
  const brackets = udpBracketColumns(table.set, table.year);
  const hasMoe = table.units.length > 0 && table.units.every((u) => u.moe !== null);
  const hasMedian = table.units.some((u) => u.publishedMedian !== null);
  const extraColumns = extraColumnNames(extras);
  const header = [
    'GEOID',
    `hh_${yy(table.year)}`,
    ...brackets,
    ...(hasMedian ? [`hinc_${yy(table.year)}`] : []),
    ...(hasMoe ? [`hh_${yy(table.year)}_moe`, ...brackets.map((b) => `${b}_moe`)] : []),
    ...extraColumns,
  ];
  const n = (x: number | null) => (x === null || !Number.isFinite(x) ? '' : String(x));
  const rows = table.units.map((u) => [
    u.geoid,
    n(u.total),
    ...Array.from(u.counts, n),
    ...(hasMedian ? [n(u.publishedMedian)] : []),
    ...(hasMoe ? [n(u.totalMoe), ...Array.from(u.moe!, n)] : []),
    ...extraColumns.map((c) => n(extras?.get(u.geoid)?.[c] ?? null)),
  ]);
  return toCsv(header, rows);
}

/** Whether `buildBundle` writes the income as one binary columns file. */
export function usesIncomeColumns(input: Pick<BundleInput, 'incomeFormat' | 'boundaries' | 'years'>): boolean {
  const format = input.incomeFormat ?? 'auto';
  if (format !== 'auto') return format === 'columns';
  return input.boundaries.some((b) => b.tiles) || input.years.some((y) => y.table.units.length > INCOME_COLUMNS_MIN_UNITS);
}

/**
 * Build a bundle's files (name → text, or bytes for the binary income columns). Pure: the caller
 * writes them.
 */
export function buildBundle(input: BundleInput): { files: Record<string, string | Uint8Array>; meta: BundleMeta } {
  const files: Record<string, string | Uint8Array> = {};
  const columns = usesIncomeColumns(input);
  const boundaries: BundleBoundaries[] = input.boundaries.map((b) => {
    if (b.tiles) {
      const file = `tracts-${b.key}.csv`;
      const round = (x: number) => String(Math.round(x * 1e6) / 1e6);
      files[file] = toCsv(['GEOID', 'name', 'lon', 'lat'], b.features.map((f) => {
        const p = b.tiles!.points.get(f.properties.GEOID);
        if (!p) throw new RangeError(`no point for tract ${f.properties.GEOID}`);
        return [f.properties.GEOID, f.properties.name ?? '', round(p[0]), round(p[1])];
      }));
      return { key: b.key, file, units: b.units ?? 'tract', features: b.features.length, source: b.source, tiles: { file: `boundaries-${b.key}.pmtiles`, ...b.tiles.tiles } };
    }
    const file = `boundaries-${b.key}.topojson`;
    const collection = { type: 'FeatureCollection' as const, features: b.features.map((f) => ({ ...f, id: f.properties.GEOID })) };
    files[file] = JSON.stringify(topology({ tracts: collection as GeoJSON.FeatureCollection }, BUNDLE_QUANTIZATION));
    return { key: b.key, file, units: b.units ?? 'tract', features: b.features.length, source: b.source };
  });
  const years: BundleYear[] = input.years.map(({ table, boundaries: key, source, extras }) => {
    if (!boundaries.some((b) => b.key === key)) throw new RangeError(`year ${table.year} refers to unknown boundaries "${key}"`);
    const file = columns ? INCOME_COLUMNS_FILE : `income-${table.year}.csv`;
    if (!columns) files[file] = incomeTableCsv(table, extras);
    const extraColumns = extraColumnNames(extras);
    return {
      year: table.year,
      incomeYear: table.incomeYear,
      file,
      boundaries: key,
      bracketSet: table.set.id,
      universe: table.universe,
      units: table.units.length,
      source,
      extraColumns,
    };
  });
  const crosswalks: BundleCrosswalk[] = (input.crosswalks ?? []).map((c) => {
    const file = `crosswalk-${c.from}-${c.to}.csv`;
    files[file] = toCsv(['source', 'target', 'weight'], c.rows.map((r) => [r.source, r.target, String(r.weight)]));
    return { from: c.from, to: c.to, file, source: c.source };
  });
  let incomeColumns: BundleIncomeColumns | undefined;
  if (columns) {
    const bytes = writeIncomeColumns(input.years.map((y) => ({ table: y.table, extras: y.extras, extraColumns: extraColumnNames(y.extras) })));
    files[INCOME_COLUMNS_FILE] = bytes;
    incomeColumns = { file: INCOME_COLUMNS_FILE, format: 'tractmix-income-columns', bytes: bytes.length, years: years.map((y) => y.year).sort((a, b) => a - b) };
  }
  const meta: BundleMeta = {
    format: BUNDLE_FORMAT,
    version: columns ? 2 : 1,
    name: input.name,
    description: input.description,
    synthetic: input.synthetic,
    createdBy: input.createdBy,
    boundaries,
    years: [...years].sort((a, b) => a.year - b.year),
    crosswalks,
    notes: [...(input.notes ?? [])],
    ...(input.provenance ? { provenance: [...input.provenance] } : {}),
    ...(input.moves?.length
      ? {
          moves: input.moves.map((m) => {
            const file = `moved-${m.year}-from-${m.fromVintage}.csv`;
            files[file] = toCsv(['source', 'target', 'weight'], m.rows.map((r) => [r.source, r.target, String(r.weight)]));
            return { year: m.year, fromVintage: m.fromVintage, file, how: m.how };
          }),
        }
      : {}),
  };
  const withLayers: BundleMeta = { ...meta, ...bundleLayers(input, files), ...(incomeColumns ? { incomeColumns } : {}) };
  files[BUNDLE_META_FILE] = JSON.stringify(withLayers, null, 2) + '\n';
  return { files, meta: withLayers };
}

/** Area and point layers as bundle files (GeoJSON, coordinates rounded to 1e-6°, ~0.1 m). */
function bundleLayers(input: BundleInput, files: Record<string, string | Uint8Array>): Pick<BundleMeta, 'areas' | 'points'> {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const roundDeep = (c: unknown): unknown => (Array.isArray(c) ? c.map(roundDeep) : typeof c === 'number' ? round(c) : c);
  const out: { areas?: BundleAreas; points?: BundlePoints[] } = {};
  if (input.areas) {
    const file = 'areas.geojson';
    const features = input.areas.features.map((f) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: { type: f.geometry.type, coordinates: roundDeep(f.geometry.coordinates) } }));
    files[file] = JSON.stringify({ type: 'FeatureCollection', features });
    out.areas = { file, nameField: input.areas.nameField, areas: features.length, source: input.areas.source };
  }
  if (input.points?.length) {
    out.points = input.points.map((p) => {
      const file = `points-${p.name}.geojson`;
      const features = p.points.map((q) => ({ type: 'Feature', properties: { category: q.category, name: q.name, row: q.row }, geometry: { type: 'Point', coordinates: [round(q.lon), round(q.lat)] } }));
      files[file] = JSON.stringify({ type: 'FeatureCollection', features });
      return {
        name: p.name,
        file,
        source: p.source,
        categoryField: p.categoryField,
        points: features.length,
        rejected: p.rejected,
        ...(p.rejectedRows?.length ? { rejectedRows: p.rejectedRows.map((r) => ({ row: r.row, ...(r.column ? { column: r.column } : {}), reason: r.reason })) } : {}),
        categories: [...new Set(p.points.map((q) => q.category))],
      };
    });
  }
  return out;
}

export interface Bundle {
  readonly meta: BundleMeta;
  /** Boundaries held as polygons (TopoJSON), by key. */
  readonly boundaries: ReadonlyMap<string, BoundarySet>;
  /** Boundaries held as vector tiles, by key (not in `boundaries`). */
  readonly tiled: ReadonlyMap<string, TiledBoundaries>;
  readonly tables: readonly IncomeTable[];
  /** Extra per-tract columns (rent, home value, population, education) by data year. */
  readonly extras: ReadonlyMap<number, ReadonlyMap<string, Readonly<Record<string, number | null>>>>;
  readonly crosswalkText: ReadonlyMap<string, string>;
}

/** A file a bundle names: a plain name inside the bundle folder (no folders, no `..`, no scheme). */
const BUNDLE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/;

/** Why a name given for a bundle file is not a file inside the bundle, or null when it is one. */
export function bundleFileNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `is ${describeJsonValue(name)}, not a file name`;
  if (!BUNDLE_FILE_NAME.test(name) || name.includes('..')) return `"${name.slice(0, 80)}" is not a plain file name inside the bundle folder (no folders, no "..")`;
  return null;
}

/**
 * Parse and check `bundle.json`, entry by entry: older bundles without the optional keys
 * (crosswalks, notes, extra columns, income year) get their defaults; a missing or wrong
 * required key, a null entry or a file name that leaves the bundle stops with the key named.
 */
export function parseBundleMeta(file: string, text: string): BundleMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file, problem: `not valid JSON (${(e as Error).message})`, expected: 'a tractmix bundle.json', action: 'Rebuild the bundle with `tractmix build`.' });
  }
  const fail = (problem: string, expected: string): never => {
    throw new InputError({ file, problem, expected, action: 'Rebuild the bundle with `tractmix build` (or fix bundle.json by hand).' });
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(raw) || raw.format !== BUNDLE_FORMAT) {
    fail('this is not a tractmix bundle description', `an object with "format": "${BUNDLE_FORMAT}", years and boundaries`);
  }
  const meta = raw as Record<string, unknown>;
  if (meta.version !== undefined && meta.version !== 1 && meta.version !== 2) fail(`"version" is ${describeJsonValue(meta.version)}`, 'version 1 or 2 (this tractmix reads bundles up to version 2)');
  const str = (v: unknown, where: string, fallback?: string): string => {
    if (v === undefined && fallback !== undefined) return fallback;
    return typeof v === 'string' && v.length <= 100_000 ? v : fail(`${where} is ${describeJsonValue(v)}`, 'a text');
  };
  const list = (v: unknown, where: string, optional: boolean): unknown[] => {
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) return fail(`${where} is ${describeJsonValue(v)}`, 'a list');
    if (v.length > 10_000) return fail(`${where} has ${v.length} entries`, 'at most 10,000');
    return v;
  };
  const fileName = (v: unknown, where: string): string => {
    const problem = bundleFileNameProblem(v);
    return problem ? fail(`${where} ${problem}`, 'a file name such as income-2018.csv') : (v as string);
  };
  /** Vector-tile boundaries (`build --tiles`): the archive's file, layer, zooms and bounds. */
  const parseTiles = (v: unknown, where: string): BundleTiles => {
    if (!isObj(v)) return fail(`${where} is ${describeJsonValue(v)}`, 'an object with file, layer, minzoom, maxzoom and bounds');
    const zoom = (z: unknown, w: string) => (typeof z === 'number' && Number.isInteger(z) && z >= 0 && z <= 24 ? z : fail(`${w} is ${describeJsonValue(z)}`, 'a zoom level 0–24'));
    const bounds = v.bounds;
    if (!Array.isArray(bounds) || bounds.length !== 4 || !bounds.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${where}.bounds is ${describeJsonValue(bounds)}`, '[west, south, east, north] in degrees');
    return {
      file: fileName(v.file, `${where}.file`),
      layer: str(v.layer, `${where}.layer`),
      ...(v.outlineLayer !== undefined ? { outlineLayer: str(v.outlineLayer, `${where}.outlineLayer`) } : {}),
      minzoom: zoom(v.minzoom, `${where}.minzoom`),
      maxzoom: zoom(v.maxzoom, `${where}.maxzoom`),
      bounds: bounds as unknown as [number, number, number, number],
      ...(v.hatch !== undefined ? { hatch: list(v.hatch, `${where}.hatch`, false).map((g, i) => str(g, `${where}.hatch[${i}]`)) } : {}),
      ...(v.sharedBorders !== undefined ? { sharedBorders: typeof v.sharedBorders === 'boolean' ? v.sharedBorders : fail(`${where}.sharedBorders is ${describeJsonValue(v.sharedBorders)}`, 'true or false') } : {}),
    };
  };
  const entries = (v: unknown, where: string, optional: boolean) =>
    list(v, where, optional).map((e, i) => (isObj(e) ? e : fail(`${where}[${i}] is ${describeJsonValue(e)}`, 'an object')));

  const boundaries: BundleBoundaries[] = entries(meta.boundaries, '"boundaries"', false).map((b, i) => {
    const where = `"boundaries"[${i}]`;
    const units = b.units ?? 'tract';
    if (units !== 'tract' && units !== 'block group') fail(`${where}.units is ${describeJsonValue(units)}`, '"tract" or "block group"');
    return {
      key: str(b.key, `${where}.key`),
      file: fileName(b.file, `${where}.file`),
      units: units as BundleBoundaries['units'],
      features: typeof b.features === 'number' ? b.features : 0,
      source: str(b.source, `${where}.source`, ''),
      ...(b.tiles !== undefined ? { tiles: parseTiles(b.tiles, `${where}.tiles`) } : {}),
    };
  });
  if (boundaries.length === 0) fail('"boundaries" is empty', 'at least one boundary set');
  const keys = new Set(boundaries.map((b) => b.key));
  const years: BundleYear[] = entries(meta.years, '"years"', false).map((y, i) => {
    const where = `"years"[${i}]`;
    const year = y.year;
    if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 2100) fail(`${where}.year is ${describeJsonValue(year)}`, 'a four-digit data year');
    const incomeYear = y.incomeYear === undefined ? incomeYearOf(year as number, surveyOfYear(year as number)) : y.incomeYear;
    if (typeof incomeYear !== 'number' || !Number.isInteger(incomeYear) || incomeYear < 1969 || incomeYear > 2100) fail(`${where}.incomeYear is ${describeJsonValue(incomeYear)}`, 'a four-digit year');
    const key = str(y.boundaries ?? boundaries[0].key, `${where}.boundaries`);
    if (!keys.has(key)) fail(`${where}.boundaries names "${key.slice(0, 40)}", which is not in "boundaries"`, `one of ${[...keys].join(', ')}`);
    const extraColumns = list(y.extraColumns, `${where}.extraColumns`, true).map((c, j) => str(c, `${where}.extraColumns[${j}]`));
    return {
      year: year as number,
      incomeYear: incomeYear as number,
      file: fileName(y.file, `${where}.file`),
      boundaries: key,
      bracketSet: (y.bracketSet === 'P080' ? 'P080' : 'B19001') as BracketSet['id'],
      universe: y.universe === 'families' ? 'families' : 'households',
      units: typeof y.units === 'number' ? y.units : 0,
      source: str(y.source, `${where}.source`, ''),
      extraColumns,
    };
  });
  if (years.length === 0) fail('"years" is empty', 'at least one year');
  const seenYears = new Set<number>();
  for (const y of years) {
    if (seenYears.has(y.year)) fail(`"years" lists ${y.year} twice`, 'one entry per year');
    seenYears.add(y.year);
  }
  let incomeColumns: BundleIncomeColumns | undefined;
  if (meta.incomeColumns !== undefined) {
    const c = isObj(meta.incomeColumns) ? meta.incomeColumns : fail(`"incomeColumns" is ${describeJsonValue(meta.incomeColumns)}`, 'an object with file, format, bytes and years');
    if (c.format !== 'tractmix-income-columns') fail(`"incomeColumns".format is ${describeJsonValue(c.format)}`, '"tractmix-income-columns"');
    if (typeof c.bytes !== 'number' || !Number.isInteger(c.bytes) || c.bytes < 24) fail(`"incomeColumns".bytes is ${describeJsonValue(c.bytes)}`, "the file's length in bytes");
    const file = fileName(c.file, '"incomeColumns".file');
    const listed = list(c.years, '"incomeColumns".years', false).map((y, j) => (typeof y === 'number' && seenYears.has(y) ? y : fail(`"incomeColumns".years[${j}] is ${describeJsonValue(y)}`, `a year of "years" (${[...seenYears].join(', ')})`)));
    for (const y of years) {
      if ((y.file === file) !== listed.includes(y.year)) fail(`"years" entry ${y.year} has file "${y.file.slice(0, 60)}" but "incomeColumns" ${listed.includes(y.year) ? 'lists' : 'does not list'} ${y.year}`, `the year's file to be "${file}" exactly when "incomeColumns".years lists it`);
    }
    if (meta.version !== 2) fail(`"version" is ${describeJsonValue(meta.version)} but the bundle has "incomeColumns"`, 'version 2');
    incomeColumns = { file, format: 'tractmix-income-columns', bytes: c.bytes as number, years: listed as number[] };
  }
  const crosswalks: BundleCrosswalk[] = entries(meta.crosswalks, '"crosswalks"', true).map((c, i) => {
    const where = `"crosswalks"[${i}]`;
    const from = str(c.from, `${where}.from`);
    const to = str(c.to, `${where}.to`);
    if (!keys.has(from) || !keys.has(to)) fail(`${where} joins "${from.slice(0, 40)}" to "${to.slice(0, 40)}"`, `boundary keys from "boundaries" (${[...keys].join(', ')})`);
    return { from, to, file: fileName(c.file, `${where}.file`), source: str(c.source, `${where}.source`, '') };
  });
  return {
    format: BUNDLE_FORMAT,
    version: meta.version === 2 ? 2 : 1,
    ...(incomeColumns ? { incomeColumns } : {}),
    name: str(meta.name, '"name"', 'unnamed bundle'),
    description: str(meta.description, '"description"', ''),
    synthetic: meta.synthetic === true,
    createdBy: str(meta.createdBy, '"createdBy"', ''),
    boundaries,
    years: [...years].sort((a, b) => a.year - b.year),
    crosswalks,
    notes: list(meta.notes, '"notes"', true).map((n, i) => str(n, `"notes"[${i}]`)),
    ...(meta.provenance !== undefined
      ? {
          provenance: entries(meta.provenance, '"provenance"', true).map((p, i) => {
            const where = `"provenance"[${i}]`;
            const num = (v: unknown, w: string) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`${w} is ${describeJsonValue(v)}`, 'a number'));
            return {
              url: str(p.url, `${where}.url`),
              what: str(p.what, `${where}.what`, ''),
              retrievedAt: str(p.retrievedAt, `${where}.retrievedAt`, ''),
              bytes: num(p.bytes ?? 0, `${where}.bytes`),
              fromCache: p.fromCache === true,
              ...(p.release !== undefined ? { release: str(p.release, `${where}.release`) } : {}),
              ...(p.tables !== undefined ? { tables: list(p.tables, `${where}.tables`, true).map((t, j) => str(t, `${where}.tables[${j}]`)) } : {}),
              ...(p.vintage !== undefined ? { vintage: num(p.vintage, `${where}.vintage`) } : {}),
            };
          }),
        }
      : {}),
    ...(meta.moves !== undefined
      ? {
          moves: entries(meta.moves, '"moves"', true).map((m, i) => {
            const where = `"moves"[${i}]`;
            if (typeof m.year !== 'number' || typeof m.fromVintage !== 'number') fail(`${where} has no year or fromVintage`, 'numbers');
            return { year: m.year as number, fromVintage: m.fromVintage as number, file: fileName(m.file, `${where}.file`), how: str(m.how, `${where}.how`, '') };
          }),
        }
      : {}),
    ...(meta.areas !== undefined
      ? (() => {
          const a = isObj(meta.areas) ? meta.areas : fail(`"areas" is ${describeJsonValue(meta.areas)}`, 'an object with file and nameField');
          return {
            areas: {
              file: fileName(a.file, '"areas".file'),
              nameField: str(a.nameField, '"areas".nameField', 'name'),
              areas: typeof a.areas === 'number' ? a.areas : 0,
              source: str(a.source, '"areas".source', ''),
            },
          };
        })()
      : {}),
    ...(meta.points !== undefined
      ? {
          points: entries(meta.points, '"points"', true).map((p, i) => {
            const where = `"points"[${i}]`;
            const name = str(p.name, `${where}.name`);
            if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(name)) fail(`${where}.name is "${name.slice(0, 40)}"`, 'a layer name: a letter, then letters, digits or _');
            return {
              name,
              file: fileName(p.file, `${where}.file`),
              source: str(p.source, `${where}.source`, ''),
              categoryField: p.categoryField === null || p.categoryField === undefined ? null : str(p.categoryField, `${where}.categoryField`),
              points: typeof p.points === 'number' ? p.points : 0,
              rejected: typeof p.rejected === 'number' ? p.rejected : 0,
              ...(p.rejectedRows !== undefined
                ? {
                    rejectedRows: entries(p.rejectedRows, `${where}.rejectedRows`, true).map((r, j) => {
                      const w = `${where}.rejectedRows[${j}]`;
                      if (typeof r.row !== 'number' || !Number.isInteger(r.row) || r.row < 1) fail(`${w}.row is ${describeJsonValue(r.row)}`, 'a line number');
                      return { row: r.row as number, ...(r.column !== undefined ? { column: str(r.column, `${w}.column`) } : {}), reason: str(r.reason, `${w}.reason`) };
                    }),
                  }
                : {}),
              categories: list(p.categories, `${where}.categories`, true).map((c, j) => str(c, `${where}.categories[${j}]`)),
            };
          }),
        }
      : {}),
  };
}

/** Boundaries from a bundle's TopoJSON (already normalised by `build`). */
export function bundleBoundaries(file: string, text: string, source: BundleBoundaries): BoundarySet {
  const fail = (problem: string): never => {
    throw new InputError({ file, problem, expected: 'a TopoJSON topology with an object "tracts" of polygons with a GEOID', action: 'Rebuild the bundle with `tractmix build`.' });
  };
  let topo: Topology<{ tracts: GeometryCollection<BoundaryFeatureProps> }>;
  try {
    topo = JSON.parse(text);
  } catch (e) {
    return fail(`the TopoJSON is not valid JSON (${(e as Error).message})`);
  }
  if (typeof topo !== 'object' || topo === null || topo.type !== 'Topology' || !Array.isArray(topo.arcs)) fail('this is not a TopoJSON topology');
  const tracts = topo.objects?.tracts as unknown as { type?: unknown; geometries?: unknown } | undefined;
  if (!tracts || typeof tracts !== 'object') fail('the TopoJSON has no "tracts" object');
  if (tracts!.type !== 'GeometryCollection' || !Array.isArray(tracts!.geometries)) fail('the "tracts" object is not a GeometryCollection');
  const rejected: RejectedRow[] = [];
  const usable = (tracts!.geometries as unknown[]).filter((g, i) => {
    const geometry = g as { type?: unknown; properties?: { GEOID?: unknown } } | null;
    const problem =
      typeof geometry !== 'object' || geometry === null ? `entry ${describeJsonValue(geometry)} is not a geometry`
      : geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon' ? `a ${describeJsonValue(geometry.type)} geometry, not a polygon`
      : typeof geometry.properties?.GEOID !== 'string' ? 'no GEOID property'
      : null;
    if (problem) rejected.push({ row: i + 1, reason: problem });
    return problem === null;
  });
  let fc: GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, BoundaryFeatureProps>;
  try {
    fc = topoFeature(topo, { ...tracts, geometries: usable } as unknown as GeometryCollection<BoundaryFeatureProps>) as unknown as typeof fc;
    for (const f of fc.features) {
      for (const poly of f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) {
        for (const ring of poly) for (const p of ring) if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) throw new Error('a coordinate is not a number');
      }
    }
  } catch (e) {
    return fail(`its arcs cannot be decoded into polygons (${(e as Error).message?.slice(0, 120) ?? 'unknown'})`);
  }
  if (fc.features.length === 0) fail(`none of its ${(tracts!.geometries as unknown[]).length} geometries is a tract polygon`);
  return {
    file,
    format: 'topojson',
    features: fc.features,
    idProperty: 'GEOID',
    crs: 'WGS84 longitude/latitude (tractmix bundle)',
    repairedIds: [],
    rejected,
    unitKind: source.units,
    warnings: rejected.length ? [`${rejected.length} geometries of ${file} are not tract polygons and were left out`] : [],
  };
}

/** The tract list of tiled boundaries (`GEOID,name,lon,lat`). */
export function tiledBoundaries(file: string, text: string, source: BundleBoundaries & { tiles: BundleTiles }): TiledBoundaries {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines[0] !== 'GEOID,name,lon,lat') {
    throw new InputError({ file, problem: `the header is "${lines[0]?.slice(0, 60)}"`, expected: 'GEOID,name,lon,lat', action: 'Rebuild the bundle with `tractmix build`.' });
  }
  const tracts: TiledTract[] = [];
  for (let i = 1; i < lines.length; i++) {
    // Names may be quoted (a comma in the name): the last two fields are numbers, the first the id.
    const line = lines[i];
    const first = line.indexOf(',');
    const lastComma = line.lastIndexOf(',');
    const secondLast = line.lastIndexOf(',', lastComma - 1);
    const rawName = line.slice(first + 1, secondLast);
    const lon = Number(line.slice(secondLast + 1, lastComma));
    const lat = Number(line.slice(lastComma + 1));
    if (first < 1 || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new InputError({ file, row: i + 1, rowKind: 'line', problem: `"${line.slice(0, 80)}" is not GEOID,name,lon,lat`, action: 'Rebuild the bundle with `tractmix build`.' });
    }
    tracts.push({ geoid: line.slice(0, first), name: rawName.startsWith('"') ? rawName.slice(1, -1).replace(/""/g, '"') : rawName, lon, lat });
  }
  return { key: source.key, listFile: file, units: source.units, tracts, ...source.tiles };
}

/** A step of loading, in words ("parsing boundaries-main.topojson (3.2 MB)"), with a count when known. */
export interface LoadProgress {
  readonly text: string;
  readonly done?: number;
  readonly total?: number;
  /** Set while the loader waits for this file to arrive (a downloader may report its bytes). */
  readonly waitingFor?: string;
}

export interface LoadBundleOptions {
  /**
   * Receives the latest year and its boundaries as a one-year bundle before the other years are
   * read, so a map can be drawn first; the same objects are then part of the full bundle.
   */
  readonly onFirstYear?: (partial: Bundle) => void;
  /** After the first year, wait for this (e.g. the map's first paint) before parsing the rest. */
  readonly continueAfter?: Promise<unknown>;
  readonly onProgress?: (p: LoadProgress) => void;
}

/** "3.2 MB", "840 KB". */
export function sizeText(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/**
 * Load a bundle through a file getter (fs in node, fetch in the browser) that gives a file's
 * bytes (or its text). Every file is asked for at once; the latest year is parsed first.
 */
export async function loadBundle(getFile: (file: string) => Promise<string | Uint8Array>, options: LoadBundleOptions = {}): Promise<Bundle> {
  const { onFirstYear, continueAfter, onProgress } = options;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const asText = (x: string | Uint8Array) => (typeof x === 'string' ? x : decoder.decode(x));
  const asBytes = (x: string | Uint8Array) => (typeof x === 'string' ? encoder.encode(x) : x);
  const meta = parseBundleMeta(BUNDLE_META_FILE, asText(await getFile(BUNDLE_META_FILE)));
  // Which files have arrived: a wait for one that has not is reported ("waiting for …").
  const arrived = new Set<string>();
  const ask = (file: string) => {
    const p = getFile(file);
    p.then(() => arrived.add(file), () => undefined);
    return p;
  };
  const waitFor = <T>(file: string, p: Promise<T>): Promise<T> => {
    if (!arrived.has(file)) onProgress?.({ text: `waiting for ${file}`, waitingFor: file });
    return p;
  };
  const boundaryTexts = new Map(meta.boundaries.map((b) => [b.key, ask(b.file)]));
  const tiled = new Map<string, TiledBoundaries>();
  const columnsFile = meta.incomeColumns?.file;
  const columnsBytes = columnsFile ? ask(columnsFile) : null;
  const yearFiles = meta.years.map((y) => (y.file === columnsFile ? null : ask(y.file)));
  const crosswalkTexts = meta.crosswalks.map((c) => ask(c.file));
  // Asked for at once, awaited one by one: a failure is reported by the await that meets it.
  for (const p of [...boundaryTexts.values(), ...yearFiles, ...crosswalkTexts, columnsBytes]) p?.catch(() => undefined);
  const boundaries = new Map<string, BoundarySet>();
  const boundariesOf = async (key: string) => {
    let b = boundaries.get(key);
    const source = meta.boundaries.find((x) => x.key === key);
    if (source?.tiles) {
      if (!tiled.has(key)) {
        const raw = await waitFor(source.file, boundaryTexts.get(key)!);
        onProgress?.({ text: `reading the tract list ${source.file} (${source.features.toLocaleString('en-US')} tracts)` });
        tiled.set(key, tiledBoundaries(source.file, asText(raw), source as BundleBoundaries & { tiles: BundleTiles }));
      }
      return undefined;
    }
    if (!b && source) {
      const raw = await waitFor(source.file, boundaryTexts.get(key)!);
      onProgress?.({ text: `parsing ${source.file} ${sizeText(typeof raw === 'string' ? raw.length : raw.byteLength)}` });
      b = bundleBoundaries(source.file, asText(raw), source);
      boundaries.set(key, b);
    }
    return b;
  };
  let columns: ReturnType<typeof readIncomeColumns> | null = null;
  const extras = new Map<number, Map<string, Record<string, number | null>>>();
  const readYear = async (i: number): Promise<IncomeTable> => {
    const y = meta.years[i];
    if (y.file === columnsFile) {
      if (!columns) {
        const raw = await waitFor(columnsFile!, columnsBytes!);
        if (typeof raw === 'string') throw new RangeError(`${columnsFile} was read as text; the loader needs its bytes`);
        if (raw.byteLength !== meta.incomeColumns!.bytes) {
          throw new InputError({
            file: columnsFile!,
            problem: `it has ${raw.byteLength.toLocaleString('en-US')} bytes but bundle.json says ${meta.incomeColumns!.bytes.toLocaleString('en-US')}`,
            expected: 'the whole file as `tractmix build` wrote it',
            action: 'The file is damaged or cut short: download the bundle again, or rebuild it with `tractmix build`.',
          });
        }
        onProgress?.({ text: `reading ${columnsFile} ${sizeText(raw.byteLength)} (income of ${meta.incomeColumns!.years.length} years)` });
        columns = readIncomeColumns(columnsFile!, raw);
      }
      const read = columns.read(y.year);
      if (read.extraColumns.length) extras.set(y.year, read.extras);
      return read.table;
    }
    const bytes = asBytes(await waitFor(y.file, yearFiles[i]!));
    onProgress?.({ text: `parsing ${y.file} ${sizeText(bytes.byteLength)}` });
    const table = readIncomeTable({ name: y.file, bytes }, { year: y.year });
    if (y.extraColumns?.length) extras.set(y.year, extraColumns({ name: y.file, bytes }, y.year, table.units).values);
    return table;
  };
  const tables: IncomeTable[] = new Array(meta.years.length);
  const last = meta.years.length - 1;
  if (last >= 0) {
    tables[last] = await readYear(last);
    await boundariesOf(meta.years[last].boundaries);
    onFirstYear?.({ meta: { ...meta, years: [meta.years[last]], crosswalks: [] }, boundaries: new Map(boundaries), tiled: new Map(tiled), tables: [tables[last]], crosswalkText: new Map(), extras: new Map() });
  }
  if (continueAfter) await continueAfter;
  for (let i = 0; i < last; i++) tables[i] = await readYear(i);
  for (const b of meta.boundaries) await boundariesOf(b.key);
  const crosswalkText = new Map<string, string>();
  for (const [i, c] of meta.crosswalks.entries()) crosswalkText.set(`${c.from}->${c.to}`, asText(await waitFor(c.file, crosswalkTexts[i])));
  return { meta, boundaries, tiled, tables, crosswalkText, extras };
}
