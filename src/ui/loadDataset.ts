/** Loading datasets in the browser: the embedded demo bundle, or a bundle at a URL (`?data=`). */
import { loadBundle } from '../data/bundle';
import { datasetFromBundle, type Dataset } from '../data/dataset';
import { InputError } from '../data/errors';
import { addressProblem, FETCH_TIMEOUT_SECONDS } from '../data/limits';

// The demo bundle is part of the app build (made by `npm run demo` into data/demo).
const demoFiles = import.meta.glob('/data/demo/*.{json,topojson,csv,geojson}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

/** `onFirstYear` receives a dataset of the latest year alone, before the other years are read. */
type FirstYear = (partial: Dataset) => void;

let signalFirstPaint: () => void = () => undefined;
/** Resolved by the app when the map has first been painted; the other years are parsed after it. */
const firstPaint = new Promise<void>((resolve) => (signalFirstPaint = resolve));
export function mapPainted(): void {
  signalFirstPaint();
}

export async function loadDemo(onFirstYear?: FirstYear): Promise<Dataset> {
  return datasetFromBundle(
    await loadBundle(
      async (file) => {
        const load = demoFiles[`/data/demo/${file}`];
        if (!load) throw new InputError({ file: `data/demo/${file}`, problem: 'the demo bundle is missing from this build', action: 'Run `npm run demo` and rebuild.' });
        return load();
      },
      onFirstYear && ((b) => onFirstYear(datasetFromBundle(b))),
      onFirstYear && firstPaint,
    ),
  );
}

/**
 * The text of one bundle file, or an InputError naming it: the server did not answer or stalled
 * for FETCH_TIMEOUT_SECONDS (the timer restarts with every chunk, so a big file on a slow link
 * still loads), the connection dropped, or the server answered with an error.
 */
async function fetchText(target: URL): Promise<string> {
  const controller = new AbortController();
  let timer = 0;
  let stalled = false;
  const arm = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
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
    window.clearTimeout(timer);
    throw failed(e, 'before it answered');
  }
  if (!response.ok) {
    window.clearTimeout(timer);
    throw new InputError({ file: target.href, problem: `the server answered ${response.status} ${response.statusText}`, expected: 'a tractmix bundle folder (bundle.json beside its files)', action: 'Check the ?data= address.' });
  }
  try {
    if (!response.body) return await response.text();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      arm();
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (e) {
    throw failed(e, 'while sending the file');
  } finally {
    window.clearTimeout(timer);
  }
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

export async function loadBundleFromUrl(url: string, onFirstYear?: FirstYear): Promise<Dataset> {
  const base = bundleBase(url);
  return datasetFromBundle(
    await loadBundle((file) => fetchText(new URL(file, base)), onFirstYear && ((b) => onFirstYear(datasetFromBundle(b, base))), onFirstYear && firstPaint),
    base,
  );
}

const started = new Map<string, { firstYear: Promise<Dataset>; full: Promise<Dataset> }>();

/**
 * Start (or join) loading a dataset: `null` = the embedded demo, else a bundle URL. main.tsx
 * calls this before React mounts, so the requests go out before the map's start-up takes the
 * main thread; the app then joins the same promises.
 */
export function startLoading(data: string | null): { firstYear: Promise<Dataset>; full: Promise<Dataset> } {
  const key = data ?? '';
  let entry = started.get(key);
  if (!entry) {
    let resolveFirst!: (d: Dataset) => void;
    const firstYear = new Promise<Dataset>((resolve) => (resolveFirst = resolve));
    const full = data ? loadBundleFromUrl(data, resolveFirst) : loadDemo(resolveFirst);
    // Handled by the app, which may join only after a refused address has already failed.
    full.catch(() => undefined);
    entry = { firstYear, full };
    started.set(key, entry);
  }
  return entry;
}
