/**
 * The app in real headless Chromium (the test build): the demo renders every tract, each class and
 * ramp is painted in its expected colour (pixels), controls repaint, the counts the legend shows on
 * screen equal the core's computed in node, no control's text is cut off, Chicago opens from its
 * files, a shared URL restores the view, the keyboard reaches every control, and no console error
 * is logged. Screenshots are saved to test-artifacts/ to be looked at; reference.test.ts compares a
 * few with reference images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadBundle } from '../../src/data/bundle';
import { datasetFromBundle } from '../../src/data/dataset';
import { analyzeSnapshot } from '../../src/core/analyze';
import { toSnapshot } from '../../src/data/income';
import { CLASS_COLORS, ENTROPY_RAMP, hexToRgb, INSUFFICIENT_COLOR } from '../../src/map/colors';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS, type DiversityClass } from '../../src/core/entropy';
import type { AnalysisOptions } from '../../src/core/analyze';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { describeRealData, realDataPath } from '../helpers/realData';

const ARTIFACTS = join(REPO, 'test-artifacts');
const BACKGROUND = hexToRgb('#eef0f2');
const FILL_OPACITY = 0.92;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/bundles/demo/': join(REPO, 'data', 'demo') } });
  browser = await launchChromium();
});
afterAll(async () => {
  console.info(`pixel colours: largest channel error ${largestColourError} (tolerance 6)`);
  await browser?.close();
  await server?.close();
});

/** The demo analysed in node, independently of the page. */
async function demoInNode(year?: number, options: AnalysisOptions = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } }) {
  const bundle = await loadBundle(async (f) => readFileSync(join(REPO, 'data', 'demo', f), 'utf8'));
  const d = datasetFromBundle(bundle);
  const y = d.years.find((x) => x.year === year) ?? d.years[d.years.length - 1];
  return { dataset: d, year: y, analysis: analyzeSnapshot(toSnapshot(y.table), options) };
}

function countClasses(classes: readonly DiversityClass[]): Record<DiversityClass, number> {
  const c = Object.fromEntries(DIVERSITY_CLASSES.map((k) => [k, 0])) as Record<DiversityClass, number>;
  for (const k of classes) c[k]++;
  return c;
}

/** The class counts as the legend shows them on screen: each row's visible label and number. */
async function legendCountsOnScreen(page: Page): Promise<Record<DiversityClass, number>> {
  const shown = await page.getByTestId('class-counts').locator('li').evaluateAll((items) =>
    items.map((li) => {
      const label = (li.querySelector('.label') as HTMLElement).innerText;
      const n = li.querySelector('.n') as HTMLElement;
      return { label, n: n.innerText, visible: n.checkVisibility() && n.getBoundingClientRect().width > 0 };
    }),
  );
  const counts = {} as Record<DiversityClass, number>;
  for (const { label, n, visible } of shown) {
    const cls = DIVERSITY_CLASSES.find((c) => label.startsWith(DIVERSITY_CLASS_LABELS[c]));
    expect(cls, `legend row "${label}"`).toBeDefined();
    expect(visible, `count of ${label} visible`).toBe(true);
    expect(n, label).toMatch(/^\d{1,3}(,\d{3})*$/);
    counts[cls!] = Number(n.replace(/,/g, ''));
  }
  return counts;
}

async function openApp(search = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await waitReady(page);
  return { page, errors };
}

async function waitReady(page: Page) {
  // `complete`: every year loaded and painted (the latest year alone may be drawn first).
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
}

/** Wait until the map has painted the latest figures and gone idle. */
async function waitRepaint(page: Page, since: { idle: number; gen: number }) {
  await page.waitForFunction(([idle, gen]) => window.__tractmix!.paintGeneration > gen && window.__tractmix!.idleCount > idle, [since.idle, since.gen], { timeout: 30_000 });
}
async function marks(page: Page) {
  return page.evaluate(() => ({ idle: window.__tractmix!.idleCount, gen: window.__tractmix!.paintGeneration }));
}
async function waitIdleAfter(page: Page, idle: number) {
  await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idle, { timeout: 30_000 });
}

function blended(rgb: readonly number[]): [number, number, number] {
  return rgb.map((v, i) => Math.round(v * FILL_OPACITY + BACKGROUND[i] * (1 - FILL_OPACITY))) as [number, number, number];
}
/** The pixel colour within 6 of each channel of `rgb` over the map background (fill opacity .92). */
function expectColor(actual: number[], rgb: readonly number[], what: string, tolerance = 6) {
  const want = blended(rgb);
  for (let i = 0; i < 3; i++) {
    largestColourError = Math.max(largestColourError, Math.abs(actual[i] - want[i]));
    expect(Math.abs(actual[i] - want[i]), `${what}: rgb ${actual.slice(0, 3)} vs ${want}`).toBeLessThanOrEqual(tolerance);
  }
}
/** The largest channel error seen, printed at the end (the README states it). */
let largestColourError = 0;
/** A ramp's colour at a value, interpolated here in RGB between its stops (as the style's `interpolate` does). */
function rampRgb(stops: readonly [number, string][], v: number): number[] {
  const i = stops.findIndex(([x]) => x >= v);
  if (i <= 0) return hexToRgb(stops[Math.max(i, 0)][1]);
  const [[x0, c0], [x1, c1]] = [stops[i - 1], stops[i]];
  const t = (v - x0) / (x1 - x0);
  return hexToRgb(c0).map((a, k) => a + (hexToRgb(c1)[k] - a) * t);
}

/** The first of these tracts that is drawn on top at its inner point, with that pixel's colour. */
async function pixelOfTract(page: Page, geoids: readonly string[]): Promise<{ geoid: string; rgba: number[] } | null> {
  return page.evaluate(async (ids) => {
    const t = window.__tractmix!;
    for (const id of ids) {
      const p = await t.pointIn(id);
      if (!p) continue;
      const hit = t.map!.map.queryRenderedFeatures(t.map!.map.project(p), { layers: ['tracts-fill'] });
      if (hit[0]?.properties?.GEOID !== id) continue;
      return { geoid: id, rgba: t.colorAt(p[0], p[1]) };
    }
    return null;
  }, geoids);
}
const ofClass = (a: { geoids: readonly string[]; classes: readonly string[] }, cls: string) => a.geoids.filter((_, i) => a.classes[i] === cls);

describe('the demo', () => {
  it('renders every tract of the latest year, labelled synthetic, with no console error', async () => {
    const { page, errors } = await openApp();
    const node = await demoInNode();
    const ids = await page.evaluate(() => window.__tractmix!.renderedIds());
    expect(new Set(ids).size).toBe(node.dataset.boundaries.get(node.year.boundaryKey)!.features.length);
    expect(ids.length).toBeGreaterThanOrEqual(300);
    await expect(page.getByTestId('synthetic-badge').textContent()).resolves.toBe('synthetic demo data');
    await page.screenshot({ path: join(ARTIFACTS, 'default-view.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('paints a tract of every class that has tracts in that class colour, insufficient ones grey (pixels)', async () => {
    const { page, errors } = await openApp();
    const node = await demoInNode();
    const present = DIVERSITY_CLASSES.filter((c) => ofClass(node.analysis, c).length > 0);
    // the demo has all five, including tracts planted with too few households
    expect(present).toEqual(['high', 'moderate', 'low', 'not-diverse', 'insufficient']);
    for (const cls of present) {
      const hit = await pixelOfTract(page, ofClass(node.analysis, cls));
      expect(hit, `a visible ${cls} tract`).not.toBeNull();
      expectColor(hit!.rgba, hexToRgb(cls === 'insufficient' ? INSUFFICIENT_COLOR : CLASS_COLORS[cls]), `${cls} tract ${hit!.geoid}`);
    }
    // the colours themselves: ColorBrewer RdYlBu 4 and a neutral grey (src/map/colors.ts)
    expect([CLASS_COLORS.high, CLASS_COLORS.moderate, CLASS_COLORS.low, CLASS_COLORS['not-diverse'], INSUFFICIENT_COLOR]).toEqual(['#2c7bb6', '#abd9e9', '#fdae61', '#d7191c', '#b8b8b8']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the legend shows the class counts the core computes in node, and the AMI', async () => {
    const { page } = await openApp();
    const node = await demoInNode();
    expect(await legendCountsOnScreen(page)).toEqual(countClasses(node.analysis.classes));
    await expect(page.getByTestId('ami').innerText()).resolves.toContain('$' + Math.round(node.analysis.ami.dollars).toLocaleString('en-US'));
    await page.close();
  });

  it('switching colour-by, scheme and AMI repaints in place, in the colours and counts of the new figures', async () => {
    const { page, errors } = await openApp();
    const node = await demoInNode();
    const hit = (await pixelOfTract(page, ofClass(node.analysis, 'high')))!;
    const i = node.analysis.geoids.indexOf(hit.geoid);
    const [lng, lat] = (await page.evaluate((g) => window.__tractmix!.pointIn(g), hit.geoid))!;
    const colour = () => page.evaluate(([x, y]) => window.__tractmix!.colorAt(x, y), [lng, lat] as const);

    let m = await marks(page);
    await page.getByTestId('color-by').selectOption('entropy');
    await waitIdleAfter(page, m.idle);
    expectColor(await colour(), rampRgb(ENTROPY_RAMP, node.analysis.entropy[i]), `H ${node.analysis.entropy[i].toFixed(3)} of ${hit.geoid}`);

    // The legend follows Colour by: its class counts are read with the map coloured by class.
    m = await marks(page);
    await page.getByTestId('color-by').selectOption('class');
    await waitIdleAfter(page, m.idle);
    m = await marks(page);
    await page.getByTestId('scheme').selectOption('quintile5');
    await waitRepaint(page, m);
    const quintiles = await demoInNode(undefined, { scheme: { kind: 'quintile5' }, ami: { kind: 'auto' } });
    expect(await legendCountsOnScreen(page)).toEqual(countClasses(quintiles.analysis.classes));
    expect(quintiles.analysis.classes).not.toEqual(node.analysis.classes);

    await page.getByTestId('scheme').selectOption('ami6');
    m = await marks(page);
    await page.getByTestId('ami-kind').selectOption('typed');
    await page.getByTestId('ami-dollars').fill('20000');
    await waitRepaint(page, m);
    const typed = await demoInNode(undefined, { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 20_000 } });
    // Choosing "typed" repaints once with the AMI it starts from, then the typed figure repaints
    // again; on a loaded machine the first repaint can be the one waited for, so read until shown.
    await expect.poll(() => page.getByTestId('ami').innerText(), { timeout: 30_000 }).toMatch(/^AMI \$20,000 \(typed\)/);
    expect(Math.abs(typed.analysis.entropy[i] - node.analysis.entropy[i])).toBeGreaterThan(0.05);
    await expect.poll(() => legendCountsOnScreen(page), { timeout: 30_000 }).toEqual(countClasses(typed.analysis.classes));
    m = await marks(page);
    await page.getByTestId('color-by').selectOption('entropy');
    await waitIdleAfter(page, m.idle);
    expectColor(await colour(), rampRgb(ENTROPY_RAMP, typed.analysis.entropy[i]), `H ${typed.analysis.entropy[i].toFixed(3)} at AMI $20,000`);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('ami=20000');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('no control cuts its text off, on a desktop and on a phone', async () => {
    for (const [search, viewport] of [['', { width: 1440, height: 900 }], ['', { width: 390, height: 844 }], ['?mode=change', { width: 1440, height: 900 }]] as const) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${server.url}/index.html${search}`);
      await waitReady(page);
      // every option of every select, measured in the select's own font, fits its text box
      const cut = await page.evaluate(() => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        const out: string[] = [];
        for (const select of document.querySelectorAll<HTMLSelectElement>('.controls select')) {
          const style = getComputedStyle(select);
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          // the arrow takes about 20 px of a native select
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
          for (const o of select.options) if (ctx.measureText(o.text).width > room) out.push(`${select.dataset.testid ?? select.getAttribute('aria-label')}: "${o.text}" is ${ctx.measureText(o.text).width.toFixed(0)} px in ${room.toFixed(0)} px`);
        }
        return out;
      });
      expect(cut, `${search} ${viewport.width}×${viewport.height}`).toEqual([]);
      await page.close();
    }
  });

  it('hover shows the tract; click opens the side panel with bracket counts; Escape closes it', async () => {
    const { page, errors } = await openApp();
    const node = await demoInNode();
    const hit = (await pixelOfTract(page, ofClass(node.analysis, 'moderate')))!;
    const point = await page.evaluate(async (g) => {
      const t = window.__tractmix!;
      const p = t.map!.map.project((await t.pointIn(g))!);
      return { x: p.x, y: p.y };
    }, hit.geoid);
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.move(box.x + point.x, box.y + point.y);
    await expect(page.getByTestId('tooltip').textContent()).resolves.toContain(hit.geoid);
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const panel = page.getByTestId('side-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain(hit.geoid);
    expect(await panel.locator('table.brackets tbody tr').count()).toBe(16);
    // The URL is written after the next frame (App.tsx).
    await expect.poll(() => page.url()).toContain(`tract=${hit.geoid}`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, 'side-panel.png') });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a shared URL restores year, scheme, AMI, colour-by, selected tract and map position', async () => {
    const { page } = await openApp();
    const node = await demoInNode();
    const years = node.dataset.years.map((y) => y.year);
    const geoid = node.analysis.geoids[5];
    await page.getByTestId('year').selectOption(String(years[0]));
    await page.getByTestId('scheme').selectOption('quintile5');
    await page.getByTestId('ami-kind').selectOption('tract-median');
    await page.getByTestId('color-by').selectOption('median-ami');
    await page.evaluate(() => window.__tractmix!.map!.map.jumpTo({ center: window.__tractmix!.map!.map.getCenter(), zoom: window.__tractmix!.map!.map.getZoom() + 1 }));
    await page.waitForFunction(() => new URL(location.href).searchParams.has('view'));
    await page.goto(page.url().replace(/([?&])tract=[^&]*/, '$1') + `&tract=${geoid}`);
    await waitReady(page);
    const shared = page.url();
    const view = await page.evaluate(() => window.__tractmix!.map!.view());

    const { page: second } = await openApp(shared.slice(shared.indexOf('?')));
    expect(await second.getByTestId('year').inputValue()).toBe(String(years[0]));
    expect(await second.getByTestId('scheme').inputValue()).toBe('quintile5');
    expect(await second.getByTestId('ami-kind').inputValue()).toBe('tract-median');
    expect(await second.getByTestId('color-by').inputValue()).toBe('median-ami');
    expect(await second.getByTestId('side-panel').textContent()).toContain(geoid);
    const view2 = await second.evaluate(() => window.__tractmix!.map!.view());
    expect(Math.abs(view2.lng - view.lng)).toBeLessThan(1e-3);
    expect(Math.abs(view2.lat - view.lat)).toBeLessThan(1e-3);
    expect(Math.abs(view2.zoom - view.zoom)).toBeLessThan(0.02);
    await page.close();
    await second.close();
  });

  it('keyboard alone reaches every control, with a visible focus ring', async () => {
    const { page, errors } = await openApp();
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const label = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? el.tagName;
        return { label, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
      });
      if (info) {
        expect(info.outline, `focus ring on ${info.label}`).toBe(true);
        reached.add(info.label);
      }
    }
    for (const control of ['year', 'color-by', 'scheme', 'ami-kind', 'min-households', 'Open data…', 'Map', 'Table', 'Join report']) {
      expect([...reached], control).toContain(control);
    }
    // The table view is sortable from the keyboard.
    await page.getByRole('button', { name: 'Table' }).focus();
    await page.keyboard.press('Enter');
    const table = page.getByTestId('tract-table');
    await table.waitFor();
    const header = table.getByRole('button', { name: /^Households/ });
    await header.focus();
    await page.keyboard.press('Enter');
    expect(await table.locator('th[aria-sort=descending]').textContent()).toContain('Households');
    // columns: Pick, GEOID, Name, Households, …
    const first = Number((await table.locator('tbody tr').first().locator('td').nth(3).textContent())!.replace(/,/g, ''));
    const second = Number((await table.locator('tbody tr').nth(1).locator('td').nth(3).textContent())!.replace(/,/g, ''));
    expect(first).toBeGreaterThanOrEqual(second);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('bad input in the browser gets a message a planner can act on', () => {
  it('a ?data= address that is not a bundle', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/index.html?data=${encodeURIComponent(`${server.url}/no/such/bundle/`)}`);
    const message = await page.getByTestId('load-error').textContent();
    expect(message).toMatch(/no\/such\/bundle\/bundle\.json: the server answered 404.*Check the \?data= address/);
    // the failed request itself is the only console error
    expect(errors.every((e) => /404|Failed to load resource/.test(e))).toBe(true);
    await page.close();
  });
  it('files without boundaries, or a file that is not a table', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('file-input').setInputFiles({ name: 'tracts.csv', mimeType: 'text/csv', buffer: Buffer.from(readFileSync(join(REPO, 'data', 'demo', 'income-2018.csv'))) });
    await expect(page.getByTestId('open-error').textContent()).resolves.toMatch(/tracts\.csv: no boundary file among the files; expected tract boundaries.*Select the boundary files together/);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('file-input').setInputFiles([
      { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
      { name: 'tracts.topojson', mimeType: 'application/json', buffer: Buffer.from(readFileSync(join(REPO, 'data', 'demo', 'boundaries-2010.topojson'))) },
    ]);
    await expect(page.getByTestId('open-error').textContent()).resolves.toMatch(/notes\.csv: the columns are not an income table tractmix knows/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Selection and export: selection.test.ts.

describeRealData('Chicago from its files', () => {
  it('renders 1,983 tracts and reports the 2 unmatched water tracts', async () => {
    const { page, errors } = await openApp();
    const files = ['shp', 'dbf', 'prj', 'cpg', 'shx'].map((e) => realDataPath(`udp-chicago/cb_2018_17_tract_500k.${e}`));
    files.push(realDataPath('udp-chicago/Chicagocensus_summ_2018.csv'));
    await page.getByTestId('file-input').setInputFiles(files);
    const dialog = page.getByTestId('open-dialog');
    await dialog.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('open-error').count(), await dialog.textContent() ?? '').toBe(0);
    expect(await page.getByTestId('report-matched').textContent()).toMatch(/1,983 of 1,985 income units matched/);
    const unmatched = await page.getByTestId('report-income-only').textContent();
    expect(unmatched).toMatch(/^2 income units without a boundary/);
    expect(unmatched).toContain('17031990000');
    expect(unmatched).toContain('17097990000');
    await page.screenshot({ path: join(ARTIFACTS, 'chicago-join-report.png') });
    const m = await marks(page);
    await page.getByTestId('show-map').click();
    await page.waitForFunction((gen) => window.__tractmix!.status === 'ready' && window.__tractmix!.paintGeneration > 0 && window.__tractmix!.idleCount > gen, m.idle, { timeout: 60_000 });
    await page.waitForFunction(() => window.__tractmix!.renderedIds().length >= 1983, null, { timeout: 30_000 });
    expect(new Set(await page.evaluate(() => window.__tractmix!.renderedIds())).size).toBe(1983);
    await page.screenshot({ path: join(ARTIFACTS, 'chicago.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
