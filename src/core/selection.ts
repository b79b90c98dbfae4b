/**
 * A selection of tracts treated as one area: its households, the pooled composition (each income
 * group's households summed over the tracts), the entropy index of that pooled composition and the
 * class it would have (Galster, Booza & Cutsinger 2008, p. 265: H = −Σ pᵢ ln pᵢ / ln k), beside
 * the count of tracts in each class. The pooled H is not the mean of the tracts' H: a selection of
 * a rich and a poor tract, each not diverse, can be highly diverse as one area.
 */
import type { YearAnalysis } from './analyze';
import { DIVERSITY_CLASSES, diversityClass, entropyIndex, type DiversityClass } from './entropy';

export interface SelectionSummary {
  readonly year: number;
  readonly tracts: number;
  readonly households: number;
  /** Households per group summed over the selection, scheme order. */
  readonly groupHouseholds: number[];
  /** groupHouseholds ÷ households (all zero without households). */
  readonly shares: number[];
  /** H of the pooled composition; null without households. */
  readonly entropy: number | null;
  /** The class of the selection as one area (same thresholds and minimum households). */
  readonly pooledClass: DiversityClass;
  /** How many of the selected tracts are in each class. */
  readonly classCounts: Record<DiversityClass, number>;
}

/** Summary of the units at `indices` of one year's analysis (repeated indices count once). */
export function selectionSummary(analysis: YearAnalysis, indices: Iterable<number>): SelectionSummary {
  const g = analysis.groups.length;
  const groupHouseholds = new Array<number>(g).fill(0);
  const classCounts = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, 0])) as Record<DiversityClass, number>;
  let households = 0;
  const seen = new Set<number>();
  for (const u of indices) {
    if (seen.has(u)) continue;
    if (!(u >= 0 && u < analysis.geoids.length)) throw new RangeError(`unit ${u} is not in the ${analysis.year} analysis (${analysis.geoids.length} units)`);
    seen.add(u);
    households += analysis.households[u];
    for (let i = 0; i < g; i++) groupHouseholds[i] += analysis.groupCounts[u * g + i];
    classCounts[analysis.classes[u]]++;
  }
  const entropy = entropyIndex(groupHouseholds, g, 0);
  return {
    year: analysis.year,
    tracts: seen.size,
    households,
    groupHouseholds,
    shares: groupHouseholds.map((c) => (households > 0 ? c / households : 0)),
    entropy,
    pooledClass: diversityClass(entropy, households, analysis.minHouseholds),
    classCounts,
  };
}
