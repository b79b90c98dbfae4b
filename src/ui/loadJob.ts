/**
 * Loading a dataset, as one job that reports what it is doing: the embedded demo, a bundle at a
 * URL, or the files a user opened. It runs in the loading worker (loadWorker.ts), or on the main
 * thread when no worker can start (loadDataset.ts); either way it speaks through `post` with the
 * messages below, which survive structured cloning (an InputError travels as its problem).
 */
import { loadBundle, sizeText, type Bundle, type LoadProgress } from '../data/bundle';
import { datasetFromBundle, withAreaCrosswalks, type Dataset } from '../data/dataset';
import { InputError } from '../data/errors';
import { geoContext, type GeoContext } from '../data/geoContext';
import { FETCH_TIMEOUT_SECONDS } from '../data/limits';
import { packDataset, toWireError, type LoadReply, type LoadRequest, type Reused } from './loadMessages';

// The demo bundle is part of the app build (made by `npm run demo` into data/demo).
const demoFiles = import.meta.glob('/data/demo/*.{json,topojson,csv}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

/** Progress of one download at most this often (ms), and at its end. */
const DOWNLOAD_PROGRESS_MS = 150;

/**
 * The bytes of one bundle file, or an InputError naming it: the server did not answer or stalled
 * for FETCH_TIMEOUT_SECONDS (the timer restarts with every chunk, so a big file on a slow link
 * still loads), the connection dropped, or the server answered with an error.
 */
export async function fetchBytes(target: URL, onProgress?: (received: number, total: number | null) => void): Promise<Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, FETCH_TIMEOUT_SECONDS * 1000);
  };
  const failed = (e: unknown, during: string) =>
    new InputError({
      file: target.href,
      problem: stalled
        ? `the server sent nothing for ${FETCH_TIMEOUT_SECONDS} s ${during}`
        : `the connection failed ${during} (${(e as Error).message || String(e)}): the server is unreachable, the connection dropped, or the server does not allow this page to read it (CORS)`,
      action: 'Check the ?data= address and your connection, then reload the page.',
    });
  arm();
  let response: Response;
  try {
    response = await fetch(target, { signal: controller.signal });
  } catch (e) {
    clearTimeout(timer);
    throw failed(e, 'before it answered');
  }
  if (!response.ok) {
    clearTimeout(timer);
    throw new InputError({ file: target.href, problem: `the server answered ${response.status} ${response.statusText}`, expected: 'a tractmix bundle folder (bundle.json beside its files)', action: 'Check the ?data= address.' });
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : null;
  try {
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    let reported = 0;
    for (;;) {
      arm();
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      const now = Date.now();
      if (onProgress && now - reported >= DOWNLOAD_PROGRESS_MS) {
        reported = now;
        onProgress(received, total);
      }
    }
    onProgress?.(received, total);
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  } catch (e) {
    throw failed(e, 'while sending the file');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run one load request. `continueAfter` resolves when the main thread has drawn the first year
 * (the other years are parsed after it, so the first map does not share the CPU with them).
 */
export async function runLoad(
  request: Exclude<LoadRequest, { kind: 'continue' }>,
  post: (reply: LoadReply, transfer?: ArrayBuffer[]) => void,
  continueAfter: Promise<unknown>,
): Promise<void> {
  /** Datasets go packed (typed arrays, moved): see packDataset. */
  const postDataset = (kind: 'first-year' | 'done', d: Dataset, reused: Reused) => {
    const { dataset, transfer } = packDataset(d);
    post(kind === 'done' ? { id, kind, dataset, reused } : { id, kind, dataset }, transfer);
  };
  const { id } = request;
  /**
   * The geographic context (county lines and names, tract numbers) of each boundary set, found
   * here where the polygons already are, so that the map draws it with the tracts instead of
   * repainting once more after them (issue 8) and the polygons are not copied to another worker.
   */
  const contextsDone = new Set<string>();
  const postContexts = (d: Dataset) => {
    for (const [key, set] of d.boundaries) {
      if (contextsDone.has(key)) continue;
      contextsDone.add(key);
      let context: GeoContext;
      try {
        context = geoContext(set.features);
      } catch (e) {
        // The tracts are drawn and analysed without it; the console says which boundaries and why.
        console.warn(`County lines and names are not drawn for the boundaries "${key}": ${(e as Error).message}`);
        continue;
      }
      post({ id, kind: 'context', key, context });
    }
  };
  let last = '';
  /** The file the loader is waiting for: only its download is reported then (not the others'). */
  let waitingFor: string | null = null;
  const progress = (p: LoadProgress) => {
    waitingFor = p.waitingFor ?? null;
    if (p.text === last) return;
    last = p.text;
    post({ id, kind: 'progress', progress: p });
  };
  const downloadProgress = (file: string, p: LoadProgress) => {
    if (waitingFor !== null && waitingFor !== file) return;
    progress({ ...p, ...(waitingFor ? { waitingFor } : {}) });
  };
  try {
    let dataset: Dataset;
    if (request.kind === 'files') {
      progress({ text: `reading ${request.files.length} file${request.files.length === 1 ? '' : 's'} (${sizeText(request.files.reduce((s, f) => s + f.bytes.byteLength, 0))})` });
      // File readers (shapefile, zip, proj4) load only when someone opens files.
      const { datasetFromFiles } = await import('../data/datasetFromFiles');
      dataset = await datasetFromFiles(request.files, progress);
    } else {
      const base = request.kind === 'url' ? new URL(request.base) : null;
      const getFile = async (file: string): Promise<string | Uint8Array> => {
        if (!base) {
          const load = demoFiles[`/data/demo/${file}`];
          if (!load) throw new InputError({ file: `data/demo/${file}`, problem: 'the demo bundle is missing from this build', action: 'Run `npm run demo` and rebuild.' });
          return load();
        }
        return fetchBytes(new URL(file, base), (received, total) =>
          downloadProgress(file, { text: `reading ${file} ${total ? `${sizeText(received)} of ${sizeText(total)}` : sizeText(received)}`, ...(total ? { done: received, total } : {}) }),
        );
      };
      let reused: Reused = { boundaries: [], tiles: [], years: [] };
      const bundle: Bundle = await loadBundle(getFile, {
        onProgress: progress,
        continueAfter,
        onFirstYear: (partial) => {
          const first = datasetFromBundle(partial, base ?? undefined);
          reused = { boundaries: [...partial.boundaries.keys()], tiles: [...partial.tiled.keys()], years: partial.meta.years.map((y) => y.year) };
          postDataset('first-year', first, reused);
          postContexts(first);
        },
      });
      const units = Math.max(0, ...bundle.tables.map((t) => t.units.length));
      progress({ text: `joining ${units.toLocaleString('en-US')} tracts to their boundaries (${bundle.tables.length} year${bundle.tables.length === 1 ? '' : 's'})` });
      dataset = withAreaCrosswalks(datasetFromBundle(bundle, base ?? undefined), (from, to, done, total) =>
        progress({ text: `crosswalk ${from}→${to}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} tracts`, done, total }),
      );
      postDataset('done', withoutReused(dataset, reused), reused);
      postContexts(dataset);
      return;
    }
    dataset = withAreaCrosswalks(dataset, (from, to, done, total) =>
      progress({ text: `crosswalk ${from}→${to}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} tracts`, done, total }),
    );
    postDataset('done', dataset, { boundaries: [], tiles: [], years: [] });
    postContexts(dataset);
  } catch (e) {
    post({ id, kind: 'error', error: toWireError(e) });
  } finally {
    post({ id, kind: 'finished' });
  }
}

/** The dataset without what the first-year message already carried (put back by `withReused`). */
function withoutReused(d: Dataset, reused: Reused): Dataset {
  return {
    ...d,
    boundaries: new Map([...d.boundaries].filter(([k]) => !reused.boundaries.includes(k))),
    tiles: d.tiles && new Map([...d.tiles].filter(([k]) => !reused.tiles.includes(k))),
    years: d.years.map((y) => (reused.years.includes(y.year) ? { ...y, table: null as unknown as typeof y.table } : y)),
  };
}

