/** Point counts as columns and rule fields (issue 12): names, aliases and cells, worked by hand. */
import { describe, expect, it } from 'vitest';
import { pointCountColumns, pointCountRecord, withPointCountColumns } from '../../src/data/layerColumns';
import type { LayerCounts } from '../../src/data/layerCounts';
import type { PointCounts } from '../../src/core/points';

const counts = (categories: string[], byUnit: Record<string, Record<string, number>>): PointCounts => ({
  categories,
  byUnit: new Map(Object.entries(byUnit).map(([u, m]) => [u, new Map(Object.entries(m))])),
  outside: [],
});
const layer = (name: string, tracts: PointCounts | null, areas: PointCounts | null = null): LayerCounts => ({
  name,
  layer: { file: `${name}.csv`, format: 'csv', points: [], rejected: [], rowsRead: 0, fields: { category: 'category', name: null } },
  tracts,
  areas,
});

const ASSETS = layer('assets', counts(['library', 'school'], { T1: { library: 2 }, T2: { school: 1 } }), counts(['library', 'school'], { North: { library: 2, school: 1 } }));
const PARKS = layer('parks', counts(['park', 'school'], { T1: { park: 3, school: 1 } }));

describe('pointCountColumns', () => {
  it('names the export columns and the words a rule may use', () => {
    expect(pointCountColumns([ASSETS], 'tracts').map((c) => [c.name, c.aliases])).toEqual([
      ['assets', ['assets.all']],
      ['assets_library', ['assets.library', 'points.library', 'library']],
      ['assets_school', ['assets.school', 'points.school', 'school']],
    ]);
  });
  it('a category in two layers, or the name of a column already there, keeps only its qualified names', () => {
    const cols = pointCountColumns([ASSETS, PARKS], 'tracts', ['GEOID', 'class', 'library']);
    expect(Object.fromEntries(cols.map((c) => [c.name, c.aliases]))).toEqual({
      assets: ['assets.all'],
      assets_library: ['assets.library', 'points.library'],
      assets_school: ['assets.school'],
      parks: ['parks.all'],
      parks_park: ['parks.park', 'points.park', 'park'],
      parks_school: ['parks.school'],
    });
  });
  it('layers without counts for the unit give no columns (tiled bundles count no points per tract)', () => {
    expect(pointCountColumns([layer('x', null)], 'tracts')).toEqual([]);
    expect(pointCountColumns([ASSETS, PARKS], 'areas').map((c) => c.name)).toEqual(['assets', 'assets_library', 'assets_school']);
  });
});

describe('pointCountRecord and withPointCountColumns', () => {
  it('gives every count, 0 where the unit has none, and the layer total', () => {
    expect(pointCountRecord([ASSETS, PARKS], 'tracts', 'T1')).toEqual({ assets: 2, assets_library: 2, assets_school: 0, parks: 4, parks_park: 3, parks_school: 1 });
    expect(pointCountRecord([ASSETS], 'tracts', 'T9')).toEqual({ assets: 0, assets_library: 0, assets_school: 0 });
  });
  it('appends the columns to a table keyed by its first cell', () => {
    const table = { view: 'year', columns: [{ name: 'GEOID' }, { name: 'entropy' }], rows: [['T1', 0.9], ['T2', 0.5]] };
    const out = withPointCountColumns(table, [ASSETS], 'tracts');
    expect(out.view).toBe('year');
    expect(out.columns.map((c) => c.name)).toEqual(['GEOID', 'entropy', 'assets', 'assets_library', 'assets_school']);
    expect(out.rows).toEqual([['T1', 0.9, 2, 2, 0], ['T2', 0.5, 1, 0, 1]]);
    expect(withPointCountColumns(table, [], 'tracts')).toBe(table);
  });
});

describe('rules on point counts (issue 11 rule language × issue 12 layers), on the demo', () => {
  it('"High diversity and no library": the High tracts in which turf finds no library', async () => {
    const { readFileSync } = await import('node:fs');
    const { booleanPointInPolygon } = await import('@turf/turf');
    const { loadBundle } = await import('../../src/data/bundle');
    const { readBundleLayers } = await import('../../src/data/layerFiles');
    const { countLayers } = await import('../../src/data/layerFigures');
    const { yearExportTable, ruleFields, ruleRecords } = await import('../../src/data/exportTable');
    const { parseRule, ruleMatches } = await import('../../src/core/rule');
    const { analyzeSnapshot } = await import('../../src/core/analyze');
    const { toSnapshot } = await import('../../src/data/income');
    const read = async (f: string) => readFileSync(new URL(`../../data/demo/${f}`, import.meta.url), 'utf8');
    const bundle = await loadBundle(read);
    const layers = await readBundleLayers(bundle.meta, read);
    const tracts = bundle.boundaries.get('2010')!.features;
    const counts = countLayers(layers.points, tracts, layers.areas);
    const analysis = analyzeSnapshot(toSnapshot(bundle.tables.find((t) => t.year === 2023)!), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } });
    const table = withPointCountColumns(yearExportTable(analysis), counts, 'tracts');
    const records = ruleRecords(table);
    const select = (rule: string) => {
      const parsed = parseRule(rule, ruleFields(table));
      return table.rows.filter((_, i) => ruleMatches(parsed, records[i])).map((r) => String(r[0])).sort();
    };
    const libraries = layers.points[0].layer.points.filter((p) => p.category === 'library');
    const hasLibrary = (geoid: string) => libraries.some((p) => booleanPointInPolygon([p.lon, p.lat], tracts.find((t) => t.properties.GEOID === geoid)!));
    const high = analysis.geoids.filter((_, i) => analysis.classes[i] === 'high');
    const want = high.filter((g) => !hasLibrary(g)).sort();
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(high.length);
    for (const rule of ['class=high and library=0', 'class=high and assets.library=0', 'class=high and points.library<1', 'class=high and assets_library=0']) expect(select(rule), rule).toEqual(want);
    expect(select('class=high and library>=1')).toEqual(high.filter(hasLibrary).sort());
    expect(() => parseRule('librarys=0', ruleFields(table))).toThrow(/assets_library\/assets\.library\/points\.library\/library \(number\)/);
  });
});
