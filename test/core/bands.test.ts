import { describe, expect, it } from 'vitest';
import { schemeCutsDollars, schemeGroups } from '../../src/core/bands';
import { CPI_U_ANNUAL } from '../../src/core/cpi';
import { describeRealData, readRealText } from '../helpers/realData';

describe('band schemes (METHOD §3)', () => {
  it('AMI six groups cut at 50/80/100/120/150% of AMI', () => {
    expect(schemeCutsDollars({ kind: 'ami6' }, 70_000, 2018)).toEqual([35_000, 56_000, 70_000, 84_000, 105_000]);
    expect(schemeGroups({ kind: 'ami6' }).map((g) => g.key)).toEqual(['vli', 'li', 'mi', 'hmi', 'hi', 'vhi']);
  });
  it('quintiles are the seed\'s 1999 cut-offs in 1999 dollars', () => {
    expect(schemeCutsDollars({ kind: 'quintile5' }, 1, 1999)).toEqual([19_800, 35_600, 60_600, 98_200]);
  });
  it('quintiles move to 2018 dollars by CPI-U (251.107 / 166.6)', () => {
    const cuts = schemeCutsDollars({ kind: 'quintile5' }, 1, 2018);
    expect(cuts[0]).toBeCloseTo((19_800 * 251.107) / 166.6, 6);
    expect(cuts[3]).toBeCloseTo((98_200 * 251.107) / 166.6, 6);
  });
  it('accepts another price index', () => {
    const cuts = schemeCutsDollars({ kind: 'quintile5', priceIndex: { 1999: 100, 2010: 150 } }, 1, 2010);
    expect(cuts[0]).toBeCloseTo(29_700, 9);
    expect(() => schemeCutsDollars({ kind: 'quintile5', priceIndex: { 1999: 100 } }, 1, 2010)).toThrow(/no value for 2010/);
  });
  it('custom cuts in AMI fractions or dollars of a stated year', () => {
    expect(schemeCutsDollars({ kind: 'custom', unit: 'ami', cuts: [0.8, 1.2] }, 50_000, 2018)).toEqual([40_000, 60_000]);
    const d = schemeCutsDollars({ kind: 'custom', unit: 'dollars', cuts: [20_000], dollarYear: 1999 }, 1, 2018);
    // CPI-U annual averages 1999 166.6, 2018 251.107 (BLS): 20,000 × 251.107 / 166.6 = 30,144.90
    expect(d[0]).toBeCloseTo(30_144.897959, 5);
    expect(schemeGroups({ kind: 'custom', unit: 'ami', cuts: [0.8, 1.2] }).map((g) => g.key)).toEqual(['g1', 'g2', 'g3']);
    expect(() => schemeCutsDollars({ kind: 'custom', unit: 'ami', cuts: [1.2, 0.8] }, 1, 2018)).toThrow(/ascending/);
  });
});

describeRealData('CPI-U table', () => {
  it('equals the BLS table in the shared data folder', () => {
    const rows = readRealText('cpi-u.csv').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows.length).toBeGreaterThan(50);
    for (const [year, value] of rows) expect(CPI_U_ANNUAL[year]).toBe(value);
  });
});
