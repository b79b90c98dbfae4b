/**
 * Chicago (UDP ACS 2014–18 on 2010 tracts, cb_2018_17_tract_500k): hand-made areas — the union of
 * the tracts whose number starts with a Chicago community area's number (tracts 01xx = Rogers
 * Park, 08xx = Near North Side, 32xx = Loop) — pool exactly the bracket counts of their tracts,
 * summed here from the CSV's I_* columns without tractmix.
 */
import { beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import { featureCollection, union } from '@turf/turf';
import { readBoundaries, type BoundarySet } from '../../src/data/boundaries';
import { readIncomeTable, toSnapshot } from '../../src/data/income';
import { analyzeSnapshot, type AnalysisOptions } from '../../src/core/analyze';
import { analyzeAreas, areaMembers, areaWeights, type AreaFeature } from '../../src/core/areas';
import { describeRealData, readRealData, readRealText } from '../helpers/realData';

const DIR = 'udp-chicago';
const AREAS = { 'Rogers Park': '1703101', 'Near North Side': '1703108', Loop: '1703132' } as const;
const BRACKETS = ['10000', '15000', '20000', '25000', '30000', '35000', '40000', '45000', '50000', '60000', '75000', '100000', '125000', '150000', '200000', '201000'].map((b) => `I_${b}_18`);
const OPTIONS: AnalysisOptions = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } };

describeRealData('Chicago: hand-made community areas pool their tracts', () => {
  let tracts: BoundarySet;
  let csv: Record<string, string>[];
  beforeAll(async () => {
    const shp = (ext: string) => ({ name: `cb_2018_17_tract_500k.${ext}`, bytes: readRealData(`${DIR}/cb_2018_17_tract_500k.${ext}`) });
    tracts = await readBoundaries([shp('shp'), shp('dbf'), shp('prj')]);
    csv = Papa.parse<Record<string, string>>(readRealText(`${DIR}/Chicagocensus_summ_2018.csv`).trim(), { header: true }).data;
  }, 120_000);

  it('each area holds exactly its tracts, whole, and their summed bracket counts', () => {
    const names = Object.keys(AREAS) as (keyof typeof AREAS)[];
    const ids = (name: keyof typeof AREAS) => csv.filter((r) => r.FIPS.startsWith(AREAS[name])).map((r) => r.FIPS).sort();
    const areas: AreaFeature[] = names.map((name) => {
      const set = new Set(ids(name));
      const merged = union(featureCollection(tracts.features.filter((f) => set.has(f.properties.GEOID))))!;
      return { type: 'Feature', properties: { name }, geometry: merged.geometry };
    });
    const weights = areaWeights(tracts.features, areas, 'share');
    const members = areaMembers(weights);
    const table = readIncomeTable({ name: 'Chicagocensus_summ_2018.csv', bytes: readRealData(`${DIR}/Chicagocensus_summ_2018.csv`) });
    const snapshot = toSnapshot(table);
    const result = analyzeAreas(snapshot, weights, names, OPTIONS, analyzeSnapshot(snapshot, OPTIONS));
    names.forEach((name, u) => {
      expect(members.get(name)!.map((m) => m.tract).sort()).toEqual(ids(name));
      for (const m of members.get(name)!) expect(m.weight).toBeGreaterThan(0.999);
      const rows = csv.filter((r) => r.FIPS.startsWith(AREAS[name]));
      const expected = BRACKETS.map((c) => rows.reduce((s, r) => s + Number(r[c]), 0));
      const got = Array.from(result.snapshot.counts.slice(u * 16, u * 16 + 16));
      got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 1));
      expect(result.analysis.households[u]).toBeCloseTo(expected.reduce((a, b) => a + b, 0), 1);
    });
    console.log(names.map((n, u) => `${n}: ${ids(n).length} tracts, ${result.analysis.households[u].toFixed(0)} households, H ${result.analysis.entropy[u].toFixed(3)} (${result.analysis.classes[u]})`).join('; '));
  }, 120_000);
});
