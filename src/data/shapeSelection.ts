/**
 * Which tracts a drawn box or polygon selects. The rule for tracts the shape covers only in part:
 * a tract is selected when its representative point lies inside the shape — turf's pointOnFeature:
 * the centre of the tract's bounding box when that lies inside the tract, else the tract's vertex
 * nearest to it (a crescent, a tract with a hole). Tiled bundles store the same point for each
 * tract in their tract list (vectorTiles.ts), so the rule is the same without polygons in memory.
 * Each tract is in or out as a whole, so counts and pooled figures never split a tract.
 */
import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';

interface TractFeature {
  readonly type: 'Feature';
  readonly geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  readonly properties: { readonly GEOID: string };
}

/** The representative point of each tract ([lng, lat]), computed once per boundary set. */
export function representativePoints(features: readonly TractFeature[]): Map<string, [number, number]> {
  return new Map(features.map((f) => [f.properties.GEOID, pointOnFeature(f as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>).geometry.coordinates as [number, number]]));
}

/** GEOIDs of the tracts whose representative point lies inside `shape`, in the order of `points`. */
export function tractsInShape(points: ReadonlyMap<string, [number, number]>, shape: GeoJSON.Polygon): string[] {
  const out: string[] = [];
  for (const [geoid, p] of points) if (booleanPointInPolygon(p, shape)) out.push(geoid);
  return out;
}
