/** The app's spreadsheet export: an .xlsx whose GEOIDs are text, made on demand (exceljs loaded lazily). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';

let server: StaticServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({ root: await ensureAppBuilt() });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Export → Spreadsheet (.xlsx)', () => {
  it('downloads every tract with its GEOID as a text cell; exceljs is not fetched before', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectConsoleErrors(page);
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(r.url()));
    await page.goto(`${server.url}/index.html`);
    await page.locator('.legend').first().waitFor({ timeout: 60_000 });
    expect(scripts.some((u) => /exceljs/.test(u))).toBe(false);
    await page.getByTestId('export-menu').locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^riverbend.*-2023\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('tracts 2023')!;
    // The demo's income file, read independently: its GEOIDs in order.
    const ids = readFileSync(join(REPO, 'data', 'demo', 'income-2023.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const cells = Array.from({ length: ids.length }, (_, i) => sheet.getCell(`A${i + 2}`));
    expect(cells.map((c) => c.value)).toEqual(ids);
    expect(cells.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);
    expect(wb.getWorksheet('method')).toBeDefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
