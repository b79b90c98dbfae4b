/**
 * Change across years on one geography (METHOD.md §5–6): change figures per tract and the
 * income-only flags — stable mixed-income (naturally occurring), income upgrading
 * (gentrification signal), transitional mix — each with its criteria as a checklist and every
 * threshold adjustable.
 *
 * - Stable mixed-income: class High (lenient: Moderate or better) in both years, the share of
 *   households below 80% AMI not down by more than 5 points, not income upgrading, and enough
 *   households in both years.
 * - Income upgrading (Pew Charitable Trusts, "Philadelphia's Changing Neighborhoods", 2016 style):
 *   eligible when the tract median is below 80% of AMI at t0; flagged when real median income grew
 *   by ≥ 10% and faster than the region's, and the share below 80% AMI fell (option, as UDP adds:
 *   an absolute loss of those households).
 * - Transitional mix: Moderate or High diversity at t1 while eligible and upgrading — mixed now,
 *   on the way up.
 * With margins of error, a fall of the low-income share is only called when significant at 90%:
 * |Δ| / √(SE₀² + SE₁²) > 1.645, SE = MOE / 1.645 (METHOD §6; ACS General Handbook 2018, ch. 8).
 */
import type { YearAnalysis, IncomeSnapshot } from './analyze';
import { surveyOfYear } from './brackets';
import { priceFactor, CPI_U_ANNUAL, type PriceIndex } from './cpi';
import { planRebin } from './rebin';
import { medianOf } from './ami';
import type { DiversityClass } from './entropy';

export interface ChangeThresholds {
  /** Stable mixed-income needs High in both years, or (lenient) Moderate or better. */
  readonly stableClass: 'high' | 'moderate-or-better';
  /** Largest allowed fall of the share below 80% AMI for stable mixed-income (share points). */
  readonly maxLowIncomeShareDrop: number;
  /** Eligible for upgrading when the t0 median is below this share of AMI. */
  readonly eligibleMedianShareOfAmi: number;
  /** Minimum real growth of the tract median for upgrading. */
  readonly minRealGrowth: number;
  /** What "faster than the region" compares with: the AMI's real growth or the median tract's. */
  readonly regionGrowth: 'ami' | 'tract-median';
  /** UDP's addition: require an absolute loss of households below 80% AMI. */
  readonly requireLowIncomeLoss: boolean;
  /** Low-income share: households below this share of each year's AMI. */
  readonly lowIncomeShareOfAmi: number;
  /** z for significance at 90% (two-sided). */
  readonly z: number;
  /** Boundary changed when the largest source weight is below this. */
  readonly boundaryChangedWeight: number;
  /** Give no flag to tracts whose boundary changed. */
  readonly excludeBoundaryChanged: boolean;
  readonly priceIndex?: PriceIndex;
}

export const DEFAULT_CHANGE_THRESHOLDS: ChangeThresholds = {
  stableClass: 'high',
  maxLowIncomeShareDrop: 0.05,
  eligibleMedianShareOfAmi: 0.8,
  minRealGrowth: 0.1,
  regionGrowth: 'ami',
  requireLowIncomeLoss: false,
  lowIncomeShareOfAmi: 0.8,
  z: 1.645,
  boundaryChangedWeight: 0.95,
  excludeBoundaryChanged: false,
};

/** Criterion ids (CSV column names); documented in the README. */
export const CRITERIA = {
  sm_class_all_years: 'stable mixed: High diversity (or Moderate+, lenient) in both years',
  sm_low_income_share_kept: 'stable mixed: share below 80% AMI not down by more than the allowed points (significant drops only, with MOEs)',
  sm_not_upgrading: 'stable mixed: not income upgrading',
  sm_enough_households: 'stable mixed: at least the minimum households in both years',
  iu_eligible_low_median: 'income upgrading: tract median below 80% of AMI at the first year',
  iu_real_growth: 'income upgrading: real median income growth at least 10%',
  iu_faster_than_region: "income upgrading: real median growth faster than the region's",
  iu_low_income_share_fell: 'income upgrading: share below 80% AMI fell (significantly, with MOEs)',
  iu_low_income_loss: 'income upgrading: fewer households below 80% AMI in absolute numbers (required only with the UDP option)',
  iu_enough_households: 'income upgrading: at least the minimum households in both years',
  tr_mixed_now: 'transitional: Moderate or High diversity at the second year',
  tr_upgrading: 'transitional: income upgrading',
  boundary_unchanged: 'boundary kept (largest source weight at least 0.95), required only when boundary-changed tracts are excluded',
} as const;
export type CriterionId = keyof typeof CRITERIA;

export type FlagId = 'stable_mixed' | 'income_upgrading' | 'transitional';

export interface TractChange {
  readonly geoid: string;
  readonly index0: number;
  readonly index1: number;
  readonly households: [number, number];
  readonly entropy: [number, number];
  readonly classes: [DiversityClass, DiversityClass];
  /** Median ÷ AMI in each year. */
  readonly medianAmi: [number, number];
  readonly deltaEntropy: number;
  /** Change of each group's share (t1 − t0), scheme order. */
  readonly deltaShares: number[];
  readonly lowIncomeShare: [number, number];
  readonly lowIncomeHouseholds: [number, number];
  readonly realMedianGrowth: number;
  readonly boundaryChanged: boolean;
  readonly criteria: Record<CriterionId, boolean>;
  readonly flags: Record<FlagId, boolean>;
  /** Changes the data show but that were not called, because they were not significant. */
  readonly notCalled: string[];
}

export interface ChangeAnalysis {
  readonly from: YearAnalysis;
  readonly to: YearAnalysis;
  readonly thresholds: ChangeThresholds;
  readonly tracts: TractChange[];
  /** Real growth of the AMI between the income years. */
  readonly realAmiGrowth: number;
  /** The growth a tract must beat ("faster than the region"). */
  readonly regionGrowth: number;
  /** CPI factor from the t0 income year's dollars to t1's. */
  readonly priceFactor: number;
  readonly warnings: string[];
  readonly flagCounts: Record<FlagId, number>;
}

/** ACS 5-year periods ending in y0 and y1 overlap when they are less than 5 years apart. */
export function overlappingPeriods(y0: number, y1: number): string | null {
  if (surveyOfYear(y0) !== 'acs' || surveyOfYear(y1) !== 'acs') return null;
  const gap = Math.abs(y1 - y0);
  if (gap >= 5) return null;
  const [a, b] = y0 < y1 ? [y0, y1] : [y1, y0];
  return `ACS 5-year periods ${a - 4}–${a} and ${b - 4}–${b} overlap by ${5 - gap} year${5 - gap > 1 ? 's' : ''}: they share survey responses, so changes between them are damped and not independent. Compare periods at least 5 years apart.`;
}

/** Households below a share of AMI, and its 90% MOE when the snapshot has MOEs. */
function lowIncome(snapshot: IncomeSnapshot, analysis: YearAnalysis, u: number, shareOfAmi: number): { count: number; moe: number } {
  const k = snapshot.set.lowerEdges.length;
  const plan = planRebin(snapshot.set, [shareOfAmi * analysis.ami.dollars]);
  const cut = plan.cuts[0];
  let count = 0;
  let moe2 = 0;
  for (let i = 0; i < k; i++) {
    const w = i < cut.bracket ? 1 : i === cut.bracket ? (Number.isNaN(cut.fraction) ? 0 : cut.fraction) : 0;
    if (w === 0) continue;
    count += w * snapshot.counts[u * k + i];
    if (snapshot.moe) moe2 += (w * snapshot.moe[u * k + i]) ** 2;
  }
  return { count, moe: snapshot.moe ? Math.sqrt(moe2) : NaN };
}

/** SE of a share p = X / Y from 90% MOEs (METHOD §6: + under the root when − goes negative). */
function shareSe(x: number, moeX: number, y: number, moeY: number): number {
  if (!(y > 0) || !Number.isFinite(moeX) || !Number.isFinite(moeY)) return NaN;
  const p = x / y;
  const inner = moeX * moeX - p * p * moeY * moeY;
  return Math.sqrt(inner >= 0 ? inner : moeX * moeX + p * p * moeY * moeY) / y / 1.645;
}

/**
 * Compare two years analysed on the same geography (same GEOIDs; move counts first when the
 * vintages differ). `largestSourceWeight` marks boundary changes (absent → unchanged).
 */
export function changeAnalysis(
  from: { analysis: YearAnalysis; snapshot: IncomeSnapshot },
  to: { analysis: YearAnalysis; snapshot: IncomeSnapshot },
  options: Partial<ChangeThresholds> & { largestSourceWeight?: ReadonlyMap<string, number> } = {},
): ChangeAnalysis {
  const t: ChangeThresholds = { ...DEFAULT_CHANGE_THRESHOLDS, ...options };
  const a0 = from.analysis;
  const a1 = to.analysis;
  const factor = priceFactor(a0.incomeYear, a1.incomeYear, t.priceIndex ?? CPI_U_ANNUAL);
  const realAmiGrowth = a1.ami.dollars / (a0.ami.dollars * factor) - 1;
  const index1 = new Map(a1.geoids.map((g, i) => [g, i]));
  const g = a0.groups.length;
  const warnings: string[] = [];
  const overlap = overlappingPeriods(a0.year, a1.year);
  if (overlap) warnings.push(overlap);
  if (a0.ami.kind !== a1.ami.kind) warnings.push(`the two years use different AMI kinds (${a0.ami.kind}, ${a1.ami.kind})`);

  const pairs: [number, number][] = [];
  a0.geoids.forEach((geoid, u0) => {
    const u1 = index1.get(geoid);
    if (u1 !== undefined) pairs.push([u0, u1]);
  });
  const growthOf = ([u0, u1]: [number, number]) => a1.medianIncome[u1] / (a0.medianIncome[u0] * factor) - 1;
  const tractGrowths = pairs.map(growthOf).filter(Number.isFinite);
  const regionGrowth = t.regionGrowth === 'ami' ? realAmiGrowth : (medianOf(tractGrowths) ?? NaN);

  const tracts: TractChange[] = pairs.map(([u0, u1]) => {
    const geoid = a0.geoids[u0];
    const hh: [number, number] = [a0.households[u0], a1.households[u1]];
    const li0 = lowIncome(from.snapshot, a0, u0, t.lowIncomeShareOfAmi);
    const li1 = lowIncome(to.snapshot, a1, u1, t.lowIncomeShareOfAmi);
    const share: [number, number] = [hh[0] > 0 ? li0.count / hh[0] : NaN, hh[1] > 0 ? li1.count / hh[1] : NaN];
    const se0 = shareSe(li0.count, li0.moe, hh[0], from.snapshot.totalMoe?.[u0] ?? NaN);
    const se1 = shareSe(li1.count, li1.moe, hh[1], to.snapshot.totalMoe?.[u1] ?? NaN);
    const tested = Number.isFinite(se0) && Number.isFinite(se1);
    const deltaShare = share[1] - share[0];
    const significant = !tested || Math.abs(deltaShare) / Math.sqrt(se0 * se0 + se1 * se1) > t.z;
    const notCalled: string[] = [];
    const growth = growthOf([u0, u1]);
    const enough = hh[0] >= a0.minHouseholds && hh[1] >= a1.minHouseholds && hh[0] > 0 && hh[1] > 0;
    const largest = options.largestSourceWeight?.get(geoid) ?? 1;
    const changedBoundary = largest < t.boundaryChangedWeight;

    const shareFell = deltaShare < 0 && significant;
    if (deltaShare < 0 && !significant) notCalled.push(`fall of the share below ${Math.round(t.lowIncomeShareOfAmi * 100)}% AMI (${(deltaShare * 100).toFixed(1)} points) is within the margin of error`);
    const upgradingCriteria = {
      iu_eligible_low_median: a0.medianIncome[u0] < t.eligibleMedianShareOfAmi * a0.ami.dollars,
      iu_real_growth: growth >= t.minRealGrowth,
      iu_faster_than_region: growth > regionGrowth,
      iu_low_income_share_fell: shareFell,
      iu_low_income_loss: li1.count < li0.count,
      iu_enough_households: enough,
    };
    const boundaryOk = !(t.excludeBoundaryChanged && changedBoundary);
    const upgrading =
      upgradingCriteria.iu_eligible_low_median &&
      upgradingCriteria.iu_real_growth &&
      upgradingCriteria.iu_faster_than_region &&
      upgradingCriteria.iu_low_income_share_fell &&
      (!t.requireLowIncomeLoss || upgradingCriteria.iu_low_income_loss) &&
      upgradingCriteria.iu_enough_households &&
      boundaryOk;
    const classOk = (c: DiversityClass) => (t.stableClass === 'high' ? c === 'high' : c === 'high' || c === 'moderate');
    const bigDrop = deltaShare < -t.maxLowIncomeShareDrop;
    if (bigDrop && !significant) notCalled.push('drop of the low-income share beyond the stable limit is within the margin of error');
    const stableCriteria = {
      sm_class_all_years: classOk(a0.classes[u0]) && classOk(a1.classes[u1]),
      sm_low_income_share_kept: Number.isFinite(deltaShare) && !(bigDrop && significant),
      sm_not_upgrading: !upgrading,
      sm_enough_households: enough,
    };
    const stable = Object.values(stableCriteria).every(Boolean) && boundaryOk;
    const mixedNow = a1.classes[u1] === 'high' || a1.classes[u1] === 'moderate';
    const criteria: Record<CriterionId, boolean> = {
      ...stableCriteria,
      ...upgradingCriteria,
      tr_mixed_now: mixedNow,
      tr_upgrading: upgrading,
      boundary_unchanged: !changedBoundary,
    };
    const deltaShares = Array.from({ length: g }, (_, i) => {
      const s0 = hh[0] > 0 ? a0.groupCounts[u0 * g + i] / hh[0] : NaN;
      const s1 = hh[1] > 0 ? a1.groupCounts[u1 * g + i] / hh[1] : NaN;
      return s1 - s0;
    });
    return {
      geoid,
      index0: u0,
      index1: u1,
      households: hh,
      entropy: [a0.entropy[u0], a1.entropy[u1]],
      classes: [a0.classes[u0], a1.classes[u1]],
      medianAmi: [a0.medianIncome[u0] / a0.ami.dollars, a1.medianIncome[u1] / a1.ami.dollars],
      deltaEntropy: a1.classes[u1] === 'insufficient' || a0.classes[u0] === 'insufficient' ? NaN : a1.entropy[u1] - a0.entropy[u0],
      deltaShares,
      lowIncomeShare: share,
      lowIncomeHouseholds: [li0.count, li1.count],
      realMedianGrowth: growth,
      boundaryChanged: changedBoundary,
      criteria,
      flags: { stable_mixed: stable, income_upgrading: upgrading, transitional: upgrading && mixedNow },
      notCalled,
    };
  });
  const flagCounts = { stable_mixed: 0, income_upgrading: 0, transitional: 0 };
  for (const tr of tracts) for (const f of Object.keys(flagCounts) as FlagId[]) if (tr.flags[f]) flagCounts[f]++;
  return { from: a0, to: a1, thresholds: t, tracts, realAmiGrowth, regionGrowth, priceFactor: factor, warnings, flagCounts };
}
