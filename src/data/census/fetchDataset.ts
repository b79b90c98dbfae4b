/**
 * Places and years → a dataset bundle, from the Census Bureau's public services (METHOD.md §1
 * and §5): the income tables of each year from the Census Data API, the cartographic boundaries
 * of the latest year's tract vintage, and — when the years span vintages — the relationship
 * files that move every earlier year's counts onto those tracts. Works wherever `fetch` works:
 * the CLI gives a downloader with a file cache, the app one with a memory cache.
 */
import { composeCrosswalks, moveCounts, BOUNDARY_CHANGED_WEIGHT, type CrosswalkRow } from '../../core/crosswalk';
import { toSnapshot, type IncomeTable, type IncomeUnit } from '../income';
import { readBoundaries, type BoundaryFeature } from '../boundaries';
import { InputError } from '../errors';
import type { BundleInput, FetchRecord } from '../bundle';
import { apiErrorProblem, extrasFromApi, incomeTableFromApi, mergeApiRows, parseApiRows, type ApiRows } from './apiTable';
import type { Download, DownloadResult } from './download';
import { relationship2000to2010, relationship2010to2020 } from './relationship';
import {
  apiUrl,
  boundaryUrl,
  incomeRelease,
  knownYears,
  relationshipUrl,
  tigerwebQueryUrl,
  DEFAULT_TIGERWEB_BASE,
  type CensusUnit,
  type IncomeRelease,
  type TractVintage,
} from './releases';

/** A county to fetch: FIPS codes and names for messages. */
export interface CountyRef {
  readonly state: string;
  readonly county: string;
  readonly name: string;
  readonly stateAbbr: string;
}

export interface FetchSpec {
  /** What the user typed, for the bundle's name. */
  readonly placeLabels: readonly string[];
  /** Counties of the latest year (its boundaries are drawn). */
  readonly counties: readonly CountyRef[];
  /** Counties whose codes a data year's tables use, when they differ (renamed or split counties). */
  readonly countiesInYear?: (year: number) => readonly CountyRef[];
  readonly years: readonly number[];
  readonly unit: CensusUnit;
  readonly apiBase: string;
  readonly tigerBase: string;
  readonly geoBase: string;
  readonly apiKey?: string;
  /**
   * Where boundaries come from: the cartographic boundary zips (default; the CLI), or TIGERweb's
   * GeoJSON query service, which browsers may read directly (the app).
   */
  readonly boundaryService?: 'cartographic' | 'tigerweb';
  readonly tigerwebBase?: string;
  /** Crosswalks the user supplies (NHGIS/LTDB), keyed by source vintage, e.g. 1990 → 2010 tracts. */
  readonly crosswalks?: ReadonlyMap<number, { rows: readonly CrosswalkRow[]; to: number; file: string }>;
}

/** Daily queries the Census Data API allows without a key (per IP address; "Data API user guide"). */
export const KEYLESS_DAILY_QUERIES = 500;

export interface FetchProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export interface FetchedDataset {
  readonly input: BundleInput;
  readonly warnings: readonly string[];
  readonly requests: number;
}


function groupByState(counties: readonly CountyRef[]): Map<string, CountyRef[]> {
  const out = new Map<string, CountyRef[]>();
  for (const c of counties) {
    let list = out.get(c.state);
    if (!list) out.set(c.state, (list = []));
    if (!list.some((x) => x.county === c.county)) list.push(c);
  }
  return out;
}

function checkYears(years: readonly number[]): IncomeRelease[] {
  if (years.length === 0) throw new InputError({ file: '--years', problem: 'no year was given', expected: knownYears(), action: 'Pass --years, e.g. --years 2000,2012,2023.' });
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  return sorted.map((y) => {
    const r = incomeRelease(y);
    if (!r) throw new InputError({ file: '--years', problem: `there is no tract income release for ${y}`, expected: knownYears(), action: 'Pick years from that list.' });
    return r;
  });
}

/** Plan the work, then download, read, move and assemble. */
export async function fetchDataset(spec: FetchSpec, download: Download, onProgress: (p: FetchProgress) => void = () => {}): Promise<FetchedDataset> {
  const releases = checkYears(spec.years);
  const byState = groupByState(spec.counties);
  if (byState.size === 0) throw new InputError({ file: '--place', problem: 'no county to fetch', action: 'Pass --place with a county, state or metro area.' });
  const target = releases[releases.length - 1].vintage;
  const latestYear = releases[releases.length - 1].year;
  if (target === 1990 || target === 2000) {
    throw new InputError({
      file: '--years',
      problem: `the latest year asked for (${latestYear}) is on ${target} tracts, whose cartographic boundaries this version does not fetch`,
      action: 'Add an ACS year from 2010 on (e.g. --years 2000,2012,2023): every year is then moved to its tracts.',
    });
  }
  for (const r of releases) {
    if (r.vintage === 1990 && !spec.crosswalks?.has(1990)) {
      throw new InputError({
        file: '--years',
        problem: 'Census 1990 is on 1990 tracts, and the Census Bureau publishes no 1990→2010 tract relationship file',
        action: 'Give a crosswalk from 1990 tracts with --crosswalk FILE (LTDB crosswalk_1990_2010.csv, or NHGIS nhgis_tr1990_tr2010.csv).',
      });
    }
    if (spec.unit === 'block group' && r.vintage !== target && !(r.vintage === 2010 && target === 2020)) {
      throw new InputError({
        file: '--unit',
        problem: `block groups of ${r.label} (${r.vintage} vintage) cannot be moved to ${target} block groups: the Census Bureau publishes block-group relationship files only for 2010→2020`,
        action: 'Use --unit tract for these years, or choose years from 2010 on.',
      });
    }
  }
  const groupsPerYear = releases.reduce((n, r) => n + r.groups.length, 0);
  const apiRequests = groupsPerYear * byState.size;
  if (!spec.apiKey && apiRequests > KEYLESS_DAILY_QUERIES) {
    throw new InputError({
      file: '--api-key',
      problem: `this needs ${apiRequests} Census API queries, over the ${KEYLESS_DAILY_QUERIES} a day the API allows without a key`,
      action: 'Get a free key from the Census Bureau\'s key sign-up page and pass --api-key KEY (or set CENSUS_API_KEY).',
    });
  }
  const earliest = Math.min(...releases.map((r) => (r.vintage === 1990 ? spec.crosswalks?.get(1990)?.to ?? 2010 : r.vintage)));
  const relationshipSteps = Math.max(0, (target - earliest) / 10);
  const total = apiRequests + byState.size + relationshipSteps * byState.size;
  let done = 0;
  const step = (what: string) => onProgress({ step: what, done: ++done, total });
  const warnings: string[] = [];
  const records: FetchRecord[] = [];
  const record = (r: DownloadResult, what: string, extra: Partial<FetchRecord> = {}) =>
    records.push({ url: r.url, what, retrievedAt: r.retrievedAt, bytes: r.bytes.length, fromCache: r.fromCache, ...extra });
  const decoder = new TextDecoder();
  const placeName = (state: string) => byState.get(state)!.map((c) => `${c.name}, ${c.stateAbbr}`).join('; ');

  // 1. Income tables, one per year.
  const years: { release: IncomeRelease; table: IncomeTable; extras: Map<string, Record<string, number | null>>; source: string }[] = [];
  for (const release of releases) {
    const parts: ApiRows[] = [];
    const yearByState = spec.countiesInYear ? groupByState(spec.countiesInYear(release.year)) : byState;
    for (const [state, counties] of yearByState) {
      for (const group of release.groups) {
        const url = apiUrl(spec.apiBase, release, group, state, counties.map((c) => c.county), spec.unit, spec.apiKey);
        const label = `${release.label} ${group.name}, ${placeName(state)}`;
        const got = await download(url, label);
        step(label);
        if (got.status === 204 || (got.status === 200 && got.bytes.length === 0)) {
          if (group.required) {
            throw new InputError({ file: got.url, problem: `the API has no ${spec.unit}s for ${placeName(state)} in ${release.label} (empty answer)`, action: 'Check the place and the year: the county may not exist in that year (e.g. renamed or new counties).' });
          }
          warnings.push(`${release.label}: no ${group.name} for ${placeName(state)} (empty answer)`);
          continue;
        }
        const text = decoder.decode(got.bytes);
        if (got.status !== 200 || /invalid key/i.test(text.slice(0, 2000))) {
          const problem = apiErrorProblem(got.url, got.status, text, release);
          if (!group.required && got.status === 400 && /unknown variable/i.test(text)) {
            warnings.push(`${release.label}: ${problem.problem.problem}; its ${group.name} columns are left out`);
            continue;
          }
          throw problem;
        }
        parts.push(parseApiRows(got.url, text, group, spec.unit));
        record(got, `Census Data API, ${release.label} ${release.dataset} — ${group.name}`, { release: release.label, tables: [...release.tables], vintage: release.vintage });
      }
    }
    const merged = mergeApiRows(parts, spec.unit);
    const name = `Census API ${release.dataset} ${release.label}`;
    const table = incomeTableFromApi(name, merged, release, spec.unit);
    if (table.rejected.length) warnings.push(`${release.label}: ${table.rejected.length} of ${table.rowsRead} ${spec.unit}s unusable (e.g. ${table.rejected[0].geoid ?? ''} ${table.rejected[0].reason})`);
    years.push({
      release,
      table,
      extras: extrasFromApi(merged, release, table, spec.unit),
      source: `US Census Bureau, ${release.survey === 'acs5' ? `ACS 5-year ${release.label}` : `Census ${release.year} SF3`} (${release.tables.slice(0, 2).join(', ')}), Census Data API`,
    });
  }

  // 2. Boundaries of the target vintage, cut to the requested counties.
  const wanted = new Set(spec.counties.map((c) => c.state + c.county));
  const features: BoundaryFeature[] = [];
  let boundarySource = '';
  for (const [state, counties] of byState) {
    if (spec.boundaryService === 'tigerweb') {
      const label = `${target} ${spec.unit} boundaries (TIGERweb), ${placeName(state)}`;
      for (let offset = 0, page = 0; ; page++) {
        const url = tigerwebQueryUrl(spec.tigerwebBase ?? DEFAULT_TIGERWEB_BASE, latestYear, state, counties.map((c) => c.county), spec.unit, offset);
        const got = await download(url, page ? `${label} (part ${page + 1})` : label);
        if (got.status !== 200) throw apiErrorProblem(got.url, got.status, decoder.decode(got.bytes));
        const set = await readBoundaries([{ name: `tigerweb-${state}-${offset}.geojson`, bytes: got.bytes }]);
        features.push(...set.features.filter((f) => wanted.has(f.properties.GEOID.slice(0, 5))));
        record(got, `Census Bureau TIGERweb ${spec.unit}s (${target} vintage)`, { vintage: target });
        // ArcGIS pages long answers: `exceededTransferLimit` asks for the next offset.
        const more = /"exceededTransferLimit"\s*:\s*true/.test(decoder.decode(got.bytes.subarray(0, 512)) + decoder.decode(got.bytes.subarray(Math.max(0, got.bytes.length - 512))));
        if (!more || set.features.length === 0) break;
        offset += set.features.length;
      }
      step(label);
      boundarySource = `US Census Bureau TIGERweb (${target} ${spec.unit}s)`;
      continue;
    }
    const b = boundaryUrl(spec.tigerBase, target, latestYear, state, spec.unit)!;
    const label = `${target} ${spec.unit} boundaries (cb_${b.year}), ${placeName(state)}`;
    const got = await download(b.url, label);
    step(label);
    if (got.status !== 200) throw apiErrorProblem(got.url, got.status, decoder.decode(got.bytes));
    const name = b.url.slice(b.url.lastIndexOf('/') + 1);
    const set = await readBoundaries([{ name, bytes: got.bytes }]);
    if (set.unitKind !== spec.unit) {
      throw new InputError({ file: got.url, problem: `the boundary file holds ${set.unitKind}s, not ${spec.unit}s`, action: 'Check --tiger-base.' });
    }
    features.push(...set.features.filter((f) => wanted.has(f.properties.GEOID.slice(0, 5))));
    record(got, `Census Bureau cartographic boundary file ${name} (${target} ${spec.unit}s)`, { vintage: target });
    boundarySource = `US Census Bureau cartographic boundaries cb_${b.year} (1:500,000), ${target} ${spec.unit}s`;
  }

  // 3. Crosswalks from each earlier vintage to the target, chained through relationship files.
  const steps = new Map<string, { rows: CrosswalkRow[]; weighting: string }>();
  const relationship = async (from: TractVintage, to: TractVintage, sources: Set<string>) => {
    const rows: CrosswalkRow[] = [];
    let weighting = '';
    for (const [state, counties] of byState) {
      const url = relationshipUrl(spec.geoBase, from, to, state, counties[0].stateAbbr, spec.unit)!;
      const label = `${from}→${to} ${spec.unit} relationship file, ${counties[0].stateAbbr}`;
      const got = await download(url, label);
      step(label);
      if (got.status !== 200) throw apiErrorProblem(got.url, got.status, decoder.decode(got.bytes));
      const name = url.slice(url.lastIndexOf('/') + 1);
      const text = decoder.decode(got.bytes);
      const parsed = from === 2000 ? relationship2000to2010(name, text, (g) => sources.has(g)) : relationship2010to2020(name, text, spec.unit, (g) => sources.has(g));
      rows.push(...parsed.rows);
      weighting = parsed.weighting;
      if (parsed.fallbacks) warnings.push(`${name}: ${parsed.fallbacks} ${from} ${spec.unit}s had no housing units or land; weighted by population or area`);
      record(got, `Census Bureau ${from}→${to} ${spec.unit} relationship file ${name}`, { vintage: to });
    }
    return { rows, weighting };
  };
  const crosswalkTo = async (from: number, sources: readonly string[]): Promise<{ rows: CrosswalkRow[]; how: string }> => {
    const user = spec.crosswalks?.get(from);
    let rows: CrosswalkRow[];
    let how: string;
    let at: number;
    if (user) {
      rows = [...user.rows];
      how = `the crosswalk ${user.file} (${from}→${user.to})`;
      at = user.to;
    } else {
      rows = sources.map((g) => ({ source: g, target: g, weight: 1 }));
      how = '';
      at = from;
    }
    let reached = new Set(rows.map((r) => r.target));
    while (at < target) {
      const next = (at + 10) as TractVintage;
      const key = `${at}->${next}`;
      if (!steps.has(key)) steps.set(key, await relationship(at as TractVintage, next, reached));
      const s = steps.get(key)!;
      rows = composeCrosswalks(rows, s.rows);
      how += `${how ? ', then ' : ''}the Census Bureau's ${at}→${next} relationship files (weights: ${s.weighting})`;
      reached = new Set(rows.map((r) => r.target));
      at = next;
    }
    return { rows, how };
  };

  const targetGeoids = features.map((f) => f.properties.GEOID).sort();
  const notes: string[] = [];
  const bundleYears: BundleInput['years'][number][] = [];
  const moves: NonNullable<BundleInput['moves']>[number][] = [];
  for (const y of years) {
    if (y.release.vintage === target) {
      bundleYears.push({ table: y.table, boundaries: 'main', source: y.source, extras: y.extras });
      continue;
    }
    const { rows, how } = await crosswalkTo(y.release.vintage, y.table.units.map((u) => u.geoid));
    const moved = moveCounts(toSnapshot(y.table), rows, targetGeoids);
    const before = y.table.units.reduce((s, u) => s + u.total, 0);
    const after = moved.snapshot.counts.reduce((s, c) => s + c, 0);
    const lost = moved.unmatchedSources.length;
    notes.push(
      `${y.release.label} moved from ${y.release.vintage} to ${target} ${spec.unit}s with ${how}: ${Math.round(before).toLocaleString('en-US')} households before, ` +
        `${Math.round(after).toLocaleString('en-US')} after` +
        (lost ? ` (${lost} ${y.release.vintage} ${spec.unit}s not in the relationship files: ${moved.unmatchedSources.slice(0, 5).join(', ')})` : '') +
        '. Published medians are not moved; medians are recomputed from the moved brackets.',
    );
    if (Math.abs(after - before) > 0.005 * before) {
      warnings.push(`${y.release.label}: households changed from ${before.toFixed(0)} to ${after.toFixed(0)} when moved to ${target} ${spec.unit}s (parts outside the requested counties, or units missing from the relationship files)`);
    }
    bundleYears.push({
      table: movedTable(y.table, moved.snapshot, target),
      boundaries: 'main',
      source: `${y.source}; moved to ${target} ${spec.unit}s`,
      extras: movedExtras(y.extras, rows, targetGeoids, moved.largestSourceWeight),
    });
    moves.push({ year: y.release.year, fromVintage: y.release.vintage, rows: rows.filter((r) => r.weight > 0), how });
  }

  const label = spec.placeLabels.join(' + ');
  const yearLabels = releases.map((r) => r.label).join(', ');
  const input: BundleInput = {
    name: `${label}, ${yearLabels}`,
    description: `Household income by ${spec.unit}, ${yearLabels}, for ${label} (${spec.counties.length} ${spec.counties.length === 1 ? 'county' : 'counties'}), fetched from the US Census Bureau's public services; every year on ${target} ${spec.unit}s.`,
    synthetic: false,
    createdBy: 'tractmix fetch',
    boundaries: [{ key: 'main', features, source: boundarySource, units: spec.unit }],
    years: bundleYears,
    moves,
    notes: [...notes, ...warnings.filter((w) => !w.includes('households changed from'))],
    provenance: records,
  };
  return { input, warnings, requests: records.length };
}

/** An income table from moved counts: fractional households, no published medians. */
function movedTable(table: IncomeTable, snapshot: ReturnType<typeof moveCounts>['snapshot'], target: number): IncomeTable {
  const k = table.set.lowerEdges.length;
  const units: IncomeUnit[] = snapshot.geoids.map((geoid, i) => {
    const counts = Array.from(snapshot.counts.subarray(i * k, (i + 1) * k));
    return {
      geoid,
      line: 0,
      counts,
      total: counts.reduce((s, c) => s + c, 0),
      moe: snapshot.moe ? Array.from(snapshot.moe.subarray(i * k, (i + 1) * k)) : null,
      totalMoe: snapshot.totalMoe ? snapshot.totalMoe[i] : null,
      publishedMedian: null,
    };
  });
  return { ...table, file: `${table.file} (moved to ${target} tracts)`, units, repairedIds: [], rejected: [], rowsRead: units.length };
}

/**
 * Extra columns moved with the counts: counts (population, tenure, education) by the crosswalk
 * weights; medians (rent, home value) cannot be moved, so a target keeps the median of its one
 * source only when its boundary did not change (largest source weight ≥ 0.95), else null.
 */
function movedExtras(
  extras: Map<string, Record<string, number | null>>,
  rows: readonly CrosswalkRow[],
  targets: readonly string[],
  largest: ReadonlyMap<string, number>,
): Map<string, Record<string, number | null>> {
  const out = new Map<string, Record<string, number | null>>(targets.map((t) => [t, {}]));
  const columns = [...new Set([...extras.values()].flatMap((r) => Object.keys(r)))];
  const isMedian = (c: string) => c.startsWith('mrent_') || c.startsWith('mhval_');
  for (const t of targets) for (const c of columns) out.get(t)![c] = isMedian(c) ? null : 0;
  for (const r of rows) {
    const source = extras.get(r.source);
    const dest = out.get(r.target);
    if (!source || !dest) continue;
    for (const c of columns) {
      const v = source[c];
      if (isMedian(c)) {
        if (r.weight >= BOUNDARY_CHANGED_WEIGHT && (largest.get(r.target) ?? 0) >= BOUNDARY_CHANGED_WEIGHT) dest[c] = v;
      } else dest[c] = v === null || dest[c] === null ? null : (dest[c] as number) + r.weight * v;
    }
  }
  return out;
}
