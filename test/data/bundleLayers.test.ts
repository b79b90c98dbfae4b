/** bundle.json's "areas" and "points" entries (issue 12): read back, and broken ones stop with the key named. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseBundleMeta } from '../../src/data/bundle';

const demo = JSON.parse(readFileSync('data/demo/bundle.json', 'utf8'));
const edit = (f: (m: any) => void) => {
  const m = structuredClone(demo);
  f(m);
  return JSON.stringify(m);
};
const AREAS = { file: 'areas.geojson', nameField: 'community', areas: 77, source: 'Boundaries - Community Areas.geojson' };
const POINTS = { name: 'libraries', file: 'points-libraries.geojson', source: 'libraries.csv', categoryField: null, points: 81, rejected: 2, categories: ['libraries'] };

describe('parseBundleMeta: areas and points', () => {
  it('reads them back as written', () => {
    const m = parseBundleMeta('bundle.json', edit((m) => Object.assign(m, { areas: AREAS, points: [POINTS] })));
    expect(m.areas).toEqual(AREAS);
    expect(m.points).toEqual([POINTS]);
  });
  it('reads the rejected rows a point layer lists (older bundles have only the count)', () => {
    const rows = [{ row: 4, column: 'lat', reason: 'the coordinate is missing' }, { row: 9, reason: 'the row has 3 cells, the header 4' }];
    const m = parseBundleMeta('bundle.json', edit((m) => Object.assign(m, { points: [{ ...POINTS, rejectedRows: rows }] })));
    expect(m.points![0].rejectedRows).toEqual(rows);
  });
  it('a bundle without them has neither', () => {
    const m = parseBundleMeta('bundle.json', edit((m) => {
      delete m.areas;
      delete m.points;
    }));
    expect(m.areas).toBeUndefined();
    expect(m.points).toBeUndefined();
  });
  it.each([
    [{ areas: 'areas.geojson' }, '"areas" is "areas.geojson"; expected an object with file and nameField'],
    [{ areas: { ...AREAS, file: '../../etc/passwd' } }, '"areas".file "../../etc/passwd" is not a plain file name'],
    [{ points: [{ ...POINTS, name: 'lib raries' }] }, '"points"[0].name is "lib raries"'],
    [{ points: [{ ...POINTS, file: null }] }, '"points"[0].file is null'],
    [{ points: { POINTS } }, '"points" is an object'],
    [{ points: [{ ...POINTS, rejectedRows: [{ row: 0, reason: 'x' }] }] }, '"points"[0].rejectedRows[0].row is 0'],
    [{ points: [{ ...POINTS, rejectedRows: [{ row: 3 }] }] }, '"points"[0].rejectedRows[0].reason is'],
  ])('%j stops with the key named', (change, message) => {
    expect(() => parseBundleMeta('bundle.json', edit((m) => Object.assign(m, change)))).toThrow(message);
  });
});
