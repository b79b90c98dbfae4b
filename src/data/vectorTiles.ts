/**
 * Boundaries cut into Mapbox vector tiles for large bundles, once at build time instead of in every
 * visitor's browser: shared borders simplified once for both neighbours (sharedBorders.ts), cut by
 * tileCutter.ts, encoded by mvtEncode.ts (two layers, geometry once).
 *
 * Simplification is zoom-dependent (Douglas–Peucker at `TILE_TOLERANCE` tile units, 4096 units per
 * tile; none at the deepest zoom). No tract is left out for being small: below zoom 8 vertices are
 * rounded to a grid of whole or half pixels (`tileGrid`), on which a tract smaller than a cell has no
 * area and its neighbours close over it; a tract that covers a pixel is always in its zoom's tiles.
 */
import { gzipSync } from 'fflate';
import { encodeTile, type LayerSpec } from './mvtEncode';
import { sharedBorderFeatures } from './sharedBorders';
import { cutTiles } from './tileCutter';
import type { BoundaryFeature } from './boundaries';
import type { IncomeTable } from './income';
import { pointOnFeature } from '@turf/turf';
import { writePmtiles, type Tile } from './pmtiles';

export const TILE_LAYER = 'tracts';
/**
 * The same tracts again, with GEOID (and `hatch`) only, for every map layer but the fill: tract
 * lines, hover / opened / selected outlines, flags, water and the hatch. maplibre updates, for each
 * tract whose feature state changes, every layer of the source layer the state is set on: with the
 * fill alone on its layer, a recolour (colour by, AMI, year) updates one bucket per tile and a hover
 * none of the fill's (issue 10). The tiles grow by the geometry written twice.
 */
export const TILE_OUTLINE_LAYER = 'tract_lines';
export const TILE_EXTENT = 4096;
/** Each tile's layers: the tracts with all their properties, and again with GEOID and hatch for the map's other layers. */
const TILE_LAYERS: readonly LayerSpec[] = [
  { name: TILE_LAYER, keep: null },
  { name: TILE_OUTLINE_LAYER, keep: ['GEOID', 'hatch'] },
];
export const TILE_TOLERANCE = 3;
/**
 * The grid, tile units, vertices are rounded to at a zoom: whole pixels of the tile drawn 512 px wide
 * (8 units) up to zoom 4, half pixels from 5 to 7 (a tile is drawn up to twice its size before the
 * next zoom replaces it, and there tracts begin to show their shapes), the tile's own units from 8
 * on. On such a grid a tract smaller than about a cell has no area left, and its neighbours, rounded
 * to the same points, close over it (sharedBorders.ts): a dense city seen from a state or country
 * zoom is covered by its larger tracts, with no hole, and the national tiles at zoom 3–4 hold a
 * fraction of the tracts (85,000-tract scale set: 11,505 of them at zoom 3, 28,369 at zoom 4).
 */
export function tileGrid(z: number): number {
  return z <= 4 ? 8 : z < 8 ? 4 : 1;
}
/** A tract that covers a pixel (8 × 8 units on a tile drawn 512 px wide) stays in its zoom's tiles, however thin. */
export const TILE_KEEP_AREA = 64;
/** Tile units each tile reaches past its edges (maplibre's GeoJSON sources use 128 of 8192). */
export const TILE_BUFFER = 64;
/**
 * Deepest zoom cut; maplibre draws deeper zooms from these tiles. At 11, one tile unit is 4.9 m at
 * the equator (3.7 m at 40° N): finer than the Census cartographic files' generalisation (1:500,000)
 * and than a block face, and each zoom more would take about four times the tiles.
 */
export const DEFAULT_TILE_MAX_ZOOM = 11;

/**
 * Gzip for the tiles: fflate by default (runs anywhere); the CLI passes node's zlib, the same format
 * about 3× as fast (issue 10: at 85,000 tracts fflate took 12 of the build's 50 s).
 */
export type Gzip = (bytes: Uint8Array) => Uint8Array;

export interface TileSet {
  readonly tiles: Tile[];
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly bounds: [number, number, number, number];
}

/** Households of a unit as the sum of its brackets (plain arrays, or views after the loading worker). */
function bracketSum(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i];
  return sum;
}

/**
 * The tracts the map may draw hatched in some view of a bundle: absent from a year's income table,
 * or without households in it (TractMap hatches tracts without figures or without households).
 * Written into the tiles, so that the hatch layer holds only these tracts: maplibre updates every
 * layer that reads feature state for each tract whose state changes, and a hatch layer over every
 * tract made each recolour pay for a second fill layer (issue 10). Every year must be on these
 * boundaries (a crosswalked year may leave other tracts without figures).
 */
export function hatchableTracts(geoids: readonly string[], tables: readonly Pick<IncomeTable, 'units'>[]): Set<string> {
  const hatchable = new Set<string>();
  for (const table of tables) {
    // The map counts households as the sum of the brackets (core/analyze.ts); the table's total too, to be safe.
    const households = new Map(table.units.map((u) => [u.geoid, Math.min(u.total, bracketSum(u.counts))]));
    for (const g of geoids) {
      const total = households.get(g);
      if (total === undefined || !(total > 0)) hatchable.add(g);
    }
  }
  return hatchable;
}

/**
 * Cut features (properties GEOID and name; with `hatchable`, also `hatch`: 1 for those tracts, else 0)
 * into gzipped vector tiles, zoom 0 to `maxZoom`: layer TILE_LAYER, and TILE_OUTLINE_LAYER with the
 * same geometry, GEOID and (with `hatchable`) hatch.
 */
export function cutVectorTiles(features: readonly BoundaryFeature[], maxZoom = DEFAULT_TILE_MAX_ZOOM, hatchable?: ReadonlySet<string>, gzip: Gzip = gzipSync): TileSet {
  const tags = features.map((f) => ({ GEOID: f.properties.GEOID, name: f.properties.name ?? '', ...(hatchable ? { hatch: hatchable.has(f.properties.GEOID) ? 1 : 0 } : {}) }));
  const tiles: Tile[] = [];
  cutTiles(sharedBorderFeatures(features), { maxZoom, extent: TILE_EXTENT, buffer: TILE_BUFFER, tolerance: TILE_TOLERANCE, grid: tileGrid, keepArea: TILE_KEEP_AREA }, (z, x, y, cut) => {
    if (!cut.length) return;
    const encoded = encodeTile(cut.map((f) => ({ type: 3, geometry: f.rings, tags: tags[f.index] })), TILE_LAYERS, TILE_EXTENT);
    tiles.push({ z, x, y, data: gzip(encoded) });
  });
  let [w, s, e, n] = [180, 90, -180, -90];
  const extend = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    } else (c as unknown[]).forEach(extend);
  };
  for (const f of features) extend(f.geometry.coordinates);
  return { tiles, minZoom: 0, maxZoom, bounds: [w, s, e, n] };
}

/**
 * Above this many features `tractmix build` writes tiles (`--tiles auto`): measured (issue 10), one
 * GeoJSON source costs ~12 ms and ~30 MB per 1,000 tracts to first draw, tiles ~2 s flat for a
 * national set; below a few thousand tracts the single GeoJSON file is as quick and simpler to host.
 */
export const TILED_BUNDLE_MIN_FEATURES = 5000;

/** A PMTiles archive of the features and a point inside each (for the tract list). */
export function boundaryArchive(features: readonly BoundaryFeature[], maxZoom = DEFAULT_TILE_MAX_ZOOM, hatchable?: ReadonlySet<string>, gzip?: Gzip): {
  bytes: Uint8Array;
  tiles: { layer: string; outlineLayer: string; minzoom: number; maxzoom: number; bounds: [number, number, number, number]; hatch?: string[]; sharedBorders: true };
  points: Map<string, [number, number]>;
} {
  const set = cutVectorTiles(features, maxZoom, hatchable, gzip);
  const bytes = writePmtiles(set.tiles, {
    tileType: 'mvt',
    tileCompression: 'gzip',
    minZoom: set.minZoom,
    maxZoom: set.maxZoom,
    bounds: set.bounds,
    metadata: {
      name: 'tractmix boundaries',
      vector_layers: [
        { id: TILE_LAYER, fields: { GEOID: 'String', name: 'String', ...(hatchable ? { hatch: 'Number' } : {}) }, minzoom: set.minZoom, maxzoom: set.maxZoom },
        { id: TILE_OUTLINE_LAYER, fields: { GEOID: 'String', ...(hatchable ? { hatch: 'Number' } : {}) }, minzoom: set.minZoom, maxzoom: set.maxZoom },
      ],
    },
  });
  const points = new Map(features.map((f) => [f.properties.GEOID, pointOnFeature(f).geometry.coordinates as [number, number]]));
  const hatch = hatchable ? features.map((f) => f.properties.GEOID).filter((g) => hatchable.has(g)) : undefined;
  return { bytes, tiles: { layer: TILE_LAYER, outlineLayer: TILE_OUTLINE_LAYER, minzoom: set.minZoom, maxzoom: set.maxZoom, bounds: set.bounds, ...(hatch ? { hatch } : {}), sharedBorders: true }, points };
}
