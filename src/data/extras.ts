/**
 * Extra per-tract columns a bundle carries beside the income brackets, for change analysis later
 * (rent, home value, population, race, tenure, education): picked by name from a UDP/LTDB table
 * (`<stem><yy>` for the year read, e.g. `mrent_18`) plus the ACS 2008–12 rent and home value that
 * UDP's summary files hold for the same tracts (`mrent_12`, `mhval_12`). Column names and their
 * Census variables: `shared/data/udp-chicago/PROVENANCE.md`.
 *
 * `hinc_<yy>` is not picked here: the income table already carries it as the published median,
 * and `incomeTableCsv` writes it. Census missing-value codes (-666666666, …), empty cells and
 * text become null, never a number.
 */
import { numberOrNull, type IncomeFile, type IncomeUnit } from './income';
import { readTable } from './text';

/** Stems completed by the year's two-digit suffix (`mrent_` → `mrent_18`). */
export const EXTRA_COLUMN_STEMS: readonly string[] = [
  'mrent_', 'mhval_', 'pop_', 'white_', 'hu_', 'ohu_', 'rhu_',
  // Education, population 25+: ACS B15003 (totals), Census 2000 P037 (by sex), 1990 STF3 P057.
  'total_25_',
  'total_25_col_bd_', 'total_25_col_md_', 'total_25_col_pd_', 'total_25_col_phd_',
  'male_25_col_bd_', 'male_25_col_md_', 'male_25_col_psd_', 'male_25_col_phd_',
  'female_25_col_bd_', 'female_25_col_md_', 'female_25_col_psd_', 'female_25_col_phd_',
  'total_25_col_9th_', 'total_25_col_12th_', 'total_25_col_hs_', 'total_25_col_sc_', 'total_25_col_ad_', 'total_25_col_gd_',
];

/** Columns taken as they are, whatever the year: ACS 2008–12 values in UDP's 2018 summary files. */
export const EXTRA_FIXED_COLUMNS: readonly string[] = ['mrent_12', 'mhval_12'];

/**
 * Columns whose values UDP's LTDB crosswalk multiplied by weights and summed: invalid as medians
 * for split or merged tracts (PROVENANCE.md, file 3).
 */
const MEDIAN_STEMS = ['hinc_', 'mrent_', 'mhval_'];
/** Columns that only UDP's crosswalked files have (summed 2000/1990 tract ids). */
const CROSSWALK_MARKERS = ['trtid_base', 'trtid00', 'trtid90'];

export interface ExtraColumns {
  /** Column names found, in the order of `EXTRA_COLUMN_STEMS` then `EXTRA_FIXED_COLUMNS`. */
  readonly columns: string[];
  /** GEOID → column → value (null when missing); every unit has every column. */
  readonly values: Map<string, Record<string, number | null>>;
  /** What a reader of the bundle must know about these values. */
  readonly notes: string[];
}

const cellValue = numberOrNull;

/**
 * The extra columns of one year of an income file, for the units read from it. Units are found
 * by the line they were read from (`IncomeUnit.line`), so ids are parsed once, by the reader.
 *
 * @example
 * const table = readIncomeTable(file, { year: 2018 });
 * const { columns, values } = extraColumns(file, 2018, table.units);
 * columns;                              // ['mrent_18', 'mhval_18', 'pop_18', …, 'mrent_12', 'mhval_12']
 * values.get('17031010100')!.mrent_18;  // 874
 */
export function extraColumns(input: IncomeFile, year: number, units: readonly Pick<IncomeUnit, 'geoid' | 'line'>[]): ExtraColumns {
  const { raw } = readTable(input.name, input.bytes);
  const yy = String(year % 100).padStart(2, '0');
  const wanted = [...new Set([...EXTRA_COLUMN_STEMS.map((s) => s + yy), ...EXTRA_FIXED_COLUMNS])];
  const columns = wanted.filter((c) => raw.header.includes(c));
  const indexes = columns.map((c) => raw.header.indexOf(c));
  const rowByLine = new Map(raw.rows.map((r) => [r.line, r.cells]));
  const values = new Map<string, Record<string, number | null>>();
  for (const u of units) {
    const cells = rowByLine.get(u.line);
    const record: Record<string, number | null> = {};
    columns.forEach((c, i) => (record[c] = cells ? cellValue(cells[indexes[i]]) : null));
    values.set(u.geoid, record);
  }
  const notes: string[] = [];
  if (CROSSWALK_MARKERS.some((m) => raw.header.includes(m))) {
    const medians = MEDIAN_STEMS.map((s) => s + yy).filter((c) => raw.header.includes(c));
    if (medians.length) {
      notes.push(
        `${input.name}: ${medians.join(', ')} were moved to other tracts by weighting and summing (UDP/LTDB crosswalk); ` +
          'they are not valid medians for split or merged tracts: recompute medians from the brackets.',
      );
    }
  }
  return { columns, values, notes };
}
