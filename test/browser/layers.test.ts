/**
 * Issue 12 in real headless Chromium (the test build) on the demo bundle, which carries its own
 * layers (data/demo/areas.geojson, points-assets.geojson; made by scripts/demo/layers.ts): areas
 * drawn (rendered features and their feature-state colours), points drawn by category, legend
 * entries, toggles hiding and showing a category, the area panel's tracts and shares and the
 * panels' point counts against counts worked out here in node from the geometry (turf, not the
 * app's code), exports carrying the new columns, the rule switch, the change view's area flags,
 * a point file opened with its bad rows listed. Screenshots go to test-artifacts/layers/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { area as turfArea, booleanPointInPolygon, featureCollection, intersect } from '@turf/turf';
import { feature } from 'topojson-client';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { countColor, pngRegion } from './png';
import { CLASS_COLORS, packColor } from '../../src/map/colors';

const ARTIFACTS = join(REPO, 'test-artifacts', 'layers');
const DEMO = join(REPO, 'data', 'demo');
const ALL_CATEGORIES = 'assets.clinic,assets.library,assets.park,assets.school';

type Poly = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID?: string; name?: string }>;
let server: StaticServer;
let browser: Browser;
let tracts: Poly[];
let areas: Poly[];
let points: GeoJSON.Feature<GeoJSON.Point, { category: string; name: string; row: number }>[];
/** Households per 2023 tract, summed from the income file's bracket columns. */
let households: Map<string, number>;
let tiledDemo: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const topo = JSON.parse(readFileSync(join(DEMO, 'boundaries-2010.topojson'), 'utf8'));
  tracts = (feature(topo, topo.objects.tracts) as unknown as GeoJSON.FeatureCollection).features as Poly[];
  areas = JSON.parse(readFileSync(join(DEMO, 'areas.geojson'), 'utf8')).features;
  points = JSON.parse(readFileSync(join(DEMO, 'points-assets.geojson'), 'utf8')).features;
  const income = Papa.parse<Record<string, string>>(readFileSync(join(DEMO, 'income-2023.csv'), 'utf8').trim(), { header: true }).data;
  households = new Map(income.map((r) => [r.GEOID, Object.entries(r).filter(([k]) => /^I_\d+_23$/.test(k)).reduce((s, [, v]) => s + Number(v), 0)]));
  // The demo again as a tiled bundle (vector tiles, no tract polygons in the app) with the same layers.
  tiledDemo = join(mkdtempSync(join(tmpdir(), 'tractmix-layers-')), 'tiled');
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/tractmix.ts', 'build', '--boundaries', join(DEMO, 'boundaries-2010.topojson'), '--income', `2023=${join(DEMO, 'income-2023.csv')}`, '--name', 'Riverbend (tiled)', '--tiles', 'always', '--areas', join(DEMO, 'areas.geojson'), '--points', `assets=${join(DEMO, 'assets.csv')}`, '--out', tiledDemo],
    { cwd: REPO, encoding: 'utf8' },
  );
  expect(built.status, built.stderr).toBe(0);
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/bundles/tiled/': tiledDemo } });
  browser = await launchChromium();
}, 180_000);
/** Largest gap between an exported weight and turf's share (printed: the README states it). */
let largestWeightGap = 0;
afterAll(async () => {
  console.info(`area weights: largest gap to turf's intersection share ${largestWeightGap.toExponential(2)} (tolerance 5e-6)`);
  await browser?.close();
  await server?.close();
});

/** Points of a category inside a polygon, by turf's point-in-polygon (every one, overlapping or not). */
function pointsIn(poly: Poly, category: string): number {
  return points.filter((p) => p.properties.category === category && booleanPointInPolygon(p.geometry.coordinates, poly)).length;
}
/** The share of each tract inside an area: area of the intersection ÷ area of the tract (turf). */
function shares(a: Poly): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tracts) {
    const x = intersect(featureCollection([t, a]));
    if (!x) continue;
    const w = turfArea(x) / turfArea(t);
    if (w >= 0.001) out.set(t.properties.GEOID!, w);
  }
  return out;
}

async function open(search: string, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
  // The layers load after the map: wait until the bundle's areas are in and (if asked) figured.
  await page.waitForFunction(() => !!window.__tractmix?.layers?.layers.areas && window.__tractmix.layers.layers.points.length > 0, null, { timeout: 30_000 });
  return { page, errors };
}
async function idle(page: Page) {
  const n = await page.evaluate(() => window.__tractmix!.idleCount);
  await page.evaluate(() => window.__tractmix!.map!.map.triggerRepaint());
  await page.waitForFunction((k) => window.__tractmix!.idleCount > k, n, { timeout: 30_000 });
}
const renderedAreas = (page: Page) => page.evaluate(() => window.__tractmix!.layers!.areasLayer.current!.renderedNames().sort());
const renderedPoints = (page: Page) => page.evaluate(() => window.__tractmix!.layers!.pointsLayer.current!.renderedCounts());

describe('the demo bundle carries its layers', () => {
  it('lists them in the Layers box with every unusable row counted; nothing drawn until asked', async () => {
    const { page, errors } = await open('');
    await page.getByTestId('layers-control').locator('> summary').click();
    await expect.poll(() => page.getByTestId('areas-summary').innerText()).toContain('7 areas');
    const summary = await page.getByTestId('point-layer-summary').innerText();
    expect(summary).toContain('95 rows read, 93 usable, 2 rejected; 1 outside every tract');
    await page.getByText('Rows not counted (3)').click();
    const rows = await page.getByTestId('point-rows-not-counted').innerText();
    expect(rows).toContain('line 94 (Boat club (in the river))');
    // The bundle lists the rows assets.csv could not use (bundle.json rejectedRows).
    expect(rows).toContain('line 95, column "latitude": the coordinate is missing');
    expect(rows).toContain('line 96, column "latitude": latitude 407.1 is outside ±90');
    await idle(page);
    expect(await renderedAreas(page)).toEqual([]);
    expect(await renderedPoints(page)).toEqual({});
    // Nothing drawn, nothing on the map: no source to load and repaint for (issue 8).
    const userSources = () => page.evaluate(() => Object.keys(window.__tractmix!.map!.map.getStyle().sources).filter((id) => id.startsWith('user-')).sort());
    expect(await userSources()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'layers-box-1440x900.png') });
    // Asked for after the start: made then, with the areas and the one category ticked.
    await page.getByTestId('areas-outline').check();
    await page.getByTestId('category-assets.library').check();
    await idle(page);
    expect(await userSources()).toEqual(['user-area-labels', 'user-areas', 'user-areas-veil', 'user-points']);
    expect(await renderedAreas(page)).toEqual(areas.map((a) => a.properties.name).sort());
    expect(await renderedPoints(page)).toEqual({ 'assets.library': points.filter((p) => p.properties.category === 'library').length });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('areas coloured by their pooled figures', () => {
  it('draws every area with the colour of its class, computed from its pooled tracts', async () => {
    const { page, errors } = await open(`?areas=fill&pts=${ALL_CATEGORIES}`);
    await page.waitForFunction(() => !!window.__tractmix?.layers?.areaFigures, null, { timeout: 30_000 });
    await idle(page);
    expect(await renderedAreas(page)).toEqual(areas.map((a) => a.properties.name).sort());
    // Feature state: the packed class colour of each area (the class the pooled counts give).
    const state = await page.evaluate(() => {
      const l = window.__tractmix!.layers!;
      const a = l.areaFigures!.year.analysis;
      return a.geoids.map((name, i) => ({ name, cls: a.classes[i], c: l.areasLayer.current!['map'].getFeatureState({ source: 'user-areas', id: l.areasLayer.current!.idOf(name)! }).c }));
    });
    for (const s of state) expect(s.c, s.name).toBe(packColor(CLASS_COLORS[s.cls as keyof typeof CLASS_COLORS]));
    // The planted zones keep their planted class (data/demo/README.md).
    const cls = Object.fromEntries(state.map((s) => [s.name, s.cls]));
    expect(cls['Elm Park']).toBe('high');
    expect(cls['Southgate']).toBe('high');
    expect(cls['Lowfield']).toBe('not-diverse');
    // Points: every point drawn, by category, as counted here.
    const byCategory = (c: string) => points.filter((p) => p.properties.category === c).length;
    expect(await renderedPoints(page)).toEqual({ 'assets.library': byCategory('library'), 'assets.school': byCategory('school'), 'assets.park': byCategory('park'), 'assets.clinic': byCategory('clinic') });
    const legend = await page.getByTestId('legend-category').allInnerTexts();
    expect(legend.map((t) => t.trim())).toEqual(['library', 'school', 'park', 'clinic']);
    await page.screenshot({ path: join(ARTIFACTS, 'areas-fill-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('toggles, panels and exports', () => {
  it('a category switched off is hidden (feature state and rendered points) and comes back', async () => {
    const { page, errors } = await open(`?areas=outline&pts=${ALL_CATEGORIES}`);
    await idle(page);
    const before = await renderedPoints(page);
    expect(before['assets.library']).toBe(points.filter((p) => p.properties.category === 'library').length);
    await page.getByTestId('layers-control').locator('> summary').click();
    await page.getByTestId('category-assets.library').uncheck();
    await idle(page);
    const after = await renderedPoints(page);
    expect(after['assets.library']).toBeUndefined();
    expect(after['assets.school']).toBe(before['assets.school']);
    const offStates = await page.evaluate(() => {
      const m = window.__tractmix!.map!.map;
      const f = m.querySourceFeatures('user-points');
      return [...new Set(f.filter((x) => x.properties?.category === 'library').map((x) => m.getFeatureState({ source: 'user-points', id: x.id as number }).off))];
    });
    expect(offStates).toEqual([true]);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('pts=assets.clinic%2Cassets.park%2Cassets.school');
    expect(await page.getByTestId('legend-category').allInnerTexts()).not.toContain('library');
    await page.getByTestId('category-assets.library').check();
    await idle(page);
    expect((await renderedPoints(page))['assets.library']).toBe(before['assets.library']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the area panel lists its tracts with the share counted and its assets, as worked out from the geometry', async () => {
    const { page, errors } = await open(`?areas=fill&area=Downtown&pts=${ALL_CATEGORIES}`);
    await page.getByTestId('area-panel').waitFor({ timeout: 30_000 });
    const downtown = areas.find((a) => a.properties.name === 'Downtown')!;
    const want = shares(downtown);
    const shown = await page.getByTestId('area-members').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-geoid')!, Number(r.getAttribute('data-weight'))] as [string, number]));
    expect(new Set(shown.map(([g]) => g))).toEqual(new Set(want.keys()));
    // The app clips with its own polygon code (src/core/crosswalk.ts), this test with turf's intersect:
    // on the demo's 224 area–tract pairs they differ by at most 4.5e-6 (measured; the weights are written to 6 decimals).
    for (const [g, w] of shown) expect(Math.abs(w - want.get(g)!), g).toBeLessThan(5e-6);
    expect(shown.some(([, w]) => w < 0.99)).toBe(true); // the circle cuts tracts
    // Households: Σ share × tract households (rounded as the panel shows them).
    const hh = [...want].reduce((s, [g, w]) => s + w * households.get(g)!, 0);
    expect(await page.getByTestId('area-households').innerText()).toBe(Math.round(hh).toLocaleString('en-US'));
    // Its assets by category, counted here with turf.
    const rows = await page.getByTestId('point-counts-areas').getByTestId('point-count-row').evaluateAll((r) => r.map((x) => [x.getAttribute('data-column'), Number(x.querySelector('td')!.textContent)]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(['library', 'school', 'park', 'clinic'].map((c) => [`assets_${c}`, pointsIn(downtown, c)])));
    await page.screenshot({ path: join(ARTIFACTS, 'area-panel-1440x900.png') });
    expect(await page.getByTestId('area-rule').innerText()).toContain('share of their area');
    // The centroid rule: whole tracts only.
    await page.getByTestId('layers-control').locator('> summary').click();
    await page.getByTestId('area-rule-centroid').check();
    await expect.poll(() => page.getByTestId('area-members').locator('tbody tr').evaluateAll((r) => r.map((x) => Number(x.getAttribute('data-weight'))))).toSatisfy((w: number[]) => w.length > 0 && w.every((x) => x === 1));
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('arule=centroid');
    // Its close button holds the focus; Escape closes it and drops it from the URL.
    await page.getByTestId('area-panel').locator('button.close').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('area-panel').waitFor({ state: 'detached' });
    await expect.poll(() => page.url(), { timeout: 30_000 }).not.toContain('area=');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a tract panel counts the assets in the tract; exports carry the point columns and method.json the layers', async () => {
    const library = points.find((p) => p.properties.category === 'library')!;
    const tract = tracts.find((t) => booleanPointInPolygon(library.geometry.coordinates, t))!;
    const geoid = tract.properties.GEOID!;
    const { page, errors } = await open(`?tract=${geoid}&pts=${ALL_CATEGORIES}`);
    await page.getByTestId('side-panel').waitFor();
    const rows = await page.getByTestId('point-counts-tracts').getByTestId('point-count-row').evaluateAll((r) => r.map((x) => [x.getAttribute('data-column'), Number(x.querySelector('td')!.textContent)]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(['library', 'school', 'park', 'clinic'].map((c) => [`assets_${c}`, pointsIn(tract, c)])));
    // Tract export: the analyze columns, then assets and assets_<category> per tract.
    await page.getByTestId('export-menu').locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const files = unzipSync(readFileSync((await download.path())!));
    const csv = Papa.parse<Record<string, string>>(strFromU8(files[Object.keys(files).find((n) => n.endsWith('.csv'))!]).trim(), { header: true }).data;
    const method = JSON.parse(strFromU8(files['method.json']));
    expect(Object.keys(csv[0]).slice(-5)).toEqual(['assets', 'assets_library', 'assets_school', 'assets_park', 'assets_clinic']);
    for (const t of tracts) {
      const row = csv.find((r) => r.GEOID === t.properties.GEOID)!;
      for (const c of ['library', 'school', 'park', 'clinic']) expect(Number(row[`assets_${c}`]), `${t.properties.GEOID} ${c}`).toBe(pointsIn(t, c));
    }
    expect(csv.reduce((s, r) => s + Number(r.assets), 0)).toBe(points.length - 1); // the river point is in no tract
    expect(method.points).toEqual([
      expect.objectContaining({ name: 'assets', rowsRead: 95, usable: 93, rejected: 2, outsideEveryTract: 1, categories: ['library', 'school', 'park', 'clinic'] }),
    ]);
    expect(method.areas).toEqual(expect.objectContaining({ file: 'areas.geojson', rule: 'share', areas: 7 }));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Save image draws the layers\' legend: the area outline and each category shown, in its colour', async () => {
    // Okabe–Ito colours (layerStyle.ts) by first appearance in the layer: library, school, park, clinic.
    const okabeIto: Record<string, string> = { library: '#0072B2', school: '#D55E00', park: '#009E73', clinic: '#CC79A7' };
    const dotPixels = async (search: string) => {
      const { page, errors } = await open(`?basemap=none${search}`);
      await idle(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-image').click()]);
      const file = join(ARTIFACTS, `save-image${search ? '-layers' : ''}.png`);
      await download.saveAs(file);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      const mapHeight = Math.round((await page.getByTestId('map').boundingBox())!.height);
      // The layers' box sits at the bottom left of the map (52 px of title above it): count, in its left
      // 40 px, the pixels of exactly each colour (the box's white is 0.95 opaque, so a map point under it
      // has no exact colour there).
      const box = pngRegion(png, 12, 52 + mapHeight - 130, 40, 130);
      const hex = (h: string) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
      const counts = Object.fromEntries(Object.entries({ ...okabeIto, outline: '#14181c' }).map(([name, h]) => [name, countColor(box, hex(h))]));
      expect(errors).toEqual([]);
      await page.close();
      console.info(`save image, layers' box pixels ${search || '(no layers)'}: ${JSON.stringify(counts)}`);
      return counts;
    };
    const shown = await dotPixels('&areas=outline&pts=assets.library,assets.park');
    // A dot of radius 5 covers about 78 pixels, about 50 of them in its exact colour; the outline swatch's frame ~40.
    expect(shown.library).toBeGreaterThanOrEqual(30);
    expect(shown.park).toBeGreaterThanOrEqual(30);
    expect(shown.outline).toBeGreaterThanOrEqual(20);
    expect(shown.school).toBe(0);
    expect(shown.clinic).toBe(0);
    const none = await dotPixels('');
    expect(none).toEqual({ library: 0, school: 0, park: 0, clinic: 0, outline: 0 });
  });

  it('the areas table exports one row per area with its tracts, weights and asset counts', async () => {
    const { page, errors } = await open('?tab=table&areas=outline');
    await page.getByTestId('area-table').waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-areas-csv').click()]);
    const files = unzipSync(readFileSync((await download.path())!));
    const csv = Papa.parse<Record<string, string>>(strFromU8(files[Object.keys(files).find((n) => n.endsWith('.csv'))!]).trim(), { header: true }).data;
    const method = JSON.parse(strFromU8(files['method.json']));
    expect(csv.map((r) => r.area)).toEqual(areas.map((a) => a.properties.name));
    for (const a of areas) {
      const row = csv.find((r) => r.area === a.properties.name)!;
      const want = shares(a);
      expect(Number(row.tracts), a.properties.name).toBe(want.size);
      for (const part of row.tract_weights.split(';')) {
        const [g, w] = part.split(':');
        largestWeightGap = Math.max(largestWeightGap, Math.abs(Number(w) - want.get(g)!));
        expect(Math.abs(Number(w) - want.get(g)!), `${a.properties.name} ${g}`).toBeLessThan(5e-6);
      }
      // Each weight may differ from turf's by the 5e-6 above: households by at most that share of the tracts' households.
      const member = [...want.keys()].reduce((sum, g) => sum + households.get(g)!, 0);
      expect(Math.abs(Number(row.households) - [...want].reduce((sum, [g, w]) => sum + w * households.get(g)!, 0)), a.properties.name).toBeLessThan(5e-6 * member);
      for (const c of ['library', 'school', 'park', 'clinic']) expect(Number(row[`assets_${c}`]), `${a.properties.name} ${c}`).toBe(pointsIn(a, c));
    }
    expect(csv.find((r) => r.area === 'Southgate')!.assets_library).toBe('0');
    expect(method.unit).toBe('areas');
    expect(method.areas).toEqual(expect.objectContaining({ rule: 'share', nameField: 'name', areas: 7 }));
    // The GeoJSON: each area's polygon with the same figures and counts as properties.
    const [gj] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-areas-geojson').click()]);
    const json = JSON.parse(readFileSync((await gj.path())!, 'utf8'));
    expect(json.tractmix.areas).toEqual(method.areas);
    for (const f of json.features) {
      const row = csv.find((r) => r.area === f.properties.area)!;
      expect(f.properties.tracts).toBe(Number(row.tracts));
      expect(f.properties.tract_weights).toBe(row.tract_weights);
      for (const c of ['library', 'school', 'park', 'clinic']) expect(f.properties[`assets_${c}`]).toBe(Number(row[`assets_${c}`]));
      expect(f.properties.class).toBe(row.class);
    }
    expect(json.features).toHaveLength(7);
    await page.screenshot({ path: join(ARTIFACTS, 'area-table-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('change view and files', () => {
  it('the change table has a column per asset category, counted in each tract', async () => {
    const { page, errors } = await open(`?mode=change&from=2000&to=2023&tab=table&pts=${ALL_CATEGORIES}`);
    const table = page.getByTestId('change-table');
    await table.waitFor({ timeout: 60_000 });
    await expect.poll(() => table.locator('th').allInnerTexts()).toEqual(expect.arrayContaining(['library', 'school', 'park', 'clinic']));
    // Sorted by library count, most first: the first rows are the tracts turf finds libraries in.
    await table.locator('th button', { hasText: 'library' }).click();
    const cells = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.filter((tr) => tr.querySelector('[data-column]')).map((tr) => [tr.querySelectorAll('td')[1].textContent, Object.fromEntries([...tr.querySelectorAll('[data-column]')].map((td) => [td.getAttribute('data-column'), Number(td.textContent)]))] as const),
    );
    expect(cells.length).toBeGreaterThan(10);
    for (const [geoid, counts] of cells) {
      const tract = tracts.find((t) => t.properties.GEOID === geoid)!;
      expect(counts, geoid!).toEqual(Object.fromEntries(['library', 'school', 'park', 'clinic'].map((c) => [`assets_${c}`, pointsIn(tract, c)])));
    }
    expect(cells[0][1].assets_library).toBe(Math.max(...tracts.map((t) => pointsIn(t, 'library'))));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('areas get ΔH and flags from their pooled counts in the change view', async () => {
    const { page, errors } = await open('?mode=change&from=2000&to=2023&areas=fill');
    await page.waitForFunction(() => !!window.__tractmix?.layers?.areaFigures?.change, null, { timeout: 60_000 });
    await idle(page);
    const flags = await page.evaluate(() => {
      const l = window.__tractmix!.layers!;
      const m = window.__tractmix!.map!.map;
      return Object.fromEntries(l.areaFigures!.change!.tracts.map((t) => [t.geoid, { flags: t.flags, state: m.getFeatureState({ source: 'user-areas', id: l.areasLayer.current!.idOf(t.geoid)! }).flag }]));
    });
    expect(flags['Mill District'].flags.income_upgrading).toBe(true);
    expect(flags['Mill District'].state).toBe(2);
    expect(flags['Foundry Row'].flags.transitional).toBe(true);
    expect(flags['Foundry Row'].state).toBe(3);
    expect(flags['Elm Park'].flags.stable_mixed).toBe(true);
    expect(flags['Elm Park'].state).toBe(1);
    expect(flags['Ridgeview'].state).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'areas-change-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a point CSV with detected coordinates and lists its bad rows with their lines', async () => {
    const { page, errors } = await open('');
    await page.getByTestId('layers-control').locator('> summary').click();
    await page.getByTestId('points-file-input').setInputFiles({ name: 'my assets.csv', mimeType: 'text/csv', buffer: readFileSync(join(DEMO, 'assets.csv')) });
    await page.getByTestId('point-pick').waitFor();
    expect(await page.getByTestId('point-lat').inputValue()).toBe('latitude');
    expect(await page.getByTestId('point-lon').inputValue()).toBe('longitude');
    expect(await page.getByTestId('point-category').inputValue()).toBe('category');
    expect(await page.getByTestId('point-layer-name').inputValue()).toBe('my_assets');
    await page.getByTestId('add-points').click();
    const layer = page.getByTestId('point-layer-my_assets');
    expect(await layer.getByTestId('point-layer-summary').innerText()).toContain('95 rows read, 93 usable, 2 rejected; 1 outside every tract');
    await layer.getByText('Rows not counted (3)').click();
    const listed = await layer.getByTestId('point-rows-not-counted').innerText();
    expect(listed).toContain('line 95, column "latitude": the coordinate is missing');
    expect(listed).toContain('line 96, column "latitude": latitude 407.1 is outside ±90');
    expect(listed).toContain('line 94 (Boat club (in the river))');
    // Its categories are switched on at once.
    await idle(page);
    expect((await renderedPoints(page))['my_assets.school']).toBe(points.filter((p) => p.properties.category === 'school').length);
    await page.screenshot({ path: join(ARTIFACTS, 'point-file-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('selection by rule on the counts', () => {
  it('"class=high and library=0" selects the High tracts without a library, and the URL keeps it', async () => {
    const { page, errors } = await open('');
    const high = await page.evaluate(() => {
      const a = window.__tractmix!.analysis!;
      return a.geoids.filter((_, i) => a.classes[i] === 'high');
    });
    const libraries = points.filter((p) => p.properties.category === 'library');
    const want = high.filter((g) => !libraries.some((p) => booleanPointInPolygon(p.geometry.coordinates, tracts.find((t) => t.properties.GEOID === g)!))).sort();
    await page.getByTestId('rule-input').fill('class=high and library=0');
    await expect.poll(() => page.getByTestId('rule-status').textContent()).toBe(`${want.length} tracts match`);
    await page.getByTestId('rule-select').click();
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe(String(want.length));
    const sel = new URL(page.url()).searchParams.get('sel')!.split(',').sort();
    expect(sel).toEqual(want);
    await page.screenshot({ path: join(ARTIFACTS, 'rule-no-library-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a bundle opened as files', () => {
  it('Open data with the files of a bundle folder brings its layers too', async () => {
    const { page, errors } = await open('');
    const files = ['bundle.json', 'boundaries-2000.topojson', 'boundaries-2010.topojson', 'crosswalk-2000-2010.csv', 'income-2000.csv', 'income-2018.csv', 'income-2023.csv', 'areas.geojson', 'points-assets.geojson'];
    await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ name: f, mimeType: 'application/octet-stream', buffer: readFileSync(join(DEMO, f)) })));
    await page.getByTestId('show-map').click();
    await page.waitForFunction(() => window.__tractmix?.layers?.layers.areas?.origin === 'bundle', null, { timeout: 30_000 });
    await page.getByTestId('layers-control').locator('> summary').click();
    expect(await page.getByTestId('areas-summary').innerText()).toContain('7 areas from the bundle');
    expect(await page.getByTestId('point-layer-summary').innerText()).toContain('95 rows read, 93 usable, 2 rejected; 1 outside every tract');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a tiled bundle', () => {
  it('counts whole tracts by their listed point (centroid rule, said so), areas still drawn and counted', async () => {
    const { page, errors } = await open(`?data=/bundles/tiled/&areas=fill&area=Elm%20Park&pts=${ALL_CATEGORIES}`);
    await page.getByTestId('area-panel').waitFor({ timeout: 30_000 });
    await idle(page);
    expect(await renderedAreas(page)).toEqual(areas.map((a) => a.properties.name).sort());
    expect(await page.getByTestId('area-rule').innerText()).toContain('vector tiles');
    const list = readFileSync(join(tiledDemo, 'tracts-main.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
      const [geoid, , lon, lat] = l.split(',');
      return { geoid, lon: Number(lon), lat: Number(lat) };
    });
    const elm = areas.find((a) => a.properties.name === 'Elm Park')!;
    const want = list.filter((t) => booleanPointInPolygon([t.lon, t.lat], elm)).map((t) => t.geoid).sort();
    const shown = await page.getByTestId('area-members').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-geoid')!, Number(r.getAttribute('data-weight'))] as [string, number]));
    expect(shown.map(([g]) => g).sort()).toEqual(want);
    expect(shown.every(([, w]) => w === 1)).toBe(true);
    await page.getByTestId('layers-control').locator('> summary').click();
    expect(await page.getByTestId('area-rule-share').isDisabled()).toBe(true);
    expect(await page.getByTestId('tiled-rule-note').isVisible()).toBe(true);
    expect(await page.getByTestId('point-layer-summary').innerText()).toContain('not counted per tract (the tracts are vector tiles)');
    const rows = await page.getByTestId('point-counts-areas').getByTestId('point-count-row').evaluateAll((r) => r.map((x) => [x.getAttribute('data-column'), Number(x.querySelector('td')!.textContent)]));
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(['library', 'school', 'park', 'clinic'].map((c) => [`assets_${c}`, pointsIn(elm, c)])));
    await page.screenshot({ path: join(ARTIFACTS, 'tiled-areas-1440x900.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('phone', () => {
  it('areas, points and the area panel fit a 390×844 screen', async () => {
    const { page, errors } = await open(`?areas=fill&pts=${ALL_CATEGORIES}`, { width: 390, height: 844 });
    await idle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'areas-fill-390x844.png') });
    await page.getByTestId('layers-control').locator('> summary').click();
    await page.screenshot({ path: join(ARTIFACTS, 'layers-box-390x844.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
    const panel = await open(`?areas=fill&area=${encodeURIComponent('Elm Park')}&pts=${ALL_CATEGORIES}`, { width: 390, height: 844 });
    await panel.page.getByTestId('area-panel').waitFor({ timeout: 30_000 });
    await idle(panel.page);
    await panel.page.screenshot({ path: join(ARTIFACTS, 'area-panel-390x844.png') });
    expect(await panel.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(panel.errors).toEqual([]);
    await panel.page.close();
  });
});
