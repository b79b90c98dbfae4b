/**
 * The vector-tile encoder decoded by @mapbox/vector-tile (the reader maplibre's own is built on) and
 * compared with @maplibre/vt-pbf's encoding of the same geojson-vt features: the same features,
 * ids, types, geometry and properties in every layer, the geometry bytes the same.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { encodeTile, type TileFeature } from '../../src/data/mvtEncode';
import { loadBundle } from '../../src/data/bundle';

/** Hand-made features as geojson-vt hands them over: a polygon with a hole, a line, two points; tile units. */
const features: TileFeature[] = [
  { id: 7, type: 3, geometry: [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[10, 10], [10, 20], [20, 20], [10, 10]]], tags: { GEOID: '17031010100', name: 'Tract 101', hatch: 1 } },
  { id: 300, type: 2, geometry: [[[5, 5], [4000, 4090], [-60, 4100]]], tags: { name: 'Tract 102', GEOID: '17031010200', hatch: 0, share: 0.25, delta: -3, open: true } },
  { type: 1, geometry: [[2048, 2048], [-10, 5000]], tags: { hatch: 0, name: 'Doña Ana 103', missing: null } },
];

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes)).layers;

describe('encodeTile', () => {
  it('writes both layers: every feature with its id, type and geometry, and the properties each keeps', () => {
    const layers = decode(encodeTile(features, [{ name: 'tracts', keep: null }, { name: 'tract_lines', keep: ['GEOID'] }], 4096));
    expect(Object.keys(layers)).toEqual(['tracts', 'tract_lines']);
    const [all, lines] = [layers.tracts, layers.tract_lines];
    expect([all.length, lines.length, all.extent, lines.version]).toEqual([3, 3, 4096, 2]);
    expect([0, 1, 2].map((i) => all.feature(i).properties)).toEqual([
      { GEOID: '17031010100', name: 'Tract 101', hatch: 1 },
      { name: 'Tract 102', GEOID: '17031010200', hatch: 0, share: 0.25, delta: -3, open: true },
      { hatch: 0, name: 'Doña Ana 103' },
    ]);
    expect([0, 1, 2].map((i) => lines.feature(i).properties)).toEqual([{ GEOID: '17031010100' }, { GEOID: '17031010200' }, {}]);
    expect([0, 1, 2].map((i) => [all.feature(i).id, all.feature(i).type])).toEqual([[7, 3], [300, 2], [undefined, 1]]);
    for (let i = 0; i < 3; i++) expect(lines.feature(i).loadGeometry()).toEqual(all.feature(i).loadGeometry());
    // Worked by hand (§4.3): the polygon's rings without their closing vertex, the line and the points as given.
    const xy = (i: number) => all.feature(i).loadGeometry().map((r) => r.map((p) => [p.x, p.y]));
    expect(xy(0)).toEqual([[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[10, 10], [10, 20], [20, 20], [10, 10]]]);
    expect(xy(1)).toEqual([[[5, 5], [4000, 4090], [-60, 4100]]]);
    expect(xy(2)).toEqual([[[2048, 2048]], [[-10, 5000]]]);
  });

  it('the bytes of a one-layer tile are those vt-pbf writes, on hand-made features and on the demo tracts at zooms 0–10', async () => {
    const same = (fs: readonly TileFeature[]) => expect([...encodeTile(fs, [{ name: 'tracts', keep: null }], 4096)]).toEqual([...fromGeojsonVt({ tracts: { features: fs } } as never, { version: 2, extent: 4096 })]);
    same(features.map(({ tags, ...f }) => ({ ...f, tags: Object.fromEntries(Object.entries(tags ?? {}).filter(([, v]) => v !== null)) })));
    const bundle = await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8'));
    const demo = bundle.boundaries.get('2010')!.features;
    const index = new GeoJSONVT({ type: 'FeatureCollection', features: demo.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { GEOID: f.properties.GEOID, name: f.properties.name ?? '' } })) } as never, { maxZoom: 10, tolerance: 3, extent: 4096, buffer: 64 } as never);
    let tiles = 0;
    const visit = (z: number, x: number, y: number) => {
      const tile = index.getTile(z, x, y);
      if (!tile) return;
      if (tile.features.length) (same(tile.features as unknown as TileFeature[]), tiles++);
      if (z < 10) for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) visit(z + 1, x * 2 + dx, y * 2 + dy);
    };
    visit(0, 0, 0);
    // The demo covers a small area: 16 tiles hold tracts at zooms 0–10.
    expect(tiles).toBe(16);
  });

  it('rings given as flat x, y pairs (the tile cutter\'s form) encode to the same bytes as rings of [x, y]', () => {
    const pairs: TileFeature = { type: 3, geometry: [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[10, 10], [10, 20], [20, 20], [10, 10]]], tags: { GEOID: '17031010100' } };
    // The first vertex repeated at the end, or not: both are one closed ring.
    const flat: TileFeature = { type: 3, geometry: [Int32Array.of(0, 0, 100, 0, 100, 100, 0, 100), Int32Array.of(10, 10, 10, 20, 20, 20, 10, 10)], tags: { GEOID: '17031010100' } };
    const layers = [{ name: 'tracts', keep: null }] as const;
    expect([...encodeTile([flat], layers, 4096)]).toEqual([...encodeTile([pairs], layers, 4096)]);
  });
});
