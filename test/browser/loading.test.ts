/**
 * Loading through the loading worker (issue 8: heavy work off the main thread, progress for every
 * wait; issue 10: income columns, area crosswalks in a worker with progress), in headless Chromium:
 * the demo, a bundle at ?data=, a tiled bundle with income columns and opened files are parsed in
 * the worker, the progress line names each step, errors raised inside the worker are shown with
 * their file and line, a bundle of two vintages without a crosswalk gets its area weights in the
 * worker with a count, and every one still draws. Screenshots of the progress line during a slowed
 * load at 1440×900 and 390×844 go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { describeRealData, realDataPath } from '../helpers/realData';

const ARTIFACTS = join(REPO, 'test-artifacts');
const DEMO = join(REPO, 'data', 'demo');

let server: StaticServer;
let browser: Browser;
/** The demo with its crosswalk taken out of bundle.json: two vintages, no crosswalk. */
const noCrosswalk = join(mkdtempSync(join(tmpdir(), 'tractmix-load-')), 'demo-no-crosswalk');
/** Tract counts of the demo, read from its files here (not through the app's readers). */
const demoMeta = JSON.parse(readFileSync(join(DEMO, 'bundle.json'), 'utf8'));
const tracts2000 = (JSON.parse(readFileSync(join(DEMO, 'boundaries-2000.topojson'), 'utf8')).objects.tracts.geometries as unknown[]).length;
const rows2023 = readFileSync(join(DEMO, 'income-2023.csv'), 'utf8').trim().split('\n').length - 1;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(noCrosswalk, { recursive: true });
  for (const f of readdirSync(DEMO)) copyFileSync(join(DEMO, f), join(noCrosswalk, f));
  writeFileSync(join(noCrosswalk, 'bundle.json'), JSON.stringify({ ...demoMeta, crosswalks: [] }));
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/bundles/demo/': DEMO, '/bundles/no-crosswalk/': noCrosswalk } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(search: string, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  return { page, errors };
}

async function waitComplete(page: Page) {
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 90_000 });
}

const loads = (page: Page) => page.evaluate(() => window.__tractmix!.loads());

describe('loading in the worker', () => {
  it('the demo is parsed in the worker, latest year first, and draws every tract', async () => {
    const { page, errors } = await open('?basemap=none');
    await waitComplete(page);
    const l = await loads(page);
    expect(l.ranIn).toEqual(['worker']);
    // The latest year and its boundaries first (the first map), then the other years.
    const at = (re: RegExp) => l.progress.findIndex((p) => re.test(p));
    expect(at(/^parsing income-2023\.csv \d+ KB$/)).toBeGreaterThanOrEqual(0);
    expect(at(/^parsing boundaries-2010\.topojson \d+ KB$/)).toBeGreaterThan(at(/^parsing income-2023\.csv/));
    expect(at(/^parsing income-2000\.csv \d+ KB$/)).toBeGreaterThan(at(/^parsing boundaries-2010\.topojson/));
    expect(at(/^parsing boundaries-2000\.topojson/)).toBeGreaterThan(at(/^parsing income-2000\.csv/));
    expect(l.progress[l.progress.length - 1]).toBe(`joining ${rows2023.toLocaleString('en-US')} tracts to their boundaries (3 years)`);
    // The bundle has its crosswalk: no area weights computed.
    expect(l.progress.some((p) => p.startsWith('crosswalk'))).toBe(false);
    const drawn = new Set(await page.evaluate(() => window.__tractmix!.analysis!.geoids));
    expect(drawn.size).toBe(rows2023);
    expect((await page.evaluate(() => window.__tractmix!.renderedIds())).length).toBeGreaterThan(0);
    // The work after the map (the uncertainty sample, the county context, in the analysis worker) may
    // still be on the progress line when every year is painted: it goes once that work is done.
    await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a slowed ?data= load shows each step on the progress line (screenshots at 1440×900 and 390×844)', async () => {
    for (const [name, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await browser.newPage({ viewport });
      // Requests made by the worker go through the page's routes too.
      await page.route('**/bundles/demo/*.topojson', async (route) => {
        await new Promise((r) => setTimeout(r, 4000));
        await route.continue();
      });
      await page.goto(`${server.url}/index.html?basemap=none&data=bundles/demo/`);
      const progress = page.getByTestId('progress');
      // The latest year's income has been parsed; its boundaries are held back by the route.
      await page.waitForFunction(() => document.querySelector('[data-testid=progress]')?.textContent === 'Loading bundles/demo/: waiting for boundaries-2010.topojson', null, { timeout: 20_000 });
      expect(await progress.locator('progress').count()).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, `loading-progress-${name}.png`) });
      await waitComplete(page);
      const l = await loads(page);
      expect(l.ranIn).toEqual(['worker']);
      expect(l.progress.some((p) => /^reading bundle\.json (\d+) KB( of \1 KB)?$/.test(p))).toBe(true);
      expect(l.progress.indexOf('waiting for boundaries-2010.topojson')).toBeGreaterThan(l.progress.indexOf('parsing income-2023.csv 54 KB'));
      expect(l.progress.some((p) => /^reading boundaries-2010\.topojson \d+ KB( of \d+ KB)?$/.test(p))).toBe(true);
      await progress.waitFor({ state: 'detached', timeout: 15_000 });
      await page.close();
    }
  });

  it('on a phone the progress line sits under the basemap note, not over it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.route('**/bundles/demo/*.topojson', async (route) => {
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue();
    });
    // The default basemap: its server cannot be reached here, so its note shows while the data load.
    await page.goto(`${server.url}/index.html?data=bundles/demo/`);
    const note = page.getByTestId('basemap-note');
    const progress = page.getByTestId('progress');
    await note.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=progress]')?.textContent === 'Loading bundles/demo/: waiting for boundaries-2010.topojson', null, { timeout: 20_000 });
    // The line fades in after 0.3 s (app.css): measure it once shown.
    await page.waitForTimeout(500);
    const [a, b] = [(await note.boundingBox())!, (await progress.boundingBox())!];
    expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
    await page.screenshot({ path: join(ARTIFACTS, 'loading-progress-phone-basemap-note.png') });
    await waitComplete(page);
    await page.close();
  });

  it('two vintages without a crosswalk: area weights computed in the worker, counted on the progress line, used by the change view', async () => {
    const { page, errors } = await open('?basemap=none&data=bundles/no-crosswalk/');
    await waitComplete(page);
    const l = await loads(page);
    expect(l.ranIn).toEqual(['worker']);
    const steps = l.progress.filter((p) => p.startsWith('crosswalk 2000→2010: '));
    expect(steps[0]).toBe(`crosswalk 2000→2010: 0 / ${tracts2000.toLocaleString('en-US')} tracts`);
    expect(steps[steps.length - 1]).toBe(`crosswalk 2000→2010: ${tracts2000.toLocaleString('en-US')} / ${tracts2000.toLocaleString('en-US')} tracts`);
    await page.evaluate(() => window.__tractmix!.apply({ mode: 'change', from: 2000, to: 2023 }));
    await page.waitForFunction(() => window.__tractmix!.change !== null, null, { timeout: 60_000 });
    expect(await page.evaluate(() => window.__tractmix!.changeRanIn())).toBe('worker');
    await expect(page.locator('.legend .sources, .sources').filter({ hasText: 'by area weights' }).count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opened files are read in the worker, with the steps on the progress line', async () => {
    const { page, errors } = await open('?basemap=none');
    await waitComplete(page);
    const before = (await loads(page)).progress.length;
    const files = ['bundle.json', 'boundaries-2000.topojson', 'boundaries-2010.topojson', 'income-2000.csv', 'income-2018.csv', 'income-2023.csv', 'crosswalk-2000-2010.csv'];
    await page.getByTestId('file-input').setInputFiles(files.map((f) => join(DEMO, f)));
    await page.getByTestId('show-map').waitFor({ timeout: 30_000 });
    const l = await loads(page);
    expect(l.ranIn).toEqual(['worker', 'worker']);
    const steps = l.progress.slice(before);
    expect(steps[0]).toMatch(/^reading 7 files \(\d+ KB\)$/);
    expect(steps).toContain(`joining ${rows2023.toLocaleString('en-US')} tracts to their boundaries`);
    expect(steps.some((p) => /^parsing income-2000\.csv \d+ KB$/.test(p))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an error raised in the worker is shown with its file and line (bundle at ?data= and opened files)', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'tractmix-load-')), 'broken');
    mkdirSync(broken);
    for (const f of readdirSync(DEMO)) copyFileSync(join(DEMO, f), join(broken, f));
    // Line 3's tract again at the end: a GEOID twice stops the read, naming the file, line and column.
    const text = readFileSync(join(DEMO, 'income-2023.csv'), 'utf8').trimEnd();
    const lines = text.split('\n');
    writeFileSync(join(broken, 'income-2023.csv'), `${text}\n${lines[2]}\n`);
    const geoid = lines[2].split(',')[0];
    const expected = `income-2023.csv, line ${lines.length + 1}, column "GEOID": GEOID ${geoid} appears twice (lines 3 and ${lines.length + 1}); expected one row per tract. Remove the duplicate row, or check whether two files were pasted together.`;
    const s = await startServer({ root: join(REPO, 'dist-test'), mounts: { '/bundles/broken/': broken } });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(`${s.url}/index.html?basemap=none&data=bundles/broken/`);
      const error = page.getByTestId('load-error');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.textContent()).toBe(expected);
      expect(await page.evaluate(() => window.__tractmix!.loads().ranIn)).toEqual(['worker']);
      await page.getByTestId('file-input').setInputFiles(['bundle.json', 'boundaries-2000.topojson', 'boundaries-2010.topojson', 'income-2000.csv', 'income-2018.csv', 'income-2023.csv', 'crosswalk-2000-2010.csv'].map((f) => join(broken, f)));
      const openError = page.getByTestId('open-error');
      await openError.waitFor({ timeout: 30_000 });
      expect(await openError.textContent()).toBe(expected);
      expect(await page.evaluate(() => window.__tractmix!.loads().ranIn)).toEqual(['worker', 'worker']);
      await page.close();
    } finally {
      await s.close();
    }
  });
});

describeRealData('a tiled bundle with income columns', () => {
  let bundle: string;
  let s: StaticServer;
  beforeAll(async () => {
    bundle = join(mkdtempSync(join(tmpdir(), 'tractmix-load-tiled-')), 'denver');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/tractmix.ts', 'build', '--boundaries', realDataPath('udp-denver/cb_2018_08_tract_500k.shp'), '--income', `2018=${realDataPath('udp-denver/Denvercensus_summ_2018.csv')}`, '--income', `2000=${realDataPath('udp-denver/Denvercensus_00_10_2018.csv')}`, '--name', 'Denver (tiled)', '--tiles', 'always', '--out', bundle],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(bundle).sort()).toEqual(['boundaries-main.pmtiles', 'bundle.json', 'income-columns.bin', 'tracts-main.csv']);
    s = await startServer({ root: join(REPO, 'dist-test'), mounts: { '/bundles/denver/': bundle } });
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('draws, with its income read from the columns file in the worker', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectConsoleErrors(page);
    await page.goto(`${s.url}/index.html?basemap=none&data=bundles/denver/`);
    await waitComplete(page);
    const l = await loads(page);
    expect(l.ranIn).toEqual(['worker']);
    const meta = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8'));
    expect(l.progress.some((p) => /^reading income-columns\.bin \d+(\.\d)? (KB|MB) \(income of 2 years\)$/.test(p))).toBe(true);
    expect(l.progress).toContain(`reading the tract list tracts-main.csv (${meta.boundaries[0].features.toLocaleString('en-US')} tracts)`);
    const analysed = await page.evaluate(() => window.__tractmix!.analysis!.geoids.length);
    expect(analysed).toBe(meta.years.find((y: { year: number }) => y.year === 2018).units);
    expect((await page.evaluate(() => window.__tractmix!.renderedIds())).length).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await page.close();
  });
});
