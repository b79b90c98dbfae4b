/**
 * Downloads that survive real networks: a timeout per attempt, retries with exponential back-off
 * on timeouts, dropped connections, HTTP 429 (honouring Retry-After) and 5xx, a size limit, and
 * a cache keyed by the URL (without its API key) so that an interrupted fetch resumes where it
 * stopped. Works with any `fetch` (node 20 and browsers); the cache is given by the caller (files
 * in the CLI, memory in the app).
 */
import { InputError } from '../errors';
import { withoutKey } from './releases';

export interface DownloadCache {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface DownloadResult {
  readonly url: string;
  readonly status: number;
  readonly bytes: Uint8Array;
  readonly fromCache: boolean;
  readonly attempts: number;
  readonly retrievedAt: string;
}

export type DownloadEvent =
  | { kind: 'start'; url: string; label: string }
  | { kind: 'cached'; url: string; label: string; bytes: number }
  | { kind: 'retry'; url: string; label: string; attempt: number; delayMs: number; why: string }
  | { kind: 'done'; url: string; label: string; bytes: number; status: number };

export interface DownloaderOptions {
  readonly fetch: typeof fetch;
  readonly cache?: DownloadCache;
  /** Attempts in all (default 5). */
  readonly attempts?: number;
  /** First back-off delay; doubles each retry (default 1 s). */
  readonly baseDelayMs?: number;
  /** Longest wait for one attempt, headers and body (default 120 s). */
  readonly timeoutMs?: number;
  /** Largest answer accepted (default 512 MiB: a whole state's tract boundaries are ~10 MB). */
  readonly maxBytes?: number;
  readonly onEvent?: (e: DownloadEvent) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DOWNLOAD_DEFAULTS = { attempts: 5, baseDelayMs: 1000, timeoutMs: 120_000, maxBytes: 512 * 1024 * 1024 } as const;

export type Download = (url: string, label: string) => Promise<DownloadResult>;

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return Math.min(s, 300) * 1000;
  const t = Date.parse(header);
  return Number.isFinite(t) ? Math.max(0, Math.min(t - Date.now(), 300_000)) : null;
}

async function readBody(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new InputError({ file: url, problem: `the answer is ${declared} bytes, over the ${maxBytes}-byte limit`, action: 'Ask for fewer counties at once.' });
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new InputError({ file: url, problem: `the answer is over the ${maxBytes}-byte limit`, action: 'Ask for fewer counties at once.' });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A downloader with the options' retries, cache and limits. */
export function makeDownloader(options: DownloaderOptions): Download {
  const attempts = Math.max(1, options.attempts ?? DOWNLOAD_DEFAULTS.attempts);
  const base = options.baseDelayMs ?? DOWNLOAD_DEFAULTS.baseDelayMs;
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? DOWNLOAD_DEFAULTS.maxBytes;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const emit = options.onEvent ?? (() => {});
  return async (url, label) => {
    const key = withoutKey(url);
    const cached = await options.cache?.get(key);
    if (cached) {
      emit({ kind: 'cached', url: key, label, bytes: cached.length });
      return { url: key, status: 200, bytes: cached, fromCache: true, attempts: 0, retrievedAt: new Date().toISOString() };
    }
    emit({ kind: 'start', url: key, label });
    let lastWhy = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let delay: number | null = null;
      try {
        const response = await options.fetch(url, { signal: controller.signal });
        if (retryable(response.status)) {
          lastWhy = `HTTP ${response.status}`;
          delay = retryAfterMs(response.headers.get('retry-after'));
          // Read the (short) error body rather than cancel it: a cancelled request is logged as failed.
          await response.arrayBuffer().catch(() => undefined);
        } else {
          const bytes = await readBody(response, maxBytes, key);
          if (response.status === 200 && bytes.length > 0) await options.cache?.put(key, bytes);
          emit({ kind: 'done', url: key, label, bytes: bytes.length, status: response.status });
          return { url: key, status: response.status, bytes, fromCache: false, attempts: attempt, retrievedAt: new Date().toISOString() };
        }
      } catch (e) {
        if (e instanceof InputError) throw e;
        lastWhy = controller.signal.aborted ? `no complete answer within ${Math.round(timeoutMs / 1000)} s` : `the connection failed (${(e as Error).message || String(e)})`;
      } finally {
        clearTimeout(timer);
      }
      if (attempt < attempts) {
        const wait = delay ?? base * 2 ** (attempt - 1);
        emit({ kind: 'retry', url: key, label, attempt, delayMs: wait, why: lastWhy });
        await sleep(wait);
      }
    }
    throw new InputError({
      file: key,
      problem: `${label}: no usable answer after ${attempts} tries (last: ${lastWhy})`,
      action: 'Check the network connection and try again later: files already downloaded are cached and will not be fetched again.',
    });
  };
}

/** A cache in memory (the app: a session's downloads). */
export function memoryCache(): DownloadCache {
  const store = new Map<string, Uint8Array>();
  return {
    get: async (k) => store.get(k) ?? null,
    put: async (k, b) => void store.set(k, b),
  };
}
