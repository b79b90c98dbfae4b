import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BRACKETS_16 } from '../../src/core/brackets';
import { analyzeSnapshot, type IncomeSnapshot } from '../../src/core/analyze';
import { changeAnalysis, overlappingPeriods } from '../../src/core/change';
import { areaCrosswalk, boundaryChanged, moveCounts } from '../../src/core/crosswalk';

function snapshot(year: number, incomeYear: number, tracts: Record<string, number[]>, moe?: Record<string, number[]>): IncomeSnapshot {
  const geoids = Object.keys(tracts);
  const counts = Float64Array.from(geoids.flatMap((g) => tracts[g]));
  return {
    year,
    incomeYear,
    set: BRACKETS_16,
    universe: 'households',
    geoids,
    counts,
    publishedMedians: geoids.map(() => null),
    moe: moe ? Float64Array.from(geoids.flatMap((g) => moe[g])) : null,
    totalMoe: moe ? Float64Array.from(geoids.map((g) => Math.sqrt(moe[g].reduce((s, m) => s + m * m, 0)))) : null,
  };
}
const flat = (n: number) => new Array(16).fill(n);
/** Households in brackets i..j (inclusive) only. */
const band = (i: number, j: number, n: number) => Array.from({ length: 16 }, (_, k) => (k >= i && k <= j ? n : 0));

describe('moveCounts (METHOD §5)', () => {
  it('splits a tract by its weights and marks the halves boundary-changed', () => {
    const s = snapshot(2000, 1999, { A: flat(10), B: flat(20) });
    const moved = moveCounts(s, [
      { source: 'A', target: 'A1', weight: 0.4 },
      { source: 'A', target: 'A2', weight: 0.6 },
      { source: 'B', target: 'B', weight: 1 },
    ], ['A1', 'A2', 'B']);
    expect(Array.from(moved.snapshot.counts.slice(0, 16))).toEqual(flat(4));
    expect(Array.from(moved.snapshot.counts.slice(16, 32)).map((x) => +x.toFixed(9))).toEqual(flat(6));
    expect([...boundaryChanged(moved.largestSourceWeight)].sort()).toEqual(['A1', 'A2']);
  });
  it('conserves every bracket total when each source\'s weights add up to 1 (property)', () => {
    const tract = fc.array(fc.nat(500), { minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(fc.array(tract, { minLength: 1, maxLength: 6 }), fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (tracts, split) => {
        const s = snapshot(2000, 1999, Object.fromEntries(tracts.map((t, i) => [`S${i}`, t])));
        const rows = tracts.flatMap((_, i) => [
          { source: `S${i}`, target: `T${i}`, weight: split[i] },
          { source: `S${i}`, target: `T${(i + 1) % tracts.length}x`, weight: 1 - split[i] },
        ]);
        const moved = moveCounts(s, rows);
        for (let k = 0; k < 16; k++) {
          const before = tracts.reduce((sum, t) => sum + t[k], 0);
          let after = 0;
          for (let u = 0; u < moved.snapshot.geoids.length; u++) after += moved.snapshot.counts[u * 16 + k];
          if (Math.abs(before - after) > 1e-9 * Math.max(1, before)) return false;
        }
        return true;
      }),
    );
  });
  it('moves MOEs as the root of the sum of squared weighted MOEs', () => {
    const s = snapshot(2018, 2018, { A: flat(100), B: flat(100) }, { A: flat(30), B: flat(40) });
    const moved = moveCounts(s, [
      { source: 'A', target: 'T', weight: 1 },
      { source: 'B', target: 'T', weight: 1 },
    ]);
    expect(moved.snapshot.moe![0]).toBeCloseTo(50, 9);
    expect(moved.largestSourceWeight.get('T')).toBe(1); // a merge keeps exact counts
  });
});

describe('areaCrosswalk', () => {
  const square = (id: string, x0: number, y0: number, x1: number, y1: number) => ({
    type: 'Feature' as const,
    properties: { GEOID: id },
    geometry: { type: 'Polygon' as const, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
  });
  it('splits a square into its halves by area', () => {
    const rows = areaCrosswalk([square('P', 0, 0, 0.02, 0.01)], [square('L', 0, 0, 0.01, 0.01), square('R', 0.01, 0, 0.02, 0.01)]);
    expect(rows.map((r) => r.target).sort()).toEqual(['L', 'R']);
    for (const r of rows) expect(r.weight).toBeCloseTo(0.5, 3);
  });
});

describe('change flags on hand-worked tracts (AMI typed: $50,000 in 1999, $75,000 in 2018)', () => {
  // CPI-U 1999 → 2018: 251.107 / 166.6 = 1.5072
  const options = (dollars: number) => ({ scheme: { kind: 'ami6' } as const, ami: { kind: 'typed', dollars } as const });
  const s0 = snapshot(2000, 1999, {
    // Mixed and staying mixed: about even across the six groups in both years.
    MIX: [40, 20, 20, 20, 20, 20, 20, 20, 20, 40, 60, 70, 40, 30, 30, 30],
    // Poor tract (median ≈ $22.5k < 80% of $50k) whose incomes rise far above inflation.
    UP: band(1, 6, 100),
    // Poor and staying poor.
    POOR: band(0, 3, 150),
  });
  const s1 = snapshot(2018, 2018, {
    MIX: [40, 20, 20, 20, 20, 20, 20, 20, 20, 40, 60, 70, 40, 30, 30, 30].map((x) => x),
    UP: band(10, 14, 120),
    POOR: band(0, 3, 150),
  });
  const run = (extra = {}) =>
    changeAnalysis({ analysis: analyzeSnapshot(s0, options(50_000)), snapshot: s0 }, { analysis: analyzeSnapshot(s1, options(75_000)), snapshot: s1 }, extra);

  it('flags income upgrading with every criterion shown', () => {
    const up = run().tracts.find((t) => t.geoid === 'UP')!;
    expect(up.criteria).toMatchObject({ iu_eligible_low_median: true, iu_real_growth: true, iu_faster_than_region: true, iu_low_income_share_fell: true, iu_enough_households: true });
    expect(up.flags.income_upgrading).toBe(true);
    expect(up.realMedianGrowth).toBeGreaterThan(1);
  });
  it('does not flag a poor tract that stays poor, and says which criteria failed', () => {
    const poor = run().tracts.find((t) => t.geoid === 'POOR')!;
    expect(poor.criteria.iu_eligible_low_median).toBe(true);
    expect(poor.criteria.iu_real_growth).toBe(false);
    expect(poor.flags).toEqual({ stable_mixed: false, income_upgrading: false, transitional: false });
  });
  it('AMI growth: real growth of $50k (1999) → $75k (2018) is 75 / (50 × 1.5072) − 1', () => {
    expect(run().realAmiGrowth).toBeCloseTo(75 / (50 * (251.107 / 166.6)) - 1, 9);
  });
  it('the thresholds are adjustable: a 200% growth requirement unflags UP', () => {
    expect(run({ minRealGrowth: 2.5 }).tracts.find((t) => t.geoid === 'UP')!.flags.income_upgrading).toBe(false);
  });
  it('stable mixed: High in both years, low-income share kept, not upgrading', () => {
    const mix = run().tracts.find((t) => t.geoid === 'MIX')!;
    expect(mix.classes).toEqual(['high', 'high']);
    expect(mix.flags.stable_mixed).toBe(true);
    // Adjustable: a limit that demands the low-income share rise by 20 points is not met.
    const strict = run({ maxLowIncomeShareDrop: -0.2 }).tracts.find((t) => t.geoid === 'MIX')!;
    expect(strict.criteria.sm_low_income_share_kept).toBe(false);
    expect(strict.flags.stable_mixed).toBe(false);
  });
});

describe('significance with margins of error (METHOD §6)', () => {
  it('does not call a fall of the low-income share that is within the margin of error, and says so', () => {
    const base = [60, 20, 20, 20, 20, 20, 20, 20, 20, 40, 60, 70, 40, 30, 30, 30];
    const later = base.map((x, i) => (i < 3 ? x - 4 : i > 12 ? x + 4 : x));
    const wide = flat(60);
    const s0 = snapshot(2013, 2013, { T: base }, { T: wide });
    const s1 = snapshot(2018, 2018, { T: later }, { T: wide });
    const o = { scheme: { kind: 'ami6' } as const, ami: { kind: 'typed', dollars: 60_000 } as const, minHouseholds: 10 };
    const c = changeAnalysis({ analysis: analyzeSnapshot(s0, o), snapshot: s0 }, { analysis: analyzeSnapshot(s1, o), snapshot: s1 });
    const t = c.tracts[0];
    expect(t.lowIncomeShare[1]).toBeLessThan(t.lowIncomeShare[0]);
    expect(t.criteria.iu_low_income_share_fell).toBe(false);
    expect(t.notCalled[0]).toMatch(/within the margin of error/);
    // The same change with tight MOEs is called.
    const tight = flat(1);
    const t0 = snapshot(2013, 2013, { T: base }, { T: tight });
    const t1 = snapshot(2018, 2018, { T: later }, { T: tight });
    const c2 = changeAnalysis({ analysis: analyzeSnapshot(t0, o), snapshot: t0 }, { analysis: analyzeSnapshot(t1, o), snapshot: t1 });
    expect(c2.tracts[0].criteria.iu_low_income_share_fell).toBe(true);
  });
});

describe('overlapping ACS periods', () => {
  it('warns for 5-year periods that share years, not for decennial or 5-years-apart ones', () => {
    expect(overlappingPeriods(2014, 2016)).toMatch(/2010–2014 and 2012–2016 overlap by 3 years/);
    expect(overlappingPeriods(2013, 2018)).toBeNull();
    expect(overlappingPeriods(2000, 2018)).toBeNull();
  });
});
