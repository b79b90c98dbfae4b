/** The change CSV: one row per tract with both years' figures, the change figures, flags and criteria. */
import { periodLabel } from '../core/brackets';
import { CRITERIA, type ChangeAnalysis, type CriterionId } from '../core/change';
import type { DefinitionResult } from '../core/definitions';
import { methodParameters, toCsv } from './export';

const f = (x: number, d = 8) => (Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : '');
const b = (x: boolean) => (x ? '1' : '0');

export interface ExtraColumnsBlock {
  readonly header: string[];
  readonly row: (geoid: string) => string[];
}

/** Columns of a Governing/NCRC result: `<p>_eligible`, `<p>_gentrified`, then each criterion. */
export function definitionBlock(prefix: string, results: readonly DefinitionResult[]): ExtraColumnsBlock {
  const byId = new Map(results.map((r) => [r.geoid, r]));
  const criteria = results.length ? Object.keys(results[0].criteria) : [];
  return {
    header: [`${prefix}_eligible`, `${prefix}_gentrified`, ...criteria, `${prefix}_missing`],
    row: (g) => {
      const r = byId.get(g);
      if (!r) return ['', '', ...criteria.map(() => ''), 'no data'];
      return [b(r.eligible), b(r.gentrified), ...criteria.map((c) => b(r.criteria[c])), r.missing.join('; ')];
    },
  };
}

export function changeCsv(change: ChangeAnalysis, blocks: readonly ExtraColumnsBlock[] = [], include?: (geoid: string) => boolean): string {
  const [y0, y1] = [change.from.year, change.to.year];
  const groups = change.from.groups.map((g) => g.key);
  const criteria = Object.keys(CRITERIA) as CriterionId[];
  const header = [
    'GEOID',
    ...[y0, y1].flatMap((y) => [`households_${y}`, `entropy_${y}`, `class_${y}`, `median_ami_${y}`]),
    'delta_entropy',
    ...groups.map((g) => `delta_${g}`),
    'real_median_growth',
    'boundary_changed',
    'stable_mixed',
    'income_upgrading',
    'transitional',
    ...criteria,
    ...blocks.flatMap((bl) => bl.header),
    'not_called',
  ];
  const rows = change.tracts.filter((t) => !include || include(t.geoid)).map((t) => [
    t.geoid,
    ...([0, 1] as const).flatMap((i) => [f(t.households[i], 6), t.classes[i] === 'insufficient' ? '' : f(t.entropy[i]), t.classes[i], f(t.medianAmi[i])]),
    f(t.deltaEntropy),
    ...t.deltaShares.map((d) => f(d)),
    f(t.realMedianGrowth),
    b(t.boundaryChanged),
    b(t.flags.stable_mixed),
    b(t.flags.income_upgrading),
    b(t.flags.transitional),
    ...criteria.map((c) => b(t.criteria[c])),
    ...blocks.flatMap((bl) => bl.row(t.geoid)),
    t.notCalled.join('; '),
  ]);
  return toCsv(header, rows);
}

/** Every parameter of a change analysis, for the method file beside an export. */
export function changeParameters(change: ChangeAnalysis, geography: string, source: Record<string, unknown> = {}) {
  const { priceIndex: _priceIndex, ...thresholds } = change.thresholds;
  return {
    tool: 'tractmix',
    comparison: `${change.from.year} → ${change.to.year}`,
    periods: `${periodLabel(change.from.year)} → ${periodLabel(change.to.year)}`,
    geography,
    from: methodParameters(change.from),
    to: methodParameters(change.to),
    priceFactor: +change.priceFactor.toFixed(6),
    priceIndex: 'CPI-U annual averages (BLS)',
    realAmiGrowth: +change.realAmiGrowth.toFixed(6),
    regionGrowthToBeat: +change.regionGrowth.toFixed(6),
    thresholds,
    criteria: CRITERIA,
    warnings: change.warnings,
    ...source,
  };
}
