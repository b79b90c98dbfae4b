/**
 * A dataset from the files a user dropped or picked: one boundary set, every year of every
 * income table. Kept apart from dataset.ts so that the file readers (shapefile, zip, proj4) load
 * only when someone opens files.
 */
import { InputError } from './errors';
import { readBoundaries, type BoundaryFile, type BoundarySet } from './boundaries';
import { readIncomeTable, udpYearsInFile, type IncomeFile, type IncomeTable } from './income';
import { joinReport } from './join';
import type { Dataset } from './dataset';
import { extraColumns } from './extras';
import type { TractValues } from './tractContext';
import { unzipSync } from 'fflate';
import { BUNDLE_META_FILE, loadBundle, sizeText, type LoadProgress } from './bundle';
import { datasetFromBundle } from './dataset';
import type { BandScheme } from '../core/bands';

const BOUNDARY_EXTENSIONS = /\.(shp|dbf|prj|cpg|shx|zip|geojson|topojson|qmd|sbn|sbx|xml)$/i;

/**
 * The files a tractmix export writes beside its table (exportFiles.ts): the method record and
 * text, each year's column mapping, and the workbook copy of the CSV. Their figures are in the CSV.
 */
const EXPORT_SIDECAR = /(^|[./])(method\.json|METHOD\.txt)$|\.columns(-\d{4})?\.json$/i;

/** Sort dropped files into boundary parts and income tables (a .json is looked into). */
export function classifyFiles(files: readonly IncomeFile[]): { boundaryParts: BoundaryFile[]; incomeFiles: IncomeFile[]; ignored: string[] } {
  const boundaryParts: BoundaryFile[] = [];
  const incomeFiles: IncomeFile[] = [];
  const ignored: string[] = [];
  const base = (name: string) => name.replace(/\.[^.]+$/, '');
  const csvs = new Set(files.filter((f) => /\.csv$/i.test(f.name)).map((f) => base(f.name)));
  for (const f of files) {
    if (/\.(xml|sbn|sbx|qmd)$/i.test(f.name) || EXPORT_SIDECAR.test(f.name) || (/\.xlsx$/i.test(f.name) && csvs.has(base(f.name)))) ignored.push(f.name);
    else if (BOUNDARY_EXTENSIONS.test(f.name)) boundaryParts.push(f);
    else if (/\.json$/i.test(f.name)) {
      const head = new TextDecoder().decode(f.bytes.subarray(0, 200)).trimStart();
      (head.startsWith('[') ? incomeFiles : boundaryParts).push(f);
    } else incomeFiles.push(f);
  }
  return { boundaryParts, incomeFiles, ignored };
}

/** A dataset from the user's files: one boundary set, every year of every income table. */
/** UDP's `<City>_typology_output.csv`: read only for its external inputs (UDP_EXTERNAL_COLUMNS). */
function isUdpTypologyOutput(f: IncomeFile): boolean {
  const head = new TextDecoder().decode(f.bytes.subarray(0, 20_000));
  const header = head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : head.length);
  return /\.csv$/i.test(f.name) && header.includes('per_ch_zillow_12_18') && header.includes('typ_cat');
}

/**
 * A bundle among the files: its `bundle.json` with the files it lists, picked together, or a zip
 * holding them (what "Save bundle" in Add a place writes), at its top or in one folder.
 */
async function bundleFromFiles(files: readonly IncomeFile[], onProgress?: (p: LoadProgress) => void): Promise<Dataset | null> {
  let texts: Map<string, Uint8Array> | null = null;
  let where = '';
  if (files.some((f) => f.name === BUNDLE_META_FILE)) {
    texts = new Map(files.map((f) => [f.name, f.bytes]));
    where = 'the files picked';
  } else if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(files[0].bytes, { filter: (e) => !e.name.endsWith('/') && !/\.(shp|dbf|shx)$/i.test(e.name) });
    } catch {
      return null;
    }
    const meta = Object.keys(entries).find((n) => n === BUNDLE_META_FILE || n.endsWith(`/${BUNDLE_META_FILE}`));
    if (!meta) return null;
    const prefix = meta.slice(0, meta.length - BUNDLE_META_FILE.length);
    texts = new Map(Object.entries(entries).filter(([n]) => n.startsWith(prefix)).map(([n, b]) => [n.slice(prefix.length), b]));
    where = files[0].name;
  }
  if (!texts) return null;
  const read = async (file: string) => {
    const bytes = texts!.get(file);
    if (!bytes) throw new InputError({ file, problem: `bundle.json lists this file but it is not in ${where}`, action: 'Pick every file of the bundle folder, or open the bundle zip as it was saved.' });
    return bytes;
  };
  const bundle = await loadBundle(read, { onProgress });
  onProgress?.({ text: `joining ${Math.max(0, ...bundle.tables.map((t) => t.units.length)).toLocaleString('en-US')} tracts to their boundaries` });
  const { areas, points } = bundle.meta;
  if (!areas && !points?.length) return datasetFromBundle(bundle);
  // Its own areas and points (issue 12), read by the app's Layers when it shows the dataset: their
  // files travel as bytes (the dataset may come from the loading worker, which cannot send a reader).
  const layerFiles: Record<string, Uint8Array> = {};
  // A missing layer file is reported by the Layers when they read it; the tracts load regardless.
  for (const file of [areas?.file, ...(points ?? []).map((p) => p.file)]) {
    const bytes = file && texts.get(file);
    if (file && bytes) layerFiles[file] = bytes;
  }
  return { ...datasetFromBundle(bundle), bundleLayers: { meta: { areas, points }, files: layerFiles } };
}

/**
 * A tractmix export zip (exportFiles.ts: NAME.csv, NAME.geojson, method.json, …) opened as it was
 * saved: its CSV is the income table (tractmix reads its own bracket columns) and its GeoJSON the
 * boundaries. Other files picked with it stay (boundaries, when the export had no GeoJSON).
 */
function unpackExportZips(files: readonly IncomeFile[]): IncomeFile[] {
  return files.flatMap((f) => {
    if (!/\.zip$/i.test(f.name)) return [f];
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(f.bytes, { filter: (e) => /(^|\/)method\.json$|\.(csv|geojson)$/i.test(e.name) });
    } catch {
      return [f];
    }
    const method = Object.keys(entries).find((n) => /(^|\/)method\.json$/i.test(n));
    const isExport = method !== undefined && /"tool":\s*"tractmix"/.test(new TextDecoder().decode(entries[method].subarray(0, 200)));
    if (!isExport) return [f];
    return Object.entries(entries).map(([n, bytes]) => ({ name: n.split('/').pop()!, bytes }));
  });
}

/**
 * The options a tractmix export's method.json recorded, when the files hold a one-year export and
 * its method.json: the AMI as the typed value it was (a selection's own pooled median would differ),
 * the scheme (a custom one as its cut points in dollars of the income year) and minimum households.
 */
export function recordedOptions(files: readonly IncomeFile[], tables: readonly IncomeTable[]): Dataset['recordedOptions'] {
  const method = files.find((f) => /(^|[./])method\.json$/i.test(f.name));
  if (!method || tables.length !== 1 || tables[0].format !== 'tractmix-export') return undefined;
  let record: { tool?: unknown; view?: unknown; years?: { year?: unknown; incomeYear?: unknown; scheme?: unknown; cutPointsDollars?: unknown; minHouseholds?: unknown; ami?: { dollars?: unknown; kind?: unknown; source?: unknown } }[] };
  try {
    record = JSON.parse(new TextDecoder().decode(method.bytes));
  } catch {
    return undefined;
  }
  const y = record?.years?.[0];
  if (record?.tool !== 'tractmix' || record.view !== 'year' || record.years?.length !== 1 || !y || y.year !== tables[0].year) return undefined;
  const dollars = y.ami?.dollars;
  const cuts = y.cutPointsDollars;
  if (typeof dollars !== 'number' || !(dollars > 0) || typeof y.minHouseholds !== 'number' || typeof y.incomeYear !== 'number') return undefined;
  const scheme: BandScheme | null =
    y.scheme === 'ami6' || y.scheme === 'quintile5' ? { kind: y.scheme }
    : y.scheme === 'custom' && Array.isArray(cuts) && cuts.every((c) => typeof c === 'number') ? { kind: 'custom', unit: 'dollars', cuts: cuts as number[], dollarYear: y.incomeYear }
    : null;
  if (!scheme) return undefined;
  return {
    ami: { kind: 'typed', dollars, source: `recorded in ${method.name} (${String(y.ami?.kind)}: ${String(y.ami?.source)})` },
    scheme,
    minHouseholds: y.minHouseholds,
  };
}

/** `onProgress` hears each step ("parsing cb_2018_17_tract_500k.shp 12.3 MB", "joining 1,983 tracts"). */
export async function datasetFromFiles(picked: readonly IncomeFile[], onProgress?: (p: LoadProgress) => void): Promise<Dataset> {
  const bundle = await bundleFromFiles(picked, onProgress);
  if (bundle) return bundle;
  const files = unpackExportZips(picked);
  const udpExternal = files.find(isUdpTypologyOutput);
  const { boundaryParts, incomeFiles } = classifyFiles(files.filter((f) => f !== udpExternal));
  if (incomeFiles.length === 0) {
    throw new InputError({
      file: files.map((f) => f.name).join(', ') || '(no files)',
      problem: 'no income table among the files',
      expected: 'a CSV or Census API JSON of household-income brackets beside the boundaries',
      action: 'Add the income file (for example Chicagocensus_summ_2018.csv) to the selection.',
    });
  }
  if (boundaryParts.length === 0) {
    throw new InputError({
      file: incomeFiles.map((f) => f.name).join(', '),
      problem: 'no boundary file among the files',
      expected: 'tract boundaries: .shp with its .dbf (and .prj), a .zip of those, GeoJSON or TopoJSON',
      action: 'Select the boundary files together with the income table.',
    });
  }
  onProgress?.({ text: `parsing the boundaries ${boundaryParts.map((f) => f.name).join(', ')} ${sizeText(boundaryParts.reduce((s, f) => s + f.bytes.byteLength, 0))}` });
  const boundaries = await readBoundaries(boundaryParts);
  const tables: IncomeTable[] = [];
  const extras = new Map<number, TractValues>();
  for (const f of incomeFiles) {
    onProgress?.({ text: `parsing ${f.name} ${sizeText(f.bytes.byteLength)}` });
    const years = udpYearsInFile(f);
    const read = years.length > 1 ? years.map((year) => readIncomeTable(f, { year })) : [readIncomeTable(f)];
    for (const t of read) {
      tables.push(t);
      if (t.format === 'udp') {
        const found = extraColumns(f, t.year, t.units);
        if (found.columns.length) extras.set(t.year, found.values);
      }
    }
  }
  tables.sort((a, b) => a.year - b.year);
  const fileOf = (year: number) => {
    const t = tables.find((x) => x.year === year && x.format === 'udp');
    return t ? incomeFiles.find((f) => f.name === t.file) : undefined;
  };
  const summary2018 = fileOf(2018);
  const census2000 = fileOf(2000);
  const udpFiles =
    udpExternal && summary2018 && census2000
      ? { summary2018, census2000, census1990: fileOf(1990), boundaries: boundaryParts, external: udpExternal }
      : undefined;
  const seen = new Set<number>();
  for (const t of tables) {
    if (seen.has(t.year)) {
      throw new InputError({ file: t.file, problem: `a second table for ${t.year}`, expected: 'one income table per year', action: 'Open one file per year.' });
    }
    seen.add(t.year);
  }
  onProgress?.({ text: `joining ${boundaries.features.length.toLocaleString('en-US')} tracts to ${tables.length} income table${tables.length === 1 ? '' : 's'}` });
  const reports = tables.map((t) => joinReport(t, boundaries));
  // Draw the tracts that have income in some year; the others are counted in the join report.
  const withIncome = new Set(tables.flatMap((t) => t.units.map((u) => u.geoid)));
  const drawn: BoundarySet = { ...boundaries, features: boundaries.features.filter((f) => withIncome.has(f.properties.GEOID)) };
  return {
    name: incomeFiles.map((f) => f.name).join(' + '),
    description: `Opened from ${files.length} files`,
    synthetic: false,
    sources: [boundaries.file, ...incomeFiles.map((f) => f.name)],
    boundaries: new Map([['files', drawn]]),
    years: tables.map((t) => ({ year: t.year, incomeYear: t.incomeYear, table: t, boundaryKey: 'files', source: t.file })),
    reports,
    crosswalks: new Map(),
    extras,
    udpFiles,
    recordedOptions: recordedOptions(files, tables),
  };
}
