/**
 * Community assets (libraries, schools, parks, clinics, transit stops, affordable housing) counted
 * per tract and per area: which polygon each point lies in, and how many of each category.
 */
import { bbox, booleanPointInPolygon } from '@turf/turf';
import { pointCells, pointColumns } from './pointColumns';
export { pointCells, pointColumns } from './pointColumns';

/** One asset: longitude/latitude, its category and name, and where it came from (line or feature). */
export interface AssetPoint {
  readonly lon: number;
  readonly lat: number;
  readonly category: string;
  readonly name: string;
  /** 1-based physical line of a CSV, or feature number of a GeoJSON. */
  readonly row: number;
}

export interface PointCounts {
  /** Categories in order of first appearance. */
  readonly categories: readonly string[];
  /** Per unit id: count per category (only units with at least one point). */
  readonly byUnit: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Points inside no unit (listed, never dropped silently). */
  readonly outside: readonly AssetPoint[];
}

type Unit = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;

/**
 * Count points per unit. `partition`: the units tile the region (tracts), so a point on a shared
 * edge counts once, in the first unit that holds it; otherwise (areas may overlap) a point counts
 * in every unit that holds it.
 *
 * @example
 * countPoints([{ lon: 0.5, lat: 0.5, category: 'library', name: 'Main', row: 2 }], [squareA], (f) => f.properties.GEOID, true)
 * // byUnit: A → { library: 1 }
 */
export function countPoints<F extends Unit>(points: readonly AssetPoint[], units: readonly F[], idOf: (f: F) => string, partition: boolean): PointCounts {
  const boxes = units.map((u) => bbox(u));
  const categories: string[] = [];
  const seen = new Set<string>();
  const byUnit = new Map<string, Map<string, number>>();
  const outside: AssetPoint[] = [];
  for (const p of points) {
    if (!seen.has(p.category)) {
      seen.add(p.category);
      categories.push(p.category);
    }
    let inside = false;
    for (let i = 0; i < units.length; i++) {
      const [w, s, e, n] = boxes[i];
      if (p.lon < w || p.lon > e || p.lat < s || p.lat > n) continue;
      if (!booleanPointInPolygon([p.lon, p.lat], units[i])) continue;
      inside = true;
      const id = idOf(units[i]);
      let m = byUnit.get(id);
      if (!m) byUnit.set(id, (m = new Map()));
      m.set(p.category, (m.get(p.category) ?? 0) + 1);
      if (partition) break;
    }
    if (!inside) outside.push(p);
  }
  return { categories, byUnit, outside };
}

/** Categories in order of first appearance (the order `countPoints` gives them). */
export function pointCategories(points: readonly AssetPoint[]): string[] {
  return [...new Set(points.map((p) => p.category))];
}

/** A layer's counts as the app and the exports name them. */
export interface CountedLayer {
  /** Layer name: the prefix of its columns (`library`, `assets`). */
  readonly name: string;
  /** Categories of the layer, in the order of its columns. */
  readonly categories: readonly string[];
  readonly counts: PointCounts;
}

/**
 * A unit's (tract's or area's) point counts as named fields: `NAME` (all categories) and
 * `NAME_CATEGORY` for each category, 0 where it has none — the same names as the export
 * columns (`pointColumns`), for tables and for rules on them ("no library": `assets_library = 0`).
 *
 * @example
 * unitPointFields([{ name: 'assets', categories: ['library', 'school'], counts }], '17031010100')
 * // { assets: 3, assets_library: 0, assets_school: 3 }
 */
export function unitPointFields(layers: readonly CountedLayer[], unit: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of layers) {
    const cells = pointCells({ ...l.counts, categories: l.categories }, unit);
    pointColumns(l.name, l.categories).forEach((c, i) => (out[c] = cells[i]));
  }
  return out;
}
