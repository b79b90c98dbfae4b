/**
 * The layers of the bundle the app opened from its address (the embedded demo, or `?data=`):
 * `bundle.json`'s "areas" and "points" entries and their files, read after the map is drawn so
 * they never delay the tracts.
 */
import { BUNDLE_META_FILE, parseBundleMeta } from '../data/bundle';
import { InputError } from '../data/errors';
import { NO_LAYERS, readBundleLayers, type LoadedLayers } from '../data/layerFiles';
import { bundleBase } from './loadDataset';

const demoFiles = import.meta.glob('/data/demo/*.{json,geojson}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

async function fetchLayerText(url: URL): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new InputError({ file: url.href, problem: `could not be loaded (${(e as Error).message})`, action: 'Check the connection and reload the page; the map works without the layer.' });
  }
  if (!response.ok) throw new InputError({ file: url.href, problem: `the server answered ${response.status} ${response.statusText}`, expected: 'the layer file bundle.json lists', action: 'Rebuild the bundle with `tractmix build --areas … --points …`.' });
  return response.text();
}

/** `data`: the `?data=` address, or null for the embedded demo. */
export async function loadBundleLayers(data: string | null): Promise<LoadedLayers> {
  let getText: (file: string) => Promise<string>;
  if (data === null) {
    getText = async (file) => {
      const load = demoFiles[`/data/demo/${file}`];
      if (!load) throw new InputError({ file: `data/demo/${file}`, problem: 'the demo bundle lists this layer but it is missing from this build', action: 'Run `npm run demo` and rebuild.' });
      return load();
    };
  } else {
    const base = bundleBase(data);
    getText = (file) => fetchLayerText(new URL(file, base));
  }
  const meta = parseBundleMeta(BUNDLE_META_FILE, await getText(BUNDLE_META_FILE));
  if (!meta.areas && !meta.points?.length) return NO_LAYERS;
  return readBundleLayers(meta, getText);
}
