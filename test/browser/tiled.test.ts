/**
 * A tiled bundle in headless Chromium: `tractmix build --tiles always` on Colorado's tract
 * shapefile with Denver's ACS 2014–18 incomes, served with byte ranges like a static host. The map
 * draws from the PMTiles archive, paints each class its colour (figures computed in node), and
 * recolours on an AMI change and a colour-by change through feature state alone — no tile is
 * loaded again — and hover, selection and picks are drawn as feature state too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { analyzeSnapshot, type YearAnalysis } from '../../src/core/analyze';
import { readIncomeTable, toSnapshot } from '../../src/data/income';
import { CLASS_COLORS, ENTROPY_RAMP, hexToRgb, rampColor } from '../../src/map/colors';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { describeRealData, realDataPath } from '../helpers/realData';

const ARTIFACTS = join(REPO, 'test-artifacts');
const BACKGROUND = hexToRgb('#eef0f2');
const FILL_OPACITY = 0.92;

function expectColor(actual: number[], hex: string, tolerance = 6) {
  const c = hexToRgb(hex).map((v, i) => Math.round(v * FILL_OPACITY + BACKGROUND[i] * (1 - FILL_OPACITY)));
  for (let i = 0; i < 3; i++) expect(Math.abs(actual[i] - c[i]), `rgb ${actual.slice(0, 3)} vs ${c} (${hex})`).toBeLessThanOrEqual(tolerance);
}

describeRealData('a tiled bundle (Colorado tracts, Denver ACS 2014–18)', () => {
  let server: StaticServer;
  let browser: Browser;
  let bundle: string;
  let income: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    income = realDataPath('udp-denver/Denvercensus_summ_2018.csv');
    bundle = join(mkdtempSync(join(tmpdir(), 'tractmix-tiled-')), 'denver');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'build', '--boundaries', realDataPath('udp-denver/cb_2018_08_tract_500k.shp'), '--income', `2018=${income}`, '--name', 'Denver (tiled)', '--tiles', 'always', '--out', bundle], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/boundaries-main\.pmtiles/);
    const chicago = join(bundle, '..', 'chicago');
    const c = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'build', '--boundaries', realDataPath('udp-chicago/cb_2018_17_tract_500k.shp'), '--income', `2018=${realDataPath('udp-chicago/Chicagocensus_summ_2018.csv')}`, '--name', 'Chicago (tiled)', '--tiles', 'always', '--out', chicago], { cwd: REPO, encoding: 'utf8' });
    expect(c.status, c.stderr).toBe(0);
    const dist = await ensureAppBuilt();
    server = await startServer({ root: dist, mounts: { '/bundles/denver/': bundle, '/bundles/chicago/': chicago } });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The same figures in node, from the income file itself. */
  function inNode(ami?: number): YearAnalysis {
    const table = readIncomeTable({ name: 'Denvercensus_summ_2018.csv', bytes: new Uint8Array(readFileSync(income)) }, { year: 2018 });
    return analyzeSnapshot(toSnapshot(table), { scheme: { kind: 'ami6' }, ami: ami ? { kind: 'typed', dollars: ami } : { kind: 'auto' } });
  }

  async function open(viewport = { width: 1440, height: 900 }, name = 'denver'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/index.html?data=${encodeURIComponent(`${server.url}/bundles/${name}/`)}`);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 90_000 });
    return { page, errors };
  }

  /** Tracts drawn big enough to read a pixel inside: the same tract 5 px around the point, no outline within 4 px. */
  async function drawnTracts(page: Page, limit = 400) {
    return page.evaluate(async (n) => {
      const t = window.__tractmix!;
      const out: { geoid: string; lng: number; lat: number }[] = [];
      for (const id of t.analysis!.geoids) {
        if (out.length >= n) break;
        const p = await t.pointIn(id);
        if (!p) continue;
        const c = t.map!.map.project(p);
        const around = [[0, 0], [5, 0], [-5, 0], [0, 5], [0, -5]].map(([dx, dy]) => t.map!.map.queryRenderedFeatures([c.x + dx, c.y + dy], { layers: ['tracts-fill'] })[0]?.properties?.GEOID);
        const lines = t.map!.map.queryRenderedFeatures([[c.x - 4, c.y - 4], [c.x + 4, c.y + 4]], { layers: ['tracts-line'] });
        if (around.every((g) => g === id) && lines.length === 0) out.push({ geoid: id, lng: p[0], lat: p[1] });
      }
      return out;
    }, limit);
  }
  const colorAt = (page: Page, p: { lng: number; lat: number }) => page.evaluate(([x, y]) => window.__tractmix!.colorAt(x, y), [p.lng, p.lat] as const);

  /** Tiles loaded from now on (a source reload would load every tile again). */
  async function countTileLoads(page: Page) {
    await page.evaluate(() => {
      const w = window as unknown as { __tileLoads: number };
      w.__tileLoads = 0;
      window.__tractmix!.map!.map.on('sourcedata', (e) => {
        if (e.sourceId === 'tracts' && e.tile) w.__tileLoads++;
      });
    });
    return () => page.evaluate(() => (window as unknown as { __tileLoads: number }).__tileLoads);
  }

  it('draws the tracts from the archive and paints each class its colour', async () => {
    const { page, errors } = await open();
    const node = inNode();
    const rendered = await page.evaluate(() => window.__tractmix!.renderedIds());
    expect(rendered.length).toBeGreaterThan(300);
    const known = new Set(node.geoids);
    expect(rendered.filter((g) => !known.has(g))).toEqual([]);
    const drawn = await drawnTracts(page, 120);
    expect(drawn.length).toBeGreaterThan(50);
    const index = new Map(node.geoids.map((g, i) => [g, i]));
    const seen = new Set<string>();
    for (const d of drawn) {
      const cls = node.classes[index.get(d.geoid)!];
      if (cls === 'insufficient') continue;
      seen.add(cls);
      expectColor(await colorAt(page, d), CLASS_COLORS[cls]);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    // The hatch layer holds only the tracts the build marked: those without households (one year, every tract has income).
    const listed = new Set(readFileSync(join(bundle, 'tracts-main.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.slice(0, l.indexOf(','))));
    const noHouseholds = node.geoids.filter((g, i) => listed.has(g) && !(node.households[i] > 0)).sort();
    expect(noHouseholds.length).toBeGreaterThan(0);
    const meta = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as { boundaries: { tiles: { hatch: string[]; sharedBorders?: boolean } }[] };
    expect([...meta.boundaries[0].tiles.hatch].sort()).toEqual(noHouseholds);
    // Neighbours share their simplified borders (the build says so): the fill is drawn without maplibre's outline pass.
    expect(meta.boundaries[0].tiles.sharedBorders).toBe(true);
    expect(await page.evaluate(() => window.__tractmix!.map!.map.getPaintProperty('tracts-fill', 'fill-antialias'))).toBe(false);
    const hatchLayer = await page.evaluate(() => {
      const map = window.__tractmix!.map!.map;
      return { filter: map.getFilter('ctx-no-households'), ids: [...new Set(map.queryRenderedFeatures({ layers: ['ctx-no-households'] }).map((f) => String(f.properties.GEOID)))] };
    });
    expect(hatchLayer.filter).toEqual(['==', ['get', 'hatch'], 1]);
    // The hatch layer reads the lines' layer (GEOID and hatch), and its state says which tracts to hatch there.
    const hatchState = await page.evaluate((ids) => ids.map((g) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id: g }).hatch), noHouseholds);
    expect(hatchState).toEqual(noHouseholds.map(() => 1));
    expect(await page.evaluate(() => window.__tractmix!.map!.map.getLayer('ctx-no-households')!.sourceLayer)).toBe('tract_lines');
    expect(hatchLayer.ids.filter((g) => !noHouseholds.includes(g))).toEqual([]);
    expect(server.notFound).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-denver.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('recolours on an AMI change and a colour-by change without loading a tile again', async () => {
    const { page, errors } = await open();
    const drawn = await drawnTracts(page, 60);
    const tileLoads = await countTileLoads(page);
    const node = inNode(40_000);
    const index = new Map(node.geoids.map((g, i) => [g, i]));
    await page.evaluate(() => window.__tractmix!.apply({ ami: { kind: 'typed', dollars: 40_000, source: 'test' } }));
    expect(await page.evaluate(() => window.__tractmix!.analysis!.ami.dollars)).toBe(40_000);
    for (const d of drawn.slice(0, 30)) {
      const cls = node.classes[index.get(d.geoid)!];
      if (cls !== 'insufficient') expectColor(await colorAt(page, d), CLASS_COLORS[cls]);
    }
    const idle = await page.evaluate(() => window.__tractmix!.idleCount);
    await page.getByTestId('color-by').selectOption('entropy');
    await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idle);
    for (const d of drawn.slice(0, 30)) {
      const i = index.get(d.geoid)!;
      if (node.classes[i] !== 'insufficient') expectColor(await colorAt(page, d), rampColor(ENTROPY_RAMP, node.entropy[i]));
    }
    // Colours are kept per colour-by for the figures painted (and made for the others at idle): new
    // figures under the same colour-by, then the colour-by before, must show the new figures.
    const node2 = inNode(90_000);
    await page.waitForTimeout(500); // the other colour-bys' colours made at idle for the 40,000 figures
    await page.evaluate(() => window.__tractmix!.apply({ ami: { kind: 'typed', dollars: 90_000, source: 'test' } }));
    // Tracts whose entropy colour moves by more than the tolerance: the check below could catch stale colours.
    const far = (a: string, b: string) => hexToRgb(a).some((v, k) => Math.abs(v - hexToRgb(b)[k]) > 12);
    const moved = drawn.slice(0, 30).filter((d) => {
      const i = index.get(d.geoid)!;
      return node.classes[i] !== 'insufficient' && far(rampColor(ENTROPY_RAMP, node.entropy[i]), rampColor(ENTROPY_RAMP, node2.entropy[i]));
    });
    expect(moved.length).toBeGreaterThan(5);
    for (const d of drawn.slice(0, 30)) {
      const i = index.get(d.geoid)!;
      if (node2.classes[i] !== 'insufficient') expectColor(await colorAt(page, d), rampColor(ENTROPY_RAMP, node2.entropy[i]));
    }
    expect(drawn.slice(0, 30).filter((d) => node2.classes[index.get(d.geoid)!] !== node.classes[index.get(d.geoid)!]).length).toBeGreaterThan(3);
    const idle2 = await page.evaluate(() => window.__tractmix!.idleCount);
    await page.getByTestId('color-by').selectOption('class');
    await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idle2);
    for (const d of drawn.slice(0, 30)) {
      const cls = node2.classes[index.get(d.geoid)!];
      if (cls !== 'insufficient') expectColor(await colorAt(page, d), CLASS_COLORS[cls]);
    }
    expect(await tileLoads()).toBe(0);
    // The colour is the fill's layer's only state; the other layer (lines, hover, selection, flags, hatch) is not touched by a recolour.
    const states = await page.evaluate((g) => {
      const map = window.__tractmix!.map!.map;
      return { fill: map.getFeatureState({ source: 'tracts', sourceLayer: 'tracts', id: g }), lines: map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id: g }) };
    }, drawn[0].geoid);
    expect(Object.keys(states.fill)).toEqual(['c']);
    expect(states.lines.c).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('hover, selection and picks are outlined through feature state, and the tooltip names the tract', async () => {
    const { page, errors } = await open();
    const [a, b] = await drawnTracts(page, 2);
    const tileLoads = await countTileLoads(page);
    const state = (g: string) => page.evaluate((id) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id }), g);
    const at = async (p: { lng: number; lat: number }) => {
      const box = (await page.getByTestId('map').boundingBox())!;
      const q = await page.evaluate(([x, y]) => window.__tractmix!.map!.map.project([x, y]), [p.lng, p.lat] as const);
      return { x: box.x + q.x, y: box.y + q.y };
    };
    const pa = await at(a);
    await page.mouse.move(pa.x, pa.y);
    await expect(page.getByTestId('tooltip').textContent()).resolves.toContain(a.geoid);
    expect(await state(a.geoid)).toMatchObject({ hover: true });
    const pb = await at(b);
    await page.mouse.move(pb.x, pb.y);
    await page.waitForFunction((g) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id: g }).hover === true, b.geoid);
    expect(await state(a.geoid)).toMatchObject({ hover: false });
    await page.mouse.click(pb.x, pb.y);
    await page.getByTestId('side-panel').waitFor();
    expect(await state(b.geoid)).toMatchObject({ selected: true });
    // The side panel narrows the map: find the tract again.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const pa2 = await at(a);
    await page.keyboard.down('Shift');
    await page.mouse.click(pa2.x, pa2.y);
    await page.keyboard.up('Shift');
    await page.waitForFunction((g) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id: g }).picked === true, a.geoid);
    expect(await tileLoads()).toBe(0);
    // Outline state in the lines' layer alone: the fill's layer (its colour) is not updated by a hover or a pick.
    expect(Object.keys(await page.evaluate((g) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tracts', id: g }), a.geoid))).toEqual(['c']);
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-denver-selected.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('a box selects the tracts whose point in the tract list is inside; the exports keep the leading zeros', async () => {
    const { page, errors } = await open();
    // The tract list of the bundle: each tract's representative point, as build wrote it.
    const list = Papa.parse<{ GEOID: string; lon: string; lat: string }>(readFileSync(join(bundle, 'tracts-main.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const withIncome = new Set(inNode().geoids);
    const map = (await page.getByTestId('map').boundingBox())!;
    const at = (fx: number, fy: number) => ({ x: Math.round(map.x + map.width * fx), y: Math.round(map.y + map.height * fy) });
    const lngLat = (q: { x: number; y: number }) => page.evaluate(([x, y]) => window.__tractmix!.map!.map.unproject([x, y]).toArray() as [number, number], [q.x - map.x, q.y - map.y]);
    const [c1, c2] = [at(0.4, 0.35), at(0.6, 0.6)];
    await page.getByTestId('select-box').click();
    await page.locator('[data-testid=draw-hint][data-ready="1"]').waitFor();
    await page.mouse.click(c1.x, c1.y);
    await page.mouse.move(c2.x, c2.y, { steps: 8 });
    await page.mouse.click(c2.x, c2.y);
    await expect.poll(() => page.getByTestId('draw-hint').count(), { timeout: 15_000 }).toBe(0);
    const [[w, n], [e, s]] = [await lngLat(c1), await lngLat(c2)];
    const expected = list.filter((t) => withIncome.has(t.GEOID) && +t.lon >= w && +t.lon <= e && +t.lat >= s && +t.lat <= n).map((t) => t.GEOID).sort();
    expect(expected.length).toBeGreaterThan(10);
    await expect.poll(async () => new URL(page.url()).searchParams.get('sel')?.split(',').sort() ?? [], { timeout: 15_000 }).toEqual(expected);
    // outlined through feature state
    expect(await page.evaluate((g) => window.__tractmix!.map!.map.getFeatureState({ source: 'tracts', sourceLayer: 'tract_lines', id: g }).picked, expected[0])).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-denver-box.png') });

    // Denver's GEOIDs start with 08: the CSV keeps them as written, the XLSX as text cells.
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-scope-selection').check();
    // No polygons in memory: GeoJSON is not offered, and the menu says why and what to use instead.
    expect(await page.getByTestId('export-geojson').isDisabled()).toBe(true);
    expect(await page.getByTestId('export-geojson-why').textContent()).toContain('vector tiles');
    expect(await page.getByTestId('export-geojson-why').textContent()).toContain('--format geojson');
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-denver-export-menu.png') });
    const download = async (testid: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      return new Uint8Array(readFileSync((await d.path())!));
    };
    const zip = unzipSync(await download('export-csv'));
    const csv = strFromU8(zip[Object.keys(zip).find((f) => f.endsWith('.csv'))!]);
    const ids = csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect([...ids].sort()).toEqual(expected);
    expect(ids.every((g) => /^08\d{9}$/.test(g))).toBe(true);
    // The CLI on the same bundle, with the box's tracts as a rule, writes the same CSV: the tract's own
    // name from the tract list, the county's name, every figure (H within 1e-15: V8's and node's Math.log).
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.every((r) => /^Census Tract \d+(\.\d+)?$/.test(r.name) && /County, CO$/.test(r.county))).toBe(true);
    const cliRun = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'export', '--bundle', bundle, '--where', ids.map((g) => `GEOID=${g}`).join(' or ')], { cwd: REPO, encoding: 'utf8' });
    expect(cliRun.status, cliRun.stderr).toBe(0);
    const [appLines, cliLines] = [csv, cliRun.stdout].map((t) => t.trimEnd().split('\n').map((l) => l.split(',')));
    expect(appLines.length).toBe(cliLines.length);
    expect(appLines[0]).toEqual(cliLines[0]);
    appLines.forEach((row, i) => row.forEach((cell, j) => cell !== cliLines[i][j] && expect(Math.abs(Number(cell) - Number(cliLines[i][j])), `${appLines[0][j]} of ${row[0]}: ${cell} vs ${cliLines[i][j]}`).toBeLessThanOrEqual(1e-15)));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download('export-xlsx')) as unknown as ArrayBuffer);
    const cells = (book.worksheets[0].getColumn(1).values as unknown[]).slice(2);
    expect(cells).toEqual(ids);
    expect(JSON.parse(strFromU8(zip['method.json'])).selection).toMatchObject({ scope: 'selection', tracts: expected.length });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('on a phone-sized screen', async () => {
    const { page, errors } = await open({ width: 390, height: 844 });
    expect((await page.evaluate(() => window.__tractmix!.renderedIds())).length).toBeGreaterThan(50);
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-denver-phone.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("Chicago's 1,985 tracts with income in the table: only rows in view in the DOM, sorted, found by GEOID, the last row reached by scrolling", async () => {
    const { page, errors } = await open({ width: 1440, height: 900 }, 'chicago');
    await page.getByRole('button', { name: 'Table' }).click();
    const table = page.getByTestId('tract-table');
    await table.locator('tbody tr[aria-rowindex]').first().waitFor();
    const n = await page.evaluate(() => window.__tractmix!.analysis!.geoids.length);
    expect(n).toBe(1985); // 1,983 drawn, and the two Lake Michigan tracts with no boundary
    expect(await table.locator('table').getAttribute('aria-rowcount')).toBe(String(n + 1));
    const inDom = await table.locator('tbody tr[aria-rowindex]').count();
    expect(inDom).toBeGreaterThan(20);
    expect(inDom).toBeLessThan(200);
    await table.getByRole('button', { name: /^Households/ }).click();
    const hh = async (n: number) => Number((await table.locator('tbody tr[aria-rowindex]').nth(n).locator('td').nth(3).textContent())!.replace(/,/g, ''));
    const households = await page.evaluate(() => [...window.__tractmix!.analysis!.households].sort((a, b) => b - a));
    expect(await hh(0)).toBe(Math.round(households[0]));
    expect(await hh(1)).toBe(Math.round(households[1]));
    // Scrolled to the end, the smallest tract is in the DOM, in its place.
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction((last) => document.querySelector(`tbody tr[aria-rowindex="${last}"]`) !== null, n + 1);
    expect(Number((await table.locator(`tbody tr[aria-rowindex="${n + 1}"] td`).nth(3).textContent())!.replace(/,/g, ''))).toBe(Math.round(households[households.length - 1]));
    await table.evaluate((el) => (el.scrollTop = 0));
    const geoid = await page.evaluate(() => window.__tractmix!.analysis!.geoids[1500]);
    await page.getByTestId('table-filter').fill(geoid);
    await expect(table.locator('tbody tr[aria-rowindex]').count()).resolves.toBe(1);
    await page.getByRole('checkbox', { name: `Pick tract ${geoid} for export` }).check();
    await page.getByTestId('table-filter').fill('');
    await page.getByTestId('table-class-filter').selectOption('not-diverse');
    const notDiverse = await page.evaluate(() => window.__tractmix!.analysis!.classes.filter((c) => c === 'not-diverse').length);
    await expect(table.locator('tbody tr[aria-rowindex]').count()).resolves.toBe(Math.min(notDiverse, 1000));
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-chicago-table.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
