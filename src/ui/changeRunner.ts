/**
 * Runs the change view's computation off the main thread (changeWorker.ts), so the page keeps
 * answering while counts are moved between tract vintages; falls back to the main thread when
 * the worker cannot start or cannot take the data (the result is the same, only the page waits).
 */
import type { AnalysisOptions } from '../core/analyze';
import { changeAnalysis, type ChangeAnalysis, type ChangeThresholds } from '../core/change';
import type { Dataset } from '../data/dataset';
import { prepareYearPair } from '../data/yearPair';
import type { ChangeRequest } from './changeWorker';

type Result = { result: { change: ChangeAnalysis; geography: string } | null; error: string | null };

let worker: Worker | null | undefined;
const sent = new WeakMap<Dataset, number>();
let nextDataset = 1;
let nextRequest = 1;
const pending = new Map<number, (r: Result) => void>();
/** Where the last change was computed (for tests and the report). */
export const changeRunnerInfo = { lastRanIn: 'none' as 'worker' | 'main thread' | 'none' };

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

export async function computeChange(dataset: Dataset, years: [number, number], options: AnalysisOptions, thresholds: Partial<ChangeThresholds>): Promise<Result> {
  const w = startWorker();
  if (!w) return onMainThread(dataset, years, options, thresholds);
  let datasetId = sent.get(dataset);
  const request: ChangeRequest = { id: nextRequest++, datasetId: datasetId ?? nextDataset, years, options, thresholds };
  if (datasetId === undefined) {
    datasetId = nextDataset++;
    sent.set(dataset, datasetId);
    request.datasetId = datasetId;
    request.dataset = { years: dataset.years, boundaries: dataset.boundaries, crosswalks: dataset.crosswalks, areaWeighted: dataset.areaWeighted };
  }
  const answer = new Promise<Result>((resolve) => pending.set(request.id, resolve));
  try {
    w.postMessage(request);
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
