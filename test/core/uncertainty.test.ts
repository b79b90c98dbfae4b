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
  it('is deterministic for a seed, and another seed gives other draws', () => {
    const s = snap(mixed, mixed.map((c) => Math.sqrt(c) * 3));
    const a = analyzeSnapshot(s, options);
    const [u7] = classUncertainty(s, a, 100, 7)!;
    expect(classUncertainty(s, a, 100, 7)![0]).toEqual(u7);
    const [u8] = classUncertainty(s, a, 100, 8)!;
    expect([u8.entropyLow, u8.entropyHigh]).not.toEqual([u7.entropyLow, u7.entropyHigh]);
    // the default seed is 1
    expect(classUncertainty(s, a, 100)).toEqual(classUncertainty(s, a, 100, 1));
    expect(classUncertainty(s, a, 100)![0]).not.toEqual(u7);
  });
  it('draws the first count from the seed\'s first two uniforms (Box–Muller), worked by hand', () => {
    // AMI $50,000 puts every cut on a bracket edge (25k, 40k, 50k, 60k, 75k): groups are sums of
    // brackets. Only the first bracket (<$10k, 60 households) has a margin of error: SE 20.
    const s = snap(mixed, [1.645 * 20, ...new Array(15).fill(0)]);
    const a = analyzeSnapshot(s, { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 50_000 } });
    // mulberry32(7)'s first two uniforms, from Tommy Ettinger's reference C code compiled with gcc:
    // 50271532 / 2^32 and 266108690 / 2^32.
    const z = Math.sqrt(-2 * Math.log(0.011704753153026104)) * Math.cos(2 * Math.PI * 0.06195825757458806); // 2.7595…
    expect(z).toBeCloseTo(2.7595, 3);
    const first = 60 + 20 * z;
    // VLI <25k: 4 brackets; LI 25–40k: 3; MI 40–50k: 2; HMI 50–60k; HI 60–75k; VHI 75k+: 5
    const groups = [first + 40 + 40 + 40, 120, 80, 80, 120, 140 + 80 + 60 + 60 + 60];
    const total = groups.reduce((x, y) => x + y, 0);
    const h = -groups.reduce((acc, n) => acc + (n / total) * Math.log(n / total), 0) / Math.log(6);
    const [u] = classUncertainty(s, a, 1, 7)!;
    expect(u.entropyLow).toBeCloseTo(h, 12);
    expect(u.entropyHigh).toBeCloseTo(h, 12);
  });
});
