import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BRACKETS_16, BRACKETS_P080 } from '../../src/core/brackets';
import { countBelow, medianIncome, paretoAlpha, PARETO_ALPHA_FALLBACK, quantileIncome, rebinBrackets } from '../../src/core/rebin';

// A tract worked by hand: 100 households in each of the 16 brackets (1,600 in all).
const flat = new Array(16).fill(100);

describe('rebinBrackets — linear inside closed brackets (METHOD §2)', () => {
  it('splits a bracket in proportion to the distance into it', () => {
    // below $12,500: all of <10k (100) + half of 10–15k (50) = 150
    expect(countBelow(flat, BRACKETS_16, 12_500)).toBeCloseTo(150, 10);
    // below $70,000: 10 brackets under 60k (1,000) + 10/15 of 60–75k (66.67)
    expect(countBelow(flat, BRACKETS_16, 70_000)).toBeCloseTo(1000 + (100 * 10) / 15, 10);
  });
  it('gives AMI six-group counts a reader can check (AMI $60,000)', () => {
    const cuts = [0.5, 0.8, 1.0, 1.2, 1.5].map((f) => f * 60_000); // 30k, 48k, 60k, 72k, 90k
    const bands = rebinBrackets(flat, BRACKETS_16, cuts);
    expect(bands[0]).toBeCloseTo(500, 10); // <10k … 25–30k: five brackets
    expect(bands[1]).toBeCloseTo(300 + 60, 10); // 30–45k + 3/5 of 45–50k
    expect(bands[2]).toBeCloseTo(40 + 100, 10); // rest of 45–50k + 50–60k
    expect(bands[3]).toBeCloseTo(80, 10); // 12/15 of 60–75k
    expect(bands[4]).toBeCloseTo(20 + 60, 10); // rest of 60–75k + 15/25 of 75–100k
    expect(bands[5]).toBeCloseTo(40 + 400, 10);
  });
  it('uses a Pareto tail above the top edge, fitted to the two top brackets', () => {
    const counts = new Array(16).fill(0);
    counts[14] = 300; // 150–200k
    counts[15] = 100; // 200k+
    // Worked by hand: a quarter of the households above $150k are above $200k, so (150/200)^α = 1/4
    // and α = ln 4 / ln(4/3) = 1.3862944 / 0.2876821 = 4.8188417.
    expect(paretoAlpha(counts, BRACKETS_16)).toBeCloseTo(4.8188417, 6);
    // Of the 200k+ households, (200/300)^4.8188417 = 0.1417242 are above $300k:
    // below $300k = 300 + 100 × (1 − 0.1417242) = 385.82758.
    expect(countBelow(counts, BRACKETS_16, 300_000)).toBeCloseTo(385.82758, 4);
    expect(countBelow(counts, BRACKETS_16, 200_000)).toBeCloseTo(300, 12);
  });
  it('falls back to a fixed α when the second-highest bracket is empty', () => {
    const counts = new Array(16).fill(0);
    counts[15] = 10;
    expect(paretoAlpha(counts, BRACKETS_16)).toBe(PARETO_ALPHA_FALLBACK);
  });
});

describe('medianIncome', () => {
  it('interpolates at half the total', () => {
    expect(medianIncome(flat, BRACKETS_16)).toBeCloseTo(45_000, 8); // 800 of 1,600 = top of the 8th bracket, 40–45k
    const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 0, 0, 0, 0];
    expect(medianIncome(counts, BRACKETS_16)).toBeCloseTo(75_000, 8);
    counts[11] = 30; // 40 households: 20th is 10 into 75–100k's 30 → 75k + 10/30 × 25k
    expect(medianIncome(counts, BRACKETS_16)).toBeCloseTo(75_000 + (25_000 * 10) / 30, 8);
  });
  it('is null without households and inverts countBelow', () => {
    expect(medianIncome(new Array(16).fill(0), BRACKETS_16)).toBeNull();
    const m = medianIncome(flat, BRACKETS_16)!;
    expect(countBelow(flat, BRACKETS_16, m)).toBeCloseTo(800, 8);
  });
  it('reads the 25 brackets of Census 1990 P080', () => {
    const counts = new Array(25).fill(0);
    counts[3] = 50; // 12.5–15k
    counts[4] = 50; // 15–17.5k
    expect(medianIncome(counts, BRACKETS_P080)).toBeCloseTo(15_000, 8);
  });
});

const counts16 = fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 16, maxLength: 16 }).filter((a) => a.some((x) => x > 0));
const cutList = fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), { minLength: 1, maxLength: 8 }).map((c) => c.sort((a, b) => a - b));

describe('re-banding properties', () => {
  it('preserves the total and gives no negative band', () => {
    fc.assert(fc.property(counts16, cutList, (c, cuts) => {
      const bands = rebinBrackets(c, BRACKETS_16, cuts);
      const total = c.reduce((a, b) => a + b, 0);
      const sum = bands.reduce((a, b) => a + b, 0);
      return Math.abs(sum - total) <= 1e-9 * Math.max(1, total) && bands.every((b) => b >= -1e-9 * total);
    }));
  });
  it('has a monotone cumulative distribution', () => {
    fc.assert(fc.property(counts16, cutList, (c, cuts) => {
      const below = cuts.map((x) => countBelow(c, BRACKETS_16, x));
      return below.every((b, i) => i === 0 || b >= below[i - 1] - 1e-9);
    }));
  });
  it('has quantiles that invert the distribution', () => {
    fc.assert(fc.property(counts16, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (c, p) => {
      const x = quantileIncome(c, BRACKETS_16, p)!;
      const total = c.reduce((a, b) => a + b, 0);
      return Math.abs(countBelow(c, BRACKETS_16, x) - p * total) <= 1e-6 * total;
    }));
  });
});
