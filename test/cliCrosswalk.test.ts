/** `tractmix crosswalk` as a user runs it: the demo's two vintages, a hand-worked pair of files, bad input. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';

function tractmix(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const rows = (path: string) => Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
const dir = mkdtempSync(join(tmpdir(), 'tractmix-crosswalk-'));

describe('tractmix crosswalk', () => {
  it("the demo's 2000 → 2010 tracts: the same pairs as its published crosswalk, each source's weights adding up to 1 (to 1e-4: the vintages' edges were drawn apart by up to that share)", () => {
    const out = join(dir, 'demo.csv');
    const r = tractmix('crosswalk', '--from', 'data/demo/boundaries-2000.topojson', '--to', 'data/demo/boundaries-2010.topojson', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/430 rows, 415 of 415 boundaries-2000\.topojson tracts onto 430 boundaries-2010\.topojson tracts/);
    const got = rows(out);
    const published = rows('data/demo/crosswalk-2000-2010.csv');
    expect(got.map((x) => `${x.source}>${x.target}`).sort()).toEqual(published.map((x) => `${x.source}>${x.target}`).sort());
    const sums = new Map<string, number>();
    for (const x of got) sums.set(x.source, (sums.get(x.source) ?? 0) + Number(x.weight));
    for (const [g, s] of sums) expect(Math.abs(s - 1), g).toBeLessThan(1e-4);
  });
  it('a hand-worked pair: one tract split 1 : 3 by area', () => {
    const f = (id: string, x0: number, x1: number) => ({ type: 'Feature', properties: { GEOID: id }, geometry: { type: 'Polygon', coordinates: [[[x0, 0], [x1, 0], [x1, 0.01], [x0, 0.01], [x0, 0]]] } });
    writeFileSync(join(dir, 'a.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [f('01001000100', 0, 0.04)] }));
    writeFileSync(join(dir, 'b.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [f('01001000101', 0, 0.01), f('01001000102', 0.01, 0.04)] }));
    const out = join(dir, 'split.csv');
    expect(tractmix('crosswalk', '--from', join(dir, 'a.geojson'), '--to', join(dir, 'b.geojson'), '--out', out).code).toBe(0);
    expect(rows(out)).toEqual([
      { source: '01001000100', target: '01001000101', weight: '0.25000000' },
      { source: '01001000100', target: '01001000102', weight: '0.75000000' },
    ]);
  });
  it('says what is missing', () => {
    const r = tractmix('crosswalk', '--from', 'data/demo/boundaries-2000.topojson', '--out', join(dir, 'x.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crosswalk needs --from BOUNDARIES --to BOUNDARIES --out FILE\.csv/);
  });
});
