/**
 * The Urban Displacement Project (UDP) displacement and gentrification typology, 2018 vintage,
 * reimplemented from UDP's public code (repository urban-displacement/displacement-typologies,
 * GPL-3.0; METHOD.md §7):
 * - `code/2_data_curation.py`: income interpolation (`income_interpolation`), regional medians
 *   (`rm_*`), CPI factors, income categories (`income_categories`), low-income movers
 *   (`income_interpolation_movein`), market types (`change_flag_encoded`), Zillow flags and the
 *   `aboverm_*` / `lostli_*` flags;
 * - `code/3_create_lag_vars.r`: the rent lag of nearby tracts and the flags `dp_PChRent`,
 *   `dp_RentGap` (used by At Risk of Gentrification only);
 * - `code/4_typology.py`: vulnerability (`vul_gent_*`), hot market, gentrification (`gent_*`),
 *   the nine type flags (SAE, AdvG, ARE, BE, SMMI, ARG, EOG, OD, LISD) and `typ_cat`;
 * - `code/5_map_creation.r`: the single published class (`Typology`) from `typ_cat`.
 *
 * Variables keep UDP's column names so every figure can be set beside UDP's
 * `<City>_typology_output.csv`. The "udp" mode follows the code, quirks included (each one is in
 * `UDP_QUIRKS`); the "method" mode switches off the quirks that have a clean alternative.
 *
 * Pure: numbers in, numbers out. Missing values follow pandas: NaN never passes a comparison, so
 * a missing share or median fails every "at or above the regional median" test (quirk
 * `missing-fails-tests`). Results give NaN as null.
 *
 * @example
 * const { tracts } = udpTypology(inputs, neighbours);            // UDP's code, quirks and all
 * tracts[0].udp_typology;                                        // 'Stable Moderate/Mixed Income'
 * tracts[0].checklist.vul_gent_18.map((c) => `${c.label}: ${c.pass}`);
 */
import { BRACKETS_16, BRACKETS_P080, type BracketSet } from './brackets';
import { priceFactor } from './cpi';
import { countBelow, medianIncome } from './rebin';

/** The Census API's "no estimate" code, which UDP's code left in several median columns. */
export const CENSUS_MISSING_VALUE = -666666666;

/**
 * Real-dollar factors hard-coded in `2_data_curation.py` ("CPI indexing values"): 1989, 1999 and
 * 2012 dollars → 2018 dollars. The rent lag in `3_create_lag_vars.r` uses 1.07 for 2012 → 2018.
 */
export const UDP_CPI_FACTORS = { 1989: 2.08, 1999: 1.53, 2012: 1.11 } as const;
export const UDP_LAG_RENT_2012_FACTOR = 1.07;

/** Every threshold of the typology, named, with where it sits in UDP's code. */
export const UDP_THRESHOLDS = {
  /** Low income: below 80% of the regional median household income (`income_interpolation`, 0.8). */
  lowIncomeCut: 0.8,
  /** High income: above 120% of it (1.2). */
  highIncomeCut: 1.2,
  /** "Predominantly" one income group: ≥ 55%, the others < 45% (`income_categories`). */
  predominant: 0.55,
  other: 0.45,
  /** `pop00flag`: 2000 population above 500 (`4_typology.py`). */
  population2000: 500,
  /** Market bands: ±5% real change (`2_data_curation.py`, "Setting 'Market Types'"). */
  marketBand: 0.05,
  /** `ab_90percentile_ch`: Zillow change above the region's 90th percentile. */
  zillowQuantile: 0.9,
  /** `ab_50pct_ch`: Zillow change above 50%. */
  zillowHalf: 0.5,
  /** `rent_90percentile_ch` / `rent_50pct_ch`: a fixed 90% / 50% real rent rise (not a percentile). */
  rentNinety: 0.9,
  rentHalf: 0.5,
  /** Vulnerability: more than 2 of the 4 demographic criteria (`> 2`). */
  vulnerableCriteria: 3,
  /** Low-income movers: below 80% of the regional median individual income. */
  moverCut: 0.8,
  /** Rent lag: neighbours within 0.1 × the largest nearest-neighbour centroid distance. */
  lagBandFactor: 0.1,
} as const;

// ---------------------------------------------------------------------------------------------
// Quirks
// ---------------------------------------------------------------------------------------------

export type UdpQuirkId =
  | 'regional-median-of-tract-medians'
  | 'fixed-cpi-factors'
  | 'crosswalked-medians-summed'
  | 'low-income-1990-uses-2000-households'
  | 'vulnerable-3-of-4'
  | 'smmi-2018-only'
  | 'missing-medians-kept-as-code'
  | 'missing-fails-tests'
  | 'college-2000-without-professional'
  | 'interpolation-edges'
  | 'market-bands'
  | 'hot-market-vs-change-of-medians'
  | 'rent-ninety-is-fixed'
  | 'regional-medians-over-zillow-tracts'
  | 'rent-lag-distance-band'
  | 'rent-lag-2012-factor'
  | 'rent-gap-medians-pooled'
  | 'typology-amendments';

export interface UdpQuirk {
  readonly id: UdpQuirkId;
  readonly title: string;
  /** What UDP's code does, and where. */
  readonly description: string;
  /** True when the "method" mode replaces it (`alternative` says with what). */
  readonly switchable: boolean;
  readonly alternative?: string;
}

/**
 * Where UDP's code departs from its methodology PDF or from standard practice (METHOD.md §7).
 * The "udp" mode reproduces every one; the "method" mode switches off the switchable ones.
 */
export const UDP_QUIRKS: readonly UdpQuirk[] = [
  {
    id: 'regional-median-of-tract-medians',
    title: 'Regional median = median of tract medians',
    description:
      'rm_hinc_18/00/90 are np.nanmedian of the tracts\' median household incomes (2_data_curation.py), not the median of the region\'s households; the 80%/120% income cuts hang on it.',
    switchable: true,
    alternative: 'median of the pooled bracket counts of all tracts (linear within brackets, METHOD.md §2)',
  },
  {
    id: 'fixed-cpi-factors',
    title: 'Fixed CPI factors 2.08 / 1.53 / 1.11',
    description: 'real_* values multiply 1989, 1999 and 2012 dollars by 2.08, 1.53 and 1.11 (CPI_89_18, CPI_99_18, CPI_12_18).',
    switchable: true,
    alternative: 'CPI-U annual-average ratios (src/core/cpi.ts: ×2.025, ×1.507, ×1.094)',
  },
  {
    id: 'crosswalked-medians-summed',
    title: 'Crosswalked medians are weighted sums',
    description:
      'crosswalk_files() multiplies the 2000 and 1990 medians (hinc, mhval, mrent) by the LTDB weights and sums them per 2010 tract: wrong for split or merged tracts, and these values feed the regional medians, vulnerability and the income-gain test.',
    switchable: true,
    alternative: 'median household income recomputed from the crosswalked brackets (rent and home value have no brackets and stay as UDP has them)',
  },
  {
    id: 'low-income-1990-uses-2000-households',
    title: '1990 low-income share over 2000 households',
    description: "income_interpolation(census, '90', 0.8, rm_hinc_90, 'hh_00', …) divides 1990 bracket counts by the 2000 household count; all_li_count_90 then multiplies that share by hh_90 (lostli_00).",
    switchable: true,
    alternative: '1990 brackets over 1990 households',
  },
  {
    id: 'vulnerable-3-of-4',
    title: 'Vulnerable: 3 of 4 criteria',
    description: 'vul_gent_* needs more than 2 of: low-income share, non-white share, renter share at or above the regional median, college share below it (4_typology.py); the methodology PDF says 2 of 4.',
    switchable: true,
    alternative: '2 or more of the 4 criteria',
  },
  {
    id: 'smmi-2018-only',
    title: 'Stable moderate/mixed income tested on 2018 only',
    description: 'SMMI looks at the 2018 income category only; the methodology asks for moderate/mixed/high income in 2000 as well.',
    switchable: true,
    alternative: 'moderate, mixed or high income in both 2000 and 2018',
  },
  {
    id: 'missing-medians-kept-as-code',
    title: 'Census "no estimate" code used as a number',
    description:
      'mhval_18, mrent_18, mhval_12, mrent_12, iinc_18 and iinc_12 keep -666666666 where the ACS has no estimate: the tract counts as below the regional median (vulnerable), its real change is about −100% (a market "decrease"), and the code enters the regional medians.',
    switchable: true,
    alternative: 'missing (NaN)',
  },
  {
    id: 'missing-fails-tests',
    title: 'Missing values fail every comparison',
    description:
      'np.where on NaN gives 0: a tract with no rent, home value or college share counts as "below the regional median", which can make it vulnerable; a missing change counts as "not above the median change".',
    switchable: false,
  },
  {
    id: 'college-2000-without-professional',
    title: '2000 college share leaves out professional degrees',
    description: 'per_col_00 adds bachelor\'s, master\'s and doctorates (male and female) but not professional-school degrees (P037 psd), which per_col_18 counts (B15003_024).',
    switchable: true,
    alternative: 'professional degrees counted in 2000 too',
  },
  {
    id: 'interpolation-edges',
    title: 'Bracket interpolation edges',
    description:
      'income_interpolation() spreads each bracket uniformly over [lower, upper − 0.01] and returns 0 for a cut below the first bracket\'s upper edge; it divides by the household column, not by the bracket sum.',
    switchable: true,
    alternative: 'rebinBrackets (linear within brackets, Pareto tail in the open bracket; METHOD.md §2)',
  },
  {
    id: 'market-bands',
    title: 'Market bands and their precedence',
    description:
      'Real change of home value 2000–18 and of rent 2012–18: decrease ≤ −5%, marginal (−5%, +5%), increase ≥ +5%, rapid ≥ the median of tracts that rose more than 5% (median over all tracts of the download). change_flag_encoded takes the highest band reached by either: rapid (3) over increase (2) over decrease/marginal (1).',
    switchable: false,
  },
  {
    id: 'hot-market-vs-change-of-medians',
    title: 'Hot market: tract change vs change of the regional medians',
    description: 'hotmarket_* compares a tract\'s real % change of home value or rent with the % change of the regional medians (pctch_rm_*), not with the median of tract changes.',
    switchable: false,
  },
  {
    id: 'rent-ninety-is-fixed',
    title: '"rent_90percentile_ch" is a fixed 90% rise',
    description: 'rent_90percentile_ch flags a real rent rise ≥ 90% (and rent_50pct_ch ≥ 50%), not the 90th percentile its name says; ab_90percentile_ch (Zillow) is a real percentile.',
    switchable: false,
  },
  {
    id: 'regional-medians-over-zillow-tracts',
    title: 'Regional medians over the tracts with Zillow data',
    description:
      'rm_hinc_* and the market-band medians are taken over every downloaded tract, the other rm_* over the tracts that survived the merge with Zillow (census_zillow), which is also the set of tracts typed.',
    switchable: false,
  },
  {
    id: 'rent-lag-distance-band',
    title: 'Nearby rents: inverse-distance weights in a distance band',
    description:
      '3_create_lag_vars.r builds queen contiguity (poly2nb) but uses a distance band instead: neighbours are tracts whose centroids lie within 0.1 × the largest nearest-neighbour centroid distance (in degrees of longitude/latitude), weighted 1/d² and row-standardised; tracts with no neighbour get a lag of 0. Missing rents take the county median.',
    switchable: false,
  },
  {
    id: 'rent-lag-2012-factor',
    title: 'Rent lag deflates 2012 rents by 1.07',
    description: 'tr_rents12 multiplies 2012 rents by 1.07, whereas 2_data_curation.py uses 1.11 for the same conversion.',
    switchable: false,
  },
  {
    id: 'rent-gap-medians-pooled',
    title: 'Rent-gap medians pooled over all UDP regions',
    description:
      'rm_pchrent, rm_pchrent.lag and rm_rent_gapprop are medians over every region in lag.csv at once (rm_rent_gap is the same in the Denver and Seattle outputs). A single region cannot reproduce them: the region\'s own medians are used unless given in options.rentGapMedians.',
    switchable: false,
  },
  {
    id: 'typology-amendments',
    title: 'Published class amends typ_cat',
    description:
      '5_map_creation.r maps typ_cat to one class: [AdvG, BE] → Advanced Gentrification; LISD or OD tracts that gentrified 1990–2000 (gent_90_00 or its "urban" variant, regardless of density) → Advanced Gentrification, 2000–2018 → Early/Ongoing Gentrification; tracts where college and graduate students are over 30% of those enrolled in school (ACS enrolment, tr_pstudents > 0.3) → High Student Population (not in the census files: not reproduced); anything else → Unavailable or Unreliable Data.',
    switchable: false,
  },
];

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** One census year of one tract (2018 = ACS 2014–18; 2000 and 1990 on 2010 tracts, crosswalked). */
export interface UdpYearInput {
  /** Households (hh_YY). */
  readonly households: number | null;
  /**
   * Household income bracket counts: 16 (B19001 / P052) for 2018 and 2000, 25 (P080) for 1990,
   * in dollars of the income year (2018, 1999, 1989).
   */
  readonly incomeBrackets: readonly number[] | null;
  /** Median household income as the file gives it (2000/1990: UDP's crosswalk-weighted sum). */
  readonly medianIncome: number | null;
  readonly medianRent: number | null;
  readonly medianHomeValue: number | null;
  readonly population: number | null;
  /** Non-Hispanic white alone. */
  readonly whiteNonHispanic: number | null;
  readonly ownerOccupied: number | null;
  readonly renterOccupied: number | null;
  /** Occupied housing units when the file has them (2000: H004001); otherwise owner + renter. */
  readonly occupiedUnits?: number | null;
  /** Persons 25 and over (1990: the sum of UDP's seven attainment columns). */
  readonly persons25: number | null;
  /** Persons 25+ with the degrees UDP counts (2018: BA, MA, professional, PhD; 2000: BA, MA, PhD; 1990: BA, graduate). */
  readonly college: number | null;
  /** 2000 only: professional-school degrees (P037 psd), left out by UDP. */
  readonly collegeProfessional?: number | null;
}

/**
 * Movers in the past year by individual income (ACS B07010), summed over moved within county,
 * from another county, from another state and from abroad (UDP's `mov_wc/oc/os/fa`).
 */
export interface UdpMovers {
  /** Movers with income (`mov_tot_w_income`). */
  readonly withIncome: number | null;
  /** 8 brackets: <10k, 10–15k, 15–25k, 25–35k, 35–50k, 50–65k, 65–75k, 75k+. */
  readonly byIncome: readonly number[] | null;
  /** Median individual income of the tract (B06011, `iinc`). */
  readonly medianIndividualIncome: number | null;
}

/** ACS 2008–2012 values UDP's 2018 summary file carries. */
export interface UdpAcs2012 {
  readonly medianRent: number | null;
  readonly medianHomeValue: number | null;
  readonly movers: UdpMovers | null;
}

/**
 * Inputs the census files lack, taken from UDP's own output: Zillow home-value change
 * (`per_ch_zillow_12_18`, Zillow ZHVI by ZIP → tract), density (`dense`: PUMA density ≥ 3,000
 * per mi², from `3_create_lag_vars.r`) and housing affordability (`lmh_flag_encoded`, from NHGIS
 * ACS 2013–17 rent and owner-cost brackets, `2_data_curation.py`). A tract without this row is
 * outside UDP's typed set (it did not survive the merge with Zillow).
 */
export interface UdpExternalInputs {
  readonly per_ch_zillow_12_18: number | null;
  readonly dense: number | null;
  /**
   * 1 predominantly affordable to low income, 2 moderate, 3 high, 4 mixed low, 5 mixed
   * moderate, 6 mixed high, 0 none.
   */
  readonly lmh_flag_encoded: number | null;
}

export interface UdpTractInput {
  /** 11-digit tract GEOID (2010 tracts). */
  readonly geoid: string;
  readonly y2018: (UdpYearInput & { readonly movers: UdpMovers | null }) | null;
  readonly y2012: UdpAcs2012 | null;
  readonly y2000: UdpYearInput | null;
  readonly y1990: UdpYearInput | null;
  readonly external: UdpExternalInputs | null;
}

/** A nearby tract and its (unnormalised) weight; the lag row-standardises. */
export interface UdpNeighbour {
  readonly geoid: string;
  readonly weight: number;
}

export type UdpNeighbours = ReadonlyMap<string, readonly UdpNeighbour[]>;

export interface UdpOptions {
  /** "udp" (default): UDP's code with every quirk; "method": switchable quirks off. */
  readonly mode?: 'udp' | 'method';
  /** Per-quirk override of the mode (true = behave like UDP's code). */
  readonly quirks?: Partial<Record<UdpQuirkId, boolean>>;
  /**
   * UDP's rent-gap medians, pooled over all its regions (quirk `rent-gap-medians-pooled`);
   * each missing one is the median over this region's typed tracts.
   */
  readonly rentGapMedians?: { readonly pchrent?: number; readonly pchrentLag?: number; readonly rentGapProp?: number };
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export type UdpTypologyCode = 'LISD' | 'OD' | 'ARG' | 'EOG' | 'AdvG' | 'SMMI' | 'ARE' | 'BE' | 'SAE';

/** Order of `typ_cat` in 4_typology.py. */
export const UDP_TYPOLOGY_CODES: readonly UdpTypologyCode[] = ['LISD', 'OD', 'ARG', 'EOG', 'AdvG', 'SMMI', 'ARE', 'BE', 'SAE'];

/** Class names as UDP publishes them (`5_map_creation.r`, `Typology`). */
export const UDP_TYPOLOGY_LABELS: Readonly<Record<UdpTypologyCode | 'unavailable' | 'students', string>> = {
  LISD: 'Low-Income/Susceptible to Displacement',
  OD: 'Ongoing Displacement',
  ARG: 'At Risk of Gentrification',
  EOG: 'Early/Ongoing Gentrification',
  AdvG: 'Advanced Gentrification',
  SMMI: 'Stable Moderate/Mixed Income',
  ARE: 'At Risk of Becoming Exclusive',
  BE: 'Becoming Exclusive',
  SAE: 'Stable/Advanced Exclusive',
  unavailable: 'Unavailable or Unreliable Data',
  students: 'High Student Population',
};

/** Numbers derived per tract, under UDP's column names (null = NaN in UDP's frame). */
export interface UdpTractValues {
  hinc_18: number | null;
  hinc_00: number | null;
  hinc_90: number | null;
  inc80_18: number | null;
  inc120_18: number | null;
  inc80_00: number | null;
  inc120_00: number | null;
  inc80_90: number | null;
  low_80120_18: number | null;
  mod_80120_18: number | null;
  high_80120_18: number | null;
  low_80120_00: number | null;
  mod_80120_00: number | null;
  high_80120_00: number | null;
  per_all_li_90: number | null;
  per_all_li_00: number | null;
  per_all_li_18: number | null;
  all_li_count_90: number | null;
  all_li_count_00: number | null;
  all_li_count_18: number | null;
  real_hinc_90: number | null;
  real_hinc_00: number | null;
  real_hinc_18: number | null;
  real_mhval_90: number | null;
  real_mhval_00: number | null;
  real_mhval_12: number | null;
  real_mhval_18: number | null;
  real_mrent_90: number | null;
  real_mrent_00: number | null;
  real_mrent_12: number | null;
  real_mrent_18: number | null;
  per_nonwhite_90: number | null;
  per_nonwhite_00: number | null;
  per_nonwhite_18: number | null;
  per_rent_90: number | null;
  per_rent_00: number | null;
  per_rent_18: number | null;
  per_col_90: number | null;
  per_col_00: number | null;
  per_col_18: number | null;
  per_limove_18: number | null;
  per_limove_12: number | null;
  ch_per_limove_12_18: number | null;
  pctch_real_mhval_00_18: number | null;
  pctch_real_mrent_12_18: number | null;
  pctch_real_mhval_90_00: number | null;
  pctch_real_mrent_90_00: number | null;
  pctch_real_hinc_90_00: number | null;
  pctch_real_mrent_00_18: number | null;
  pctch_real_hinc_00_18: number | null;
  ch_all_li_count_90_00: number | null;
  ch_all_li_count_00_18: number | null;
  ch_per_col_90_00: number | null;
  ch_per_col_00_18: number | null;
  per_ch_zillow_12_18: number | null;
  pop_00: number | null;
  /** Rent lag (3_create_lag_vars.r): 2018 rent, 2012 rent × 1.07, both with county-median fill. */
  tr_medrent18: number | null;
  tr_medrent12: number | null;
  tr_pchrent: number | null;
  tr_pchrent_lag: number | null;
  tr_medrent18_lag: number | null;
  tr_rent_gap: number | null;
  tr_rent_gapprop: number | null;
}

/** 0/1 flags under UDP's names; null where UDP's frame holds NaN. */
export interface UdpTractFlags {
  pop00flag: boolean;
  low_pdmt_medhhinc_18: boolean | null;
  mod_pdmt_medhhinc_18: boolean | null;
  high_pdmt_medhhinc_18: boolean | null;
  mix_low_medhhinc_18: boolean | null;
  mix_mod_medhhinc_18: boolean | null;
  mix_high_medhhinc_18: boolean | null;
  low_pdmt_medhhinc_00: boolean | null;
  mod_pdmt_medhhinc_00: boolean | null;
  high_pdmt_medhhinc_00: boolean | null;
  mix_low_medhhinc_00: boolean | null;
  mix_mod_medhhinc_00: boolean | null;
  mix_high_medhhinc_00: boolean | null;
  aboverm_per_all_li_90: boolean;
  aboverm_per_all_li_00: boolean;
  aboverm_per_all_li_18: boolean;
  aboverm_per_nonwhite_90: boolean;
  aboverm_per_nonwhite_00: boolean;
  aboverm_per_nonwhite_18: boolean;
  aboverm_per_rent_90: boolean;
  aboverm_per_rent_00: boolean;
  aboverm_per_rent_18: boolean;
  aboverm_per_col_90: boolean;
  aboverm_per_col_00: boolean;
  aboverm_per_col_18: boolean;
  aboverm_real_mrent_90: boolean;
  aboverm_real_mrent_00: boolean;
  aboverm_real_mrent_18: boolean;
  aboverm_real_mhval_90: boolean;
  aboverm_real_mhval_00: boolean;
  aboverm_real_mhval_18: boolean;
  aboverm_pctch_real_mhval_00_18: boolean;
  aboverm_pctch_real_mrent_12_18: boolean;
  aboverm_pctch_real_mhval_90_00: boolean;
  aboverm_pctch_real_mrent_90_00: boolean;
  aboverm_pctch_real_hinc_90_00: boolean;
  aboverm_pctch_real_hinc_00_18: boolean;
  aboverm_ch_per_col_90_00: boolean;
  aboverm_ch_per_col_00_18: boolean;
  ab_50pct_ch: boolean;
  ab_90percentile_ch: boolean;
  rent_50pct_ch: boolean;
  rent_90percentile_ch: boolean;
  hv_abrm_ch: boolean;
  rent_abrm_ch: boolean;
  lostli_00: boolean;
  lostli_18: boolean;
  vul_gent_90: boolean;
  vul_gent_00: boolean;
  vul_gent_18: boolean;
  hotmarket_00: boolean;
  hotmarket_18: boolean;
  gent_90_00: boolean;
  gent_90_00_urban: boolean;
  gent_00_18: boolean;
  gent_00_18_urban: boolean;
  dp_PChRent: boolean;
  dp_RentGap: boolean;
  SAE: boolean | null;
  AdvG: boolean | null;
  ARE: boolean | null;
  BE: boolean | null;
  SMMI: boolean | null;
  ARG: boolean | null;
  EOG: boolean | null;
  OD: boolean | null;
  LISD: boolean;
}

/** One criterion of a flag, for a checklist ("why is this tract vulnerable?"). */
export interface UdpCriterion {
  readonly id: string;
  readonly label: string;
  /** null: the value is missing (UDP's code then treats the test as failed, quirk `missing-fails-tests`). */
  readonly pass: boolean | null;
  /** The tract's value against the threshold, in words, e.g. "0.48 ≥ 0.36". */
  readonly detail: string;
}

export type UdpChecklistFlag =
  | 'vul_gent_90' | 'vul_gent_00' | 'vul_gent_18' | 'hotmarket_00' | 'hotmarket_18'
  | 'gent_90_00' | 'gent_00_18' | 'lostli_00' | 'lostli_18' | 'change_flag' | 'dp_PChRent' | 'dp_RentGap'
  | UdpTypologyCode;

export type UdpChecklist = Readonly<Record<UdpChecklistFlag, readonly UdpCriterion[]>>;

export interface UdpTractResult {
  readonly geoid: string;
  /** In UDP's typed set (has the external Zillow/density/affordability row). */
  readonly inUniverse: boolean;
  readonly values: UdpTractValues;
  readonly flags: UdpTractFlags;
  /** Income category 1–6 (low, mixed-low, moderate, mixed-moderate, mixed-high, high), 0 none, null when the median is 0. */
  readonly inc_cat_medhhinc_18: number | null;
  readonly inc_cat_medhhinc_00: number | null;
  /** Market type: 1 decrease/marginal, 2 increase, 3 rapid increase, 0 no data. */
  readonly change_flag_encoded: 0 | 1 | 2 | 3;
  readonly lmh_flag_encoded: number | null;
  readonly dense: number | null;
  /** The type flags that are 1, in UDP's order (`typ_cat`). */
  readonly typ_cat: readonly UdpTypologyCode[];
  /** The published class (5_map_creation.r without its student-population rule). */
  readonly udp_typology: string;
  readonly udp_typology_code: UdpTypologyCode | 'unavailable';
  /** True when the published class differs from a single typ_cat entry (quirk `typology-amendments`). */
  readonly amended: boolean;
  readonly checklist: UdpChecklist;
}

/** Regional figures (UDP's `rm_*` and friends). */
export interface UdpRegionalValues {
  readonly rm_hinc_18: number | null;
  readonly rm_hinc_00: number | null;
  readonly rm_hinc_90: number | null;
  readonly rm_iinc_18: number | null;
  readonly rm_iinc_12: number | null;
  readonly rm_pctch_real_mhval_00_18_increase: number | null;
  readonly rm_pctch_real_mrent_12_18_increase: number | null;
  readonly rm_per_all_li_90: number | null;
  readonly rm_per_all_li_00: number | null;
  readonly rm_per_all_li_18: number | null;
  readonly rm_per_nonwhite_90: number | null;
  readonly rm_per_nonwhite_00: number | null;
  readonly rm_per_nonwhite_18: number | null;
  readonly rm_per_col_90: number | null;
  readonly rm_per_col_00: number | null;
  readonly rm_per_col_18: number | null;
  readonly rm_per_rent_90: number | null;
  readonly rm_per_rent_00: number | null;
  readonly rm_per_rent_18: number | null;
  readonly rm_real_mrent_90: number | null;
  readonly rm_real_mrent_00: number | null;
  readonly rm_real_mrent_12: number | null;
  readonly rm_real_mrent_18: number | null;
  readonly rm_real_mhval_90: number | null;
  readonly rm_real_mhval_00: number | null;
  readonly rm_real_mhval_18: number | null;
  readonly rm_real_hinc_90: number | null;
  readonly rm_real_hinc_00: number | null;
  readonly rm_real_hinc_18: number | null;
  readonly rm_per_ch_zillow_12_18: number | null;
  readonly rm_pctch_real_mrent_12_18: number | null;
  readonly zillow_percentile_90: number | null;
  readonly pctch_rm_real_mhval_90_00: number | null;
  readonly pctch_rm_real_mrent_90_00: number | null;
  readonly pctch_rm_real_mhval_00_18: number | null;
  readonly pctch_rm_real_mrent_00_18: number | null;
  readonly pctch_rm_real_mrent_12_18: number | null;
  readonly pctch_rm_real_hinc_90_00: number | null;
  readonly pctch_rm_real_hinc_00_18: number | null;
  readonly ch_rm_per_col_90_00: number | null;
  readonly ch_rm_per_col_00_18: number | null;
  readonly rm_pchrent: number | null;
  readonly rm_pchrent_lag: number | null;
  readonly rm_rent_gapprop: number | null;
  /** The dollar factors used: 1989, 1999, 2012 → 2018. */
  readonly cpi: { readonly 1989: number; readonly 1999: number; readonly 2012: number };
}

export interface UdpTypologyResult {
  readonly tracts: UdpTractResult[];
  readonly region: UdpRegionalValues;
  readonly mode: 'udp' | 'method';
  /** The quirks in force for this run. */
  readonly quirks: readonly UdpQuirk[];
  /** Tracts in the census files, tracts typed (with external inputs). */
  readonly counts: { readonly tracts: number; readonly typed: number };
}

// ---------------------------------------------------------------------------------------------
// Numeric helpers with pandas semantics (NaN propagates, NaN fails comparisons)
// ---------------------------------------------------------------------------------------------

const nan = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
const out = (v: number): number | null => (Number.isNaN(v) ? null : v);
const ascending = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/** np.nanmedian: the median of the non-NaN values (infinities included), NaN when none. */
export function nanMedian(values: readonly number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort(ascending);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** pandas Series.quantile(q) (linear interpolation between order statistics, NaN skipped). */
export function pandasQuantile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort(ascending);
  if (v.length === 0) return NaN;
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/**
 * UDP's `income_interpolation` for one tract: the share of units below `cut`, from bracket
 * shares `shares` whose columns are named by their exclusive upper edge (`labels`, e.g. 10000
 * for <$10k, 201000 for $200k+). Bracket i+1 is spread over [labels[i], labels[i+1] − 0.01];
 * a cut below labels[0] gives 0 (quirk `interpolation-edges`).
 */
export function udpInterpolateShare(labels: readonly number[], shares: readonly number[], cut: number): number {
  let result = 0;
  let cumulative = 0;
  for (let i = 0; i < labels.length - 1; i++) {
    const a = labels[i];
    const b = labels[i + 1] - 0.01;
    cumulative += shares[i];
    if (cut >= a && cut < b) result = ((cut - a) / (b - a)) * shares[i + 1] + cumulative;
  }
  return result;
}

/** Column labels (exclusive upper edges) UDP's files give the brackets: `I_10000` … `I_201000`, `I_5000` … `I_150001`. */
export function udpBracketLabels(set: BracketSet): number[] {
  const edges = set.lowerEdges;
  const top = edges[edges.length - 1] + (set.id === 'P080' ? 1 : 1000);
  return [...edges.slice(1), top];
}

/** B07010 mover brackets as UDP's columns name them (`mov_*_9000` … `mov_*_76000_more`). */
export const UDP_MOVER_LABELS: readonly number[] = [9000, 15000, 25000, 35000, 50000, 65000, 75000, 76000];
/** Lower edges of the same B07010 brackets ($1–9,999 or loss, $10,000–14,999, …, $75,000 or more). */
const B07010_LOWER_EDGES: readonly number[] = [0, 10000, 15000, 25000, 35000, 50000, 65000, 75000];

const fmt = (v: number): string => {
  if (Number.isNaN(v)) return 'missing';
  if (!Number.isFinite(v)) return v > 0 ? '+∞' : '−∞';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Number.isInteger(v)) return String(v);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(3);
};

function criterion(id: string, label: string, value: number, op: '>=' | '>' | '<' | '<=' | '==', threshold: number): UdpCriterion {
  const missing = Number.isNaN(value) || Number.isNaN(threshold);
  const pass =
    op === '>=' ? value >= threshold : op === '>' ? value > threshold : op === '<' ? value < threshold : op === '<=' ? value <= threshold : value === threshold;
  const sym = { '>=': '≥', '>': '>', '<': '<', '<=': '≤', '==': '=' }[op];
  return { id, label, pass: missing ? null : pass, detail: `${fmt(value)} ${pass ? sym : `not ${sym}`} ${fmt(threshold)}` };
}

function boolCriterion(id: string, label: string, pass: boolean | null, detail = ''): UdpCriterion {
  return { id, label, pass, detail: detail || (pass === null ? 'missing' : pass ? 'yes' : 'no') };
}

// ---------------------------------------------------------------------------------------------
// The typology
// ---------------------------------------------------------------------------------------------

interface Work {
  input: UdpTractInput;
  v: Record<keyof UdpTractValues, number>;
}

/**
 * The UDP typology for one region.
 *
 * @param tracts every tract of the region's census files; those with `external` are typed
 * @param neighbours nearby tracts and weights for the rent lag (UDP: inverse squared distance
 *   within a distance band, see `src/data/udpInputs.ts`); neighbours missing from `tracts` are
 *   skipped and the weights renormalised
 */
export function udpTypology(tracts: readonly UdpTractInput[], neighbours: UdpNeighbours, options: UdpOptions = {}): UdpTypologyResult {
  const mode = options.mode ?? 'udp';
  const quirkOn = (id: UdpQuirkId): boolean => options.quirks?.[id] ?? (mode === 'udp' || !UDP_QUIRKS.find((q) => q.id === id)!.switchable);
  const T = UDP_THRESHOLDS;
  const cpi = quirkOn('fixed-cpi-factors')
    ? { 1989: UDP_CPI_FACTORS[1989], 1999: UDP_CPI_FACTORS[1999], 2012: UDP_CPI_FACTORS[2012] }
    : { 1989: priceFactor(1989, 2018), 1999: priceFactor(1999, 2018), 2012: priceFactor(2012, 2018) };
  const sentinel = quirkOn('missing-medians-kept-as-code');
  const acsMedian = (v: number | null | undefined): number => (v === null || v === undefined ? (sentinel ? CENSUS_MISSING_VALUE : NaN) : v);
  const nonNegative = (v: number | null | undefined): number => (v === null || v === undefined || v < 0 ? NaN : v);

  for (const t of tracts) {
    checkBrackets(t.geoid, '2018', t.y2018?.incomeBrackets, BRACKETS_16);
    checkBrackets(t.geoid, '2000', t.y2000?.incomeBrackets, BRACKETS_16);
    checkBrackets(t.geoid, '1990', t.y1990?.incomeBrackets, BRACKETS_P080);
  }

  // Median household income per tract: the file's (2000/1990: crosswalk-weighted sums) or, in
  // the method mode, recomputed from the crosswalked brackets.
  const summedMedians = quirkOn('crosswalked-medians-summed');
  const hinc = (y: UdpYearInput | null, set: BracketSet, crosswalked: boolean): number => {
    if (!y) return NaN;
    if (crosswalked && !summedMedians && y.incomeBrackets) return nan(medianIncome(y.incomeBrackets, set));
    return nonNegative(y.medianIncome);
  };
  const work: Work[] = tracts.map((input) => {
    const v = {} as Record<keyof UdpTractValues, number>;
    v.hinc_18 = hinc(input.y2018, BRACKETS_16, false);
    v.hinc_00 = hinc(input.y2000, BRACKETS_16, true);
    v.hinc_90 = hinc(input.y1990, BRACKETS_P080, true);
    return { input, v };
  });

  // --- Regional medians over every downloaded tract (census frame).
  const pooledMedian = (pick: (t: UdpTractInput) => UdpYearInput | null, set: BracketSet): number => {
    const pooled = new Array<number>(set.lowerEdges.length).fill(0);
    for (const t of tracts) pick(t)?.incomeBrackets?.forEach((n, i) => (pooled[i] += n));
    return nan(medianIncome(pooled, set));
  };
  const tractMedians = quirkOn('regional-median-of-tract-medians');
  const rm_hinc_18 = tractMedians ? nanMedian(work.map((w) => w.v.hinc_18)) : pooledMedian((t) => t.y2018, BRACKETS_16);
  const rm_hinc_00 = tractMedians ? nanMedian(work.map((w) => w.v.hinc_00)) : pooledMedian((t) => t.y2000, BRACKETS_16);
  const rm_hinc_90 = tractMedians ? nanMedian(work.map((w) => w.v.hinc_90)) : pooledMedian((t) => t.y1990, BRACKETS_P080);
  const iinc = (m: UdpMovers | null | undefined): number => (m ? acsMedian(m.medianIndividualIncome) : NaN);
  const rm_iinc_18 = nanMedian(tracts.map((t) => iinc(t.y2018?.movers)));
  const rm_iinc_12 = nanMedian(tracts.map((t) => iinc(t.y2012?.movers)));

  // --- Low-income shares (income_interpolation).
  const udpEdges = quirkOn('interpolation-edges');
  const shareBelow = (y: UdpYearInput | null, set: BracketSet, cut: number, denominator: number): number => {
    const labels = udpBracketLabels(set);
    // A tract missing from a year's file has NaN brackets in UDP's merged frame.
    const counts = y?.incomeBrackets ?? new Array<number>(labels.length).fill(NaN);
    if (udpEdges) return udpInterpolateShare(labels, counts.map((n) => n / denominator), cut);
    if (!y?.incomeBrackets) return NaN;
    return countBelow(y.incomeBrackets, set, cut) / denominator;
  };
  const li1990Quirk = quirkOn('low-income-1990-uses-2000-households');
  for (const w of work) {
    const { y2018, y2000, y1990 } = w.input;
    const hh18 = nan(y2018?.households);
    const hh00 = nan(y2000?.households);
    const hh90 = nan(y1990?.households);
    const v = w.v;
    v.inc80_18 = shareBelow(y2018, BRACKETS_16, T.lowIncomeCut * rm_hinc_18, hh18);
    v.inc120_18 = shareBelow(y2018, BRACKETS_16, T.highIncomeCut * rm_hinc_18, hh18);
    v.inc80_00 = shareBelow(y2000, BRACKETS_16, T.lowIncomeCut * rm_hinc_00, hh00);
    v.inc120_00 = shareBelow(y2000, BRACKETS_16, T.highIncomeCut * rm_hinc_00, hh00);
    v.inc80_90 = shareBelow(y1990, BRACKETS_P080, T.lowIncomeCut * rm_hinc_90, li1990Quirk ? hh00 : hh90);
    v.low_80120_18 = v.inc80_18;
    v.mod_80120_18 = v.inc120_18 - v.inc80_18;
    v.high_80120_18 = 1 - v.inc120_18;
    v.low_80120_00 = v.inc80_00;
    v.mod_80120_00 = v.inc120_00 - v.inc80_00;
    v.high_80120_00 = 1 - v.inc120_00;
    v.per_all_li_90 = v.inc80_90;
    v.per_all_li_00 = v.inc80_00;
    v.per_all_li_18 = v.inc80_18;
    v.all_li_count_90 = v.per_all_li_90 * hh90;
    v.all_li_count_00 = v.per_all_li_00 * hh00;
    v.all_li_count_18 = v.per_all_li_18 * hh18;

    // Rent, value, income in 2018 dollars.
    const y2012 = w.input.y2012;
    v.real_hinc_90 = v.hinc_90 * cpi[1989];
    v.real_hinc_00 = v.hinc_00 * cpi[1999];
    v.real_hinc_18 = v.hinc_18;
    v.real_mhval_90 = nan(y1990?.medianHomeValue) * cpi[1989];
    v.real_mrent_90 = nan(y1990?.medianRent) * cpi[1989];
    v.real_mhval_00 = nan(y2000?.medianHomeValue) * cpi[1999];
    v.real_mrent_00 = nan(y2000?.medianRent) * cpi[1999];
    v.real_mhval_12 = (y2012 ? acsMedian(y2012.medianHomeValue) : NaN) * cpi[2012];
    v.real_mrent_12 = (y2012 ? acsMedian(y2012.medianRent) : NaN) * cpi[2012];
    v.real_mhval_18 = y2018 ? acsMedian(y2018.medianHomeValue) : NaN;
    v.real_mrent_18 = y2018 ? acsMedian(y2018.medianRent) : NaN;

    // Demographics.
    const nonwhite = (y: UdpYearInput | null) => 1 - nan(y?.whiteNonHispanic) / nan(y?.population);
    v.per_nonwhite_90 = nonwhite(y1990);
    v.per_nonwhite_00 = nonwhite(y2000);
    v.per_nonwhite_18 = nonwhite(y2018);
    const renters = (y: UdpYearInput | null, useOccupied: boolean) =>
      nan(y?.renterOccupied) / (useOccupied ? nan(y?.occupiedUnits) : nan(y?.ownerOccupied) + nan(y?.renterOccupied));
    v.per_rent_90 = renters(y1990, false);
    v.per_rent_00 = renters(y2000, y2000?.occupiedUnits !== undefined && y2000?.occupiedUnits !== null);
    v.per_rent_18 = renters(y2018, false);
    const college = (y: UdpYearInput | null, addProfessional: boolean) =>
      (nan(y?.college) + (addProfessional ? nan(y?.collegeProfessional ?? 0) : 0)) / nan(y?.persons25);
    v.per_col_90 = college(y1990, false);
    v.per_col_00 = college(y2000, !quirkOn('college-2000-without-professional'));
    v.per_col_18 = college(y2018, false);

    // Low-income movers (income_interpolation_movein).
    v.per_limove_18 = moversBelow(y2018?.movers ?? null, T.moverCut * rm_iinc_18, udpEdges);
    v.per_limove_12 = moversBelow(y2012?.movers ?? null, T.moverCut * rm_iinc_12, udpEdges);
    v.ch_per_limove_12_18 = v.per_limove_18 - v.per_limove_12;

    v.pctch_real_mhval_00_18 = (v.real_mhval_18 - v.real_mhval_00) / v.real_mhval_00;
    v.pctch_real_mrent_12_18 = (v.real_mrent_18 - v.real_mrent_12) / v.real_mrent_12;
    v.pop_00 = nan(y2000?.population);
    v.per_ch_zillow_12_18 = nan(w.input.external?.per_ch_zillow_12_18);
  }

  // --- Market types (2_data_curation.py, "Setting 'Market Types'"): bands over every tract.
  const above5 = (xs: number[]) => nanMedian(xs.filter((x) => x > T.marketBand));
  const rm_pctch_real_mhval_00_18_increase = above5(work.map((w) => w.v.pctch_real_mhval_00_18));
  const rm_pctch_real_mrent_12_18_increase = above5(work.map((w) => w.v.pctch_real_mrent_12_18));

  // --- Regional medians over the typed tracts (census_zillow frame).
  const typed = work.filter((w) => w.input.external !== null);
  const rm = (key: keyof UdpTractValues) => nanMedian(typed.map((w) => w.v[key]));
  const region = {
    rm_per_all_li_90: rm('per_all_li_90'),
    rm_per_all_li_00: rm('per_all_li_00'),
    rm_per_all_li_18: rm('per_all_li_18'),
    rm_per_nonwhite_90: rm('per_nonwhite_90'),
    rm_per_nonwhite_00: rm('per_nonwhite_00'),
    rm_per_nonwhite_18: rm('per_nonwhite_18'),
    rm_per_col_90: rm('per_col_90'),
    rm_per_col_00: rm('per_col_00'),
    rm_per_col_18: rm('per_col_18'),
    rm_per_rent_90: rm('per_rent_90'),
    rm_per_rent_00: rm('per_rent_00'),
    rm_per_rent_18: rm('per_rent_18'),
    rm_real_mrent_90: rm('real_mrent_90'),
    rm_real_mrent_00: rm('real_mrent_00'),
    rm_real_mrent_12: rm('real_mrent_12'),
    rm_real_mrent_18: rm('real_mrent_18'),
    rm_real_mhval_90: rm('real_mhval_90'),
    rm_real_mhval_00: rm('real_mhval_00'),
    rm_real_mhval_18: rm('real_mhval_18'),
    rm_real_hinc_90: rm('real_hinc_90'),
    rm_real_hinc_00: rm('real_hinc_00'),
    rm_real_hinc_18: rm('real_hinc_18'),
    rm_per_ch_zillow_12_18: rm('per_ch_zillow_12_18'),
    rm_pctch_real_mrent_12_18: rm('pctch_real_mrent_12_18'),
    zillow_percentile_90: pandasQuantile(typed.map((w) => w.v.per_ch_zillow_12_18), T.zillowQuantile),
  };
  const pct = (to: number, from: number) => (to - from) / from;
  const changes = {
    pctch_rm_real_mhval_90_00: pct(region.rm_real_mhval_00, region.rm_real_mhval_90),
    pctch_rm_real_mrent_90_00: pct(region.rm_real_mrent_00, region.rm_real_mrent_90),
    pctch_rm_real_mhval_00_18: pct(region.rm_real_mhval_18, region.rm_real_mhval_00),
    pctch_rm_real_mrent_00_18: pct(region.rm_real_mrent_18, region.rm_real_mrent_00),
    pctch_rm_real_mrent_12_18: pct(region.rm_real_mrent_18, region.rm_real_mrent_12),
    pctch_rm_real_hinc_90_00: pct(region.rm_real_hinc_00, region.rm_real_hinc_90),
    pctch_rm_real_hinc_00_18: pct(region.rm_real_hinc_18, region.rm_real_hinc_00),
    ch_rm_per_col_90_00: region.rm_per_col_00 - region.rm_per_col_90,
    ch_rm_per_col_00_18: region.rm_per_col_18 - region.rm_per_col_00,
  };

  // --- Rent lag (3_create_lag_vars.r): county-median fill, inverse-distance lag.
  rentLag(work, neighbours);
  const pooled = options.rentGapMedians ?? {};
  const lagMedians = {
    rm_pchrent: pooled.pchrent ?? rm('tr_pchrent'),
    rm_pchrent_lag: pooled.pchrentLag ?? rm('tr_pchrent_lag'),
    rm_rent_gapprop: pooled.rentGapProp ?? rm('tr_rent_gapprop'),
  };

  const threeOfFour = quirkOn('vulnerable-3-of-4');
  const smmi2018Only = quirkOn('smmi-2018-only');
  const results: UdpTractResult[] = work.map((w) =>
    classify(w, { ...region, ...changes, ...lagMedians, rm_hinc_18, rm_hinc_00, rm_hinc_90, rm_pctch_real_mhval_00_18_increase, rm_pctch_real_mrent_12_18_increase }, {
      threeOfFour,
      smmi2018Only,
    }),
  );

  const all = {
    rm_hinc_18,
    rm_hinc_00,
    rm_hinc_90,
    rm_iinc_18,
    rm_iinc_12,
    rm_pctch_real_mhval_00_18_increase,
    rm_pctch_real_mrent_12_18_increase,
    ...region,
    ...changes,
    ...lagMedians,
  };
  const regionOut = Object.fromEntries(Object.entries(all).map(([k, x]) => [k, out(x)])) as unknown as Omit<UdpRegionalValues, 'cpi'>;
  return {
    tracts: results,
    region: { ...regionOut, cpi },
    mode,
    quirks: UDP_QUIRKS.filter((q) => quirkOn(q.id)),
    counts: { tracts: tracts.length, typed: typed.length },
  };
}

function checkBrackets(geoid: string, year: string, counts: readonly number[] | null | undefined, set: BracketSet): void {
  if (counts && counts.length !== set.lowerEdges.length) {
    throw new RangeError(`tract ${geoid}: ${year} has ${counts.length} income brackets; ${set.label} has ${set.lowerEdges.length}`);
  }
}

/** Share of movers with income below `cut` (UDP's `per_limove_*`). */
function moversBelow(m: UdpMovers | null, cut: number, udpEdges: boolean): number {
  if (!m || !m.byIncome) return NaN;
  const total = nan(m.withIncome);
  const shares = m.byIncome.map((n) => n / total);
  if (udpEdges) return udpInterpolateShare(UDP_MOVER_LABELS, shares, cut);
  // Linear within the B07010 brackets; nothing of the open top bracket.
  const lower = B07010_LOWER_EDGES;
  let below = 0;
  for (let i = 0; i < lower.length; i++) {
    const upper = i + 1 < lower.length ? lower[i + 1] : Infinity;
    if (cut >= upper) below += shares[i];
    else if (cut > lower[i]) below += Number.isFinite(upper) ? (shares[i] * (cut - lower[i])) / (upper - lower[i]) : 0;
  }
  return below;
}

/** County-median fill, then the weighted lag of rent change and 2018 rent over `neighbours`. */
function rentLag(work: Work[], neighbours: UdpNeighbours): void {
  const byCounty = new Map<string, { r18: number[]; r12: number[] }>();
  const rent18 = (w: Work) => nan(w.input.y2018?.medianRent);
  const rent12 = (w: Work) => nan(w.input.y2012?.medianRent) * UDP_LAG_RENT_2012_FACTOR;
  for (const w of work) {
    const c = w.input.geoid.slice(0, 5);
    const entry = byCounty.get(c) ?? { r18: [], r12: [] };
    entry.r18.push(rent18(w));
    entry.r12.push(rent12(w));
    byCounty.set(c, entry);
  }
  const countyMedian = new Map([...byCounty].map(([c, e]) => [c, { r18: nanMedian(e.r18), r12: nanMedian(e.r12) }]));
  const index = new Map(work.map((w) => [w.input.geoid, w]));
  for (const w of work) {
    const m = countyMedian.get(w.input.geoid.slice(0, 5))!;
    const r18 = rent18(w);
    const r12 = rent12(w);
    w.v.tr_medrent18 = Number.isNaN(r18) ? m.r18 : r18;
    w.v.tr_medrent12 = Number.isNaN(r12) ? m.r12 : r12;
    w.v.tr_pchrent = (w.v.tr_medrent18 - w.v.tr_medrent12) / w.v.tr_medrent12;
  }
  for (const w of work) {
    let sw = 0;
    let sp = 0;
    let sr = 0;
    for (const n of neighbours.get(w.input.geoid) ?? []) {
      const o = index.get(n.geoid);
      if (!o || o === w) continue;
      sw += n.weight;
      sp += n.weight * o.v.tr_pchrent;
      sr += n.weight * o.v.tr_medrent18;
    }
    // spdep zero.policy: a tract without neighbours gets a lag of 0.
    w.v.tr_pchrent_lag = sw > 0 ? sp / sw : 0;
    w.v.tr_medrent18_lag = sw > 0 ? sr / sw : 0;
    w.v.tr_rent_gap = w.v.tr_medrent18_lag - w.v.tr_medrent18;
    w.v.tr_rent_gapprop = w.v.tr_rent_gap / ((w.v.tr_medrent18 + w.v.tr_medrent18_lag) / 2);
  }
}

type Medians = Record<
  | Exclude<keyof UdpRegionalValues, 'cpi' | 'rm_iinc_18' | 'rm_iinc_12'>,
  number
>;

const in_ = (v: number | null, set: readonly number[]): boolean => v !== null && set.includes(v);
const is1 = (b: boolean | null): boolean => b === true;
const is0 = (b: boolean | null): boolean => b === false;

/**
 * Income category of a tract-year (2_data_curation.py, `income_categories`): predominantly low,
 * moderate or high income (≥ 55% in the group, < 45% in each other), else mixed low / moderate /
 * high by the tract median against 80% and 120% of the regional median. Flags are null (NaN in
 * UDP's frame) where the tract median is 0; `cat` is 1–6 (low, mixed low, moderate, mixed
 * moderate, mixed high, high) or 0.
 *
 * @example
 * udpIncomeCategory(0.6, 0.3, 0.1, 30_000, 70_000).cat; // 1 (predominantly low income)
 * udpIncomeCategory(0.4, 0.3, 0.3, 50_000, 70_000).cat; // 2 (mixed low: 50k < 56k)
 */
export function udpIncomeCategory(low: number, mod: number, high: number, hinc: number, rmHinc: number) {
  const T = UDP_THRESHOLDS;
  const lowP = low >= T.predominant && mod < T.other && high < T.other;
  const highP = low < T.other && mod < T.other && high >= T.predominant;
  const modP = low < T.other && mod >= T.predominant && high < T.other;
  const none = !lowP && !modP && !highP;
  const mixLow = none && hinc < T.lowIncomeCut * rmHinc;
  const mixMod = none && hinc >= T.lowIncomeCut * rmHinc && hinc < T.highIncomeCut * rmHinc;
  const mixHigh = none && hinc >= T.highIncomeCut * rmHinc;
  // 2_data_curation.py sets the flags to NaN where the tract median is 0.
  const zero = hinc === 0;
  const f = (b: boolean): boolean | null => (zero ? null : b);
  let cat = 0;
  if (lowP) cat = 1;
  if (mixLow) cat = 2;
  if (modP) cat = 3;
  if (mixMod) cat = 4;
  if (mixHigh) cat = 5;
  if (highP) cat = 6;
  return { low: f(lowP), mod: f(modP), high: f(highP), mixLow: f(mixLow), mixMod: f(mixMod), mixHigh: f(mixHigh), cat: zero ? null : cat };
}

/** One band per measure, for the market type. */
export interface UdpMarketBand {
  readonly decrease: boolean;
  readonly marginal: boolean;
  readonly increase: boolean;
  readonly rapid: boolean;
}

/**
 * Market type (2_data_curation.py, "Setting 'Market Types'", quirk `market-bands`): real change of
 * home value 2000–18 and of rent 2012–18 put in bands — decrease ≤ −5%, marginal (−5%, +5%),
 * increase ≥ +5% and below `rapid…`, rapid ≥ `rapid…` (the median change of the region's tracts
 * that rose more than 5%). `change_flag_encoded` is the highest band either measure reaches:
 * 3 rapid, 2 increase, 1 decrease or marginal, 0 neither measure known.
 *
 * @example
 * udpMarketType(-0.2, 0.4, 0.3, 0.25).change_flag_encoded; // 3: rents rose rapidly, values fell
 */
export function udpMarketType(
  pctValue: number,
  pctRent: number,
  rapidValue: number,
  rapidRent: number,
): { house: UdpMarketBand; rent: UdpMarketBand; change_flag_encoded: 0 | 1 | 2 | 3 } {
  const b = UDP_THRESHOLDS.marketBand;
  const band = (x: number, rapid: number): UdpMarketBand => ({
    decrease: x <= -b,
    marginal: x > -b && x < b,
    increase: x >= b && x < rapid,
    rapid: x >= b && x >= rapid,
  });
  const house = band(pctValue, rapidValue);
  const rent = band(pctRent, rapidRent);
  let change: 0 | 1 | 2 | 3 = 0;
  if (rent.decrease || house.decrease || rent.marginal || house.marginal) change = 1;
  if (rent.increase || house.increase) change = 2;
  if (rent.rapid || house.rapid) change = 3;
  return { house, rent, change_flag_encoded: change };
}

/** The six tests behind vulnerability, each "at or above the regional median" (missing = false). */
export interface UdpVulnerabilityTests {
  readonly lowIncomeAbove: boolean;
  readonly nonwhiteAbove: boolean;
  readonly rentersAbove: boolean;
  readonly collegeAbove: boolean;
  readonly rentAbove: boolean;
  readonly valueAbove: boolean;
}

/**
 * Vulnerable to gentrification (4_typology.py, `vul_gent_*`): rent or home value below the
 * regional median, and at least `needed` of: low-income, non-white and renter shares at or above
 * their regional medians, college share below it. UDP's code needs 3 (`> 2`, quirk
 * `vulnerable-3-of-4`); its methodology PDF says 2.
 *
 * @example
 * udpVulnerable({ lowIncomeAbove: true, nonwhiteAbove: true, rentersAbove: true, collegeAbove: true, rentAbove: false, valueAbove: true }); // true (3 of 4)
 */
export function udpVulnerable(t: UdpVulnerabilityTests, needed: number = UDP_THRESHOLDS.vulnerableCriteria): boolean {
  const count = Number(t.lowIncomeAbove) + Number(t.nonwhiteAbove) + Number(t.rentersAbove) + (1 - Number(t.collegeAbove));
  return (!t.rentAbove || !t.valueAbove) && count >= needed;
}

function classify(w: Work, r: Medians, switches: { threeOfFour: boolean; smmi2018Only: boolean }): UdpTractResult {
  const T = UDP_THRESHOLDS;
  const v = w.v;
  const ext = w.input.external;
  const lmh = ext?.lmh_flag_encoded ?? null;
  const dense = ext?.dense ?? null;

  const c18 = udpIncomeCategory(v.low_80120_18, v.mod_80120_18, v.high_80120_18, v.hinc_18, r.rm_hinc_18);
  const c00 = udpIncomeCategory(v.low_80120_00, v.mod_80120_00, v.high_80120_00, v.hinc_00, r.rm_hinc_00);

  const market = udpMarketType(v.pctch_real_mhval_00_18, v.pctch_real_mrent_12_18, r.rm_pctch_real_mhval_00_18_increase, r.rm_pctch_real_mrent_12_18_increase);
  const { house, rent } = market;
  const change = market.change_flag_encoded;

  const ge = (a: number, b: number) => a >= b;
  const gt = (a: number, b: number) => a > b;
  const f = {
    pop00flag: v.pop_00 > T.population2000,
    aboverm_per_all_li_90: ge(v.per_all_li_90, r.rm_per_all_li_90),
    aboverm_per_all_li_00: ge(v.per_all_li_00, r.rm_per_all_li_00),
    aboverm_per_all_li_18: ge(v.per_all_li_18, r.rm_per_all_li_18),
    aboverm_per_nonwhite_90: ge(v.per_nonwhite_90, r.rm_per_nonwhite_90),
    aboverm_per_nonwhite_00: ge(v.per_nonwhite_00, r.rm_per_nonwhite_00),
    aboverm_per_nonwhite_18: ge(v.per_nonwhite_18, r.rm_per_nonwhite_18),
    aboverm_per_rent_90: ge(v.per_rent_90, r.rm_per_rent_90),
    aboverm_per_rent_00: ge(v.per_rent_00, r.rm_per_rent_00),
    aboverm_per_rent_18: ge(v.per_rent_18, r.rm_per_rent_18),
    aboverm_per_col_90: ge(v.per_col_90, r.rm_per_col_90),
    aboverm_per_col_00: ge(v.per_col_00, r.rm_per_col_00),
    aboverm_per_col_18: ge(v.per_col_18, r.rm_per_col_18),
    aboverm_real_mrent_90: ge(v.real_mrent_90, r.rm_real_mrent_90),
    aboverm_real_mrent_00: ge(v.real_mrent_00, r.rm_real_mrent_00),
    aboverm_real_mrent_18: ge(v.real_mrent_18, r.rm_real_mrent_18),
    aboverm_real_mhval_90: ge(v.real_mhval_90, r.rm_real_mhval_90),
    aboverm_real_mhval_00: ge(v.real_mhval_00, r.rm_real_mhval_00),
    aboverm_real_mhval_18: ge(v.real_mhval_18, r.rm_real_mhval_18),
    aboverm_pctch_real_mhval_00_18: ge(v.pctch_real_mhval_00_18, r.pctch_rm_real_mhval_00_18),
    aboverm_pctch_real_mrent_12_18: ge(v.pctch_real_mrent_12_18, r.pctch_rm_real_mrent_12_18),
    aboverm_pctch_real_mhval_90_00: ge((v.pctch_real_mhval_90_00 = (v.real_mhval_00 - v.real_mhval_90) / v.real_mhval_90), r.pctch_rm_real_mhval_90_00),
    aboverm_pctch_real_mrent_90_00: ge((v.pctch_real_mrent_90_00 = (v.real_mrent_00 - v.real_mrent_90) / v.real_mrent_90), r.pctch_rm_real_mrent_90_00),
    aboverm_pctch_real_hinc_90_00: gt((v.pctch_real_hinc_90_00 = (v.real_hinc_00 - v.real_hinc_90) / v.real_hinc_90), r.pctch_rm_real_hinc_90_00),
    aboverm_pctch_real_hinc_00_18: gt((v.pctch_real_hinc_00_18 = (v.real_hinc_18 - v.real_hinc_00) / v.real_hinc_00), r.pctch_rm_real_hinc_00_18),
    aboverm_ch_per_col_90_00: gt((v.ch_per_col_90_00 = v.per_col_00 - v.per_col_90), r.ch_rm_per_col_90_00),
    aboverm_ch_per_col_00_18: gt((v.ch_per_col_00_18 = v.per_col_18 - v.per_col_00), r.ch_rm_per_col_00_18),
    ab_50pct_ch: v.per_ch_zillow_12_18 > T.zillowHalf,
    ab_90percentile_ch: v.per_ch_zillow_12_18 > r.zillow_percentile_90,
    rent_50pct_ch: v.pctch_real_mrent_12_18 >= T.rentHalf,
    rent_90percentile_ch: v.pctch_real_mrent_12_18 >= T.rentNinety,
    hv_abrm_ch: v.per_ch_zillow_12_18 > r.rm_per_ch_zillow_12_18,
    rent_abrm_ch: v.pctch_real_mrent_12_18 > r.rm_pctch_real_mrent_12_18,
    lostli_00: (v.ch_all_li_count_90_00 = v.all_li_count_00 - v.all_li_count_90) < 0,
    lostli_18: (v.ch_all_li_count_00_18 = v.all_li_count_18 - v.all_li_count_00) < 0,
  };
  v.pctch_real_mrent_00_18 = (v.real_mrent_18 - v.real_mrent_00) / v.real_mrent_00;

  // Vulnerability (4_typology.py): cheap housing and 3 (UDP) or 2 (PDF) of 4 demographic criteria.
  const needed = switches.threeOfFour ? T.vulnerableCriteria : 2;
  const vul = (yy: '90' | '00' | '18') =>
    udpVulnerable(
      {
        lowIncomeAbove: f[`aboverm_per_all_li_${yy}`],
        nonwhiteAbove: f[`aboverm_per_nonwhite_${yy}`],
        rentersAbove: f[`aboverm_per_rent_${yy}`],
        collegeAbove: f[`aboverm_per_col_${yy}`],
        rentAbove: f[`aboverm_real_mrent_${yy}`],
        valueAbove: f[`aboverm_real_mhval_${yy}`],
      },
      needed,
    );
  const vul_gent_90 = vul('90');
  const vul_gent_00 = vul('00');
  const vul_gent_18 = vul('18');

  const hotmarket_00 = f.aboverm_pctch_real_mhval_90_00 || f.aboverm_pctch_real_mrent_90_00;
  const hotmarket_18 = f.aboverm_pctch_real_mhval_00_18 || f.aboverm_pctch_real_mrent_12_18;
  const gent_90_00_urban = vul_gent_90 && f.aboverm_ch_per_col_90_00 && f.aboverm_pctch_real_hinc_90_00 && hotmarket_00;
  const gent_90_00 = gent_90_00_urban && f.lostli_00;
  const gent_00_18_urban = vul_gent_00 && f.aboverm_ch_per_col_00_18 && f.aboverm_pctch_real_hinc_00_18 && hotmarket_18;
  const gent_00_18 = gent_00_18_urban && f.lostli_18;

  // Rent lag flags (3_create_lag_vars.r).
  const dp_PChRent = (v.tr_pchrent > 0 && v.tr_pchrent > r.rm_pchrent) || v.tr_pchrent_lag > r.rm_pchrent_lag;
  const dp_RentGap = v.tr_rent_gapprop > 0 && v.tr_rent_gapprop > r.rm_rent_gapprop;

  // --- Type flags (4_typology.py), in its order, with its NaN rules and double-count fixes.
  const incomeNaN18 = [c18.mod, c18.mixMod, c18.mixHigh, c18.high].some((x) => x === null);
  const lowNaN18 = c18.low === null || c18.mixLow === null;
  const modMix18 = is1(c18.mod) || is1(c18.mixMod) || is1(c18.mixHigh) || is1(c18.high);
  const modMix00 = is1(c00.mod) || is1(c00.mixMod) || is1(c00.mixHigh) || is1(c00.high);
  const lowMix18 = is1(c18.low) || is1(c18.mixLow);
  const lmhNaN = lmh === null;
  const gentrified =
    (dense === 0 && (gent_90_00 || gent_00_18)) || (dense === 1 && (gent_90_00_urban || gent_00_18_urban));
  const pop = f.pop00flag;

  let SAE: boolean | null = pop && is1(c00.high) && is1(c18.high) && in_(lmh, [3, 6]) && [1, 2, 3].includes(change);
  if (c00.high === null || c18.high === null || lmhNaN) SAE = null;

  let AdvG: boolean | null =
    pop && modMix18 && in_(lmh, [2, 3, 5, 6]) && [1, 2, 3].includes(change) && (v.pctch_real_mhval_00_18 > 0 || v.pctch_real_mrent_12_18 > 0) && gentrified;
  if (incomeNaN18 || lmhNaN || Number.isNaN(v.pctch_real_mhval_00_18) || Number.isNaN(v.pctch_real_mrent_12_18)) AdvG = null;
  if (is1(AdvG) && is1(SAE)) AdvG = false;

  let ARE: boolean | null = pop && modMix18 && in_(lmh, [2, 3, 5, 6]) && [1, 2].includes(change);
  if (incomeNaN18 || lmhNaN) ARE = null;
  if (is1(ARE) && is1(AdvG)) ARE = false;
  if (is1(ARE) && is1(SAE)) ARE = false;

  const beCore =
    pop && modMix18 && in_(lmh, [2, 3, 5, 6]) && change === 3 && f.lostli_18 && v.per_limove_18 < v.per_limove_12 && v.real_hinc_18 > v.real_hinc_00;
  let BE: boolean | null = beCore;
  if (incomeNaN18 || lmhNaN || [v.per_limove_18, v.per_limove_12, v.real_hinc_18, v.real_hinc_00].some(Number.isNaN)) BE = null;
  if (is1(BE) && is1(SAE)) BE = false;

  let SMMI: boolean | null = pop && modMix18 && (switches.smmi2018Only || modMix00) && is0(ARE) && is0(BE) && is0(SAE) && is0(AdvG);
  if (incomeNaN18) SMMI = null;

  let ARG: boolean | null =
    pop && lowMix18 && in_(lmh, [1, 4]) && (change === 1 || f.ab_90percentile_ch || f.rent_90percentile_ch) && !gent_90_00 && (dp_PChRent || dp_RentGap) && vul_gent_18 && !gent_00_18;
  if (lowNaN18 || lmhNaN) ARG = null;

  let EOG: boolean | null =
    pop && lowMix18 && in_(lmh, [2, 5]) && ([2, 3].includes(change) || f.hv_abrm_ch || f.rent_abrm_ch) && gentrified;
  if (lowNaN18 || Number.isNaN(v.ch_per_limove_12_18) || lmhNaN) EOG = null;

  let OD: boolean | null = pop && lowMix18 && f.lostli_18;
  if (is1(OD) && is1(ARG)) OD = false;
  if (is1(OD) && is1(EOG)) OD = false;

  const LISD = pop && lowMix18 && !is1(OD) && !is1(ARG) && !is1(EOG);

  const typeFlags: Record<UdpTypologyCode, boolean | null> = { LISD, OD, ARG, EOG, AdvG, SMMI, ARE, BE, SAE };
  const inUniverse = ext !== null;
  const typ_cat = inUniverse ? UDP_TYPOLOGY_CODES.filter((c) => typeFlags[c] === true) : [];
  const published = udpPublishedTypology(typ_cat, { gent_90_00, gent_90_00_urban, gent_00_18, gent_00_18_urban });

  const flags: UdpTractFlags = {
    ...f,
    low_pdmt_medhhinc_18: c18.low,
    mod_pdmt_medhhinc_18: c18.mod,
    high_pdmt_medhhinc_18: c18.high,
    mix_low_medhhinc_18: c18.mixLow,
    mix_mod_medhhinc_18: c18.mixMod,
    mix_high_medhhinc_18: c18.mixHigh,
    low_pdmt_medhhinc_00: c00.low,
    mod_pdmt_medhhinc_00: c00.mod,
    high_pdmt_medhhinc_00: c00.high,
    mix_low_medhhinc_00: c00.mixLow,
    mix_mod_medhhinc_00: c00.mixMod,
    mix_high_medhhinc_00: c00.mixHigh,
    vul_gent_90,
    vul_gent_00,
    vul_gent_18,
    hotmarket_00,
    hotmarket_18,
    gent_90_00,
    gent_90_00_urban,
    gent_00_18,
    gent_00_18_urban,
    dp_PChRent,
    dp_RentGap,
    SAE,
    AdvG,
    ARE,
    BE,
    SMMI,
    ARG,
    EOG,
    OD,
    LISD,
  };

  // --- Checklists.
  const lmhLabel = (allowed: number[]) => `housing affordable to ${allowed.map((a) => LMH_NAMES[a]).join(' or ')} (lmh_flag_encoded ∈ {${allowed.join(', ')}})`;
  const lmhCriterion = (allowed: number[]) =>
    boolCriterion('lmh', lmhLabel(allowed), lmh === null ? null : allowed.includes(lmh), lmh === null ? 'missing' : `lmh_flag_encoded = ${lmh}`);
  const marketCriterion = (allowed: number[]) =>
    boolCriterion('market', `market type ${allowed.map((a) => MARKET_NAMES[a]).join(' or ')}`, allowed.includes(change), `change_flag_encoded = ${change} (${MARKET_NAMES[change]})`);
  const popCriterion = criterion('pop00flag', '2000 population over 500', v.pop_00, '>', T.population2000);
  const modMixCriterion = boolCriterion('income18', '2018: moderate, mixed or high income', incomeNaN18 ? null : modMix18, `category ${c18.cat ?? 'missing'} (${INCOME_NAMES[c18.cat ?? 0]})`);
  const lowMixCriterion = boolCriterion('income18', '2018: low or mixed-low income', lowNaN18 ? null : lowMix18, `category ${c18.cat ?? 'missing'} (${INCOME_NAMES[c18.cat ?? 0]})`);
  const gentCriterion = boolCriterion(
    'gentrified',
    dense === 1 ? 'gentrified 1990–2000 or 2000–2018 (dense: urban definition, no loss of low-income households needed)' : 'gentrified 1990–2000 or 2000–2018',
    dense === null ? null : gentrified,
    `gent_90_00 ${+gent_90_00}, gent_00_18 ${+gent_00_18}, urban ${+gent_90_00_urban}/${+gent_00_18_urban}, dense ${dense ?? 'missing'}`,
  );
  const vulList = (yy: '90' | '00' | '18') => {
    const li = `per_all_li_${yy}` as const;
    const nw = `per_nonwhite_${yy}` as const;
    const rt = `per_rent_${yy}` as const;
    const col = `per_col_${yy}` as const;
    const rent = `real_mrent_${yy}` as const;
    const hv = `real_mhval_${yy}` as const;
    const items = [
      criterion('li', 'low-income share at or above the regional median', v[li], '>=', r[`rm_${li}`]),
      criterion('nonwhite', 'non-white share at or above the regional median', v[nw], '>=', r[`rm_${nw}`]),
      criterion('renters', 'renter share at or above the regional median', v[rt], '>=', r[`rm_${rt}`]),
      criterion('college', 'college-educated share below the regional median', v[col], '<', r[`rm_${col}`]),
    ];
    // UDP: a missing share fails ">= median", so "below the median" passes for college.
    const college = items[3];
    const count = items.slice(0, 3).filter((c) => c.pass === true).length + (college.pass === false ? 0 : 1);
    return [
      boolCriterion(
        'cheap',
        'rent or home value below the regional median',
        !f[`aboverm_${rent}`] || !f[`aboverm_${hv}`],
        `rent ${fmt(v[rent])} vs ${fmt(r[`rm_${rent}`])}, value ${fmt(v[hv])} vs ${fmt(r[`rm_${hv}`])}`,
      ),
      ...items,
      boolCriterion('count', `${needed} or more of the 4 demographic criteria`, count >= needed, `${count} of 4`),
    ];
  };
  const gentList = (period: '90_00' | '00_18', vul: boolean, lost: boolean, hot: boolean) => [
    boolCriterion('vulnerable', `vulnerable in ${period === '90_00' ? 1990 : 2000}`, vul),
    criterion('college', 'college share gained more than the region', v[`ch_per_col_${period}`], '>', r[`ch_rm_per_col_${period}`]),
    criterion('income', 'real median income grew more than the regional median', v[`pctch_real_hinc_${period}`], '>', r[`pctch_rm_real_hinc_${period}`]),
    boolCriterion('lostli', 'lost low-income households', lost),
    boolCriterion('hotmarket', 'hot market', hot),
  ];
  const checklist: UdpChecklist = {
    vul_gent_90: vulList('90'),
    vul_gent_00: vulList('00'),
    vul_gent_18: vulList('18'),
    hotmarket_00: [
      criterion('value', 'real home value change 1990–2000 at or above the change of the regional median', v.pctch_real_mhval_90_00, '>=', r.pctch_rm_real_mhval_90_00),
      criterion('rent', 'real rent change 1990–2000 at or above the change of the regional median', v.pctch_real_mrent_90_00, '>=', r.pctch_rm_real_mrent_90_00),
    ],
    hotmarket_18: [
      criterion('value', 'real home value change 2000–2018 at or above the change of the regional median', v.pctch_real_mhval_00_18, '>=', r.pctch_rm_real_mhval_00_18),
      criterion('rent', 'real rent change 2012–2018 at or above the change of the regional median', v.pctch_real_mrent_12_18, '>=', r.pctch_rm_real_mrent_12_18),
    ],
    gent_90_00: gentList('90_00', vul_gent_90, f.lostli_00, hotmarket_00),
    gent_00_18: gentList('00_18', vul_gent_00, f.lostli_18, hotmarket_18),
    lostli_00: [criterion('lostli', 'low-income households 2000 minus 1990 below 0', v.ch_all_li_count_90_00, '<', 0)],
    lostli_18: [criterion('lostli', 'low-income households 2018 minus 2000 below 0', v.ch_all_li_count_00_18, '<', 0)],
    change_flag: [
      boolCriterion('value', 'home value 2000–2018 band', Number.isNaN(v.pctch_real_mhval_00_18) ? null : true, `${fmt(v.pctch_real_mhval_00_18)}: ${bandName(house)}`),
      boolCriterion('rent', 'rent 2012–2018 band', Number.isNaN(v.pctch_real_mrent_12_18) ? null : true, `${fmt(v.pctch_real_mrent_12_18)}: ${bandName(rent)}`),
    ],
    dp_PChRent: [
      criterion('tract', 'tract rent change 2012–18 above 0 and above the median', v.tr_pchrent, '>', Math.max(0, r.rm_pchrent)),
      criterion('nearby', 'nearby rent change above the median', v.tr_pchrent_lag, '>', r.rm_pchrent_lag),
    ],
    dp_RentGap: [criterion('gap', 'rent gap (nearby − tract, relative) above 0 and above the median', v.tr_rent_gapprop, '>', Math.max(0, r.rm_rent_gapprop))],
    SAE: [
      popCriterion,
      boolCriterion('high00', '2000: predominantly high income', c00.high),
      boolCriterion('high18', '2018: predominantly high income', c18.high),
      lmhCriterion([3, 6]),
      marketCriterion([1, 2, 3]),
    ],
    AdvG: [
      popCriterion,
      modMixCriterion,
      lmhCriterion([2, 3, 5, 6]),
      marketCriterion([1, 2, 3]),
      boolCriterion('rising', 'real home value or rent rose', (v.pctch_real_mhval_00_18 > 0 || v.pctch_real_mrent_12_18 > 0)),
      gentCriterion,
      boolCriterion('notSAE', 'not Stable/Advanced Exclusive', !is1(SAE)),
    ],
    ARE: [
      popCriterion,
      modMixCriterion,
      lmhCriterion([2, 3, 5, 6]),
      marketCriterion([1, 2]),
      boolCriterion('notAdvG', 'not Advanced Gentrification', !is1(AdvG)),
      boolCriterion('notSAE', 'not Stable/Advanced Exclusive', !is1(SAE)),
    ],
    BE: [
      popCriterion,
      modMixCriterion,
      lmhCriterion([2, 3, 5, 6]),
      marketCriterion([3]),
      boolCriterion('lostli', 'lost low-income households 2000–2018', f.lostli_18),
      criterion('movers', 'share of low-income movers fell 2012–2018', v.per_limove_18, '<', v.per_limove_12),
      criterion('income', 'real median income 2018 above 2000', v.real_hinc_18, '>', v.real_hinc_00),
      boolCriterion('notSAE', 'not Stable/Advanced Exclusive', !is1(SAE)),
    ],
    SMMI: [
      popCriterion,
      modMixCriterion,
      ...(switches.smmi2018Only ? [] : [boolCriterion('income00', '2000: moderate, mixed or high income', modMix00)]),
      boolCriterion('none', 'not ARE, BE, SAE or AdvG', is0(ARE) && is0(BE) && is0(SAE) && is0(AdvG)),
    ],
    ARG: [
      popCriterion,
      lowMixCriterion,
      lmhCriterion([1, 4]),
      boolCriterion(
        'market',
        'market decrease/marginal, or Zillow change above the 90th percentile, or rent up 90%',
        change === 1 || f.ab_90percentile_ch || f.rent_90percentile_ch,
        `change ${change}, zillow ${fmt(v.per_ch_zillow_12_18)} vs ${fmt(r.zillow_percentile_90)}, rent ${fmt(v.pctch_real_mrent_12_18)}`,
      ),
      boolCriterion('rentlag', 'rent change or rent gap flag (dp_PChRent or dp_RentGap)', dp_PChRent || dp_RentGap),
      boolCriterion('vul18', 'vulnerable in 2018', vul_gent_18),
      boolCriterion('notgent', 'not gentrified 1990–2000 nor 2000–2018', !gent_90_00 && !gent_00_18),
    ],
    EOG: [
      popCriterion,
      lowMixCriterion,
      lmhCriterion([2, 5]),
      boolCriterion(
        'market',
        'market increase or rapid, or Zillow or rent change above the regional median',
        [2, 3].includes(change) || f.hv_abrm_ch || f.rent_abrm_ch,
        `change ${change}, zillow ${fmt(v.per_ch_zillow_12_18)} vs ${fmt(r.rm_per_ch_zillow_12_18)}, rent ${fmt(v.pctch_real_mrent_12_18)} vs ${fmt(r.rm_pctch_real_mrent_12_18)}`,
      ),
      gentCriterion,
    ],
    OD: [
      popCriterion,
      lowMixCriterion,
      boolCriterion('lostli', 'lost low-income households 2000–2018', f.lostli_18),
      boolCriterion('notARG', 'not At Risk of Gentrification', !is1(ARG)),
      boolCriterion('notEOG', 'not Early/Ongoing Gentrification', !is1(EOG)),
    ],
    LISD: [popCriterion, lowMixCriterion, boolCriterion('none', 'not OD, ARG or EOG', !is1(OD) && !is1(ARG) && !is1(EOG))],
  };

  const values = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, out(x)])) as unknown as UdpTractValues;
  return {
    geoid: w.input.geoid,
    inUniverse,
    values,
    flags,
    inc_cat_medhhinc_18: c18.cat,
    inc_cat_medhhinc_00: c00.cat,
    change_flag_encoded: change,
    lmh_flag_encoded: lmh,
    dense,
    typ_cat,
    udp_typology: UDP_TYPOLOGY_LABELS[published.code],
    udp_typology_code: published.code,
    amended: published.amended,
    checklist,
  };
}

const LMH_NAMES: Readonly<Record<number, string>> = {
  0: 'no group',
  1: 'low income (predominantly)',
  2: 'moderate income (predominantly)',
  3: 'high income (predominantly)',
  4: 'mixed low',
  5: 'mixed moderate',
  6: 'mixed high',
};
const MARKET_NAMES: Readonly<Record<number, string>> = { 0: 'no data', 1: 'decrease/marginal', 2: 'increase', 3: 'rapid increase' };
const INCOME_NAMES: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'predominantly low',
  2: 'mixed low',
  3: 'predominantly moderate',
  4: 'mixed moderate',
  5: 'mixed high',
  6: 'predominantly high',
};
function bandName(b: { decrease: boolean; marginal: boolean; increase: boolean; rapid: boolean }): string {
  return b.rapid ? 'rapid increase' : b.increase ? 'increase' : b.marginal ? 'marginal' : b.decrease ? 'decrease' : 'no data';
}

/**
 * The single published class from `typ_cat` (code/5_map_creation.r, `Typology`), without the
 * student-population rule (no student counts in the census files): [AdvG, BE] → AdvG; LISD or OD
 * with gentrification 1990–2000 (either definition) → AdvG, 2000–2018 → EOG; a single entry →
 * itself; anything else → unavailable.
 */
export function udpPublishedTypology(
  typ_cat: readonly UdpTypologyCode[],
  gent: { gent_90_00: boolean; gent_90_00_urban: boolean; gent_00_18: boolean; gent_00_18_urban: boolean },
): { code: UdpTypologyCode | 'unavailable'; amended: boolean } {
  const only = typ_cat.length === 1 ? typ_cat[0] : null;
  if (typ_cat.length === 2 && typ_cat[0] === 'AdvG' && typ_cat[1] === 'BE') return { code: 'AdvG', amended: true };
  if (only === 'LISD' || only === 'OD') {
    if (gent.gent_90_00 || gent.gent_90_00_urban) return { code: 'AdvG', amended: true };
    if (gent.gent_00_18 || gent.gent_00_18_urban) return { code: 'EOG', amended: true };
  }
  return only ? { code: only, amended: false } : { code: 'unavailable', amended: false };
}
