/**
 * The files of an export, built the same way by the app (Export menu) and by `tractmix export`:
 * CSV, GeoJSON and XLSX of one export table (exportTable.ts), the method sidecar (method.json and
 * METHOD.txt) and the zip holding them all. Same table in, same bytes out (but for the export time).
 */
import pkg from '../../package.json';
import type { YearAnalysis } from '../core/analyze';
import { periodLabel } from '../core/brackets';
import { CRITERIA, type ChangeAnalysis } from '../core/change';
import { DEFINITION_CRITERIA } from '../core/definitions';
import { DIVERSITY_THRESHOLDS } from '../core/entropy';
import type { Dataset } from './dataset';
import { methodParameters } from './export';
import { exportedInput, type Cell, type ExportTable } from './exportTable';
import { exportColumnMapping } from './bracketColumns';

export const TRACTMIX_VERSION: string = pkg.version;

function csvCell(c: Cell): string {
  if (c === null) return '';
  const s = typeof c === 'number' ? String(c) : c;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV (RFC 4180, LF line ends): a header line, then one line per tract; empty cell = no value. */
export function tableCsv(table: ExportTable): string {
  return [table.columns.map((c) => csvCell(c.name)).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

interface FeatureLike {
  readonly geometry: unknown;
  readonly properties: { readonly GEOID: string };
}

/**
 * GeoJSON: one feature per row with the row's cells as properties (numbers as numbers, no value as
 * null); a row whose tract has no polygon gets geometry null rather than being left out. The method
 * record rides along as the collection's `tractmix` member.
 */
export function tableGeoJson(table: ExportTable, features: readonly FeatureLike[], method: unknown) {
  const geometry = new Map(features.map((f) => [f.properties.GEOID, f.geometry]));
  return {
    type: 'FeatureCollection' as const,
    tractmix: method,
    features: table.rows.map((row) => ({
      type: 'Feature' as const,
      geometry: geometry.get(String(row[0])) ?? null,
      properties: Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])),
    })),
  };
}

/**
 * XLSX (xlsxExport.ts, exceljs loaded only when asked for): sheet "tracts YEAR" (or "change") with
 * the table, every text column stored as text (so GEOID 08031000201 and a county code keep their
 * zeros) and numbers as numbers (full precision: the shortest exact form read back); sheet "method"
 * with the method record.
 */
export async function tableXlsx(table: ExportTable, record: ReturnType<typeof methodRecord>): Promise<Uint8Array> {
  const { tableXlsx: workbook } = await import('./xlsxExport');
  const text = new Set(table.columns.filter((c) => c.kind === 'text').map((c) => c.name));
  const rows = table.rows.map((r) => r.map((c) => (c === null ? '' : String(c))));
  const sheet = record.view === 'change' ? 'change' : `tracts ${record.years[0].year}`;
  return workbook(sheet, table.columns.map((c) => c.name), rows, record as unknown as Record<string, unknown>, text);
}

/** What was exported: the whole dataset, the tracts in the map view, or a selection (with its rule). */
export interface ExportSelection {
  readonly scope: 'all' | 'view' | 'selection';
  /** The rule that made the selection, when it was made by rule. */
  readonly rule: string | null;
  /** How the selection was made otherwise (clicks, box, lasso), in words. */
  readonly how?: string;
  readonly tracts: number;
  readonly of: number;
}

export type ExportView =
  | { readonly kind: 'year'; readonly analysis: YearAnalysis }
  | { readonly kind: 'change'; readonly change: ChangeAnalysis; readonly geography: string; readonly definition: string | null };

function yearInputs(dataset: Dataset, year: number) {
  const entry = dataset.years.find((y) => y.year === year);
  const boundaries = entry ? dataset.boundaries.get(entry.boundaryKey) : undefined;
  return {
    year,
    period: periodLabel(year),
    incomeYear: entry?.incomeYear ?? null,
    incomeFile: entry?.table.file ?? null,
    incomeFormat: entry?.table.format ?? null,
    bracketSet: entry?.table.set.id ?? null,
    universe: entry?.table.universe ?? null,
    source: entry?.source ?? null,
    boundaryFile: boundaries?.file ?? null,
    boundaryFormat: boundaries?.format ?? null,
  };
}

/** The options of `tractmix analyze` that give an analysis's scheme, AMI and minimum households. */
export function analysisOptionArgs(a: YearAnalysis): string[] {
  const s = a.scheme;
  const scheme =
    s.kind === 'ami6' ? []
    : s.kind === 'quintile5' ? ['--scheme', 'quintile5']
    : ['--scheme', 'custom', '--cuts', `${s.unit}${s.unit === 'dollars' && s.dollarYear !== undefined ? s.dollarYear : ''}:${s.cuts.join(',')}`];
  // The AMI as a typed value at full precision: a selection's own pooled median would differ.
  return [...scheme, '--ami', String(a.ami.dollars), '--min-households', String(a.minHouseholds)];
}

/** The column mapping file of one year of an export: `NAME.columns.json`, `NAME.columns-2000.json` in the change view. */
export function columnsFileName(name: string, view: ExportView['kind'], year: number): string {
  return view === 'change' ? `${name}.columns-${year}.json` : `${name}.columns.json`;
}

/**
 * How to analyse a year of the export again (the round trip): the column mapping that reads the
 * year's bracket columns, and the `tractmix analyze` command that recomputes every figure of the
 * year (households, group counts and shares, H, class, median, median ÷ AMI) from them.
 */
function reanalysis(a: YearAnalysis, view: ExportView['kind'], name: string) {
  const columns = exportColumnMapping(exportedInput(a, view === 'change' ? `_${a.year}` : ''));
  const args = ['analyze', '--income', `${name}.csv`, '--columns', columnsFileName(name, view, a.year), ...analysisOptionArgs(a)];
  return { columnsFile: columnsFileName(name, view, a.year), columns, command: `npm run -s tractmix -- ${args.join(' ')}` };
}

/**
 * method.json: everything needed to reproduce each exported figure. `name` is the exported files'
 * base name (`NAME.csv`), used in the re-analysis command of each year.
 */
export function methodRecord(dataset: Dataset, view: ExportView, selection: ExportSelection, exportedAt: string, name = 'tractmix-export') {
  const analyses = view.kind === 'year' ? [view.analysis] : [view.change.from, view.change.to];
  // Full precision (methodParameters rounds to cents): the figures must be reproducible from these.
  const years = analyses.map((a) => ({
    ...methodParameters(a),
    tool: undefined,
    period: periodLabel(a.year),
    ami: { dollars: a.ami.dollars, kind: a.ami.kind, source: a.ami.source },
    cutPointsDollars: [...a.cutsDollars],
    inputs: yearInputs(dataset, a.year),
    reanalysis: reanalysis(a, view.kind, name),
  }));
  const change =
    view.kind === 'change'
      ? (() => {
          const { priceIndex: _p, ...thresholds } = view.change.thresholds;
          return {
            comparison: `${view.change.from.year} → ${view.change.to.year} (${periodLabel(view.change.from.year)} → ${periodLabel(view.change.to.year)})`,
            geography: view.geography,
            crosswalk: view.geography,
            priceFactor: view.change.priceFactor,
            priceIndex: 'CPI-U annual averages (BLS)',
            realAmiGrowth: view.change.realAmiGrowth,
            regionGrowthToBeat: view.change.regionGrowth,
            flags: {
              stable_mixed: 'all sm_* criteria',
              income_upgrading: 'all iu_* criteria (iu_low_income_loss only with requireLowIncomeLoss)',
              transitional: 'tr_mixed_now and tr_upgrading',
            },
            thresholds,
            criteria: CRITERIA,
            definition: view.definition,
            definitionCriteria: view.definition === 'governing' || view.definition === 'ncrc' ? DEFINITION_CRITERIA[view.definition] : undefined,
            warnings: view.change.warnings,
          };
        })()
      : null;
  return {
    tool: 'tractmix',
    version: TRACTMIX_VERSION,
    exportedAt,
    dataset: { name: dataset.name, synthetic: dataset.synthetic, description: dataset.description, sources: dataset.sources },
    view: view.kind,
    selection,
    classThresholds: DIVERSITY_THRESHOLDS,
    years,
    change,
  };
}

const money = (x: number) => `$${x.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/** METHOD.txt: the same record in sentences, for the person who opens the folder. */
export function methodText(record: ReturnType<typeof methodRecord>): string {
  const lines: string[] = [];
  lines.push(`tractmix ${record.version} — exported ${record.exportedAt}`);
  lines.push(`Dataset: ${record.dataset.name}${record.dataset.synthetic ? ' (SYNTHETIC: every figure is made up)' : ''}`);
  if (record.dataset.sources.length) lines.push(`Sources: ${record.dataset.sources.join('; ')}`);
  const sel = record.selection;
  lines.push(
    `Tracts: ${sel.tracts} of ${sel.of} — ${sel.scope === 'all' ? 'all tracts' : sel.scope === 'view' ? 'the tracts in the map view' : 'a selection'}` +
      (sel.rule ? `, rule: ${sel.rule}` : '') +
      (sel.how ? ` (${sel.how})` : ''),
  );
  lines.push('');
  lines.push('Method: entropy index H = -sum(p_i ln p_i) / ln k over k income groups (Galster, Booza & Cutsinger 2008, p. 265);');
  lines.push(`classes: High H >= ${DIVERSITY_THRESHOLDS.high}, Moderate >= ${DIVERSITY_THRESHOLDS.moderate}, Low >= ${DIVERSITY_THRESHOLDS.low}, else Not diverse; Insufficient below the minimum households.`);
  for (const y of record.years) {
    lines.push('');
    lines.push(`Year ${y.year} (${y.period}), incomes in ${y.incomeYear} dollars`);
    lines.push(`  Input: ${y.inputs.incomeFile ?? '?'} (${y.inputs.incomeFormat ?? '?'}, ${y.inputs.bracketSet ?? '?'} brackets, ${y.inputs.universe ?? '?'}); boundaries ${y.inputs.boundaryFile ?? 'none'}${y.inputs.boundaryFormat ? ` (${y.inputs.boundaryFormat})` : ''}`);
    if (y.inputs.source) lines.push(`  Source: ${y.inputs.source}`);
    lines.push(`  AMI: ${money(y.ami.dollars)} (${y.ami.kind}: ${y.ami.source})`);
    lines.push(`  Groups: ${y.schemeDescription}; cut points ${y.cutPointsDollars.map(money).join(', ')}`);
    lines.push(`  Minimum households: ${y.minHouseholds}`);
    lines.push(`  Interpolation: ${y.interpolation}`);
    lines.push(`  Recompute from the exported brackets: ${y.reanalysis.command}`);
  }
  const c = record.change;
  if (c) {
    lines.push('');
    lines.push(`Change ${c.comparison}: ${c.geography}`);
    lines.push(`  Prices: ${c.priceIndex}, factor ${c.priceFactor}; real AMI growth ${c.realAmiGrowth}; region growth to beat ${c.regionGrowthToBeat}`);
    lines.push(`  Thresholds: ${Object.entries(c.thresholds).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    lines.push('  Flags: stable_mixed = all sm_* criteria; income_upgrading = all iu_* criteria; transitional = tr_mixed_now and tr_upgrading');
    for (const [id, text] of Object.entries(c.criteria)) lines.push(`    ${id}: ${text}`);
    if (c.definition) lines.push(`  Fuller definition shown: ${c.definition}`);
    for (const [id, text] of Object.entries(c.definitionCriteria ?? {})) lines.push(`    ${id}: ${text}`);
    for (const w of c.warnings) lines.push(`  Warning: ${w}`);
  }
  lines.push('');
  lines.push('Files: the CSV and XLSX hold one row per tract (GEOID as text, full precision; empty = no value);');
  lines.push('the GeoJSON holds the same properties with each polygon; method.json holds this record in full;');
  lines.push('the income_<from>_<to> columns are the bracket counts every figure was computed from, and');
  lines.push(`${record.years.map((y) => y.reanalysis.columnsFile).join(' and ')} the column mapping that reads them back (commands above).`);
  return lines.join('\n') + '\n';
}

export type ExportFormat = 'csv' | 'geojson' | 'xlsx' | 'zip';

/** Each year's column mapping file (name → bytes), written beside the CSV and into every zip. */
export function columnFiles(record: ReturnType<typeof methodRecord>): Record<string, Uint8Array> {
  const encoder = new TextEncoder();
  return Object.fromEntries(record.years.map((y) => [y.reanalysis.columnsFile, encoder.encode(JSON.stringify(y.reanalysis.columns, null, 2) + '\n')]));
}

/** The zip: <name>.csv, <name>.xlsx, <name>.geojson (when there are polygons), method.json, METHOD.txt and each year's <name>.columns….json. */
export async function exportZip(name: string, table: ExportTable, features: readonly FeatureLike[] | null, record: ReturnType<typeof methodRecord>): Promise<Uint8Array> {
  const { zipSync, strToU8 } = await import('fflate');
  const text = methodText(record);
  const files: Record<string, Uint8Array> = {
    [`${name}.csv`]: strToU8(tableCsv(table)),
    [`${name}.xlsx`]: await tableXlsx(table, record),
    'method.json': strToU8(JSON.stringify(record, null, 2) + '\n'),
    'METHOD.txt': strToU8(text),
    ...columnFiles(record),
  };
  if (features) files[`${name}.geojson`] = strToU8(JSON.stringify(tableGeoJson(table, features, record)) + '\n');
  // A fixed time stamp in the zip entries: the same export gives the same bytes.
  return zipSync(files, { mtime: new Date(Date.UTC(2000, 0, 1)) });
}
