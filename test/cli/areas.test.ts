/**
 * CLI --areas / --points on the demo region: one row per area, households conserved, point counts
 * by category, bad rows reported with their line, layer choices recorded in method.json.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runCli } from '../helpers/cli';

const INCOME = 'data/demo/income-2023.csv';
const TRACTS = 'data/demo/boundaries-2010.topojson';
let dir: string;
const box = (name: string, w: number, s: number, e: number, n: number) => ({
  type: 'Feature',
  properties: { nbhd: name },
  geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});
const rows = (csv: string) => Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;

/** Households of the demo's 2023 table, summed from its bracket columns (independent of tractmix). */
function demoHouseholds(): number {
  const table = rows(readFileSync(INCOME, 'utf8'));
  return table.reduce((s, r) => s + Object.entries(r).filter(([k]) => /^I_\d+_23$/.test(k)).reduce((t, [, v]) => t + Number(v), 0), 0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tractmix-areas-'));
  // Two halves of the demo city, split at longitude -89.9 (the city spans about -90.05 to -89.75).
  writeFileSync(join(dir, 'halves.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [box('West, side', -90.2, 40.5, -89.9, 40.9), box('East', -89.9, 40.5, -89.6, 40.9)] }));
  writeFileSync(join(dir, 'assets.csv'), 'name,type,lat,lon\nLib 1,library,40.7,-89.95\nSchool,school,40.7,-89.85\nBad,library,,-89.9\nFar,park,10,10\n');
});

describe('tractmix analyze --areas', () => {
  it('writes one row per area; the halves hold every household (share rule) and each tract once (centroid rule)', async () => {
    const total = demoHouseholds();
    const share = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd');
    expect(share.code).toBe(0);
    const a = rows(share.stdout);
    expect(a.map((r) => r.area)).toEqual(['West, side', 'East']);
    const sum = a.reduce((s, r) => s + Number(r.households), 0);
    // Slivers under 0.1% of a tract are dropped (areaCrosswalk): 0.33 of 690,823 households here.
    expect(Math.abs(sum - total)).toBeLessThan(1e-6 * total);
    expect(Number(a[0].tracts) + Number(a[1].tracts)).toBeGreaterThan(430); // tracts on the cut count in both halves

    const centroid = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd', '--area-rule', 'centroid');
    const c = rows(centroid.stdout);
    expect(Number(c[0].tracts) + Number(c[1].tracts)).toBe(430);
    expect(c.reduce((s, r) => s + Number(r.households), 0)).toBe(total);
    // Every listed weight is a whole tract.
    for (const r of c) for (const w of r.tract_weights.split(';')) expect(w).toMatch(/^\d{11}:1$/);
  });

  it('counts points per area by category and reports the bad rows with their lines', async () => {
    const out = join(dir, 'areas.csv');
    const r = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd', '--points', `assets=${join(dir, 'assets.csv')}`, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('points assets: 4 rows read, 3 usable, 1 rejected; 2 inside a tract, 1 outside every tract');
    expect(r.stderr).toContain('rejected line 4, column "lat": the coordinate is missing');
    expect(r.stderr).toContain('line 5 (Far) at 10, 10 is outside every tract');
    const a = rows(readFileSync(out, 'utf8'));
    expect(a.map((x) => [x.area, x.assets, x.assets_library, x.assets_school, x.assets_park])).toEqual([
      ['West, side', '1', '1', '0', '0'],
      ['East', '1', '0', '1', '0'],
    ]);
    const method = JSON.parse(readFileSync(out + '.method.json', 'utf8'));
    expect(method.areas).toMatchObject({ nameField: 'nbhd', rule: 'share', areas: 2, tractsCounted: 430 });
    expect(method.points[0]).toMatchObject({ name: 'assets', rowsRead: 4, usable: 3, rejected: 1, outsideEveryTract: 1, categories: ['library', 'school', 'park'] });
  });

  it('adds point counts to the tract table without --areas', async () => {
    const r = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--points', `assets=${join(dir, 'assets.csv')}`);
    const t = rows(r.stdout);
    expect(t).toHaveLength(430);
    expect(t.reduce((s, x) => s + Number(x.assets), 0)).toBe(2);
    expect(t.filter((x) => x.assets_library === '1')).toHaveLength(1);
  });

  it('change --areas: one row per area with ΔH and flags', async () => {
    const r = await runCli('change', '--bundle', 'data/demo', '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd');
    expect(r.code).toBe(0);
    const a = rows(r.stdout);
    expect(a.map((x) => x.area)).toEqual(['West, side', 'East']);
    for (const x of a) expect(Number(x.delta_entropy)).toBeCloseTo(Number(x.entropy_2023) - Number(x.entropy_2000), 7);
    expect(r.stderr).toContain('2 areas in both years');
  });

  it('says what to do with a wrong name field, a missing boundary file, or a bad rule', async () => {
    const wrong = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-name', 'community');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('halves.geojson, column "community": the name field "community" is not in the file (its features have nbhd)');
    const noTracts = await runCli('analyze', '--income', INCOME, '--areas', join(dir, 'halves.geojson'));
    expect(noTracts.stderr).toContain('--areas and --points need the tract boundaries');
    const rule = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-rule', 'mean');
    expect(rule.stderr).toContain('--area-rule "mean" is not share or centroid');
    const spec = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--points', join(dir, 'assets.csv'));
    expect(spec.stderr).toContain('is not NAME=FILE');
    const lat = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--points', `a=${join(dir, 'assets.csv')}`, '--point-lat', 'north');
    expect(lat.code).toBe(2);
    expect(lat.stderr).toContain('assets.csv, column "north": there is no column "north" (the columns are name, type, lat, lon)');
  });
});

describe('tractmix build --areas --points', () => {
  it('writes the layers into the bundle and bundle.json; the bundle\'s areas give the same rows as the original file', async () => {
    const out = join(dir, 'bundle');
    const b = await runCli('build', '--boundaries', TRACTS, '--income', `2023=${INCOME}`, '--name', 'areas test', '--out', out, '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd', '--points', `assets=${join(dir, 'assets.csv')}`);
    expect(b.code).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    expect(meta.areas).toEqual({ file: 'areas.geojson', nameField: 'nbhd', areas: 2, source: 'halves.geojson' });
    expect(meta.points).toEqual([{ name: 'assets', file: 'points-assets.geojson', source: 'assets.csv', categoryField: 'type', points: 3, rejected: 1, rejectedRows: [{ row: 4, column: 'lat', reason: 'the coordinate is missing' }], categories: ['library', 'school', 'park'] }]);
    const pts = JSON.parse(readFileSync(join(out, 'points-assets.geojson'), 'utf8'));
    expect(pts.features.map((f: any) => [f.properties.name, f.properties.row, f.geometry.coordinates])).toEqual([
      ['Lib 1', 2, [-89.95, 40.7]],
      ['School', 3, [-89.85, 40.7]],
      ['Far', 5, [10, 10]],
    ]);
    const direct = await runCli('analyze', '--income', INCOME, '--boundaries', TRACTS, '--areas', join(dir, 'halves.geojson'), '--area-name', 'nbhd');
    const fromBundle = await runCli('analyze', '--bundle', out, '--areas', join(out, 'areas.geojson'));
    expect(fromBundle.code).toBe(0);
    const strip = (csv: string) => rows(csv).map((r) => [r.area, r.households, r.entropy, r.class, r.tracts]);
    expect(strip(fromBundle.stdout)).toEqual(strip(direct.stdout));
  });
});
