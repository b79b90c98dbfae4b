/**
 * No dead ends in the app (issue 9): a failing basemap (404, no CORS, data:, javascript:, a
 * stalled server), a stalled or dropped bundle download, a hostile ?data= or ?view= — each gets
 * a message naming what failed, within the fetch timeout, and wherever there are tracts to draw
 * they are drawn. Opening files over a ?data= bundle shows the files, not the demo.
 * Tracts are seen in screenshots (pixels of the map that are neither background nor white).
 */
import { STYLE_TIMEOUT_MS } from '../../src/map/basemap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FETCH_TIMEOUT_SECONDS } from '../../src/data/limits';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';

const ARTIFACTS = join(REPO, 'test-artifacts');
let app: StaticServer;
let hostile: Server;
let hostileUrl: string;
let browser: Browser;
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dist = await ensureAppBuilt();
  app = await startServer({ root: dist, mounts: { '/bundles/demo/': join(REPO, 'data', 'demo') } });
  // Another origin that misbehaves on purpose.
  hostile = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/stall/')) {
      hanging.push(res); // never answered
      return;
    }
    if (path === '/drop/bundle.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000', 'access-control-allow-origin': '*' });
      res.write('{"format": "tractmix-bundle", ');
      setTimeout(() => res.destroy(), 50);
      return;
    }
    if (path === '/nocors/style.json') {
      res.writeHead(200, { 'content-type': 'application/json' }); // no Access-Control-Allow-Origin
      res.end(JSON.stringify({ version: 8, sources: {}, layers: [] }));
      return;
    }
    res.writeHead(404, { 'access-control-allow-origin': '*' }).end('not found');
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await browser?.close();
  await app?.close();
  await new Promise((resolve) => hostile?.close(resolve));
});

async function open(search: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = collectConsoleErrors(page);
  await page.goto(`${app.url}/index.html${search}`);
  return { page, errors };
}

/** Share of the map's pixels painted as tracts: neither the background (#eef0f2) nor white lines. */
async function tractShare(page: Page): Promise<number> {
  const png = await page.getByTestId('map').screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      const background = Math.abs(r - 0xee) + Math.abs(g - 0xf0) + Math.abs(b - 0xf2) < 12;
      const white = r > 245 && g > 245 && b > 245;
      if (!background && !white) painted++;
    }
    return painted / (data.length / 4);
  }, png.toString('base64'));
}

/** Wait until the demo's tracts are on screen (the legend is up and the map is painted). */
async function waitForTracts(page: Page): Promise<number> {
  await page.locator('.legend').first().waitFor({ timeout: 60_000 });
  let share = 0;
  for (let i = 0; i < 40 && share < 0.2; i++) {
    await page.waitForTimeout(500);
    share = await tractShare(page);
  }
  return share;
}

describe('a basemap that cannot be used: a notice naming it, and the tracts drawn on the plain background', () => {
  it.each([
    ['404', () => `${app.url}/no/such/style.json`, /Basemap not shown: the server answered 404/],
    ['no CORS', () => `${hostileUrl}/nocors/style.json`, /Basemap not shown: its server could not be reached \(offline or blocked\)/],
    ['data:', () => 'data:application/json,{"version":8,"sources":{},"layers":[]}', /"data:" addresses are not loaded/],
    ['javascript:', () => 'javascript:alert(1)', /"javascript:" addresses are not loaded/],
  ])('%s', async (name, url, message) => {
    const { page } = await open(`?basemap=${encodeURIComponent(url())}`);
    expect(await waitForTracts(page)).toBeGreaterThan(0.2);
    await expect(page.getByTestId('basemap-note').textContent()).resolves.toMatch(message);
    await page.screenshot({ path: join(ARTIFACTS, `basemap-${name.replace(/\W+/g, '')}.png`) });
    await page.close();
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${app.url}/index.html?basemap=${encodeURIComponent(url())}`);
    await phone.getByTestId('basemap-note').waitFor({ timeout: 60_000 });
    await phone.waitForTimeout(1500);
    await phone.screenshot({ path: join(ARTIFACTS, `basemap-${name.replace(/\W+/g, '')}-390.png`) });
    await phone.close();
  });
});

describe('downloads that fail: a message naming the file and what went wrong', () => {
  it(`stalled servers: the bundle gives up after ${FETCH_TIMEOUT_SECONDS} s and the basemap after ${STYLE_TIMEOUT_MS / 1000} s, each with a message`, async () => {
    const [data, basemap] = await Promise.all([open(`?data=${encodeURIComponent(`${hostileUrl}/stall/`)}`), open(`?basemap=${encodeURIComponent(`${hostileUrl}/stall/style.json`)}`)]);
    const deadline = (FETCH_TIMEOUT_SECONDS + 20) * 1000;
    await data.page.getByTestId('load-error').waitFor({ timeout: deadline });
    expect(await data.page.getByTestId('load-error').textContent()).toMatch(new RegExp(`stall/bundle\\.json: the server sent nothing for ${FETCH_TIMEOUT_SECONDS} s before it answered.*Check the \\?data= address`));
    await expect(data.page.getByTestId('dataset-name').textContent()).resolves.toBe('No data loaded');
    await basemap.page.getByTestId('basemap-note').waitFor({ timeout: deadline });
    expect(await basemap.page.getByTestId('basemap-note').textContent()).toMatch(new RegExp(`Basemap not shown: no answer within ${STYLE_TIMEOUT_MS / 1000} s`));
    expect(await waitForTracts(basemap.page)).toBeGreaterThan(0.2);
    await data.page.close();
    await basemap.page.close();
  });
  it('a connection dropped in the middle of a file', async () => {
    const { page } = await open(`?data=${encodeURIComponent(`${hostileUrl}/drop/`)}`);
    await page.getByTestId('load-error').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('load-error').textContent()).toMatch(/drop\/bundle\.json: the connection failed while sending the file \(.+\): the server is unreachable, the connection dropped/);
    await page.close();
  });
  it.each([
    ['javascript:alert(1)', /"javascript:" addresses are not loaded/],
    ['data:application/json,{}', /"data:" addresses are not loaded/],
    [`${'x'.repeat(2100)}`, null],
  ])('?data=%s gets a message, not a raw error', async (value, message) => {
    const { page, errors } = await open(`?data=${encodeURIComponent(value)}`);
    if (message) {
      await page.getByTestId('load-error').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('load-error').textContent()).toMatch(message);
      expect(await page.getByTestId('load-error').textContent()).not.toMatch(/Failed to construct|Invalid URL/);
    } else {
      // An overlong address is dropped from the state: the demo opens.
      expect(await waitForTracts(page)).toBeGreaterThan(0.2);
    }
    expect(errors.filter((e) => e.startsWith('page error'))).toEqual([]);
    await page.close();
  });
});

describe('hostile view parameters', () => {
  it.each([
    ['?view=0,95,3', '?view=0,95,3'],
    ['?view=-500,40,99', '?view=-500,40,99'],
    // Short values, so the link fits the test server's 16 KB header limit.
    ['5,000 cut points', `?scheme=custom&cuts=ami:${Array.from({ length: 5000 }, (_, i) => i % 10).join(',')}`],
  ])('%s opens the demo without an error', async (_name, search) => {
    const { page, errors } = await open(search);
    expect(await waitForTracts(page)).toBeGreaterThan(0.2);
    expect(errors.filter((e) => e.startsWith('page error'))).toEqual([]);
    await page.close();
  });
});

describe('files opened over a ?data= bundle', () => {
  it('are shown, not replaced by the demo', async () => {
    const { page, errors } = await open('?data=/bundles/demo/');
    await waitForTracts(page);
    const bundleName = await page.getByTestId('dataset-name').textContent();
    await page.getByTestId('file-input').setInputFiles([
      { name: 'my-tracts_2018.csv', mimeType: 'text/csv', buffer: readFileSync(join(REPO, 'data', 'demo', 'income-2018.csv')) },
      { name: 'my-boundaries.topojson', mimeType: 'application/json', buffer: readFileSync(join(REPO, 'data', 'demo', 'boundaries-2010.topojson')) },
    ]);
    await page.getByTestId('show-map').click();
    await page.waitForTimeout(4000); // the demo, were it loaded, would have replaced the files by now
    const name = await page.getByTestId('dataset-name').textContent();
    expect(name).not.toBe(bundleName);
    expect(name).toContain('my-tracts_2018.csv');
    expect(await tractShare(page)).toBeGreaterThan(0.2);
    await page.screenshot({ path: join(ARTIFACTS, 'files-over-bundle.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
