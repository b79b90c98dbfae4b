/**
 * Smoke test of the scale benchmark (`npm run bench`) at 2,000 tracts: the set is generated from
 * the shared tract files, built into a tiled bundle, drawn by the app and the bare page, and every
 * figure is measured. No speed is asserted here (speed belongs to `npm run bench`).
 */
import { expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchScale } from '../../scripts/bench/scale';
import { describeRealData, realDataPath } from '../helpers/realData';

describeRealData('scale benchmark pipeline at 2,000 tracts', () => {
  it('generates the set, builds tiles, and measures every figure', async () => {
    const shared = join(realDataPath('udp-chicago'), '..', '..');
    const cache = mkdtempSync(join(tmpdir(), 'tractmix-bench-smoke-'));
    const lines: string[] = [];
    const [f] = await benchScale({ shared, cache, sizes: [2000], runs: 1, geojsonBaseline: false, browser: true }, (l) => lines.push(l));
    const set = JSON.parse(readFileSync(join(cache, 'scale-2000', 'tracts.geojson'), 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { GEOID: string }>;
    expect(set.features).toHaveLength(2000);
    expect(new Set(set.features.map((x) => x.properties.GEOID)).size).toBe(2000);
    for (const year of [2000, 2018]) {
      const ids = readFileSync(join(cache, 'scale-2000', `income-${year}.csv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
      expect(ids.filter((g) => !set.features.some((x) => x.properties.GEOID === g)), `income ${year} ids without a tract`).toEqual([]);
    }
    expect(existsSync(join(cache, 'scale-2000', 'bundle-tiles', 'boundaries-main.pmtiles'))).toBe(true);
    expect(f.tracts).toBe(2000);
    // A copy shifted by ~50 m overlaps each tract's own copy and some neighbours: more rows than tracts.
    expect(f.crosswalk!.rows).toBeGreaterThan(2000);
    for (const v of [f.build!.seconds, f.build!.maxRssMb, f.build!.tileMb, f.crosswalk!.seconds]) expect(v).toBeGreaterThan(0);
    // The income figures: the CSVs' bytes are the two files on disk; the built bundle holds the columns file.
    expect(f.income.csvBytes).toBe([2000, 2018].reduce((s, y) => s + statSync(join(cache, 'scale-2000', `income-${y}.csv`)).size, 0));
    expect(f.income.columnsBytes).toBe(statSync(join(cache, 'scale-2000', 'bundle-tiles', 'income-columns.bin')).size);
    for (const v of [f.income.csvGzip, f.income.columnsGzip, f.income.csvMs, f.income.columnsMs]) expect(v).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/2000 tracts, income of 2 years: CSVs [\d.]+ MB .* parse CSVs \d+ ms, columns [\d.]+ ms/);
    const { longestTask, ...timed } = f.app!;
    for (const v of Object.values(timed)) expect(Number.isFinite(v) && v > 0).toBe(true);
    // No task may be long (> 50 ms) at all: 0 is a possible figure.
    for (const v of [longestTask, f.mainThreadLoad!.longestTask]) expect(Number.isFinite(v) && v >= 0).toBe(true);
    for (const v of [f.mainThreadLoad!.load, f.mainThreadLoad!.complete]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(lines.join('\n')).toMatch(/loading in the worker vs on the main thread: first map \d+ \/ \d+ ms/);
    for (const v of [f.bare!.tilesLoad, f.bare!.recolor, f.bare!.recolorFirst]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(lines.join('\n')).toMatch(/first map: app \d+ ms, bare tiles \d+ ms/);
  }, 240_000);
});
