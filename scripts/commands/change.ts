/**
 * `tractmix change`: two years compared on one geography, with the flags and their criteria.
 * Thin shell: reading files (src/data), the method (src/core/change, definitions).
 */
import type { AnalysisOptions } from '../../src/core/analyze';
import { changeAnalysis, DEFAULT_CHANGE_THRESHOLDS, type ChangeThresholds, type FlagId } from '../../src/core/change';
import { gentrificationDefinition, type DefinitionId } from '../../src/core/definitions';
import { readCrosswalk } from '../../src/data/crosswalkFile';
import { InputError } from '../../src/data/errors';
import type { Dataset } from '../../src/data/dataset';
import { changeCsv, definitionBlock, type ExtraColumnsBlock } from '../../src/data/changeExport';
import { readBoundaries } from '../../src/data/boundaries';
import { extraColumns } from '../../src/data/extras';
import { joinReport, formatJoinReport } from '../../src/data/join';
import { definitionInputs, mergeValues, readExternal, type TractValues } from '../../src/data/tractContext';
import { prepareYearPair } from '../../src/data/yearPair';
import type { IncomeTable } from '../../src/data/income';
import { boundedNumber, parseAmi, parseMinHouseholds, parseScheme, parseYearFile, readMapping, readYear, UsageError } from '../lib/args';
import { readBoundaryParts, readBundleFolder, readUserFile, writeOutputFile } from '../lib/files';
import type { CliIo } from '../lib/io';
import { areaChange } from '../../src/core/areas';
import { checkLayerArgs, setupAreas, withLayerColumns, type LayerArgs } from './layers';

export interface ChangeArgs extends LayerArgs {
  income?: string[];
  boundaries?: string;
  bundle?: string;
  from?: string;
  to?: string;
  crosswalk?: string;
  external?: string;
  definition?: string;
  scheme?: string;
  cuts?: string;
  ami?: string;
  'min-households'?: string;
  columns?: string;
  out?: string;
  lenient?: boolean;
  'exclude-boundary-changed'?: boolean;
  'min-growth'?: string;
  'max-low-income-drop'?: string;
  'region-growth'?: string;
  'require-low-income-loss'?: boolean;
}

/** Tables read from YEAR=FILE arguments, with each file's extra columns. */
async function datasetFromArgs(values: ChangeArgs, io: CliIo): Promise<{ dataset: Dataset; extras: ReadonlyMap<number, TractValues> }> {
  const extras = new Map<number, TractValues>();
  if (values.bundle) {
    const dataset = await readBundleFolder(values.bundle);
    return { dataset, extras: dataset.extras };
  }
  if (!values.income || values.income.length < 2) throw new UsageError('change needs --bundle DIR, or --income YEAR=FILE at least twice');
  const mapping = readMapping(values.columns);
  const tables: IncomeTable[] = [];
  for (const spec of values.income.map(parseYearFile).sort((a, b) => a.year - b.year)) {
    const file = readUserFile(spec.path, 'income');
    const table = readYear(file, spec.path, spec.year, mapping);
    tables.push(table);
    extras.set(table.year, extraColumns(file, table.year, table.units).values);
  }
  const boundaries = values.boundaries ? await readBoundaries(readBoundaryParts(values.boundaries), { idProperty: mapping?.boundaryId }) : null;
  for (const t of tables) for (const line of formatJoinReport(joinReport(t, boundaries))) io.err(line + '\n');
  return {
    dataset: {
      name: tables.map((t) => t.file).join(' + '),
      description: '',
      synthetic: false,
      sources: tables.map((t) => t.file),
      boundaries: new Map(boundaries ? [['files', boundaries]] : []),
      // Files given side by side are taken to be on one geography (e.g. UDP's 2000 data moved to 2010 tracts).
      years: tables.map((t) => ({ year: t.year, incomeYear: t.incomeYear, table: t, boundaryKey: 'files', source: t.file })),
      reports: [],
      crosswalks: new Map(),
      extras,
    },
    extras,
  };
}

export async function changeCommand(values: ChangeArgs, io: CliIo): Promise<number> {
  if (values.bundle && values.income?.length) throw new UsageError('change takes --bundle DIR or --income YEAR=FILE …, not both');
  const definition = (values.definition ?? 'income') as DefinitionId | 'income' | 'udp';
  if (!['income', 'udp', 'governing', 'ncrc'].includes(definition)) throw new UsageError(`--definition "${values.definition}" is not income, udp, governing or ncrc`);
  const options: AnalysisOptions = {
    scheme: parseScheme(values.scheme, values.cuts),
    ami: parseAmi(values.ami),
    minHouseholds: parseMinHouseholds(values['min-households']),
  };
  const regionGrowth = values['region-growth'] ?? 'ami';
  if (regionGrowth !== 'ami' && regionGrowth !== 'tract-median') throw new UsageError('--region-growth takes ami or tract-median');
  const thresholds: Partial<ChangeThresholds> = {
    stableClass: values.lenient ? 'moderate-or-better' : 'high',
    excludeBoundaryChanged: !!values['exclude-boundary-changed'],
    minRealGrowth: boundedNumber('min-growth', values['min-growth'], -1, 10) ?? DEFAULT_CHANGE_THRESHOLDS.minRealGrowth,
    maxLowIncomeShareDrop: boundedNumber('max-low-income-drop', values['max-low-income-drop'], 0, 1) ?? DEFAULT_CHANGE_THRESHOLDS.maxLowIncomeShareDrop,
    regionGrowth,
    requireLowIncomeLoss: !!values['require-low-income-loss'],
  };

  checkLayerArgs(values);
  if (values.points?.length) throw new UsageError('--points is an option of analyze (counts per tract or area), not of change');
  if (values.areas && definition !== 'income') throw new UsageError(`--areas works with --definition income only (the ${definition} criteria need per-tract inputs that are not pooled into areas)`);
  const { dataset, extras } = await datasetFromArgs(values, io);
  const years = dataset.years.map((y) => y.year);
  const from = boundedNumber('from', values.from, 1970, 2100) ?? years[0];
  const to = boundedNumber('to', values.to, 1970, 2100) ?? years[years.length - 1];
  for (const y of [from, to]) {
    if (!years.includes(y)) throw new UsageError(`--from/--to ${y}: the data have ${years.join(', ')}`);
  }
  if (!(from < to)) throw new UsageError(`--from ${from} must come before --to ${to}`);
  let crosswalk = null;
  if (values.crosswalk) {
    const table = readCrosswalk(values.crosswalk, readUserFile(values.crosswalk, 'crosswalk').bytes);
    for (const r of table.rejected) io.err(`  crosswalk: rejected line ${r.row}, column "${r.column}": ${r.reason}\n`);
    if (table.vintages && table.vintages.from > table.vintages.to) {
      throw new InputError({
        file: values.crosswalk,
        problem: `this crosswalk moves ${table.vintages.from} tracts to ${table.vintages.to} tracts (columns ${table.columns.source} → ${table.columns.target})`,
        expected: `a crosswalk from the earlier year's tracts to the later year's (here ${from} → ${to})`,
        action: `Use the file in the other direction (NHGIS publishes both, e.g. nhgis_tr${table.vintages.to}_tr${table.vintages.from}).`,
      });
    }
    crosswalk = { rows: table.rows, source: values.crosswalk };
  }
  const pair = prepareYearPair(dataset, from, to, options, crosswalk);
  // With --areas both years (already on the later year's tracts) are pooled into the areas.
  const toBoundaries = dataset.boundaries.get(dataset.years.find((y) => y.year === to)!.boundaryKey);
  if (values.areas && !toBoundaries) throw new UsageError('--areas needs the tract boundaries: --boundaries FILE (or --bundle DIR)');
  const areas = toBoundaries ? await setupAreas(values, toBoundaries, io) : null;
  const change = areas
    ? areaChange(pair.from, pair.to, areas.weights, areas.names, options, thresholds)
    : changeAnalysis(pair.from, pair.to, { ...thresholds, largestSourceWeight: pair.largestSourceWeight });

  const external = values.external ? readExternal(values.external, readUserFile(values.external, 'external').bytes) : null;
  for (const r of external?.rejected ?? []) io.err(`  external: rejected line ${r.line}: ${r.reason}\n`);
  const blocks: ExtraColumnsBlock[] = [];
  if (definition === 'governing' || definition === 'ncrc') {
    const v0 = mergeValues(extras.get(from), external?.values);
    const v1 = mergeValues(extras.get(to), external?.values);
    const byGeoid = new Map(change.tracts.map((t) => [t.geoid, t]));
    const median = (geoid: string, which: 0 | 1) => {
      const t = byGeoid.get(geoid);
      if (!t) return null;
      const m = which === 0 ? change.from.medianIncome[t.index0] : change.to.medianIncome[t.index1];
      return Number.isFinite(m) ? m : null;
    };
    const inputs = definitionInputs(change.tracts.map((t) => t.geoid), [from, to], [v0, v1], median);
    const results = gentrificationDefinition(definition, inputs, change.priceFactor);
    const missing = results.filter((r) => r.missing.length).length;
    if (missing) io.err(`${definition}: ${missing} tracts lack some inputs (see the ${definition === 'governing' ? 'gov' : 'ncrc'}_missing column); their criteria fail\n`);
    io.err(`${definition}: ${results.filter((r) => r.eligible).length} eligible, ${results.filter((r) => r.gentrified).length} gentrified\n`);
    blocks.push(definitionBlock(definition === 'governing' ? 'gov' : 'ncrc', results));
  }
  if (definition === 'udp') {
    const { udpBlock } = await import('./udpChange');
    blocks.push(await udpBlock(values, io));
  }

  io.err(`geography: ${pair.geography}\n`);
  if (pair.households) {
    const { year, before, after } = pair.households;
    io.err(`households ${year}: ${+before.toFixed(1)} before the move, ${+after.toFixed(1)} after\n`);
  }
  for (const w of [...pair.warnings, ...change.warnings]) io.err(`WARNING: ${w}\n`);
  io.err(
    `method: ${change.from.schemeDescription}; AMI ${from} $${change.from.ami.dollars.toFixed(0)}, ${to} $${change.to.ami.dollars.toFixed(0)} (${change.to.ami.kind}); ` +
      `CPI-U ${change.from.incomeYear}→${change.to.incomeYear} ×${change.priceFactor.toFixed(4)}; real AMI growth ${(change.realAmiGrowth * 100).toFixed(1)}%; region growth to beat ${(change.regionGrowth * 100).toFixed(1)}% (${thresholds.regionGrowth})\n`,
  );
  const counts = (Object.keys(change.flagCounts) as FlagId[]).map((f) => `${f} ${change.flagCounts[f]}`).join(', ');
  const notCalled = change.tracts.filter((t) => t.notCalled.length);
  io.err(`flags: ${counts}; boundary changed ${change.tracts.filter((t) => t.boundaryChanged).length}; ${change.tracts.length} ${areas ? 'areas' : 'tracts'} in both years\n`);
  if (notCalled.length) {
    io.err(`${notCalled.length} tracts had a change not called because it was within the margin of error: ${notCalled.slice(0, 15).map((t) => t.geoid).join(', ')}${notCalled.length > 15 ? ', …' : ''} (column not_called)\n`);
  }
  const csv = areas ? withLayerColumns(changeCsv(change, blocks), [], 'areas', areas.members).replace(/^GEOID,/, 'area,') : changeCsv(change, blocks);
  if (values.out) {
    writeOutputFile(values.out, csv);
    io.err(`wrote ${values.out}\n`);
  } else io.out(csv);
  return 0;
}
