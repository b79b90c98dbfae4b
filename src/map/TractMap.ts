/**
 * Thin maplibre wrapper: one GeoJSON source of tracts, a fill coloured through feature state,
 * outlines and a selection outline. No network by default (an empty style with a plain
 * background); a basemap style URL can be given. Figures come from the core; this only paints.
 */
import { Map as MapLibre, setWorkerUrl, type GeoJSONSource, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { DEFINITION_STYLE, fillColorExpression, flagWidthExpression, FLAG_STYLES, type ColorBy, type TractPaintState } from './colors';
import { BASEMAP_PREFIX, basemapUrl, fetchStyle, prepareBasemap, type BasemapChoice } from './basemap';
import { addContextLayers, addFlagSymbols, applyBasemap, CONTEXT_SOURCES, FLAG_SYMBOL_MAXZOOM, removeBasemap, setContextData, setHatched } from './context';
import type { GeoContext } from '../data/geoContext';

// maplibre 6 under Vite does not find its worker unless told (TOOLCHAIN.md).
setWorkerUrl(workerUrl);

export const SOURCE = 'tracts';
export const FILL_LAYER = 'tracts-fill';
const LINE_LAYER = 'tracts-line';
const HOVER_LAYER = 'tracts-hover';
const SELECTED_LAYER = 'tracts-selected';
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

export interface TractMapOptions {
  /** `none`, `light`, `streets` or a style URL; null = the default (light). */
  basemap?: BasemapChoice | null;
  onBasemap?: (status: BasemapStatus) => void;
  onHover?: (geoid: string | null, point: { x: number; y: number } | null) => void;
  /** `extend`: shift/ctrl/cmd held — add to or remove from a selection instead of opening the tract. */
  onClick?: (geoid: string | null, extend: boolean) => void;
  onIdle?: () => void;
  onMove?: (view: MapView) => void;
}

type Tracts = GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string; name?: string }>;

export class TractMap {
  readonly map: MapLibre;
  private loaded: Promise<void>;
  private ids: string[] = [];
  private hovered: string | null = null;
  private hatchedKey = '';

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
      const hit = this.map.queryRenderedFeatures(e.point, { layers: [FILL_LAYER] });
      const extend = e.originalEvent.shiftKey || e.originalEvent.ctrlKey || e.originalEvent.metaKey;
      options.onClick?.((hit[0]?.properties?.GEOID as string | undefined) ?? null, extend);
    });
    this.map.on('mouseenter', FILL_LAYER, () => (this.map.getCanvas().style.cursor = 'pointer'));
    this.map.on('mouseleave', FILL_LAYER, () => (this.map.getCanvas().style.cursor = ''));
    if (options.onIdle) this.map.on('idle', options.onIdle);
    if (options.onMove) this.map.on('moveend', () => options.onMove!(this.view()));
  }

  private addLayers(): void {
    const map = this.map;
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'GEOID' });
    map.addLayer({ id: FILL_LAYER, type: 'fill', source: SOURCE, paint: { 'fill-color': fillColorExpression({ kind: 'class' }) as never, 'fill-opacity': 0.92 } });
    map.addLayer({ id: LINE_LAYER, type: 'line', source: SOURCE, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 13, 1.2], 'line-opacity': 0.8 } });
    // Flags as outlines (width from feature state): readable over any fill colour.
    for (const flag of Object.keys(FLAG_STYLES) as (keyof typeof FLAG_STYLES)[]) {
      const style = FLAG_STYLES[flag];
      map.addLayer({
        id: `flag-${flag}`,
        type: 'line',
        source: SOURCE,
        // Hidden until the change view shows flags: idle layers still cost a render.
        layout: { 'line-join': 'round', visibility: 'none' },
        paint: { 'line-color': style.color, 'line-width': flagWidthExpression(flag) as never, 'line-dasharray': [...style.dash], 'line-offset': -1 },
      });
    }
    map.addLayer({
      id: 'flag-definition',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round', visibility: 'none' },
      paint: { 'line-color': DEFINITION_STYLE.color, 'line-width': flagWidthExpression('definition') as never, 'line-dasharray': [...DEFINITION_STYLE.dash], 'line-offset': -3 },
    });
    map.addLayer({ id: HOVER_LAYER, type: 'line', source: SOURCE, filter: ['==', ['get', 'GEOID'], ''], paint: { 'line-color': '#222222', 'line-width': 1.5 } });
    map.addLayer({ id: PICKED_LAYER, type: 'line', source: SOURCE, filter: ['in', ['get', 'GEOID'], ['literal', []]], paint: { 'line-color': '#0b57d0', 'line-width': 2.5 } });
    map.addLayer({ id: SELECTED_LAYER, type: 'line', source: SOURCE, filter: ['==', ['get', 'GEOID'], ''], paint: { 'line-color': '#000000', 'line-width': 3 } });
    addContextLayers(map, SOURCE, FILL_LAYER, LINE_LAYER);
    addFlagSymbols(map, [
      { key: 'stable_mixed', color: FLAG_STYLES.stable_mixed.color, radius: 2.5, hollow: true },
      { key: 'definition', color: DEFINITION_STYLE.color, radius: 3.5 },
      { key: 'income_upgrading', color: FLAG_STYLES.income_upgrading.color, radius: 3.5 },
      { key: 'transitional', color: FLAG_STYLES.transitional.color, radius: 4 },
    ]);
    // Outlines take over from the dots.
    for (const flag of [...Object.keys(FLAG_STYLES), 'definition']) map.setLayerZoomRange(`flag-${flag}`, FLAG_SYMBOL_MAXZOOM, 24);
  }

  private onBasemap?: (status: BasemapStatus) => void;
  private basemapState: BasemapStatus = { state: 'none' };
  private basemapRequest = 0;

  private reportBasemap(status: BasemapStatus): void {
    this.basemapState = status;
    this.onBasemap?.(status);
  }

  /** Switch the basemap; the tracts stay drawn throughout. Resolves when it is drawn or given up. */
  async setBasemap(choice: BasemapChoice | null): Promise<BasemapStatus> {
    await this.loaded;
    const request = ++this.basemapRequest;
    removeBasemap(this.map);
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
    setContextData(this.map, context, countyName);
  }

  /** Fly to a box [west, south, east, north] (a county, a tract). */
  flyToBounds(box: [number, number, number, number], maxZoom = 14, keepClear: { right?: number; bottom?: number } = {}): void {
    const canvas = this.map.getCanvas();
    // Leave room for what lies over the map (the legend), unless the map is too small for it.
    const right = canvas.clientWidth > 600 ? 40 + (keepClear.right ?? 0) : 20;
    const bottom = canvas.clientHeight > 500 ? 40 + (keepClear.bottom ?? 0) : 20;
    this.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { top: 50, left: 40, right, bottom }, maxZoom, duration: 600 });
  }

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
    this.ids = tracts.features.map((f) => f.properties.GEOID);
    (this.map.getSource(SOURCE) as GeoJSONSource).setData(tracts);
    if (view) this.map.jumpTo({ center: [view.lng, view.lat], zoom: view.zoom });
    else this.fit(tracts);
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

  /** Paint state per tract (tracts without an entry are "no data"). */
  async setPaint(states: ReadonlyMap<string, TractPaintState>): Promise<void> {
    await this.loaded;
    const hatched = this.ids.filter((id) => !states.has(id) || states.get(id)!.nohh === 1);
    const key = hatched.join(',');
    if (key !== this.hatchedKey) {
      this.hatchedKey = key;
      setHatched(this.map, hatched);
    }
    for (const id of this.ids) {
      const state = states.get(id);
      if (state) this.map.setFeatureState({ source: SOURCE, id }, state);
      else this.map.removeFeatureState({ source: SOURCE, id });
      this.map.setFeatureState(
        { source: CONTEXT_SOURCES.tracts, id },
        { f_stable_mixed: state?.f_stable_mixed ?? 0, f_income_upgrading: state?.f_income_upgrading ?? 0, f_transitional: state?.f_transitional ?? 0, f_definition: state?.f_definition ?? 0 },
      );
    }
  }

  async setColorBy(colorBy: ColorBy): Promise<void> {
    await this.loaded;
    this.map.setPaintProperty(FILL_LAYER, 'fill-color', fillColorExpression(colorBy) as never);
  }

  /** Show or hide the flags (the change view): all, none, or the flags named (`definition` too). */
  async showFlags(visible: boolean | ReadonlySet<string>): Promise<void> {
    await this.loaded;
    for (const flag of [...Object.keys(FLAG_STYLES), 'definition']) {
      const on = visible === true || (typeof visible === 'object' && visible.has(flag));
      for (const id of [`flag-${flag}`, `flag-dot-${flag}`]) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
  }

  async select(geoid: string | null): Promise<void> {
    await this.loaded;
    this.map.setFilter(SELECTED_LAYER, ['==', ['get', 'GEOID'], geoid ?? '']);
  }

  /** Outline the tracts a researcher picked for export. */
  async pick(geoids: readonly string[]): Promise<void> {
    await this.loaded;
    this.map.setFilter(PICKED_LAYER, ['in', ['get', 'GEOID'], ['literal', [...geoids]]]);
  }

  private setHover(geoid: string | null): void {
    if (geoid === this.hovered) return;
    this.hovered = geoid;
    this.map.setFilter(HOVER_LAYER, ['==', ['get', 'GEOID'], geoid ?? '']);
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
