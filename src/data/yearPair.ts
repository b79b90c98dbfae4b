/**
 * Two years of a dataset made comparable on one geography (METHOD.md §5): the later year's tract
 * vintage is the target; the earlier year's counts move to it by the given crosswalk, the
 * dataset's own, or area weights from the two boundary sets. Each year's AMI is resolved on its
 * own data before counts move, so moving does not change it.
 */
import { analyzeSnapshot, type AnalysisOptions, type IncomeSnapshot, type YearAnalysis } from '../core/analyze';
import { resolveAmi } from '../core/ami';
import { areaCrosswalk, crosswalkConservation, moveCounts, type CrosswalkConservation, type CrosswalkRow } from '../core/crosswalk';
import type { Dataset } from './dataset';
import { toSnapshot } from './income';

export interface PreparedYear {
  readonly analysis: YearAnalysis;
  readonly snapshot: IncomeSnapshot;
}

export interface PreparedPair {
  readonly from: PreparedYear;
  readonly to: PreparedYear;
  /** Undefined when both years are on the same vintage. */
  readonly largestSourceWeight?: ReadonlyMap<string, number>;
  /** How the years were put on one geography, in words. */
  readonly geography: string;
  readonly warnings: string[];
  /** Households of the earlier year before and after the move (when counts moved). */
  readonly households?: { readonly year: number; readonly before: number; readonly after: number };
}

function analyzeYear(snapshot: IncomeSnapshot, options: AnalysisOptions, amiBasis: IncomeSnapshot = snapshot): PreparedYear {
  const k = amiBasis.set.lowerEdges.length;
  const resolvedAmi = resolveAmi(options.ami, amiBasis.set, amiBasis.counts, amiBasis.counts.length / k, amiBasis.publishedMedians);
  return { analysis: analyzeSnapshot(snapshot, { ...options, resolvedAmi }), snapshot };
}

export function prepareYearPair(
  dataset: Dataset,
  fromYear: number,
  toYear: number,
  options: AnalysisOptions,
  crosswalk?: { rows: readonly CrosswalkRow[]; source: string } | null,
): PreparedPair {
  const y0 = dataset.years.find((y) => y.year === fromYear);
  const y1 = dataset.years.find((y) => y.year === toYear);
  if (!y0 || !y1) {
    throw new RangeError(`the dataset has no ${!y0 ? fromYear : toYear}; it has ${dataset.years.map((y) => y.year).join(', ')}`);
  }
  const s0 = toSnapshot(y0.table);
  const s1 = toSnapshot(y1.table);
  const to = analyzeYear(s1, options);
  const warnings: string[] = [];
  let rows: readonly CrosswalkRow[] | null = crosswalk?.rows ?? null;
  let geography: string;
  if (rows) geography = `${fromYear} moved to the ${toYear} tracts with the crosswalk ${crosswalk!.source}`;
  else if (y0.boundaryKey === y1.boundaryKey) {
    return { from: analyzeYear(s0, options), to, geography: `both years on the same tracts (${y1.boundaryKey})`, warnings };
  } else {
    rows = dataset.crosswalks.get(`${y0.boundaryKey}->${y1.boundaryKey}`) ?? null;
    if (rows && dataset.areaWeighted?.has(`${y0.boundaryKey}->${y1.boundaryKey}`)) geography = areaWeightsGeography(fromYear, toYear);
    else if (rows) geography = `${fromYear} moved to the ${toYear} tracts with the dataset's crosswalk ${y0.boundaryKey}→${y1.boundaryKey}`;
    else {
      const b0 = dataset.boundaries.get(y0.boundaryKey);
      const b1 = dataset.boundaries.get(y1.boundaryKey);
      if (!b0 || !b1) throw new RangeError(`no crosswalk and no boundaries to compute area weights between ${y0.boundaryKey} and ${y1.boundaryKey}`);
      rows = areaCrosswalk(b0.features, b1.features);
      geography = areaWeightsGeography(fromYear, toYear);
    }
  }
  const moved = moveCounts(s0, rows, s1.geoids);
  if (moved.unmatchedSources.length) warnings.push(`${moved.unmatchedSources.length} ${fromYear} tracts are not in the crosswalk; their households are not counted: ${moved.unmatchedSources.slice(0, 10).join(', ')}`);
  const before = householdsOf(s0);
  const conservation = crosswalkConservation(rows, before);
  warnings.push(...conservationWarnings(conservation, fromYear));
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const households = { year: fromYear, before: total(before), after: total(householdsOf(moved.snapshot)) };
  // Weights that conserve, applied to sources that are all there, keep the total within rounding.
  if (Math.abs(households.after - households.before) > CONSERVATION_SHARE * Math.max(1, households.before)) {
    warnings.push(
      `the move changes the ${fromYear} households from ${Math.round(households.before).toLocaleString('en-US')} to ${Math.round(households.after).toLocaleString('en-US')} ` +
        `(${households.after > households.before ? '+' : ''}${(((households.after - households.before) / Math.max(1, households.before)) * 100).toFixed(1)}%): ` +
        'shares and classes of the moved tracts are still computed, but check the crosswalk (weights, duplicates, tracts outside the later year)',
    );
  }
  return { from: analyzeYear(moved.snapshot, options, s0), to, largestSourceWeight: moved.largestSourceWeight, geography, warnings, households };
}

function areaWeightsGeography(fromYear: number, toYear: number): string {
  return `${fromYear} moved to the ${toYear} tracts by area weights (no crosswalk given: households assumed spread evenly within each tract)`;
}

/** Households moved may differ from before by this share (weights rounded to 4–6 decimals) before a warning. */
const CONSERVATION_SHARE = 0.001;

function householdsOf(snapshot: IncomeSnapshot): Map<string, number> {
  const k = snapshot.set.lowerEdges.length;
  const out = new Map<string, number>();
  snapshot.geoids.forEach((g, i) => {
    let h = 0;
    for (let j = 0; j < k; j++) h += snapshot.counts[i * k + j];
    out.set(g, h);
  });
  return out;
}

/** The crosswalk's conservation problems in words (empty when it conserves). */
export function conservationWarnings(c: CrosswalkConservation, fromYear: number): string[] {
  const out: string[] = [];
  if (c.offSources.length) {
    out.push(
      `the crosswalk's weights of ${c.offSources.length} ${fromYear} tracts do not add up to 1 (±${c.tolerance}), so their households are multiplied by the sum: ` +
        c.offSources.slice(0, 10).map((o) => `${o.source} Σ=${+o.sum.toFixed(4)}`).join(', ') + (c.offSources.length > 10 ? ', …' : ''),
    );
  }
  if (c.duplicates.length) {
    out.push(
      `the crosswalk lists ${c.duplicates.length} source→target pairs more than once (each copy moves the households again): ` +
        c.duplicates.slice(0, 10).map((d) => `${d.source}→${d.target} ×${d.count}`).join(', ') + (c.duplicates.length > 10 ? ', …' : ''),
    );
  }
  return out;
}
