import { describe, expect, it } from 'vitest';
import { readPointLayer } from '../../src/data/points';
import { countPoints, pointCells, pointColumns } from '../../src/core/points';
import { InputError } from '../../src/data/errors';

const bytes = (s: string) => new TextEncoder().encode(s);
const box = (GEOID: string, w: number, s: number, e: number, n: number) => ({
  type: 'Feature' as const,
  properties: { GEOID },
  geometry: { type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});
const TRACTS = [box('A', 0, 0, 0.01, 0.01), box('B', 0.01, 0, 0.02, 0.01)];

const CSV = [
  'Name,Category,Latitude,Longitude',
  'Main library,library,0.005,0.005',
  'School 1,school,0.005,0.015',
  'Nowhere,library,,0.1',
  'Bad,library,abc,0.1',
  'Far,park,95,0.1',
  'Sea,park,5,5',
  'Edge,school,0.005,0.01',
].join('\n');

describe('readPointLayer (CSV)', () => {
  const layer = readPointLayer('assets.csv', bytes(CSV));
  it('detects the columns and keeps every row accounted for, with physical line numbers', () => {
    expect(layer.fields).toEqual({ lat: 'Latitude', lon: 'Longitude', category: 'Category', name: 'Name' });
    expect(layer.rowsRead).toBe(7);
    expect(layer.points.length + layer.rejected.length).toBe(layer.rowsRead);
    expect(layer.points.map((p) => p.row)).toEqual([2, 3, 7, 8]);
    expect(layer.rejected).toEqual([
      { row: 4, column: 'Latitude', reason: 'the coordinate is missing' },
      { row: 5, column: 'Latitude', reason: '"abc" is not a number' },
      { row: 6, column: 'Latitude', reason: 'latitude 95 is outside ±90' },
    ]);
  });
  it('counts points per tract; a point on a shared edge once; points outside every tract are listed', () => {
    const c = countPoints(layer.points, TRACTS, (f) => f.properties.GEOID, true);
    expect(c.categories).toEqual(['library', 'school', 'park']);
    expect(pointColumns('assets', c.categories)).toEqual(['assets', 'assets_library', 'assets_school', 'assets_park']);
    expect(pointCells(c, 'A')).toEqual([2, 1, 1, 0]); // the edge point goes to the first tract holding it
    expect(pointCells(c, 'B')).toEqual([1, 0, 1, 0]);
    expect(c.outside.map((p) => p.name)).toEqual(['Sea']);
  });
  it('counts a point in every overlapping area when the units are not a partition', () => {
    const c = countPoints(layer.points, [box('all', 0, 0, 0.02, 0.01), box('west', 0, 0, 0.01, 0.01)], (f) => f.properties.GEOID, false);
    expect(pointCells(c, 'all')[0]).toBe(3);
    expect(pointCells(c, 'west')[0]).toBe(2);
  });
  it('names the columns to give when it cannot find coordinates, and uses the ones named', () => {
    const odd = 'site,north,east\nA,0.005,0.005\n';
    expect(() => readPointLayer('odd.csv', bytes(odd))).toThrow(InputError);
    expect(() => readPointLayer('odd.csv', bytes(odd))).toThrow(/no latitude column found \(the columns are site, north, east\)/);
    const l = readPointLayer('odd.csv', bytes(odd), { lat: 'north', lon: 'east', defaultCategory: 'sites' });
    expect(l.points).toEqual([{ lon: 0.005, lat: 0.005, category: 'sites', name: 'A', row: 2 }]);
  });
});

describe('readPointLayer (GeoJSON)', () => {
  it('reads Point features and rejects the others with their feature number', () => {
    const gj = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'Park', type: 'park' }, geometry: { type: 'Point', coordinates: [0.005, 0.005] } },
        { type: 'Feature', properties: { name: 'Line' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
        { type: 'Feature', properties: { name: 'Null' }, geometry: null },
        { type: 'Feature', properties: { name: 'Far', type: 'park' }, geometry: { type: 'Point', coordinates: [200, 0] } },
      ],
    };
    const l = readPointLayer('parks.geojson', bytes(JSON.stringify(gj)));
    expect(l.points).toEqual([{ lon: 0.005, lat: 0.005, category: 'park', name: 'Park', row: 1 }]);
    expect(l.rejected.map((r) => [r.row, r.reason])).toEqual([
      [2, 'the geometry is a LineString, not a Point'],
      [3, 'the feature has no geometry'],
      [4, 'longitude 200 is outside ±180'],
    ]);
    expect(l.rowsRead).toBe(4);
  });
});
