/**
 * The demo's own layers (issue 12): Riverbend's named neighbourhoods and a point layer of
 * community assets, made from the generated tracts and the planted patterns, seeded, so the same
 * seed gives the same files.
 *
 * - Neighbourhoods: each planted zone (truth.csv) as one area, the union of its 2010 tracts —
 *   the stable mixed-income zone has two separate parts, each its own neighbourhood — and
 *   "Downtown", a 1.6 km circle that cuts through tracts, so the share rule counts parts of tracts.
 * - Assets (`assets.csv`, as a user would have it): libraries, schools, parks and clinics placed
 *   at random inside tracts. Southgate (a stable mixed-income neighbourhood) gets no library, so
 *   "High diversity and no library" finds something; three rows are bad on purpose (a missing
 *   latitude, a latitude out of range, a point in the river, outside every tract) so the app's
 *   accounting of unusable rows can be seen on the demo.
 */
import { bbox, booleanPointInPolygon, centerOfMass, circle, featureCollection, union } from '@turf/turf';
import { mulberry32 } from '../../src/core/random';
import { toCsv } from '../../src/data/export';
import type { DemoRegion, TractFeature } from './generate';

type AreaFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>;

/** Planted zone → neighbourhood name(s), largest part first. Names are made up. */
const ZONE_NAMES: readonly { pattern: string; names: readonly string[] }[] = [
  { pattern: 'stable_mixed', names: ['Elm Park', 'Southgate'] },
  { pattern: 'income_upgrading', names: ['Mill District'] },
  { pattern: 'transitional', names: ['Foundry Row'] },
  { pattern: 'poverty', names: ['Lowfield'] },
  { pattern: 'affluent', names: ['Ridgeview'] },
];

/** Assets per category, and the neighbourhoods a category leaves out. */
const ASSETS: readonly { category: string; count: number; label: string; avoid?: readonly string[] }[] = [
  { category: 'library', count: 14, label: 'Library', avoid: ['Southgate'] },
  { category: 'school', count: 40, label: 'School' },
  { category: 'park', count: 26, label: 'Park' },
  { category: 'clinic', count: 12, label: 'Clinic' },
];

const polygonsOf = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Polygon[] =>
  g.type === 'Polygon' ? [g] : g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));

/** Planar ring area in square degrees (enough to order the parts of a zone). */
function ringArea(ring: readonly GeoJSON.Position[]): number {
  let s = 0;
  for (let i = 1; i < ring.length; i++) s += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return Math.abs(s / 2);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function demoNeighbourhoods(demo: DemoRegion): AreaFeature[] {
  const tracts = demo.boundaries2010;
  const areas: AreaFeature[] = [];
  for (const { pattern, names } of ZONE_NAMES) {
    const ids = new Set(demo.truth.filter((t) => t.planted === pattern).map((t) => t.GEOID));
    const merged = union(featureCollection(tracts.filter((f) => ids.has(f.properties.GEOID))));
    if (!merged) throw new Error(`no tracts planted as ${pattern}`);
    // Parts that touch only at a corner come out as separate polygons: keep the largest ones.
    const parts = polygonsOf(merged.geometry).sort((a, b) => ringArea(b.coordinates[0]) - ringArea(a.coordinates[0]));
    if (parts.length < names.length) throw new Error(`${pattern} has ${parts.length} parts, expected ${names.length}`);
    if (names.length === 1) areas.push({ type: 'Feature', properties: { name: names[0] }, geometry: merged.geometry });
    else {
      // Each part keeps the tracts nearest to it: the small corner pieces join the part they touch.
      const anchors = parts.slice(0, names.length);
      const byPart: GeoJSON.Polygon[][] = anchors.map(() => []);
      for (const p of parts) {
        const c = centerOfMass(p).geometry.coordinates;
        const d = anchors.map((a) => {
          const ca = centerOfMass(a).geometry.coordinates;
          return Math.hypot(c[0] - ca[0], c[1] - ca[1]);
        });
        byPart[d.indexOf(Math.min(...d))].push(p);
      }
      byPart.forEach((ps, i) =>
        areas.push({ type: 'Feature', properties: { name: names[i] }, geometry: ps.length === 1 ? ps[0] : { type: 'MultiPolygon', coordinates: ps.map((p) => p.coordinates) } }),
      );
    }
  }
  // Downtown: a circle around the centre of the upgrading corridor's west end, cutting tracts.
  const corridor = areas.find((a) => a.properties.name === 'Mill District')!;
  const [w, , , n] = bbox(corridor);
  const [, s] = bbox(corridor);
  const centre: [number, number] = [w - 0.012, (s + n) / 2];
  const downtown = circle(centre, 1.6, { steps: 48, units: 'kilometers' });
  areas.push({ type: 'Feature', properties: { name: 'Downtown' }, geometry: { type: 'Polygon', coordinates: downtown.geometry.coordinates.map((r) => r.map(([x, y]) => [round6(x), round6(y)])) } });
  return areas;
}

/** A seeded point inside a tract (rejection sampling in its bounding box). */
function pointIn(tract: TractFeature, next: () => number): [number, number] {
  const [w, s, e, n] = bbox(tract);
  for (let i = 0; i < 1000; i++) {
    const p: [number, number] = [round6(w + (e - w) * next()), round6(s + (n - s) * next())];
    if (booleanPointInPolygon(p, tract)) return p;
  }
  throw new Error(`no point found inside tract ${tract.properties.GEOID}`);
}

/** The demo's asset file as a user would have it: name,category,latitude,longitude (with 3 bad rows). */
export function demoAssetsCsv(demo: DemoRegion, neighbourhoods: readonly AreaFeature[], seed: number): string {
  const next = mulberry32((seed ^ 0x5eed0012) >>> 0);
  // Tracts with no households to speak of (parks, industry) still get parks; the rest get anything.
  const tracts = demo.boundaries2010;
  const rows: string[][] = [];
  for (const asset of ASSETS) {
    const avoid = neighbourhoods.filter((a) => asset.avoid?.includes(a.properties.name));
    const allowed = tracts.filter((t) => !avoid.some((a) => booleanPointInPolygon(centerOfMass(t), a)));
    for (let k = 1; k <= asset.count; k++) {
      let point: [number, number] | null = null;
      while (!point) {
        const t = allowed[Math.floor(next() * allowed.length)];
        const p = pointIn(t, next);
        if (!avoid.some((a) => booleanPointInPolygon(p, a))) point = p;
      }
      rows.push([`${asset.label} ${k}`, asset.category, String(point[1]), String(point[0])]);
    }
  }
  // Bad rows on purpose: the app and the CLI must count and list them, not drop them.
  const river = demo.riverCenterline.geometry.coordinates[Math.floor(demo.riverCenterline.geometry.coordinates.length / 2)];
  rows.push(['Boat club (in the river)', 'park', String(round6(river[1])), String(round6(river[0]))]);
  rows.push(['Library (no latitude)', 'library', '', String(round6(river[0]))]);
  rows.push(['School (latitude typed as 407.1)', 'school', '407.1', String(round6(river[0]))]);
  return toCsv(['name', 'category', 'latitude', 'longitude'], rows);
}
