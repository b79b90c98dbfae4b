/**
 * Selecting and exporting in real headless Chromium on the demo: a rule selects the tracts worked
 * out in node, the summary shows the selection's own H computed here by hand, shift-click adds,
 * invert/clear/all work, the downloads (CSV zip, XLSX, GeoJSON) are parsed and equal the CLI's
 * export for the same rule, and a URL with a selection restores it with the table filtered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { unzipSync, strFromU8 } from 'fflate';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { pointOnFeature } from '@turf/turf';
import { loadBundle } from '../../src/data/bundle';
import { datasetFromBundle } from '../../src/data/dataset';
import { analyzeSnapshot } from '../../src/core/analyze';
import { toSnapshot } from '../../src/data/income';
import { DIVERSITY_CLASS_LABELS } from '../../src/core/entropy';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { writeTinyBundle } from './tinyBundle';

const ARTIFACTS = join(REPO, 'test-artifacts');
const HOSTILE_NAMES = ['=HYPERLINK("http://127.0.0.1/x","click")', '@SUM(1+1)', '+1', '-2'];
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dist = await ensureAppBuilt();
  // Tracts in Autauga County, AL (01001: GEOIDs with a leading zero), some named like spreadsheet formulas.
  const hostile = join(mkdtempSync(join(tmpdir(), 'tractmix-hostile-')), 'bundle');
  writeTinyBundle(hostile, { county: '01001', name: (i) => HOSTILE_NAMES[i] });
  server = await startServer({ root: dist, mounts: { '/bundles/demo/': join(REPO, 'data', 'demo'), '/bundles/hostile/': hostile } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openApp(search = '', viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
  return { page, errors };
}

async function demo2023() {
  const bundle = await loadBundle(async (f) => readFileSync(join(REPO, 'data', 'demo', f), 'utf8'));
  const d = datasetFromBundle(bundle);
  return analyzeSnapshot(toSnapshot(d.years.find((y) => y.year === 2023)!.table), { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } });
}

/** H of pooled counts by the textbook formula, written here without src/. */
function entropyByHand(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return -counts.reduce((acc, c) => (c > 0 ? acc + (c / total) * Math.log(c / total) : acc), 0) / Math.log(counts.length);
}

async function download(page: Page, testid: string) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync((await d.path())!)) };
}

/**
 * The app's CSV against the CLI's: the same header, rows and text cells; numbers equal, or within
 * 1e-15 where H went through Math.log (Chromium's V8 and node's differ in the last bit or two of a
 * logarithm: measured 8 cells of 72 rows in the year view, 12 of 60 in the change view, none above 5.6e-16). Returns the
 * number of cells that differed in the last bits.
 */
function sameCsv(app: string, cliCsv: string): number {
  const [a, b] = [app, cliCsv].map((t) => t.trimEnd().split('\n').map((l) => l.split(',')));
  expect(a.length).toBe(b.length);
  expect(a[0]).toEqual(b[0]);
  let ulps = 0;
  a.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (cell === b[i][j]) return;
      const [x, y] = [Number(cell), Number(b[i][j])];
      expect(Number.isFinite(x) && Number.isFinite(y), `${a[0][j]} of ${row[0]}: ${cell} vs ${b[i][j]}`).toBe(true);
      expect(Math.abs(x - y), `${a[0][j]} of ${row[0]}`).toBeLessThanOrEqual(1e-15);
      ulps++;
    }),
  );
  return ulps;
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', ...args], { encoding: 'utf8', cwd: REPO });
  return r.stdout;
}

const RULE = 'class=high and county=99003';

/** The demo's planted patterns (truth.csv): GEOIDs by label. */
function planted(label: string): string[] {
  return readFileSync(join(REPO, 'data', 'demo', 'truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter(([, p]) => p === label).map(([g]) => g).sort();
}
const selectedIds = (page: Page) => new URL(page.url()).searchParams.get('sel')?.split(',').sort() ?? [];

describe('selecting and exporting', () => {
  it('a rule selects the tracts worked out in node; summary, downloads and the CLI agree', async () => {
    const a = await demo2023();
    const expected = a.geoids.filter((g, u) => a.classes[u] === 'high' && g.startsWith('99003'));
    const { page, errors } = await openApp();
    await page.getByTestId('rule-input').fill(RULE);
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe(`${expected.length} tracts match`);
    await page.getByTestId('rule-select').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe(String(expected.length));
    expect(new URL(page.url()).searchParams.get('sel')!.split(',').sort()).toEqual([...expected].sort());
    expect(new URL(page.url()).searchParams.get('where')).toBe(RULE);

    // The selection as one area: households and H of the pooled groups, worked out here.
    const g = a.groups.length;
    const pooled = a.groups.map((_, i) => expected.reduce((s, id) => s + a.groupCounts[a.geoids.indexOf(id) * g + i], 0));
    const households = expected.reduce((s, id) => s + a.households[a.geoids.indexOf(id)], 0);
    expect(await page.getByTestId('selection-households').textContent()).toBe(Math.round(households).toLocaleString('en-US'));
    expect(await page.getByTestId('selection-entropy').textContent()).toBe(entropyByHand(pooled).toFixed(3));
    expect(await page.getByTestId('selection-classes').textContent()).toBe(`${DIVERSITY_CLASS_LABELS.high}: ${expected.length}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-rule-1440x900.png') });

    // Downloads of the selection: CSV (+ method), XLSX, GeoJSON.
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-selection').check();
    const zip = unzipSync((await download(page, 'export-csv')).bytes);
    const csvName = Object.keys(zip).find((f) => f.endsWith('.csv'))!;
    const csv = strFromU8(zip[csvName]);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.GEOID)).toEqual(expected);
    for (const r of rows) {
      const u = a.geoids.indexOf(r.GEOID);
      expect(Number(r.households)).toBe(a.households[u]);
      expect(Math.abs(Number(r.entropy) - a.entropy[u])).toBeLessThanOrEqual(1e-15); // Math.log: see sameCsv
      expect(r.name).toMatch(/^Tract \d+/);
      expect(r.county).toBe('99003');
    }
    const method = JSON.parse(strFromU8(zip['method.json']));
    expect(method.selection).toEqual({ scope: 'selection', rule: RULE, tracts: expected.length, of: 430 });
    expect(method.years[0]).toMatchObject({ year: 2023, period: '2019–23', incomeYear: 2023 });
    expect(method.years[0].ami.dollars).toBe(a.ami.dollars);
    expect(strFromU8(zip['METHOD.txt'])).toContain(`rule: ${RULE}`);
    // the same rule from the command line gives the same CSV
    console.info(`app vs CLI, year view: ${sameCsv(csv, cli('export', '--bundle', 'data/demo', '--year', '2023', '--where', RULE))} cells differ in the last bits`);
    // Round trip: the downloaded CSV, its column mapping and the command method.json records print what analyze prints on the bundle.
    const columnsFile = csvName.replace(/\.csv$/, '.columns.json');
    expect(Object.keys(zip).sort()).toEqual(['METHOD.txt', columnsFile, csvName, 'method.json'].sort());
    for (const b of ['income_0_9999', 'income_200000_plus', 'income_0_9999_moe', 'published_median']) expect(Object.keys(rows[0])).toContain(b);
    const dir = mkdtempSync(join(tmpdir(), 'tractmix-app-export-'));
    for (const f of [csvName, columnsFile]) writeFileSync(join(dir, f), zip[f]);
    const words: string[] = method.years[0].reanalysis.command.split(' ').slice(5);
    const again = cli(...words.map((w, i) => (words[i - 1] === '--income' || words[i - 1] === '--columns' ? join(dir, w) : w)));
    const original = new Map(cli('analyze', '--bundle', 'data/demo', '--year', '2023').trim().split('\n').map((l) => [l.split(',')[0], l]));
    expect(again.trim().split('\n').slice(1)).toEqual(expected.map((g) => original.get(g)));

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(page, 'export-xlsx')).bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('tracts 2023')!;
    expect((sheet.getColumn(1).values as unknown[]).slice(2)).toEqual(expected);
    expect(sheet.getRow(1).values).toEqual([undefined, ...Object.keys(rows[0])]);
    const geo = JSON.parse(strFromU8((await download(page, 'export-geojson')).bytes));
    expect(geo.features.map((f: { properties: { GEOID: string } }) => f.properties.GEOID)).toEqual(expected);
    expect(Object.keys(geo.features[0].properties)).toEqual(Object.keys(rows[0]));

    // invert, all, clear
    await page.getByTestId('select-invert').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe(String(430 - expected.length));
    await page.getByTestId('select-all').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe('430');
    await page.getByTestId('select-clear').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe('0');
    // a bad rule names the valid fields
    await page.getByTestId('rule-input').fill('colour=red');
    expect(await page.getByTestId('rule-status').textContent()).toMatch(/unknown field "colour". Fields: GEOID\/geoid \(text\), county \(text\)/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an export zip opened again in the app comes back with the AMI it was made with and every figure, exactly', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('rule-input').fill(RULE);
    await page.getByTestId('rule-select').click();
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-selection').check();
    const exported = await download(page, 'export-zip');
    const zip = unzipSync(exported.bytes);
    const csvName = Object.keys(zip).find((f) => f.endsWith('.csv'))!;
    const first = Papa.parse<Record<string, string>>(strFromU8(zip[csvName]), { header: true, skipEmptyLines: true });
    const method = JSON.parse(strFromU8(zip['method.json']));

    await page.getByTestId('file-input').setInputFiles({ name: exported.name, mimeType: 'application/zip', buffer: Buffer.from(exported.bytes) });
    await page.getByTestId('show-map').click();
    await page.waitForFunction((n) => window.__tractmix?.status === 'ready' && window.__tractmix.complete && window.__tractmix.table?.rows.length === n, first.data.length, { timeout: 60_000 });
    // The selection's own pooled median would be another AMI: the recorded one is typed in.
    expect(new URL(page.url()).searchParams.get('ami')).toBe(String(method.years[0].ami.dollars));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-export-reopened-1440x900.png') });
    // The menu stays as it was (open) across opening files.
    if ((await page.getByTestId('export-menu').getAttribute('open')) === null) await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-all').check();
    const z2 = unzipSync((await download(page, 'export-csv')).bytes);
    const again = Papa.parse<Record<string, string>>(strFromU8(z2[Object.keys(z2).find((f) => f.endsWith('.csv'))!]), { header: true, skipEmptyLines: true });
    expect(again.data.map((r) => r.GEOID)).toEqual(first.data.map((r) => r.GEOID));
    // Every figure and input column, cell for cell as text (both computed in Chromium: no last-bit differences).
    const figures = first.meta.fields!.filter((f) => /^(year|ami|households|entropy|class|median_income|median_ami|[a-z]+_households|[a-z]+_share|income_\d+_(\d+|plus)(_moe)?|households_moe|published_median)$/.test(f));
    expect(figures.length).toBe(7 + 12 + 16 + 16 + 2);
    for (const f of figures) expect(again.data.map((r) => r[f]), f).toEqual(first.data.map((r) => r[f]));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the rule form writes the rule and selects the demo's planted small tracts (truth.csv), then narrows to a county and a class", async () => {
    const small = planted('small');
    expect(small).toHaveLength(8); // parks and riverfront industry: 20–85 households
    const { page, errors } = await openApp();
    await page.getByTestId('rule-form').locator('summary').click();
    await page.getByTestId('rule-max-households').fill('99');
    expect(await page.getByTestId('rule-input').inputValue()).toBe('households<=99');
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe(`${small.length} tracts match`);
    await page.getByTestId('rule-select').click();
    await expect.poll(() => selectedIds(page)).toEqual(small);
    expect(new URL(page.url()).searchParams.get('where')).toBe('households<=99');
    // Below the 100-household minimum every one of them is "insufficient".
    await page.getByTestId('rule-class-insufficient').check();
    await page.getByTestId('rule-county').selectOption('99003');
    expect(await page.getByTestId('rule-input').inputValue()).toBe('class=insufficient and households<=99 and county=99003');
    const in99003 = small.filter((g) => g.startsWith('99003'));
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe(`${in99003.length} tracts match`);
    await page.getByTestId('rule-select').click();
    await expect.poll(() => selectedIds(page)).toEqual(in99003);
    await page.getByTestId('rule-min-entropy').fill('0.5');
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe('0 tracts match'); // no H without households enough
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-form-1440x900.png') });
    // The other way: a typed rule fills the form when the form can say it, and says so when it cannot.
    await page.getByTestId('rule-input').fill('(class=high or class=moderate) and households>=500 and county=99003');
    expect(await page.getByTestId('rule-class-high').isChecked()).toBe(true);
    expect(await page.getByTestId('rule-class-moderate').isChecked()).toBe(true);
    expect(await page.getByTestId('rule-class-insufficient').isChecked()).toBe(false);
    expect(await page.getByTestId('rule-min-households').inputValue()).toBe('500');
    expect(await page.getByTestId('rule-max-households').inputValue()).toBe('');
    expect(await page.getByTestId('rule-min-entropy').inputValue()).toBe('');
    expect(await page.getByTestId('rule-county').inputValue()).toBe('99003');
    expect(await page.getByTestId('rule-form-not-shown').count()).toBe(0);
    await page.getByTestId('rule-input').fill('class=high or entropy>=0.8');
    expect(await page.getByTestId('rule-form-not-shown').textContent()).toContain('Rule not shown in the form');
    await page.screenshot({ path: join(ARTIFACTS, 'selection-form-not-shown-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a plain click selects one tract and opens it; shift-click adds; a click that replaces a selection can be undone', async () => {
    const a = await demo2023();
    const [first, second, third] = [a.geoids[60], a.geoids[200], a.geoids[300]];
    const { page, errors } = await openApp();
    const clickTract = async (id: string, shift = false) => {
      // An opened tract is panned clear of the legend: click once the map stands still.
      await page.waitForFunction(() => !window.__tractmix!.map!.map.isMoving());
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      const box = (await page.getByTestId('map').boundingBox())!;
      const p = await page.evaluate(async (g) => {
        const t = window.__tractmix!;
        const q = t.map!.map.project((await t.pointIn(g))!);
        return { x: q.x, y: q.y };
      }, id);
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.click(box.x + p.x, box.y + p.y);
      if (shift) await page.keyboard.up('Shift');
    };
    await clickTract(first);
    await page.getByTestId('side-panel').waitFor();
    // The URL is written after the frame and the panels follow the map: wait for each, then compare.
    await expect.poll(() => new URL(page.url()).searchParams.get('tract')).toBe(first);
    await expect.poll(() => selectedIds(page)).toEqual([first]);
    await expect.poll(() => page.getByTestId('selection-chip').textContent()).toMatch(/^1 selected/);
    await clickTract(second, true);
    await expect.poll(() => selectedIds(page)).toEqual([first, second].sort());
    expect(new URL(page.url()).searchParams.get('tract')).toBe(first); // shift-click opens nothing
    await clickTract(third);
    await expect.poll(() => selectedIds(page)).toEqual([third]);
    await page.getByTestId('selection-undo').click();
    await expect.poll(() => selectedIds(page)).toEqual([first, second].sort());
    await clickTract(first, true);
    await expect.poll(() => selectedIds(page)).toEqual([second]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a URL with a selection restores it, the table shows the selection only, shift-click adds', async () => {
    const a = await demo2023();
    const ids = a.geoids.slice(40, 43);
    const { page, errors } = await openApp(`?sel=${ids.join(',')}&selonly=1`);
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3');
    await page.getByRole('button', { name: 'Table' }).click();
    const shown = () => page.getByTestId('tract-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1]?.textContent).sort());
    await expect.poll(shown).toEqual([...ids].sort());
    await page.getByRole('button', { name: 'Map' }).click();
    const extra = a.geoids[100];
    // Click once the map stands still (as clickTract does above).
    await page.waitForFunction(() => !window.__tractmix!.map!.map.isMoving());
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const p = await page.evaluate(async (id) => {
      const t = window.__tractmix!;
      const q = t.map!.map.project((await t.pointIn(id))!);
      return { x: q.x, y: q.y };
    }, extra);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + p.x, box.y + p.y);
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('4');
    await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe([...ids, extra].join(','));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('change view: stable_mixed=1 selects the flagged tracts; the export carries both years, flags and criteria', async () => {
    const { page, errors } = await openApp('?mode=change&from=2000&to=2018');
    // The demo plants 60 stable mixed-income tracts (truth.csv); the flag finds exactly them.
    const flagged = planted('stable_mixed');
    await page.getByTestId('rule-form').locator('summary').click();
    await page.getByTestId('rule-flag-stable_mixed').selectOption('yes');
    expect(await page.getByTestId('rule-input').inputValue()).toBe('stable_mixed=1');
    await page.getByTestId('rule-select').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe(String(flagged.length));
    await expect.poll(() => selectedIds(page)).toEqual(flagged);
    expect(await page.getByTestId('selection-summary').locator('h3').allTextContents()).toEqual(['2000 as one area', '2014–18 as one area']);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-change-1440x900.png') });
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-selection').check();
    const zip = unzipSync((await download(page, 'export-zip')).bytes);
    const name = Object.keys(zip).find((f) => f.endsWith('.csv'))!;
    expect(Object.keys(zip).sort()).toEqual(['METHOD.txt', name, name.replace('.csv', '.geojson'), name.replace('.csv', '.xlsx'), name.replace('.csv', '.columns-2000.json'), name.replace('.csv', '.columns-2018.json'), 'method.json'].sort());
    const csv = strFromU8(zip[name]);
    const header = csv.split('\n')[0].split(',');
    for (const c of ['households_2000', 'class_2018', 'median_ami_2018', 'vli_share_2000', 'stable_mixed', 'income_upgrading', 'transitional', 'sm_class_all_years', 'iu_real_growth', 'not_called', 'income_0_9999_2000', 'income_200000_plus_2000', 'income_0_9999_2018', 'households_moe_2018']) expect(header).toContain(c);
    const method = JSON.parse(strFromU8(zip['method.json']));
    expect(method).toMatchObject({ tool: 'tractmix', view: 'change', selection: { scope: 'selection', rule: 'stable_mixed=1', tracts: flagged.length, of: 430 } });
    expect(method.years.map((y: { year: number; period: string }) => [y.year, y.period])).toEqual([[2000, '2000'], [2018, '2014–18']]);
    expect(Object.keys(method.change.flags)).toEqual(['stable_mixed', 'income_upgrading', 'transitional']);
    expect(method.change.thresholds.minRealGrowth).toBe(0.1);
    expect(Number.isNaN(Date.parse(method.exportedAt))).toBe(false);
    console.info(`app vs CLI, change view: ${sameCsv(csv, cli('export', '--bundle', 'data/demo', '--from', '2000', '--to', '2018', '--where', 'stable_mixed=1'))} cells differ in the last bits`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('box and polygon select the tracts whose representative point is inside, worked out in node', async () => {
    const bundle = await loadBundle(async (f) => readFileSync(join(REPO, 'data', 'demo', f), 'utf8'));
    const features = datasetFromBundle(bundle).boundaries.get('2010')!.features;
    const points = features.map((f) => ({ id: f.properties.GEOID, p: pointOnFeature(f).geometry.coordinates as [number, number] }));
    const { page, errors } = await openApp();
    const map = (await page.getByTestId('map').boundingBox())!;
    const at = (fx: number, fy: number) => ({ x: Math.round(map.x + map.width * fx), y: Math.round(map.y + map.height * fy) });
    const lngLat = (q: { x: number; y: number }) => page.evaluate(([x, y]) => window.__tractmix!.map!.map.unproject([x, y]).toArray() as [number, number], [q.x - map.x, q.y - map.y]);
    const selected = async () => new URL(page.url()).searchParams.get('sel')?.split(',').sort() ?? [];

    // Box: two clicks at opposite corners. North-up Web Mercator: the box is a longitude/latitude rectangle.
    const [c1, c2] = [at(0.3, 0.3), at(0.55, 0.6)];
    await page.getByTestId('select-box').click();
    await page.locator('[data-testid=draw-hint][data-ready="1"]').waitFor();
    await page.mouse.click(c1.x, c1.y);
    await page.mouse.move(c2.x, c2.y, { steps: 8 });
    await page.mouse.click(c2.x, c2.y);
    await expect.poll(() => page.getByTestId('draw-hint').count(), { timeout: 15_000 }).toBe(0);
    const [[w, n], [e, s]] = [await lngLat(c1), await lngLat(c2)];
    const inBox = points.filter(({ p }) => p[0] >= w && p[0] <= e && p[1] >= s && p[1] <= n).map((x) => x.id).sort();
    expect(inBox.length).toBeGreaterThan(20);
    await expect.poll(selected, { timeout: 15_000 }).toEqual(inBox);
    expect(await page.getByTestId('selection-count').textContent()).toBe(String(inBox.length));
    expect(await page.getByTestId('side-panel').count()).toBe(0); // the drawing clicks did not open a tract
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-box-1440x900.png') });

    // Polygon: a triangle, closed by clicking its first corner again.
    const corners = [at(0.5, 0.2), at(0.75, 0.7), at(0.3, 0.75)];
    await page.getByTestId('select-polygon').click();
    await page.locator('[data-testid=draw-hint][data-ready="1"]').waitFor();
    for (const c of corners) {
      await page.mouse.move(c.x, c.y, { steps: 6 });
      await page.mouse.click(c.x, c.y);
    }
    await page.mouse.move(corners[0].x, corners[0].y, { steps: 6 });
    await page.mouse.click(corners[0].x, corners[0].y);
    await expect.poll(() => page.getByTestId('draw-hint').count(), { timeout: 15_000 }).toBe(0);
    const tri = await Promise.all(corners.map(lngLat));
    // Inside a triangle: the point is on the same side of all three edges (sign of the cross products).
    const side = (a: number[], b: number[], p: number[]) => Math.sign((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
    const inTriangle = points
      .filter(({ p }) => {
        const signs = [side(tri[0], tri[1], p), side(tri[1], tri[2], p), side(tri[2], tri[0], p)];
        return signs.every((x) => x >= 0) || signs.every((x) => x <= 0);
      })
      .map((x) => x.id)
      .sort();
    expect(inTriangle.length).toBeGreaterThan(20);
    await expect.poll(selected, { timeout: 15_000 }).toEqual(inTriangle);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-polygon-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports of tracts with a leading zero and formula-like names: ids kept, formulas neutralised in CSV and XLSX', async () => {
    const { page, errors } = await openApp(`?data=${encodeURIComponent(`${server.url}/bundles/hostile/`)}`);
    await page.getByTestId('select-all').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe('12');
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-selection').check();
    const zip = unzipSync((await download(page, 'export-csv')).bytes);
    const csv = strFromU8(zip[Object.keys(zip).find((f) => f.endsWith('.csv'))!]);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.GEOID)).toEqual(Array.from({ length: 12 }, (_, i) => `01001${String(100 + i).padStart(4, '0')}00`));
    expect(rows.slice(0, 4).map((r) => r.name)).toEqual(HOSTILE_NAMES.map((n) => `'${n}`));
    expect(rows[4].name).toBe('Census Tract 104');
    expect(new Set(rows.map((r) => r.county))).toEqual(new Set(['Autauga County, AL']));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(page, 'export-xlsx')).bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const [idCol, nameCol] = [header.indexOf('GEOID') + 1, header.indexOf('name') + 1];
    for (let r = 2; r <= 13; r++) {
      expect(sheet.getRow(r).getCell(idCol).value).toBe(rows[r - 2].GEOID); // a text cell: '01001…' with its zero
      expect(sheet.getRow(r).getCell(nameCol).type).toBe(ExcelJS.ValueType.String); // never a formula
      expect(sheet.getRow(r).getCell(nameCol).value).toBe(rows[r - 2].name);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('phone layout with a selection', async () => {
    const { page, errors } = await openApp('?sel=99001006700,99001009100', { width: 390, height: 844 });
    expect(await page.getByTestId('selection-count').textContent()).toBe('2');
    // The count shows on the closed sheet's handle (the map's tool row has no room for it on a phone).
    expect(await page.getByTestId('sheet-selection').textContent()).toBe(' · 2 selected');
    expect(await page.getByTestId('sheet-selection').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-390x844.png') });
    // In the bottom sheet: the form, the buttons and the summary, nothing wider than the screen.
    await page.getByTestId('sheet-handle').click();
    await page.getByTestId('rule-form').locator('summary').click();
    await page.getByTestId('rule-class-high').check();
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe('85 tracts match');
    await page.getByTestId('selection-panel').scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const panel = (await page.getByTestId('selection-panel').boundingBox())!;
    expect(panel.x).toBeGreaterThanOrEqual(0);
    expect(panel.x + panel.width).toBeLessThanOrEqual(390);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'selection-sheet-390x844.png') });
    await page.getByTestId('selection-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'selection-sheet-summary-390x844.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
