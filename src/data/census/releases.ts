/**
 * What the Census Bureau's public services publish, as data: which release holds household income
 * by tract for a year, on which tract vintage, under which variable names; and where the
 * cartographic boundaries and tract relationship files of each vintage live. Pure: URLs are
 * built from bases the caller gives (`--api-base`, `--tiger-base`, `--geo-base`), so tests point
 * them at a local server with the same layout.
 *
 * Sources: Census Data API dataset pages (`/data/{year}/acs/acs5`, `/data/2000/dec/sf3`,
 * `/data/1990/dec/sf3`) and their variable lists; "Cartographic Boundary Files – Shapefile"
 * (GENZ{year}/shp/cb_{year}_{ss}_tract_500k.zip); "Relationship Files" (rel/trf_txt for
 * 2000↔2010 tracts, rel2020/tract and rel2020/blkgrp for 2010↔2020).
 */
import { periodLabel, type BracketSet } from '../../core/brackets';

/** The decennial tract definitions a year's GEOIDs refer to. */
export type TractVintage = 1990 | 2000 | 2010 | 2020;
export type CensusUnit = 'tract' | 'block group';

export const DEFAULT_API_BASE = 'https://api.census.gov';
export const DEFAULT_TIGER_BASE = 'https://www2.census.gov/geo/tiger';
export const DEFAULT_GEO_BASE = 'https://www2.census.gov/geo/docs/maps-data/data';
export const DEFAULT_TIGERWEB_BASE = 'https://tigerweb.geo.census.gov/arcgis/rest/services/TIGERweb';

/** First ACS 5-year release (2005–09) and the latest this version knows (2020–24, released Dec 2025). */
export const ACS5_FIRST = 2009;
export const ACS5_LATEST_KNOWN = 2024;

/** One request's worth of variables (the API takes at most 50 per request). */
export interface VariableGroup {
  readonly name: string;
  readonly variables: readonly string[];
  /** Without these the year cannot be used; optional groups are dropped with a warning. */
  readonly required: boolean;
}

/**
 * An extra per-tract column written into the bundle under the UDP/LTDB name the change
 * definitions read (`src/data/extras.ts`), as the sum of one or more variables.
 */
export interface ExtraColumnSpec {
  readonly stem: string;
  readonly variables: readonly string[];
  /** Medians cannot be summed or moved between vintages. */
  readonly median: boolean;
}

export interface IncomeRelease {
  readonly year: number;
  /** "2019–23" for ACS, "2000" for a census. */
  readonly label: string;
  readonly survey: 'acs5' | 'sf3';
  /** Path under `{api}/data/{year}/`. */
  readonly dataset: 'acs/acs5' | 'dec/sf3';
  readonly vintage: TractVintage;
  readonly bracketSet: BracketSet['id'];
  /** Whose dollars the brackets are in. */
  readonly incomeYear: number;
  /** Table ids, for the record. */
  readonly tables: readonly string[];
  readonly groups: readonly VariableGroup[];
  /** Columns of the income mapping (`ColumnMapping`) in variable names. */
  readonly total: string;
  readonly totalMoe: string | null;
  readonly brackets: readonly string[];
  readonly moe: readonly string[] | null;
  readonly median: string | null;
  readonly extras: readonly ExtraColumnSpec[];
}

const pad3 = (i: number) => String(i).padStart(3, '0');
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function acs5(year: number): IncomeRelease {
  const est = (t: string, i: number) => `${t}_${pad3(i)}E`;
  const moe = (t: string, i: number) => `${t}_${pad3(i)}M`;
  // B15003 (educational attainment, 25+) starts with the 2008–12 release; earlier ones have
  // B15002 by sex (Census Bureau, "ACS table changes", 2012).
  const education: ExtraColumnSpec[] =
    year >= 2012
      ? [
          { stem: 'total_25_', variables: ['B15003_001E'], median: false },
          { stem: 'total_25_col_bd_', variables: ['B15003_022E'], median: false },
          { stem: 'total_25_col_md_', variables: ['B15003_023E'], median: false },
          { stem: 'total_25_col_pd_', variables: ['B15003_024E'], median: false },
          { stem: 'total_25_col_phd_', variables: ['B15003_025E'], median: false },
        ]
      : [
          { stem: 'total_25_', variables: ['B15002_001E'], median: false },
          { stem: 'male_25_col_bd_', variables: ['B15002_015E'], median: false },
          { stem: 'male_25_col_md_', variables: ['B15002_016E'], median: false },
          { stem: 'male_25_col_psd_', variables: ['B15002_017E'], median: false },
          { stem: 'male_25_col_phd_', variables: ['B15002_018E'], median: false },
          { stem: 'female_25_col_bd_', variables: ['B15002_032E'], median: false },
          { stem: 'female_25_col_md_', variables: ['B15002_033E'], median: false },
          { stem: 'female_25_col_psd_', variables: ['B15002_034E'], median: false },
          { stem: 'female_25_col_phd_', variables: ['B15002_035E'], median: false },
        ];
  const extras: ExtraColumnSpec[] = [
    { stem: 'mrent_', variables: ['B25064_001E'], median: true },
    { stem: 'mhval_', variables: ['B25077_001E'], median: true },
    { stem: 'pop_', variables: ['B01003_001E'], median: false },
    { stem: 'white_', variables: ['B03002_003E'], median: false },
    { stem: 'ohu_', variables: ['B25003_002E'], median: false },
    { stem: 'rhu_', variables: ['B25003_003E'], median: false },
    ...education,
  ];
  const brackets = range(2, 17).map((i) => est('B19001', i));
  const bracketMoe = range(2, 17).map((i) => moe('B19001', i));
  return {
    year,
    label: periodLabel(year),
    survey: 'acs5',
    dataset: 'acs/acs5',
    vintage: year <= 2009 ? 2000 : year <= 2019 ? 2010 : 2020,
    bracketSet: 'B19001',
    incomeYear: year,
    tables: ['B19001', 'B19013', 'B25064', 'B25077', year >= 2012 ? 'B15003' : 'B15002', 'B03002', 'B25003', 'B01003'],
    groups: [
      {
        name: 'household income (B19001, B19013)',
        variables: ['NAME', est('B19001', 1), moe('B19001', 1), ...brackets, ...bracketMoe, 'B19013_001E', 'B19013_001M'],
        required: true,
      },
      { name: 'rent, home value, population, race, tenure, education', variables: [...new Set(extras.flatMap((e) => e.variables))], required: false },
    ],
    total: est('B19001', 1),
    totalMoe: moe('B19001', 1),
    brackets,
    moe: bracketMoe,
    median: 'B19013_001E',
    extras,
  };
}

/** Census 2000 SF3: P052 household income in 1999 (16 brackets), P053 median, and the extras. */
function sf3of2000(): IncomeRelease {
  const v = (t: string, i: number) => `${t}${pad3(i)}`;
  const brackets = range(2, 17).map((i) => v('P052', i));
  const extras: ExtraColumnSpec[] = [
    { stem: 'mrent_', variables: ['H063001'], median: true },
    { stem: 'mhval_', variables: ['H085001'], median: true },
    { stem: 'pop_', variables: ['P007001'], median: false },
    // P007: Hispanic or Latino by race; 003 = not Hispanic or Latino, White alone.
    { stem: 'white_', variables: ['P007003'], median: false },
    { stem: 'ohu_', variables: ['H007002'], median: false },
    { stem: 'rhu_', variables: ['H007003'], median: false },
    { stem: 'total_25_', variables: ['P037001'], median: false },
    { stem: 'male_25_col_bd_', variables: ['P037015'], median: false },
    { stem: 'male_25_col_md_', variables: ['P037016'], median: false },
    { stem: 'male_25_col_psd_', variables: ['P037017'], median: false },
    { stem: 'male_25_col_phd_', variables: ['P037018'], median: false },
    { stem: 'female_25_col_bd_', variables: ['P037032'], median: false },
    { stem: 'female_25_col_md_', variables: ['P037033'], median: false },
    { stem: 'female_25_col_psd_', variables: ['P037034'], median: false },
    { stem: 'female_25_col_phd_', variables: ['P037035'], median: false },
  ];
  return {
    year: 2000,
    label: '2000',
    survey: 'sf3',
    dataset: 'dec/sf3',
    vintage: 2000,
    bracketSet: 'B19001',
    incomeYear: 1999,
    tables: ['P052', 'P053', 'H063', 'H085', 'P007', 'H007', 'P037'],
    groups: [
      { name: 'household income (P052, P053)', variables: ['NAME', v('P052', 1), ...brackets, 'P053001'], required: true },
      { name: 'rent, home value, population, race, tenure, education', variables: extras.flatMap((e) => e.variables), required: false },
    ],
    total: v('P052', 1),
    totalMoe: null,
    brackets,
    moe: null,
    median: 'P053001',
    extras,
  };
}

/** Census 1990 STF3: P080 household income in 1989 (25 brackets), P080A median, P005 households. */
function sf3of1990(): IncomeRelease {
  const brackets = range(1, 25).map((i) => `P080${String(i).padStart(4, '0')}`);
  const extras: ExtraColumnSpec[] = [
    { stem: 'mrent_', variables: ['H043A001'], median: true },
    { stem: 'mhval_', variables: ['H061A001'], median: true },
    { stem: 'pop_', variables: ['P0010001'], median: false },
    { stem: 'ohu_', variables: ['H0080001'], median: false },
    { stem: 'rhu_', variables: ['H0080002'], median: false },
  ];
  return {
    year: 1990,
    label: '1990',
    survey: 'sf3',
    dataset: 'dec/sf3',
    vintage: 1990,
    bracketSet: 'P080',
    incomeYear: 1989,
    tables: ['P080', 'P080A', 'P005', 'H043A', 'H061A', 'H008', 'P001'],
    groups: [
      { name: 'household income (P080, P080A)', variables: ['NAME', 'P0050001', ...brackets, 'P080A001'], required: true },
      { name: 'rent, home value, population, tenure', variables: extras.flatMap((e) => e.variables), required: false },
    ],
    total: 'P0050001',
    totalMoe: null,
    brackets,
    moe: null,
    median: 'P080A001',
    extras,
  };
}

/** The years `fetch` knows how to ask for, for messages. */
export function knownYears(): string {
  return `1990, 2000, ${ACS5_FIRST}–${ACS5_LATEST_KNOWN} (ACS 5-year, labelled by their last year: 2023 = 2019–23)`;
}

/**
 * The release holding household income for a data year, or null when no public service has
 * tract income for it. Years after the latest known ACS release are tried as ACS 5-year (the
 * API answers 404 if it is not out yet).
 */
export function incomeRelease(year: number): IncomeRelease | null {
  if (year === 1990) return sf3of1990();
  if (year === 2000) return sf3of2000();
  if (Number.isInteger(year) && year >= ACS5_FIRST && year <= 2100) return acs5(year);
  return null;
}

/** `{api}/data/{year}/{dataset}?get=…&for=tract:*&in=state:SS&in=county:CCC,DDD[&key=…]`. */
export function apiUrl(
  apiBase: string,
  release: IncomeRelease,
  group: VariableGroup,
  state: string,
  counties: readonly string[],
  unit: CensusUnit,
  key?: string,
): string {
  const forPart = unit === 'tract' ? 'for=tract:*' : 'for=block%20group:*';
  const inPart = `in=state:${state}&in=county:${counties.join(',')}` + (unit === 'block group' ? '&in=tract:*' : '');
  return `${trimSlash(apiBase)}/data/${release.year}/${release.dataset}?get=${group.variables.join(',')}&${forPart}&${inPart}` + (key ? `&key=${encodeURIComponent(key)}` : '');
}

/** A URL with its API key removed: the cache key, and what is recorded in the bundle. */
export function withoutKey(url: string): string {
  return url.replace(/([?&])key=[^&]*(&|$)/, (_, sep: string, end: string) => (end ? sep : '')).replace(/[?&]$/, '');
}

/** Cartographic boundary file years published for each vintage (500k, state files, .zip). */
const CB_YEARS: Readonly<Record<number, readonly [number, number]>> = { 2010: [2013, 2019], 2020: [2020, 2024] };

/**
 * The cartographic boundary file (1:500,000) of a vintage for one state: the file of the latest
 * data year on that vintage (tracts are corrected between years; from ACS 2022 Connecticut's
 * tracts are in planning regions), clamped to the years the Bureau published.
 */
export function boundaryUrl(tigerBase: string, vintage: TractVintage, latestYear: number, state: string, unit: CensusUnit): { url: string; year: number } | null {
  const years = CB_YEARS[vintage];
  if (!years) return null;
  const year = Math.min(years[1], Math.max(years[0], latestYear));
  const layer = unit === 'tract' ? 'tract' : 'bg';
  return { url: `${trimSlash(tigerBase)}/GENZ${year}/shp/cb_${year}_${state}_${layer}_500k.zip`, year };
}

/**
 * The Census Bureau's relationship file between two consecutive vintages for one state:
 * 2000→2010 tracts (`rel/trf_txt/{st}{ss}trf.txt`, comma-separated, no header, with 2010
 * population and housing units of each part) and 2010→2020 tracts or block groups
 * (`rel2020/tract/tab20_tract20_tract10_st{ss}.txt`, pipe-separated, land and water area of
 * each part).
 */
export function relationshipUrl(geoBase: string, from: TractVintage, to: TractVintage, state: string, stateAbbr: string, unit: CensusUnit): string | null {
  const base = trimSlash(geoBase);
  if (from === 2000 && to === 2010 && unit === 'tract') return `${base}/rel/trf_txt/${stateAbbr.toLowerCase()}${state}trf.txt`;
  if (from === 2010 && to === 2020) {
    return unit === 'tract'
      ? `${base}/rel2020/tract/tab20_tract20_tract10_st${state}.txt`
      : `${base}/rel2020/blkgrp/tab20_blkgrp20_blkgrp10_st${state}.txt`;
  }
  return null;
}

/** TIGERweb's ACS map service of a vintage: layer 8 is census tracts, 10 block groups. */
export function tigerwebQueryUrl(tigerwebBase: string, latestYear: number, state: string, counties: readonly string[], unit: CensusUnit, offset = 0): string {
  const service = latestYear >= 2020 ? `tigerWMS_ACS${Math.min(latestYear, ACS5_LATEST_KNOWN)}` : latestYear >= 2012 ? `tigerWMS_ACS${latestYear}` : 'tigerWMS_Census2010';
  const layer = unit === 'tract' ? 8 : 10;
  const where = `STATE='${state}' AND COUNTY IN (${counties.map((c) => `'${c}'`).join(',')})`;
  return (
    `${trimSlash(tigerwebBase)}/${service}/MapServer/${layer}/query?where=${encodeURIComponent(where)}` +
    `&outFields=GEOID,NAME,STATE,COUNTY&returnGeometry=true&outSR=4326&resultOffset=${offset}&f=geojson`
  );
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}
