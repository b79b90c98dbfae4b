/**
 * Geographic context, search and a map that explains itself, in headless Chromium on the demo:
 * the default basemap unreachable (offline) → every tract drawn and one note; a local basemap style
 * on 127.0.0.1 → its labels, roads and water above the tract fill; search by GEOID, name, county
 * and an address answered by a local geocoder double; the legend follows Colour by; flag toggles and
 * the flagged list match the CLI; the phone layout; progress during a slowed load; the PNG export.
 * Screenshots go to test-artifacts/ (context-*.png) to be looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { countColor, pngRegion } from './png';
import { CLASS_COLORS, hexToRgb } from '../../src/map/colors';

const ARTIFACTS = join(REPO, 'test-artifacts');
let server: StaticServer;
let browser: Browser;
let geocoder: Server;
let geocoderUrl: string;
const geocoderQueries: string[] = [];
/** Where the geocoder double says the address is (set per test). */
let addressAt: [number, number] = [0, 0];
let styleDir: string;
let cli: Record<string, string>[];

/** A basemap style served locally: a land polygon, a water polygon, a road and a place label (no glyph server: text is drawn locally). */
function writeLocalStyle(dir: string): void {
  const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
  const data = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { kind: 'land' }, geometry: box(-180, -80, 180, 80) },
      { type: 'Feature', properties: { kind: 'water' }, geometry: box(-180, -80, 180, 80) },
      { type: 'Feature', properties: { kind: 'road' }, geometry: { type: 'LineString', coordinates: [[-180, 0], [180, 0]] } },
      { type: 'Feature', properties: { kind: 'place', name: 'Placeville' }, geometry: { type: 'Point', coordinates: [0, 0] } },
    ],
  };
  writeFileSync(join(dir, 'context.geojson'), JSON.stringify(data));
  writeFileSync(
    join(dir, 'style.json'),
    JSON.stringify({
      version: 8,
      sources: { osm: { type: 'geojson', data: 'context.geojson', attribution: '© local test data' } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f0ede5' } },
        { id: 'landcover', type: 'fill', source: 'osm', filter: ['==', ['get', 'kind'], 'land'], paint: { 'fill-color': '#e5e0d5' } },
        { id: 'water', type: 'fill', source: 'osm', filter: ['==', ['get', 'kind'], 'water'], paint: { 'fill-color': '#aac8e0', 'fill-opacity': 0 } },
        { id: 'road_primary', type: 'line', source: 'osm', filter: ['==', ['get', 'kind'], 'road'], paint: { 'line-color': '#ffffff' } },
        { id: 'place_label', type: 'symbol', source: 'osm', filter: ['==', ['get', 'kind'], 'place'], layout: { 'text-field': ['get', 'name'], 'text-font': ['Open Sans Regular'] } },
      ],
    }),
  );
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  styleDir = mkdtempSync(join(tmpdir(), 'tractmix-style-'));
  writeLocalStyle(styleDir);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023'], { cwd: REPO, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  cli = Papa.parse<Record<string, string>>(r.stdout, { header: true, skipEmptyLines: true }).data;
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/styles/': styleDir, '/bundles/demo/': join(REPO, 'data', 'demo') } });
  // A Nominatim double: the real jsonv2 format (lat/lon as strings, boundingbox south,north,west,east), with CORS.
  geocoder = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    geocoderQueries.push(q.get('q') ?? '');
    const [lng, lat] = addressAt;
    const body = [{ place_id: 1, lat: String(lat), lon: String(lng), display_name: '12 Test Street, Riverbend, United States', boundingbox: [String(lat - 0.001), String(lat + 0.001), String(lng - 0.001), String(lng + 0.001)], class: 'place', type: 'house' }];
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));
  });
  await new Promise<void>((done) => geocoder.listen(0, '127.0.0.1', () => done()));
  geocoderUrl = `http://127.0.0.1:${(geocoder.address() as AddressInfo).port}/search`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((done) => geocoder?.close(done));
  if (styleDir) rmSync(styleDir, { recursive: true, force: true });
});

async function open(search: string, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
  return { page, errors };
}

const demoTracts = () => (JSON.parse(readFileSync(join(REPO, 'data/demo/boundaries-2010.topojson'), 'utf8')) as { objects: { tracts: { geometries: { properties: { GEOID: string } }[] } } }).objects.tracts.geometries.map((g) => g.properties.GEOID);

describe('geographic context and search (demo)', () => {
  it('offline: the default basemap is unreachable, every tract is drawn with county lines and names, one quiet note; search finds a GEOID, a name, a county and an address', async () => {
    const { page, errors } = await open('');
    const ids = await page.evaluate(() => window.__tractmix!.renderedIds());
    const latest = await page.evaluate(() => window.__tractmix!.analysis!.geoids.length);
    expect(new Set(ids).size).toBe(latest);
    await page.getByTestId('basemap-note').waitFor();
    await expect(page.getByTestId('basemap-note').textContent()).resolves.toMatch(/Basemap not shown: its server could not be reached/);
    expect(await page.getByTestId('basemap-note').count()).toBe(1);
    // County outline and label layers are on the map, with data derived from the tracts (found while they load).
    await page.waitForFunction(() => window.__tractmix!.map!.map.querySourceFeatures('ctx').some((f) => f.properties.kind === 'county-name'), null, { timeout: 15_000 });
    const ctx = await page.evaluate(() => {
      const m = window.__tractmix!.map!.map;
      const layers = m.getStyle().layers.map((l) => l.id);
      return { layers, counties: m.querySourceFeatures('ctx').filter((f) => f.properties.kind === 'county-name').map((f) => f.properties.county) };
    });
    expect(ctx.layers).toEqual(expect.arrayContaining(['ctx-county-line', 'ctx-county-label', 'ctx-tract-label', 'ctx-water-tracts', 'ctx-no-households']));
    expect(new Set(ctx.counties)).toEqual(new Set(['99001', '99003']));
    await page.screenshot({ path: join(ARTIFACTS, 'context-offline.png') });

    // Search by GEOID with its leading zero intact: the panel opens, tract= is in the URL, the map flies there.
    const target = demoTracts()[40];
    const search = page.getByRole('searchbox');
    await search.fill(target);
    await search.press('Enter');
    await page.getByTestId('side-panel').waitFor();
    await expect(page.getByTestId('side-panel').getAttribute('aria-label')).resolves.toBe(`Tract ${target}`);
    await page.waitForFunction((g) => new URLSearchParams(location.search).get('tract') === g, target);
    await page.waitForTimeout(900); // the fly animation (600 ms)
    const seen = await page.evaluate(async (g) => {
      const m = window.__tractmix!.map!.map;
      const p = (await window.__tractmix!.pointIn(g))!;
      return { inView: m.getBounds().contains(p), zoom: m.getZoom() };
    }, target);
    expect(seen.inView).toBe(true);
    expect(seen.zoom).toBeGreaterThan(12);

    // By name: the demo's tracts are named "Tract N.00".
    const named = demoTracts().find((g) => g.startsWith('99003'))!;
    const number = String(Number(named.slice(5, 9)));
    await search.fill(`Tract ${number}.00`);
    await page.getByTestId('search-results').waitFor();
    const found = await page.getByTestId('search-results').locator('li[data-kind=tract]').evaluateAll((els) => els.map((e) => e.getAttribute('data-geoid')));
    expect(found).toContain(named);
    expect(found.every((g) => g!.slice(5, 9) === named.slice(5, 9))).toBe(true);
    for (let i = 0; i < found.indexOf(named); i++) await search.press('ArrowDown');
    await search.press('Enter');
    await page.waitForFunction((g) => new URLSearchParams(location.search).get('tract') === g, named);

    // By county code: the map fits the county (its centre inside the county's box).
    await search.fill('99001');
    await page.getByTestId('search-results').waitFor();
    await search.press('Enter');
    await page.waitForTimeout(900);
    const county = await page.evaluate(async () => {
      const t = window.__tractmix!;
      const m = t.map!.map;
      const b = m.getBounds();
      const coords = (await Promise.all(t.analysis!.geoids.filter((g) => g.startsWith('99001')).map((g) => t.pointIn(g)))).filter((c): c is [number, number] => c !== null);
      return { n: coords.length, outside: coords.filter((c) => !b.contains(c)).length, zoom: m.getZoom() };
    });
    expect(county.n).toBeGreaterThan(50);
    expect(county.outside).toBe(0);
    expect(county.zoom).toBeLessThan(seen.zoom);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an address answered by a local geocoder double opens the tract that contains it', async () => {
    const { page, errors } = await open(`?geocoder=${encodeURIComponent(geocoderUrl)}`);
    const target = demoTracts()[120];
    addressAt = (await page.evaluate((g) => window.__tractmix!.pointIn(g), target))!;
    const search = page.getByRole('searchbox');
    await search.fill('12 Test Street, Riverbend');
    await search.press('Enter'); // the only option: search online
    await page.waitForFunction((g) => new URLSearchParams(location.search).get('tract') === g, target, { timeout: 10_000 });
    expect(geocoderQueries).toEqual(['12 Test Street, Riverbend']);
    await page.getByTestId('side-panel').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a local basemap style: land under the tract fill; water, roads and labels over it', async () => {
    const { page, errors } = await open(`?basemap=${encodeURIComponent(`${server.url}/styles/style.json`)}`);
    await page.waitForFunction(() => window.__tractmix!.map!.map.getStyle().layers.some((l) => l.id === 'bm-place_label'), null, { timeout: 15_000 });
    const order = await page.evaluate(() => window.__tractmix!.map!.map.getStyle().layers.map((l) => l.id));
    const at = (id: string) => order.indexOf(id);
    expect(at('bm-landcover')).toBeGreaterThanOrEqual(0);
    expect(at('bm-landcover')).toBeLessThan(at('tracts-fill'));
    expect(at('bm-water')).toBeGreaterThan(at('tracts-fill'));
    expect(at('bm-road_primary')).toBeGreaterThan(at('tracts-fill'));
    expect(at('bm-place_label')).toBeGreaterThan(at('tracts-fill'));
    expect(at('bm-place_label')).toBeGreaterThan(at('tracts-state-outline'));
    expect(at('bm-background')).toBe(-1);
    expect(await page.getByTestId('basemap-note').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'context-local-basemap.png') });
    // Switching to none removes every basemap layer; the tracts stay.
    await page.getByTestId('basemap').selectOption('none');
    await page.waitForFunction(() => !window.__tractmix!.map!.map.getStyle().layers.some((l) => l.id.startsWith('bm-')));
    await page.waitForFunction(() => new URLSearchParams(location.search).get('basemap') === 'none');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the legend follows Colour by; the explanation works its example from the hovered tract; the PNG has the legend', async () => {
    const { page, errors } = await open('?basemap=none');
    const legend = page.getByRole('region', { name: 'Legend' });
    await expect(legend.getAttribute('data-color-by')).resolves.toBe('class');
    await expect(legend.locator('h2').textContent()).resolves.toMatch(/Income diversity class, 2019–23/);
    const units: Record<string, RegExp> = { entropy: /^H from 0/, 'median-ami': /share of the AMI/, share0: /Share of the tract's households in this group/ };
    for (const [value, unit] of Object.entries(units)) {
      await page.getByTestId('color-by').selectOption(value);
      // The legend follows once the map has drawn the new colours (useAfterMapFrame), as the other panels do.
      await expect.poll(() => page.getByTestId('legend-unit').textContent(), { timeout: 30_000 }).toMatch(unit);
      // The class list is folded away (the map is not coloured by class); only its summary line shows.
      expect(await page.locator('[data-testid=class-counts] li[data-class="high"]').isVisible(), value).toBe(false);
    }
    await page.getByTestId('color-by').selectOption('median-ami');
    await expect.poll(() => legend.getAttribute('data-color-by'), { timeout: 30_000 }).toBe('median-ami');
    await page.screenshot({ path: join(ARTIFACTS, 'context-legend-median.png') });
    await page.getByTestId('color-by').selectOption('class');

    // "What am I looking at?": the worked example's H is the core's H of the tract under the pointer.
    await page.getByTestId('explain').click();
    const target = await page.evaluate(() => {
      const a = window.__tractmix!.analysis!;
      const i = a.classes.findIndex((c) => c === 'high');
      return { geoid: a.geoids[i], h: a.entropy[i] };
    });
    const p = (await page.evaluate((g) => window.__tractmix!.pointIn(g), target.geoid))!;
    const xy = await page.evaluate(([lng, lat]) => window.__tractmix!.map!.map.project([lng, lat]), p);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.move(box.x + xy.x, box.y + xy.y);
    await expect(page.getByTestId('worked-h').textContent()).resolves.toContain(`H ${target.h.toFixed(3)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'context-explainer.png') });
    await page.getByTestId('explain').click();

    // Save image: a PNG taller than the map (title and sources), whose legend box shows the class colours.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-image').click()]);
    const file = join(ARTIFACTS, 'context-export.png');
    await download.saveAs(file);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const mapBox = (await page.getByTestId('map').boundingBox())!;
    const size = { w: png.readUInt32BE(16), h: png.readUInt32BE(20) };
    expect(size.w).toBe(Math.round(mapBox.width));
    expect(size.h).toBeGreaterThan(Math.round(mapBox.height) + 60);
    // The legend box: bottom right of the map area.
    const legendPixels = countColor(pngRegion(png, size.w - 260, 0, 260, size.h), hexToRgb(CLASS_COLORS['not-diverse']), 5);
    expect(legendPixels).toBeGreaterThanOrEqual(100); // a 12×12 swatch, at least
    expect(errors).toEqual([]);
    await page.close();
  });

  it('flags can be switched off one by one, and the flagged list matches the CLI', async () => {
    const { page, errors } = await open('?basemap=none&mode=change&from=2000&to=2023');
    await page.waitForFunction(() => window.__tractmix!.change !== null);
    expect(await page.evaluate(() => window.__tractmix!.changeRanIn())).toBe('worker');
    for (const flag of ['income_upgrading', 'stable_mixed', 'transitional']) {
      await page.getByTestId('flag-list-flag').selectOption(flag);
      const listed = await page.locator('[data-testid=flag-list] li[data-geoid]').evaluateAll((els) => els.map((e) => e.getAttribute('data-geoid')).sort());
      expect(listed, flag).toEqual(cli.filter((r) => r[flag] === '1').map((r) => r.GEOID).sort());
    }
    await page.getByTestId('flag-toggle-stable_mixed').uncheck();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('hide') === 'stable_mixed');
    const visibility = () =>
      page.evaluate(() => {
        const m = window.__tractmix!.map!.map;
        return Object.fromEntries(['flag-stable_mixed', 'flag-dot-stable_mixed', 'flag-income_upgrading', 'flag-dot-income_upgrading'].map((id) => [id, m.getLayoutProperty(id, 'visibility')]));
      });
    expect(await visibility()).toEqual({ 'flag-stable_mixed': 'none', 'flag-dot-stable_mixed': 'none', 'flag-income_upgrading': 'visible', 'flag-dot-income_upgrading': 'visible' });
    // Clicking a listed tract opens it.
    await page.getByTestId('flag-list-flag').selectOption('income_upgrading');
    const firstRow = page.locator('[data-testid=flag-list] li[data-geoid]').first();
    const geoid = (await firstRow.getAttribute('data-geoid'))!;
    await firstRow.locator('button').click();
    await page.waitForFunction((g) => new URLSearchParams(location.search).get('tract') === g, geoid);
    // Zoomed out, flags are dots (readable at region scale).
    await page.evaluate(() => window.__tractmix!.map!.map.jumpTo({ zoom: 9.2 }));
    await page.waitForFunction(() => window.__tractmix!.map!.map.queryRenderedFeatures({ layers: ['flag-dot-income_upgrading'] }).length > 0, null, { timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'context-flags-low-zoom.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('phone (390×844): the map takes most of the screen, nothing scrolls sideways, a tap opens the tract panel, the controls open as a sheet', async () => {
    const { page, errors } = await open('?basemap=none', { width: 390, height: 844 });
    const m = await page.evaluate(() => {
      const r = document.querySelector('[data-testid=map]')!.getBoundingClientRect();
      const sheet = document.querySelector('.sidebar')!.getBoundingClientRect();
      // The part of the map not under the (collapsed) bottom sheet.
      const visible = r.width * (Math.min(r.bottom, sheet.top) - r.top);
      return { share: visible / (innerWidth * innerHeight), scrollWidth: document.scrollingElement!.scrollWidth, width: innerWidth };
    });
    expect(m.share).toBeGreaterThanOrEqual(0.6);
    expect(m.scrollWidth).toBeLessThanOrEqual(m.width);
    await page.screenshot({ path: join(ARTIFACTS, 'context-phone.png') });
    const target = await page.evaluate(() => {
      const a = window.__tractmix!.analysis!;
      return a.geoids[a.classes.findIndex((c) => c === 'high')];
    });
    const p = (await page.evaluate((g) => window.__tractmix!.pointIn(g), target))!;
    const xy = await page.evaluate(([lng, lat]) => window.__tractmix!.map!.map.project([lng, lat]), p);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + xy.x, box.y + xy.y);
    await page.getByTestId('side-panel').waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, 'context-phone-panel.png') });
    await page.getByRole('button', { name: 'Close tract panel (Escape)' }).click();
    await page.getByTestId('sheet-handle').click();
    await page.getByTestId('color-by').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(ARTIFACTS, 'context-phone-sheet.png') });
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a slowed load shows a progress line saying what is happening', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.route('**/bundles/demo/**', async (route) => {
      await new Promise((r) => setTimeout(r, 1200));
      await route.continue();
    });
    await page.goto(`${server.url}/index.html?basemap=none&data=bundles/demo/`);
    const progress = page.getByTestId('progress');
    await progress.waitFor({ state: 'visible', timeout: 5000 });
    await expect(progress.textContent()).resolves.toMatch(/Loading bundles\/demo\/: (waiting for bundle\.json|reading \S+|parsing \S+)/);
    expect(await progress.locator('progress').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'context-progress.png') });
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
    await progress.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  });
});
