/**
 * The shapes of the user's layers as counted (issue 12), shared by the exports, the tables and the
 * panels; no code beyond the column order, so that reading them loads no parser or geometry.
 */
import type { AreaWeight } from '../core/areas';
import { AREA_RULE_WORDS, type AreaRule } from '../core/areaRules';
import type { PointCounts } from '../core/points';
import type { AreaLayer } from './boundaries';
import type { PointLayer } from './points';

/** A point layer and its counts per tract (null: no tract polygons, e.g. a tiled bundle) and per area. */
export interface LayerCounts {
  readonly name: string;
  readonly layer: PointLayer;
  readonly tracts: PointCounts | null;
  readonly areas: PointCounts | null;
  /** Rows the original file had that could not be used, when the layer came through a bundle. */
  readonly rejectedBefore?: number;
}

/** The area layer with its rule and weights. */
export interface AreaCounts {
  readonly layer: AreaLayer;
  readonly rule: AreaRule;
  readonly weights: readonly AreaWeight[];
  readonly names: readonly string[];
  /** Why the rule is not the one asked for (tiled bundles: centroid from representative points). */
  readonly ruleNote?: string;
}

/** The categories a layer's columns follow: the tract counts' order, so tract and area exports line up. */
export function layerCategories(p: LayerCounts): readonly string[] {
  return (p.tracts ?? p.areas)?.categories ?? [...new Set(p.layer.points.map((x) => x.category))];
}

/** What method.json records about the layers: files, name field, rule, counts, rejected rows. */
export function layerParameters(areas: AreaCounts | null, points: readonly LayerCounts[]) {
  return {
    ...(areas
      ? {
          areas: {
            file: areas.layer.file,
            nameField: areas.layer.nameProperty,
            rule: areas.rule,
            ruleDescription: AREA_RULE_WORDS[areas.rule],
            ...(areas.ruleNote ? { ruleNote: areas.ruleNote } : {}),
            areas: areas.names.length,
            featuresRejected: areas.layer.rejected.length,
            tractsCounted: new Set(areas.weights.map((w) => w.source)).size,
          },
        }
      : {}),
    ...(points.length
      ? {
          points: points.map((p) => ({
            name: p.name,
            file: p.layer.file,
            fields: p.layer.fields,
            rowsRead: p.layer.rowsRead + (p.rejectedBefore ?? 0),
            usable: p.layer.points.length,
            rejected: p.layer.rejected.length + (p.rejectedBefore ?? 0),
            ...(p.tracts ? { outsideEveryTract: p.tracts.outside.length } : { outsideEveryTract: null, note: 'not counted per tract: the tract boundaries are vector tiles (no polygons in the app)' }),
            categories: layerCategories(p),
          })),
        }
      : {}),
  };
}
