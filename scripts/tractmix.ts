/**
 * tractmix command line: thin shell over src/data (reading, joining) and src/core (the method).
 * Usage: npm run -s tractmix -- <analyze|summary|build> [options]   (see README)
 * `tractmix(argv, io)` is the whole command, importable: run as a script it drives the
 * process, the fuzz suite runs it in-process with buffers.
 */
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { analyzeSnapshot, type AnalysisOptions } from '../src/core/analyze';
import { regionSummary } from '../src/core/summary';
import { classUncertainty, DEFAULT_DRAWS } from '../src/core/uncertainty';
import { InputError } from '../src/data/errors';
import { aggregateToTracts, readIncomeTable, toSnapshot, type IncomeTable } from '../src/data/income';
import { featuresWithIncome, formatJoinReport, joinReport } from '../src/data/join';
import { buildBundle, BUNDLE_META_FILE, INCOME_COLUMNS_MIN_UNITS, type BundleInput } from '../src/data/bundle';
import { extraColumns } from '../src/data/extras';
import { analysisCsv, methodParameters } from '../src/data/export';
import { readBoundaries, type BoundarySet } from '../src/data/boundaries';
import { analysisGeoJson } from '../src/data/geojsonExport';
import { makeOutputFolder, readBundleFolder, readBoundaryParts, readUserFile, writeOutputFile } from './lib/files';
import { changeCommand } from './commands/change';
import { checkLayerArgs, layerParameters, setupAreas, setupPoints, withLayerColumns } from './commands/layers';
import { analyzeAreas } from '../src/core/areas';
import { fetchCommand } from './commands/fetch';
import { exportCommand } from './commands/export';
import { crosswalkCommand } from './commands/crosswalk';
import { boundaryArchive, hatchableTracts, TILED_BUNDLE_MIN_FEATURES } from '../src/data/vectorTiles';
import { INCOME_COLUMNS_FILE } from '../src/data/incomeColumns';
import { parseAmi, parseMinHouseholds, parseScheme, parseYearFile, readMapping, readYear, UsageError } from './lib/args';
import { processIo, type CliIo } from './lib/io';

const USAGE = `usage: npm run -s tractmix -- <command> [options]

commands:
  analyze   one row per unit: GEOID,year,households,ami,<group shares>,entropy,class,median_income
  summary   the region summary (Galster et al. 2008 measures) as JSON
  build     a dataset bundle for the app: --boundaries FILE --income YEAR=FILE [--income YEAR=FILE …]
            --name NAME --out DIR [--columns MAPPING.json] [--aggregate tract] [--source TEXT]
            [--areas FILE [--area-name FIELD]] [--points NAME=FILE …]
  fetch     a bundle straight from the Census Bureau: --place PLACE [--place …] --years 2000,2012,2023
            [--unit tract|blockgroup] [--out DIR] [--api-key KEY] [--cache DIR] [--crosswalk FILE]
            [--api-base URL] [--tiger-base URL] [--geo-base URL] [--retries N] [--retry-delay S] [--timeout S]
            PLACE: a county ("Cook County, IL" or 17031), a state ("Colorado", CO, 08), a metro area
            (CBSA title or code, "Denver-Aurora-Centennial, CO" or 19740); ACS years are labelled by their
            last year (2023 = ACS 2019–23)
  change    two years on one geography, one row per tract with change figures, flags and criteria:
            (--bundle DIR | --income YEAR=FILE --income YEAR=FILE … [--boundaries FILE]) [--from YEAR --to YEAR]
            [--crosswalk FILE] [--external FILE] [--definition income|udp|governing|ncrc] [--ami …] [--out FILE]
            thresholds: [--lenient] [--exclude-boundary-changed] [--min-growth 0.10] [--max-low-income-drop 0.05]
            [--region-growth ami|tract-median] [--require-low-income-loss]
  export    what the app's Export menu writes: (--bundle DIR | --income YEAR=FILE … [--boundaries FILE])
            [--year Y | --from A --to B] [--where RULE] [--format csv|geojson|xlsx|zip] [--out FILE]
            [--definition governing|ncrc] [--lenient]; RULE e.g. "class=high and county=17031",
            "stable_mixed=1", "entropy>=0.8" (fields: the export's columns; see README "Selecting and exporting");
            the CSV holds each tract's income brackets: method.json (and NAME.METHOD.txt) give the analyze
            command and NAME.columns.json the mapping that recompute every figure from it
  crosswalk area weights between two boundary sets, for reuse with change --crosswalk:
            --from BOUNDARIES --to BOUNDARIES --out FILE.csv [--min-weight 0.001]

options:
  --income FILE           income table (UDP/LTDB CSV, Census API JSON, data.census.gov CSV, AFF CSV)
  --boundaries FILE       tract boundaries (.shp with .dbf/.prj beside it, .zip, .geojson, .topojson)
  --year YYYY             year to read from a multi-year file, or the year of a single-year file
  --scheme ami6|quintile5|custom   income groups (default ami6)
  --cuts ami:0.5,0.8,1.2 | dollars[YYYY]:20000,50000   cut points of a custom scheme
  --ami auto|tract-median|DOLLARS  area median income (default auto: median of pooled brackets)
  --min-households N      fewer households than this → class "insufficient" (default 100)
  --columns MAPPING.json  column mapping for tables tractmix does not recognise
  --aggregate tract       sum block groups to tracts
  --uncertainty           analyze: append the 90% interval of H and each class's probability (data with MOEs)
  --out FILE.csv|FILE.geojson|FILE.xlsx   write to a file instead of stdout (plus FILE.method.json for CSV;
                          .xlsx keeps GEOIDs as text for spreadsheets, the method on a second sheet)
                          (build: the bundle folder, created if needed)
  --areas FILE            analyze, change: one row per area of this polygon layer (GeoJSON, TopoJSON, shapefile/zip)
                          instead of per tract: each area pools its tracts' bracket counts (needs tract boundaries)
  --area-name FIELD       the property holding each area's name (default: name, NAME, community, …)
  --area-rule share|centroid   share (default): tracts apportioned by the share of their area inside the area;
                          centroid: whole tracts whose centroid is inside
  --points NAME=FILE      analyze: count community assets (CSV with latitude/longitude columns, or GeoJSON points)
                          per tract or area: columns NAME and NAME_<category>; repeatable
  --point-category FIELD  the points' category field (default: category, type, kind, …)
  --point-lat COLUMN, --point-lon COLUMN   the CSV's coordinate columns when they are not detected
  --name NAME             build: the bundle's name, shown in the app
  --source TEXT           build: where the data came from, recorded in bundle.json
  --tiles auto|always|never   build: boundaries as vector tiles (a PMTiles archive) instead of TopoJSON;
                          auto (default) tiles bundles of more than ${TILED_BUNDLE_MIN_FEATURES} features
  --income-format auto|columns|csv   build: every year's income in one binary file (income-columns.bin) or one
                          CSV per year; auto (default) writes columns for tiled bundles and years of more than
                          ${INCOME_COLUMNS_MIN_UNITS} units`;





const OPTIONS = {
  // Repeatable for build (one YEAR=FILE per year); analyze and summary take exactly one.
  income: { type: 'string', multiple: true },
  boundaries: { type: 'string' },
  bundle: { type: 'string' },
  year: { type: 'string' },
  scheme: { type: 'string' },
  cuts: { type: 'string' },
  ami: { type: 'string' },
  'min-households': { type: 'string' },
  uncertainty: { type: 'boolean' },
  columns: { type: 'string' },
  aggregate: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  source: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  crosswalk: { type: 'string' },
  external: { type: 'string' },
  definition: { type: 'string' },
  lenient: { type: 'boolean' },
  'exclude-boundary-changed': { type: 'boolean' },
  'min-growth': { type: 'string' },
  'max-low-income-drop': { type: 'string' },
  'region-growth': { type: 'string' },
  'require-low-income-loss': { type: 'boolean' },
  where: { type: 'string' },
  format: { type: 'string' },
  place: { type: 'string', multiple: true },
  years: { type: 'string' },
  unit: { type: 'string' },
  'api-key': { type: 'string' },
  'api-base': { type: 'string' },
  'tiger-base': { type: 'string' },
  'geo-base': { type: 'string' },
  cache: { type: 'string' },
  retries: { type: 'string' },
  'retry-delay': { type: 'string' },
  timeout: { type: 'string' },
  'min-weight': { type: 'string' },
  tiles: { type: 'string' },
  'income-format': { type: 'string' },
  areas: { type: 'string' },
  'area-name': { type: 'string' },
  'area-rule': { type: 'string' },
  points: { type: 'string', multiple: true },
  'point-category': { type: 'string' },
  'point-lat': { type: 'string' },
  'point-lon': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>['values'];

async function main(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const command = positionals[0];
  if (values.help) {
    io.out(USAGE + '\n');
    return 0;
  }
  if (!command) throw new UsageError('no command given: the first word must be analyze, summary, build, change, crosswalk, export or fetch');
  if (command === 'crosswalk') return crosswalkCommand(values, io);
  if (command === 'build') return build(values, io);
  if (command === 'change') return changeCommand(values, io);
  if (command === 'export') return exportCommand(values, io);
  if (command === 'fetch') return fetchCommand(values, { ...io, tty: io === processIo && process.stderr.isTTY });
  if (command !== 'analyze' && command !== 'summary') throw new UsageError(`unknown command "${command}"`);
  return analyze(command, values, io);
}

async function analyze(command: 'analyze' | 'summary', values: Values, io: CliIo): Promise<number> {
  for (const option of ['name', 'source'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} is an option of build, not of ${command}`);
  }
  if (values.bundle && (values.income?.length || values.boundaries)) throw new UsageError(`${command} takes --bundle DIR or --income FILE [--boundaries FILE], not both`);
  if (!values.bundle && !values.income?.length) throw new UsageError(`${command} needs --income FILE or --bundle DIR`);
  if ((values.income?.length ?? 0) > 1) {
    throw new UsageError(`${command} reads one income file, but --income was given ${values.income!.length} times (build takes one --income YEAR=FILE per year)`);
  }
  const year = values.year !== undefined ? Number(values.year) : undefined;
  if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 2100)) {
    throw new UsageError(`--year "${values.year}" is not a four-digit year`);
  }
  const minHouseholds = parseMinHouseholds(values['min-households']);
  if (values.aggregate !== undefined && values.aggregate !== 'tract') throw new UsageError('--aggregate takes "tract"');
  checkLayerArgs(values);
  if ((values.areas || values.points?.length) && command === 'summary') throw new UsageError('--areas and --points are options of analyze and change, not of summary');
  if ((values.areas || values.points?.length) && !values.bundle && !values.boundaries) throw new UsageError('--areas and --points need the tract boundaries: --boundaries FILE (or --bundle DIR)');
  if (values.areas && values.out?.toLowerCase().endsWith('.geojson')) throw new UsageError('--areas writes CSV or .xlsx (a GeoJSON of areas is not written yet)');
  const options: AnalysisOptions = {
    scheme: parseScheme(values.scheme, values.cuts),
    ami: parseAmi(values.ami),
    minHouseholds,
  };
  const mapping = readMapping(values.columns);

  let table: IncomeTable;
  let boundaries: BoundarySet | null = null;
  if (values.bundle) {
    const dataset = await readBundleFolder(values.bundle);
    const entry = year !== undefined ? dataset.years.find((y) => y.year === year) : dataset.years[dataset.years.length - 1];
    if (!entry) {
      throw new InputError({ file: values.bundle, problem: `the bundle has no year ${year}`, expected: `one of ${dataset.years.map((y) => y.year).join(', ')}`, action: `Pass --year ${dataset.years.map((y) => y.year).join(' or --year ')}.` });
    }
    table = entry.table;
    boundaries = dataset.boundaries.get(entry.boundaryKey) ?? null;
  } else {
    table = readIncomeTable(readUserFile(values.income![0], 'income'), { year, mapping });
    if (values.boundaries) {
      boundaries = await readBoundaries(readBoundaryParts(values.boundaries), { idProperty: mapping?.boundaryId });
    }
  }
  if (values.aggregate === 'tract') table = aggregateToTracts(table);
  const report = joinReport(table, boundaries);
  for (const line of formatJoinReport(report)) io.err(line + '\n');
  if (table.units.length === 0) {
    throw new InputError({ file: table.file, problem: 'no row could be used (see the rejected rows above)', action: 'Fix the rows listed, or check the column mapping.' });
  }

  const tractSnapshot = toSnapshot(table);
  const tractAnalysis = analyzeSnapshot(tractSnapshot, options);
  const areas = boundaries ? await setupAreas(values, boundaries, io) : null;
  const points = boundaries ? setupPoints(values, boundaries, areas, io) : [];
  // With --areas every figure below is an area's, pooled from its tracts (src/core/areas).
  const pooled = areas ? analyzeAreas(tractSnapshot, areas.weights, areas.names, options, tractAnalysis) : null;
  if (pooled?.missingTracts.length) io.err(`areas: ${pooled.missingTracts.length} tracts inside the areas have no income data; their households are not counted: ${pooled.missingTracts.slice(0, 10).join(', ')}\n`);
  const snapshot = pooled?.snapshot ?? tractSnapshot;
  const analysis = pooled?.analysis ?? tractAnalysis;
  const withLayers = (csv: string) => {
    const out = withLayerColumns(csv, points, areas ? 'areas' : 'tracts', areas?.members);
    return areas ? out.replace(/^GEOID,/, 'area,') : out;
  };
  const params = methodParameters(analysis, {
    incomeFile: table.file,
    incomeFormat: table.format,
    universe: table.universe,
    bracketSet: table.set.id,
    boundaryFile: boundaries?.file ?? null,
    rowsRead: report.rowsRead,
    rowsRejected: report.rejectedRows.length,
    ...layerParameters(areas, points),
  });
  io.err(
    `method: ${analysis.schemeDescription}; AMI $${analysis.ami.dollars.toFixed(0)} (${analysis.ami.kind}: ${analysis.ami.source}); minimum ${analysis.minHouseholds} households\n`,
  );

  if (command === 'analyze' && values.out?.toLowerCase().endsWith('.xlsx')) {
    // A workbook keeps the GEOIDs as text (a spreadsheet drops the leading zero of a CSV's ids).
    const { tableXlsx } = await import('../src/data/xlsxExport');
    const uncertainty = values.uncertainty ? classUncertainty(snapshot, analysis) : undefined;
    const [header, ...rows] = Papa.parse<string[]>(withLayers(analysisCsv(analysis, uncertainty)).trim(), { skipEmptyLines: true }).data;
    writeOutputFile(values.out, await tableXlsx(`${areas ? 'areas' : 'tracts'} ${analysis.year}`, header, rows, params));
    io.err(`wrote ${values.out}\n`);
    return 0;
  }
  let output: string;
  if (command === 'summary') {
    output = JSON.stringify(regionSummary(analysis), null, 2) + '\n';
  } else if (values.out?.toLowerCase().endsWith('.geojson')) {
    if (!boundaries) throw new UsageError('--out FILE.geojson needs --boundaries FILE');
    output = JSON.stringify(analysisGeoJson(analysis, boundaries, params)) + '\n';
  } else {
    if (values.uncertainty) {
      const uncertainty = classUncertainty(snapshot, analysis);
      if (!uncertainty) io.err('uncertainty: the data have no margins of error; the uncertainty columns are empty\n');
      else io.err(`uncertainty: ${uncertainty.filter((x) => x.uncertain).length} of ${uncertainty.length} ${areas ? 'areas' : 'tracts'} have an uncertain class (most likely class < 90% of ${DEFAULT_DRAWS} draws)\n`);
      output = withLayers(analysisCsv(analysis, uncertainty));
    } else output = withLayers(analysisCsv(analysis));
  }
  if (values.out) {
    writeOutputFile(values.out, output);
    if (command === 'analyze' && !values.out.toLowerCase().endsWith('.geojson')) {
      writeOutputFile(values.out + '.method.json', JSON.stringify(params, null, 2) + '\n');
    }
    io.err(`wrote ${values.out}\n`);
  } else io.out(output);
  return 0;
}



function countyList(byCounty: Record<string, number>, max = 8): string {
  const entries = Object.entries(byCounty).sort(([a], [b]) => a.localeCompare(b));
  const shown = entries.slice(0, max).map(([c, n]) => `${c}: ${n}`).join(', ');
  return entries.length > max ? `${shown}, … (${entries.length - max} more counties)` : shown;
}

/**
 * `build`: boundaries + one income table per year → a bundle folder the app opens (bundle.ts).
 * Every year shares the one boundary set; features without income in any year are left out.
 */
async function build(values: Values, io: CliIo): Promise<number> {
  const notFor = { year: 'give the year in --income YEAR=FILE', scheme: 'the app chooses', cuts: 'the app chooses', ami: 'the app chooses', 'min-households': 'the app chooses' } as const;
  for (const [option, why] of Object.entries(notFor)) {
    if (values[option as keyof typeof notFor] !== undefined) throw new UsageError(`--${option} is not an option of build (${why})`);
  }
  if (!values.boundaries) throw new UsageError('build needs --boundaries FILE (every year is drawn on these tracts)');
  if (!values.income?.length) throw new UsageError('build needs --income YEAR=FILE, once per year');
  if (!values.name) throw new UsageError('build needs --name NAME (shown in the app, e.g. --name "Chicago region")');
  if (!values.out) throw new UsageError('build needs --out DIR (the bundle folder)');
  if (values.aggregate !== undefined && values.aggregate !== 'tract') throw new UsageError('--aggregate takes "tract"');
  if (existsSync(values.out) && !statSync(values.out).isDirectory()) throw new UsageError(`--out ${values.out} is a file; build writes a folder`);
  if (values.tiles !== undefined && !['auto', 'always', 'never'].includes(values.tiles)) throw new UsageError(`--tiles "${values.tiles}" is not auto, always or never`);
  const incomeFormat = values['income-format'] ?? 'auto';
  if (!['auto', 'columns', 'csv'].includes(incomeFormat)) throw new UsageError(`--income-format "${incomeFormat}" is not auto, columns or csv`);
  const specs = values.income.map(parseYearFile).sort((a, b) => a.year - b.year);
  for (let i = 1; i < specs.length; i++) {
    if (specs[i].year === specs[i - 1].year) throw new UsageError(`--income names ${specs[i].year} twice (${specs[i - 1].path} and ${specs[i].path}): one file per year`);
  }
  checkLayerArgs(values);
  if (values['area-rule'] !== undefined) throw new UsageError('--area-rule is not an option of build (the bundle keeps the area layer; the rule is chosen when it is analysed)');
  const mapping = readMapping(values.columns);
  const boundaries = await readBoundaries(readBoundaryParts(values.boundaries), { idProperty: mapping?.boundaryId });
  const boundaryFile = basename(values.boundaries);
  const notes: string[] = [];
  const areaSetup = await setupAreas(values, boundaries, io);
  const pointSetups = setupPoints(values, boundaries, areaSetup, io);

  const years: (BundleInput['years'][number] & { path: string })[] = [];
  for (const { year, path } of specs) {
    const file = readUserFile(path, 'income');
    const read = readYear(file, path, year, mapping);
    const table = values.aggregate === 'tract' ? aggregateToTracts(read) : read;
    const report = joinReport(table, boundaries);
    io.err(`year ${year}:\n`);
    for (const line of formatJoinReport(report)) io.err(`  ${line}\n`);
    if (table.units.length === 0) {
      throw new InputError({ file: path, problem: 'no row could be used (see the rejected rows above)', action: 'Fix the rows listed, or check the column mapping.' });
    }
    if (report.matched === 0) {
      throw new InputError({
        file: path,
        problem: `none of its ${table.units.length} units has a boundary in ${boundaryFile}`,
        expected: 'GEOIDs of the same state and tract vintage as the boundaries',
        action: 'Use boundaries of the census the table is on (2010 tracts for ACS 2010–2019 and crosswalked files, 2020 tracts from ACS 2020).',
      });
    }
    if (report.incomeOnly.length) {
      notes.push(`${year}: ${report.incomeOnly.length} units have income but no boundary (in income-${year}.csv, not on the map): ${report.incomeOnly.slice(0, 10).join(', ')}${report.incomeOnly.length > 10 ? ', …' : ''}`);
    }
    // Extras are picked by the line a unit was read from: not meaningful once block groups are summed.
    const extras = table.format === 'udp' && table === read ? extraColumns(file, year, table.units) : null;
    if (extras) notes.push(...extras.notes);
    const source = `${basename(path)}${values.source ? ` (${values.source})` : ''}`;
    years.push({ table, boundaries: 'main', source, extras: extras?.values, path });
  }

  const { kept, dropped, droppedByCounty } = featuresWithIncome(boundaries.features, years.map((y) => y.table));
  io.err(
    `boundaries: kept ${kept.length} of ${boundaries.features.length} features of ${boundaryFile} (income in at least one year)` +
      (dropped.length ? `; dropped ${dropped.length} without income in any year, in ${Object.keys(droppedByCounty).length} counties: ${countyList(droppedByCounty)}` : '') +
      '\n',
  );
  if (dropped.length) notes.push(`${dropped.length} features of ${boundaryFile} without income in any year were left out (${countyList(droppedByCounty, 20)}).`);

  const incomeFiles = years.map((y) => basename(y.path)).join(', ');
  const tiled = values.tiles === 'always' || (values.tiles !== 'never' && kept.length > TILED_BUNDLE_MIN_FEATURES);
  // Every year is on these boundaries: the tracts that can be hatched are known here (vectorTiles.ts).
  const archive = tiled ? boundaryArchive(kept, undefined, hatchableTracts(kept.map((f) => f.properties.GEOID), years.map((y) => y.table)), (bytes) => gzipSync(bytes)) : null;
  const { files, meta } = buildBundle({
    name: values.name,
    description:
      `Household income by ${boundaries.unitKind}, ${specs.map((s) => s.year).join(' and ')}, from ${incomeFiles}; boundaries from ${boundaryFile}.` +
      (values.source ? ` Source: ${values.source}` : ''),
    synthetic: false,
    createdBy: 'tractmix build',
    boundaries: [{ key: 'main', features: kept, source: `${boundaryFile}${values.source ? ` (${values.source})` : ''}`, units: boundaries.unitKind, ...(archive ? { tiles: { tiles: archive.tiles, points: archive.points } } : {}) }],
    years: years.map(({ path: _path, ...y }) => y),
    incomeFormat: incomeFormat as 'auto' | 'columns' | 'csv',
    notes,
    ...(areaSetup ? { areas: { features: areaSetup.layer.features, nameField: areaSetup.layer.nameProperty, source: basename(values.areas!) } } : {}),
    ...(pointSetups.length
      ? {
          points: pointSetups.map((p) => ({
            name: p.name,
            points: p.layer.points,
            source: basename(p.layer.file),
            categoryField: p.layer.fields.category,
            rejected: p.layer.rejected.length,
            rejectedRows: p.layer.rejected,
          })),
        }
      : {}),
  });
  makeOutputFolder(values.out);
  for (const [name, text] of Object.entries(files)) writeOutputFile(join(values.out, name), text);
  const tileFile = meta.boundaries[0].tiles?.file;
  if (archive && tileFile) writeOutputFile(join(values.out, tileFile), archive.bytes);
  // A tiled bundle replaces an older build's TopoJSON, and the other way round.
  for (const stale of [tiled ? 'boundaries-main.topojson' : 'boundaries-main.pmtiles', ...(tiled ? [] : ['tracts-main.csv'])]) rmSync(join(values.out, stale), { force: true });
  // The same for the income: columns replace an older build's CSVs, and the other way round.
  for (const y of specs) if (meta.incomeColumns) rmSync(join(values.out, `income-${y.year}.csv`), { force: true });
  if (!meta.incomeColumns) rmSync(join(values.out, INCOME_COLUMNS_FILE), { force: true });
  const order = [BUNDLE_META_FILE, ...Object.keys(files).filter((f) => f !== BUNDLE_META_FILE), ...(tileFile ? [`${tileFile} (${(archive!.bytes.length / 1e6).toFixed(1)} MB)`] : [])];
  io.err(`wrote ${values.out}: ${order.join(', ')} (${meta.years.length} years, ${kept.length} features)\n`);
  return 0;
}

/** Run one command; every failure becomes a message on `io.err` and exit code 2. */
export async function tractmix(argv: string[], io: CliIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    io.err(errorMessage(error));
    return 2;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof InputError) return `tractmix: ${error.message}\n`;
  if (error instanceof UsageError) return `tractmix: ${error.message}\nRun "npm run -s tractmix -- --help" for the options.\n`;
  if ((error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS_')) return `tractmix: ${(error as Error).message}\nRun "npm run -s tractmix -- --help" for the options.\n`;
  if (error instanceof RangeError) return `tractmix: ${(error as Error).message}\n`;
  return `tractmix: internal error: ${(error as Error)?.message ?? String(error)}\nPlease report this with the command you ran.\n`;
}

// Run when executed (tsx scripts/tractmix.ts …), not when imported by the tests.
// exitCode, not exit(): exit() would cut off stdout still draining into a pipe.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  tractmix(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}
