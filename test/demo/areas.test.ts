/**
 * Areas drawn around the demo's planted neighbourhoods (the union of the tracts truth.csv labels
 * with a pattern, from the geometry alone) recover the planted pattern when their tracts are
 * pooled (data/demo/README.md: stable mixed-income "High diversity every year", poverty "median
 * ~30–40% AMI … not diverse", affluent "median ~210–260% AMI", transitional "High then").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { featureCollection, union } from '@turf/turf';
import { readBoundaries, type BoundarySet } from '../../src/data/boundaries';
import { readIncomeTable, toSnapshot } from '../../src/data/income';
import { analyzeSnapshot, type AnalysisOptions } from '../../src/core/analyze';
import { analyzeAreas, areaMembers, areaWeights, type AreaFeature, type AreaWeight } from '../../src/core/areas';

const DEMO = new URL('../../data/demo/', import.meta.url);
const PATTERNS = ['stable_mixed', 'transitional', 'poverty', 'affluent'] as const;
const OPTIONS: AnalysisOptions = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } };

let tracts: BoundarySet;
let truth: Map<string, string[]>;
let weights: AreaWeight[];

beforeAll(async () => {
  tracts = await readBoundaries([{ name: 'boundaries-2010.topojson', bytes: readFileSync(new URL('boundaries-2010.topojson', DEMO)) }]);
  truth = new Map();
  for (const line of readFileSync(new URL('truth.csv', DEMO), 'utf8').trim().split('\n').slice(1)) {
    const [geoid, planted] = line.split(',');
    truth.set(planted, [...(truth.get(planted) ?? []), geoid]);
  }
  const areas: AreaFeature[] = PATTERNS.map((p) => {
    const ids = new Set(truth.get(p));
    const merged = union(featureCollection(tracts.features.filter((f) => ids.has(f.properties.GEOID))))!;
    return { type: 'Feature', properties: { name: p }, geometry: merged.geometry };
  });
  weights = areaWeights(tracts.features, areas, 'share');
}, 120_000);

function yearAreas(year: 2018 | 2023) {
  const table = readIncomeTable({ name: `income-${year}.csv`, bytes: readFileSync(new URL(`income-${year}.csv`, DEMO)) }, { year });
  const snapshot = toSnapshot(table);
  const tractAnalysis = analyzeSnapshot(snapshot, OPTIONS);
  return analyzeAreas(snapshot, weights, PATTERNS, OPTIONS, tractAnalysis).analysis;
}

describe('demo: areas around planted neighbourhoods', () => {
  it('each area counts exactly its planted tracts, whole', () => {
    const members = areaMembers(weights);
    for (const p of PATTERNS) {
      const m = members.get(p)!;
      expect(m.map((x) => x.tract).sort()).toEqual([...truth.get(p)!].sort());
      for (const x of m) expect(x.weight).toBeGreaterThan(0.999);
    }
  });
  it.each([2018, 2023] as const)('%i: pooled classes and medians are the planted ones', (year) => {
    const a = yearAreas(year);
    const at = (p: (typeof PATTERNS)[number]) => PATTERNS.indexOf(p);
    const ratio = (p: (typeof PATTERNS)[number]) => a.medianIncome[at(p)] / a.ami.dollars;
    expect(a.classes[at('stable_mixed')]).toBe('high');
    expect(a.classes[at('transitional')]).toBe('high');
    expect(a.classes[at('poverty')]).toBe('not-diverse');
    expect(ratio('poverty')).toBeGreaterThan(0.25);
    expect(ratio('poverty')).toBeLessThan(0.4);
    expect(ratio('affluent')).toBeGreaterThan(2.1);
    expect(ratio('affluent')).toBeLessThan(2.6);
    expect(ratio('stable_mixed')).toBeGreaterThan(0.9);
    expect(ratio('stable_mixed')).toBeLessThan(1.1);
  });
});
