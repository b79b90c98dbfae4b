import { describe, expect, it } from 'vitest';
import { BRACKETS_16 } from '../../src/core/brackets';
import { analyzeSnapshot, type IncomeSnapshot } from '../../src/core/analyze';
import { classUncertainty } from '../../src/core/uncertainty';

function snap(counts: number[], moe: number[] | null): IncomeSnapshot {
  return { year: 2018, incomeYear: 2018, set: BRACKETS_16, universe: 'households', geoids: ['A'], counts: Float64Array.from(counts), publishedMedians: [null], moe: moe ? Float64Array.from(moe) : null, totalMoe: null };
}
const options = { scheme: { kind: 'ami6' } as const, ami: { kind: 'typed', dollars: 60_000 } as const };
const mixed = [60, 40, 40, 40, 40, 40, 40, 40, 40, 80, 120, 140, 80, 60, 60, 60];

describe('classUncertainty (METHOD §6)', () => {
  it('is null without MOEs', () => {
    const s = snap(mixed, null);
    expect(classUncertainty(s, analyzeSnapshot(s, options))).toBeNull();
  });
  it('tiny MOEs: a narrow interval around H and a certain class', () => {
    const s = snap(mixed, mixed.map(() => 0.5));
    const a = analyzeSnapshot(s, options);
    const [u] = classUncertainty(s, a)!;
    expect(u.entropyLow).toBeLessThanOrEqual(a.entropy[0] + 1e-9);
    expect(u.entropyHigh).toBeGreaterThanOrEqual(a.entropy[0] - 1e-9);
    expect(u.entropyHigh - u.entropyLow).toBeLessThan(0.01);
    expect(u.classProbability[a.classes[0]]).toBe(1);
    expect(u.uncertain).toBe(false);
  });
  it('wide MOEs on a tract near a threshold: a wide interval, an uncertain class, probabilities adding to 1', () => {
    // H close to .87: nudge a mix until it sits at the High/Moderate boundary
    const near = [200, 40, 40, 40, 40, 40, 40, 40, 40, 60, 80, 90, 50, 40, 40, 40];
    const s = snap(near, near.map((c) => 1.645 * Math.sqrt(c) * 4));
    const a = analyzeSnapshot(s, options);
    const [u] = classUncertainty(s, a)!;
    expect(Object.values(u.classProbability).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(u.entropyHigh - u.entropyLow).toBeGreaterThan(0.02);
    expect(Math.abs(a.entropy[0] - 0.87)).toBeLessThan(0.03);
    expect(u.uncertain).toBe(true);
  });
  it('is deterministic for a seed', () => {
    const s = snap(mixed, mixed.map((c) => Math.sqrt(c) * 3));
    const a = analyzeSnapshot(s, options);
    expect(classUncertainty(s, a, 100, 7)).toEqual(classUncertainty(s, a, 100, 7));
  });
});
