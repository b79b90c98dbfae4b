import { describe, expect, it } from 'vitest';
import { BRACKETS_16 } from '../../src/core/brackets';
import { analyzeSnapshot } from '../../src/core/analyze';
import { regionSummary } from '../../src/core/summary';

/** Three tracts worked by hand with a typed AMI of $60,000 (cuts 30k, 48k, 60k, 72k, 90k). */
function region() {
  const even = [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50]; // 800 hh, mixed
  const poor = [400, 100, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // 600 hh, all < 20k
  const tiny = [10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10]; // 20 hh
  return analyzeSnapshot(
    { year: 2018, incomeYear: 2018, set: BRACKETS_16, universe: 'households', geoids: ['A', 'B', 'C'], counts: Float64Array.from([...even, ...poor, ...tiny]), publishedMedians: [null, null, null] },
    { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 60_000 } },
  );
}

describe('regionSummary (Galster et al. 2008 measures)', () => {
  const a = region();
  const s = regionSummary(a);
  it('classifies the hand-worked tracts', () => {
    expect(a.classes).toEqual(['high', 'not-diverse', 'insufficient']);
    // tract A: VLI = 5 brackets below 30k = 250 of 800
    expect(a.groupCounts[0]).toBeCloseTo(250, 9);
  });
  it('counts classes and shares over all tracts', () => {
    expect(s.classCounts).toEqual({ high: 1, moderate: 0, low: 0, 'not-diverse': 1, insufficient: 1 });
    expect(s.classShares.high).toBeCloseTo(1 / 3, 12);
    expect(s.households).toBe(1420);
  });
  it('computes the VLI measures', () => {
    const vliA = 250;
    const vliB = 600;
    const vliC = 10;
    expect(s.vliShareInHigh).toBeCloseTo(vliA / 800, 12);
    expect(s.vliLivingInHigh).toBeCloseTo(vliA / (vliA + vliB + vliC), 12);
    // B (median 10–15k) and C (median at the 10k edge) are below 50% AMI = 30k
    expect(s.poorTracts).toBe(2);
    expect(s.vliInPoorTracts).toBeCloseTo((vliB + vliC) / (vliA + vliB + vliC), 12);
    expect(s.poorTractsHigh).toBe(0);
  });
});
