/** The map's figures in columns, from a year analysis written by hand; the analysis cache the app paints from. */
import { describe, expect, it } from 'vitest';
import type { YearAnalysis } from '../../src/core/analyze';
import { readIncomeTable } from '../../src/data/income';
import { CLASS_CODES } from '../../src/map/colors';
import { analysisOf, snapshotOf } from '../../src/ui/analysisCache';
import { shownColorBy, yearFigures } from '../../src/ui/paintFigures';

describe('yearFigures', () => {
  // Three tracts, two income groups, AMI $50,000: a High tract, one with too few households, one with none.
  const analysis = {
    geoids: ['17031000100', '17031000200', '17031000300'],
    classes: ['high', 'insufficient', 'insufficient'],
    entropy: Float64Array.of(0.9, 0.5, NaN),
    medianIncome: Float64Array.of(75_000, 25_000, NaN),
    households: Float64Array.of(400, 20, 0),
    groups: [{ label: 'low' }, { label: 'high' }],
    groupCounts: Float64Array.of(100, 300, 5, 15, 0, 0),
    ami: { dollars: 50_000 },
  } as unknown as YearAnalysis;
  const f = yearFigures(analysis);
  it('keeps the tract ids and class codes, marks insufficient tracts', () => {
    expect(f.ids).toBe(analysis.geoids);
    expect([...f.cls]).toEqual([CLASS_CODES.high, CLASS_CODES.insufficient, CLASS_CODES.insufficient]);
    expect([...f.ok]).toEqual([1, 0, 0]);
  });
  it('gives H and median ÷ AMI, −1 where unknown, and flags the tract without households', () => {
    expect([...f.h]).toEqual([0.9, 0.5, -1]);
    expect([...f.med]).toEqual([1.5, 0.5, -1]); // 75,000 ÷ 50,000 and 25,000 ÷ 50,000
    expect([...f.nohh]).toEqual([0, 0, 1]);
  });
  it('passes the group counts and households through for the shares (300 of 400 = 0.75 in the high group)', () => {
    expect(f.shares!.groups).toBe(2);
    expect(f.shares!.counts[1] / f.shares!.households[0]).toBe(0.75);
  });
});

describe('analysisOf', () => {
  // UDP's layout (as the scale sets write it): households, 16 brackets, median.
  const header = 'GEOID,hh_18,I_10000_18,I_15000_18,I_20000_18,I_25000_18,I_30000_18,I_35000_18,I_40000_18,I_45000_18,I_50000_18,I_60000_18,I_75000_18,I_100000_18,I_125000_18,I_150000_18,I_200000_18,I_201000_18,hinc_18';
  const rows = ['17031000100,160,10,10,10,10,10,10,10,10,10,10,10,10,10,10,10,10,50000', '17031000200,32,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,50000'];
  const table = readIncomeTable({ name: 'two.csv', bytes: new TextEncoder().encode([header, ...rows].join('\n')) }, { year: 2018 });
  const options = (dollars: number) => ({ scheme: { kind: 'ami6' } as const, ami: { kind: 'typed' as const, dollars, source: 'test' }, minHouseholds: 50 });
  it('makes the snapshot once per table', () => {
    expect(snapshotOf(table)).toBe(snapshotOf(table));
    expect(snapshotOf(table).geoids).toEqual(['17031000100', '17031000200']);
  });
  it('hands out the same analysis for the same table and options, a new one when they change', () => {
    const a = analysisOf(table, options(60_000));
    expect(analysisOf(table, options(60_000))).toBe(a);
    const b = analysisOf(table, options(70_000));
    expect(b).not.toBe(a);
    expect(b.ami.dollars).toBe(70_000);
    // 32 households are fewer than the 50 asked for: insufficient whatever the AMI.
    expect(b.classes[1]).toBe('insufficient');
    // The geoids stay the snapshot's: the map keeps its index of the tracts across AMI changes.
    expect(b.geoids).toBe(a.geoids);
  });
});

describe('shownColorBy', () => {
  it("keeps a year's mode in the year view and a change's in the change view; otherwise that view's default", () => {
    expect(shownColorBy({ kind: 'share', group: 2 }, false)).toEqual({ kind: 'share', group: 2 });
    expect(shownColorBy({ kind: 'transition' }, false)).toEqual({ kind: 'class' });
    expect(shownColorBy({ kind: 'real-growth' }, true)).toEqual({ kind: 'real-growth' });
    expect(shownColorBy({ kind: 'entropy' }, true)).toEqual({ kind: 'delta-entropy' });
  });
});
