/**
 * Thin maplibre wrapper: one source of tracts (GeoJSON, or vector tiles for large bundles), a fill
 * coloured through feature state, outlines, and hover / picked / selected outlines; the offline
 * context (context.ts) and a basemap (basemap.ts) around them. The map starts on an empty style with
 * a plain background, so the tracts draw at once; a basemap joins when its style arrives. Figures
 * come from the core; this only paints.
 *
 * Every paint expression is fixed when the layers are added and reads feature state only: colour-by,
 * AMI, groups, years, hover, picks and the selection change feature state, never a paint property
 * or a filter, because either of those makes maplibre rebuild every tile of the source (TOOLCHAIN.md).
 */
import { addProtocol, Map as MapLibre, setWorkerUrl, type FeatureIdentifier, type GeoJSONSource, type MapMouseEvent, type SourceSpecification, type StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { CHANGE_COLOR_KINDS, DEFINITION_STYLE, FILL_COLOR_EXPRESSION, flagWidthExpression, FLAG_STYLES, NO_DATA_PACKED, selectionWidthExpression, SELECTION_OUTLINE, STATE_OUTLINE_COLOR, STATE_OUTLINE_WIDTH, tractColors, type ColorBy, type TractFigures } from './colors';
import { BASEMAP_PREFIX, basemapUrl, fetchStyle, prepareBasemap, type BasemapChoice, type PreparedBasemap } from './basemap';
import { addContextLayers, addFlagSymbols, addHatchImage, applyBasemap, CONTEXT_LAYERS, CONTEXT_SOURCE, contextTractLayers, FLAG_SYMBOL_MAXZOOM, removeBasemap, contextFeatures, setContextData } from './context';
import { mapWillDraw, setLayout } from './mapFrames';
import type { GeoContext } from '../data/geoContext';

// maplibre 6 under Vite does not find its worker unless told (TOOLCHAIN.md).
setWorkerUrl(workerUrl);
// Tiled bundles: one PMTiles archive read with HTTP range requests (`pmtiles://` + its URL).
addProtocol('pmtiles', new Protocol().tile);

export const SOURCE = 'tracts';
export const FILL_LAYER = 'tracts-fill';
const LINE_LAYER = 'tracts-line';
/** Hover, picked (the selection's casing) and selected outlines, one layer (colors.ts says why). */
export const STATE_OUTLINE_LAYER = 'tracts-state-outline';
/** The selection's white core, inside the casing the state outline draws. */
const PICKED_LAYER = 'tracts-picked';

const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef0f2' } }],
};

export interface MapView {
  lng: number;
  lat: number;
  zoom: number;
}

/** What became of the basemap: none asked for, being fetched, drawn, or not available (with why). */
export type BasemapStatus = { state: 'none' } | { state: 'loading'; url: string } | { state: 'ready'; url: string } | { state: 'failed'; url: string | null; reason: string };

/** The flags a change view can show, as outlines (and as dots at low zoom). */
const FLAG_KEYS = [...Object.keys(FLAG_STYLES), 'definition'] as const;

export interface TractMapOptions {
  /** `none`, `light`, `streets` or a style URL; null = the default (light). */
  basemap?: BasemapChoice | null;
  onBasemap?: (status: BasemapStatus) => void;
  onHover?: (geoid: string | null, point: { x: number; y: number } | null) => void;
  /** `extend`: shift/ctrl/cmd held — add to or remove from a selection instead of opening the tract. */
  onClick?: (geoid: string | null, extend: boolean, point: { x: number; y: number }) => void;
  onIdle?: () => void;
  onMove?: (view: MapView) => void;
}

/** Tracts as vector tiles: a PMTiles archive, its layer, zooms and bounds, and every tract id. */
export interface TractTiles {
  readonly url: string;
  readonly layer: string;
  /** The layer of the same tracts that every layer but the fill is drawn from (absent: `layer`). */
  readonly outlineLayer?: string;
  readonly minzoom: number;
  readonly maxzoom: number;
  readonly bounds: readonly [number, number, number, number];
  readonly ids: readonly string[];
  /** The tracts that can be hatched, marked `hatch` = 1 in the tiles (data/vectorTiles.ts); absent: any tract. */
  readonly hatch?: readonly string[];
  /** Neighbours share their simplified borders (data/bundle.ts BundleTiles): no outline pass needed. */
  readonly sharedBorders?: boolean;
}

/** Nothing written yet to `n` tracts (see `TractMap.written`). */
const unwritten = (n: number) => ({ c: new Int32Array(n).fill(-1), f: new Int8Array(n).fill(-1) });

type Tracts = GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string; name?: string }>;

export class TractMap {
  readonly map: MapLibre;
  private loaded: Promise<void>;
  private ids: string[] = [];
  private hovered: string | null = null;
  private selected: string | null = null;
  private picked = new Set<string>();
  private figures: TractFigures | null = null;
  private colorBy: ColorBy = { kind: 'class' };

  constructor(container: HTMLElement, options: TractMapOptions = {}) {
    this.map = new MapLibre({
      container,
      // Always the offline style first: the tracts draw at once, the basemap joins when it arrives.
      style: OFFLINE_STYLE,
      center: [-98, 39],
      zoom: 3,
      // Sources are named in the legend (real or synthetic); a basemap style brings its own attribution.
      attributionControl: { compact: true },
      // A test build (`vite build --mode test`) keeps the drawn frame so tests can read pixels back.
      canvasContextAttributes: { preserveDrawingBuffer: import.meta.env.MODE === 'test' },
      dragRotate: false,
      // Shift-click picks tracts for export (box zoom would take shift-drags).
      boxZoom: false,
      pitchWithRotate: false,
      // Labels appear at once: a fade repaints the map every frame for 0.3 s, and on software WebGL
      // each of those frames is a long task.
      fadeDuration: 0,
    });
    this.map.touchZoomRotate.disableRotation();
    this.loaded = new Promise((resolve) =>
      this.map.once('load', () => {
        performance.mark('tractmix:map-loaded');
        resolve();
      }),
    );
    this.onBasemap = options.onBasemap;
    this.loaded.then(() => {
      this.addLayers();
      addContextLayers(this.map);
      addFlagSymbols(this.map, [
        { key: 'stable_mixed', color: FLAG_STYLES.stable_mixed.color, radius: 2.5, hollow: true },
        { key: 'definition', color: DEFINITION_STYLE.color, radius: 3.5 },
        { key: 'income_upgrading', color: FLAG_STYLES.income_upgrading.color, radius: 3.5 },
        { key: 'transitional', color: FLAG_STYLES.transitional.color, radius: 4 },
      ]);
      void this.setBasemap(options.basemap ?? null);
    });
    // Basemap tiles that fail (offline, blocked) are reported once, quietly; other errors are logged as before.
    this.map.on('error', (event) => {
      const e = event as unknown as { error?: { message?: string }; sourceId?: string };
      if (e.sourceId?.startsWith(BASEMAP_PREFIX) || /glyph|sprite/i.test(e.error?.message ?? '')) {
        if (this.basemapState.state === 'ready') this.reportBasemap({ state: 'failed', url: this.basemapState.url, reason: 'its tiles could not be loaded' });
        return;
      }
      console.error(e.error ?? e);
    });
    this.map.on('mousemove', FILL_LAYER, (e: MapMouseEvent & { features?: { properties: { GEOID?: string } }[] }) => {
      const geoid = e.features?.[0]?.properties?.GEOID ?? null;
      this.setHover(geoid);
      options.onHover?.(geoid, { x: e.point.x, y: e.point.y });
    });
    this.map.on('mouseleave', FILL_LAYER, () => {
      this.setHover(null);
      options.onHover?.(null, null);
    });
    this.map.on('click', (e) => {
      if (this.drawingShape) return; // the click belongs to the box or polygon being drawn
      const hit = this.map.queryRenderedFeatures(e.point, { layers: [FILL_LAYER] });
      const extend = e.originalEvent.shiftKey || e.originalEvent.ctrlKey || e.originalEvent.metaKey;
      options.onClick?.((hit[0]?.properties?.GEOID as string | undefined) ?? null, extend, { x: e.point.x, y: e.point.y });
    });
    this.map.on('mouseenter', FILL_LAYER, () => (this.map.getCanvas().style.cursor = 'pointer'));
    this.map.on('mouseleave', FILL_LAYER, () => (this.map.getCanvas().style.cursor = ''));
    if (options.onIdle) this.map.on('idle', options.onIdle);
    this.onIdle = options.onIdle ?? null;
    if (options.onMove) this.map.on('moveend', () => options.onMove!(this.view()));
  }

  /** The vector layer of a tiled source (feature state needs it), null for GeoJSON. */
  private sourceLayer: string | null = null;
  /**
   * The vector layer every layer but the fill is drawn from (tract lines, hover / opened / selected
   * outlines, flags, water, hatch), when the tiles have one apart from the fill's (vectorTiles.ts
   * TILE_OUTLINE_LAYER); else null (the fill's). maplibre updates every layer of a source layer for
   * each tract whose state changes there: apart, a recolour updates only the fill, and a hover none of it.
   */
  private lineLayer: string | null = null;

  /** A tract in the fill's source layer: its colour. */
  private target(id: string): FeatureIdentifier {
    return this.sourceLayer ? { source: SOURCE, sourceLayer: this.sourceLayer, id } : { source: SOURCE, id };
  }

  /** A tract in the lines' source layer: hover, opened, picked, its flags and its hatch. */
  private lineTarget(id: string): FeatureIdentifier {
    return this.lineLayer ? { source: SOURCE, sourceLayer: this.lineLayer, id } : this.target(id);
  }

  /** The tract source and every layer drawn from it, in order; the same layers for GeoJSON and tiles. */
  private addLayers(source: SourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'GEOID' }, sourceLayer: string | null = null, lineLayer: string | null = null, beforeId?: string, sharedBorders = false): void {
    const map = this.map;
    this.sourceLayer = sourceLayer;
    this.lineLayer = sourceLayer && lineLayer && lineLayer !== sourceLayer ? lineLayer : null;
    map.addSource(SOURCE, source);
    const layers: Parameters<MapLibre['addLayer']>[0][] = [];
    // Only the tract fill reads the fill's source layer; the lines, the water and the hatch read the
    // other (when the tiles have one), so that a recolour updates one bucket per tile, as on a bare map.
    const addLayer = (layer: Parameters<MapLibre['addLayer']>[0]) => {
      const from = layer.id === FILL_LAYER ? sourceLayer : (this.lineLayer ?? sourceLayer);
      layers.push(from ? ({ ...layer, 'source-layer': from } as typeof layer) : layer);
    };
    this.layerIds = layers;
    // Over GeoJSON or tiles simplified ring by ring, the outline colour is left unset, so maplibre
    // outlines each tract in its fill colour: neighbours simplified apart leave slivers between them,
    // holes in the map at a state or country zoom that the outline covers. That is a second
    // feature-state colour each recolour evaluates for every tract (2,000 tracts: the frame's state
    // update 17 ms against 8 without). Tiles whose neighbours share their simplified borders have no
    // slivers (data/sharedBorders.ts): there the fill is drawn without the outline pass.
    addLayer({ id: FILL_LAYER, type: 'fill', source: SOURCE, paint: { 'fill-color': FILL_COLOR_EXPRESSION as never, 'fill-opacity': 0.92, ...(sharedBorders ? { 'fill-antialias': false } : {}) } });
    // Water-only tracts and tracts without households, drawn so that they are never read as values.
    addHatchImage(map);
    for (const layer of contextTractLayers(SOURCE, this.hatchable !== null)) addLayer(layer);
    // The same layout as the state outline and the selection's core below: maplibre groups line layers
    // of one source by their layout (and filter, zooms) and builds each group's geometry once per tile,
    // so the three outline layers share one set of line vertices (issue 10: tile time and memory).
    addLayer({ id: LINE_LAYER, type: 'line', source: SOURCE, layout: { 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 13, 1.2], 'line-opacity': 0.8 } });
    // Opened, selected and hovered tracts (one state-dependent layer: STATE_OUTLINES), then the selection's
    // white core inside its black casing (SELECTION_OUTLINE, ≥ 3:1 over every fill); both under the flag
    // outlines, so a selected flagged tract still shows its flag.
    // Both start skipped (line-opacity 0: maplibre draws no tile of the layer) until a tract is
    // hovered, opened or selected (showOutlinesInUse): at rest they are zero-width lines over every tract,
    // which cost software WebGL ~40% of a frame (Chicago: 400 → 234 ms a frame).
    addLayer({ id: STATE_OUTLINE_LAYER, type: 'line', source: SOURCE, layout: { 'line-join': 'round' }, paint: { 'line-color': STATE_OUTLINE_COLOR as never, 'line-width': STATE_OUTLINE_WIDTH as never, 'line-opacity': 0 } });
    addLayer({ id: PICKED_LAYER, type: 'line', source: SOURCE, layout: { 'line-join': 'round' }, paint: { 'line-color': SELECTION_OUTLINE.core, 'line-width': selectionWidthExpression('core') as never, 'line-opacity': 0 } });
    // Flags as outlines (width from feature state): readable over any fill colour.
    for (const flag of Object.keys(FLAG_STYLES) as (keyof typeof FLAG_STYLES)[]) {
      const style = FLAG_STYLES[flag];
      addLayer({
        id: `flag-${flag}`,
        type: 'line',
        source: SOURCE,
        // Below this zoom a flag is a dot (context.ts): outlines of small tracts merge into a tangle.
        minzoom: FLAG_SYMBOL_MAXZOOM,
        // Hidden until the change view shows flags: idle layers still cost a render.
        layout: { 'line-join': 'round', visibility: 'none' },
        paint: { 'line-color': style.color, 'line-width': flagWidthExpression(flag) as never, 'line-dasharray': [...style.dash], 'line-offset': -1 },
      });
    }
    addLayer({
      id: 'flag-definition',
      type: 'line',
      source: SOURCE,
      minzoom: FLAG_SYMBOL_MAXZOOM,
      layout: { 'line-join': 'round', visibility: 'none' },
      paint: { 'line-color': DEFINITION_STYLE.color, 'line-width': flagWidthExpression('definition') as never, 'line-dasharray': [...DEFINITION_STYLE.dash], 'line-offset': -3 },
    });
    for (const layer of layers) map.addLayer(layer, beforeId);
    this.outlinesShown = { state: false, picked: false };
    this.setFlagVisibility();
    this.showOutlinesInUse();
  }

  /** Whether the outline layers are drawn now (line-opacity 1) or skipped (0). */
  private outlinesShown = { state: false, picked: false };

  /**
   * Draw the outline layers only while some tract needs them. A constant opacity changes without
   * reloading the source (a visibility or filter change would rebuild every tile), in the frame
   * that draws the new feature state.
   */
  private showOutlinesInUse(): void {
    const want = { state: this.hovered !== null || this.selected !== null || this.picked.size > 0, picked: this.picked.size > 0 };
    if (want.state !== this.outlinesShown.state && this.map.getLayer(STATE_OUTLINE_LAYER)) this.map.setPaintProperty(STATE_OUTLINE_LAYER, 'line-opacity', want.state ? 1 : 0);
    if (want.picked !== this.outlinesShown.picked && this.map.getLayer(PICKED_LAYER)) this.map.setPaintProperty(PICKED_LAYER, 'line-opacity', want.picked ? 1 : 0);
    this.outlinesShown = want;
  }

  private onBasemap?: (status: BasemapStatus) => void;
  private basemapState: BasemapStatus = { state: 'none' };
  private basemapRequest = 0;
  /** The basemap drawn now, kept to put it back around new tract layers (a source swap). */
  private basemapDrawn: PreparedBasemap | null = null;

  private reportBasemap(status: BasemapStatus): void {
    this.basemapState = status;
    this.onBasemap?.(status);
  }

  /** Switch the basemap; the tracts stay drawn throughout. Resolves when it is drawn or given up. */
  async setBasemap(choice: BasemapChoice | null): Promise<BasemapStatus> {
    await this.loaded;
    const request = ++this.basemapRequest;
    removeBasemap(this.map);
    this.basemapDrawn = null;
    const { url, problem } = basemapUrl(choice, window.location.href);
    if (!url) {
      this.reportBasemap(problem ? { state: 'failed', url: null, reason: problem } : { state: 'none' });
      return this.basemapState;
    }
    this.reportBasemap({ state: 'loading', url });
    try {
      const prepared = prepareBasemap(await fetchStyle(url), url);
      if (request !== this.basemapRequest) return this.basemapState;
      applyBasemap(this.map, prepared, { fill: FILL_LAYER, overFill: LINE_LAYER });
      this.basemapDrawn = prepared;
      this.reportBasemap({ state: 'ready', url });
    } catch (e) {
      if (request === this.basemapRequest) {
        removeBasemap(this.map);
        this.reportBasemap({ state: 'failed', url, reason: (e as Error).message });
      }
    }
    return this.basemapState;
  }

  /** County and state outlines, county names and tract numbers derived from the tracts. */
  async setContext(context: GeoContext, countyName: (code: string) => string): Promise<void> {
    await this.loaded;
    // Only a change is given to maplibre: new data loads the source again and repaints the map.
    const names = JSON.stringify(context.countyPoints.features.map((f) => countyName(f.properties.county)));
    if (context === this.contextShown.context && names === this.contextShown.names) return;
    this.contextShown = { context, names };
    setContextData(this.map, contextFeatures(context, countyName));
    // The label points are new features: their flag dots read the flags from feature state again
    // (a tract without flags needs no state: the dots read a missing flag as 0).
    this.written.f.forEach((f, j) => {
      if (f > 0 && f & 15) this.writeFlagDots(this.ids[j], f);
    });
  }

  private contextShown: { context: GeoContext | null; names: string } = { context: null, names: '' };

  private readonly onIdle: (() => void) | null;

  /**
   * After a change that may have drawn nothing (the same figures painted again): the idle handler
   * runs once more, after the frame the change asked for, or at once when the map has nothing to
   * draw, rather than a frame being drawn only to end in an idle event.
   */
  settle(): void {
    if (mapWillDraw(this.map)) return;
    window.setTimeout(() => {
      if (mapWillDraw(this.map)) return;
      this.onIdle?.();
    }, 0);
  }

  /** Fly to a box [west, south, east, north] (a county, a tract). */
  flyToBounds(box: [number, number, number, number], maxZoom = 14, keepClear: { right?: number; bottom?: number } = {}): void {
    const canvas = this.map.getCanvas();
    // Leave room for what lies over the map (the legend), unless the map is too small for it.
    const right = canvas.clientWidth > 600 ? 40 + (keepClear.right ?? 0) : 20;
    const bottom = canvas.clientHeight > 500 ? 40 + (keepClear.bottom ?? 0) : 20;
    this.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { top: 50, left: 40, right, bottom }, maxZoom, duration: 600 });
  }

  private layerIds: Parameters<MapLibre['addLayer']>[0][] = [];

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Replace the tracts; fit the map to them unless a view is given. */
  private shown: Tracts['features'] | null = null;

  /** Replace the tracts (the same feature array again is a no-op); fit the map to them unless a view is given. */
  async setTracts(tracts: Tracts, view?: MapView | null): Promise<void> {
    await this.loaded;
    if (tracts.features === this.shown) return;
    this.shown = tracts.features;
    if (this.sourceLayer) this.replaceSource();
    this.setIds(tracts.features.map((f) => f.properties.GEOID));
    (this.map.getSource(SOURCE) as GeoJSONSource).setData(tracts);
    if (view) this.map.jumpTo({ center: [view.lng, view.lat], zoom: view.zoom });
    else this.fit(tracts);
  }

  private shownTiles: string | null = null;

  /**
   * Tiles that mark the tracts that can be hatched: the hatch layer holds only those (a layer of its
   * own, cheap to update), instead of being a second state-dependent fill over every tract. Null: any tract.
   */
  private hatchable: ReadonlySet<string> | null = null;

  /** Draw tracts from vector tiles (a tiled bundle); fit the map to their bounds unless a view is given. */
  async setTiles(tiles: TractTiles, view?: MapView | null): Promise<void> {
    await this.loaded;
    if (tiles.url === this.shownTiles) return;
    this.shownTiles = tiles.url;
    this.shown = null;
    this.hatchable = tiles.hatch ? new Set(tiles.hatch) : null;
    this.replaceSource(
      { type: 'vector', url: `pmtiles://${tiles.url}`, promoteId: 'GEOID', minzoom: tiles.minzoom, maxzoom: tiles.maxzoom, bounds: [...tiles.bounds] as [number, number, number, number] },
      tiles.layer,
      tiles.outlineLayer ?? null,
      tiles.sharedBorders === true,
    );
    this.setIds([...tiles.ids]);
    if (view) this.map.jumpTo({ center: [view.lng, view.lat], zoom: view.zoom });
    else this.map.fitBounds([[tiles.bounds[0], tiles.bounds[1]], [tiles.bounds[2], tiles.bounds[3]]], { padding: 24, animate: false });
  }

  /** Swap the tract source (GeoJSON ↔ tiles): the layers go and come back over the new source. */
  private replaceSource(source?: SourceSpecification, sourceLayer: string | null = null, lineLayer: string | null = null, sharedBorders = false): void {
    // Layers other code put above the tracts (labels, context) stay above them.
    const order = this.map.getStyle().layers.map((l) => l.id);
    const ours = new Set(this.layerIds.map((l) => l.id));
    const last = order.reduce((at, id, i) => (ours.has(id) ? i : at), -1);
    const beforeId = order.slice(last + 1).find((id) => !ours.has(id));
    for (const layer of [...this.layerIds].reverse()) if (this.map.getLayer(layer.id)) this.map.removeLayer(layer.id);
    if (this.map.getSource(SOURCE)) this.map.removeSource(SOURCE);
    this.hovered = null;
    this.written = unwritten(this.ids.length);
    this.stateMayLinger = false;
    if (!source) {
      this.shownTiles = null;
      this.hatchable = null;
    }
    const basemap = this.basemapDrawn;
    if (basemap) removeBasemap(this.map);
    this.addLayers(source, sourceLayer, lineLayer, beforeId, sharedBorders);
    if (basemap) applyBasemap(this.map, basemap, { fill: FILL_LAYER, overFill: LINE_LAYER });
    // The selection and the picks outlive the source: state again on the new one.
    if (this.selected !== null) this.map.setFeatureState(this.lineTarget(this.selected), { selected: true });
    for (const id of this.picked) this.map.setFeatureState(this.lineTarget(id), { picked: true });
  }

  fit(tracts: Tracts): void {
    let [w, s, e, n] = [180, 90, -180, -90];
    const visit = (c: unknown): void => {
      if (typeof (c as number[])[0] === 'number') {
        const [x, y] = c as number[];
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      } else (c as unknown[]).forEach(visit);
    };
    for (const f of tracts.features) visit(f.geometry.coordinates);
    if (w <= e) this.map.fitBounds([[w, s], [e, n]], { padding: 24, animate: false });
  }

  /** The figures per tract (tracts without figures are "no data"), drawn with the current colour-by. */
  async setPaint(figures: TractFigures): Promise<void> {
    await this.loaded;
    this.figures = figures;
    this.writeColors(true);
    this.precomputeColors();
  }

  /** Colour by another figure: new colours in feature state, the paint expression stays as it is. */
  async setColorBy(colorBy: ColorBy): Promise<void> {
    await this.loaded;
    if (JSON.stringify(colorBy) === JSON.stringify(this.colorBy)) return;
    this.colorBy = colorBy;
    this.writeColors(false);
  }

  /** New tract ids on the map: nothing written to them yet. */
  private setIds(ids: string[]): void {
    // setData keeps feature state by id, and a new boundary set may reuse ids with other figures.
    if (this.written.c.some((c) => c >= 0)) this.stateMayLinger = true;
    this.ids = ids;
    this.written = unwritten(ids.length);
    this.figureIndex = null;
  }

  /**
   * What was last written to each tract's feature state (by position in `ids`; −1: nothing yet):
   * packed colour, and flags as bits. Only what changed is written again — an AMI change moves a
   * few tracts to another class, and every state update costs maplibre a pass over the tiles that
   * hold the tract, in every layer that reads feature state.
   */
  private written = unwritten(0);

  /** The source may hold feature state written for earlier figures (GeoJSON setData keeps it): write every key. */
  private stateMayLinger = false;

  /** Position in the figures of each tract in `ids` (−1: no figures), kept while both lists stay the same. */
  private figureIndex: { figureIds: readonly string[]; index: Int32Array } | null = null;

  private indexOfFigures(figures: TractFigures): Int32Array {
    if (this.figureIndex?.figureIds === figures.ids) return this.figureIndex.index;
    const index = new Int32Array(this.ids.length).fill(-1);
    const same = figures.ids.length === this.ids.length && this.ids.every((id, j) => figures.ids[j] === id);
    if (same) index.forEach((_, j) => (index[j] = j));
    else {
      const at = new Map(figures.ids.map((id, i) => [id, i]));
      this.ids.forEach((id, j) => (index[j] = at.get(id) ?? -1));
    }
    this.figureIndex = { figureIds: figures.ids, index };
    return index;
  }

  /**
   * Each tract's packed colour under each colour-by, for the figures painted now: made on first use,
   * and for the other colour-bys the figures have once the map is idle (precomputeColors), so that
   * choosing another colour-by writes colours already made (85,000 tracts: a few ms each).
   */
  private colorCache: { figures: TractFigures; byKey: Map<string, Uint32Array> } | null = null;

  private colorsOf(colorBy: ColorBy, figures: TractFigures): Uint32Array {
    if (this.colorCache?.figures !== figures) this.colorCache = { figures, byKey: new Map() };
    const key = colorBy.kind === 'share' ? `share:${colorBy.group}` : colorBy.kind;
    let colors = this.colorCache.byKey.get(key);
    if (!colors) {
      colors = tractColors(colorBy, figures);
      this.colorCache.byKey.set(key, colors);
    }
    return colors;
  }

  private precomputeTimer = 0;

  /** The colour-bys the figures can be coloured by, made one per idle callback (none once the figures change). */
  private precomputeColors(): void {
    const figures = this.figures;
    if (!figures || typeof window === 'undefined') return;
    const pending: ColorBy[] = [
      { kind: 'class' },
      { kind: 'entropy' },
      { kind: 'median-ami' },
      ...Array.from({ length: figures.shares?.groups ?? 0 }, (_, group) => ({ kind: 'share', group }) as const),
      // Change figures carry all four change columns (ui/paintFigures.ts changeFigures).
      ...(figures.dh ? CHANGE_COLOR_KINDS.map((kind) => ({ kind }) as ColorBy) : []),
    ];
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 50));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    cancel(this.precomputeTimer);
    const next = () => {
      if (this.figures !== figures) return;
      const colorBy = pending.shift();
      if (!colorBy) return;
      this.colorsOf(colorBy, figures);
      this.precomputeTimer = idle(next);
    };
    // Once the map has drawn these figures and loaded its tiles: while the tiles of a first map load,
    // the main thread's idle moments leave the cores to maplibre's tile workers.
    const start = () => {
      if (this.figures === figures) this.precomputeTimer = idle(next);
    };
    if (mapWillDraw(this.map)) this.map.once('idle', start);
    else start();
  }

  /** Reused for every tract a recolour writes (maplibre copies the state and keeps neither object). */
  private readonly scratchTarget: { source: string; sourceLayer?: string; id: string } = { source: SOURCE, id: '' };
  private readonly scratchColor = { c: 0 };

  /** Each tract's packed fill colour (and, with `flags`, its flag outlines) into feature state. */
  private writeColors(flags: boolean): void {
    const figures = this.figures;
    if (!figures) return;
    const index = this.indexOfFigures(figures);
    const colors = this.colorsOf(this.colorBy, figures);
    const written = this.written;
    const fill = this.scratchTarget;
    if (this.sourceLayer) fill.sourceLayer = this.sourceLayer;
    else delete fill.sourceLayer;
    const color = this.scratchColor;
    for (let j = 0; j < this.ids.length; j++) {
      const i = index[j];
      const c = i < 0 ? NO_DATA_PACKED : colors[i];
      // Bits: the four flags, then "hatched" (no households, or no data at all).
      const hatch = i < 0 || figures.nohh[i] === 1 ? 16 : 0;
      if (hatch && this.hatchable && !this.hatchable.has(this.ids[j])) this.hatchEveryTract(this.ids[j]);
      const lastF = written.f[j];
      const f = (flags ? (i >= 0 && figures.flags ? figures.flags[i] & 15 : 0) : lastF > 0 ? lastF & 15 : 0) | hatch;
      if (written.c[j] === c && lastF === f) continue;
      const id = this.ids[j];
      const fresh = lastF < 0;
      fill.id = id;
      color.c = c;
      if (fresh && f === 0 && !this.stateMayLinger) {
        // The first write of a tract without flags or hatch: the colour alone (the expressions read a missing key as 0).
        this.map.setFeatureState(fill, color);
      } else {
        const hatch = fresh || (lastF ^ f) & 16 ? { hatch: (f >> 4) & 1 } : null;
        const flagState = fresh || (lastF ^ f) & 15 ? { f_stable_mixed: f & 1, f_income_upgrading: (f >> 1) & 1, f_transitional: (f >> 2) & 1, f_definition: (f >> 3) & 1 } : null;
        if (!this.lineLayer) this.map.setFeatureState(this.target(id), { c, ...hatch, ...flagState });
        else {
          // Apart: the fill's layer is updated only for a new colour, the other only for a new hatch or flags.
          if (written.c[j] !== c) this.map.setFeatureState(fill, color);
          if (hatch || flagState) this.map.setFeatureState(this.lineTarget(id), { ...hatch, ...flagState });
        }
        if (flagState) this.writeFlagDots(id, f);
      }
      written.c[j] = c;
      written.f[j] = f;
    }
  }

  /**
   * A tract to hatch that the tiles did not mark (a bundle whose years the build did not see): the
   * hatch layer draws from every tract again. Changing a filter reloads the source's tiles, once.
   */
  private hatchEveryTract(geoid: string): void {
    console.warn(`tract ${geoid} has no households or no figures, but the tiles do not mark it as one to hatch: hatching from every tract (the tiles load again)`);
    this.hatchable = null;
    this.map.setFilter(CONTEXT_LAYERS.hatch, null);
  }

  /** The flags of a tract on its label point, for the low-zoom flag dots (context.ts). */
  private writeFlagDots(id: string, f: number): void {
    this.map.setFeatureState({ source: CONTEXT_SOURCE, id }, { f_stable_mixed: f & 1, f_income_upgrading: (f >> 1) & 1, f_transitional: (f >> 2) & 1, f_definition: (f >> 3) & 1 });
  }

  /** The flags shown (the change view): none, all, or those named (`definition` too). */
  private flagsShown: ReadonlySet<string> = new Set();

  async showFlags(visible: boolean | ReadonlySet<string>): Promise<void> {
    await this.loaded;
    this.flagsShown = visible === true ? new Set(FLAG_KEYS) : visible === false ? new Set() : new Set(visible);
    this.setFlagVisibility();
  }

  private setFlagVisibility(): void {
    for (const flag of FLAG_KEYS) {
      const on = this.flagsShown.has(flag) ? 'visible' : 'none';
      for (const id of [`flag-${flag}`, `flag-dot-${flag}`]) setLayout(this.map, id, 'visibility', on);
    }
  }

  async select(geoid: string | null): Promise<void> {
    await this.loaded;
    if (geoid === this.selected) return;
    if (this.selected !== null) this.map.setFeatureState(this.lineTarget(this.selected), { selected: false });
    if (geoid !== null) this.map.setFeatureState(this.lineTarget(geoid), { selected: true });
    this.selected = geoid;
    this.showOutlinesInUse();
  }

  private drawing: Promise<import('./shapeDrawing').ShapeDrawing> | null = null;
  private drawingShape = false;

  /** Let the user draw a box or polygon (terra-draw, loaded on first use); resolves with it, or null when cancelled. */
  async drawShape(kind: import('./shapeDrawing').ShapeKind, onReady?: () => void): Promise<GeoJSON.Polygon | null> {
    this.drawingShape = true; // clicks while terra-draw loads open no tract
    try {
      await this.loaded;
      this.drawing ??= import('./shapeDrawing').then(({ shapeDrawing }) => shapeDrawing(this.map));
      const drawing = await this.drawing;
      const shape = drawing.draw(kind);
      onReady?.();
      return await shape;
    } finally {
      // The finishing click is dispatched to the map's click handler after this: let it pass first.
      setTimeout(() => (this.drawingShape = false), 0);
    }
  }

  /** Outline the selected tracts. */
  async pick(geoids: readonly string[]): Promise<void> {
    await this.loaded;
    const next = new Set(geoids);
    for (const id of this.picked) if (!next.has(id)) this.map.setFeatureState(this.lineTarget(id), { picked: false });
    for (const id of next) if (!this.picked.has(id)) this.map.setFeatureState(this.lineTarget(id), { picked: true });
    this.picked = next;
    this.showOutlinesInUse();
  }

  private setHover(geoid: string | null): void {
    if (geoid === this.hovered) return;
    if (this.hovered !== null) this.map.setFeatureState(this.lineTarget(this.hovered), { hover: false });
    if (geoid !== null) this.map.setFeatureState(this.lineTarget(geoid), { hover: true });
    this.hovered = geoid;
    this.showOutlinesInUse();
  }

  view(): MapView {
    const c = this.map.getCenter();
    return { lng: +c.lng.toFixed(5), lat: +c.lat.toFixed(5), zoom: +this.map.getZoom().toFixed(2) };
  }

  /** Distinct tract ids drawn on screen (queryRenderedFeatures repeats features across tiles). */
  renderedIds(): string[] {
    return [...new Set(this.map.queryRenderedFeatures({ layers: [FILL_LAYER] }).map((f) => f.properties?.GEOID as string))];
  }

  /** RGBA of the canvas at a longitude/latitude (needs preserveDrawingBuffer: test builds only). */
  colorAt(lng: number, lat: number): [number, number, number, number] {
    const p = this.map.project([lng, lat]);
    const canvas = this.map.getCanvas();
    const ratio = canvas.width / canvas.clientWidth;
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
    const px = new Uint8Array(4);
    gl.readPixels(Math.round(p.x * ratio), Math.round(canvas.height - p.y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    return [px[0], px[1], px[2], px[3]];
  }

  remove(): void {
    this.map.remove();
  }
}
