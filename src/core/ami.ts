/**
 * Area median income (AMI) for one year of a region (METHOD.md §1).
 *
 * - `auto` (default): the median of the region's pooled bracket counts, by the same
 *   interpolation as any tract median (METHOD §2).
 * - `tract-median`: the median of the tracts' published medians, missing values excluded:
 *   what the Urban Displacement Project's code uses (`np.nanmedian` of `hinc`; METHOD §7). It
 *   moves with the set of tracts loaded.
 * - `typed`: a dollar value the user supplies, with its source (e.g. HUD median family income).
 */
import type { BracketSet } from './brackets';
import { medianIncome } from './rebin';

export type AmiSpec =
  | { readonly kind: 'auto' }
  | { readonly kind: 'tract-median' }
  | { readonly kind: 'typed'; readonly dollars: number; readonly source?: string };

export interface Ami {
  readonly kind: AmiSpec['kind'];
  /** Dollars of the data's income year. */
  readonly dollars: number;
  /** Where the figure comes from, in words, for legends and exports. */
  readonly source: string;
}

/** The plain median of a list of numbers (mean of the two middle values for an even count). */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bracket counts of many units added bracket by bracket. */
export function poolBrackets(counts: ArrayLike<number>, units: number, k: number): number[] {
  const pooled = new Array<number>(k).fill(0);
  for (let u = 0; u < units; u++) for (let i = 0; i < k; i++) pooled[i] += counts[u * k + i];
  return pooled;
}

/**
 * Resolve an AMI spec against a region's units.
 * @param counts bracket counts, unit-major (`units × k`)
 * @param publishedMedians each unit's published median (null where missing); used by `tract-median`
 */
export function resolveAmi(
  spec: AmiSpec,
  set: BracketSet,
  counts: ArrayLike<number>,
  units: number,
  publishedMedians: readonly (number | null)[],
): Ami {
  const k = set.lowerEdges.length;
  switch (spec.kind) {
    case 'typed':
      if (!(spec.dollars > 0) || !Number.isFinite(spec.dollars)) {
        throw new RangeError(`a typed AMI must be a positive dollar amount; got ${spec.dollars}`);
      }
      return { kind: 'typed', dollars: spec.dollars, source: spec.source ?? 'typed by the user' };
    case 'auto': {
      const pooled = poolBrackets(counts, units, k);
      const m = medianIncome(pooled, set);
      if (m === null) throw new RangeError('cannot compute an AMI: the region has no households');
      return { kind: 'auto', dollars: m, source: `median of the pooled ${set.id} brackets of ${units} units` };
    }
    case 'tract-median': {
      const published = publishedMedians.filter((m): m is number => m !== null && m > 0);
      if (published.length > 0) {
        return {
          kind: 'tract-median',
          dollars: medianOf(published)!,
          source: `median of ${published.length} published tract medians (UDP's regional median)`,
        };
      }
      const fromBrackets: number[] = [];
      for (let u = 0; u < units; u++) {
        const m = medianIncome(counts, set, u * k);
        if (m !== null) fromBrackets.push(m);
      }
      if (fromBrackets.length === 0) throw new RangeError('cannot compute an AMI: the region has no households');
      return {
        kind: 'tract-median',
        dollars: medianOf(fromBrackets)!,
        source: `median of ${fromBrackets.length} tract medians interpolated from brackets (no published medians in the data)`,
      };
    }
  }
}
