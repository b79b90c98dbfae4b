/** Centroid weights from representative points (tiled bundles) and point fields per unit (issue 12). */
import { describe, expect, it } from 'vitest';
import { areaWeightsFromPoints, type AreaFeature } from '../../src/core/areas';
import { countPoints, unitPointFields } from '../../src/core/points';

const square = (name: string, w: number, s: number, e: number, n: number): AreaFeature => ({
  type: 'Feature',
  properties: { name },
  geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});

describe('areaWeightsFromPoints', () => {
  it('counts a tract whole in each area holding its point, and nowhere else', () => {
    const points = [
      { geoid: 'A', lon: 0.5, lat: 0.5 },
      { geoid: 'B', lon: 1.5, lat: 0.5 },
      { geoid: 'C', lon: 5, lat: 5 },
    ];
    const rows = areaWeightsFromPoints(points, [square('West', 0, 0, 1, 1), square('Both', 0, 0, 2, 1)]);
    expect(rows).toEqual([
      { source: 'A', target: 'West', weight: 1 },
      { source: 'A', target: 'Both', weight: 1 },
      { source: 'B', target: 'Both', weight: 1 },
    ]);
  });
});

describe('unitPointFields', () => {
  it('names each count as the export column does, with 0 where the unit has none', () => {
    const pts = [
      { lon: 0.5, lat: 0.5, category: 'library', name: 'Main', row: 2 },
      { lon: 0.6, lat: 0.4, category: 'school', name: 'North', row: 3 },
      { lon: 0.7, lat: 0.2, category: 'school', name: 'South', row: 4 },
      { lon: 9, lat: 9, category: 'park', name: 'Far', row: 5 },
    ];
    const counts = countPoints(pts, [square('X', 0, 0, 1, 1), square('Y', 1, 0, 2, 1)], (f) => f.properties.name, true);
    expect(counts.outside.map((p) => p.row)).toEqual([5]);
    const layers = [{ name: 'assets', categories: counts.categories, counts }];
    expect(unitPointFields(layers, 'X')).toEqual({ assets: 3, assets_library: 1, assets_school: 2, assets_park: 0 });
    expect(unitPointFields(layers, 'Y')).toEqual({ assets: 0, assets_library: 0, assets_school: 0, assets_park: 0 });
  });
});
