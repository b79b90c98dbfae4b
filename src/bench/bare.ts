/**
 * The map benchmark's baseline: a bundle's tract polygons in maplibre with nothing of the app —
 * no React, no analysis, no glyphs or tiles from the network. `bare.html?data=URL` opens the bundle
 * folder at URL (its `bundle.json`, then the boundaries it names). What the app adds on top of
 * this page is what the benchmark's ratios measure.
 *
 * Sets `window.__bare`:
 * - `loadStart`: `performance.now()` when this script started (0 is navigation start);
 * - `idleAt`: `performance.now()` at the first 'idle' after the polygons were added, i.e.
 *   navigation → data drawn;
 * - `recolor()`: sets a different fill-color expression (as a change of AMI recolours the app's
 *   tracts) and resolves with the milliseconds until the next 'idle';
 * - with a tiled bundle (`tractmix build --tiles`), the polygons come from its PMTiles archive as a
 *   vector source coloured by feature state, and `recolor()` sets every tract's state to another
 *   colour (the least any feature-state recolour can cost);
 * - `map`, `features` (polygons added), `error` (the first failure, as text).
 */
import { addProtocol, Map, setWorkerUrl, type ExpressionSpecification, type StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { BundleMeta } from '../data/bundle';
import { FILL_COLOR_EXPRESSION, packColor } from '../map/colors';

export interface BarePage {
  readonly loadStart: number;
  idleAt: number | null;
  features: number;
  error: string | null;
  map: Map;
  recolor(): Promise<number>;
}

declare global {
  interface Window {
    __bare?: BarePage;
  }
}

const LAYER = 'tracts';

/** Empty and offline: a background colour, no glyphs, no sprite, no sources of its own. */
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
};

/** First colouring: five classes by `k` (0–4), like the app's diversity classes. */
const BY_CLASS: ExpressionSpecification = ['match', ['get', 'k'], 0, '#d7191c', 1, '#fdae61', 2, '#ffffbf', 3, '#abd9e9', '#2c7bb6'];
/** Recolourings alternate between two sets of cut points on `v` (0–1), as AMI moves the bands. */
const BY_SHARE: readonly ExpressionSpecification[] = [
  ['step', ['get', 'v'], '#edf8e9', 0.2, '#bae4b3', 0.4, '#74c476', 0.6, '#31a354', 0.8, '#006d2c'],
  ['step', ['get', 'v'], '#f2f0f7', 0.3, '#cbc9e2', 0.5, '#9e9ac8', 0.7, '#756bb1', 0.9, '#54278f'],
];

/** A stable number in [0, 1) from a GEOID, so the colours do not depend on any income data. */
function shareOf(geoid: string): number {
  return (Math.imul(Number(geoid.slice(-7)) || 0, 2654435761) >>> 0) / 2 ** 32;
}

type Polygons = GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string; k?: number; v?: number }>;

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** The polygons of the bundle's boundary set for its latest year. */
async function loadPolygons(folder: string): Promise<Polygons> {
  const meta = JSON.parse(await fetchText(`${folder}/bundle.json`)) as BundleMeta;
  const latest = meta.years.at(-1)?.boundaries;
  const boundaries = meta.boundaries.find((b) => b.key === latest) ?? meta.boundaries[0];
  if (!boundaries) throw new Error(`${folder}/bundle.json names no boundaries`);
  const topo = JSON.parse(await fetchText(`${folder}/${boundaries.file}`)) as Topology<{ tracts: GeometryCollection<{ GEOID: string }> }>;
  const polygons = feature(topo, topo.objects.tracts) as unknown as Polygons;
  for (const f of polygons.features) {
    const v = shareOf(f.properties.GEOID);
    f.properties = { ...f.properties, v, k: Math.floor(v * 5) };
  }
  return polygons;
}

function boundsOf(fc: Polygons): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of fc.features) {
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
    for (const ring of rings) {
      for (const [x, y] of ring) {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    }
  }
  return b;
}

/** A tiled bundle: its archive, layer, bounds and tract ids (from the tract list). */
async function loadTiles(folder: string): Promise<{ url: string; layer: string; bounds: [number, number, number, number]; ids: string[] } | null> {
  const meta = JSON.parse(await fetchText(`${folder}/bundle.json`)) as BundleMeta;
  const b = meta.boundaries.find((x) => x.tiles);
  if (!b?.tiles) return null;
  const ids = (await fetchText(`${folder}/${b.file}`)).split('\n').slice(1).filter(Boolean).map((l) => l.slice(0, l.indexOf(',')));
  return { url: `pmtiles://${folder}/${b.tiles.file}`, layer: b.tiles.layer, bounds: [...b.tiles.bounds] as [number, number, number, number], ids };
}

/** Feature-state colours as the app writes them (packed 0xRRGGBB under the same fill expression). */
const STATE_COLORS = ['#d7191c', '#fdae61', '#ffffbf', '#abd9e9', '#2c7bb6'].map(packColor);

function start(): void {
  const loadStart = performance.now();
  const data = new URLSearchParams(location.search).get('data');
  setWorkerUrl(workerUrl);
  const map = new Map({ container: 'map', style: STYLE, center: [0, 0], zoom: 1, attributionControl: false });
  let recolors = 0;
  const page: BarePage = {
    loadStart,
    idleAt: null,
    features: 0,
    error: null,
    map,
    recolor: () =>
      new Promise((resolve) => {
        const t0 = performance.now();
        map.once('idle', () => resolve(performance.now() - t0));
        map.setPaintProperty(LAYER, 'fill-color', BY_SHARE[recolors++ % BY_SHARE.length]);
      }),
  };
  window.__bare = page;
  const fail = (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    page.error ??= message;
    console.error(`bare page: ${message}`);
  };
  map.on('error', (e) => fail(e.error));
  if (!data) {
    fail('no ?data=URL of a tractmix bundle folder');
    return;
  }
  const folder = new URL(data, location.href).href.replace(/\/+$/, '');
  const styleLoaded = new Promise<void>((resolve) => map.once('load', () => resolve()));
  if (new URLSearchParams(location.search).has('tiles')) {
    addProtocol('pmtiles', new Protocol().tile);
    Promise.all([loadTiles(folder), styleLoaded])
      .then(([tiles]) => {
        if (!tiles) throw new Error(`${folder} is not a tiled bundle`);
        map.addSource(LAYER, { type: 'vector', url: tiles.url, promoteId: 'GEOID' });
        map.addLayer({ id: LAYER, type: 'fill', source: LAYER, 'source-layer': tiles.layer, paint: { 'fill-color': FILL_COLOR_EXPRESSION as ExpressionSpecification, 'fill-outline-color': '#ffffff' } });
        const paint = (shift: number) => tiles.ids.forEach((id) => map.setFeatureState({ source: LAYER, sourceLayer: tiles.layer, id }, { c: STATE_COLORS[(Math.floor(shareOf(id) * 5) + shift) % 5] }));
        paint(0);
        page.recolor = () =>
          new Promise((resolve) => {
            const t0 = performance.now();
            map.once('idle', () => resolve(performance.now() - t0));
            paint(++recolors);
          });
        map.fitBounds(tiles.bounds, { padding: 20, animate: false });
        page.features = tiles.ids.length;
        map.once('idle', () => (page.idleAt = performance.now()));
      })
      .catch(fail);
    return;
  }
  // The style and the data load at the same time; the polygons go in when both are there.
  Promise.all([loadPolygons(folder), styleLoaded])
    .then(([polygons]) => {
      map.addSource(LAYER, { type: 'geojson', data: polygons, promoteId: 'GEOID' });
      map.addLayer({ id: LAYER, type: 'fill', source: LAYER, paint: { 'fill-color': BY_CLASS, 'fill-outline-color': '#ffffff' } });
      map.fitBounds(boundsOf(polygons), { padding: 20, animate: false });
      page.features = polygons.features.length;
      map.once('idle', () => (page.idleAt = performance.now()));
    })
    .catch(fail);
}

start();
