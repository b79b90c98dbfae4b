/**
 * Context layers of the tract map, kept apart from the tract layers (TractMap.ts) so that each can
 * change without the other: offline context (county and state outlines, county names, tract
 * numbers at high zoom, water tracts, a hatch over tracts without households) and the online
 * basemap merged around the tracts (basemap.ts says where each of its layers goes).
 *
 * Labels need no glyph server: without a `glyphs` URL maplibre draws text with the browser's own
 * fonts (TinySDF), so names show offline; with a basemap its glyphs and font are used.
 */
import type { FilterSpecification, GeoJSONSource, LayerSpecification, Map as MapLibre } from 'maplibre-gl';
import type { GeoContext } from '../data/geoContext';
import { BASEMAP_PREFIX, type PreparedBasemap } from './basemap';
import { setLayout } from './mapFrames';

/**
 * One source for all the context (county and state lines, tract label points, county label
 * points), told apart by `kind`: each GeoJSON source loads and sends its tiles on its own, and each
 * arrival is one more frame of the whole map (0.15–0.4 s of the main thread on software WebGL).
 * Tract points carry `GEOID` (the promoted id: their flag dots read the flags from feature state).
 */
export const CONTEXT_SOURCE = 'ctx';
const byKind = (kind: string): FilterSpecification => ['==', ['get', 'kind'], kind];
const KIND = { county: byKind('county'), state: byKind('state'), tract: byKind('tract'), countyName: byKind('county-name') };
export const CONTEXT_LAYERS = {
  water: 'ctx-water-tracts',
  hatch: 'ctx-no-households',
  countyLine: 'ctx-county-line',
  stateLine: 'ctx-state-line',
  tractLabel: 'ctx-tract-label',
  countyLabel: 'ctx-county-label',
} as const;
/** Colour of water tracts: a pale blue no data ramp uses. */
export const WATER_COLOR = '#c6dcef';
const LABEL_FONT = ['Open Sans Regular', 'Arial Unicode MS Regular'];
const HATCH_IMAGE = 'ctx-hatch';

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/** Diagonal grey hatching, drawn in code (no sprite to fetch). */
function hatchImage(): { width: number; height: number; data: Uint8Array } {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      data.set(on ? [120, 120, 120, 200] : [255, 255, 255, 0], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** Filter of the hatch layer over tiles that mark the tracts that can be hatched (`hatch` = 1, data/vectorTiles.ts). */
export const HATCHABLE_FILTER = ['==', ['get', 'hatch'], 1] as const;

/**
 * Layers drawn from the tract source itself, right above the fill (TractMap adds them with its own
 * layers, so they follow the source from GeoJSON to tiles): water-only tracts in the water colour,
 * and a hatch over tracts with no households or no data, read from feature state `hatch` so that
 * no filter changes (a filter change makes maplibre rebuild every tile of the source). With
 * `hatchable` (tiles that mark the tracts that can be hatched) the hatch layer holds only those: a
 * layer with a filter gets a bucket of its own, and maplibre then looks up a recoloured tract in
 * that small bucket instead of updating a second fill over every tract (issue 10).
 */
export function contextTractLayers(tractSource: string, hatchable = false): LayerSpecification[] {
  return [
    {
      id: CONTEXT_LAYERS.water,
      type: 'fill',
      source: tractSource,
      filter: ['==', ['slice', ['get', 'GEOID'], 5, 7], '99'],
      paint: { 'fill-color': WATER_COLOR, 'fill-opacity': 1 },
    },
    {
      id: CONTEXT_LAYERS.hatch,
      type: 'fill',
      source: tractSource,
      ...(hatchable ? { filter: [...HATCHABLE_FILTER] as never } : {}),
      paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': ['case', ['==', ['coalesce', ['feature-state', 'hatch'], 0], 1], 0.7, 0] as never },
    },
  ];
}

/** The hatch pattern the tract layers use: added to the map's images before them. */
export function addHatchImage(map: MapLibre): void {
  if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImage());
}

/**
 * Add the context sources and the layers on top of the tracts: county and state outlines, tract
 * numbers and county names (once, after the tract layers).
 */
export function addContextLayers(map: MapLibre): void {
  // Tract label points' feature state carries the change flags for the low-zoom flag symbols.
  map.addSource(CONTEXT_SOURCE, { type: 'geojson', data: empty(), promoteId: 'GEOID' });
  map.addLayer({
    id: CONTEXT_LAYERS.countyLine,
    type: 'line',
    source: CONTEXT_SOURCE,
    filter: KIND.county,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': '#3b434b', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1, 12, 2.2], 'line-opacity': 0.85 },
  });
  map.addLayer({
    id: CONTEXT_LAYERS.stateLine,
    type: 'line',
    source: CONTEXT_SOURCE,
    filter: KIND.state,
    layout: { 'line-join': 'round' },
    paint: { 'line-color': '#1d2329', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 2, 12, 3.5], 'line-dasharray': [3, 1.5] },
  });
  map.addLayer({
    id: CONTEXT_LAYERS.tractLabel,
    type: 'symbol',
    source: CONTEXT_SOURCE,
    filter: KIND.tract,
    minzoom: 12.5,
    layout: { 'text-field': ['get', 'label'], 'text-size': 11, 'text-font': LABEL_FONT, 'text-allow-overlap': false, 'text-padding': 2 },
    paint: { 'text-color': '#1d2329', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4 },
  });
  map.addLayer({
    id: CONTEXT_LAYERS.countyLabel,
    type: 'symbol',
    source: CONTEXT_SOURCE,
    filter: KIND.countyName,
    maxzoom: 12.5,
    layout: { 'text-field': ['get', 'name'], 'text-size': ['interpolate', ['linear'], ['zoom'], 6, 11, 11, 15], 'text-font': LABEL_FONT, 'text-transform': 'uppercase', 'text-letter-spacing': 0.06, 'text-max-width': 8 },
    paint: { 'text-color': '#1d2329', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.8 },
  });
}

/** Below this zoom a flag is a dot at the tract's label point; from it on, an outline (TractMap). */
export const FLAG_SYMBOL_MAXZOOM = 10;

/**
 * Flags as dots at low zoom, where outlines of small tracts merge into a tangle: one circle layer
 * per flag, reading the flag from feature state, drawn over the fill (stable first, the rarer flags
 * on top). Layer ids `flag-dot-<flag>`.
 */
export function addFlagSymbols(map: MapLibre, flags: readonly { key: string; color: string; radius: number; hollow?: boolean }[]): void {
  for (const f of flags) {
    const on = ['==', ['coalesce', ['feature-state', `f_${f.key}`], 0], 1];
    map.addLayer(
      {
        id: `flag-dot-${f.key}`,
        type: 'circle',
        source: CONTEXT_SOURCE,
        filter: KIND.tract,
        maxzoom: FLAG_SYMBOL_MAXZOOM,
        layout: { visibility: 'none' },
        paint: {
          // `zoom` may only be the input of a top-level interpolate.
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 7, ['case', on, f.radius * 0.7, 0], 10, ['case', on, f.radius * 1.3, 0]] as never,
          // A hollow ring for the common flag (stable mixed), solid dots for the rarer ones on top.
          'circle-color': f.color,
          'circle-opacity': f.hollow ? 0 : 1,
          'circle-stroke-color': f.hollow ? f.color : '#ffffff',
          'circle-stroke-width': ['case', on, f.hollow ? 1.6 : 1, 0] as never,
        },
      },
      CONTEXT_LAYERS.countyLine,
    );
  }
}

/**
 * The derived context as the one source's data: lines (`kind` county or state), tract label points
 * (`tract`, with GEOID and label) and county label points (`county-name`, with the county's name;
 * "Cook County, IL" is shown as "Cook County").
 */
export function contextFeatures(context: GeoContext, countyName: (code: string) => string): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: [
      ...context.countyLines.features,
      ...context.tractPoints.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'tract' } })),
      ...context.countyPoints.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'county-name', name: countyName(f.properties.county).replace(/, [A-Z]{2}$/, '') } })),
    ],
  };
}

/** Put the context on the map (one load of the one source). */
export function setContextData(map: MapLibre, data: GeoJSON.FeatureCollection): void {
  (map.getSource(CONTEXT_SOURCE) as GeoJSONSource).setData(data);
}

/** Remove every basemap layer and source (switching to none, or to another style). */
export function removeBasemap(map: MapLibre): void {
  for (const layer of map.getStyle().layers ?? []) if (layer.id.startsWith(BASEMAP_PREFIX)) map.removeLayer(layer.id);
  for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith(BASEMAP_PREFIX)) map.removeSource(id);
  if (map.getStyle().glyphs) map.setGlyphs(null);
  for (const label of [CONTEXT_LAYERS.tractLabel, CONTEXT_LAYERS.countyLabel]) setLayout(map, label, 'text-font', LABEL_FONT);
}

/**
 * Merge a prepared basemap into the map: `below` layers before the tract fill, water and roads
 * before `overFill` (under the tract outlines and flags), labels before tractmix's own labels.
 */
export function applyBasemap(map: MapLibre, basemap: PreparedBasemap, anchors: { fill: string; overFill: string }): void {
  if (basemap.glyphs) map.setGlyphs(basemap.glyphs);
  if (typeof basemap.sprite === 'string') map.setSprite(basemap.sprite);
  else if (Array.isArray(basemap.sprite)) for (const s of basemap.sprite) map.addSprite(s.id, s.url);
  for (const [id, source] of Object.entries(basemap.sources)) map.addSource(id, source);
  const before = { below: anchors.fill, water: anchors.overFill, roads: anchors.overFill, labels: CONTEXT_LAYERS.tractLabel } as const;
  for (const { layer, place } of basemap.layers) map.addLayer(layer, before[place]);
  // The outlines and labels of tractmix's context share the basemap's fonts once its glyphs are set.
  if (basemap.font && basemap.glyphs) for (const label of [CONTEXT_LAYERS.tractLabel, CONTEXT_LAYERS.countyLabel]) setLayout(map, label, 'text-font', basemap.font);
}
