/** Command-line arguments of the tractmix CLI: parsing and their usage errors (node only). */
import type { AmiSpec } from '../../src/core/ami';
import type { BandScheme } from '../../src/core/bands';
import { InputError } from '../../src/data/errors';
import { OPTION_LIMITS } from '../../src/data/limits';
import { readIncomeTable, validateColumnMapping, yearFromFileName, type ColumnMapping, type IncomeTable } from '../../src/data/income';
import { readUserFile, type NamedBytes } from './files';

/** A mistake in the command line itself (printed with a pointer to --help). */
export class UsageError extends Error {}

export function parseAmi(value: string | undefined): AmiSpec {
  if (value === undefined || value === 'auto') return { kind: 'auto' };
  if (value === 'tract-median') return { kind: 'tract-median' };
  const plain = value.replace(/[$,\s]/g, '');
  const dollars = /^\d+(\.\d+)?$/.test(plain) ? Number(plain) : NaN;
  const [lo, hi] = OPTION_LIMITS.amiDollars;
  if (!(dollars >= lo && dollars <= hi)) {
    throw new UsageError(`--ami "${value}" is not auto, tract-median or a dollar amount from $${lo.toLocaleString('en-US')} to $${hi.toLocaleString('en-US')} (e.g. --ami 70400)`);
  }
  return { kind: 'typed', dollars, source: 'typed on the command line' };
}

/** --min-households: a whole number of households from 0 to 100,000 (default: the core's). */
export function parseMinHouseholds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  const [lo, hi] = OPTION_LIMITS.minHouseholds;
  if (!(n >= lo && n <= hi)) throw new UsageError(`--min-households "${value}" is not a whole number of households from ${lo} to ${hi.toLocaleString('en-US')}`);
  return n;
}

/** A numeric option in [min, max]. */
export function boundedNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${name} "${value}" is not a number from ${min} to ${max}`);
  return n;
}

export function parseScheme(scheme: string | undefined, cuts: string | undefined): BandScheme {
  if (cuts !== undefined && scheme !== 'custom') throw new UsageError('--cuts goes with --scheme custom');
  if (scheme === undefined || scheme === 'ami6') return { kind: 'ami6' };
  if (scheme === 'quintile5') return { kind: 'quintile5' };
  if (scheme === 'custom') {
    const m = /^(ami|dollars)(\d{4})?:(.+)$/.exec(cuts ?? '');
    if (!m) throw new UsageError('--scheme custom needs --cuts ami:0.5,0.8,1.2 (fractions of AMI) or --cuts dollars1999:20000,50000');
    const parts = m[3].split(',');
    if (parts.length > OPTION_LIMITS.cuts) throw new UsageError(`--cuts has ${parts.length} cut points; at most ${OPTION_LIMITS.cuts}`);
    const values = parts.map((x) => {
      const t = x.replace(/[$\s]/g, '');
      return /^(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
    });
    const [lo, hi] = m[1] === 'ami' ? OPTION_LIMITS.amiFraction : OPTION_LIMITS.cutDollars;
    if (values.some((v) => !(v > lo && v <= hi))) {
      throw new UsageError(`--cuts "${cuts}": every cut point must be a number above ${lo} and at most ${hi.toLocaleString('en-US')} (${m[1] === 'ami' ? 'fractions of AMI, e.g. ami:0.5,0.8,1.2' : 'dollars, e.g. dollars:20000,50000'})`);
    }
    for (let i = 1; i < values.length; i++) {
      if (!(values[i] > values[i - 1])) throw new UsageError(`--cuts "${cuts}": cut points must be in increasing order`);
    }
    const dollarYear = m[2] ? Number(m[2]) : undefined;
    if (dollarYear !== undefined && (dollarYear < 1970 || dollarYear > 2100)) throw new UsageError(`--cuts "${cuts}": ${dollarYear} is not a dollar year`);
    return { kind: 'custom', unit: m[1] as 'ami' | 'dollars', cuts: values, dollarYear };
  }
  throw new UsageError(`--scheme "${scheme}" is not ami6, quintile5 or custom`);
}

export function readMapping(path: string | undefined): ColumnMapping | undefined {
  if (!path) return undefined;
  const file = readUserFile(path, 'column mapping');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(file.bytes));
  } catch (e) {
    throw new InputError({ file: path, problem: `the mapping is not valid JSON (${(e as Error).message})`, action: 'See README, "Column mapping", for an example.' });
  }
  return validateColumnMapping(path, parsed);
}

/** `--income YEAR=FILE` of build. */
export function parseYearFile(arg: string): { year: number; path: string } {
  const m = /^(\d{4})=(.+)$/.exec(arg);
  if (!m) {
    throw new UsageError(`--income "${arg}" is not YEAR=FILE: build needs the data year of each file, e.g. --income 2018=Chicagocensus_summ_2018.csv --income 2000=Chicagocensus_00_10_2018.csv`);
  }
  const year = Number(m[1]);
  if (year < 1970 || year > 2100) throw new UsageError(`--income "${arg}": ${m[1]} is not a census or ACS year`);
  return { year, path: m[2] };
}

/** One year of a bundle: the table for YEAR from FILE, which must hold that year. */
export function readYear(file: NamedBytes, path: string, year: number, mapping: ColumnMapping | undefined): IncomeTable {
  let table: IncomeTable;
  try {
    table = readIncomeTable(file, { year, mapping });
  } catch (e) {
    // The reader's advice names --year; build takes the year in --income YEAR=FILE.
    if (e instanceof InputError && e.problem.action?.includes('--year')) {
      throw new InputError({ ...e.problem, file: path, action: e.problem.action.replace(/--year (\d{4})/g, `--income $1=${path}`) });
    }
    throw e;
  }
  const named = table.format === 'udp' || table.format === 'tractmix-export' ? null : yearFromFileName(file.name);
  if (table.year !== year || (named !== null && named !== year && mapping?.year === undefined)) {
    throw new InputError({
      file: path,
      problem: `the file holds ${table.year !== year ? table.year : named} figures, not ${year}`,
      expected: 'the data year of the file (the ACS period end year, e.g. 2018 for 2014–2018, or 2000)',
      action: `Write --income ${table.year !== year ? table.year : named}=${path}, or name the right file.`,
    });
  }
  return table;
}
