/**
 * The Census readers on files in the services' own layouts, written by hand (test/data/fixtures/census/),
 * not by a writer that shares the reader's assumptions. What the layouts are, and where that is said:
 *
 * Census Data API JSON (acs5-2022-b19001-tracts.json, acs5-2019-group-b19001-denver.json)
 * - a 2-D array; the first inner array is the header of variable names, each later one a record;
 *   every value is a string (numbers too), a missing one null; the geography columns (state, county,
 *   tract) come after the requested variables (Census Data API user guide; the response structure is
 *   restated in api-evangelist/us-census-bureau json-structure/census-data-row-structure.json).
 * - `get=group(B19001)` returns each variable as E, EA (estimate annotation), M, MA (MOE annotation),
 *   then GEO_ID (`1400000US` + the 11-digit tract id) and NAME (census.gov, "Notes on ACS API
 *   Variable Types": "EA … A character representation of the estimate. If an Estimate Annotation
 *   exists, use this value in place of the Estimate").
 * - NAME reads "Census Tract 78.01; Adams County; Colorado" in releases from 2022 on and
 *   "Census Tract 2.01, Denver County, Colorado" before.
 * - annotation values in place of numbers: -666666666 (estimate could not be computed),
 *   -222222222 (MOE could not be computed), -555555555 (estimate controlled: no sampling error)
 *   (census.gov, ACS 5-year API "Notes on ACS Estimate and Annotation Values").
 *
 * data.census.gov CSV download (ACSDT5Y2022.B19001-Data.csv, ACSDT5Y2019.B19001-Data.csv)
 * - every field quoted; a row of variable codes (GEO_ID, NAME, B19001_001E, B19001_001M, …), then a
 *   row of labels (Geography, Geographic Area Name, Estimate!!Total:, Margin of Error!!Total:,
 *   Estimate!!Total:!!Less than $10,000, …); the 2022 file ends each line with a comma.
 * - with annotations: B19001_001EA / …MA columns labelled "Annotation of Estimate!!Total:" and
 *   "Annotation of Margin of Error!!Total:" (the labels the API's variables.json gives them).
 * - "*****" in a margin-of-error cell: the estimate is controlled, a statistical test is not
 *   appropriate (census.gov, "Notes on Supplemental Estimates"); "±86" as the table view writes MOEs.
 * - GEO_ID `1400000US08031000201` (tract) or `1500000US080310002011` (block group).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIncomeTable, type IncomeTable } from '../../src/data/income';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'census');
const read = (name: string): IncomeTable => readIncomeTable({ name, bytes: readFileSync(join(FIXTURES, name)) });
const units = (t: IncomeTable) => t.units.map((u) => ({ geoid: u.geoid, line: u.line, total: u.total, totalMoe: u.totalMoe, counts: u.counts, moe: u.moe }));
const zeros = (n: number) => new Array<number>(n).fill(0);
const repeat = (v: number, n: number) => new Array<number>(n).fill(v);

describe('Census Data API JSON', () => {
  it('ACS 2018–22, B19001 E and M requested by name, geography as state/county/tract', () => {
    const t = read('acs5-2022-b19001-tracts.json');
    expect(t.format).toBe('census-api');
    expect(t.year).toBe(2022);
    expect(t.incomeYear).toBe(2022);
    expect(t.unitKind).toBe('tract');
    expect(t.universe).toBe('households');
    expect(t.rowsRead).toBe(4);
    expect(units(t)).toEqual([
      {
        geoid: '08001007801',
        line: 2,
        total: 1200,
        totalMoe: 110,
        counts: [100, 50, 50, 50, 50, 50, 50, 50, 50, 100, 150, 150, 100, 100, 50, 50],
        moe: [40, 28, 27, 29, 30, 26, 25, 31, 24, 45, 52, 50, 41, 30, 29, 28],
      },
      // total MOE -555555555: controlled, no sampling error (0); $125–150k MOE -222222222: unknown (NaN)
      { geoid: '08001007900', line: 3, total: 800, totalMoe: 0, counts: [...zeros(12), 200, 200, 200, 200], moe: [...repeat(13, 12), 60, NaN, 58, 61] },
      // a tract without households is a unit (its class will be "insufficient"), not an error
      { geoid: '08001980000', line: 4, total: 0, totalMoe: 13, counts: zeros(16), moe: repeat(13, 16) },
    ]);
    // every estimate -666666666: the row is rejected with its line, id, column and the code
    expect(t.rejected).toEqual([{ row: 5, geoid: '08001008311', column: 'B19001_002E', reason: 'bracket count missing: -666666666 is the Census missing-value code' }]);
    expect(t.repairedIds).toEqual([]);
  });

  it('ACS 2015–19, get=group(B19001): E/EA/M/MA columns, null annotations, GEO_ID and NAME after the variables', () => {
    const t = read('acs5-2019-group-b19001-denver.json');
    expect(t.format).toBe('census-api');
    expect(t.year).toBe(2019);
    expect(t.unitKind).toBe('tract');
    expect(units(t)).toEqual([
      {
        geoid: '08031000201',
        line: 2,
        total: 1000,
        totalMoe: 95,
        counts: [80, 40, 40, 40, 40, 40, 40, 40, 40, 80, 120, 140, 80, 60, 60, 60],
        moe: [35, 22, 21, 24, 20, 22, 19, 23, 21, 30, 38, 41, 31, 27, 26, 28],
      },
      { geoid: '08031000202', line: 3, total: 500, totalMoe: 0, counts: [...zeros(12), 100, 100, 100, 200], moe: [...repeat(13, 12), 45, 46, 44, 60] },
    ]);
    expect(t.rejected).toEqual([]);
    // the GEO_ID prefix is taken off and the change is listed, as for any repaired id
    expect(t.repairedIds).toEqual([
      { line: 2, before: '1400000US08031000201', after: '08031000201' },
      { line: 3, before: '1400000US08031000202', after: '08031000202' },
    ]);
  });
});

describe('data.census.gov CSV download', () => {
  it('ACS 2018–22 tracts: the code row, the label row, quoted cells, a trailing comma, a controlled MOE "*****"', () => {
    const t = read('ACSDT5Y2022.B19001-Data.csv');
    expect(t.format).toBe('data-census-gov');
    expect(t.year).toBe(2022);
    expect(t.unitKind).toBe('tract');
    // the label row is a header, not a tract: two data rows on lines 3 and 4
    expect(t.rowsRead).toBe(2);
    expect(units(t)).toEqual([
      {
        geoid: '08031000201',
        line: 3,
        total: 1520,
        totalMoe: 104,
        counts: [60, 35, 30, 45, 50, 40, 55, 60, 45, 120, 170, 230, 180, 140, 150, 110],
        moe: [38, 27, 25, 31, 33, 29, 34, 36, 30, 52, 61, 70, 63, 55, 58, 47],
      },
      {
        geoid: '08031000202',
        line: 4,
        total: 640,
        totalMoe: 0,
        counts: [200, 120, 80, 60, 40, 30, 20, 20, 10, 20, 20, 10, 5, 5, 0, 0],
        moe: [71, 55, 44, 39, 31, 27, 22, 21, 15, 22, 21, 15, 9, 9, 13, 13],
      },
    ]);
    expect(t.rejected).toEqual([]);
  });

  it('ACS 2015–19 block groups with annotation columns (EA, MA) and MOEs written "±86"', () => {
    const t = read('ACSDT5Y2019.B19001-Data.csv');
    expect(t.format).toBe('data-census-gov');
    expect(t.year).toBe(2019);
    expect(t.unitKind).toBe('block group');
    expect(units(t)).toEqual([
      {
        geoid: '080310002011',
        line: 3,
        total: 700,
        totalMoe: 86,
        counts: [30, 20, 20, 20, 25, 25, 30, 30, 30, 60, 80, 110, 80, 60, 50, 30],
        moe: [22, 17, 16, 18, 19, 20, 21, 20, 22, 33, 39, 45, 38, 31, 29, 21],
      },
      { geoid: '080310002012', line: 4, total: 300, totalMoe: 0, counts: [...repeat(10, 9), 20, 30, 50, 40, 30, 20, 20], moe: [...repeat(9, 9), 14, 18, 25, 21, 17, 14, 14] },
    ]);
    expect(t.rejected).toEqual([]);
    expect(t.repairedIds.map((r) => r.before)).toEqual(['1500000US080310002011', '1500000US080310002012']);
  });
});
