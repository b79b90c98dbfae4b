/**
 * The user's own areas (neighbourhoods, community areas, districts) analysed like tracts: each
 * area gets the pooled bracket counts of its tracts — Σ weight × tract counts — and from them its
 * groups, H, class and median, computed by `analyzeSnapshot` on the pooled counts. Tract values
 * are never averaged: H of a pooled population is not the mean of its parts' H (Galster, Booza &
 * Cutsinger 2008 compute H from each unit's own group counts).
 *
 * Weights (METHOD.md §5 areal interpolation, applied to user areas):
 * - `share`: weight(tract → area) = area(tract ∩ area) / area(tract), households assumed spread
 *   evenly over the tract (the default);
 * - `centroid`: weight 1 when the tract's centroid lies in the area, else 0 (a tract counts
 *   whole, or not at all).
 * Areas may overlap (a district and a zone inside it): each gets its own full share.
 */
import { bbox, bboxClip, booleanPointInPolygon, centerOfMass } from '@turf/turf';
import { analyzeSnapshot, type AnalysisOptions, type IncomeSnapshot, type YearAnalysis } from './analyze';
import { areaCrosswalk, moveCounts, type CrosswalkRow } from './crosswalk';
import { changeAnalysis, type ChangeAnalysis, type ChangeThresholds } from './change';

export { AREA_RULES, AREA_RULE_WORDS, type AreaRule } from './areaRules';
import type { AreaRule } from './areaRules';

type Polygonal = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string }>;

/** One area: its name (unique within the layer) and its polygon(s), longitude/latitude. */
export type AreaFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>;

/** How much of a tract an area counts. `source` is the tract GEOID, `target` the area name. */
export type AreaWeight = CrosswalkRow;

/**
 * Weights of every tract in every area under a rule. Pure. Rows with weight 0 are left out.
 *
 * @example
 * areaWeights(tracts, [{ type: 'Feature', properties: { name: 'Loop' }, geometry }], 'centroid')
 * // [{ source: '17031320100', target: 'Loop', weight: 1 }, …]
 */
export function areaWeights(tracts: readonly Polygonal[], areas: readonly AreaFeature[], rule: AreaRule = 'share'): AreaWeight[] {
  const tractBoxes = tracts.map((t) => bbox(t));
  const rows: AreaWeight[] = [];
  const centroids = rule === 'centroid' ? tracts.map((t) => centerOfMass(t)) : null;
  for (const a of areas) {
    const [w, s, e, n] = bbox(a);
    const candidates = tracts.filter((_, i) => {
      const [tw, ts, te, tn] = tractBoxes[i];
      return !(tw > e || te < w || ts > n || tn < s);
    });
    if (rule === 'centroid') {
      tracts.forEach((t, i) => {
        const [tw, ts, te, tn] = tractBoxes[i];
        if (tw > e || te < w || ts > n || tn < s) return;
        if (booleanPointInPolygon(centroids![i], a)) rows.push({ source: t.properties.GEOID, target: a.properties.name, weight: 1 });
      });
    } else {
      // One area and one tract at a time: areaCrosswalk rescales a source's weights only when they
      // add up to more than 1, which for a single target never happens — overlapping areas keep
      // full shares. The area is first clipped to the tract's box: a neighbourhood of hundreds of
      // tracts is one large polygon, and intersecting it whole with each tract is slow.
      for (const t of candidates) {
        const clipped = bboxClip(a, bbox(t)).geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon;
        // Clipping can leave rings of fewer than 4 positions (an edge along the box): drop them.
        const polygons = (clipped.type === 'Polygon' ? [clipped.coordinates] : clipped.coordinates)
          .map((rings) => rings.filter((r) => r.length >= 4))
          .filter((rings) => rings.length > 0);
        if (polygons.length === 0) continue;
        const target: Polygonal = { type: 'Feature', properties: { GEOID: a.properties.name }, geometry: { type: 'MultiPolygon', coordinates: polygons } };
        rows.push(...areaCrosswalk([t], [target]));
      }
    }
  }
  return rows;
}

/**
 * Centroid-rule weights when only a point per tract is known (tiled bundles carry each tract's
 * representative point, not its polygon): weight 1 when the tract's point lies in the area. The
 * point is a point inside the tract (not its centre of mass), so a tract on an area's edge may
 * fall on the other side of it than under `areaWeights(…, 'centroid')`. Pure.
 *
 * @example
 * areaWeightsFromPoints([{ geoid: '17031320100', lon: -87.63, lat: 41.88 }], loopAreas)
 * // [{ source: '17031320100', target: 'Loop', weight: 1 }]
 */
export function areaWeightsFromPoints(points: readonly { geoid: string; lon: number; lat: number }[], areas: readonly AreaFeature[]): AreaWeight[] {
  const rows: AreaWeight[] = [];
  for (const a of areas) {
    const [w, s, e, n] = bbox(a);
    for (const p of points) {
      if (p.lon < w || p.lon > e || p.lat < s || p.lat > n) continue;
      if (booleanPointInPolygon([p.lon, p.lat], a)) rows.push({ source: p.geoid, target: a.properties.name, weight: 1 });
    }
  }
  return rows;
}

/** The tracts an area counts and how much of each (weight 1 = whole tract), largest first. */
export function areaMembers(weights: readonly AreaWeight[]): Map<string, { tract: string; weight: number }[]> {
  const out = new Map<string, { tract: string; weight: number }[]>();
  for (const r of weights) {
    let list = out.get(r.target);
    if (!list) out.set(r.target, (list = []));
    list.push({ tract: r.source, weight: r.weight });
  }
  for (const list of out.values()) list.sort((a, b) => b.weight - a.weight || a.tract.localeCompare(b.tract));
  return out;
}

export interface AreaAnalysis {
  /** Pooled bracket counts per area (`geoids` are the area names, in the order given). */
  readonly snapshot: IncomeSnapshot;
  readonly analysis: YearAnalysis;
  /** Tracts of the weights that have no data in the snapshot (their households are not counted). */
  readonly missingTracts: readonly string[];
}

/**
 * Pool a tract snapshot into areas and analyse them. The AMI is the region's, resolved on the
 * tracts (`tractAnalysis.ami`): an area is measured against its region, not against itself.
 * MOEs pool as √Σ (w·MOE)² (ACS General Handbook 2018, ch. 8).
 */
export function analyzeAreas(
  snapshot: IncomeSnapshot,
  weights: readonly AreaWeight[],
  areaNames: readonly string[],
  options: AnalysisOptions,
  tractAnalysis: YearAnalysis,
): AreaAnalysis {
  const moved = moveCounts(snapshot, weights, areaNames);
  const analysis = analyzeSnapshot(moved.snapshot, { ...options, resolvedAmi: tractAnalysis.ami });
  return { snapshot: moved.snapshot, analysis, missingTracts: moved.missingSources };
}

/**
 * Change between two years for areas: both years' tract counts (already on one tract geography,
 * see prepareYearPair) pooled with the same weights, each year against its own region AMI, then
 * the change core as for tracts.
 */
export function areaChange(
  from: { analysis: YearAnalysis; snapshot: IncomeSnapshot },
  to: { analysis: YearAnalysis; snapshot: IncomeSnapshot },
  weights: readonly AreaWeight[],
  areaNames: readonly string[],
  options: AnalysisOptions,
  thresholds: Partial<ChangeThresholds> = {},
): ChangeAnalysis & { readonly areas: readonly [AreaAnalysis, AreaAnalysis] } {
  const a0 = analyzeAreas(from.snapshot, weights, areaNames, options, from.analysis);
  const a1 = analyzeAreas(to.snapshot, weights, areaNames, options, to.analysis);
  const change = changeAnalysis(a0, a1, thresholds);
  return { ...change, areas: [a0, a1] };
}
