/**
 * Area weights between boundary sets (areaCrosswalk): hand-worked shapes, a property on grids of
 * rectangles, and a cross-check against polygon clipping (turf) on the demo's two vintages.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { area, bbox, intersect, featureCollection } from '@turf/turf';
import { areaCrosswalk } from '../../src/core/crosswalk';
import { loadBundle } from '../../src/data/bundle';
import { datasetFromBundle } from '../../src/data/dataset';

type Ring = number[][];
// Shapes sit near the equator at a 0.01° scale: there the equal-area projection is linear to
// 1e-8, so the planar areas worked out by hand are the answers.
const U = 0.01;
const poly = (id: string, ...rings: Ring[]) => ({ type: 'Feature' as const, properties: { GEOID: id }, geometry: { type: 'Polygon' as const, coordinates: rings.map((r) => r.map(([x, y]) => [x * U, y * U])) } });
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const weights = (rows: { source: string; target: string; weight: number }[]) => Object.fromEntries(rows.map((r) => [`${r.source}>${r.target}`, +r.weight.toFixed(6)]));

describe('areaCrosswalk on hand-worked shapes', () => {
  it('a square over a triangle and the rest of the square: ½ and ½', () => {
    const rows = areaCrosswalk([poly('S', rect(0, 0, 1, 1))], [poly('T', [[0, 0], [1, 0], [0, 1], [0, 0]]), poly('U', [[1, 0], [1, 1], [0, 1], [1, 0]])]);
    expect(weights(rows)).toEqual({ 'S>T': 0.5, 'S>U': 0.5 });
  });
  it('a square with a hole: the hole is not counted (area 16 − 4 = 12; left half 8 − 2 = 6)', () => {
    const holed = poly('H', rect(0, 0, 4, 4), rect(1, 1, 3, 3).reverse());
    const rows = areaCrosswalk([holed], [poly('LEFT', rect(0, 0, 2, 4)), poly('RIGHT', rect(2, 0, 4, 4)), poly('ENCLAVE', rect(1, 1, 3, 3))]);
    expect(weights(rows)).toEqual({ 'H>LEFT': 0.5, 'H>RIGHT': 0.5 });
  });
  it('winding does not matter: a clockwise ring gives the same weights', () => {
    const ccw = areaCrosswalk([poly('S', rect(0, 0, 3, 1))], [poly('A', rect(0, 0, 1, 1)), poly('B', rect(1, -1, 5, 2))]);
    const cw = areaCrosswalk([poly('S', rect(0, 0, 3, 1).reverse())], [poly('A', rect(0, 0, 1, 1).reverse()), poly('B', rect(1, -1, 5, 2))]);
    expect(weights(cw)).toEqual(weights(ccw));
    expect(weights(ccw)).toEqual({ 'S>A': +(1 / 3).toFixed(6), 'S>B': +(2 / 3).toFixed(6) });
  });
  it('neighbours that share an edge or a corner get no weight', () => {
    const rows = areaCrosswalk([poly('S', rect(0, 0, 1, 1))], [poly('SELF', rect(0, 0, 1, 1)), poly('EAST', rect(1, 0, 2, 1)), poly('CORNER', rect(1, 1, 2, 2)), poly('NORTH', rect(0, 1, 1, 2))]);
    expect(weights(rows)).toEqual({ 'S>SELF': 1 });
  });
  it('a two-part tract (MultiPolygon) split 1 : 3 between two targets', () => {
    const multi = { type: 'Feature' as const, properties: { GEOID: 'M' }, geometry: { type: 'MultiPolygon' as const, coordinates: [[rect(0, 0, 1, 1)], [rect(5, 0, 8, 1)]].map((p) => p.map((r) => r.map(([x, y]) => [x * U, y * U]))) } };
    expect(weights(areaCrosswalk([multi], [poly('W', rect(-1, -1, 2, 2)), poly('E', rect(4, -1, 9, 2))]))).toEqual({ 'M>W': 0.25, 'M>E': 0.75 });
  });
  it('a diamond (a square turned 45°) over a square: the square holds half its area', () => {
    // Diamond with vertices at (±1, 0), (0, ±1): area 2; the square [0,1]² holds the triangle of area ½.
    const rows = areaCrosswalk([poly('D', [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]])], [poly('Q', rect(0, 0, 1, 1))]);
    expect(weights(rows)).toEqual({ 'D>Q': 0.25 });
  });
  it('slivers below the minimum weight are dropped, and a source only partly covered keeps its covered share', () => {
    const rows = areaCrosswalk([poly('S', rect(0, 0, 1000, 1))], [poly('BIG', rect(0, 0, 600, 1)), poly('SLIVER', rect(600, 0, 600.5, 1))]);
    expect(weights(rows)).toEqual({ 'S>BIG': 0.6 });
  });
  it('reports progress, ending at the number of sources', () => {
    const calls: [number, number][] = [];
    areaCrosswalk([poly('A', rect(0, 0, 1, 1)), poly('B', rect(1, 0, 2, 1))], [poly('T', rect(0, 0, 2, 1))], 0.001, (d, t) => calls.push([d, t]));
    expect(calls[calls.length - 1]).toEqual([2, 2]);
  });
});

describe('areaCrosswalk properties', () => {
  it('over a grid of rectangles, each weight is the overlap of rectangles ÷ the source area, and they add up to 1', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 2, max: 10 })),
        fc.integer({ min: 1, max: 4 }),
        ([x0, y0, w, h], cell) => {
          const src = [x0, y0, x0 + w, y0 + h];
          const cells = [];
          for (let x = 0; x < 20; x += cell) for (let y = 0; y < 20; y += cell) cells.push(poly(`${x},${y}`, rect(x, y, x + cell, y + cell)));
          const rows = areaCrosswalk([poly('S', rect(src[0], src[1], src[2], src[3]))], cells, 0);
          const overlap = (x: number, y: number) => Math.max(0, Math.min(src[2], x + cell) - Math.max(src[0], x)) * Math.max(0, Math.min(src[3], y + cell) - Math.max(src[1], y));
          for (const r of rows) {
            const [x, y] = r.target.split(',').map(Number);
            expect(r.weight).toBeCloseTo(overlap(x, y) / (w * h), 6);
          }
          expect(rows.reduce((s, r) => s + r.weight, 0)).toBeCloseTo(1, 9);
          expect(rows.length).toBe(cells.filter((c) => { const [x, y] = c.properties.GEOID.split(',').map(Number); return overlap(x, y) > 0; }).length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('areaCrosswalk against polygon clipping', () => {
  it("the demo's 2000 → 2010 tracts: the same pairs as turf's intersect, weights within 1e-5", async () => {
    const d = datasetFromBundle(await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8')));
    const from = d.boundaries.get('2000')!.features;
    const to = d.boundaries.get('2010')!.features;
    const rows = areaCrosswalk(from, to);
    // Polygon clipping of every pair whose boxes meet (turf area is spherical: ratios agree to ~1e-6).
    const expected = new Map<string, number>();
    const box = (f: (typeof from)[number]) => bbox(f);
    const toBoxes = to.map(box);
    for (const s of from) {
      const [sw, so, e, n] = box(s);
      for (const [j, t] of to.entries()) {
        const [tw, ts, te, tn] = toBoxes[j];
        if (tw > e || te < sw || ts > n || tn < so) continue;
        const piece = intersect(featureCollection([s, t]) as never);
        if (!piece) continue;
        const w = area(piece) / area(s);
        if (w >= 0.001) expected.set(`${s.properties.GEOID}>${t.properties.GEOID}`, w);
      }
    }
    const got = new Map(rows.map((r) => [`${r.source}>${r.target}`, r.weight]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, w] of expected) expect(Math.abs(got.get(k)! - w), k).toBeLessThan(1e-5);
  }, 120_000);
});
