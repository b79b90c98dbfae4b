/**
 * The loading worker: reads and parses bundles and opened files (TopoJSON, CSV, income columns,
 * shapefiles), joins them and computes area crosswalks off the main thread, streaming progress
 * (loadJob.ts). One job per request; a `continue` message lets a job go on past its first year.
 */
import { runLoad } from './loadJob';
import type { LoadReply, LoadRequest } from './loadMessages';

const continues = new Map<number, () => void>();

self.onmessage = (e: MessageEvent<LoadRequest>) => {
  const request = e.data;
  if (request.kind === 'continue') {
    continues.get(request.id)?.();
    continues.delete(request.id);
    return;
  }
  const continueAfter = new Promise<void>((resolve) => continues.set(request.id, resolve));
  const post = (reply: LoadReply, transfer: ArrayBuffer[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
  void runLoad(request, post, continueAfter).finally(() => continues.delete(request.id));
};
