/**
 * The join report: which income units found a boundary and which did not, on each side, with
 * every repaired id and every rejected row, so that nothing is lost without the user seeing it.
 */
import type { IncomeTable } from './income';
import type { RejectedRow } from './errors';

/** What the join needs of a boundary set (see boundaries.ts). */
export interface BoundaryIds {
  readonly file: string;
  readonly features: readonly { readonly properties: { readonly GEOID: string } }[];
  readonly repairedIds: readonly { feature: number; before: string; after: string }[];
  readonly rejected: readonly RejectedRow[];
  readonly warnings?: readonly string[];
}

export interface JoinReport {
  readonly incomeFile: string;
  readonly boundaryFile: string | null;
  readonly rowsRead: number;
  /** Rows that gave a unit (rowsRead = rowsUsable + rejected rows). */
  readonly rowsUsable: number;
  /** Units after any summing of block groups to tracts. */
  readonly unitsUsable: number;
  readonly matched: number;
  /** Income units with no boundary (ids). */
  readonly incomeOnly: string[];
  /** Boundary features with no income row (ids), and how many of them per county. */
  readonly boundaryOnly: string[];
  readonly boundaryOnlyByCounty: Record<string, number>;
  readonly repairedIncomeIds: IncomeTable['repairedIds'];
  readonly repairedBoundaryIds: BoundaryIds['repairedIds'];
  readonly rejectedRows: readonly RejectedRow[];
  readonly rejectedFeatures: readonly RejectedRow[];
  readonly warnings: readonly string[];
  readonly boundaryWarnings: readonly string[];
}

export function joinReport(table: IncomeTable, boundaries: BoundaryIds | null): JoinReport {
  const incomeIds = new Set(table.units.map((u) => u.geoid));
  let incomeOnly: string[] = [];
  let boundaryOnly: string[] = [];
  let matched = table.units.length;
  if (boundaries) {
    const boundaryIds = new Set(boundaries.features.map((f) => f.properties.GEOID));
    incomeOnly = table.units.map((u) => u.geoid).filter((g) => !boundaryIds.has(g));
    boundaryOnly = [...boundaryIds].filter((g) => !incomeIds.has(g)).sort();
    matched = table.units.length - incomeOnly.length;
  }
  const boundaryOnlyByCounty: Record<string, number> = {};
  for (const g of boundaryOnly) boundaryOnlyByCounty[g.slice(0, 5)] = (boundaryOnlyByCounty[g.slice(0, 5)] ?? 0) + 1;
  return {
    incomeFile: table.file,
    boundaryFile: boundaries?.file ?? null,
    rowsRead: table.rowsRead,
    rowsUsable: table.rowsUsable ?? table.units.length,
    unitsUsable: table.units.length,
    matched,
    incomeOnly,
    boundaryOnly,
    boundaryOnlyByCounty,
    repairedIncomeIds: table.repairedIds,
    repairedBoundaryIds: boundaries?.repairedIds ?? [],
    rejectedRows: table.rejected,
    rejectedFeatures: boundaries?.rejected ?? [],
    warnings: table.warnings,
    boundaryWarnings: boundaries?.warnings ?? [],
  };
}

function list<T>(items: readonly T[], show: (t: T) => string, max = 10): string {
  const shown = items.slice(0, max).map(show).join(', ');
  return items.length > max ? `${shown}, … (${items.length - max} more)` : shown;
}

/** The report as lines of text for a terminal (the CLI prints it to stderr). */
export function formatJoinReport(r: JoinReport): string[] {
  const lines: string[] = [];
  lines.push(`income: ${r.incomeFile}: ${r.rowsRead} rows read, ${r.rowsUsable} usable, ${r.rejectedRows.length} rejected`);
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  if (r.repairedIncomeIds.length) {
    lines.push(`  ${r.repairedIncomeIds.length} ids repaired: ${list(r.repairedIncomeIds, (x) => `line ${x.line} ${x.before} → ${x.after}`, 5)}`);
  }
  for (const x of r.rejectedRows) {
    lines.push(`  rejected line ${x.row}${x.geoid ? ` (${x.geoid})` : ''}${x.column ? `, column "${x.column}"` : ''}: ${x.reason}`);
  }
  if (r.boundaryFile) {
    lines.push(`boundaries: ${r.boundaryFile}: ${r.matched} of ${r.unitsUsable} income units matched a boundary`);
    for (const w of r.boundaryWarnings) lines.push(`  note: ${w}`);
    if (r.incomeOnly.length) lines.push(`  ${r.incomeOnly.length} income units without a boundary: ${list(r.incomeOnly, (g) => g, 20)}`);
    if (r.boundaryOnly.length) {
      const counties = Object.entries(r.boundaryOnlyByCounty);
      lines.push(
        `  ${r.boundaryOnly.length} boundary features without income (not analysed), in ${counties.length} counties: ${list(counties, ([c, n]) => `${c}: ${n}`, 8)}`,
      );
    }
    if (r.repairedBoundaryIds.length) {
      lines.push(`  ${r.repairedBoundaryIds.length} boundary ids repaired: ${list(r.repairedBoundaryIds, (x) => `feature ${x.feature} ${x.before} → ${x.after}`, 5)}`);
    }
    for (const x of r.rejectedFeatures) lines.push(`  rejected feature ${x.row}${x.geoid ? ` (${x.geoid})` : ''}: ${x.reason}`);
  }
  return lines;
}

/**
 * Boundary features that at least one of several income tables matches (a bundle keeps only
 * those), and the ones left out, counted by county (first five GEOID digits) for the report.
 */
export function featuresWithIncome<F extends { readonly properties: { readonly GEOID: string } }>(
  features: readonly F[],
  tables: readonly Pick<IncomeTable, 'units'>[],
): { kept: F[]; dropped: string[]; droppedByCounty: Record<string, number> } {
  const ids = new Set(tables.flatMap((t) => t.units.map((u) => u.geoid)));
  const kept = features.filter((f) => ids.has(f.properties.GEOID));
  const dropped = features.filter((f) => !ids.has(f.properties.GEOID)).map((f) => f.properties.GEOID);
  const droppedByCounty: Record<string, number> = {};
  for (const g of dropped) droppedByCounty[g.slice(0, 5)] = (droppedByCounty[g.slice(0, 5)] ?? 0) + 1;
  return { kept, dropped, droppedByCounty };
}
