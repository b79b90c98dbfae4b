/**
 * The messages between the app and the loading job (loadJob.ts, in loadWorker.ts or on the main
 * thread), and what the main thread does with them. Kept apart from the job so that the main
 * bundle does not carry the parsers.
 */
import type { LoadProgress } from '../data/bundle';
import type { Dataset } from '../data/dataset';
import type { GeoContext } from '../data/geoContext';
import type { IncomeUnit } from '../data/income';
import { InputError, type InputProblem } from '../data/errors';

export type LoadRequest =
  | { readonly id: number; readonly kind: 'demo' }
  /** `base`: the bundle folder's absolute address. */
  | { readonly id: number; readonly kind: 'url'; readonly base: string }
  | { readonly id: number; readonly kind: 'files'; readonly files: readonly { name: string; bytes: Uint8Array }[] }
  /** The first year has been drawn: job `id` may parse the other years now. */
  | { readonly id: number; readonly kind: 'continue' };

export type WireError = { readonly inputError: InputProblem } | { readonly message: string };

/** What the main thread already holds from the first-year message, left out of the final one. */
export interface Reused {
  readonly boundaries: readonly string[];
  readonly tiles: readonly string[];
  readonly years: readonly number[];
}

export type LoadReply =
  | { readonly id: number; readonly kind: 'progress'; readonly progress: LoadProgress }
  | { readonly id: number; readonly kind: 'first-year'; readonly dataset: Dataset }
  | { readonly id: number; readonly kind: 'done'; readonly dataset: Dataset; readonly reused: Reused }
  /** The county lines and names and tract label points of the dataset's boundaries `key` (after its first year or its end). */
  | { readonly id: number; readonly kind: 'context'; readonly key: string; readonly context: GeoContext }
  | { readonly id: number; readonly kind: 'error'; readonly error: WireError }
  /** Nothing more comes for this job. */
  | { readonly id: number; readonly kind: 'finished' };

export function toWireError(e: unknown): WireError {
  return e instanceof InputError ? { inputError: e.problem } : { message: (e as Error)?.message ?? String(e) };
}

export function fromWireError(e: WireError): Error {
  return 'inputError' in e ? new InputError(e.inputError) : new Error(e.message);
}

/** The final dataset with the first year's objects put back: the same objects, so nothing is drawn twice. */
export function withReused(d: Dataset, reused: Reused, first: Dataset | null): Dataset {
  if (!first) return d;
  const boundaries = new Map(d.boundaries);
  for (const k of reused.boundaries) boundaries.set(k, first.boundaries.get(k)!);
  const tiles = new Map(d.tiles ?? []);
  for (const k of reused.tiles) tiles.set(k, first.tiles!.get(k)!);
  const years = d.years.map((y) => (reused.years.includes(y.year) ? { ...y, table: first.years.find((f) => f.year === y.year)!.table } : y));
  // The join reports were made in the worker from the same tables: keep them, in the final order.
  return { ...d, boundaries, tiles, years };
}

/**
 * A dataset in the shape that crosses to the main thread cheaply: each year's units and a tiled
 * tract list as typed arrays (moved, not copied) instead of one object per tract, which the
 * structured clone would have to walk on both sides — at 10,000 tracts that walk took longer than
 * parsing the files. `unpackDataset` gives back the same values (the packing is exact).
 */
export interface PackedDataset {
  readonly dataset: Dataset;
  readonly transfer: ArrayBuffer[];
}

interface PackedUnits {
  readonly packed: 'units';
  readonly k: number;
  readonly geoids: string[];
  readonly lines: Int32Array;
  readonly totals: Float64Array;
  readonly counts: Float64Array;
  /** 1 where the unit has MOEs (then `moe` holds its k values), its total MOE, its published median. */
  readonly flags: Uint8Array;
  readonly moe: Float64Array;
  readonly totalMoe: Float64Array;
  readonly medians: Float64Array;
}

const HAS_MOE = 1;
const HAS_TOTAL_MOE = 2;
const HAS_MEDIAN = 4;

function packUnits(units: readonly IncomeUnit[], k: number, transfer: ArrayBuffer[]): PackedUnits {
  const n = units.length;
  const p: PackedUnits = {
    packed: 'units',
    k,
    geoids: units.map((u) => u.geoid),
    lines: new Int32Array(n),
    totals: new Float64Array(n),
    counts: new Float64Array(n * k),
    flags: new Uint8Array(n),
    moe: new Float64Array(units.some((u) => u.moe) ? n * k : 0),
    totalMoe: new Float64Array(n),
    medians: new Float64Array(n),
  };
  units.forEach((u, i) => {
    p.lines[i] = u.line;
    p.totals[i] = u.total;
    for (let j = 0; j < k; j++) p.counts[i * k + j] = u.counts[j];
    let f = 0;
    if (u.moe) {
      f |= HAS_MOE;
      for (let j = 0; j < k; j++) p.moe[i * k + j] = u.moe[j];
    }
    if (u.totalMoe !== null) (f |= HAS_TOTAL_MOE), (p.totalMoe[i] = u.totalMoe);
    if (u.publishedMedian !== null) (f |= HAS_MEDIAN), (p.medians[i] = u.publishedMedian);
    p.flags[i] = f;
  });
  transfer.push(...[p.lines, p.totals, p.counts, p.flags, p.moe, p.totalMoe, p.medians].map((a) => a.buffer as ArrayBuffer));
  return p;
}

/**
 * Units whose counts (and MOEs) are views of the arrays that crossed, not copies: no array of 16
 * numbers per unit, and `toSnapshot` (data/income.ts) takes the whole array as it is (issue 10: at
 * 85,000 tracts and two years, ~37 MB of arrays and 22 MB of snapshot copies).
 */
function unpackUnits(p: PackedUnits): IncomeUnit[] {
  const { k } = p;
  const out = new Array<IncomeUnit>(p.geoids.length);
  for (let i = 0; i < out.length; i++) {
    const f = p.flags[i];
    const counts = p.counts.subarray(i * k, (i + 1) * k);
    const moe = f & HAS_MOE ? p.moe.subarray(i * k, (i + 1) * k) : null;
    out[i] = {
      geoid: p.geoids[i],
      line: p.lines[i],
      counts,
      total: p.totals[i],
      moe,
      totalMoe: f & HAS_TOTAL_MOE ? p.totalMoe[i] : null,
      publishedMedian: f & HAS_MEDIAN ? p.medians[i] : null,
    };
  }
  return out;
}

interface PackedTracts {
  readonly packed: 'tracts';
  readonly geoids: string[];
  readonly names: string[];
  readonly lonLat: Float64Array;
}

export function packDataset(d: Dataset): PackedDataset {
  const transfer: ArrayBuffer[] = [];
  const years = d.years.map((y) => (y.table ? { ...y, table: { ...y.table, units: packUnits(y.table.units, y.table.set.lowerEdges.length, transfer) as unknown as IncomeUnit[] } } : y));
  const tiles = d.tiles && new Map([...d.tiles].map(([key, t]) => {
    const lonLat = new Float64Array(t.tracts.length * 2);
    t.tracts.forEach((x, i) => ((lonLat[2 * i] = x.lon), (lonLat[2 * i + 1] = x.lat)));
    transfer.push(lonLat.buffer);
    const packed: PackedTracts = { packed: 'tracts', geoids: t.tracts.map((x) => x.geoid), names: t.tracts.map((x) => x.name), lonLat };
    return [key, { ...t, tracts: packed as unknown as typeof t.tracts }];
  }));
  return { dataset: { ...d, years, tiles }, transfer };
}

export function unpackDataset(d: Dataset): Dataset {
  const years = d.years.map((y) => {
    const units = y.table?.units as unknown as PackedUnits | undefined;
    return units && (units as { packed?: string }).packed === 'units' ? { ...y, table: { ...y.table, units: unpackUnits(units) } } : y;
  });
  const tiles = d.tiles && new Map([...d.tiles].map(([key, t]) => {
    const p = t.tracts as unknown as PackedTracts;
    if ((p as { packed?: string }).packed !== 'tracts') return [key, t];
    return [key, { ...t, tracts: p.geoids.map((geoid, i) => ({ geoid, name: p.names[i], lon: p.lonLat[2 * i], lat: p.lonLat[2 * i + 1] })) }];
  }));
  return { ...d, years, tiles };
}
