/**
 * Runs the change view's computation off the main thread (changeWorker.ts), so the page keeps
 * answering while counts are moved between tract vintages; falls back to the main thread when
 * the worker cannot start or cannot take the data (the result is the same, only the page waits).
 *
 * The dataset crosses once, and can be sent ahead of the first change view (`shareDataset`, called
 * when a dataset of two years or more has been drawn): its years packed as typed arrays (moved; a
 * structured clone of 10,000 unit objects took 0.2–1 s on the main thread), and only the polygons a
 * change needs (vintages without a crosswalk, for area weights), in parts of `TRACTS_PER_PART`,
 * one structured clone a task.
 */
import { timedInto } from './mainThreadTime';
import type { AnalysisOptions } from '../core/analyze';
import { changeAnalysis, type ChangeAnalysis, type ChangeThresholds } from '../core/change';
import type { BoundarySet } from '../data/boundaries';
import type { Dataset } from '../data/dataset';
import { prepareYearPair } from '../data/yearPair';
import type { ChangeDataset, ChangeMessage } from './changeWorker';
import { packDataset } from './loadMessages';
import { onMainThreadForTests } from './analysisRunner';

type Result = { result: { change: ChangeAnalysis; geography: string } | null; error: string | null };

const TRACTS_PER_PART = 250;

let worker: Worker | null | undefined;
/** Datasets sent to the worker: their number, and when the last part has been posted. */
const sent = new WeakMap<Dataset, { id: number; ready: Promise<boolean> }>();
let nextDataset = 1;
/** The dataset the worker holds (it keeps one: a new one replaces it). */
let held = 0;
let nextRequest = 1;
const pending = new Map<number, (r: Result) => void>();
/** Where the last change was computed, and the ms spent on the main thread computing changes or sending datasets (for tests and the benchmark). */
export const changeRunnerInfo = { lastRanIn: 'none' as 'worker' | 'main thread' | 'none', mainThreadMs: 0 };

const timed = <T,>(f: () => T): T => timedInto(changeRunnerInfo, f);

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./changeWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ id: number } & Result>) => {
      pending.get(e.data.id)?.({ result: e.data.result, error: e.data.error });
      pending.delete(e.data.id);
    };
    worker.onerror = () => {
      worker = null;
      for (const [, resolve] of pending) resolve({ result: null, error: 'worker-failed' });
      pending.clear();
    };
  } catch {
    worker = null;
  }
  return worker;
}

function onMainThread(dataset: Dataset, years: [number, number], options: AnalysisOptions, thresholds: Partial<ChangeThresholds>): Result {
  return timed(() => computeOnMainThread(dataset, years, options, thresholds));
}

function computeOnMainThread(dataset: Dataset, years: [number, number], options: AnalysisOptions, thresholds: Partial<ChangeThresholds>): Result {
  changeRunnerInfo.lastRanIn = 'main thread';
  try {
    const pair = prepareYearPair(dataset, years[0], years[1], options);
    const change = changeAnalysis(pair.from, pair.to, { ...thresholds, largestSourceWeight: pair.largestSourceWeight });
    change.warnings.unshift(...pair.warnings);
    return { result: { change, geography: pair.geography }, error: null };
  } catch (e) {
    return { result: null, error: (e as Error).message };
  }
}

/** Boundary sets whose polygons a change may need: vintages with no crosswalk to another. */
function polygonsNeeded(dataset: Dataset): Set<string> {
  const keys = [...new Set(dataset.years.map((y) => y.boundaryKey))];
  const needed = new Set<string>();
  for (const a of keys) for (const b of keys) if (a !== b && !dataset.crosswalks.has(`${a}->${b}`)) needed.add(a).add(b);
  return needed;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function send(w: Worker, id: number, dataset: Dataset): Promise<boolean> {
  try {
    held = id;
    const needed = polygonsNeeded(dataset);
    timed(() => {
      const boundaries = new Map([...dataset.boundaries].map(([k, b]): [string, BoundarySet] => [k, { ...b, features: [] }]));
      const lean: ChangeDataset = { years: dataset.years, boundaries, crosswalks: dataset.crosswalks, areaWeighted: dataset.areaWeighted };
      const packed = packDataset(lean as Dataset);
      w.postMessage({ kind: 'dataset', datasetId: id, dataset: packed.dataset } satisfies ChangeMessage, packed.transfer);
    });
    for (const [key, b] of dataset.boundaries) {
      if (!needed.has(key)) continue;
      for (let i = 0; i < b.features.length; i += TRACTS_PER_PART) {
        await nextTask();
        timed(() => w.postMessage({ kind: 'features', datasetId: id, key, features: b.features.slice(i, i + TRACTS_PER_PART) } satisfies ChangeMessage));
      }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Above this many income units (all years), a dataset goes to the change worker only when a change
 * is first asked for: the worker's copy held 65 MB at 85,000 tracts and two years (measured before
 * units kept their counts as views of one array a year; issue 10's memory target), and a national
 * map may never be switched to the change view. Below it the copy is small and made ahead, so that
 * the first switch does not wait for it.
 */
export const SHARE_AHEAD_MAX_UNITS = 40_000;

/** Send a dataset to the change worker ahead of its first change view (once per dataset), unless it is large. */
export function shareDataset(dataset: Dataset): void {
  // Test builds: `?analysis-on-main-thread` (the benchmark's comparison) sends it with the first change, as before.
  if (import.meta.env.MODE === 'test' && onMainThreadForTests) return;
  if (sharedAhead(dataset)) share(dataset);
}

/** Whether a dataset is small enough to be sent to the change worker before it is needed. */
export function sharedAhead(dataset: Pick<Dataset, 'years'>): boolean {
  return dataset.years.reduce((n, y) => n + (y.table?.units.length ?? 0), 0) <= SHARE_AHEAD_MAX_UNITS;
}

function share(dataset: Dataset): void {
  const w = startWorker();
  if (!w || sent.get(dataset)?.id === held) return;
  const id = nextDataset++;
  sent.set(dataset, { id, ready: send(w, id, dataset) });
}

export async function computeChange(dataset: Dataset, years: [number, number], options: AnalysisOptions, thresholds: Partial<ChangeThresholds>): Promise<Result> {
  share(dataset);
  const w = worker;
  const shared = sent.get(dataset);
  if (!w || !shared || !(await shared.ready)) {
    sent.delete(dataset);
    return onMainThread(dataset, years, options, thresholds);
  }
  const request: ChangeMessage = { kind: 'change', id: nextRequest++, datasetId: shared.id, years, options, thresholds };
  const answer = new Promise<Result>((resolve) => pending.set(request.id, resolve));
  try {
    timed(() => w.postMessage(request));
  } catch {
    pending.delete(request.id);
    sent.delete(dataset);
    return onMainThread(dataset, years, options, thresholds);
  }
  const r = await answer;
  if (r.error === 'worker-failed') {
    sent.delete(dataset);
    return onMainThread(dataset, years, options, thresholds);
  }
  changeRunnerInfo.lastRanIn = 'worker';
  return r;
}
