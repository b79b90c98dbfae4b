/**
 * `tractmix export`: the files the app's Export menu writes, from the command line — one year or a
 * change view, all tracts or those a rule selects, as CSV, GeoJSON, XLSX or a zip of all three with
 * method.json and METHOD.txt. Thin shell: the figures (src/core), the table and files (src/data).
 */
import { analyzeSnapshot, type AnalysisOptions } from '../../src/core/analyze';
import { changeAnalysis } from '../../src/core/change';
import { gentrificationDefinition } from '../../src/core/definitions';
import { classUncertainty } from '../../src/core/uncertainty';
import { parseRule, ruleMatches, RuleError } from '../../src/core/rule';
import type { Dataset } from '../../src/data/dataset';
import { columnFiles, exportZip, methodRecord, methodText, tableCsv, tableGeoJson, tableXlsx, type ExportFormat, type ExportView } from '../../src/data/exportFiles';
import { changeExportTable, filterRows, ruleFields, ruleRecords, yearExportTable, type ExportTable, type TractNaming } from '../../src/data/exportTable';
import { readBoundaries, type BoundarySet } from '../../src/data/boundaries';
import { toSnapshot, type IncomeTable } from '../../src/data/income';
import { countyName } from '../../src/data/places';
import { definitionInputs } from '../../src/data/tractContext';
import { prepareYearPair } from '../../src/data/yearPair';
import { parseAmi, parseMinHouseholds, parseScheme, parseYearFile, readMapping, readYear, UsageError } from '../lib/args';
import { readBoundaryParts, readBundleFolder, readUserFile, writeOutputFile } from '../lib/files';
import type { CliIo } from '../lib/io';
import { join } from 'node:path';
import { BUNDLE_META_FILE, parseBundleMeta } from '../../src/data/bundle';
import { readBundleLayers } from '../../src/data/layerFiles';
import { countLayers } from '../../src/data/layerFigures';
import { layerParameters, type LayerCounts } from '../../src/data/layerCounts';
import { withPointCountColumns } from '../../src/data/layerColumns';

export interface ExportArgs {
  income?: string[];
  boundaries?: string;
  bundle?: string;
  year?: string;
  from?: string;
  to?: string;
  where?: string;
  format?: string;
  definition?: string;
  scheme?: string;
  cuts?: string;
  ami?: string;
  'min-households'?: string;
  columns?: string;
  lenient?: boolean;
  out?: string;
}

const FORMATS: readonly ExportFormat[] = ['csv', 'geojson', 'xlsx', 'zip'];

function yearOption(name: string, value: string | undefined, years: readonly number[]): number | undefined {
  if (value === undefined) return undefined;
  const y = Number(value);
  if (!years.includes(y)) throw new UsageError(`--${name} ${value}: the data have ${years.join(', ')}`);
  return y;
}

/**
 * The point counts per tract of a bundle's own point layers (issue 12), as the app adds them to its
 * table: the same columns in the same order, so `export --bundle` writes what the app's Export writes.
 * Counted in the tract polygons; a tiled bundle has none in memory, and the app shows no tract counts either.
 */
async function bundlePointCounts(dir: string, dataset: Dataset, boundaryKey: string): Promise<LayerCounts[]> {
  const meta = parseBundleMeta(BUNDLE_META_FILE, new TextDecoder().decode(readUserFile(join(dir, BUNDLE_META_FILE), 'bundle').bytes));
  if (!meta.points?.length) return [];
  const features = dataset.boundaries.get(boundaryKey)?.features ?? null;
  if (!features) return [];
  const layers = await readBundleLayers({ points: meta.points }, async (file) => new TextDecoder().decode(readUserFile(join(dir, file), 'point layer').bytes));
  return countLayers(layers.points, features, null);
}

async function datasetOf(values: ExportArgs): Promise<Dataset> {
  if (values.bundle) return readBundleFolder(values.bundle);
  if (!values.income?.length) throw new UsageError('export needs --bundle DIR or --income YEAR=FILE (once per year)');
  const mapping = readMapping(values.columns);
  const tables: IncomeTable[] = values.income.map((arg) => {
    const spec = parseYearFile(arg);
    return readYear(readUserFile(spec.path, 'income'), spec.path, spec.year, mapping);
  });
  tables.sort((a, b) => a.year - b.year);
  const boundaries: BoundarySet | null = values.boundaries ? await readBoundaries(readBoundaryParts(values.boundaries), { idProperty: mapping?.boundaryId }) : null;
  return {
    name: tables.map((t) => t.file).join(' + '),
    description: '',
    synthetic: false,
    sources: tables.map((t) => t.file),
    boundaries: new Map(boundaries ? [['files', boundaries]] : []),
    years: tables.map((t) => ({ year: t.year, incomeYear: t.incomeYear, table: t, boundaryKey: 'files', source: t.file })),
    reports: [],
    crosswalks: new Map(),
    extras: new Map(),
  };
}

export async function exportCommand(values: ExportArgs, io: CliIo): Promise<number> {
  if (values.bundle && values.income?.length) throw new UsageError('export takes --bundle DIR or --income YEAR=FILE …, not both');
  if (values.year !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError('export takes --year Y (one year) or --from A --to B (the change view), not both');
  const format = (values.format ?? (values.out ? FORMATS.find((f) => values.out!.toLowerCase().endsWith(`.${f}`)) : undefined) ?? 'csv') as ExportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format "${values.format}" is not one of ${FORMATS.join(', ')}`);
  if ((format === 'xlsx' || format === 'zip') && !values.out) throw new UsageError(`--format ${format} writes a binary file: give --out FILE.${format}`);
  const definition = values.definition ?? null;
  if (definition !== null && definition !== 'governing' && definition !== 'ncrc') throw new UsageError(`--definition "${definition}" is not governing or ncrc (the UDP typology columns come from \`tractmix change --definition udp\`)`);
  const options: AnalysisOptions = {
    scheme: parseScheme(values.scheme, values.cuts),
    ami: parseAmi(values.ami),
    minHouseholds: parseMinHouseholds(values['min-households']),
  };

  const dataset = await datasetOf(values);
  const years = dataset.years.map((y) => y.year);
  const changeView = values.from !== undefined || values.to !== undefined;
  let view: ExportView;
  let table: ExportTable;
  let boundaryKey: string;
  const naming = (key: string): TractNaming => ({
    // A tiled bundle's names are in its tract list.
    names: new Map(dataset.boundaries.get(key)?.features.map((f) => [f.properties.GEOID, f.properties.name ?? '']) ?? dataset.tiles?.get(key)?.tracts.map((t) => [t.geoid, t.name]) ?? []),
    countyName: (geoid) => countyName(geoid),
  });
  if (changeView) {
    const to = yearOption('to', values.to, years) ?? years[years.length - 1];
    const from = yearOption('from', values.from, years) ?? years[0];
    if (!(from < to)) throw new UsageError(`--from ${from} must come before --to ${to}`);
    if (definition && !(dataset.extras.has(from) && dataset.extras.has(to))) {
      throw new UsageError(`--definition ${definition} needs population, home value and education columns for ${from} and ${to}; these data do not have them`);
    }
    const pair = prepareYearPair(dataset, from, to, options);
    const change = changeAnalysis(pair.from, pair.to, { largestSourceWeight: pair.largestSourceWeight, stableClass: values.lenient ? 'moderate-or-better' : 'high' });
    change.warnings.unshift(...pair.warnings);
    let results = null;
    if (definition) {
      const index = new Map(change.tracts.map((t) => [t.geoid, t]));
      const inputs = definitionInputs(change.tracts.map((t) => t.geoid), [from, to], [dataset.extras.get(from)!, dataset.extras.get(to)!], (geoid, which) => {
        const t = index.get(geoid)!;
        const m = which === 0 ? change.from.medianIncome[t.index0] : change.to.medianIncome[t.index1];
        return Number.isFinite(m) ? m : null;
      });
      results = new Map(gentrificationDefinition(definition, inputs, change.priceFactor).map((r) => [r.geoid, r]));
    }
    boundaryKey = dataset.years.find((y) => y.year === to)!.boundaryKey;
    table = changeExportTable(change, naming(boundaryKey), { definition: results ? { prefix: definition === 'governing' ? 'gov' : 'ncrc', results } : null });
    view = { kind: 'change', change, geography: pair.geography, definition };
  } else {
    const year = yearOption('year', values.year, years) ?? years[years.length - 1];
    const entry = dataset.years.find((y) => y.year === year)!;
    boundaryKey = entry.boundaryKey;
    const snapshot = toSnapshot(entry.table);
    const analysis = analyzeSnapshot(snapshot, options);
    // As the app does: with margins of error, the class uncertainty columns (METHOD §6).
    table = yearExportTable(analysis, naming(boundaryKey), classUncertainty(snapshot, analysis));
    view = { kind: 'year', analysis };
  }

  const pointCounts = values.bundle ? await bundlePointCounts(values.bundle, dataset, boundaryKey) : [];
  if (pointCounts.length) table = withPointCountColumns<ExportTable['columns'][number], ExportTable['rows'][number][number], ExportTable>(table, pointCounts, 'tracts') as ExportTable;
  let selected = table;
  if (values.where !== undefined) {
    let rule;
    try {
      rule = parseRule(values.where, ruleFields(table));
    } catch (e) {
      if (e instanceof RuleError) throw new UsageError(`--where: ${e.message}`);
      throw e;
    }
    const records = ruleRecords(table);
    const keep = new Set(table.rows.filter((_, i) => ruleMatches(rule, records[i])).map((r) => String(r[0])));
    selected = filterRows(table, (g) => keep.has(g));
    io.err(`--where ${values.where}: ${keep.size} of ${table.rows.length} tracts\n`);
  }
  // The files' base name (NAME.csv, NAME.columns.json), as the app names its downloads.
  const name = values.out ? (values.out.split(/[\\/]/).pop() ?? 'tractmix').replace(/\.(csv|geojson|xlsx|zip)$/i, '') : 'tractmix-export';
  const record = {
    ...methodRecord(dataset, view, { scope: values.where !== undefined ? 'selection' : 'all', rule: values.where ?? null, tracts: selected.rows.length, of: table.rows.length }, new Date().toISOString(), name),
    ...(pointCounts.length ? layerParameters(null, pointCounts) : {}),
  };
  const features = dataset.boundaries.get(boundaryKey)?.features ?? null;
  if (format === 'geojson' && !features) {
    throw new UsageError(dataset.tiles?.has(boundaryKey) ? '--format geojson: this bundle keeps its tracts as vector tiles only (each tract simplified per zoom and cut at tile edges, not its polygon); export from its sources (--income YEAR=FILE … --boundaries FILE) for GeoJSON, or join the CSV to the boundary file on GEOID' : '--format geojson needs --boundaries FILE (or a bundle)');
  }

  let output: string | Uint8Array;
  if (format === 'csv') output = tableCsv(selected);
  else if (format === 'geojson') output = JSON.stringify(tableGeoJson(selected, features!, record)) + '\n';
  else if (format === 'xlsx') output = await tableXlsx(selected, record);
  else output = await exportZip(name, selected, features, record);
  if (values.out) {
    writeOutputFile(values.out, output);
    if (format === 'csv' || format === 'geojson') {
      writeOutputFile(values.out.replace(/\.(csv|geojson)$/i, '') + '.method.json', JSON.stringify(record, null, 2) + '\n');
      writeOutputFile(values.out.replace(/\.(csv|geojson)$/i, '') + '.METHOD.txt', methodText(record));
      // Each year's column mapping, beside the file: `analyze --income NAME.csv --columns NAME.columns.json` reads it back.
      const dir = values.out.slice(0, values.out.length - (values.out.split(/[\\/]/).pop() ?? '').length);
      for (const [file, bytes] of Object.entries(columnFiles(record))) writeOutputFile(dir + file, bytes);
    }
    io.err(`wrote ${values.out} (${selected.rows.length} tracts${format === 'csv' || format === 'geojson' ? ', method beside it' : ''})\n`);
  } else io.out(output as string);
  return 0;
}
