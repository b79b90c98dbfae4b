/**
 * Every input row is accounted for (issue 9): rows read = usable + rejected, line numbers are
 * physical lines of the file, a broken quote costs one line and never the rows after it, and a
 * missing label row never costs a tract.
 */
import { describe, expect, it } from 'vitest';
import { readIncomeTable, type ColumnMapping } from '../../src/data/income';
import { InputError } from '../../src/data/errors';
import { parseCsv, parseTable } from '../../src/data/text';

const enc = new TextEncoder();
const UPPERS = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
const HEADER = ['GEOID', 'NAME', 'hh_18', ...UPPERS.map((u) => `I_${u}_18`)];
/** Row i: tract 17031 0101ii, 16 households per bracket ×(i+1). */
const row = (i: number, name = `Tract ${i}`) => [`170310101${String(i).padStart(2, '0')}`, name, String(16 * (i + 1)), ...UPPERS.map(() => String(i + 1))];
const csv = (lines: string[], eol = '\n') => enc.encode(lines.join(eol) + eol);
const read = (bytes: Uint8Array, mapping?: ColumnMapping) => readIncomeTable({ name: 'tracts_2018.csv', bytes }, { year: 2018, mapping });
function accounted(t: ReturnType<typeof read>) {
  expect(t.rowsRead).toBe(t.units.length + t.rejected.length);
}

describe('a broken quote costs its own line, not the rows after it', () => {
  it('an unterminated quote on row 5 of 40: 40 read, 39 usable, line 6 rejected', () => {
    const lines = [HEADER.join(','), ...Array.from({ length: 40 }, (_, i) => row(i).join(','))];
    lines[5] = lines[5].replace('Tract 4', '"Tract 4');
    const t = read(csv(lines));
    accounted(t);
    expect(t.rowsRead).toBe(40);
    expect(t.units).toHaveLength(39);
    expect(t.rejected).toEqual([{ row: 6, reason: expect.stringMatching(/opening quote \(".*never closed/) }]);
    expect(t.units.map((u) => u.line)).toEqual([2, 3, 4, 5, ...Array.from({ length: 35 }, (_, i) => i + 7)]);
  });
  it('two stray quotes 20 lines apart (which would pair up) still cost only their own lines', () => {
    const lines = [HEADER.join(','), ...Array.from({ length: 30 }, (_, i) => row(i).join(','))];
    lines[3] = lines[3].replace('Tract 2', '"Tract 2');
    lines[23] = lines[23].replace('Tract 22', 'Tract" 22');
    const t = read(csv(lines));
    accounted(t);
    expect(t.rowsRead).toBe(30);
    expect(t.rejected.map((r) => r.row)).toEqual([4]);
    // Line 24's quote is inside an unquoted cell: a literal character, the row is read.
    expect(t.units.find((u) => u.line === 24)?.geoid).toBe('17031010122');
  });
  it('a quoted cell that spans lines is one row, and later rows keep their physical line numbers', () => {
    const lines = [HEADER.join(','), row(0).join(','), row(1, '"Tract 1\nspans two lines"').join(','), row(2).join(',')];
    const t = read(csv(lines));
    accounted(t);
    expect(t.units.map((u) => [u.geoid, u.line])).toEqual([
      ['17031010100', 2],
      ['17031010101', 3],
      ['17031010102', 5],
    ]);
  });
  it('CRLF, LF and old-Mac CR line endings give the same rows and lines', () => {
    const lines = [HEADER.join(','), row(0).join(','), '', row(1).join(',')];
    for (const eol of ['\n', '\r\n', '\r']) {
      const t = read(csv(lines, eol));
      expect(t.units.map((u) => u.line)).toEqual([2, 4]);
    }
  });
  it('semicolon- and tab-separated files (European spreadsheets) are read', () => {
    for (const sep of [';', '\t']) {
      const t = read(csv([HEADER.join(sep), row(0).join(sep), row(1).join(sep)]));
      expect(t.units.map((u) => u.geoid)).toEqual(['17031010100', '17031010101']);
    }
  });
  it('a row with more cells than the header (an unquoted comma) is rejected, not shifted', () => {
    const t = read(csv([HEADER.join(','), row(0).join(','), row(1, 'Tract 1, Cook County').join(',')]));
    accounted(t);
    expect(t.rejected).toEqual([{ row: 3, reason: `the row has ${HEADER.length + 1} fields; the header has ${HEADER.length} (a separator inside a cell that is not quoted?)` }]);
  });
  it('trailing empty cells a spreadsheet adds are harmless', () => {
    const t = read(csv([HEADER.join(','), row(0).join(',') + ',,']));
    expect(t.rejected).toEqual([]);
  });
  it('an unclosed quote in the header stops with the line', () => {
    expect(() => read(csv(['"GEOID,' + HEADER.slice(1).join(','), row(0).join(',')]))).toThrow(/tracts_2018\.csv, line 1: an opening quote/);
  });
  it('parseCsv: doubled quotes inside quoted cells', () => {
    expect(parseCsv('f', 'a,b\n"say ""hi""",2\n').rows).toEqual([{ line: 2, cells: ['say "hi"', '2'] }]);
  });
});

describe('header and label rows never swallow a data row', () => {
  const mapping = (headerRows: unknown): ColumnMapping => ({ id: 'GEOID', total: 'hh_18', brackets: UPPERS.map((u) => `I_${u}_18`), year: 2018, headerRows: headerRows as number });
  const file = csv([HEADER.join(','), row(0).join(','), row(1).join(',')]);
  for (const bad of [0, -1, 1.5, '2', null, 1e9]) {
    it(`a mapping with "headerRows": ${JSON.stringify(bad)} is refused`, () => {
      expect(() => read(file, mapping(bad))).toThrow(InputError);
      expect(() => read(file, mapping(bad))).toThrow(/"headerRows" is .*; expected a whole number from 1 to 10/);
    });
  }
  it('"headerRows": 2 on a file whose line 2 is data is refused, naming the line and the tract', () => {
    expect(() => read(file, mapping(2))).toThrow(/tracts_2018\.csv, line 2: line 2 is skipped as a header row \(headerRows 2\) but holds the data of 17031010100/);
  });
  it('"headerRows": 2 with a real label row reads every data row', () => {
    const labelled = csv([HEADER.join(','), HEADER.map((h) => `Label ${h}`).join(','), row(0).join(','), row(1).join(',')]);
    const t = read(labelled, mapping(2));
    expect(t.rowsRead).toBe(2);
    expect(t.units.map((u) => u.line)).toEqual([3, 4]);
  });
  it('an AFF export without its second header row keeps its first tract', () => {
    const vd = (p: string) => Array.from({ length: 17 }, (_, i) => `${p}_VD${String(i + 1).padStart(2, '0')}`);
    const header = ['GEO.id', 'GEO.id2', 'GEO.display-label', ...vd('HD01')];
    const data = (g: string) => [`1400000US${g}`, g, 'x', '32', ...Array(16).fill('2')];
    const withLabel = read(csv([header.join(','), header.map((h) => `Label ${h}`).join(','), data('17031010100').join(','), data('17031010200').join(',')]));
    const without = read(csv([header.join(','), data('17031010100').join(','), data('17031010200').join(',')]));
    expect(withLabel.units.map((u) => u.geoid)).toEqual(['17031010100', '17031010200']);
    expect(without.units.map((u) => u.geoid)).toEqual(['17031010100', '17031010200']);
    expect(without.units[0].line).toBe(2);
  });
});

describe('table limits (src/data/limits.ts)', () => {
  it('more rows than the limit stop with a message, not a full memory', async () => {
    const { MAX_TABLE_ROWS } = await import('../../src/data/limits');
    const text = 'GEOID,x\n' + '1,2\n'.repeat(MAX_TABLE_ROWS + 1);
    expect(() => parseCsv('big.csv', text)).toThrow(/^big\.csv: the table has more than 1,000,000 rows; expected at most 1,000,000 rows/);
  });
  it('a Census API cell that is a nested list is named, not stringified', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const t = parseTable('api.json', `[["GEO_ID","B19001_001E"],["1400000US17031010100",${deep}]]`);
    expect(t.rows).toEqual([{ line: 2, cells: ['1400000US17031010100', '(a JSON list)'] }]);
  });
});
