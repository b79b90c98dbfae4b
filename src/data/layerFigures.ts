/**
 * The app's figures for the user's layers (issue 12), composed from the core: area weights under
 * the chosen rule (or the centroid rule from representative points when the tracts are vector
 * tiles), the areas' pooled analysis, and point counts per tract and per area. No DOM, no map.
 */
import type { AnalysisOptions, IncomeSnapshot, YearAnalysis } from '../core/analyze';
import { analyzeAreas, areaMembers, areaWeights, areaWeightsFromPoints, type AreaAnalysis, type AreaRule, type AreaWeight } from '../core/areas';
import { countPoints } from '../core/points';
import type { BoundaryFeature } from './boundaries';
import type { TiledTract } from './bundle';
import type { LoadedAreaLayer, LoadedPointLayer } from './layerFiles';
import type { AreaCounts, LayerCounts } from './layerExport';

/** Why a tiled bundle's areas use the centroid rule (said in the panel, the Layers box and method.json). */
export const TILED_RULE_NOTE =
  'The tract boundaries of this bundle are vector tiles: the app has no tract polygons to apportion by share, so each tract counts whole in the area that holds its representative point (a point inside the tract, from tracts-*.csv).';

export interface AreaSetup extends AreaCounts {
  readonly members: ReadonlyMap<string, readonly { tract: string; weight: number }[]>;
  /** Areas that hold no tract (under the rule). */
  readonly empty: readonly string[];
}

/**
 * Weigh the tracts into the areas: the rule asked for when there are tract polygons; the centroid
 * rule from each tract's representative point when there are only tiles (with `ruleNote` saying so).
 */
export function setupAreas(areas: LoadedAreaLayer, rule: AreaRule, tracts: { polygons: readonly BoundaryFeature[] } | { points: readonly TiledTract[] }): AreaSetup {
  const features = areas.layer.features;
  const names = features.map((f) => f.properties.name);
  let weights: AreaWeight[];
  let used: AreaRule = rule;
  let ruleNote: string | undefined;
  if ('polygons' in tracts) weights = areaWeights(tracts.polygons, features, rule);
  else {
    weights = areaWeightsFromPoints(tracts.points.map((t) => ({ geoid: t.geoid, lon: t.lon, lat: t.lat })), features);
    used = 'centroid';
    ruleNote = TILED_RULE_NOTE;
  }
  const members = areaMembers(weights);
  return { layer: areas.layer, rule: used, weights, names, members, empty: names.filter((n) => !members.has(n)), ...(ruleNote ? { ruleNote } : {}) };
}

/** One year's figures for the areas: the tracts' counts pooled with the weights, analysed by the core. */
export function areaYear(setup: AreaSetup, tractSnapshot: IncomeSnapshot, options: AnalysisOptions, tractAnalysis: YearAnalysis): AreaAnalysis {
  return analyzeAreas(tractSnapshot, setup.weights, setup.names, options, tractAnalysis);
}

/**
 * Each point layer counted per tract (when the tracts are polygons; tiles give null: a point's
 * tract is not known without its polygon) and per area (areas may overlap: a point counts in each).
 */
export function countLayers(points: readonly LoadedPointLayer[], tracts: readonly BoundaryFeature[] | null, areas: LoadedAreaLayer | null): LayerCounts[] {
  return points.map((p) => ({
    name: p.name,
    layer: p.layer,
    rejectedBefore: p.rejectedBefore,
    tracts: tracts ? countPoints(p.layer.points, tracts, (f) => f.properties.GEOID, true) : null,
    areas: areas ? countPoints(p.layer.points, areas.layer.features, (f) => f.properties.name, false) : null,
  }));
}
