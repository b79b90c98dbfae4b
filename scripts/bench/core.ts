/**
 * Core throughput benchmark: rebin + entropy + class on synthetic tracts, as a ratio to a
 * baseline pass that only sums each tract's 16 counts, measured in the same run.
 */
import { BRACKETS_16 } from '../../src/core/brackets';
import { mulberry32 } from '../../src/core/random';
import { analyzeSnapshot } from '../../src/core/analyze';
import { schemeCutsDollars } from '../../src/core/bands';
import { applyRebin, planRebin } from '../../src/core/rebin';
import { diversityClass, entropyIndex, type DiversityClass } from '../../src/core/entropy';

/** Deterministic synthetic bracket counts (mulberry32), shaped like real tracts. */
export function syntheticCounts(tracts: number, seed = 42): Float64Array {
  const random = mulberry32(seed);

  const counts = new Float64Array(tracts * 16);
  for (let u = 0; u < tracts; u++) {
    const centre = 2 + random() * 12;
    const spread = 1.5 + random() * 5;
    const size = 50 + random() * 3000;
    for (let i = 0; i < 16; i++) counts[u * 16 + i] = Math.round((size * Math.exp(-(((i - centre) / spread) ** 2))) / spread);
  }
  return counts;
}

function time(fn: () => number, repeats: number): { ms: number; sink: number } {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    sink += fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, sink };
}

export function benchCore(tracts = 100_000, repeats = 15): string[] {
  const counts = syntheticCounts(tracts);
  const k = 16;
  const plan = planRebin(BRACKETS_16, schemeCutsDollars({ kind: 'ami6' }, 70_000, 2018));
  const groups = new Float64Array(tracts * 6);
  const classes = new Array<DiversityClass>(tracts);

  const baseline = time(() => {
    let s = 0;
    for (let u = 0; u < tracts; u++) {
      let total = 0;
      for (let i = 0; i < k; i++) total += counts[u * k + i];
      s += total;
    }
    return s;
  }, repeats);

  const method = time(() => {
    let s = 0;
    for (let u = 0; u < tracts; u++) {
      const total = applyRebin(plan, counts, u * k, groups, u * 6);
      const h = entropyIndex(groups, 6, u * 6);
      classes[u] = diversityClass(h, total);
      s += h ?? 0;
    }
    return s;
  }, repeats);

  // The entropy index needs one natural log per non-empty group: this alone bounds the ratio.
  const logs = time(() => {
    let s = 0;
    for (let u = 0; u < tracts; u++) for (let b = 0; b < 6; b++) s += Math.log(groups[u * 6 + b] + 1);
    return s;
  }, repeats);

  const geoids = Array.from({ length: tracts }, (_, i) => String(17031000000 + i));
  const snapshot = { year: 2018, incomeYear: 2018, set: BRACKETS_16, universe: 'households' as const, geoids, counts, publishedMedians: geoids.map(() => null) };
  const full = time(() => analyzeSnapshot(snapshot, { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } }).entropy.length, Math.max(3, repeats >> 2));

  const per85k = (ms: number) => (ms * 85_000) / tracts;
  const rate = (ms: number) => Math.round((tracts / ms) * 1000).toLocaleString('en-US');
  return [
    `core: ${tracts.toLocaleString('en-US')} synthetic tracts, best of ${repeats}`,
    `  baseline (sum 16 counts):          ${baseline.ms.toFixed(2)} ms  (${rate(baseline.ms)} tracts/s)`,
    `  rebin + entropy + class:           ${method.ms.toFixed(2)} ms  (${rate(method.ms)} tracts/s)  ratio ${(method.ms / baseline.ms).toFixed(1)}× baseline  [target ≤ 10×]`,
    `    → 85,000 tracts (all US):        ${per85k(method.ms).toFixed(1)} ms  [target ≤ 50 ms]`,
    `  floor: 6 Math.log per tract alone: ${logs.ms.toFixed(2)} ms  ratio ${(logs.ms / baseline.ms).toFixed(1)}× baseline`,
    `  analyzeSnapshot (+ AMI, medians):  ${full.ms.toFixed(2)} ms  ratio ${(full.ms / baseline.ms).toFixed(1)}× baseline; 85,000 tracts ${per85k(full.ms).toFixed(1)} ms`,
  ];
}
