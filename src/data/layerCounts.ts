/**
 * The shapes of the user's layers as counted (issue 12), shared by the exports, the tables and the
 * panels; no code beyond the column order, so that reading them loads no parser or geometry.
 */
import type { AreaRule, AreaWeight } from '../core/areas';
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

