/**
 * Loading datasets in the browser — the embedded demo, a bundle at a URL (`?data=`), or files the
 * user opened — in the loading worker (loadWorker.ts), so parsing, joining and crosswalks never
 * freeze the page; progress comes back as it happens. When no worker can start, the same job
 * runs on the main thread (only the page waits).
 */
import type { BoundarySet } from '../data/boundaries';
import type { LoadProgress } from '../data/bundle';
import type { Dataset } from '../data/dataset';
import { InputError } from '../data/errors';
import type { GeoContext } from '../data/geoContext';
import { addressProblem } from '../data/limits';
import { fromWireError, unpackDataset, withReused, type LoadReply, type LoadRequest } from './loadMessages';

/** `onFirstYear` receives a dataset of the latest year alone, before the other years are read. */
type FirstYear = (partial: Dataset) => void;
type Progress = (p: LoadProgress) => void;

let signalFirstPaint: () => void = () => undefined;
/** Resolved by the app when the map has first been painted; the other years are parsed after it. */
const firstPaint = new Promise<void>((resolve) => (signalFirstPaint = resolve));
export function mapPainted(): void {
  signalFirstPaint();
}

/** Where loads ran and the steps they reported, in order (read by the test build's hooks). */
export const loadRunnerInfo = { ranIn: [] as ('worker' | 'main thread')[], progress: [] as string[] };

/** The geographic context the loading job found for a boundary set (by the set itself: a new load brings new sets). */
const contexts = new WeakMap<BoundarySet, GeoContext>();
const contextListeners = new Set<() => void>();

/** The context found with `boundaries` when they were loaded, or null (not yet, or not from a load). */
export function loadedContext(boundaries: BoundarySet): GeoContext | null {
  return contexts.get(boundaries) ?? null;
}

/** Hear each context as it arrives; returns the unsubscribe. */
export function onLoadedContext(listener: () => void): () => void {
  contextListeners.add(listener);
  return () => contextListeners.delete(listener);
}

type JobRequest = Exclude<LoadRequest, { kind: 'continue' }>;
/** A request before it has its id (distributed over the kinds). */
type NewRequest = JobRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
interface Job {
  readonly request: JobRequest;
  readonly continueAfter: Promise<unknown>;
  onReply(reply: LoadReply): void;
  /** Set once a reply has arrived: a job is never run twice after that. */
  answered: boolean;
}

let worker: Worker | null | undefined;
const jobs = new Map<number, Job>();
let nextJob = 1;

function onMainThread(job: Job): void {
  loadRunnerInfo.ranIn.push('main thread');
  void import('./loadJob').then(({ runLoad }) => runLoad(job.request, (reply) => job.onReply(reply), job.continueAfter));
}

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  // Test builds only: `?load-on-main-thread` runs the jobs here, for the benchmark's comparison.
  if (import.meta.env.MODE === 'test' && new URLSearchParams(window.location.search).has('load-on-main-thread')) return (worker = null);
  try {
    worker = new Worker(new URL('./loadWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<LoadReply>) => {
      const job = jobs.get(e.data.id);
      if (!job) return;
      job.answered = true;
      job.onReply(e.data);
    };
    // The worker's script could not be loaded (or it died): its jobs go on the main thread.
    worker.onerror = (e) => {
      e.preventDefault();
      worker = null;
      for (const job of jobs.values()) if (!job.answered) onMainThread(job);
    };
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * With no job left, the loading worker is ended: its heap (the downloaded files as text, the parsed
 * tables before packing: hundreds of MB for a national bundle) goes back to the system at once
 * instead of staying with an idle worker. The next load starts a new one.
 */
function releaseWorker(): void {
  if (jobs.size > 0 || !worker) return;
  worker.terminate();
  worker = undefined;
}

function run(request: NewRequest, options: { onProgress?: Progress; onFirstYear?: FirstYear; continueAfter?: Promise<unknown> }): Promise<Dataset> {
  const id = nextJob++;
  const full = { ...request, id } as JobRequest;
  return new Promise<Dataset>((resolve, reject) => {
    let first: Dataset | null = null;
    let final: Dataset | null = null;
    const job: Job = {
      request: full,
      continueAfter: options.continueAfter ?? Promise.resolve(),
      answered: false,
      onReply: (reply) => {
        if (reply.kind === 'progress') {
          if (loadRunnerInfo.progress.length < 1000) loadRunnerInfo.progress.push(reply.progress.text);
          options.onProgress?.(reply.progress);
        } else if (reply.kind === 'first-year') {
          first = unpackDataset(reply.dataset);
          options.onFirstYear?.(first);
        } else if (reply.kind === 'context') {
          const set = (final ?? first)?.boundaries.get(reply.key);
          if (set) {
            contexts.set(set, reply.context);
            for (const l of contextListeners) l();
          }
        } else if (reply.kind === 'finished') {
          jobs.delete(id);
          releaseWorker();
        } else if (reply.kind === 'done') {
          final = withReused(unpackDataset(reply.dataset), reply.reused, first);
          resolve(final);
        } else {
          jobs.delete(id);
          releaseWorker();
          reject(fromWireError(reply.error));
        }
      },
    };
    jobs.set(id, job);
    const w = startWorker();
    if (!w) return onMainThread(job);
    try {
      w.postMessage(full);
    } catch {
      return onMainThread(job);
    }
    loadRunnerInfo.ranIn.push('worker');
    void job.continueAfter.then(() => worker?.postMessage({ id, kind: 'continue' } satisfies LoadRequest));
  });
}

export function loadDemo(onFirstYear?: FirstYear, onProgress?: Progress): Promise<Dataset> {
  return run({ kind: 'demo' }, { onFirstYear, onProgress, continueAfter: onFirstYear && firstPaint });
}

/** The bundle folder a `?data=` value names, or an InputError saying why it cannot be loaded. */
export function bundleBase(url: string): URL {
  const problem = addressProblem(url);
  if (problem) {
    throw new InputError({ file: `?data=${url.slice(0, 80)}${url.length > 80 ? '…' : ''}`, problem, expected: 'the address of a tractmix bundle folder (http, https or a path on this site)', action: 'Fix the ?data= part of the address.' });
  }
  try {
    return new URL(url.endsWith('/') || url.endsWith('.json') ? url : url + '/', window.location.href);
  } catch {
    throw new InputError({ file: `?data=${url.slice(0, 80)}`, problem: 'this is not a web address', expected: 'the address of a tractmix bundle folder', action: 'Fix the ?data= part of the address.' });
  }
}

export async function loadBundleFromUrl(url: string, onFirstYear?: FirstYear, onProgress?: Progress): Promise<Dataset> {
  const base = bundleBase(url);
  return run({ kind: 'url', base: base.href }, { onFirstYear, onProgress, continueAfter: onFirstYear && firstPaint });
}

/** A dataset from files the user opened (or a bundle's files held in memory), read in the worker. */
export function loadFiles(files: readonly { name: string; bytes: Uint8Array }[], onProgress?: Progress): Promise<Dataset> {
  return run({ kind: 'files', files }, { onProgress });
}

interface Loading {
  readonly firstYear: Promise<Dataset>;
  readonly full: Promise<Dataset>;
  /** Hear the load's progress; the latest step is replayed at once. Returns the unsubscribe. */
  onProgress(listener: Progress): () => void;
}

const started = new Map<string, Loading>();

/**
 * Start (or join) loading a dataset: `null` = the embedded demo, else a bundle URL. main.tsx
 * calls this before React mounts, so the requests go out before the map's start-up takes the
 * main thread; the app then joins the same promises.
 */
export function startLoading(data: string | null): Loading {
  const key = data ?? '';
  let entry = started.get(key);
  if (!entry) {
    let resolveFirst!: (d: Dataset) => void;
    const firstYear = new Promise<Dataset>((resolve) => (resolveFirst = resolve));
    const listeners = new Set<Progress>();
    let latest: LoadProgress | null = null;
    const progress = (p: LoadProgress) => {
      latest = p;
      for (const l of listeners) l(p);
    };
    const full = data ? loadBundleFromUrl(data, resolveFirst, progress) : loadDemo(resolveFirst, progress);
    // Handled by the app, which may join only after a refused address has already failed.
    full.catch(() => undefined);
    entry = {
      firstYear,
      full,
      onProgress(listener) {
        listeners.add(listener);
        if (latest) listener(latest);
        return () => listeners.delete(listener);
      },
    };
    started.set(key, entry);
  }
  return entry;
}
