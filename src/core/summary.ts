/**
 * Region summary: Galster, Booza & Cutsinger's (2008, pp. 266–272) region-level measures of
 * income diversity, computed from one year's analysis.
 *
 * "VLI" is the lowest group of the scheme (very low income ≤ 50% AMI in the AMI scheme;
 * quintile 1 in the quintile scheme). A "poor tract" has a median below 50% of AMI.
 */
import type { YearAnalysis } from './analyze';
import { DIVERSITY_CLASSES, type DiversityClass } from './entropy';

/** Tract median below this share of AMI makes a poor tract (Galster et al. 2008). */
export const POOR_TRACT_MEDIAN_SHARE_OF_AMI = 0.5;

export interface RegionSummary {
  readonly ami: number;
  readonly amiKind: string;
  readonly amiSource: string;
  readonly year: number;
  readonly households: number;
  readonly tracts: number;
  readonly classCounts: Record<DiversityClass, number>;
  /** Share of all tracts (including insufficient) in each class; sums to 1. */
  readonly classShares: Record<DiversityClass, number>;
  /** VLI households ÷ all households, within High-diversity tracts. */
  readonly vliShareInHigh: number | null;
  /** VLI households in High-diversity tracts ÷ all VLI households of the region. */
  readonly vliLivingInHigh: number | null;
  /** VLI households in poor tracts (median < 50% AMI) ÷ all VLI households. */
  readonly vliInPoorTracts: number | null;
  /** Tracts with median < 50% AMI. */
  readonly poorTracts: number;
  /** Poor tracts that are High-diversity. */
  readonly poorTractsHigh: number;
}

function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function regionSummary(analysis: YearAnalysis): RegionSummary {
  const n = analysis.geoids.length;
  const g = analysis.groups.length;
  const classCounts = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, 0])) as Record<DiversityClass, number>;
  let households = 0;
  let vliAll = 0;
  let vliHigh = 0;
  let hhHigh = 0;
  let vliPoor = 0;
  let poorTracts = 0;
  let poorTractsHigh = 0;
  const poorLine = POOR_TRACT_MEDIAN_SHARE_OF_AMI * analysis.ami.dollars;
  for (let u = 0; u < n; u++) {
    const cls = analysis.classes[u];
    classCounts[cls]++;
    const hh = analysis.households[u];
    const vli = analysis.groupCounts[u * g];
    households += hh;
    vliAll += vli;
    if (cls === 'high') {
      vliHigh += vli;
      hhHigh += hh;
    }
    if (analysis.medianIncome[u] < poorLine) {
      poorTracts++;
      vliPoor += vli;
      if (cls === 'high') poorTractsHigh++;
    }
  }
  const classShares = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, n > 0 ? classCounts[c] / n : 0])) as Record<
    DiversityClass,
    number
  >;
  return {
    ami: analysis.ami.dollars,
    amiKind: analysis.ami.kind,
    amiSource: analysis.ami.source,
    year: analysis.year,
    households,
    tracts: n,
    classCounts,
    classShares,
    vliShareInHigh: ratio(vliHigh, hhHigh),
    vliLivingInHigh: ratio(vliHigh, vliAll),
    vliInPoorTracts: ratio(vliPoor, vliAll),
    poorTracts,
    poorTractsHigh,
  };
}
