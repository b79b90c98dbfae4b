/**
 * Community assets on the map (issue 12): one circle per point, coloured by its category, on top
 * of everything. Categories are switched on and off through feature state (`off`), never through
 * a filter or a data-driven paint change, as the tracts are painted (TractMap.ts, issue 10).
 */
import type { GeoJSONSource, Map as MapLibre, MapMouseEvent } from 'maplibre-gl';
import { CATEGORY_COLORS, categoryKey } from './layerStyle';

export const POINT_SOURCE = 'user-points';
export const POINT_LAYER = 'user-points-circle';

export { CATEGORY_COLORS, categoryColor, categoryKey, type PointCategory } from './layerStyle';

export interface MapPoint {
  readonly layer: string;
  readonly category: string;
  readonly name: string;
  readonly lon: number;
  readonly lat: number;
  readonly colorIndex: number;
}

/** The hover callback's view of a point. */
export interface HoveredPoint {
  readonly layer: string;
  readonly category: string;
  readonly name: string;
}

const COLOR_EXPRESSION = ['match', ['%', ['get', 'ci'], CATEGORY_COLORS.length], ...CATEGORY_COLORS.flatMap((c, i) => [i, c]), '#666666'];
const shown = ['!', ['boolean', ['feature-state', 'off'], false]];

export class PointsLayer {
  private keys: string[] = [];
  private off = new Set<string>();
  private hovered: HoveredPoint | null = null;

  constructor(
    private readonly map: MapLibre,
    private readonly events: { onHover?: (point: HoveredPoint | null, at: { x: number; y: number } | null) => void } = {},
  ) {}

  /** The points until the layer is made: nothing is added to the map while every category is off. */
  private data: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

  private get made(): boolean {
    return !!this.map.getSource(POINT_SOURCE);
  }

  /** Make the source with its data (a source made empty and then given data loads twice) and the layer, once. */
  private ensure(): void {
    const map = this.map;
    if (this.made) return;
    map.addSource(POINT_SOURCE, { type: 'geojson', data: this.data, promoteId: 'pid' });
    map.addLayer({
      id: POINT_LAYER,
      type: 'circle',
      source: POINT_SOURCE,
      paint: {
        'circle-color': COLOR_EXPRESSION as never,
        // `zoom` may only be the input of a top-level interpolate.
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, ['case', shown, 4, 0], 15, ['case', shown, 8, 0]] as never,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['case', shown, 1.4, 0] as never,
      },
    });
    map.on('mousemove', POINT_LAYER, (e: MapMouseEvent & { features?: { properties: Record<string, unknown> }[] }) => {
      const p = e.features?.[0]?.properties;
      this.hovered = p ? { layer: String(p.layer), category: String(p.category), name: String(p.name ?? '') } : null;
      this.events.onHover?.(this.hovered, { x: e.point.x, y: e.point.y });
    });
    map.on('mouseleave', POINT_LAYER, () => {
      this.hovered = null;
      this.events.onHover?.(null, null);
    });
  }

  /** Replace the points of every layer; `hidden`: the categories switched off (default: as before). */
  setPoints(points: readonly MapPoint[], hidden: ReadonlySet<string> = this.off): void {
    this.keys = points.map((p) => categoryKey(p.layer, p.category));
    const data: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: points.map((p, i) => ({
        type: 'Feature',
        properties: { pid: i, layer: p.layer, category: p.category, name: p.name, ci: p.colorIndex },
        geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      })),
    };
    this.data = data;
    if (!this.made) {
      // Made (and the hidden ones written) once some point is drawn.
      this.off = new Set();
      this.setHidden(hidden);
      return;
    }
    (this.map.getSource(POINT_SOURCE) as GeoJSONSource).setData(data);
    // setData keeps feature state by id: the new points start drawn, then the hidden ones are written.
    this.map.removeFeatureState({ source: POINT_SOURCE });
    this.off = new Set();
    this.setHidden(hidden);
  }

  /** Categories (`layer.category` keys) switched off; the others are drawn. */
  setHidden(keys: ReadonlySet<string>): void {
    if (!this.made) {
      if (this.keys.every((k) => keys.has(k))) {
        this.off = new Set(keys);
        return;
      }
      this.ensure();
      // A new source has no state: every hidden point is written.
      this.off = new Set();
    }
    this.keys.forEach((k, i) => {
      const was = this.off.has(k);
      const now = keys.has(k);
      if (was !== now) this.map.setFeatureState({ source: POINT_SOURCE, id: i }, { off: now });
    });
    this.off = new Set(keys);
  }

  /** Points drawn on screen (their categories switched on), by key, for tests. */
  renderedCounts(): Record<string, number> {
    if (!this.map.getLayer(POINT_LAYER)) return {};
    const out: Record<string, number> = {};
    const seen = new Set<number>();
    for (const f of this.map.queryRenderedFeatures({ layers: [POINT_LAYER] })) {
      const id = f.properties?.pid as number;
      if (seen.has(id)) continue;
      seen.add(id);
      if (f.state?.off) continue;
      const key = categoryKey(String(f.properties?.layer), String(f.properties?.category));
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }
}
