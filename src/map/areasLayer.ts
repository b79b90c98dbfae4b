/**
 * The user's areas on the tract map (issue 12): outlines with labels over the tract fill, or the
 * areas as their own choropleth. Painted as the tracts are (TractMap.ts, issue 10): one GeoJSON
 * source with a promoted id, every paint expression fixed when the layers are added, colours and
 * outlines read from feature state only — the figures come from the core (analyzeAreas), this
 * only paints.
 *
 * In "areas" mode a veil over the tracts keeps them readable as context where no area lies, and
 * the area fill is opaque, so an area's colour is never mixed with its tracts' colours.
 */
import type { GeoJSONSource, Map as MapLibre, MapMouseEvent } from 'maplibre-gl';
import { pointOnFeature } from '@turf/turf';
import { FILL_COLOR_EXPRESSION } from './colors';
import { CONTEXT_LAYERS } from './context';
import { setLayout } from './mapFrames';
import { AREA_FLAG_COLORS, type AreaMode } from './layerStyle';

export const AREA_SOURCE = 'user-areas';
const LABEL_SOURCE = 'user-area-labels';
const VEIL_SOURCE = 'user-areas-veil';
export const AREA_LAYERS = {
  veil: 'user-areas-veil',
  fill: 'user-areas-fill',
  line: 'user-areas-line',
  flag: 'user-areas-flag',
  hover: 'user-areas-hover',
  selected: 'user-areas-selected',
  label: 'user-areas-label',
} as const;

const FLAG_CODES = { stable_mixed: 1, income_upgrading: 2, transitional: 3 } as const;

const LABEL_FONT = ['Open Sans Semibold', 'Arial Unicode MS Bold'];

/** Feature state of one area: packed fill colour (as the tracts' `c`) and its flag code (0 none). */
export interface AreaPaint {
  readonly c: number;
  readonly flag?: keyof typeof FLAG_CODES | null;
}

type Areas = readonly GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>[];

/** The areas' layers on a maplibre map; created when the first areas are set. */
export class AreasLayer {
  private ids = new Map<string, number>();
  private names: string[] = [];
  private hovered: string | null = null;
  private selected: string | null = null;
  private mode: AreaMode = 'off';
  private written = new Map<string, string>();
  /** The areas' data until the layers are made (nothing is added to the map while there is nothing to draw). */
  private data: { areas: GeoJSON.FeatureCollection; labels: GeoJSON.FeatureCollection } | null = null;
  /** The last colours and flags asked for, written when the layers are made. */
  private paint: ReadonlyMap<string, AreaPaint> | null = null;

  constructor(
    private readonly map: MapLibre,
    private readonly events: { onHover?: (name: string | null, point: { x: number; y: number } | null) => void; onClick?: (name: string) => void } = {},
  ) {}

  private get made(): boolean {
    return !!this.map.getSource(AREA_SOURCE);
  }

  /**
   * Make the sources and the layers, once, when something is first drawn: with their data (a
   * source made empty and then given data loads twice) and the mode's visibility (a visibility
   * change reloads the source), so that they cost the map one load and no frame before that.
   */
  private ensure(): void {
    const map = this.map;
    if (this.made) return;
    const data = this.data;
    map.addSource(AREA_SOURCE, { type: 'geojson', data: data?.areas ?? { type: 'FeatureCollection', features: [] }, promoteId: 'aid' });
    map.addSource(LABEL_SOURCE, { type: 'geojson', data: data?.labels ?? { type: 'FeatureCollection', features: [] } });
    map.addSource(VEIL_SOURCE, {
      type: 'geojson',
      data: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]] } },
    });
    // Made with the mode's visibility: changing it later makes maplibre load the sources again.
    const filled = this.mode === 'fill' ? 'visible' : 'none';
    const drawn = this.mode !== 'off' ? 'visible' : 'none';
    // Under the county lines and labels, over the tract fill and its outlines.
    const under = map.getLayer(CONTEXT_LAYERS.countyLine) ? CONTEXT_LAYERS.countyLine : undefined;
    map.addLayer({ id: AREA_LAYERS.veil, type: 'fill', source: VEIL_SOURCE, layout: { visibility: filled }, paint: { 'fill-color': '#f4f5f7', 'fill-opacity': 0.78 } }, under);
    map.addLayer({ id: AREA_LAYERS.fill, type: 'fill', source: AREA_SOURCE, layout: { visibility: filled }, paint: { 'fill-color': FILL_COLOR_EXPRESSION as never, 'fill-opacity': 1 } }, under);
    // Outlines, flags, hover, selection and names on top of everything but the asset points.
    const top = map.getStyle().layers.find((l) => l.id.startsWith('user-points'))?.id;
    const flagColor = ['match', ['coalesce', ['feature-state', 'flag'], 0], FLAG_CODES.stable_mixed, AREA_FLAG_COLORS.stable_mixed, FLAG_CODES.income_upgrading, AREA_FLAG_COLORS.income_upgrading, FLAG_CODES.transitional, AREA_FLAG_COLORS.transitional, '#000000'];
    map.addLayer({ id: AREA_LAYERS.line, type: 'line', source: AREA_SOURCE, layout: { visibility: drawn, 'line-join': 'round' }, paint: { 'line-color': '#14181c', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.6, 14, 3], 'line-opacity': 0.9 } }, top);
    map.addLayer(
      {
        id: AREA_LAYERS.flag,
        type: 'line',
        source: AREA_SOURCE,
        layout: { visibility: drawn, 'line-join': 'round' },
        paint: { 'line-color': flagColor as never, 'line-width': ['case', ['>', ['coalesce', ['feature-state', 'flag'], 0], 0], 4, 0] as never, 'line-offset': -2.5, 'line-dasharray': [1.5, 0.8] },
      },
      top,
    );
    map.addLayer({ id: AREA_LAYERS.hover, type: 'line', source: AREA_SOURCE, layout: { visibility: drawn }, paint: { 'line-color': '#0b57d0', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 3, 0] as never } }, top);
    map.addLayer({ id: AREA_LAYERS.selected, type: 'line', source: AREA_SOURCE, layout: { visibility: drawn }, paint: { 'line-color': '#000000', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4.5, 0] as never } }, top);
    map.addLayer(
      {
        id: AREA_LAYERS.label,
        type: 'symbol',
        source: LABEL_SOURCE,
        layout: { visibility: drawn, 'text-field': ['get', 'name'], 'text-size': ['interpolate', ['linear'], ['zoom'], 9, 12, 14, 16], 'text-font': LABEL_FONT, 'text-max-width': 9, 'text-padding': 4 },
        paint: { 'text-color': '#14181c', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 2 },
      },
      top,
    );
    map.on('mousemove', AREA_LAYERS.fill, (e: MapMouseEvent & { features?: { properties: { name?: string } }[] }) => {
      const name = e.features?.[0]?.properties?.name ?? null;
      this.setHover(name);
      this.events.onHover?.(name, { x: e.point.x, y: e.point.y });
    });
    map.on('mouseleave', AREA_LAYERS.fill, () => {
      this.setHover(null);
      this.events.onHover?.(null, null);
    });
    map.on('click', AREA_LAYERS.fill, (e: MapMouseEvent & { features?: { properties: { name?: string } }[] }) => {
      const name = e.features?.[0]?.properties?.name;
      if (name) this.events.onClick?.(name);
    });
  }

  /** Replace the areas (their names are their ids for feature state here). */
  setAreas(areas: Areas): void {
    this.names = areas.map((a) => a.properties.name);
    this.ids = new Map(this.names.map((n, i) => [n, i]));
    this.written = new Map();
    this.hovered = null;
    const data = {
      areas: { type: 'FeatureCollection', features: areas.map((a, i) => ({ type: 'Feature', properties: { aid: i, name: a.properties.name }, geometry: a.geometry })) } as GeoJSON.FeatureCollection,
      labels: { type: 'FeatureCollection', features: areas.map((a) => ({ ...pointOnFeature(largestPart(a)), properties: { name: a.properties.name } })) } as GeoJSON.FeatureCollection,
    };
    this.data = data;
    if (!this.made) {
      if (this.mode !== 'off') this.create();
      return;
    }
    // setData keeps feature state by id, and ids are positions: start the new areas clean.
    this.map.removeFeatureState({ source: AREA_SOURCE });
    (this.map.getSource(AREA_SOURCE) as GeoJSONSource).setData(data.areas);
    (this.map.getSource(LABEL_SOURCE) as GeoJSONSource).setData(data.labels);
    if (this.selected !== null) this.select(this.selected);
  }

  /** Make the layers and write what was asked for before (colours, the opened area). */
  private create(): void {
    this.ensure();
    if (this.paint) this.setPaint(this.paint);
    if (this.selected !== null) {
      const name = this.selected;
      this.selected = null;
      this.select(name);
    }
  }

  /** The areas and how they are drawn together: the first call makes the layers with both (their data loads once, their visibility is set once). */
  show(areas: Areas, mode: AreaMode): void {
    if (!this.made) this.mode = mode;
    this.setAreas(areas);
    this.setMode(mode);
  }

  /** Which layers show: none, the outlines and names, or the coloured areas (with names). */
  setMode(mode: AreaMode): void {
    this.mode = mode;
    if (!this.made) {
      if (mode === 'off') return;
      this.create();
    }
    const on = (visible: boolean) => (visible ? 'visible' : 'none');
    const map = this.map;
    setLayout(map, AREA_LAYERS.veil, 'visibility', on(mode === 'fill'));
    setLayout(map, AREA_LAYERS.fill, 'visibility', on(mode === 'fill'));
    for (const id of [AREA_LAYERS.line, AREA_LAYERS.flag, AREA_LAYERS.hover, AREA_LAYERS.selected, AREA_LAYERS.label]) setLayout(map, id, 'visibility', on(mode !== 'off'));
    if (mode !== 'fill') this.setHover(null);
  }

  getMode(): AreaMode {
    return this.mode;
  }

  /** Colours and flags per area name into feature state (only what changed). */
  setPaint(states: ReadonlyMap<string, AreaPaint>): void {
    this.paint = states;
    if (!this.made) return;
    for (const [name, id] of this.ids) {
      const s = states.get(name);
      const flag = s?.flag ? FLAG_CODES[s.flag] : 0;
      const key = `${s?.c ?? 'none'}/${flag}`;
      if (this.written.get(name) === key) continue;
      this.map.setFeatureState({ source: AREA_SOURCE, id }, { c: s ? s.c : null, flag });
      this.written.set(name, key);
    }
  }

  select(name: string | null): void {
    if (!this.made) {
      this.selected = name;
      return;
    }
    if (this.selected !== null && this.ids.has(this.selected)) this.map.setFeatureState({ source: AREA_SOURCE, id: this.ids.get(this.selected)! }, { selected: false });
    if (name !== null && this.ids.has(name)) this.map.setFeatureState({ source: AREA_SOURCE, id: this.ids.get(name)! }, { selected: true });
    this.selected = name;
  }

  private setHover(name: string | null): void {
    if (name === this.hovered) return;
    if (this.hovered !== null && this.ids.has(this.hovered)) this.map.setFeatureState({ source: AREA_SOURCE, id: this.ids.get(this.hovered)! }, { hover: false });
    if (name !== null && this.ids.has(name)) this.map.setFeatureState({ source: AREA_SOURCE, id: this.ids.get(name)! }, { hover: true });
    this.hovered = name;
  }

  /** The feature-state id of an area (tests and the benchmark read feature state by it). */
  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** The area under a point of the map canvas, when the areas are drawn coloured. */
  areaAt(point: { x: number; y: number }): string | null {
    if (this.mode !== 'fill' || !this.map.getLayer(AREA_LAYERS.fill)) return null;
    return (this.map.queryRenderedFeatures([point.x, point.y], { layers: [AREA_LAYERS.fill] })[0]?.properties?.name as string | undefined) ?? null;
  }

  /** Distinct area names drawn on screen in the current mode. */
  renderedNames(): string[] {
    const layer = this.mode === 'fill' ? AREA_LAYERS.fill : AREA_LAYERS.line;
    if (this.mode === 'off' || !this.map.getLayer(layer)) return [];
    return [...new Set(this.map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties?.name as string))];
  }
}

/** The largest polygon of an area, where its name goes. */
function largestPart(a: Areas[number]): GeoJSON.Feature<GeoJSON.Polygon> {
  const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
  const size = (p: GeoJSON.Position[][]) => {
    const r = p[0];
    let s = 0;
    for (let i = 1; i < r.length; i++) s += r[i - 1][0] * r[i][1] - r[i][0] * r[i - 1][1];
    return Math.abs(s);
  };
  const best = polys.reduce((m, p) => (size(p) > size(m) ? p : m), polys[0]);
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: best } };
}
