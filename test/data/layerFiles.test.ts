/**
 * The demo bundle's own layers (data/demo: areas.geojson, points-assets.geojson, assets.csv made by
 * scripts/demo/layers.ts) read back as the app reads them, and their figures against answers worked
 * out here from the files (turf point-in-polygon, the bracket columns of the income file).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import { parseBundleMeta } from '../../src/data/bundle';
import { readBoundaries, type BoundarySet } from '../../src/data/boundaries';
import { readBundleLayers, type LoadedLayers } from '../../src/data/layerFiles';
import { countLayers, setupAreas, TILED_RULE_NOTE } from '../../src/data/layerFigures';
import { readPointLayer } from '../../src/data/points';

const DEMO = new URL('../../data/demo/', import.meta.url);
const text = (f: string) => readFileSync(new URL(f, DEMO), 'utf8');
let layers: LoadedLayers;
let tracts: BoundarySet;

beforeAll(async () => {
  layers = await readBundleLayers(parseBundleMeta('bundle.json', text('bundle.json')), async (f) => text(f));
  tracts = await readBoundaries([{ name: 'boundaries-2010.topojson', bytes: readFileSync(new URL('boundaries-2010.topojson', DEMO)) }]);
});

describe('the demo bundle layers', () => {
  it('reads 7 areas and the 93 usable assets with their lines in assets.csv, and the 2 rejected rows', () => {
    expect(layers.areas!.layer.features.map((f) => f.properties.name)).toEqual(['Elm Park', 'Southgate', 'Mill District', 'Foundry Row', 'Lowfield', 'Ridgeview', 'Downtown']);
    const [p] = layers.points;
    expect(p.name).toBe('assets');
    expect(p.layer.points).toHaveLength(93);
    // bundle.json lists the two rows assets.csv could not use: they are the layer's rejected rows.
    expect(p.rejectedBefore).toBe(0);
    expect(p.layer.rowsRead).toBe(95);
    expect(p.layer.rejected.map((r) => r.row)).toEqual([95, 96]);
    // Line numbers of assets.csv (header = line 1): the river point is its 94th line.
    const csv = text('assets.csv').trim().split('\n');
    expect(p.layer.points.find((x) => x.name.startsWith('Boat club'))!.row).toBe(94);
    expect(csv[93]).toMatch(/^Boat club/);
    expect(p.layer.points.every((x) => csv[x.row - 1].startsWith(`${x.name},${x.category},`))).toBe(true);
  });

  it('assets.csv, read as a user file, rejects lines 95 and 96 with the column and reason', () => {
    const read = readPointLayer('assets.csv', readFileSync(new URL('assets.csv', DEMO)));
    expect(read.rowsRead).toBe(95);
    expect(read.rejected).toEqual([
      { row: 95, column: 'latitude', reason: 'the coordinate is missing' },
      { row: 96, column: 'latitude', reason: 'latitude 407.1 is outside ±90' },
    ]);
  });

  it('counts points per tract and per area as point-in-polygon does, the river point in no tract', () => {
    const [counted] = countLayers(layers.points, tracts.features, layers.areas);
    const pts = layers.points[0].layer.points;
    expect(counted.tracts!.outside.map((x) => x.row)).toEqual([94]);
    for (const t of tracts.features) {
      const want = pts.filter((x) => booleanPointInPolygon([x.lon, x.lat], t)).length;
      const got = [...(counted.tracts!.byUnit.get(t.properties.GEOID)?.values() ?? [])].reduce((a, b) => a + b, 0);
      expect(got, t.properties.GEOID).toBe(want);
    }
    for (const a of layers.areas!.layer.features) {
      const want = pts.filter((x) => x.category === 'library' && booleanPointInPolygon([x.lon, x.lat], a)).length;
      expect(counted.areas!.byUnit.get(a.properties.name)?.get('library') ?? 0, a.properties.name).toBe(want);
    }
    expect(counted.areas!.byUnit.get('Southgate')?.get('library') ?? 0).toBe(0);
  });

  it('on tiled boundaries the areas take whole tracts by their listed point, and say so', () => {
    const points = tracts.features.map((f) => {
      const ring = (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates[0])[0];
      // A point inside the tract (the demo's cells are convex): the centre of its first three vertices.
      const [a, b, c] = [ring[0], ring[1], ring[2]];
      return { geoid: f.properties.GEOID, name: '', lon: (a[0] + b[0] + c[0]) / 3, lat: (a[1] + b[1] + c[1]) / 3 };
    });
    const setup = setupAreas(layers.areas!, 'share', { points });
    expect(setup.rule).toBe('centroid');
    expect(setup.ruleNote).toBe(TILED_RULE_NOTE);
    expect(setup.weights.every((w) => w.weight === 1)).toBe(true);
    const elm = layers.areas!.layer.features.find((f) => f.properties.name === 'Elm Park')!;
    const want = points.filter((p) => booleanPointInPolygon([p.lon, p.lat], elm)).map((p) => p.geoid).sort();
    expect(setup.members.get('Elm Park')!.map((m) => m.tract).sort()).toEqual(want);
  });

  it('share weights: each neighbourhood counts exactly the tracts planted in its zone, whole (truth.csv)', () => {
    const setup = setupAreas(layers.areas!, 'share', { polygons: tracts.features });
    const truth = new Map<string, string[]>();
    for (const line of text('truth.csv').trim().split('\n').slice(1)) {
      const [geoid, planted] = line.split(',');
      truth.set(planted, [...(truth.get(planted) ?? []), geoid]);
    }
    const whole = (name: string) => setup.members.get(name)!.filter((m) => m.weight > 0.999).map((m) => m.tract);
    // The bundle's outlines are rounded to 1e-6 degrees: slivers of neighbours may be counted, never more than 0.1%.
    for (const name of setup.names.filter((n) => n !== 'Downtown')) {
      for (const m of setup.members.get(name)!) expect(m.weight > 0.999 || m.weight < 0.001, `${name} ${m.tract} ${m.weight}`).toBe(true);
    }
    expect([...whole('Elm Park'), ...whole('Southgate')].sort()).toEqual([...truth.get('stable_mixed')!].sort());
    for (const [name, planted] of [['Mill District', 'income_upgrading'], ['Foundry Row', 'transitional'], ['Lowfield', 'poverty'], ['Ridgeview', 'affluent']]) {
      expect(whole(name).sort(), name).toEqual([...truth.get(planted)!].sort());
    }
    expect(setup.empty).toEqual([]);
  });
});
