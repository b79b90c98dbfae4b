/**
 * Point layers of community assets: a CSV with latitude/longitude columns (detected, or named) or
 * GeoJSON points, with an optional category and name field. Same accounting as the income reader:
 * every row is read = usable + rejected, each rejection with its physical line (or feature
 * number) and reason; a file that cannot be used at all throws an InputError.
 */
import type { AssetPoint } from '../core/points';
import { InputError, type RejectedRow } from './errors';
import { decodeText, readTable } from './text';

export interface PointLayer {
  readonly file: string;
  readonly format: 'csv' | 'geojson';
  readonly points: AssetPoint[];
  readonly rejected: RejectedRow[];
  /** Rows (CSV) or features (GeoJSON) read: points.length + rejected.length. */
  readonly rowsRead: number;
  /** The fields used: latitude, longitude (CSV), category and name (null when absent). */
  readonly fields: { readonly lat?: string; readonly lon?: string; readonly category: string | null; readonly name: string | null };
}

export interface PointOptions {
  readonly lat?: string;
  readonly lon?: string;
  /** Category field; without one every point gets `defaultCategory`. */
  readonly category?: string;
  readonly name?: string;
  readonly defaultCategory?: string;
}

const LAT_CANDIDATES = ['latitude', 'lat', 'y', 'point_y', 'lat_dd', 'ycoord'];
const LON_CANDIDATES = ['longitude', 'lon', 'lng', 'long', 'x', 'point_x', 'lon_dd', 'xcoord'];
const CATEGORY_CANDIDATES = ['category', 'type', 'kind', 'class', 'asset_type', 'facility_type'];
const NAME_CANDIDATES = ['name', 'title', 'facility', 'site_name', 'site', 'label'];

function findColumn(header: readonly string[], requested: string | undefined, candidates: readonly string[], file: string, what: string): string | null {
  if (requested !== undefined) {
    if (header.includes(requested)) return requested;
    throw new InputError({ file, column: requested, problem: `there is no column "${requested}" (the columns are ${header.join(', ')})`, expected: `the column holding the ${what}`, action: 'Name one of the columns above.' });
  }
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const c of candidates) {
    const i = lower.indexOf(c);
    if (i >= 0) return header[i];
  }
  return null;
}

function coordinateProblem(lat: number, lon: number): string | null {
  if (!(Math.abs(lat) <= 90)) return `latitude ${lat} is outside ±90`;
  if (!(Math.abs(lon) <= 180)) return `longitude ${lon} is outside ±180`;
  return null;
}

/**
 * The columns (CSV) or properties (GeoJSON) of a point file, and which of them would be taken as
 * latitude, longitude, category and name: what a column picker offers.
 */
export function pointLayerColumns(file: string, bytes: Uint8Array): { format: 'csv' | 'geojson'; columns: string[]; detected: { lat: string | null; lon: string | null; category: string | null; name: string | null } } {
  const text = decodeText(file, bytes).text.trimStart();
  let columns: string[];
  let format: 'csv' | 'geojson' = 'csv';
  if (text.startsWith('{')) {
    format = 'geojson';
    let json: { features?: { properties?: Record<string, unknown> | null }[] };
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InputError({ file, problem: `is not valid JSON (${(e as Error).message})`, expected: 'a GeoJSON FeatureCollection of points, or a CSV', action: 'Re-export the layer as GeoJSON or CSV.' });
    }
    const keys = new Set<string>();
    for (const f of Array.isArray(json?.features) ? json.features : []) for (const k of Object.keys(f?.properties ?? {})) keys.add(k);
    columns = [...keys];
  } else columns = [...readTable(file, bytes).raw.header];
  const pick = (candidates: readonly string[]) => findColumn(columns, undefined, candidates, file, '');
  return {
    format,
    columns,
    detected: { lat: format === 'csv' ? pick(LAT_CANDIDATES) : null, lon: format === 'csv' ? pick(LON_CANDIDATES) : null, category: pick(CATEGORY_CANDIDATES), name: pick(NAME_CANDIDATES) },
  };
}

/** Read a point layer from a CSV or GeoJSON file's bytes. */
export function readPointLayer(file: string, bytes: Uint8Array, options: PointOptions = {}): PointLayer {
  const text = decodeText(file, bytes).text.trimStart();
  const defaultCategory = options.defaultCategory ?? 'asset';
  if (text.startsWith('{')) return readGeoJsonPoints(file, text, options, defaultCategory);
  const { raw } = readTable(file, bytes);
  const header = raw.header;
  const lat = findColumn(header, options.lat, LAT_CANDIDATES, file, 'latitude');
  const lon = findColumn(header, options.lon, LON_CANDIDATES, file, 'longitude');
  if (!lat || !lon) {
    throw new InputError({
      file,
      problem: `no ${!lat ? 'latitude' : 'longitude'} column found (the columns are ${header.join(', ')})`,
      expected: `a latitude column (${LAT_CANDIDATES.join(', ')}) and a longitude column (${LON_CANDIDATES.join(', ')})`,
      action: 'Name the columns with --point-lat COLUMN and --point-lon COLUMN (or pick them in the app).',
    });
  }
  const category = findColumn(header, options.category, CATEGORY_CANDIDATES, file, 'category');
  const name = findColumn(header, options.name, NAME_CANDIDATES, file, 'name');
  const col = (c: string | null) => (c === null ? -1 : header.indexOf(c));
  const [iLat, iLon, iCat, iName] = [col(lat), col(lon), col(category), col(name)];
  const points: AssetPoint[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of raw.rows) {
    if (row.problem) {
      rejected.push({ row: row.line, reason: row.problem });
      continue;
    }
    const latText = (row.cells[iLat] ?? '').trim();
    const lonText = (row.cells[iLon] ?? '').trim();
    if (latText === '' || lonText === '') {
      rejected.push({ row: row.line, column: latText === '' ? lat : lon, reason: 'the coordinate is missing' });
      continue;
    }
    const y = Number(latText);
    const x = Number(lonText);
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      rejected.push({ row: row.line, column: !Number.isFinite(y) ? lat : lon, reason: `"${!Number.isFinite(y) ? latText : lonText}" is not a number` });
      continue;
    }
    const problem = coordinateProblem(y, x);
    if (problem) {
      rejected.push({ row: row.line, column: Math.abs(y) > 90 ? lat : lon, reason: problem });
      continue;
    }
    const cat = iCat >= 0 ? (row.cells[iCat] ?? '').trim() : '';
    points.push({ lon: x, lat: y, category: cat || (iCat >= 0 ? '(none)' : defaultCategory), name: iName >= 0 ? (row.cells[iName] ?? '').trim() : '', row: row.line });
  }
  if (points.length === 0 && raw.rows.length > 0) {
    const reasons = [...new Set(rejected.map((r) => r.reason))].slice(0, 3).join('; ');
    throw new InputError({ file, problem: `none of the ${raw.rows.length} rows has usable coordinates (${reasons})`, expected: 'decimal degrees of latitude and longitude', action: 'Check the coordinate columns (--point-lat, --point-lon).' });
  }
  return { file, format: 'csv', points, rejected, rowsRead: raw.rows.length, fields: { lat, lon, category, name } };
}

function readGeoJsonPoints(file: string, text: string, options: PointOptions, defaultCategory: string): PointLayer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file, problem: `is not valid JSON (${(e as Error).message})`, expected: 'a GeoJSON FeatureCollection of points, or a CSV', action: 'Re-export the layer as GeoJSON or CSV.' });
  }
  const fc = json as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InputError({ file, problem: 'is JSON but not a GeoJSON FeatureCollection', expected: 'a FeatureCollection of Point features', action: 'Re-export the layer as GeoJSON points.' });
  }
  const features = fc.features as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null }[];
  const keys = new Set<string>();
  for (const f of features) for (const k of Object.keys(f?.properties ?? {})) keys.add(k);
  const header = [...keys];
  const category = findColumn(header, options.category, CATEGORY_CANDIDATES, file, 'category');
  const name = findColumn(header, options.name, NAME_CANDIDATES, file, 'name');
  const points: AssetPoint[] = [];
  const rejected: RejectedRow[] = [];
  features.forEach((f, i) => {
    const row = i + 1;
    const g = f?.geometry;
    if (!f || f.type !== 'Feature') return void rejected.push({ row, reason: 'the entry is not a GeoJSON Feature' });
    if (!g) return void rejected.push({ row, reason: 'the feature has no geometry' });
    if (g.type !== 'Point') return void rejected.push({ row, reason: `the geometry is a ${String(g.type)}, not a Point` });
    const c = g.coordinates as unknown[];
    if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      return void rejected.push({ row, reason: 'the coordinates are not a pair of numbers' });
    }
    const problem = coordinateProblem(c[1], c[0]);
    if (problem) return void rejected.push({ row, reason: problem });
    const cat = category ? String(f.properties?.[category] ?? '').trim() : '';
    points.push({ lon: c[0], lat: c[1], category: cat || (category ? '(none)' : defaultCategory), name: name ? String(f.properties?.[name] ?? '') : '', row });
  });
  if (points.length === 0 && features.length > 0) {
    const reasons = [...new Set(rejected.map((r) => r.reason))].slice(0, 3).join('; ');
    throw new InputError({ file, problem: `none of the ${features.length} features is a usable point (${reasons})`, expected: 'Point features in longitude/latitude', action: 'Re-export the layer as GeoJSON points (EPSG:4326).' });
  }
  return { file, format: 'geojson', points, rejected, rowsRead: features.length, fields: { category, name } };
}
