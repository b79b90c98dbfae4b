/**
 * Sampling uncertainty of H and the diversity class (METHOD.md §6). ACS bracket estimates carry
 * 90% margins of error (SE = MOE / 1.645). Each bracket count is drawn from a normal distribution
 * with its SE (seeded, truncated at 0), the tract is re-banded and H recomputed; the 5th and 95th
 * percentiles of the draws give the 90% interval of H, and the share of draws in each class its
 * probability. A tract whose most likely class has a probability below `certainClass` is marked
 * uncertain. Draws are independent across brackets (the ACS publishes no covariances).
 */
import type { IncomeSnapshot, YearAnalysis } from './analyze';
import { applyRebin, planRebin } from './rebin';
import { mulberry32, normalDraws } from './random';
import { diversityClass, entropyIndex, DIVERSITY_CLASSES, type DiversityClass } from './entropy';

export const DEFAULT_DRAWS = 200;
/** Most-likely-class probability below which a class is called uncertain. */
export const CERTAIN_CLASS_PROBABILITY = 0.9;
/** Units between two progress reports. */
const PROGRESS_EVERY = 500;

export interface TractUncertainty {
  /** 90% interval of H (5th and 95th percentiles of the draws); NaN without MOEs. */
  readonly entropyLow: number;
  readonly entropyHigh: number;
  readonly classProbability: Record<DiversityClass, number>;
  readonly uncertain: boolean;
}

/**
 * Uncertainty of every unit of an analysis whose snapshot has MOEs (null otherwise). The AMI and
 * cut points are held fixed: the region's AMI rests on thousands of households and moves little.
 */
export function classUncertainty(
  snapshot: Pick<IncomeSnapshot, 'set' | 'counts' | 'moe'>,
  analysis: Pick<YearAnalysis, 'geoids' | 'groups' | 'cutsDollars' | 'classes' | 'minHouseholds'>,
  draws = DEFAULT_DRAWS,
  seed = 1,
  /** Called every `PROGRESS_EVERY` units with the units done and their number. */
  onProgress?: (done: number, total: number) => void,
): TractUncertainty[] | null {
  if (!snapshot.moe) return null;
  const k = snapshot.set.lowerEdges.length;
  const g = analysis.groups.length;
  const plan = planRebin(snapshot.set, analysis.cutsDollars);
  const z = normalDraws(mulberry32(seed));
  const sample = new Float64Array(k);
  const bands = new Float64Array(g);
  const hs = new Float64Array(draws);
  const n = analysis.geoids.length;
  return analysis.geoids.map((_, u) => {
    if (onProgress && u % PROGRESS_EVERY === 0 && u > 0) onProgress(u, n);
    const classCount = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, 0])) as Record<DiversityClass, number>;
    let anyMoe = false;
    for (let i = 0; i < k; i++) if (Number.isFinite(snapshot.moe![u * k + i])) anyMoe = true;
    if (!anyMoe) {
      classCount[analysis.classes[u]] = 1;
      return { entropyLow: NaN, entropyHigh: NaN, classProbability: classCount, uncertain: false };
    }
    for (let d = 0; d < draws; d++) {
      for (let i = 0; i < k; i++) {
        const se = (snapshot.moe![u * k + i] || 0) / 1.645;
        sample[i] = Math.max(0, snapshot.counts[u * k + i] + se * z());
      }
      const total = applyRebin(plan, sample, 0, bands);
      const h = entropyIndex(bands, g);
      hs[d] = h ?? NaN;
      classCount[diversityClass(h, total, analysis.minHouseholds)]++;
    }
    const sorted = Array.from(hs).filter(Number.isFinite).sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
    const probability = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, classCount[c] / draws])) as Record<DiversityClass, number>;
    const top = Math.max(...Object.values(probability));
    return { entropyLow: at(0.05), entropyHigh: at(0.95), classProbability: probability, uncertain: top < CERTAIN_CLASS_PROBABILITY };
  });
}
