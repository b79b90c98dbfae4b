/**
 * tractmix's own names for income-bracket columns, written by the export (exportTable.ts) and
 * recognised by the income reader (income.ts), so that an exported table can be analysed again:
 * `income_<lower>_<upper>` in whole dollars of the income year, both ends included as the Census
 * Bureau labels them ("$10,000 to $14,999" → `income_10000_14999`), `income_<lower>_plus` for the
 * open top bracket; `_moe` after it for the 90% margin of error; `_<year>` at the end in the change
 * view, as its other per-year columns have.
 */
import { BRACKET_SETS, type BracketSet } from '../core/brackets';
import type { ColumnMapping } from './income';

/** `income_0_9999`, `income_10000_14999`, …, `income_200000_plus` for B19001. */
export function bracketColumns(set: BracketSet): string[] {
  const e = set.lowerEdges;
  return e.map((lo, i) => `income_${lo}_${i + 1 < e.length ? e[i + 1] - 1 : 'plus'}`);
}

const BRACKET_COLUMN = /^income_(\d+)_(\d+|plus)(_moe)?(?:_(\d{4}))?$/;

/** A column name read as tractmix's bracket column: its lower edge, whether it is an MOE, its year suffix. */
export function parseBracketColumn(name: string): { lower: number; upper: number | null; moe: boolean; year: number | null } | null {
  const m = BRACKET_COLUMN.exec(name);
  if (!m) return null;
  return { lower: Number(m[1]), upper: m[2] === 'plus' ? null : Number(m[2]), moe: !!m[3], year: m[4] ? Number(m[4]) : null };
}

/** The bracket set whose columns these are (same edges, in order), or null. */
export function bracketSetOfColumns(names: readonly string[]): BracketSet | null {
  for (const set of Object.values(BRACKET_SETS)) {
    const want = bracketColumns(set);
    if (names.length === want.length && want.every((w, i) => names[i] === w)) return set;
  }
  return null;
}

/** What an export holds of one year's input, to name in its column mapping. */
export interface ExportedInput {
  readonly year: number;
  readonly incomeYear: number;
  readonly set: BracketSet;
  readonly universe: 'households' | 'families';
  readonly unitKind: 'tract' | 'block group';
  readonly moe: boolean;
  readonly totalMoe: boolean;
  readonly publishedMedian: boolean;
  /** '' in the one-year view, `_2018` in the change view. */
  readonly suffix: string;
}

/**
 * The column mapping (README, "Column mapping") that reads one year of an export back:
 * `tractmix analyze --income EXPORT.csv --columns THIS.json` recomputes the exported figures.
 */
export function exportColumnMapping(x: ExportedInput): ColumnMapping {
  const names = bracketColumns(x.set);
  return {
    id: 'GEOID',
    total: `households${x.suffix}`,
    brackets: names.map((n) => `${n}${x.suffix}`),
    bracketSet: x.set.id,
    ...(x.moe ? { moe: names.map((n) => `${n}_moe${x.suffix}`) } : {}),
    ...(x.totalMoe ? { totalMoe: `households_moe${x.suffix}` } : {}),
    ...(x.publishedMedian ? { median: `published_median${x.suffix}` } : {}),
    year: x.year,
    incomeYear: x.incomeYear,
    universe: x.universe,
    unitKind: x.unitKind,
    headerRows: 1,
  };
}
