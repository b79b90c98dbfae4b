/**
 * Re-banding grouped income counts: how many households fall below any dollar cut point.
 *
 * Inside a closed bracket [a, b) households are spread uniformly (linear interpolation of the
 * cumulative distribution, the standard grouped-data assumption; METHOD.md §2; also what the
 * Urban Displacement Project's `income_interpolation` does). In the open top bracket [a, ∞) a
 * Pareto tail is fitted to the two top brackets (Pareto interpolation, the usual practice for
 * the open interval of grouped income data): with N₁ households above the second-highest
 * lower edge a₁ and N₂ above the top edge a₂, α = ln(N₁/N₂) / ln(a₂/a₁) and the share of the
 * top bracket below x ≥ a₂ is 1 − (a₂/x)^α.
 */
import type { BracketSet } from './brackets';

/** Lower bound on the fitted Pareto α: below 1 the tail has no finite mean (small tracts). */
export const PARETO_ALPHA_MIN = 1;
/** α used when the fit is undefined (the second-highest bracket is empty). */
export const PARETO_ALPHA_FALLBACK = 1.5;

/** Pareto α of the open top bracket, fitted to the two top brackets of one unit. */
export function paretoAlpha(counts: ArrayLike<number>, set: BracketSet, offset = 0): number {
  const k = set.lowerEdges.length;
  const nTop = counts[offset + k - 1];
  const nBelowTop = counts[offset + k - 2];
  if (!(nTop > 0) || !(nBelowTop > 0)) return PARETO_ALPHA_FALLBACK;
  const alpha =
    Math.log((nTop + nBelowTop) / nTop) / Math.log(set.lowerEdges[k - 1] / set.lowerEdges[k - 2]);
  return Number.isFinite(alpha) ? Math.max(PARETO_ALPHA_MIN, alpha) : PARETO_ALPHA_FALLBACK;
}

/**
 * Where one cut point falls: every bracket before `bracket` lies wholly below it, and
 * `fraction` of bracket `bracket` (linear) lies below it. For a cut inside the open top
 * bracket `fraction` is NaN and the Pareto tail decides per unit.
 */
export interface CutPosition {
  readonly dollars: number;
  readonly bracket: number;
  readonly fraction: number;
}

/** A re-banding plan: the cut points located once for a bracket set, reused for every unit. */
export interface RebinPlan {
  readonly set: BracketSet;
  readonly cuts: readonly CutPosition[];
}

/** Locate ascending dollar cut points in a bracket set. */
export function planRebin(set: BracketSet, cutsDollars: readonly number[]): RebinPlan {
  const edges = set.lowerEdges;
  const k = edges.length;
  const cuts: CutPosition[] = [];
  let previous = -Infinity;
  for (const dollars of cutsDollars) {
    if (!Number.isFinite(dollars)) throw new RangeError(`cut point ${dollars} is not a finite dollar amount`);
    if (dollars < previous) throw new RangeError(`cut points must ascend; ${dollars} follows ${previous}`);
    previous = dollars;
    if (dollars <= edges[0]) {
      cuts.push({ dollars, bracket: 0, fraction: 0 });
      continue;
    }
    let b = 0;
    while (b < k - 1 && edges[b + 1] <= dollars) b++;
    const fraction = b === k - 1 ? NaN : (dollars - edges[b]) / (edges[b + 1] - edges[b]);
    cuts.push({ dollars, bracket: b, fraction });
  }
  return { set, cuts };
}

function belowCut(cut: CutPosition, counts: ArrayLike<number>, offset: number, set: BracketSet, cumulative: number): number {
  const n = counts[offset + cut.bracket];
  if (!Number.isNaN(cut.fraction)) return cumulative + n * cut.fraction;
  if (!(n > 0)) return cumulative;
  const a = set.lowerEdges[cut.bracket];
  const alpha = paretoAlpha(counts, set, offset);
  return cumulative + n * (1 - Math.pow(a / cut.dollars, alpha));
}

/**
 * Counts in the bands delimited by the plan's cuts (cuts.length + 1 bands), written to `out`.
 * The last band is the total minus everything below the last cut, so the bands add up to the
 * unit's bracket total. Returns that total.
 */
export function applyRebin(
  plan: RebinPlan,
  counts: ArrayLike<number>,
  offset: number,
  out: Float64Array | number[],
  outOffset = 0,
): number {
  const k = plan.set.lowerEdges.length;
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[offset + i];
  let cumulative = 0; // households in brackets wholly below the current cut's bracket
  let bracket = 0;
  let below = 0;
  const cuts = plan.cuts;
  for (let c = 0; c < cuts.length; c++) {
    const cut = cuts[c];
    while (bracket < cut.bracket) cumulative += counts[offset + bracket++];
    const now = belowCut(cut, counts, offset, plan.set, cumulative);
    out[outOffset + c] = now - below;
    below = now;
  }
  out[outOffset + cuts.length] = total - below;
  return total;
}

/** Households below each dollar cut, per band: a one-unit convenience over plan + apply. */
export function rebinBrackets(counts: readonly number[], set: BracketSet, cutsDollars: readonly number[]): number[] {
  if (counts.length !== set.lowerEdges.length) {
    throw new RangeError(`expected ${set.lowerEdges.length} bracket counts for ${set.id}, got ${counts.length}`);
  }
  const out = new Array<number>(cutsDollars.length + 1).fill(0);
  applyRebin(planRebin(set, cutsDollars), counts, 0, out);
  return out;
}

/** Households with income below `dollars` (the interpolated cumulative distribution). */
export function countBelow(counts: ArrayLike<number>, set: BracketSet, dollars: number, offset = 0): number {
  const plan = planRebin(set, [dollars]);
  const cut = plan.cuts[0];
  let cumulative = 0;
  for (let i = 0; i < cut.bracket; i++) cumulative += counts[offset + i];
  return cut.dollars <= set.lowerEdges[0] ? 0 : belowCut(cut, counts, offset, set, cumulative);
}

/**
 * The income at quantile p (0 < p < 1) of a unit's grouped distribution, by the same
 * interpolation as re-banding (median = quantileIncome(…, 0.5)). Null when the unit has no
 * households.
 */
export function quantileIncome(counts: ArrayLike<number>, set: BracketSet, p: number, offset = 0): number | null {
  const edges = set.lowerEdges;
  const k = edges.length;
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[offset + i];
  if (!(total > 0)) return null;
  const target = p * total;
  let cumulative = 0;
  for (let i = 0; i < k; i++) {
    const n = counts[offset + i];
    if (n > 0 && cumulative + n >= target) {
      const within = (target - cumulative) / n;
      if (i < k - 1) return edges[i] + within * (edges[i + 1] - edges[i]);
      const alpha = paretoAlpha(counts, set, offset);
      return within >= 1 ? Infinity : edges[i] / Math.pow(1 - within, 1 / alpha);
    }
    cumulative += n;
  }
  return edges[k - 1];
}

/** Median income of a unit's grouped distribution (null without households). */
export function medianIncome(counts: ArrayLike<number>, set: BracketSet, offset = 0): number | null {
  return quantileIncome(counts, set, 0.5, offset);
}
