/**
 * Exports of an analysis: the CSV researchers load elsewhere, and the method's parameters that
 * make every figure reproducible (METHOD.md: "reproducible from this page plus the parameters
 * recorded in the export").
 */
import { periodLabel } from '../core/brackets';
import type { YearAnalysis } from '../core/analyze';
import type { TractUncertainty } from '../core/uncertainty';
import { DIVERSITY_THRESHOLDS } from '../core/entropy';
import { PARETO_ALPHA_FALLBACK, PARETO_ALPHA_MIN } from '../core/rebin';

/** Decimals for shares and H in exports (≥ 6 so that 1e−6 comparisons are meaningful). */
export const SHARE_DECIMALS = 8;

function num(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(decimals);
}

/** Counts: whole numbers as such; crosswalked (fractional) counts to 6 decimals, no trailing zeros. */
function count(x: number): string {
  return Number.isFinite(x) ? x.toFixed(6).replace(/\.?0+$/, '') : '';
}

export function csvHeader(analysis: YearAnalysis): string[] {
  return ['GEOID', 'year', 'households', 'ami', ...analysis.groups.map((g) => g.key), 'entropy', 'class', 'median_income'];
}

/** One CSV row per unit: shares blank without households, entropy blank when insufficient. */
export function csvRows(analysis: YearAnalysis): string[][] {
  const g = analysis.groups.length;
  const rows: string[][] = [];
  for (let u = 0; u < analysis.geoids.length; u++) {
    const hh = analysis.households[u];
    const shares: string[] = [];
    for (let i = 0; i < g; i++) shares.push(hh > 0 ? num(analysis.groupCounts[u * g + i] / hh, SHARE_DECIMALS) : '');
    const cls = analysis.classes[u];
    rows.push([
      analysis.geoids[u],
      String(analysis.year),
      count(hh),
      analysis.ami.dollars.toFixed(2),
      ...shares,
      cls === 'insufficient' ? '' : num(analysis.entropy[u], SHARE_DECIMALS),
      cls,
      Number.isFinite(analysis.medianIncome[u]) ? analysis.medianIncome[u].toFixed(2) : '',
    ]);
  }
  return rows;
}

export function toCsv(header: string[], rows: string[][]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

/** Columns appended by `--uncertainty` (METHOD §6): the 90% interval of H and each class's probability. */
export const UNCERTAINTY_COLUMNS = ['entropy_p05', 'entropy_p95', 'p_high', 'p_moderate', 'p_low', 'p_not_diverse', 'p_insufficient', 'class_uncertain'];

/** The analysis as CSV; `include` keeps only some tracts (an export of a selection). */
export function analysisCsv(analysis: YearAnalysis, uncertainty?: readonly TractUncertainty[] | null, include?: (geoid: string) => boolean): string {
  const keep = (rows: string[][]) => (include ? rows.filter((r) => include(r[0])) : rows);
  if (uncertainty === undefined) return toCsv(csvHeader(analysis), keep(csvRows(analysis)));
  const rows = csvRows(analysis).map((row, u) => {
    const x = uncertainty?.[u];
    if (!x) return [...row, ...UNCERTAINTY_COLUMNS.map(() => '')];
    const p = x.classProbability;
    return [...row, num(x.entropyLow, 4), num(x.entropyHigh, 4), ...[p.high, p.moderate, p.low, p['not-diverse'], p.insufficient].map((v) => num(v, 4)), x.uncertain ? '1' : '0'];
  });
  return toCsv([...csvHeader(analysis), ...UNCERTAINTY_COLUMNS], keep(rows));
}

/** The method's parameters, as recorded beside every export. */
export function methodParameters(analysis: YearAnalysis, source: Record<string, unknown> = {}) {
  return {
    tool: 'tractmix',
    year: analysis.year,
    /** How the data year is written for people: an ACS 5-year period ("2014–18") or a census year. */
    period: periodLabel(analysis.year),
    incomeYear: analysis.incomeYear,
    scheme: analysis.scheme.kind,
    schemeDescription: analysis.schemeDescription,
    groups: analysis.groups,
    cutPointsDollars: analysis.cutsDollars.map((c) => +c.toFixed(2)),
    ami: { dollars: +analysis.ami.dollars.toFixed(2), kind: analysis.ami.kind, source: analysis.ami.source },
    minHouseholds: analysis.minHouseholds,
    entropy: 'H = -sum(p_i ln p_i) / ln k (Galster, Booza & Cutsinger 2008, p. 265)',
    classThresholds: DIVERSITY_THRESHOLDS,
    interpolation: `linear within closed brackets; Pareto tail in the open top bracket fitted to the two top brackets (alpha >= ${PARETO_ALPHA_MIN}, ${PARETO_ALPHA_FALLBACK} when undefined)`,
    medianIncome: 'interpolated from the brackets by the same rule',
    ...source,
  };
}
