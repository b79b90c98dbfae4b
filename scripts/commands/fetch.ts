/**
 * `tractmix fetch`: places and years → a bundle folder, from the Census Bureau's public services
 * (src/data/census). Node shell: a file cache keyed by URL so an interrupted fetch resumes, a
 * progress line on stderr, and the bundle written to a temporary folder that is renamed into
 * place only when complete.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { buildBundle, BUNDLE_META_FILE } from '../../src/data/bundle';
import { readCrosswalk } from '../../src/data/crosswalkFile';
import { InputError } from '../../src/data/errors';
import { makeDownloader, type DownloadCache, type DownloadEvent } from '../../src/data/census/download';
import { fetchDataset, type CountyRef } from '../../src/data/census/fetchDataset';
import { DEFAULT_API_BASE, DEFAULT_GEO_BASE, DEFAULT_TIGER_BASE } from '../../src/data/census/releases';
import { resolvePlacesForFetch } from '../../src/data/census/placeCounties';
import { readUserFile } from '../lib/files';
import { UsageError } from '../lib/args';

export interface FetchIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: progress rewrites one line. */
  readonly tty?: boolean;
}

export interface FetchValues {
  place?: string[];
  years?: string;
  unit?: string;
  out?: string;
  'api-key'?: string;
  'api-base'?: string;
  'tiger-base'?: string;
  'geo-base'?: string;
  cache?: string;
  crosswalk?: string;
  retries?: string;
  'retry-delay'?: string;
  timeout?: string;
  name?: string;
}

/** Files on disk under the cache folder, one per URL (sha-256 of the URL without its key). */
export function fileCache(dir: string): DownloadCache {
  const path = (key: string) => join(dir, createHash('sha256').update(key).digest('hex').slice(0, 32));
  return {
    get: async (key) => (existsSync(path(key)) ? new Uint8Array(readFileSync(path(key))) : null),
    put: async (key, bytes) => {
      mkdirSync(dir, { recursive: true });
      const tmp = `${path(key)}.${process.pid}.part`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path(key));
    },
  };
}

function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tractmix', 'downloads');
}

function positiveNumber(raw: string | undefined, option: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!(Number.isFinite(v) && v >= 0)) throw new UsageError(`--${option} "${raw}" is not a number ≥ 0`);
  return v;
}

function kb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes === 0 ? "0 KB" : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

export async function fetchCommand(values: FetchValues, io: FetchIo): Promise<number> {
  if (!values.place?.length) throw new UsageError('fetch needs --place, e.g. --place "Cook County, IL" (a county, several counties, a state, or a metro area)');
  if (!values.years) throw new UsageError('fetch needs --years, e.g. --years 2000,2012,2023');
  const years = values.years.split(',').map((y) => y.trim()).filter(Boolean).map((y) => {
    const n = Number(y);
    if (!Number.isInteger(n)) throw new UsageError(`--years: "${y}" is not a year`);
    return n;
  });
  const unit = values.unit === undefined || values.unit === 'tract' ? 'tract' : values.unit === 'blockgroup' || values.unit === 'block group' ? 'block group' : null;
  if (!unit) throw new UsageError(`--unit "${values.unit}": use tract or blockgroup`);
  const out = values.out ?? 'tractmix-bundle';
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file; fetch writes a bundle folder`);
  if (existsSync(out) && !existsSync(join(out, BUNDLE_META_FILE)) && readdirCount(out) > 0) {
    throw new UsageError(`--out ${out} is a folder that is not a bundle; pick a new or empty folder (fetch replaces only bundles)`);
  }
  // The bundle's parent folder is made if needed (bundles/NAME on a fresh checkout).
  const parent = dirname(resolve(out));
  if (existsSync(parent) && !statSync(parent).isDirectory()) throw new UsageError(`--out ${out}: ${parent} is a file, not a folder`);

  const latest = Math.max(...years);
  const { counties, labels, notes: placeNotes, countiesInYear } = resolvePlacesForFetch(values.place, latest);
  for (const n of placeNotes) io.err(`place: ${n}\n`);
  const crosswalks = new Map<number, { rows: { source: string; target: string; weight: number }[]; to: number; file: string }>();
  if (values.crosswalk) {
    const table = readCrosswalk(basename(values.crosswalk), readUserFile(values.crosswalk, 'crosswalk').bytes);
    if (!table.vintages) {
      throw new InputError({ file: values.crosswalk, problem: 'the crosswalk does not say which vintages it links', expected: 'id columns named with their vintages (NHGIS tr1990ge,tr2010ge; LTDB trtid90,trtid10)', action: 'Use the file as NHGIS or LTDB publish it.' });
    }
    crosswalks.set(table.vintages.from, { rows: table.rows, to: table.vintages.to, file: basename(values.crosswalk) });
    if (table.rejected.length) io.err(`crosswalk ${values.crosswalk}: ${table.rejected.length} rows unusable (first: line ${table.rejected[0].row}, ${table.rejected[0].reason})\n`);
  }

  const apiKey = values['api-key'] ?? process.env.CENSUS_API_KEY ?? undefined;
  const cacheDir = values.cache ?? defaultCacheDir();
  let downloaded = 0;
  let fromCache = 0;
  let lastLine = '';
  const show = (line: string) => {
    if (io.tty) io.err(`\r${line.padEnd(lastLine.length)}`);
    else io.err(line + '\n');
    lastLine = line;
  };
  const onEvent = (e: DownloadEvent) => {
    if (e.kind === 'cached') fromCache += e.bytes;
    if (e.kind === 'done') downloaded += e.bytes;
    if (e.kind === 'retry') show(`  retrying ${e.label} in ${(e.delayMs / 1000).toFixed(1)} s (try ${e.attempt + 1}): ${e.why}`);
  };
  const download = makeDownloader({
    fetch: globalThis.fetch,
    cache: fileCache(cacheDir),
    attempts: positiveNumber(values.retries, 'retries', 4) + 1,
    baseDelayMs: positiveNumber(values['retry-delay'], 'retry-delay', 1) * 1000,
    timeoutMs: positiveNumber(values.timeout, 'timeout', 120) * 1000,
    onEvent,
  });
  io.err(`fetch: ${labels.join(' + ')} — ${counties.length} ${counties.length === 1 ? 'county' : 'counties'}; years ${years.join(', ')}; ${unit}s${apiKey ? '' : '; no API key (keyless limit: 500 queries a day)'}\n`);
  const started = Date.now();
  const fetched = await fetchDataset(
    {
      placeLabels: labels,
      counties,
      countiesInYear,
      years,
      unit,
      apiBase: values['api-base'] ?? DEFAULT_API_BASE,
      tigerBase: values['tiger-base'] ?? DEFAULT_TIGER_BASE,
      geoBase: values['geo-base'] ?? DEFAULT_GEO_BASE,
      apiKey,
      crosswalks,
    },
    download,
    (p) => show(`[${p.done}/${p.total}] ${p.step} — ${kb(downloaded)} downloaded${fromCache ? `, ${kb(fromCache)} from the cache` : ''}`),
  );
  if (io.tty) io.err('\n');
  const input = values.name ? { ...fetched.input, name: values.name } : fetched.input;
  const { files, meta } = buildBundle(input);

  // Write beside the target, then swap: a reader never sees half a bundle.
  mkdirSync(parent, { recursive: true });
  const tmp = `${resolve(out)}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  const old = `${resolve(out)}.old-${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
  for (const w of fetched.warnings) io.err(`warning: ${w}\n`);
  io.err(
    `wrote ${out}: ${meta.years.map((y) => y.year).join(', ')} on ${meta.boundaries[0].features} ${unit}s; ${fetched.requests} files ` +
      `(${kb(downloaded)} downloaded, ${kb(fromCache)} from the cache ${cacheDir}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
      `open it: npm run app, then Open data… → the folder, or serve it and open ?data=URL\n`,
  );
  return 0;
}

function readdirCount(dir: string): number {
  return readdirSync(dir).length;
}

export type { CountyRef };
