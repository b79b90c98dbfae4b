/**
 * Entropy index and income-diversity class (Galster, Booza & Cutsinger 2008, Cityscape 10(2),
 * pp. 265–266; seed 003).
 *
 * H = −Σ pᵢ ln pᵢ / ln k over the k groups of a scheme, with 0·ln 0 = 0: 1 when every group
 * holds the same share, 0 when one group holds everyone.
 */

/** Class thresholds on H (Galster et al. 2008, p. 266). */
export const DIVERSITY_THRESHOLDS = { high: 0.87, moderate: 0.69, low: 0.48 } as const;

/** Default minimum households for a tract to get an H and a class (METHOD.md §4). */
export const DEFAULT_MIN_HOUSEHOLDS = 100;

export type DiversityClass = 'high' | 'moderate' | 'low' | 'not-diverse' | 'insufficient';

export const DIVERSITY_CLASSES: readonly DiversityClass[] = ['high', 'moderate', 'low', 'not-diverse', 'insufficient'];

export const DIVERSITY_CLASS_LABELS: Readonly<Record<DiversityClass, string>> = {
  high: 'High diversity (H ≥ .87)',
  moderate: 'Moderate diversity (.69 ≤ H < .87)',
  low: 'Low diversity (.48 ≤ H < .69)',
  'not-diverse': 'Not diverse (H < .48)',
  insufficient: 'Insufficient data',
};

/**
 * Entropy index of group counts (or shares) `values[offset … offset+k)`, normalised by ln k.
 * Returns null when the groups hold nothing. Uses H·ln k = ln T − (Σ nᵢ ln nᵢ)/T.
 */
export function entropyIndex(values: ArrayLike<number>, k = values.length, offset = 0): number | null {
  if (k < 2) throw new RangeError('the entropy index needs at least two groups');
  let total = 0;
  let sumNLogN = 0;
  for (let i = 0; i < k; i++) {
    const n = values[offset + i];
    if (n > 0) {
      total += n;
      sumNLogN += n * Math.log(n);
    }
  }
  if (!(total > 0)) return null;
  const h = (Math.log(total) - sumNLogN / total) / Math.log(k);
  // Rounding can leave −1e−17 or 1 + 1e−16 at the extremes.
  return h < 0 ? 0 : h > 1 ? 1 : h;
}

/**
 * The diversity class of a tract: insufficient below the minimum household count or without
 * an H; else by the thresholds of Galster et al. (2008, p. 266).
 */
export function diversityClass(h: number | null, households: number, minHouseholds = DEFAULT_MIN_HOUSEHOLDS): DiversityClass {
  if (h === null || !(households >= minHouseholds) || !(households > 0)) return 'insufficient';
  if (h >= DIVERSITY_THRESHOLDS.high) return 'high';
  if (h >= DIVERSITY_THRESHOLDS.moderate) return 'moderate';
  if (h >= DIVERSITY_THRESHOLDS.low) return 'low';
  return 'not-diverse';
}
