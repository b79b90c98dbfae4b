/**
 * The analysis worker: the work after the map is drawn (analysisJob.ts) off the main thread, so the
 * page keeps answering while 85,000 tracts are sampled or their county lines found. Jobs run one at
 * a time, in the order they arrive; a job's tracts may come first in several `part` messages.
 */
import { runAnalysisJob } from './analysisJob';
import type { AnalysisReply, AnalysisRequest } from './analysisMessages';
import type { BoundaryFeature } from '../data/boundaries';
import { toWireError } from './loadMessages';

const parts = new Map<number, BoundaryFeature[]>();
const post = (reply: AnalysisReply, transfer: ArrayBuffer[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<AnalysisRequest>) => {
  const r = e.data;
  if (r.kind === 'part') {
    const got = parts.get(r.id) ?? [];
    for (const f of r.tracts) got.push(f);
    parts.set(r.id, got);
    return;
  }
  const job = r.job.kind === 'context' ? { ...r.job, tracts: parts.get(r.id) ?? [] } : r.job;
  parts.delete(r.id);
  queue = queue.then(async () => {
    try {
      const { result, transfer } = await runAnalysisJob(job, (text) => post({ id: r.id, kind: 'progress', text }));
      post({ id: r.id, kind: 'result', result }, transfer);
    } catch (err) {
      post({ id: r.id, kind: 'error', error: toWireError(err) });
    }
  });
};
