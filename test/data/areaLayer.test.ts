/** readAreaLayer: a user's neighbourhood layer read with the boundary reader's formats and checks. */
import { describe, expect, it } from 'vitest';
import { topology } from 'topojson-server';
import { readAreaLayer } from '../../src/data/boundaries';
import { InputError } from '../../src/data/errors';

const sq = (w: number, s: number, d = 0.01) => ({ type: 'Polygon', coordinates: [[[w, s], [w + d, s], [w + d, s + d], [w, s + d], [w, s]]] });
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const file = (name: string, value: unknown) => [{ name, bytes: new TextEncoder().encode(JSON.stringify(value)) }];

describe('readAreaLayer', () => {
  it('finds the name field, merges features of one name, rejects unusable features with their number', async () => {
    const layer = await readAreaLayer(file('hoods.geojson', fc([
      { type: 'Feature', properties: { community: 'LOOP' }, geometry: sq(-87.63, 41.87) },
      { type: 'Feature', properties: { community: 'NEAR NORTH SIDE' }, geometry: sq(-87.63, 41.89) },
      { type: 'Feature', properties: { community: 'LOOP' }, geometry: sq(-87.62, 41.87) },
      { type: 'Feature', properties: { community: '' }, geometry: sq(-87.6, 41.8) },
      { type: 'Feature', properties: { community: 'PARK' }, geometry: { type: 'Point', coordinates: [-87.6, 41.8] } },
    ])));
    expect(layer.nameProperty).toBe('community');
    expect(layer.features.map((f) => [f.properties.name, f.geometry.type])).toEqual([['LOOP', 'MultiPolygon'], ['NEAR NORTH SIDE', 'Polygon']]);
    expect(layer.merged).toEqual([{ name: 'LOOP', features: [1, 3] }]);
    expect(layer.rejected).toEqual([
      { row: 4, column: 'community', reason: 'the feature has no community value' },
      { row: 5, geoid: 'PARK', reason: 'the geometry is a Point, not a Polygon or MultiPolygon' },
    ]);
  });
  it('reads TopoJSON like the tract reader', async () => {
    const topo = topology({ areas: fc([{ type: 'Feature', properties: { name: 'A' }, geometry: sq(0, 0) }]) as GeoJSON.FeatureCollection });
    const layer = await readAreaLayer(file('a.topojson', topo));
    expect(layer.features.map((f) => f.properties.name)).toEqual(['A']);
  });
  it('names the properties there are when no name field is found or the one given is absent', async () => {
    const f = file('zones.geojson', fc([{ type: 'Feature', properties: { zone_code: 'Z1' }, geometry: sq(0, 0) }]));
    await expect(readAreaLayer(f)).rejects.toThrow(InputError);
    await expect(readAreaLayer(f)).rejects.toThrow(/no feature has a name property .*the features have zone_code/);
    await expect(readAreaLayer(f, { nameProperty: 'zone' })).rejects.toThrow('zones.geojson, column "zone": the name field "zone" is not in the file (its features have zone_code)');
    expect((await readAreaLayer(f, { nameProperty: 'zone_code' })).features[0].properties.name).toBe('Z1');
  });
});
