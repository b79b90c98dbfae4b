/**
 * Spreadsheet export: the same table as the CSV, as an .xlsx workbook whose GEOID column is
 * text, so a spreadsheet keeps `08031000201` as it is (opening the CSV turns it into 8031000201).
 * The method's parameters go on a second sheet. exceljs is loaded only when a workbook is made,
 * so it is not part of the app's first load.
 */

/** Columns written as text cells whatever they hold: ids. */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set(['GEOID', 'geoid', 'source', 'target']);

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * An .xlsx workbook of a table (header + rows as the CSV has them): id columns as text (format
 * "@"), other cells as numbers where they are numbers, and a "method" sheet of the parameters.
 */
export async function tableXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  parameters: Record<string, unknown>,
  /** Columns kept as text cells (default: the id columns); exportFiles.ts passes every text column (names, counties). */
  textColumns: ReadonlySet<string> = TEXT_COLUMNS,
): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tractmix';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, '-') || 'tracts');
  sheet.addRow([...header]);
  sheet.getRow(1).font = { bold: true };
  const text = header.map((h) => textColumns.has(h));
  text.forEach((isText, i) => {
    if (isText) sheet.getColumn(i + 1).numFmt = '@';
  });
  for (const row of rows) {
    sheet.addRow(row.map((cell, i) => (text[i] || !NUMBER.test(cell) ? cell : Number(cell))));
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const method = workbook.addWorksheet('method');
  method.addRow(['parameter', 'value']);
  method.getRow(1).font = { bold: true };
  for (const [key, value] of Object.entries(parameters)) {
    method.addRow([key, typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value)]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
