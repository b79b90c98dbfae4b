/**
 * One year of a region: bracket counts → income groups → entropy index → diversity class.
 */
import type { BracketSet } from './brackets';
import { describeScheme, schemeCutsDollars, schemeGroups, type BandScheme, type IncomeGroup } from './bands';
import { resolveAmi, type Ami, type AmiSpec } from './ami';
import { applyRebin, medianIncome, planRebin } from './rebin';
import { DEFAULT_MIN_HOUSEHOLDS, diversityClass, entropyIndex, type DiversityClass } from './entropy';

/** Bracket counts of every unit of a region for one year (unit-major, `units × k`). */
export interface IncomeSnapshot {
  /** Data year as people name it (2000 for Census 2000, 2018 for ACS 2014–18). */
  readonly year: number;
  /** Whose dollars the brackets are in (1999 for Census 2000). */
  readonly incomeYear: number;
  readonly set: BracketSet;
  /** What is counted: households (B19001, P052, P080) or families (B19101). */
  readonly universe: 'households' | 'families';
  readonly geoids: readonly string[];
  readonly counts: Float64Array;
  /** Published median income per unit (B19013 etc.), null where missing. */
  readonly publishedMedians: readonly (number | null)[];
  /** 90% margins of error of the bracket counts (`units × k`, NaN where unknown), when the data have them. */
  readonly moe?: Float64Array | null;
  /** 90% margin of error of each unit's total, NaN where unknown. */
  readonly totalMoe?: Float64Array | null;
}

export interface AnalysisOptions {
  readonly scheme: BandScheme;
  readonly ami: AmiSpec;
  readonly minHouseholds?: number;
  /**
   * An AMI already resolved for this year (e.g. on the year's own vintage before its counts were
   * moved to another), used instead of resolving `ami` again.
   */
  readonly resolvedAmi?: Ami;
}

/** The method's parameters and every unit's figures for one year (columnar). */
export interface YearAnalysis {
  readonly year: number;
  readonly incomeYear: number;
  readonly scheme: BandScheme;
  readonly schemeDescription: string;
  readonly groups: readonly IncomeGroup[];
  readonly ami: Ami;
  readonly cutsDollars: readonly number[];
  readonly minHouseholds: number;
  readonly geoids: readonly string[];
  readonly households: Float64Array;
  /** Households per group, unit-major (`units × groups.length`). */
  readonly groupCounts: Float64Array;
  /** H per unit; NaN where there are no households. */
  readonly entropy: Float64Array;
  readonly classes: DiversityClass[];
  /** Median income interpolated from the brackets; NaN where there are no households. */
  readonly medianIncome: Float64Array;
  /**
   * The bracket counts (and MOEs, published medians) every figure above was computed from: the
   * snapshot itself, not a copy. Exports write them so that the figures can be recomputed.
   */
  readonly snapshot: IncomeSnapshot;
}

/** Analyse one year of a region. Pure: the snapshot is not modified. */
export function analyzeSnapshot(snapshot: IncomeSnapshot, options: AnalysisOptions): YearAnalysis {
  const { set, counts, geoids } = snapshot;
  const k = set.lowerEdges.length;
  const n = geoids.length;
  if (counts.length !== n * k) {
    throw new RangeError(`snapshot holds ${counts.length} counts; ${n} units × ${k} brackets expected`);
  }
  const minHouseholds = options.minHouseholds ?? DEFAULT_MIN_HOUSEHOLDS;
  const ami = options.resolvedAmi ?? resolveAmi(options.ami, set, counts, n, snapshot.publishedMedians);
  const cutsDollars = schemeCutsDollars(options.scheme, ami.dollars, snapshot.incomeYear);
  const groups = schemeGroups(options.scheme);
  const g = groups.length;
  const plan = planRebin(set, cutsDollars);

  const households = new Float64Array(n);
  const groupCounts = new Float64Array(n * g);
  const entropy = new Float64Array(n);
  const medians = new Float64Array(n);
  const classes = new Array<DiversityClass>(n);
  for (let u = 0; u < n; u++) {
    const total = applyRebin(plan, counts, u * k, groupCounts, u * g);
    households[u] = total;
    const h = entropyIndex(groupCounts, g, u * g);
    entropy[u] = h ?? NaN;
    classes[u] = diversityClass(h, total, minHouseholds);
    medians[u] = medianIncome(counts, set, u * k) ?? NaN;
  }
  return {
    year: snapshot.year,
    incomeYear: snapshot.incomeYear,
    scheme: options.scheme,
    schemeDescription: describeScheme(options.scheme),
    groups,
    ami,
    cutsDollars,
    minHouseholds,
    geoids,
    households,
    groupCounts,
    entropy,
    classes,
    medianIncome: medians,
    snapshot,
  };
}

/** Shares of each group for unit `u` (all zero when the unit has no households). */
export function groupShares(analysis: YearAnalysis, u: number): number[] {
  const g = analysis.groups.length;
  const total = analysis.households[u];
  const out = new Array<number>(g);
  for (let i = 0; i < g; i++) out[i] = total > 0 ? analysis.groupCounts[u * g + i] / total : 0;
  return out;
}
