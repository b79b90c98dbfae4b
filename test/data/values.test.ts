/**
 * Implausible values never move the region (issue 9): Census codes and spreadsheet errors are
 * missing, never 0 or a number; counts beyond a plausible tract are rejected by row.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HOUSEHOLDS_PER_UNIT, readCensusNumber, readIncomeTable } from '../../src/data/income';
import { analyzeSnapshot } from '../../src/core/analyze';
import { toSnapshot } from '../../src/data/income';

const enc = new TextEncoder();
const UPPERS = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
const HEADER = ['GEOID', 'hh_18', ...UPPERS.map((u) => `I_${u}_18`), 'hinc_18'];

describe('readCensusNumber', () => {
  it.each([
    ['*****', 'missing'], ['**', 'missing'], ['(X)', 'missing'], ['N', 'missing'], ['-', 'missing'], ['', 'missing'], ['null', 'missing'],
    ['#N/A', 'missing'], ['#VALUE!', 'missing'], ['-666666666', 'missing'], ['-999999999', 'missing'], ['-888888888', 'missing'],
    ['-222222222', 'missing'], ['-333333333', 'missing'], ['-555555555', 'missing'], ['-666666666.0', 'missing'],
    ['0x10', 'bad'], ['Infinity', 'bad'], ['1e999', 'bad'], ['12abc', 'bad'], ['1 2', 'bad'], ['<script>', 'bad'],
  ])('%j is %s', (raw, kind) => {
    expect(readCensusNumber(raw).kind).toBe(kind);
  });
  it.each([
    ['0', 0], ['17', 17], ['1,234', 1234], ['12.5', 12.5], ['"40"', 40], ['1e3', 1000], ['-4', -4],
  ])('%j is the number %d', (raw, value) => {
    expect(readCensusNumber(raw)).toEqual({ kind: 'number', value });
  });
});

describe('rows with implausible values are rejected, and the region does not move', () => {
  const good = (i: number) => [`170310101${String(i).padStart(2, '0')}`, '160', ...UPPERS.map(() => '10'), '55000'];
  const file = (rows: string[][]) => enc.encode([HEADER, ...rows].map((r) => r.join(',')).join('\n'));
  const base = Array.from({ length: 10 }, (_, i) => good(i));
  const amiOf = (rows: string[][]) => analyzeSnapshot(toSnapshot(readIncomeTable({ name: 'r_2018.csv', bytes: file(rows) })), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } }).ami.dollars;

  for (const huge of ['1e20', '1e308', String(MAX_HOUSEHOLDS_PER_UNIT + 16)]) {
    it(`a tract with ${huge} households is rejected with its line and column`, () => {
      const top = (BigInt(Math.round(Number(huge))) - 15n * 10n).toString();
      const bad = [...good(10)];
      bad[1] = huge;
      bad[HEADER.indexOf('I_201000_18')] = Number(huge) > 1e15 ? huge : top;
      const t = readIncomeTable({ name: 'r_2018.csv', bytes: file([...base, bad]) });
      expect(t.units).toHaveLength(10);
      expect(t.rejected).toHaveLength(1);
      expect(t.rejected[0]).toMatchObject({ row: 12, column: 'hh_18', geoid: '17031010110' });
      expect(t.rejected[0].reason).toMatch(/not a plausible tract size|brackets add up/);
      expect(amiOf([...base, bad])).toBe(amiOf(base));
    });
  }
  it('a row of "*****" counts is rejected, not read as zeros', () => {
    const stars = [good(10)[0], '*****', ...UPPERS.map(() => '*****'), '55000'];
    const t = readIncomeTable({ name: 'r_2018.csv', bytes: file([...base, stars]) });
    expect(t.rejected).toEqual([{ row: 12, geoid: '17031010110', column: 'I_10000_18', reason: 'bracket count missing: "*****" means not available' }]);
  });
  it('an implausible published median is dropped, not used', () => {
    const row = good(0);
    row[HEADER.indexOf('hinc_18')] = '1e12';
    const t = readIncomeTable({ name: 'r_2018.csv', bytes: file([row]) });
    expect(t.units[0].publishedMedian).toBeNull();
    expect(t.warnings).toEqual(['1 published medians above $10,000,000 are not plausible and were left empty (lines 2)']);
  });
});
