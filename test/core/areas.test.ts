import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BRACKETS_16 } from '../../src/core/brackets';
import { analyzeSnapshot, type AnalysisOptions, type IncomeSnapshot } from '../../src/core/analyze';
import { analyzeAreas, areaChange, areaMembers, areaWeights, type AreaFeature } from '../../src/core/areas';

const box = (w: number, s: number, e: number, n: number): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});
const tract = (GEOID: string, w: number, s: number, e: number, n: number) => ({ type: 'Feature' as const, properties: { GEOID }, geometry: box(w, s, e, n) });
const area = (name: string, w: number, s: number, e: number, n: number): AreaFeature => ({ type: 'Feature', properties: { name }, geometry: box(w, s, e, n) });
/** 100 households in bracket i only. */
const only = (i: number, n = 100) => Array.from({ length: 16 }, (_, k) => (k === i ? n : 0));

function snapshot(tracts: Record<string, number[]>, year = 2018): IncomeSnapshot {
  const geoids = Object.keys(tracts);
  return {
    year,
    incomeYear: year,
    set: BRACKETS_16,
    universe: 'households',
    geoids,
    counts: Float64Array.from(geoids.flatMap((g) => tracts[g])),
    publishedMedians: geoids.map(() => null),
  };
}

// Three tracts side by side, 0.01° squares on the equator.
const TRACTS = [tract('A', 0, 0, 0.01, 0.01), tract('B', 0.01, 0, 0.02, 0.01), tract('C', 0.02, 0, 0.03, 0.01)];
// AMI $50,000 → ami6 cuts $25k, $40k, $50k, $60k, $75k: bracket 0 (<$10k) is "very low", bracket 9
// ($50–60k) is 100–120% AMI, bracket 15 ($200k+) is above 150% AMI.
const OPTIONS: AnalysisOptions = { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 50_000 } };
const SNAP = snapshot({ A: only(0), B: only(15), C: only(9) });
const TRACT_ANALYSIS = analyzeSnapshot(SNAP, OPTIONS);
const LN6 = Math.log(6);

describe('areaWeights', () => {
  it('counts whole tracts with weight 1 and a half tract with weight 0.5 (share rule)', () => {
    const rows = areaWeights(TRACTS, [area('AB', 0, 0, 0.02, 0.01), area('A+halfC', 0.02, 0, 0.025, 0.01)], 'share');
    const members = areaMembers(rows);
    expect(members.get('AB')!.map((m) => [m.tract, +m.weight.toFixed(6)])).toEqual([['A', 1], ['B', 1]]);
    expect(members.get('A+halfC')!.map((m) => [m.tract, +m.weight.toFixed(6)])).toEqual([['C', 0.5]]);
  });
  it('centroid rule: a tract counts whole when its centroid is inside, not at all otherwise', () => {
    // Covers A (centroid 0.005) and 40% of B (centroid 0.015 is outside 0.014).
    const rows = areaWeights(TRACTS, [area('X', -0.001, -0.001, 0.014, 0.011)], 'centroid');
    expect(rows).toEqual([{ source: 'A', target: 'X', weight: 1 }]);
    const share = areaWeights(TRACTS, [area('X', -0.001, -0.001, 0.014, 0.011)], 'share');
    expect(share.map((r) => [r.source, +r.weight.toFixed(6)])).toEqual([['A', 1], ['B', 0.4]]);
  });
  it('overlapping areas each keep their full share', () => {
    const rows = areaWeights(TRACTS, [area('all', 0, 0, 0.03, 0.01), area('AB', 0, 0, 0.02, 0.01)], 'share');
    const byArea = areaMembers(rows);
    expect(byArea.get('all')!.length).toBe(3);
    expect(byArea.get('AB')!.every((m) => Math.abs(m.weight - 1) < 1e-9)).toBe(true);
  });
});

describe('analyzeAreas', () => {
  it('an area of whole tracts has exactly their pooled counts, and H of the pool (not the mean of H)', () => {
    const areas = [area('AB', 0, 0, 0.02, 0.01), area('ABC', 0, 0, 0.03, 0.01), area('Aonly', 0, 0, 0.01, 0.01)];
    const result = analyzeAreas(SNAP, areaWeights(TRACTS, areas, 'share'), ['AB', 'ABC', 'Aonly'], OPTIONS, TRACT_ANALYSIS);
    const k = 16;
    const counts = (u: number) => Array.from(result.snapshot.counts.slice(u * k, u * k + k)).map((x) => +x.toFixed(9));
    expect(counts(0)).toEqual(only(0).map((x, i) => x + only(15)[i]));
    expect(counts(1)).toEqual(only(0).map((x, i) => x + only(15)[i] + only(9)[i]));
    const a = result.analysis;
    expect(Array.from(a.households)).toEqual([200, 300, 100]);
    // Two groups half and half: H = ln 2 / ln 6; three equal groups: ln 3 / ln 6; one group: 0.
    expect(a.entropy[0]).toBeCloseTo(Math.log(2) / LN6, 12);
    expect(a.entropy[1]).toBeCloseTo(Math.log(3) / LN6, 12);
    expect(a.entropy[2]).toBe(0);
    // Each tract alone has H = 0: averaging tract values would give 0 for every area.
    expect(Array.from(TRACT_ANALYSIS.entropy)).toEqual([0, 0, 0]);
    // The region's AMI, not each area's own median.
    expect(a.ami.dollars).toBe(50_000);
  });
  it('a half tract adds half its households', () => {
    const areas = [area('A+halfC', 0, 0, 0.01, 0.01)];
    const rows = [...areaWeights(TRACTS, areas, 'share'), ...areaWeights(TRACTS, [area('A+halfC', 0.02, 0, 0.025, 0.01)], 'share')];
    const a = analyzeAreas(SNAP, rows, ['A+halfC'], OPTIONS, TRACT_ANALYSIS).analysis;
    expect(a.households[0]).toBeCloseTo(150, 6);
    const p = [2 / 3, 1 / 3];
    expect(a.entropy[0]).toBeCloseTo(-(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1])) / LN6, 6);
  });
  it('pools MOEs as the root of the sum of squares', () => {
    const s: IncomeSnapshot = { ...SNAP, moe: Float64Array.from([...only(0, 30), ...only(15, 40), ...only(9, 0)]), totalMoe: Float64Array.from([30, 40, 0]) };
    const r = analyzeAreas(s, areaWeights(TRACTS, [area('AB', 0, 0, 0.02, 0.01)], 'share'), ['AB'], OPTIONS, TRACT_ANALYSIS);
    expect(r.snapshot.moe![0]).toBeCloseTo(30, 9);
    expect(r.snapshot.moe![15]).toBeCloseTo(40, 9);
    expect(r.snapshot.totalMoe![0]).toBeCloseTo(50, 9);
  });
  it('apportioning conserves households when the areas partition the tracts (property)', () => {
    // A 4×3 grid of tracts; areas are vertical strips cut at random longitudes.
    const grid = Array.from({ length: 12 }, (_, i) => tract(`T${i}`, (i % 4) * 0.01, Math.floor(i / 4) * 0.01, (i % 4) * 0.01 + 0.01, Math.floor(i / 4) * 0.01 + 0.01));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(300), { minLength: 16, maxLength: 16 }), { minLength: 12, maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 39 }), { minLength: 1, maxLength: 4 }),
        (counts, cuts) => {
          const edges = [0, ...cuts.sort((x, y) => x - y).map((c) => c / 1000), 0.04];
          const strips = edges.slice(1).map((e, i) => area(`S${i}`, edges[i], 0, e, 0.03));
          const snap = snapshot(Object.fromEntries(counts.map((c, i) => [`T${i}`, c])));
          const tractA = analyzeSnapshot(snap, OPTIONS);
          const r = analyzeAreas(snap, areaWeights(grid, strips, 'share'), strips.map((s) => s.properties.name), OPTIONS, tractA);
          const before = counts.flat().reduce((x, y) => x + y, 0);
          const after = Array.from(r.analysis.households).reduce((x, y) => x + y, 0);
          // Slivers under 0.1% of a tract are dropped (areaCrosswalk's minWeight): strips cut at
          // whole thousandths of a degree never make one.
          expect(Math.abs(after - before)).toBeLessThanOrEqual(1e-6 * Math.max(1, before));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('areaChange', () => {
  it('flags and ΔH come from the pooled counts of each year', () => {
    const s0 = snapshot({ A: only(0), B: only(0), C: only(9) }, 2013);
    const s1 = snapshot({ A: only(0), B: only(15), C: only(9) }, 2023);
    const opts: AnalysisOptions = { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 50_000 } };
    const from = { snapshot: s0, analysis: analyzeSnapshot(s0, opts) };
    const to = { snapshot: s1, analysis: analyzeSnapshot(s1, opts) };
    const ch = areaChange(from, to, areaWeights(TRACTS, [area('AB', 0, 0, 0.02, 0.01)], 'share'), ['AB'], opts);
    expect(ch.tracts).toHaveLength(1);
    expect(ch.tracts[0].geoid).toBe('AB');
    expect(ch.tracts[0].entropy[0]).toBe(0);
    expect(ch.tracts[0].deltaEntropy).toBeCloseTo(Math.log(2) / LN6, 12);
  });
});
