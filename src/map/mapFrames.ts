/**
 * What makes maplibre draw a frame, kept to what is needed (issue 8): on software WebGL every frame
 * of the tract map holds the main thread 0.15–0.4 s (its commit waits for the canvas to be drawn).
 */
import type { Map as MapLibre } from 'maplibre-gl';

/**
 * Set a layout property only when its value changes: maplibre draws the whole map again after every
 * call, even one that changes nothing (on software WebGL a frame of the tract map is 0.15–0.4 s of
 * the main thread, issue 8).
 */
export function setLayout(map: MapLibre, layer: string, name: Parameters<MapLibre['setLayoutProperty']>[1], value: Parameters<MapLibre['setLayoutProperty']>[2]): void {
  if (!map.getLayer(layer) || JSON.stringify(map.getLayoutProperty(layer, name)) === JSON.stringify(value)) return;
  map.setLayoutProperty(layer, name, value);
}

/**
 * Whether the map will draw again by itself (a frame asked for, a tile or the style loading, a
 * move): an `idle` event follows then. Reads maplibre's pending frame (`_frameRequest`, maplibre
 * 5–6); should that name change, the map is taken as done when its tiles are.
 */
export function mapWillDraw(map: MapLibre): boolean {
  return !!(map as unknown as { _frameRequest?: unknown })._frameRequest || !map.loaded() || map.isMoving();
}
