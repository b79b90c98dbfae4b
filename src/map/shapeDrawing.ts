/**
 * Drawing a box or a polygon on the map to select tracts, with terra-draw (loaded on first use).
 * One shape at a time: the shape is handed over when finished and removed from the map.
 */
import type { Map as MapLibre } from 'maplibre-gl';

export type ShapeKind = 'box' | 'polygon';

export interface ShapeDrawing {
  /** Resolves with the finished shape, or null when cancelled (Escape, or another draw). */
  draw(kind: ShapeKind): Promise<GeoJSON.Polygon | null>;
  cancel(): void;
}

export async function shapeDrawing(map: MapLibre): Promise<ShapeDrawing> {
  const [{ TerraDraw, TerraDrawRectangleMode, TerraDrawPolygonMode }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')]);
  const style = { fillColor: '#ffffff', fillOpacity: 0.15, outlineColor: '#000000', outlineWidth: 2 } as const;
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [
      new TerraDrawRectangleMode({ styles: style as never }),
      new TerraDrawPolygonMode({ styles: { ...style, closingPointColor: '#000000', closingPointWidth: 6, closingPointOutlineColor: '#ffffff', closingPointOutlineWidth: 2 } as never }),
    ],
  });
  draw.start();
  let pending: ((shape: GeoJSON.Polygon | null) => void) | null = null;
  const settle = (shape: GeoJSON.Polygon | null) => {
    const resolve = pending;
    pending = null;
    draw.clear();
    draw.setMode('static');
    resolve?.(shape);
  };
  draw.on('finish', (id) => {
    const feature = draw.getSnapshotFeature(id);
    settle(feature?.geometry.type === 'Polygon' ? (feature.geometry as GeoJSON.Polygon) : null);
  });
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && pending && settle(null);
  window.addEventListener('keydown', onKey);
  map.once('remove', () => window.removeEventListener('keydown', onKey));
  return {
    draw(kind) {
      if (pending) settle(null);
      return new Promise((resolve) => {
        pending = resolve;
        draw.setMode(kind === 'box' ? 'rectangle' : 'polygon');
      });
    },
    cancel: () => pending && settle(null),
  };
}
