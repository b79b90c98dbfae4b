/**
 * Fuller gentrification definitions that need more than income (METHOD.md §5), computed per
 * region (percentiles are taken over the tracts loaded, which stand for the metro area):
 *
 * - Governing 2015 (Maciag, "Gentrification in America Report", methodology page): eligible when
 *   the tract had ≥ 500 residents at both dates and its median household income and median home
 *   value were in the bottom 40th percentile of the metro's tracts at the start; gentrified when
 *   the increase of the share of adults 25+ with a bachelor's degree and the increase of the
 *   inflation-adjusted median home value were both in the top third of the metro's tracts.
 *   (Governing also restricts to central cities; tractmix cannot tell which tracts those are.)
 * - NCRC 2019 (Richardson, Mitchell & Franco, "Shifting Neighborhoods"): eligible as Governing
 *   (bottom 40th percentile of income and home value); gentrified when both increases are in the
 *   top 60% of the metro's tracts and the (inflation-adjusted) median household income increased.
 */

export interface DefinitionInputs {
  readonly geoid: string;
  readonly population: [number | null, number | null];
  /** Median household income, each year in its own dollars. */
  readonly medianIncome: [number | null, number | null];
  /** Median home value, each year in its own dollars. */
  readonly homeValue: [number | null, number | null];
  /** Share of adults 25+ with a bachelor's degree or more. */
  readonly collegeShare: [number | null, number | null];
}

export interface DefinitionResult {
  readonly geoid: string;
  readonly eligible: boolean;
  readonly gentrified: boolean;
  /** Criterion id → pass (false also when the data are missing). */
  readonly criteria: Record<string, boolean>;
  readonly missing: string[];
}

export type DefinitionId = 'governing' | 'ncrc';

export const DEFINITION_CRITERIA: Record<DefinitionId, Record<string, string>> = {
  governing: {
    gov_population_500: 'at least 500 residents at both dates',
    gov_income_bottom_40: 'median household income in the bottom 40th percentile of the region at the start',
    gov_value_bottom_40: 'median home value in the bottom 40th percentile of the region at the start',
    gov_college_gain_top_third: "increase of the bachelor's-degree share in the top third of the region",
    gov_value_gain_top_third: 'increase of the inflation-adjusted median home value in the top third of the region',
  },
  ncrc: {
    ncrc_population_500: 'at least 500 residents at both dates',
    ncrc_income_bottom_40: 'median household income in the bottom 40th percentile of the region at the start',
    ncrc_value_bottom_40: 'median home value in the bottom 40th percentile of the region at the start',
    ncrc_college_gain_top_60: "increase of the bachelor's-degree share in the top 60% of the region",
    ncrc_value_gain_top_60: 'increase of the inflation-adjusted median home value in the top 60% of the region',
    ncrc_income_grew: 'inflation-adjusted median household income increased',
  },
};

/** The value at percentile q (0–1) of the finite values, by linear interpolation between ranks. */
export function percentile(values: readonly number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

const num = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

/**
 * Apply a definition to a region's tracts. `priceFactor` turns the first year's dollars into the
 * second's (CPI-U by default upstream).
 */
export function gentrificationDefinition(id: DefinitionId, tracts: readonly DefinitionInputs[], priceFactor: number): DefinitionResult[] {
  const income0 = tracts.map((t) => num(t.medianIncome[0]));
  const value0 = tracts.map((t) => num(t.homeValue[0]));
  const valueGain = tracts.map((t) => num(t.homeValue[1]) - num(t.homeValue[0]) * priceFactor);
  const collegeGain = tracts.map((t) => num(t.collegeShare[1]) - num(t.collegeShare[0]));
  const incomeCut = percentile(income0, 0.4);
  const valueCut = percentile(value0, 0.4);
  const gainQ = id === 'governing' ? 2 / 3 : 0.4;
  const valueGainCut = percentile(valueGain, gainQ);
  const collegeGainCut = percentile(collegeGain, gainQ);
  const p = id === 'governing' ? 'gov' : 'ncrc';
  const gainName = id === 'governing' ? 'top_third' : 'top_60';
  return tracts.map((t, i) => {
    const missing: string[] = [];
    const need = (name: string, x: number) => {
      if (!Number.isFinite(x)) missing.push(name);
      return x;
    };
    const pop0 = need('population (start)', num(t.population[0]));
    const pop1 = need('population (end)', num(t.population[1]));
    const criteria: Record<string, boolean> = {
      [`${p}_population_500`]: pop0 >= 500 && pop1 >= 500,
      [`${p}_income_bottom_40`]: need('median household income (start)', income0[i]) <= incomeCut,
      [`${p}_value_bottom_40`]: need('median home value (start)', value0[i]) <= valueCut,
      [`${p}_college_gain_${gainName}`]: need("bachelor's-degree share", collegeGain[i]) >= collegeGainCut,
      [`${p}_value_gain_${gainName}`]: need('median home value (end)', valueGain[i]) >= valueGainCut,
    };
    if (id === 'ncrc') criteria.ncrc_income_grew = num(t.medianIncome[1]) > num(t.medianIncome[0]) * priceFactor;
    const eligible = criteria[`${p}_population_500`] && criteria[`${p}_income_bottom_40`] && criteria[`${p}_value_bottom_40`];
    const gentrified = eligible && Object.values(criteria).every(Boolean);
    return { geoid: t.geoid, eligible, gentrified, criteria, missing };
  });
}
