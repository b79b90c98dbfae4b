/**
 * The Riverbend demo region: deterministic, geometrically sound, and its planted patterns are
 * recovered by the change rules of METHOD.md §5 (Galster, Booza & Cutsinger 2008 classes; Pew
 * Philadelphia 2016-style income upgrading) with precision and recall ≥ 0.9.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { generateDemo, PLANTED_PATTERNS, type DemoRegion, type PlantedPattern } from '../../scripts/demo/generate';
import { analyzeSnapshot, type YearAnalysis } from '../../src/core/analyze';
import { CPI_U_ANNUAL } from '../../src/core/cpi';
import { medianOf } from '../../src/core/ami';
import { toSnapshot, type IncomeTable } from '../../src/data/income';
import { loadBundle } from '../../src/data/bundle';
import { demoFiles } from '../../scripts/make-demo';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let demo: DemoRegion;
beforeAll(() => {
  demo = generateDemo();
});

/** Allowed number of 2010 tracts per planted label. */
const PLANNED: Readonly<Record<PlantedPattern, [number, number]>> = {
  stable_mixed: [50, 70],
  income_upgrading: [32, 48],
  transitional: [20, 30],
  poverty: [32, 48],
  affluent: [24, 36],
  small: [6, 10],
  split: [24, 36],
  none: [100, 320],
};

const area = (f: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>) => turf.area(f);

describe('determinism', () => {
  it('the same seed gives the same region; another seed a different one', () => {
    const again = generateDemo();
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const other = generateDemo(7);
    expect(other.boundaries2010.length).not.toBe(0);
    expect(JSON.stringify(other.boundaries2010[0].geometry)).not.toBe(JSON.stringify(demo.boundaries2010[0].geometry));
  });
});

describe('geography', () => {
  it('has 300–600 tracts with distinct 11-digit GEOIDs in state 99, counties 001 and 003', () => {
    for (const set of [demo.boundaries2000, demo.boundaries2010]) {
      expect(set.length).toBeGreaterThanOrEqual(300);
      expect(set.length).toBeLessThanOrEqual(600);
      const ids = set.map((f) => f.properties.GEOID);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^99(001|003)\d{6}$/);
    }
    expect(demo.boundaries2010.length - demo.boundaries2000.length).toBe(demo.splits.length);
  });

  it('tracts are valid polygons that tile the land: outline minus river, within 1%', () => {
    for (const f of demo.boundaries2010) {
      expect(area(f)).toBeGreaterThan(0);
      expect(turf.kinks(f).features, f.properties.GEOID).toHaveLength(0);
    }
    const land = turf.difference(turf.featureCollection([demo.outline, demo.river]))!;
    const tracts = demo.boundaries2010.reduce((s, f) => s + area(f), 0);
    expect(Math.abs(tracts / area(land) - 1)).toBeLessThan(0.01);
    const tracts2000 = demo.boundaries2000.reduce((s, f) => s + area(f), 0);
    expect(Math.abs(tracts2000 / tracts - 1)).toBeLessThan(0.001);
    // Roughly 25 × 20 km.
    expect(area(land) / 1e6).toBeGreaterThan(300);
    expect(area(land) / 1e6).toBeLessThan(500);
  });

  it('no tract covers the river', () => {
    const line = demo.riverCenterline.geometry.coordinates;
    const inside = line.filter((p) => turf.booleanPointInPolygon(p, demo.outline));
    expect(inside.length).toBeGreaterThan(50);
    for (const p of inside.filter((_, i) => i % 10 === 0)) {
      for (const f of demo.boundaries2010) expect(turf.booleanPointInPolygon(p, f), f.properties.GEOID).toBe(false);
    }
  });

  it('the two 2010 halves of a split tract make up the 2000 tract', () => {
    expect(demo.splits.length).toBeGreaterThanOrEqual(12);
    const by2000 = new Map(demo.boundaries2000.map((f) => [f.properties.GEOID, f]));
    const by2010 = new Map(demo.boundaries2010.map((f) => [f.properties.GEOID, f]));
    for (const { parent, children } of demo.splits) {
      // Census convention: 000500 → 000501 and 000502.
      expect(children).toEqual([parent.slice(0, 9) + '01', parent.slice(0, 9) + '02']);
      expect(by2010.has(parent)).toBe(false);
      const halves = children.map((c) => area(by2010.get(c)!));
      expect(Math.abs((halves[0] + halves[1]) / area(by2000.get(parent)!) - 1)).toBeLessThan(0.005);
      const overlap = turf.intersect(turf.featureCollection([by2010.get(children[0])!, by2010.get(children[1])!]));
      expect(overlap === null ? 0 : area(overlap)).toBeLessThan(0.001 * halves[0]);
    }
    // Every other 2000 tract keeps its GEOID and shape.
    for (const [id, f] of by2000) {
      if (demo.splits.some((s) => s.parent === id)) continue;
      expect(JSON.stringify(by2010.get(id)?.geometry)).toBe(JSON.stringify(f.geometry));
    }
  });
});

describe('income tables and crosswalk', () => {
  it('each year is on its vintage, brackets are integers that sum to the totals', () => {
    expect(demo.years.map((y) => [y.year, y.incomeYear, y.boundaries])).toEqual([
      [2000, 1999, '2000'],
      [2018, 2018, '2010'],
      [2023, 2023, '2010'],
    ]);
    for (const y of demo.years) {
      const ids = (y.boundaries === '2000' ? demo.boundaries2000 : demo.boundaries2010).map((f) => f.properties.GEOID).sort();
      expect(y.table.units.map((u) => u.geoid)).toEqual(ids);
      for (const u of y.table.units) {
        expect(u.counts).toHaveLength(16);
        for (const c of u.counts) expect(Number.isInteger(c) && c >= 0).toBe(true);
        expect(Array.from(u.counts).reduce((s, c) => s + c, 0)).toBe(u.total);
        if (y.year === 2000) expect(u.moe).toBeNull();
        else {
          expect(u.moe).toHaveLength(16);
          for (const m of u.moe!) expect(m).toBeGreaterThan(0);
          expect(u.totalMoe).toBeGreaterThan(0);
        }
      }
    }
  });

  it('2000 counts of a split tract are the sum of its halves; crosswalk rows per source sum to 1', () => {
    const t2000 = new Map(demo.years[0].table.units.map((u) => [u.geoid, u]));
    const sources = new Map<string, number>();
    for (const r of demo.crosswalk) {
      expect(r.weight).toBeGreaterThan(0);
      sources.set(r.source, (sources.get(r.source) ?? 0) + r.weight);
    }
    expect([...sources.keys()].sort()).toEqual([...t2000.keys()].sort());
    for (const sum of sources.values()) expect(sum).toBeCloseTo(1, 9);
    const targets = new Set(demo.crosswalk.map((r) => r.target));
    expect([...targets].sort()).toEqual(demo.boundaries2010.map((f) => f.properties.GEOID).sort());
    for (const { parent, children } of demo.splits) {
      const rows = demo.crosswalk.filter((r) => r.source === parent);
      expect(rows.map((r) => r.target)).toEqual(children);
      expect(rows[0].weight).toBeGreaterThan(0.2);
      expect(rows[0].weight).toBeLessThan(0.8);
    }
  });

  it('the region AMI lands on the target: 1999 dollars plus CPI-U and 5% / 8% real growth', () => {
    for (const y of demo.years) {
      const a = analyzeSnapshot(toSnapshot(y.table), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } });
      expect(Math.abs(a.ami.dollars / y.targetAmi - 1)).toBeLessThan(0.02);
    }
  });

  it('truth covers every 2010 tract once, with the planned number of each label', () => {
    expect(demo.truth.map((t) => t.GEOID)).toEqual(demo.boundaries2010.map((f) => f.properties.GEOID).sort());
    for (const label of PLANTED_PATTERNS) {
      const n = demo.truth.filter((t) => t.planted === label).length;
      expect(n, label).toBeGreaterThanOrEqual(PLANNED[label][0]);
      expect(n, label).toBeLessThanOrEqual(PLANNED[label][1]);
    }
  });
});

describe('the bundle (data/demo)', () => {
  it('reads back through loadBundle with the same counts, MOEs, tracts and crosswalk', async () => {
    const files = demoFiles(demo);
    const bundle = await loadBundle(async (name) => files[name]);
    expect(bundle.meta.synthetic).toBe(true);
    expect(bundle.meta.name).toMatch(/fictional/);
    expect(bundle.boundaries.get('2000')!.features).toHaveLength(demo.boundaries2000.length);
    expect(bundle.boundaries.get('2010')!.features).toHaveLength(demo.boundaries2010.length);
    for (const y of demo.years) {
      const read = bundle.tables.find((t) => t.year === y.year)!;
      expect(read.incomeYear).toBe(y.incomeYear);
      expect(read.units.map((u) => [u.geoid, u.counts, u.moe, u.publishedMedian])).toEqual(
        y.table.units.map((u) => [u.geoid, u.counts, u.moe, u.publishedMedian]),
      );
    }
    expect(bundle.crosswalkText.get('2000->2010')!.trim().split('\n')).toHaveLength(demo.crosswalk.length + 1);
    const total = Object.values(files).reduce((s, t) => s + t.length, 0);
    expect(total).toBeLessThan(3e6);
  });

  it('the committed data/demo folder is what `npm run demo` makes now', () => {
    const folder = new URL('../../data/demo/', import.meta.url);
    expect(existsSync(folder), 'data/demo is missing: run `npm run demo`').toBe(true);
    const files = demoFiles(demo);
    expect(readdirSync(folder).sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(new URL(name, folder), 'utf8') === text, `data/demo/${name} is stale: run \`npm run demo\``).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Recovery: the change rules of METHOD.md §5, written out here independently of the app.

const AMI6 = { scheme: { kind: 'ami6' as const }, ami: { kind: 'auto' as const } };

/** Move a 2000-vintage table to 2010 tracts with the crosswalk (counts × weight, summed). */
function onto2010(table: IncomeTable, crosswalk: DemoRegion['crosswalk'], targets: readonly string[]): IncomeTable {
  const from = new Map(table.units.map((u) => [u.geoid, u.counts]));
  const to = new Map(targets.map((g) => [g, new Array<number>(16).fill(0)]));
  for (const r of crosswalk) from.get(r.source)!.forEach((c, i) => (to.get(r.target)![i] += c * r.weight));
  return {
    ...table,
    units: targets.map((geoid, line) => {
      const counts = to.get(geoid)!;
      return { geoid, line, counts, total: counts.reduce((s, c) => s + c, 0), moe: null, totalMoe: null, publishedMedian: null };
    }),
  };
}

interface Recovered {
  stable_mixed: Set<string>;
  income_upgrading: Set<string>;
  transitional: Set<string>;
  poverty: Set<string>;
  affluent: Set<string>;
  small: Set<string>;
}

function recover(demo: DemoRegion, t1: 2018 | 2023): Recovered {
  const targets = demo.boundaries2010.map((f) => f.properties.GEOID).sort();
  const y0 = demo.years.find((y) => y.year === 2000)!;
  const y1 = demo.years.find((y) => y.year === t1)!;
  const a0 = analyzeSnapshot(toSnapshot(onto2010(y0.table, demo.crosswalk, targets)), AMI6);
  const a1 = analyzeSnapshot(toSnapshot(y1.table), AMI6);
  expect(a1.geoids).toEqual(a0.geoids);
  const deflate = CPI_U_ANNUAL[y0.incomeYear] / CPI_U_ANNUAL[y1.incomeYear];
  const lowShare = (a: YearAnalysis, u: number) => (a.groupCounts[u * 6] + a.groupCounts[u * 6 + 1]) / a.households[u];
  const growth = a0.geoids.map((_, u) => (a1.medianIncome[u] * deflate) / a0.medianIncome[u] - 1);
  // "Faster than the region": above both the median tract growth and the AMI's real growth.
  const regionGrowth = Math.max(medianOf(growth.filter(Number.isFinite))!, (a1.ami.dollars * deflate) / a0.ami.dollars - 1);
  const out: Recovered = {
    stable_mixed: new Set(),
    income_upgrading: new Set(),
    transitional: new Set(),
    poverty: new Set(),
    affluent: new Set(),
    small: new Set(),
  };
  a0.geoids.forEach((g, u) => {
    const upgrading =
      a0.medianIncome[u] < 0.8 * a0.ami.dollars && growth[u] >= 0.1 && growth[u] > regionGrowth && lowShare(a1, u) < lowShare(a0, u);
    const mixedNow = a1.classes[u] === 'high' || a1.classes[u] === 'moderate';
    if (upgrading && mixedNow) out.transitional.add(g);
    if (upgrading && !mixedNow) out.income_upgrading.add(g);
    const enough = a0.households[u] >= 100 && a1.households[u] >= 100;
    if (!enough) out.small.add(g);
    if (a0.classes[u] === 'high' && a1.classes[u] === 'high' && lowShare(a1, u) - lowShare(a0, u) >= -0.05 && !upgrading && enough) {
      out.stable_mixed.add(g);
    }
    const poor = (a: YearAnalysis) => a.medianIncome[u] < 0.5 * a.ami.dollars && (a.classes[u] === 'low' || a.classes[u] === 'not-diverse');
    if (enough && poor(a0) && poor(a1) && !upgrading) out.poverty.add(g);
    if (enough && a0.medianIncome[u] > 1.8 * a0.ami.dollars && a1.medianIncome[u] > 1.8 * a1.ami.dollars) out.affluent.add(g);
  });
  return out;
}

function score(found: Set<string>, planted: Set<string>): { precision: number; recall: number } {
  const hits = [...found].filter((g) => planted.has(g)).length;
  return { precision: found.size ? hits / found.size : 0, recall: planted.size ? hits / planted.size : 0 };
}

describe.each([2023, 2018] as const)('planted patterns are recovered, 2000 → %i', (t1) => {
  it('every planted tract of every zone is recovered, and no other (seeded, so exact)', () => {
    const found = recover(demo, t1);
    const planted = (label: PlantedPattern) => new Set(demo.truth.filter((t) => t.planted === label).map((t) => t.GEOID));
    const report = Object.fromEntries(
      (Object.keys(found) as (keyof Recovered)[]).map((k) => [k, score(found[k], planted(k))]),
    );
    console.log(`recovery 2000 → ${t1}`, JSON.stringify(report));
    for (const k of Object.keys(found) as (keyof Recovered)[]) {
      expect([...found[k]].sort(), k).toEqual([...planted(k)].sort());
      expect(found[k].size, k).toBeGreaterThan(0);
    }
  });
});
