/**
 * The analysis worker: the work after the map is drawn (analysisJob.ts) off the main thread, so the
 * page keeps answering while 85,000 tracts are sampled. Jobs run one at a time, in the order they
 * arrive.
 */
import { runAnalysisJob } from './analysisJob';
import type { AnalysisReply, AnalysisRequest } from './analysisMessages';
import { toWireError } from './loadMessages';

const post = (reply: AnalysisReply, transfer: ArrayBuffer[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<AnalysisRequest>) => {
  const r = e.data;
  const job = r.job;
  queue = queue.then(async () => {
    try {
      const { result, transfer } = await runAnalysisJob(job, (text) => post({ id: r.id, kind: 'progress', text }));
      post({ id: r.id, kind: 'result', result }, transfer);
    } catch (err) {
      post({ id: r.id, kind: 'error', error: toWireError(err) });
    }
  });
};
