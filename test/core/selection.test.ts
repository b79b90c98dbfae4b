import { describe, expect, it } from 'vitest';
import type { YearAnalysis } from '../../src/core/analyze';
import { selectionSummary } from '../../src/core/selection';

/** Three tracts in two groups: all poor, all rich, and an even mix (H worked out by hand). */
function analysis(): YearAnalysis {
  return {
    year: 2018,
    incomeYear: 2018,
    scheme: { kind: 'ami6' },
    schemeDescription: 'test',
    groups: [
      { key: 'lo', label: 'low' },
      { key: 'hi', label: 'high' },
    ],
    ami: { kind: 'auto', dollars: 50000, source: 'test' },
    cutsDollars: [50000],
    minHouseholds: 100,
    geoids: ['a', 'b', 'c'],
    households: new Float64Array([300, 100, 50]),
    groupCounts: new Float64Array([300, 0, 0, 100, 25, 25]),
    entropy: new Float64Array([0, 0, 1]),
    classes: ['not-diverse', 'not-diverse', 'insufficient'],
    medianIncome: new Float64Array([20000, 90000, 50000]),
  } as unknown as YearAnalysis;
}

describe('selectionSummary', () => {
  it('pools the composition: two not-diverse tracts make one mixed area', () => {
    const s = selectionSummary(analysis(), [0, 1]);
    expect(s.households).toBe(400);
    expect(s.groupHouseholds).toEqual([300, 100]);
    expect(s.shares).toEqual([0.75, 0.25]);
    // H = −(0.75 ln 0.75 + 0.25 ln 0.25) / ln 2 = 0.811278124459…
    expect(s.entropy).toBeCloseTo(0.8112781244591328, 14);
    expect(s.pooledClass).toBe('moderate'); // 0.69 ≤ 0.81 < 0.87
    expect(s.classCounts).toEqual({ high: 0, moderate: 0, low: 0, 'not-diverse': 2, insufficient: 0 });
  });
  it('counts a repeated tract once; an even 2-group mix is H = 1', () => {
    const s = selectionSummary(analysis(), [1, 2, 2]);
    expect(s.tracts).toBe(2);
    expect(s.groupHouseholds).toEqual([25, 125]);
    const all = selectionSummary(analysis(), [0, 1, 2]);
    expect(all.groupHouseholds).toEqual([325, 125]);
    expect(selectionSummary(analysis(), [2]).entropy).toBe(1);
    expect(selectionSummary(analysis(), [2]).pooledClass).toBe('insufficient');
  });
  it('an empty selection has no H', () => {
    const s = selectionSummary(analysis(), []);
    expect(s).toMatchObject({ tracts: 0, households: 0, entropy: null, pooledClass: 'insufficient' });
  });
  it('refuses a unit outside the analysis', () => {
    expect(() => selectionSummary(analysis(), [3])).toThrow(/unit 3 is not in the 2018 analysis/);
  });
});
