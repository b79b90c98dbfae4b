/** GEOIDs survive spreadsheets (issue 9): the .xlsx export keeps them as text, leading zero and all. */
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { tableXlsx } from '../../src/data/xlsxExport';

const dir = mkdtempSync(join(tmpdir(), 'tractmix-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sheets(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

describe('tableXlsx', () => {
  it('ids are text cells with their leading zero; figures are numbers; the method is on its own sheet', async () => {
    const bytes = await tableXlsx('tracts 2018', ['GEOID', 'households', 'class'], [['08031000201', '1234', 'high'], ['08031000202', '0.5', 'low']], { ami: 70400, scheme: { kind: 'ami6' } });
    const wb = await sheets(bytes);
    const sheet = wb.getWorksheet('tracts 2018')!;
    expect(sheet.getCell('A2').value).toBe('08031000201');
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getColumn(1).numFmt).toBe('@');
    expect(sheet.getCell('B2').value).toBe(1234);
    expect(sheet.getCell('B3').value).toBe(0.5);
    expect(sheet.getCell('C3').value).toBe('low');
    const method = wb.getWorksheet('method')!;
    expect(method.getCell('A2').value).toBe('ami');
    expect(method.getCell('B2').value).toBe(70400);
    expect(method.getCell('B3').value).toBe('{"kind":"ami6"}');
  });
});

describe('tractmix analyze --out FILE.xlsx', () => {
  it('writes every tract of a Colorado file with its 11-digit GEOID as text', async () => {
    const uppers = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
    const rows = ['08031000201', '08031000202', '08031000301'].map((g, i) => [g, String(16 * (i + 7)), ...uppers.map(() => String(i + 7))].join(','));
    const income = join(dir, 'denver_2018.csv');
    writeFileSync(income, [['GEOID', 'hh_18', ...uppers.map((u) => `I_${u}_18`)].join(','), ...rows].join('\n'));
    const out = join(dir, 'denver.xlsx');
    const r = await runCli('analyze', '--income', income, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const sheet = (await sheets(new Uint8Array(readFileSync(out)))).getWorksheet('tracts 2018')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'GEOID', 'year', 'households', 'ami', 'vli', 'li', 'mi', 'hmi', 'hi', 'vhi', 'entropy', 'class', 'median_income']);
    expect([2, 3, 4].map((i) => sheet.getCell(`A${i}`).value)).toEqual(['08031000201', '08031000202', '08031000301']);
    expect(sheet.getCell('C2').value).toBe(112);
  });
});
