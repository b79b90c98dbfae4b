/**
 * Census income bracket sets, declared as data.
 *
 * A bracket set is the list of lower edges (dollars of the income year); bracket i covers
 * [lowerEdges[i], lowerEdges[i+1]) and the last bracket is open-ended. Census tables publish
 * "$10,000 to $14,999": the upper edge is a dollar short of the next lower edge, so the
 * continuous interval [10 000, 15 000) is the standard reading (US Census Bureau, ACS
 * Subject Definitions, "Income in the past 12 months").
 */
export interface BracketSet {
  /** Short identifier used in files and CLI options. */
  readonly id: 'B19001' | 'P080';
  readonly label: string;
  /** Lower edge of each bracket in dollars, ascending; the last bracket is open. */
  readonly lowerEdges: readonly number[];
  /** Where the edges come from. */
  readonly source: string;
  /** Whose dollars the counts are in (see `incomeYearOf`). */
  readonly incomeYear: string;
}

/**
 * The 16 brackets of ACS B19001 (households) and B19101 (families), and of Census 2000 SF3
 * P052: <10k, 10–15k, 15–20k, 20–25k, 25–30k, 30–35k, 35–40k, 40–45k, 45–50k, 50–60k,
 * 60–75k, 75–100k, 100–125k, 125–150k, 150–200k, 200k+.
 */
export const BRACKETS_16: BracketSet = {
  id: 'B19001',
  label: '16 brackets (ACS B19001/B19101, Census 2000 P052)',
  lowerEdges: [
    0, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 60_000, 75_000,
    100_000, 125_000, 150_000, 200_000,
  ],
  source: 'US Census Bureau, ACS table B19001; Census 2000 SF3 table P052',
  incomeYear: 'ACS: the last year of the period (2014–18 → 2018 dollars); Census 2000 P052: 1999',
};

/**
 * The 25 brackets of Census 1990 STF3 P080 (1989 dollars): <5k, 5–10k, then $2,500 steps
 * from 10k to 50k, 50–55k, 55–60k, 60–75k, 75–100k, 100–125k, 125–150k, 150k+.
 */
export const BRACKETS_P080: BracketSet = {
  id: 'P080',
  label: '25 brackets (Census 1990 STF3 P080)',
  lowerEdges: [
    0, 5_000, 10_000, 12_500, 15_000, 17_500, 20_000, 22_500, 25_000, 27_500, 30_000, 32_500,
    35_000, 37_500, 40_000, 42_500, 45_000, 47_500, 50_000, 55_000, 60_000, 75_000, 100_000,
    125_000, 150_000,
  ],
  source: 'US Census Bureau, 1990 Census STF3 table P080',
  incomeYear: '1989 (income in the year before the census)',
};

export const BRACKET_SETS: Readonly<Record<BracketSet['id'], BracketSet>> = {
  B19001: BRACKETS_16,
  P080: BRACKETS_P080,
};

/**
 * The income year (whose dollars the brackets are in) for a data year. Decennial census
 * long forms ask for the previous calendar year's income (Census 2000 → 1999 dollars,
 * Census 1990 → 1989 dollars); an ACS 5-year period ending in Y is in Y dollars.
 */
export function incomeYearOf(dataYear: number, survey: 'decennial' | 'acs'): number {
  return survey === 'decennial' ? dataYear - 1 : dataYear;
}

/** A decennial year (1990, 2000) is a census long form; anything else is taken as ACS. */
export function surveyOfYear(dataYear: number): 'decennial' | 'acs' {
  return dataYear === 1990 || dataYear === 2000 || dataYear === 1980 ? 'decennial' : 'acs';
}

/**
 * How a data year is written for people: an ACS 5-year release is its period ("2019–23" for
 * the release labelled 2023, which pools 2019 to 2023 interviews; US Census Bureau, "Using
 * American Community Survey Estimates", 2020, ch. 3), a decennial census its year ("2000").
 */
export function periodLabel(dataYear: number): string {
  if (surveyOfYear(dataYear) === 'decennial') return String(dataYear);
  return `${dataYear - 4}–${String(dataYear % 100).padStart(2, '0')}`;
}
