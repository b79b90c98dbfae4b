/** Extra per-tract columns picked by name for bundles (src/data/extras.ts). */
import { expect, it } from 'vitest';
import { extraColumns } from '../../src/data/extras';

const enc = new TextEncoder();

it('picks the year’s columns and the fixed 2012 ones by name; missing codes, blanks and text are null', () => {
  const csv = [
    'FIPS,mrent_18,mhval_18,hinc_18,pop_00,mrent_12,total_25_col_bd_18',
    '17031010100.0,874.0,-666666666.0,33000,5,700,12',
    '17031010201.0,,NA,41000,6,-999999999,13',
  ].join('\n');
  const units = [
    { geoid: '17031010201', line: 3 },
    { geoid: '17031010100', line: 2 },
  ];
  const x = extraColumns({ name: 'summ.csv', bytes: enc.encode(csv) }, 2018, units);
  // hinc_18 is carried by the income table itself; pop_00 belongs to another year.
  expect(x.columns).toEqual(['mrent_18', 'mhval_18', 'total_25_col_bd_18', 'mrent_12']);
  expect(x.values.get('17031010100')).toEqual({ mrent_18: 874, mhval_18: null, total_25_col_bd_18: 12, mrent_12: 700 });
  expect(x.values.get('17031010201')).toEqual({ mrent_18: null, mhval_18: null, total_25_col_bd_18: 13, mrent_12: null });
  expect(x.notes).toEqual([]);
});

it('warns that a crosswalked file’s medians are not medians', () => {
  const csv = 'FIPS,trtid_base,hinc_00,mrent_00,hu_00\n17031010100.0,34,20000,500,10\n';
  const x = extraColumns({ name: 'x_00_10.csv', bytes: enc.encode(csv) }, 2000, [{ geoid: '17031010100', line: 2 }]);
  expect(x.columns).toEqual(['mrent_00', 'hu_00']);
  expect(x.notes.join()).toMatch(/x_00_10\.csv: hinc_00, mrent_00 .* not valid medians/);
});
