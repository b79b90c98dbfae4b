/**
 * The same numbers from every input format: a real file is converted at test time into each
 * format tractmix reads, and every converted file must give the same analysis.
 */
import { expect, it } from 'vitest';
import { analyzeSnapshot, type YearAnalysis } from '../../src/core/analyze';
import { aggregateToTracts, readIncomeTable, toSnapshot } from '../../src/data/income';
import { incomeTableCsv } from '../../src/data/bundle';
import { describeRealData, readRealData } from '../helpers/realData';
import { toAffCsv, toCensusApiJson, toDataCensusGovCsv, toMappedCsv } from '../helpers/formats';

const enc = new TextEncoder();
const options = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } } as const;

function expectSameAnalysis(a: YearAnalysis, b: YearAnalysis) {
  expect(b.geoids).toEqual(a.geoids);
  expect(b.ami.dollars).toBeCloseTo(a.ami.dollars, 6);
  expect(Array.from(b.groupCounts)).toEqual(Array.from(a.groupCounts));
  expect(b.classes).toEqual(a.classes);
  expect(Array.from(b.entropy)).toEqual(Array.from(a.entropy));
}

describeRealData('every input format gives the same numbers (Chicago ACS 2014–18)', () => {
  const original = () => readIncomeTable({ name: 'Chicagocensus_summ_2018.csv', bytes: readRealData('udp-chicago/Chicagocensus_summ_2018.csv') });
  const reference = () => analyzeSnapshot(toSnapshot(original()), options);

  it('Census API JSON', () => {
    const t = readIncomeTable({ name: 'acs2018_b19001.json', bytes: enc.encode(toCensusApiJson(original())) });
    expect(t.format).toBe('census-api');
    expect(t.year).toBe(2018);
    expectSameAnalysis(reference(), analyzeSnapshot(toSnapshot(t), options));
  });
  it('Census API JSON of B19101 (families) is read as families', () => {
    const t = readIncomeTable({ name: 'fam.json', bytes: enc.encode(toCensusApiJson(original(), 'B19101')) }, { year: 2018 });
    expect(t.universe).toBe('families');
  });
  it('data.census.gov CSV with its label row and MOEs', () => {
    const t = readIncomeTable({ name: 'ACSDT5Y2018.B19001-Data.csv', bytes: enc.encode(toDataCensusGovCsv(original())) });
    expect(t.format).toBe('data-census-gov');
    expect(t.year).toBe(2018);
    expect(t.units[0].moe).toHaveLength(16);
    expectSameAnalysis(reference(), analyzeSnapshot(toSnapshot(t), options));
  });
  it('American FactFinder export with two header rows', () => {
    const t = readIncomeTable({ name: 'ACS_18_5YR_B19001_with_ann.csv', bytes: enc.encode(toAffCsv(original())) });
    expect(t.format).toBe('aff');
    expect(t.year).toBe(2018);
    expectSameAnalysis(reference(), analyzeSnapshot(toSnapshot(t), options));
  });
  it('any CSV through a column mapping (ids saved as numbers)', () => {
    const { csv, mapping } = toMappedCsv(original());
    const t = readIncomeTable({ name: 'my-tracts.csv', bytes: enc.encode(csv) }, { mapping });
    expect(t.format).toBe('mapped');
    expectSameAnalysis(reference(), analyzeSnapshot(toSnapshot(t), options));
  });
  it('the normalised bundle CSV', () => {
    const t = readIncomeTable({ name: 'income-2018.csv', bytes: enc.encode(incomeTableCsv(original())) });
    expectSameAnalysis(reference(), analyzeSnapshot(toSnapshot(t), options));
    expect(t.units.map((u) => u.publishedMedian)).toEqual(original().units.map((u) => u.publishedMedian));
  });
});

describeRealData('block groups are units and sum to tracts (DC, ACS 2010–14)', () => {
  const bg = () => readIncomeTable({ name: 'ACS_14_5YR_B19001_with_ann.csv', bytes: readRealData('dc-blockgroups-acs2014/ACS_14_5YR_B19001_with_ann.csv') });
  it('sums 450 block groups to 179 tracts, keeping totals and MOEs as root sum of squares', () => {
    const b = bg();
    const t = aggregateToTracts(b);
    expect(t.units.length).toBe(179);
    expect(t.unitKind).toBe('tract');
    expect(t.units.reduce((s, u) => s + u.total, 0)).toBe(267_415);
    const first = t.units.find((u) => u.geoid === '11001000100')!;
    const parts = b.units.filter((u) => u.geoid.startsWith('11001000100'));
    expect(parts.length).toBeGreaterThan(1);
    expect(first.total).toBe(parts.reduce((s, u) => s + u.total, 0));
    expect(first.totalMoe).toBeCloseTo(Math.sqrt(parts.reduce((s, u) => s + u.totalMoe! ** 2, 0)), 9);
  });
  it('the same block groups from data.census.gov give the same analysis', () => {
    const csv = toDataCensusGovCsv(bg()).replace(/1400000US/g, '1500000US');
    const t = readIncomeTable({ name: 'bg.csv', bytes: enc.encode(csv) }, { year: 2014 });
    expect(t.unitKind).toBe('block group');
    expectSameAnalysis(analyzeSnapshot(toSnapshot(bg()), options), analyzeSnapshot(toSnapshot(t), options));
  });
});
