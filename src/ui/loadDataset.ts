/** Loading datasets in the browser: the embedded demo bundle, or a bundle at a URL (`?data=`). */
import { loadBundle } from '../data/bundle';
import { datasetFromBundle, type Dataset } from '../data/dataset';
import { InputError } from '../data/errors';

// The demo bundle is part of the app build (made by `npm run demo` into data/demo).
const demoFiles = import.meta.glob('/data/demo/*.{json,topojson,csv}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

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

export async function loadBundleFromUrl(url: string, onFirstYear?: FirstYear): Promise<Dataset> {
  const base = new URL(url.endsWith('/') || url.endsWith('.json') ? url : url + '/', window.location.href);
  return datasetFromBundle(
    await loadBundle(async (file) => {
      const target = new URL(file, base);
      let response: Response;
      try {
        response = await fetch(target);
      } catch (e) {
        throw new InputError({ file: target.href, problem: `could not be fetched (${(e as Error).message})`, action: 'Check the ?data= address; the server must allow this page to read it.' });
      }
      if (!response.ok) {
        throw new InputError({ file: target.href, problem: `the server answered ${response.status} ${response.statusText}`, expected: 'a tractmix bundle folder (bundle.json beside its files)', action: 'Check the ?data= address.' });
      }
      return response.text();
    }, onFirstYear && ((b) => onFirstYear(datasetFromBundle(b, base))), onFirstYear && firstPaint),
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
    entry = { firstYear, full };
    started.set(key, entry);
  }
  return entry;
}
