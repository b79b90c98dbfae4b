import { describe, expect, it } from 'vitest';
import { gentrificationDefinition, percentile, type DefinitionInputs } from '../../src/core/definitions';

/** Ten tracts: incomes/values rank 1…10 at the start; tract k gains k in college share and home value. */
function region(): DefinitionInputs[] {
  return Array.from({ length: 10 }, (_, i) => ({
    geoid: `T${i}`,
    population: [1000, 1000],
    medianIncome: [20_000 + i * 5_000, (20_000 + i * 5_000) * 1.2],
    homeValue: [100_000 + i * 20_000, (100_000 + i * 20_000) * 1.1 + (9 - i) * 30_000],
    collegeShare: [0.1, 0.1 + (9 - i) * 0.02],
  }));
}

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([10, 20, 30, 40], 0.4)).toBeCloseTo(22, 9);
  });
});

describe('Governing 2015', () => {
  it('eligible: bottom 40% of income and value; gentrified: top third of both gains', () => {
    const r = gentrificationDefinition('governing', region(), 1.0);
    // bottom 40th percentile of 10 ranks: T0…T3 (T3 equals the cut after interpolation at 0.4·9 = 3.6)
    expect(r.filter((x) => x.eligible).map((x) => x.geoid)).toEqual(['T0', 'T1', 'T2', 'T3']);
    // gains: college (9 − k)·0.02, value 280k − 28k·k; the top-third cut is the 6th of 9 ranks
    // (college 0.12, value $196k), reached by T0…T3, so every eligible tract gentrifies
    expect(r.filter((x) => x.gentrified).map((x) => x.geoid)).toEqual(['T0', 'T1', 'T2', 'T3']);
    expect(r[4].criteria.gov_college_gain_top_third).toBe(false);
    expect(r[4].criteria.gov_value_gain_top_third).toBe(false);
  });
  it('needs 500 residents at both dates and says what is missing', () => {
    const tracts = region();
    tracts[0] = { ...tracts[0], population: [400, 1000] };
    tracts[1] = { ...tracts[1], homeValue: [null, 200_000] };
    const r = gentrificationDefinition('governing', tracts, 1.0);
    expect(r[0].criteria.gov_population_500).toBe(false);
    expect(r[0].gentrified).toBe(false);
    expect(r[1].missing).toContain('median home value (start)');
    expect(r[1].eligible).toBe(false);
  });
});

describe('NCRC 2019', () => {
  it('gentrified: gains in the top 60% and a real income increase', () => {
    const r = gentrificationDefinition('ncrc', region(), 1.0);
    expect(r.filter((x) => x.gentrified).map((x) => x.geoid)).toEqual(['T0', 'T1', 'T2', 'T3']);
    // with inflation of 30% the 20% nominal income rise is a real fall
    const deflated = gentrificationDefinition('ncrc', region(), 1.3);
    expect(deflated.every((x) => !x.criteria.ncrc_income_grew)).toBe(true);
    expect(deflated.some((x) => x.gentrified)).toBe(false);
  });
});
