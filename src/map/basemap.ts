/**
 * The basemap: a free, key-less, openly licensed vector style laid around the tracts, fetched only
 * when online and never in the way of the tracts. The map always starts on the offline style and
 * draws the tracts at once; the basemap's layers are added afterwards, split so that land and
 * parks lie under the tract fill and water, roads, boundaries and labels lie over it (a reader keeps
 * the streets and names; a lake never reads as data). When the style cannot be fetched in time,
 * the tracts stay as they are and the caller shows one quiet note.
 *
 * Choice (README "Basemap"): OpenFreeMap's Positron ("light") and Liberty ("streets") styles —
 * no key, no registration, no request limits, open-source hosting and styles, OpenStreetMap data
 * (ODbL) on OpenMapTiles' schema; attribution "© OpenMapTiles © OpenStreetMap contributors" comes
 * with the style's source and is shown in the map's attribution control.
 */
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { addressProblem } from '../data/limits';

export const BASEMAPS = {
  light: { label: 'Light', url: 'https://tiles.openfreemap.org/styles/positron' },
  streets: { label: 'Streets', url: 'https://tiles.openfreemap.org/styles/liberty' },
} as const;

export type BasemapName = keyof typeof BASEMAPS;
/** `none`, a named style, or the URL of any maplibre style (`?basemap=`). */
export type BasemapChoice = 'none' | BasemapName | string;
export const DEFAULT_BASEMAP: BasemapChoice = 'light';

/** Attribution added when a style's sources carry none (OpenStreetMap's licence requires it). */
export const OSM_ATTRIBUTION = '© <a href="https://openmaptiles.org/">OpenMapTiles</a> © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>';

/** How long the style may take before the map settles for the offline context. */
export const STYLE_TIMEOUT_MS = 8000;

/** Prefix of every basemap source and layer id in the tract map's style. */
export const BASEMAP_PREFIX = 'bm-';

/**
 * The style URL of a choice, or an explanation of why there is none. Only http(s) addresses are
 * fetched (a `data:` or `javascript:` value is refused, not run); relative ones resolve against the page.
 */
export function basemapUrl(choice: BasemapChoice | null, base: string): { url: string | null; problem?: string } {
  const c = choice ?? DEFAULT_BASEMAP;
  if (c === 'none') return { url: null };
  if (c in BASEMAPS) return { url: BASEMAPS[c as BasemapName].url };
  let url: URL;
  try {
    url = new URL(c, base);
  } catch {
    return { url: null, problem: `the basemap "${c}" is not a style address` };
  }
  const refused = addressProblem(c);
  if (refused) return { url: null, problem: refused };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url: null, problem: `the basemap must be an http(s) address (got ${url.protocol})` };
  return { url: url.href };
}

export type BasemapPlace = 'below' | 'water' | 'roads' | 'labels';

const WATER = /water|ocean|lake|river/i;
const ROADS = /road|street|highway|transport|bridge|tunnel|rail|aeroway|boundary|admin|path/i;

/**
 * Where a basemap layer goes relative to the tracts: land, landuse, parks, buildings and the
 * background under the fill; water over it (lakes and rivers are never mistaken for tracts);
 * roads and boundaries over the fill; every symbol (names, road shields) at the very top.
 */
export function basemapPlace(layer: LayerSpecification): BasemapPlace {
  if (layer.type === 'symbol') return 'labels';
  if (layer.type === 'background' || layer.type === 'raster' || layer.type === 'hillshade' || layer.type === 'fill-extrusion') return 'below';
  const sourceLayer = 'source-layer' in layer ? (layer['source-layer'] ?? '') : '';
  const name = `${layer.id} ${sourceLayer}`;
  if ((layer.type === 'fill' || layer.type === 'line') && WATER.test(name) && !/landcover|park/i.test(name)) return 'water';
  if (layer.type === 'line' && ROADS.test(name)) return 'roads';
  return 'below';
}

export interface PreparedBasemap {
  sources: Record<string, SourceSpecification>;
  layers: { layer: LayerSpecification; place: BasemapPlace }[];
  glyphs?: string;
  sprite?: StyleSpecification['sprite'];
  /** The font stack the style's labels use, for tractmix's own labels on the same glyphs. */
  font?: string[];
}

/** Resolve a URL the style gives relative to the style's own address. */
function absolute(url: string, base: string): string {
  try {
    // Keep the {z}/{x}/{y}, {fontstack} and {range} tokens that URL() would percent-encode.
    return new URL(url, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
  } catch {
    return url;
  }
}

/**
 * A fetched style, ready to be merged: ids prefixed, relative URLs resolved, the background left
 * out (the offline background stays), and each layer's place. Throws on what is not a style.
 */
export function prepareBasemap(style: unknown, styleUrl: string): PreparedBasemap {
  const s = style as Partial<StyleSpecification> | null;
  if (!s || typeof s !== 'object' || s.version !== 8 || typeof s.sources !== 'object' || !Array.isArray(s.layers)) {
    throw new Error('not a maplibre style (version 8 with sources and layers)');
  }
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, src] of Object.entries(s.sources)) {
    const copy = { ...src } as SourceSpecification & { url?: string; tiles?: string[]; data?: unknown; attribution?: string };
    if (typeof copy.url === 'string') copy.url = absolute(copy.url, styleUrl);
    if (Array.isArray(copy.tiles)) copy.tiles = copy.tiles.map((t) => absolute(t, styleUrl));
    if (typeof copy.data === 'string') copy.data = absolute(copy.data, styleUrl);
    if ((copy.type === 'vector' || copy.type === 'raster') && !copy.attribution && !copy.url) copy.attribution = OSM_ATTRIBUTION;
    sources[BASEMAP_PREFIX + id] = copy;
  }
  const layers = s.layers
    .filter((l) => l.type !== 'background')
    .map((l) => {
      const layer = { ...l, id: BASEMAP_PREFIX + l.id } as LayerSpecification & { source?: string };
      if (typeof layer.source === 'string') layer.source = BASEMAP_PREFIX + layer.source;
      return { layer: layer as LayerSpecification, place: basemapPlace(l) };
    });
  const firstText = s.layers.find((l) => l.type === 'symbol' && Array.isArray((l.layout as { 'text-font'?: unknown } | undefined)?.['text-font']));
  const font = firstText ? ((firstText.layout as { 'text-font': string[] })['text-font'] as string[]) : undefined;
  const sprite = typeof s.sprite === 'string' ? absolute(s.sprite, styleUrl) : Array.isArray(s.sprite) ? s.sprite.map((x) => ({ id: x.id, url: absolute(x.url, styleUrl) })) : undefined;
  return { sources, layers, glyphs: typeof s.glyphs === 'string' ? absolute(s.glyphs, styleUrl) : undefined, sprite, font };
}

/** Fetch a style with a time limit; rejects with a short reason (offline, blocked, 404, not JSON, timed out). */
export async function fetchStyle(url: string, timeoutMs = STYLE_TIMEOUT_MS): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, credentials: 'omit' });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new Error('the answer is not JSON');
    }
  } catch (e) {
    if (controller.signal.aborted) throw new Error(`no answer within ${timeoutMs / 1000} s`);
    const message = (e as Error).message;
    throw new Error(/^the /.test(message) ? message : 'its server could not be reached (offline or blocked)');
  } finally {
    clearTimeout(timer);
  }
}
