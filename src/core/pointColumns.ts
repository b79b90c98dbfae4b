/** Names and cells of point-count columns (`NAME`, `NAME_<category>`), apart from the geometry of points.ts. */
import type { PointCounts } from './points';

/** Column names for a layer's counts: `NAME` (all categories) and `NAME_CATEGORY` for each. */
export function pointColumns(layer: string, categories: readonly string[]): string[] {
  return [layer, ...categories.map((c) => `${layer}_${c}`)];
}

/** A unit's counts in the order of `pointColumns` (zeros where it has none). */
export function pointCells(counts: PointCounts, unit: string): number[] {
  const m = counts.byUnit.get(unit);
  const per = counts.categories.map((c) => m?.get(c) ?? 0);
  return [per.reduce((a, b) => a + b, 0), ...per];
}
