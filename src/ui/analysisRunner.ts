/**
 * Runs analysis jobs (analysisJob.ts) in the analysis worker, so the page keeps answering; falls
 * back to the main thread when the worker cannot start or dies (the result is the same, only the
 * page waits).
 */
import { timedInto } from './mainThreadTime';
import type { AnalysisJob, AnalysisKind, AnalysisReply, AnalysisRequest, AnalysisResults, PackedUncertainty } from './analysisMessages';
import { unpackUncertainty } from './analysisMessages';
import { fromWireError } from './loadMessages';

/**
 * Where each kind of job ran, in order, and the ms the jobs took on the main thread: running there,
 * or sending their data and unpacking their results (read by the test build's hooks and the benchmark).
 */
/** What the jobs did (test hooks and the benchmark read it); `waiting` counts jobs asked for and not yet settled, including those still waiting for their start. */
export const analysisRunnerInfo = { ranIn: { uncertainty: [], udp: [] } as Record<AnalysisKind, ('worker' | 'main thread')[]>, mainThreadMs: 0, waiting: 0 };

const timed = <T,>(f: () => T): T => timedInto(analysisRunnerInfo, f);

interface Pending {
  readonly job: AnalysisJob;
  onProgress(text: string): void;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

let worker: Worker | null | undefined;
// Test builds only: `?analysis-on-main-thread` runs the jobs here, for the benchmark's comparison
// (read at start: the app soon rewrites the address without it).
export const onMainThreadForTests = import.meta.env.MODE === 'test' && new URLSearchParams(window.location.search).has('analysis-on-main-thread');
const pending = new Map<number, Pending>();
let nextId = 1;

function onMainThread(p: Pending): void {
  analysisRunnerInfo.ranIn[p.job.kind].push('main thread');
  void import('./analysisJob')
    .then(async ({ runAnalysisJob }) => {
      const t0 = performance.now();
      try {
        return await runAnalysisJob(p.job, p.onProgress);
      } finally {
        analysisRunnerInfo.mainThreadMs += performance.now() - t0;
      }
    })
    .then(({ result }) => p.resolve(result), (e: Error) => p.reject(e));
}

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (import.meta.env.MODE === 'test' && onMainThreadForTests) return (worker = null);
  try {
    worker = new Worker(new URL('./analysisWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<AnalysisReply>) => {
      const reply = e.data;
      const p = pending.get(reply.id);
      if (!p) return;
      if (reply.kind === 'progress') return p.onProgress(reply.text);
      pending.delete(reply.id);
      if (reply.kind === 'result') p.resolve(reply.result);
      else p.reject(fromWireError(reply.error));
    };
    // The worker's script could not be loaded (or it died): its jobs go on the main thread.
    worker.onerror = (e) => {
      e.preventDefault();
      worker = null;
      const left = [...pending.values()];
      pending.clear();
      for (const p of left) onMainThread(p);
    };
  } catch {
    worker = null;
  }
  return worker;
}

/** Run one job; `onProgress` hears each step ("sampling the margins of error: 500 / 1,983 tracts"). */
export async function runAnalysis<K extends AnalysisKind>(job: Extract<AnalysisJob, { kind: K }>, onProgress: (text: string) => void = () => undefined): Promise<AnalysisResults[K]> {
  const raw = await new Promise<unknown>((resolve, reject) => {
    const p: Pending = { job, onProgress, resolve, reject };
    const w = startWorker();
    if (!w) return onMainThread(p);
    const id = nextId++;
    pending.set(id, p);
    try {
      timed(() => w.postMessage({ id, kind: 'job', job } satisfies AnalysisRequest));
      analysisRunnerInfo.ranIn[job.kind].push('worker');
    } catch {
      // The data could not be sent (a value the structured clone refuses): run it here.
      pending.delete(id);
      onMainThread(p);
    }
  });
  return (job.kind === 'uncertainty' ? timed(() => unpackUncertainty(raw as PackedUncertainty | null)) : raw) as AnalysisResults[K];
}
