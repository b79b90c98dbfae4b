/**
 * tractmix command line: thin shell over src/data (reading, joining) and src/core (the method).
 * Usage: npm run -s tractmix -- <analyze|summary> [options]   (see README)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeSnapshot, type AnalysisOptions } from '../src/core/analyze';
import type { AmiSpec } from '../src/core/ami';
import type { BandScheme } from '../src/core/bands';
import { regionSummary } from '../src/core/summary';
import { InputError } from '../src/data/errors';
import { aggregateToTracts, readIncomeTable, toSnapshot, type ColumnMapping, type IncomeTable } from '../src/data/income';
import { formatJoinReport, joinReport } from '../src/data/join';
import { analysisCsv, methodParameters } from '../src/data/export';
import { readBoundaries, type BoundarySet } from '../src/data/boundaries';
import { analysisGeoJson } from '../src/data/geojsonExport';
import { readBoundaryParts, readUserFile } from './lib/files';

const USAGE = `usage: npm run -s tractmix -- <command> [options]

commands:
  analyze   one row per unit: GEOID,year,households,ami,<group shares>,entropy,class,median_income
  summary   the region summary (Galster et al. 2008 measures) as JSON

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
  --out FILE.csv|FILE.geojson      write to a file instead of stdout (plus FILE.method.json for CSV)`;

class UsageError extends Error {}

function parseAmi(value: string | undefined): AmiSpec {
  if (value === undefined || value === 'auto') return { kind: 'auto' };
  if (value === 'tract-median') return { kind: 'tract-median' };
  const dollars = Number(value.replace(/[$,\s]/g, ''));
  if (!(dollars > 0)) throw new UsageError(`--ami "${value}" is not auto, tract-median or a positive dollar amount (e.g. --ami 70400)`);
  return { kind: 'typed', dollars, source: 'typed on the command line' };
}

function parseScheme(scheme: string | undefined, cuts: string | undefined): BandScheme {
  if (scheme === undefined || scheme === 'ami6') return { kind: 'ami6' };
  if (scheme === 'quintile5') return { kind: 'quintile5' };
  if (scheme === 'custom') {
    const m = /^(ami|dollars)(\d{4})?:(.+)$/.exec(cuts ?? '');
    if (!m) throw new UsageError('--scheme custom needs --cuts ami:0.5,0.8,1.2 (fractions of AMI) or --cuts dollars1999:20000,50000');
    const values = m[3].split(',').map((x) => Number(x.replace(/[$\s]/g, '')));
    if (values.some((v) => !Number.isFinite(v))) throw new UsageError(`--cuts "${cuts}" holds a value that is not a number`);
    return { kind: 'custom', unit: m[1] as 'ami' | 'dollars', cuts: values, dollarYear: m[2] ? Number(m[2]) : undefined };
  }
  throw new UsageError(`--scheme "${scheme}" is not ami6, quintile5 or custom`);
}

function readMapping(path: string | undefined): ColumnMapping | undefined {
  if (!path) return undefined;
  const file = readUserFile(path, 'column mapping');
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes)) as ColumnMapping;
  } catch (e) {
    throw new InputError({ file: path, problem: `the mapping is not valid JSON (${(e as Error).message})`, action: 'See README, "Column mapping", for an example.' });
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      income: { type: 'string' },
      boundaries: { type: 'string' },
      bundle: { type: 'string' },
      year: { type: 'string' },
      scheme: { type: 'string' },
      cuts: { type: 'string' },
      ami: { type: 'string' },
      'min-households': { type: 'string' },
      columns: { type: 'string' },
      aggregate: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command || values.help ? 0 : 2;
  }
  if (command !== 'analyze' && command !== 'summary') throw new UsageError(`unknown command "${command}"`);
  if (!values.income) throw new UsageError(`${command} needs --income FILE`);
  const year = values.year !== undefined ? Number(values.year) : undefined;
  if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 2100)) {
    throw new UsageError(`--year "${values.year}" is not a four-digit year`);
  }
  const minHouseholds = values['min-households'] !== undefined ? Number(values['min-households']) : undefined;
  if (minHouseholds !== undefined && !(minHouseholds >= 0)) {
    throw new UsageError(`--min-households "${values['min-households']}" is not a number ≥ 0`);
  }
  if (values.aggregate !== undefined && values.aggregate !== 'tract') throw new UsageError('--aggregate takes "tract"');
  const options: AnalysisOptions = {
    scheme: parseScheme(values.scheme, values.cuts),
    ami: parseAmi(values.ami),
    minHouseholds,
  };
  const mapping = readMapping(values.columns);

  let table: IncomeTable = readIncomeTable(readUserFile(values.income, 'income'), { year, mapping });
  if (values.aggregate === 'tract') table = aggregateToTracts(table);
  let boundaries: BoundarySet | null = null;
  if (values.boundaries) {
    boundaries = await readBoundaries(readBoundaryParts(values.boundaries), { idProperty: mapping?.boundaryId });
  }
  const report = joinReport(table, boundaries);
  for (const line of formatJoinReport(report)) process.stderr.write(line + '\n');
  if (table.units.length === 0) {
    throw new InputError({ file: table.file, problem: 'no row could be used (see the rejected rows above)', action: 'Fix the rows listed, or check the column mapping.' });
  }

  const analysis = analyzeSnapshot(toSnapshot(table), options);
  const params = methodParameters(analysis, {
    incomeFile: table.file,
    incomeFormat: table.format,
    universe: table.universe,
    bracketSet: table.set.id,
    boundaryFile: boundaries?.file ?? null,
    rowsRead: report.rowsRead,
    rowsRejected: report.rejectedRows.length,
  });
  process.stderr.write(
    `method: ${analysis.schemeDescription}; AMI $${analysis.ami.dollars.toFixed(0)} (${analysis.ami.kind}: ${analysis.ami.source}); minimum ${analysis.minHouseholds} households\n`,
  );

  let output: string;
  if (command === 'summary') {
    output = JSON.stringify(regionSummary(analysis), null, 2) + '\n';
  } else if (values.out?.toLowerCase().endsWith('.geojson')) {
    if (!boundaries) throw new UsageError('--out FILE.geojson needs --boundaries FILE');
    output = JSON.stringify(analysisGeoJson(analysis, boundaries, params)) + '\n';
  } else {
    output = analysisCsv(analysis);
  }
  if (values.out) {
    writeFileSync(values.out, output);
    if (command === 'analyze' && !values.out.toLowerCase().endsWith('.geojson')) {
      writeFileSync(values.out + '.method.json', JSON.stringify(params, null, 2) + '\n');
    }
    process.stderr.write(`wrote ${values.out}\n`);
  } else process.stdout.write(output);
  return 0;
}

// exitCode, not exit(): exit() would cut off stdout still draining into a pipe.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError) process.stderr.write(`tractmix: ${error.message}\n`);
    else if (error instanceof UsageError) process.stderr.write(`tractmix: ${error.message}\nRun "npm run -s tractmix -- --help" for the options.\n`);
    else if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`tractmix: ${(error as Error).message}\n`);
    } else process.stderr.write(`tractmix: internal error: ${(error as Error).message ?? String(error)}\nPlease report this with the command you ran.\n`);
    process.exitCode = 2;
  },
);
