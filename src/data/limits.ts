/**
 * Every limit tractmix sets on its input, in one place (README, "Limits"). Beyond them a value is
 * a typo, a broken export or a hostile file, never a setting: the input stops with a message
 * rather than moving the region's figures or exhausting memory.
 */

/**
 * Most households one unit can plausibly hold. Census tracts are drawn for 1,200–8,000 people,
 * optimally 4,000 (Census Bureau, "Tract criteria", 2020 Participant Statistical Areas Program),
 * so a few thousand households; the largest real tracts hold some 20,000. Ten times that is a
 * typing or export error, and one such row would move the region's AMI.
 */
export const MAX_HOUSEHOLDS_PER_UNIT = 200_000;

/** Largest plausible published median household income (B19013 is top-coded at $250,001). */
export const MAX_MEDIAN_DOLLARS = 10_000_000;

/** Largest income table (CSV or API JSON) read, in bytes: national block groups with MOEs are ~60 MB. */
export const MAX_TABLE_BYTES = 128 * 2 ** 20;
/** Most data rows of one table: the US has ~85,000 tracts and ~240,000 block groups. */
export const MAX_TABLE_ROWS = 1_000_000;
/** Most columns of one table (a UDP multi-year file has a few hundred). */
export const MAX_TABLE_COLUMNS = 5_000;

/** Largest file the CLI reads at all. */
export const MAX_INPUT_BYTES = 2 ** 30;
/** Most bytes a boundary .zip may expand to (a national 500k tract shapefile is ~60 MB unzipped). */
export const MAX_UNZIPPED_BYTES = 512 * 2 ** 20;
/** Most vertices one boundary file may hold (a national TIGER/Line tract layer has ~40 million). */
export const MAX_BOUNDARY_VERTICES = 60_000_000;

/** Typed option and URL-parameter values. */
export const OPTION_LIMITS = {
  /** A typed AMI in dollars (HUD area median family incomes run from about $30,000 to $200,000). */
  amiDollars: [1_000, 10_000_000],
  /** Cut points of a custom scheme: at most this many. */
  cuts: 20,
  /** Custom cuts as fractions of AMI. */
  amiFraction: [0, 20],
  /** Custom cuts in dollars. */
  cutDollars: [0, 10_000_000],
  /** --min-households / ?min=. */
  minHouseholds: [0, 100_000],
  /** Data years. */
  year: [1970, 2100],
  /** Change view: minimum real growth (share) and largest low-income share drop. */
  minRealGrowth: [-1, 10],
  maxLowIncomeShareDrop: [0, 1],
  /** URL parameters that are addresses or ids (characters). */
  urlLength: 2_000,
} as const;

/** Seconds the app waits for a server before saying which file did not come. */
export const FETCH_TIMEOUT_SECONDS = 30;

/**
 * An address given in the URL (`data`, `basemap`): a path on this site or an http(s) URL, at
 * most OPTION_LIMITS.urlLength characters; anything else (javascript:, data:, file:) is refused.
 */
export function addressProblem(value: string): string | null {
  if (value.length > OPTION_LIMITS.urlLength) return `the address is ${value.length} characters long (at most ${OPTION_LIMITS.urlLength})`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.trim());
  if (scheme && !/^https?$/i.test(scheme[1])) return `"${scheme[1]}:" addresses are not loaded (only http, https or a path on this site)`;
  return null;
}
