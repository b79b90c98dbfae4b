/**
 * The PMTiles writer read back by the `pmtiles` reader (the one the app uses), and the vector
 * tiles cut from real boundaries: every tract that covers a pixel is in its zoom's tiles.
 */
import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'fflate';
import { PMTiles, type Source, type RangeResponse } from 'pmtiles';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { readFileSync } from 'node:fs';
import { HEADER_BYTES, writePmtiles, type Tile } from '../../src/data/pmtiles';
import { boundaryArchive, cutVectorTiles, hatchableTracts, TILE_LAYER, TILE_OUTLINE_LAYER } from '../../src/data/vectorTiles';
import { loadBundle } from '../../src/data/bundle';
import { describeRealData, realDataPath } from '../helpers/realData';
import { readBoundaries } from '../../src/data/boundaries';

/** The reader over bytes in memory, as it reads a file over HTTP ranges. */
class BytesSource implements Source {
  readonly ranges: [number, number][] = [];
  constructor(private readonly bytes: Uint8Array) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.ranges.push([offset, length]);
    return { data: this.bytes.slice(offset, offset + length).buffer };
  }
}

const text = (s: string) => new TextEncoder().encode(s);
const options = { tileType: 'mvt', tileCompression: 'none', minZoom: 0, maxZoom: 14, bounds: [-88.5, 41.5, -87.5, 42.5], metadata: { name: 'test', vector_layers: [{ id: 'tracts' }] } } as const;

describe('writePmtiles', () => {
  it('writes a header the reader understands: zooms, bounds, compression, counts', async () => {
    const archive = writePmtiles([{ z: 0, x: 0, y: 0, data: text('zero') }, { z: 1, x: 1, y: 0, data: text('one-one-zero') }], options);
    expect(new TextDecoder().decode(archive.slice(0, 7))).toBe('PMTiles');
    expect(archive[7]).toBe(3);
    const header = await new PMTiles(new BytesSource(archive)).getHeader();
    expect(header).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 14, minLon: -88.5, minLat: 41.5, maxLon: -87.5, maxLat: 42.5, numAddressedTiles: 2, numTileEntries: 2, numTileContents: 2, clustered: true, internalCompression: 2, tileCompression: 1, tileType: 1, rootDirectoryOffset: HEADER_BYTES });
    expect(await new PMTiles(new BytesSource(archive)).getMetadata()).toEqual(options.metadata);
  });
  it('returns each tile by z/x/y, given in any order, and nothing for a tile not written', async () => {
    const tiles: Tile[] = [];
    for (let z = 0; z <= 3; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y += 2) tiles.push({ z, x, y, data: text(`${z}/${x}/${y}`) });
    const reader = new PMTiles(new BytesSource(writePmtiles([...tiles].reverse(), options)));
    for (const t of tiles) expect(new TextDecoder().decode(new Uint8Array((await reader.getZxy(t.z, t.x, t.y))!.data))).toBe(`${t.z}/${t.x}/${t.y}`);
    expect(await reader.getZxy(3, 0, 1)).toBeUndefined();
    expect(await reader.getZxy(5, 0, 0)).toBeUndefined();
  });
  it('moves entries to leaf directories when the root would pass 16 KiB, and still finds every tile', async () => {
    // 30,000 tiles scattered over zoom 10 with lengths that vary: a root of all entries would be ~90 KB.
    const tiles: Tile[] = [];
    const seen = new Set<number>();
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    while (tiles.length < 30_000) {
      const [x, y] = [Math.floor(random() * 1024), Math.floor(random() * 1024)];
      if (seen.has(x * 1024 + y)) continue;
      seen.add(x * 1024 + y);
      tiles.push({ z: 10, x, y, data: text(`${x}/${y}`.padEnd(1 + Math.floor(random() * 300), '.')) });
    }
    const archive = writePmtiles(tiles, { ...options, minZoom: 10, maxZoom: 10 });
    const source = new BytesSource(archive);
    const reader = new PMTiles(source);
    const header = await reader.getHeader();
    expect(header.leafDirectoryLength).toBeGreaterThan(0);
    expect(HEADER_BYTES + header.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    for (const t of [...tiles.slice(0, 50), ...tiles.slice(-50)]) {
      const got = await reader.getZxy(10, t.x, t.y);
      expect(new TextDecoder().decode(new Uint8Array(got!.data))).toBe(new TextDecoder().decode(t.data));
    }
    const absent = [...Array(1024 * 1024).keys()].find((k) => !seen.has(k))!;
    expect(await reader.getZxy(10, Math.floor(absent / 1024), absent % 1024)).toBeUndefined();
  });
  it('stores gzipped tiles as they are, flagged gzip in the header', async () => {
    const archive = writePmtiles([{ z: 0, x: 0, y: 0, data: gzipSync(text('tile')) }], { ...options, tileCompression: 'gzip' });
    const source = new BytesSource(archive);
    const reader = new PMTiles(source);
    expect((await reader.getHeader()).tileCompression).toBe(2);
    // The reader un-gzips tiles itself: the bytes it returns are the tile.
    expect(new TextDecoder().decode(new Uint8Array((await reader.getZxy(0, 0, 0))!.data))).toBe('tile');
  });
});

/** Ids in each tile of a tile set, decoded with maplibre's own vector-tile reader. */
function idsByZoom(tiles: Tile[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const t of tiles) {
    const layer = new VectorTile(new PbfReader(gunzipSync(t.data))).layers[TILE_LAYER];
    const ids = out.get(t.z) ?? new Set<string>();
    for (let i = 0; i < layer.length; i++) ids.add(String(layer.feature(i).properties.GEOID));
    out.set(t.z, ids);
  }
  return out;
}

/** Web-Mercator area of a feature in pixels² at a zoom (512-px tiles, as maplibre draws them). */
function pixelArea(f: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>, z: number): number {
  const px = (lon: number, lat: number) => {
    const s = 512 * 2 ** z;
    const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    return [((lon + 180) / 360) * s, (0.5 - y / (2 * Math.PI)) * s];
  };
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let area = 0;
  for (const poly of polygons) {
    poly.forEach((ring, r) => {
      let a = 0;
      const pts = ring.map(([x, y]) => px(x, y));
      for (let i = 0; i + 1 < pts.length; i++) a += pts[i][0] * pts[i + 1][1] - pts[i + 1][0] * pts[i][1];
      area += (r === 0 ? 1 : -1) * Math.abs(a / 2);
    });
  }
  return area;
}

describe('cutVectorTiles', () => {
  it("the demo's tracts: every tract that covers a pixel is in its zoom's tiles, all of them at the deepest zoom", async () => {
    const bundle = await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8'));
    const features = bundle.boundaries.get('2010')!.features;
    const set = cutVectorTiles(features, 10);
    const ids = idsByZoom(set.tiles);
    expect(ids.get(10)!.size).toBe(features.length);
    for (let z = 0; z <= 10; z++) {
      const visible = features.filter((f) => pixelArea(f, z) >= 1).map((f) => f.properties.GEOID);
      const missing = visible.filter((g) => !ids.get(z)?.has(g));
      expect(missing, `zoom ${z}`).toEqual([]);
    }
    const [w, s, e, n] = set.bounds;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
  });
  it('marks the tracts that can be hatched (hatch = 1, else 0) in every tile, and lists them for bundle.json', async () => {
    const bundle = await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8'));
    const features = bundle.boundaries.get('2010')!.features;
    const hatchable = new Set([features[0].properties.GEOID, features[5].properties.GEOID]);
    const set = cutVectorTiles(features, 8, hatchable);
    const seen = new Map<string, number>();
    for (const t of set.tiles) {
      const layer = new VectorTile(new PbfReader(gunzipSync(t.data))).layers[TILE_LAYER];
      for (let i = 0; i < layer.length; i++) {
        const p = layer.feature(i).properties;
        seen.set(String(p.GEOID), Math.max(seen.get(String(p.GEOID)) ?? 0, Number(p.hatch)));
        expect([0, 1]).toContain(p.hatch);
      }
    }
    expect([...seen].filter(([, h]) => h === 1).map(([g]) => g).sort()).toEqual([...hatchable].sort());
    expect(boundaryArchive(features.slice(0, 8), 6, hatchable).tiles.hatch).toEqual([features[0].properties.GEOID, features[5].properties.GEOID]);
    // Without the set, no property (bundles built before it hatch from every tract).
    const plain = new VectorTile(new PbfReader(gunzipSync(cutVectorTiles(features, 4).tiles[0].data))).layers[TILE_LAYER].feature(0).properties;
    expect(plain.hatch).toBeUndefined();
  });
  it('every tile holds the tracts twice: the fill layer, and the lines layer with the same geometry, GEOID and hatch', async () => {
    const bundle = await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8'));
    const features = bundle.boundaries.get('2010')!.features;
    const hatchable = new Set([features[3].properties.GEOID]);
    const set = cutVectorTiles(features, 6, hatchable);
    let compared = 0;
    for (const t of set.tiles) {
      const layers = new VectorTile(new PbfReader(gunzipSync(t.data))).layers;
      expect(Object.keys(layers).sort()).toEqual([TILE_LAYER, TILE_OUTLINE_LAYER].sort());
      const [fill, lines] = [layers[TILE_LAYER], layers[TILE_OUTLINE_LAYER]];
      expect(lines.length).toBe(fill.length);
      for (let i = 0; i < fill.length; i++) {
        const [a, b] = [fill.feature(i), lines.feature(i)];
        expect(b.properties).toEqual({ GEOID: a.properties.GEOID, hatch: a.properties.hatch });
        expect(b.type).toBe(a.type);
        expect(b.loadGeometry()).toEqual(a.loadGeometry());
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(features.length);
    const archive = boundaryArchive(features.slice(0, 8), 4);
    expect(archive.tiles).toMatchObject({ layer: 'tracts', outlineLayer: 'tract_lines' });
    const header = await new PMTiles(new BytesSource(archive.bytes)).getMetadata();
    expect((header as { vector_layers: { id: string; fields: object }[] }).vector_layers).toEqual([
      { id: 'tracts', fields: { GEOID: 'String', name: 'String' }, minzoom: 0, maxzoom: 4 },
      { id: 'tract_lines', fields: { GEOID: 'String' }, minzoom: 0, maxzoom: 4 },
    ]);
    // With the tracts that can be hatched, both layers carry `hatch`.
    const hatched = await new PMTiles(new BytesSource(boundaryArchive(features.slice(0, 8), 4, hatchable).bytes)).getMetadata();
    expect((hatched as { vector_layers: { id: string; fields: object }[] }).vector_layers.map((l) => l.fields)).toEqual([
      { GEOID: 'String', name: 'String', hatch: 'Number' },
      { GEOID: 'String', hatch: 'Number' },
    ]);
  });
  it('hatchableTracts: tracts missing from a year, or without households (total or brackets) in one', () => {
    const unit = (geoid: string, total: number, counts: number[]) => ({ geoid, line: 2, total, counts, moe: null, totalMoe: null, publishedMedian: null });
    const y2000 = { units: [unit('a', 10, [4, 6]), unit('b', 0, [0, 0]), unit('c', 5, [2, 3]), unit('d', 7, [0, 0])] };
    const y2018 = { units: [unit('a', 12, [6, 6]), unit('b', 3, [1, 2]), unit('d', 7, [3, 4])] };
    // b: no households in 2000; c: not in 2018; d: its brackets sum to 0 in 2000; e: in no year.
    expect([...hatchableTracts(['a', 'b', 'c', 'd', 'e'], [y2000, y2018])].sort()).toEqual(['b', 'c', 'd', 'e']);
  });
  describeRealData('Chicago tracts (cb_2018_17_tract_500k)', () => {
    it('every tract that covers a pixel at zooms 4–12 is in the tiles, with its GEOID and name', async () => {
      const shp = realDataPath('udp-chicago/cb_2018_17_tract_500k.shp');
      const parts = ['shp', 'dbf', 'prj', 'cpg'].map((ext) => ({ name: `cb_2018_17_tract_500k.${ext}`, bytes: new Uint8Array(readFileSync(shp.replace(/shp$/, ext))) }));
      const set = await readBoundaries(parts);
      const cut = cutVectorTiles(set.features, 12);
      const ids = idsByZoom(cut.tiles);
      expect(ids.get(12)!.size).toBe(set.features.length);
      for (let z = 4; z <= 12; z++) {
        const visible = set.features.filter((f) => pixelArea(f, z) >= 1).map((f) => f.properties.GEOID);
        expect(visible.filter((g) => !ids.get(z)?.has(g)), `zoom ${z}`).toEqual([]);
      }
      const first = cut.tiles.find((t) => t.z === 12)!;
      const feature = new VectorTile(new PbfReader(gunzipSync(first.data))).layers[TILE_LAYER].feature(0);
      expect(String(feature.properties.GEOID)).toMatch(/^17\d{9}$/);
      expect(String(feature.properties.name)).not.toBe('');
    }, 180_000);
  });
});
