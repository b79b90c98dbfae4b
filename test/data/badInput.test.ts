/**
 * Bad input gets a clear message naming the file, the row, the column, what was expected and
 * what to do (STYLE §6); unusable rows are listed, never dropped silently.
 */
import { describe, expect, it } from 'vitest';
import { readIncomeTable, type ColumnMapping } from '../../src/data/income';
import { InputError } from '../../src/data/errors';

const enc = new TextEncoder();
const UPPERS = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
const HEADER = ['GEOID', 'hh_18', ...UPPERS.map((u) => `I_${u}_18`), 'hinc_18'];
const GOOD = ['17031010100', '160', ...UPPERS.map(() => '10'), '55000'];

function udp(rows: string[][], header = HEADER): Uint8Array {
  return enc.encode([header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
}
function read(name: string, bytes: Uint8Array, options: { year?: number; mapping?: ColumnMapping } = {}) {
  return readIncomeTable({ name, bytes }, options);
}
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}
function withCell(column: string, value: string, row = GOOD): string[] {
  const r = [...row];
  r[HEADER.indexOf(column)] = value;
  return r;
}

describe('whole-file problems stop with a message naming the file and what to do', () => {
  it('an empty file', () => {
    expect(errorOf(() => read('empty.csv', new Uint8Array()))).toMatch(/^empty\.csv: the file is empty; expected a header row.*Check that the download finished/);
  });
  it('a file with only whitespace', () => {
    expect(errorOf(() => read('blank.csv', enc.encode('\n \n')))).toMatch(/blank\.csv: the file is empty/);
  });
  it('a header without rows', () => {
    expect(errorOf(() => read('head.csv', udp([])))).toMatch(/head\.csv: the file has a header but no data rows/);
  });
  it('an Excel workbook instead of a CSV', () => {
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect(errorOf(() => read('tracts.xlsx', xlsx))).toMatch(/tracts\.xlsx: this is a ZIP archive \(an \.xlsx workbook.*save it as "CSV UTF-8"/);
  });
  it('a binary file (a shapefile given as the income table)', () => {
    const shp = new Uint8Array([0, 0, 0x27, 0x0a, 0, 0, 0, 0, 0, 0]);
    expect(errorOf(() => read('tracts.shp', shp))).toMatch(/tracts\.shp: this is a binary file \(it contains NUL bytes\), not a text table/);
  });
  it('columns tractmix does not know', () => {
    expect(errorOf(() => read('other.csv', enc.encode('a,b,c\n1,2,3\n')))).toMatch(
      /other\.csv: the columns are not an income table tractmix knows \(header starts: a, b, c\); expected UDP\/LTDB columns.*--columns MAPPING\.json/,
    );
  });
  it('a multi-year file without --year', () => {
    const header = [...HEADER, ...UPPERS.map((u) => `I_${u}_00`), 'hh_00'];
    const row = [...GOOD, ...UPPERS.map(() => '5'), '80'];
    expect(errorOf(() => read('multi.csv', udp([row], header)))).toMatch(/multi\.csv: the file holds several years \(2000, 2018\).*Pass --year 2000 or --year 2018/);
  });
  it('a year the file does not have', () => {
    expect(errorOf(() => read('one.csv', udp([GOOD]), { year: 2010 }))).toMatch(/one\.csv: there are no income columns for 2010 \(I_…_10\); expected one of the years in the file: 2018/);
  });
  it('a missing total-households column', () => {
    const header = HEADER.filter((h) => h !== 'hh_18');
    const row = GOOD.filter((_, i) => HEADER[i] !== 'hh_18');
    expect(errorOf(() => read('nohh.csv', udp([row], header)))).toMatch(/nohh\.csv, column "hh_18": the total-households columns "hh_18" are missing/);
  });
  it('a missing bracket column in a Census API response', () => {
    const header = ['NAME', ...Array.from({ length: 16 }, (_, i) => `B19001_${String(i + 1).padStart(3, '0')}E`), 'state', 'county', 'tract'];
    const json = JSON.stringify([header, ['x', ...Array(16).fill('1'), '17', '031', '010100']]);
    expect(errorOf(() => read('api.json', enc.encode(json), { year: 2018 }))).toMatch(/api\.json, column "B19001_017E": the B19001 columns "B19001_017E" are missing.*Download the whole table/);
  });
  it('a Census API response without geography columns', () => {
    const header = ['NAME', ...Array.from({ length: 17 }, (_, i) => `B19001_${String(i + 1).padStart(3, '0')}E`)];
    const json = JSON.stringify([header, ['x', ...Array(17).fill('1')]]);
    expect(errorOf(() => read('api.json', enc.encode(json), { year: 2018 }))).toMatch(/api\.json: the geography columns are missing.*for=tract:\*/);
  });
  it('JSON that is not an array of arrays', () => {
    expect(errorOf(() => read('obj.json', enc.encode('[{"a": 1}]')))).toMatch(/obj\.json: the JSON is not an array of arrays/);
  });
  it('JSON that does not parse', () => {
    expect(errorOf(() => read('bad.json', enc.encode('[["a", 1],')))).toMatch(/bad\.json: the JSON does not parse/);
  });
  it('a Census table that does not say its year', () => {
    const header = ['GEO_ID', ...Array.from({ length: 17 }, (_, i) => `B19001_${String(i + 1).padStart(3, '0')}E`)];
    const text = [header.join(','), ['1400000US17031010100', '16', ...Array(16).fill('1')].join(',')].join('\n');
    expect(errorOf(() => read('download.csv', enc.encode(text)))).toMatch(/download\.csv: the file does not say which year.*Pass --year YYYY/);
  });
  it('a duplicate GEOID, naming both lines', () => {
    expect(errorOf(() => read('dup.csv', udp([GOOD, withCell('GEOID', '17031010200'), GOOD])))).toMatch(
      /dup\.csv, line 4, column "GEOID": GEOID 17031010100 appears twice \(lines 2 and 4\); expected one row per tract/,
    );
  });
  it('a mapping that names a column the file lacks', () => {
    const mapping = { id: 'GEOID', total: 'households', brackets: UPPERS.map((u) => `I_${u}_18`), year: 2018 };
    expect(errorOf(() => read('m.csv', udp([GOOD]), { mapping }))).toMatch(/m\.csv, column "households": the mapped total column is not in the header.*names are case-sensitive/);
  });
  it('a mapping with the wrong number of brackets', () => {
    const mapping = { id: 'GEOID', total: 'hh_18', brackets: ['I_10000_18', 'I_15000_18', 'I_20000_18'], year: 2018 };
    expect(errorOf(() => read('m.csv', udp([GOOD]), { mapping }))).toMatch(/m\.csv: the mapping names 3 bracket columns; expected 16 for 16 brackets/);
  });
});

describe('row problems reject the row, with line, column and reason, and keep the rest', () => {
  function rejectedOf(rows: string[][]) {
    const t = read('rows.csv', udp(rows));
    return { units: t.units.length, rejected: t.rejected };
  }
  it('a count that is not a number', () => {
    const r = rejectedOf([GOOD, withCell('I_35000_18', 'abc', withCell('GEOID', '17031010200'))]);
    expect(r.units).toBe(1);
    expect(r.rejected).toEqual([{ row: 3, geoid: '17031010200', column: 'I_35000_18', reason: 'bracket count missing: "abc" is not a number' }]);
  });
  it('a negative count', () => {
    const r = rejectedOf([withCell('I_10000_18', '-4')]);
    expect(r.rejected[0]).toMatchObject({ row: 2, column: 'I_10000_18', reason: 'negative household count -4' });
  });
  it('brackets that do not add up to the total', () => {
    const r = rejectedOf([withCell('hh_18', '170')]);
    expect(r.rejected[0]).toMatchObject({ row: 2, column: 'hh_18', reason: 'the 16 brackets add up to 160 but the total is 170' });
  });
  it('the Census missing-value code in a count', () => {
    const r = rejectedOf([withCell('I_50000_18', '-666666666')]);
    expect(r.rejected[0].reason).toBe('bracket count missing: -666666666 is the Census missing-value code');
  });
  it('the Census missing-value code in a median is missing, not a number', () => {
    const t = read('rows.csv', udp([withCell('hinc_18', '-666666666.0')]));
    expect(t.rejected).toEqual([]);
    expect(t.units[0].publishedMedian).toBeNull();
  });
  it('an empty count cell', () => {
    const r = rejectedOf([withCell('I_75000_18', '')]);
    expect(r.rejected[0]).toMatchObject({ column: 'I_75000_18', reason: 'bracket count missing: the cell is empty' });
  });
  it('an id a spreadsheet rounded', () => {
    const r = rejectedOf([withCell('GEOID', '1.7031E+10')]);
    expect(r.rejected[0].reason).toMatch(/rounded number in scientific notation.*cannot be recovered/);
  });
  it('an id with letters', () => {
    expect(rejectedOf([withCell('GEOID', 'tract 1')]).rejected[0]).toMatchObject({ column: 'GEOID', reason: '"tract 1" is not a census GEOID (digits expected)' });
  });
  it('a row with too few fields', () => {
    expect(rejectedOf([GOOD.slice(0, 5)]).rejected[0].reason).toBe(`the row has 5 fields; the header has ${HEADER.length}`);
  });
  it('repairs ids that lost a leading zero and lists each repair', () => {
    const t = read('rows.csv', udp([withCell('GEOID', '8031000201.0')]));
    expect(t.units[0].geoid).toBe('08031000201');
    expect(t.repairedIds).toEqual([{ line: 2, before: '8031000201.0', after: '08031000201' }]);
  });
});

describe('encodings', () => {
  it('reads Latin-1 (old FactFinder exports) with a warning', () => {
    const text = `GEOID,hh_18,${UPPERS.map((u) => `I_${u}_18`).join(',')},hinc_18,name\n${GOOD.join(',')},Cañon\n`;
    const latin1 = Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
    const t = read('latin1.csv', latin1);
    expect(t.units).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/latin1\.csv is not valid UTF-8; read as Windows-1252/);
  });
  it('reads UTF-16 spreadsheets with a warning', () => {
    const text = udp([GOOD]);
    const s = new TextDecoder().decode(text);
    const bytes = new Uint8Array(2 + s.length * 2);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < s.length; i++) bytes[2 + 2 * i] = s.charCodeAt(i);
    const t = read('utf16.csv', bytes);
    expect(t.units).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/UTF-16/);
  });
  it('ignores a UTF-8 byte-order mark', () => {
    const bytes = udp([GOOD]);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(read('bom.csv', withBom).units[0].geoid).toBe('17031010100');
  });
});
