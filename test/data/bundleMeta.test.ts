/**
 * Old, malformed and hostile bundles stop with the key named (issue 9): never a crash, never a
 * file outside the bundle read (so never its contents echoed in a message).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bundleBoundaries, loadBundle, parseBundleMeta } from '../../src/data/bundle';
import { InputError } from '../../src/data/errors';

const demo = JSON.parse(readFileSync('data/demo/bundle.json', 'utf8'));
const edit = (f: (m: any) => void) => {
  const m = structuredClone(demo);
  f(m);
  return JSON.stringify(m);
};

describe('parseBundleMeta', () => {
  it('reads the demo bundle', () => {
    const m = parseBundleMeta('bundle.json', JSON.stringify(demo));
    expect(m.years.map((y) => y.year)).toEqual([2000, 2018, 2023]);
  });
  it('an old bundle without crosswalks, notes, extraColumns or incomeYear gets the defaults', () => {
    const m = parseBundleMeta('bundle.json', edit((m) => {
      delete m.crosswalks;
      delete m.notes;
      delete m.version;
      for (const y of m.years) {
        delete y.extraColumns;
        delete y.incomeYear;
      }
    }));
    expect(m.crosswalks).toEqual([]);
    expect(m.notes).toEqual([]);
    // Decennial 2000 counts are 1999 incomes; ACS 2018 counts are 2018 dollars (brackets.ts).
    expect(m.years.map((y) => y.incomeYear)).toEqual([1999, 2018, 2023]);
  });
  it.each([
    ['a year file outside the bundle', (m: any) => (m.years[0].file = '../../../../etc/passwd'), /"years"\[0\]\.file "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is not a plain file name inside the bundle folder/],
    ['an absolute boundary path', (m: any) => (m.boundaries[0].file = '/etc/passwd'), /"boundaries"\[0\]\.file "\/etc\/passwd" is not a plain file name/],
    ['a URL as a file', (m: any) => (m.crosswalks[0].file = 'https://example.invalid/x.csv'), /"crosswalks"\[0\]\.file .* is not a plain file name/],
    ['a null year', (m: any) => (m.years[1] = null), /"years"\[1\] is null; expected an object/],
    ['no years', (m: any) => delete m.years, /"years" is undefined; expected a list/],
    ['a year that is text', (m: any) => (m.years[0].year = '2000'), /"years"\[0\]\.year is "2000"; expected a four-digit data year/],
    ['an unknown boundary key', (m: any) => (m.years[0].boundaries = 'x'), /"years"\[0\]\.boundaries names "x", which is not in "boundaries"/],
    ['a year twice', (m: any) => (m.years[1].year = 2000), /"years" lists 2000 twice/],
    ['a newer version', (m: any) => (m.version = 3), /"version" is 3; expected version 1 or 2/],
    ['no boundaries', (m: any) => (m.boundaries = []), /"boundaries" is empty/],
    ['another format', (m: any) => (m.format = 'x'), /this is not a tractmix bundle description/],
    [
      'tiles whose sharedBorders is not true or false',
      (m: any) => (m.boundaries[0].tiles = { file: 'b.pmtiles', layer: 'tracts', minzoom: 0, maxzoom: 11, bounds: [-88, 41, -87, 42], sharedBorders: 'yes' }),
      /"boundaries"\[0\]\.tiles\.sharedBorders is "yes"; expected true or false/,
    ],
  ])('%s', (_name, f, message) => {
    expect(() => parseBundleMeta('bundle.json', edit(f))).toThrow(InputError);
    expect(() => parseBundleMeta('bundle.json', edit(f))).toThrow(message);
  });
  it('tiles marked sharedBorders keep the mark; without it (bundles built before) it is absent', () => {
    const tiles = { file: 'b.pmtiles', layer: 'tracts', minzoom: 0, maxzoom: 11, bounds: [-88, 41, -87, 42] };
    const marked = parseBundleMeta('bundle.json', edit((m) => (m.boundaries[0].tiles = { ...tiles, sharedBorders: true })));
    expect(marked.boundaries[0].tiles?.sharedBorders).toBe(true);
    const before = parseBundleMeta('bundle.json', edit((m) => (m.boundaries[0].tiles = tiles)));
    expect(before.boundaries[0].tiles).toEqual(tiles);
  });
  it('JSON nested a million deep is refused without a crash', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(() => parseBundleMeta('bundle.json', deep)).toThrow(InputError);
  });
  it('loadBundle never asks for a file outside the bundle', async () => {
    const asked: string[] = [];
    const text = edit((m) => (m.years[0].file = '../secret.csv'));
    await expect(loadBundle(async (f) => (asked.push(f), f === 'bundle.json' ? text : ''))).rejects.toThrow(InputError);
    expect(asked).toEqual(['bundle.json']);
  });
});

describe('bundleBoundaries', () => {
  const source = { key: 'k', file: 'b.topojson', units: 'tract' as const, features: 1, source: '' };
  const good = readFileSync('data/demo/boundaries-2010.topojson', 'utf8');
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not a topology', '{"type":"FeatureCollection","features":[]}', /not a TopoJSON topology/],
    ['no tracts object', '{"type":"Topology","arcs":[],"objects":{}}', /no "tracts" object/],
    ['tracts not a collection', '{"type":"Topology","arcs":[],"objects":{"tracts":{"type":"Polygon","arcs":[[0]]}}}', /not a GeometryCollection/],
    ['arcs that do not exist', '{"type":"Topology","arcs":[],"objects":{"tracts":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[5]],"properties":{"GEOID":"17031010100"}}]}}}', /arcs cannot be decoded/],
    ['only null geometries', '{"type":"Topology","arcs":[],"objects":{"tracts":{"type":"GeometryCollection","geometries":[null]}}}', /none of its 1 geometries/],
  ])('%s', (_n, text, message) => {
    expect(() => bundleBoundaries('b.topojson', text, source)).toThrow(message);
  });
  it('null entries among good ones are left out and counted', () => {
    const topo = JSON.parse(good);
    topo.objects.tracts.geometries.push(null, { type: 'Point', coordinates: [0, 0], properties: { GEOID: '1' } });
    const b = bundleBoundaries('b.topojson', JSON.stringify(topo), source);
    expect(b.rejected.map((r) => r.row)).toEqual([431, 432]);
    expect(b.features).toHaveLength(430);
  });
});
