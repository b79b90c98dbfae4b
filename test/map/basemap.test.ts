/** Basemap choice and merge rules, and the offline context derived from tracts (worked by hand). */
import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from 'maplibre-gl';
import { basemapPlace, basemapUrl, BASEMAPS, prepareBasemap } from '../../src/map/basemap';
import { geoContext, isWaterTract, labelPoint, tractNumber } from '../../src/data/geoContext';

describe('basemapUrl', () => {
  it('names the two styles, resolves relative URLs, refuses what is not http(s)', () => {
    expect(basemapUrl(null, 'http://127.0.0.1/app/').url).toBe(BASEMAPS.light.url);
    expect(basemapUrl('streets', 'http://127.0.0.1/app/').url).toBe(BASEMAPS.streets.url);
    expect(basemapUrl('none', 'http://127.0.0.1/app/')).toEqual({ url: null });
    expect(basemapUrl('style.json', 'http://127.0.0.1/app/').url).toBe('http://127.0.0.1/app/style.json');
    expect(basemapUrl('javascript:alert(1)', 'http://127.0.0.1/').problem).toMatch(/"javascript:" addresses are not loaded \(only http, https/);
    expect(basemapUrl('data:application/json,{}', 'http://127.0.0.1/').url).toBeNull();
  });
});

describe('basemapPlace', () => {
  const layer = (l: object) => l as LayerSpecification;
  it('puts land under the tracts, water and roads over them, labels on top', () => {
    expect(basemapPlace(layer({ id: 'landcover_wood', type: 'fill', source: 'o', 'source-layer': 'landcover' }))).toBe('below');
    expect(basemapPlace(layer({ id: 'park', type: 'fill', source: 'o', 'source-layer': 'park' }))).toBe('below');
    expect(basemapPlace(layer({ id: 'water', type: 'fill', source: 'o', 'source-layer': 'water' }))).toBe('water');
    expect(basemapPlace(layer({ id: 'waterway', type: 'line', source: 'o', 'source-layer': 'waterway' }))).toBe('water');
    expect(basemapPlace(layer({ id: 'highway_minor', type: 'line', source: 'o', 'source-layer': 'transportation' }))).toBe('roads');
    expect(basemapPlace(layer({ id: 'boundary_state', type: 'line', source: 'o', 'source-layer': 'boundary' }))).toBe('roads');
    expect(basemapPlace(layer({ id: 'place_city', type: 'symbol', source: 'o', 'source-layer': 'place' }))).toBe('labels');
  });
});

describe('prepareBasemap', () => {
  it('prefixes ids, resolves relative URLs against the style, drops the background, keeps the label font', () => {
    const p = prepareBasemap(
      {
        version: 8,
        glyphs: 'fonts/{fontstack}/{range}.pbf',
        sprite: 'sprites/s',
        sources: { o: { type: 'vector', tiles: ['tiles/{z}/{x}/{y}.pbf'] } },
        layers: [
          { id: 'bg', type: 'background' },
          { id: 'water', type: 'fill', source: 'o', 'source-layer': 'water' },
          { id: 'name', type: 'symbol', source: 'o', 'source-layer': 'place', layout: { 'text-font': ['Noto Sans Regular'], 'text-field': '{name}' } },
        ],
      },
      'http://127.0.0.1:9/styles/light.json',
    );
    expect(p.glyphs).toBe('http://127.0.0.1:9/styles/fonts/{fontstack}/{range}.pbf');
    expect(p.sprite).toBe('http://127.0.0.1:9/styles/sprites/s');
    expect(Object.keys(p.sources)).toEqual(['bm-o']);
    expect((p.sources['bm-o'] as { tiles: string[] }).tiles).toEqual(['http://127.0.0.1:9/styles/tiles/{z}/{x}/{y}.pbf']);
    expect((p.sources['bm-o'] as { attribution: string }).attribution).toMatch(/OpenStreetMap/);
    expect(p.layers.map((l) => [l.layer.id, (l.layer as { source: string }).source, l.place])).toEqual([
      ['bm-water', 'bm-o', 'water'],
      ['bm-name', 'bm-o', 'labels'],
    ]);
    expect(p.font).toEqual(['Noto Sans Regular']);
  });
  it('refuses what is not a style', () => {
    expect(() => prepareBasemap({ version: 7 }, 'http://x/')).toThrow(/not a maplibre style/);
    expect(() => prepareBasemap('<html>', 'http://x/')).toThrow(/not a maplibre style/);
  });
});

describe('tract numbers and water tracts', () => {
  it('reads the 6-digit code with its implied decimal point', () => {
    expect(tractNumber('17031839100')).toBe('8391');
    expect(tractNumber('17031010201')).toBe('102.01');
    expect(tractNumber('06037000100')).toBe('1');
    expect(isWaterTract('17031990000')).toBe(true);
    expect(isWaterTract('17031839100')).toBe(false);
  });
});

describe('geoContext', () => {
  // Four unit squares in a row: A (county 001) | B (001) | C (003) | D (state 18, county 18001).
  const sq = (x: number, geoid: string) => ({
    type: 'Feature' as const,
    properties: { GEOID: geoid },
    geometry: { type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] },
  });
  const tracts = [sq(0, '17001000100'), sq(1, '17001000200'), sq(2, '17003000100'), sq(3, '18001000100')];
  const ctx = geoContext(tracts);
  it('draws only the edges between counties: x = 2 a county line, x = 3 a state line', () => {
    const byKind = Object.fromEntries(ctx.countyLines.features.map((f) => [f.properties.kind, f.geometry.coordinates]));
    expect(byKind.county).toHaveLength(1);
    expect(byKind.county[0].map((p) => p[0])).toEqual([2, 2]);
    expect(byKind.state).toHaveLength(1);
    expect(byKind.state[0].map((p) => p[0])).toEqual([3, 3]);
  });
  it('labels each county at its middle tract and each tract with its number', () => {
    const points = Object.fromEntries(ctx.countyPoints.features.map((f) => [f.properties.county, [f.geometry.coordinates, f.properties.tracts]]));
    // County 17001: tracts centred at 0.5 and 1.5, mean 1.0: the first nearest is kept.
    expect(points['17001']).toEqual([[0.5, 0.5], 2]);
    expect(points['17003']).toEqual([[2.5, 0.5], 1]);
    expect(ctx.tractPoints.features.map((f) => f.properties.label)).toEqual(['1', '2', '1', '1']);
    expect(ctx.countyBounds.get('17001')).toEqual([0, 0, 2, 1]);
  });
  it('puts a label point inside a U-shaped tract whose box centre is outside', () => {
    // U: x 0..3, y 0..3 with the notch x 1..2, y 1..3 cut out; the box centre (1.5, 1.5) is in the notch.
    const u = { type: 'Polygon' as const, coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    const [x, y] = labelPoint(u);
    expect(y).toBe(1.5);
    expect([0.5, 2.5]).toContain(x);
  });
});
