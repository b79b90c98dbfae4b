/**
 * What a person sees, compared with reviewed reference images (test/reference/*.png), as
 * maplibre's render tests do: the page is drawn in headless Chromium (software WebGL) and compared
 * pixel by pixel with pixelmatch.
 *
 * Tolerance: a pixel differs when its OKLab distance exceeds PIXEL_THRESHOLD (pixelmatch's default,
 * 0.1), anti-aliased pixels not counted; an image passes when at most MAX_DIFF_SHARE of its pixels
 * differ. Measured on this machine: 0 differing pixels in each of 3 runs of each image, and in a full
 * `npm test` run beside the other browser tests. 0.01% (130 pixels at 1440×900) leaves room for a few
 * glyphs antialiased differently and still catches one tract drawn in another class colour: the
 * smallest demo tract (99001019000) recoloured makes 150 pixels (0.0116%), the largest over 0.1%.
 *
 * `UPDATE_REFERENCE=1 npx vitest run test/browser/reference.test.ts` rewrites the references; look
 * at each one (and at the diff images in test-artifacts/reference/) before committing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';

const REFERENCE = join(REPO, 'test', 'reference');
const DIFFS = join(REPO, 'test-artifacts', 'reference');
const UPDATE = process.env.UPDATE_REFERENCE === '1';
/** pixelmatch's per-pixel threshold (OKLab distance, 0–1). */
const PIXEL_THRESHOLD = 0.1;
/** Largest share of differing pixels an image may have (see the README for the measured runs). */
const MAX_DIFF_SHARE = 0.0001;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(DIFFS, { recursive: true });
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Open a view and wait until everything it draws has arrived (map idle, uncertainty computed). */
async function openView(search: string, viewport: { width: number; height: number }, ready: (page: Page) => Promise<void>): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
  await ready(page);
  // every background result in (a loaded machine may still be sampling the margins of error, its
  // progress line over the map), then two frames for the panels and the map to take it
  await page.waitForFunction(() => window.__tractmix!.analysisWaiting() === 0, null, { timeout: 60_000 });
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // one more idle after the last change, so no tile is half drawn
  const idle = await page.evaluate(() => window.__tractmix!.idleCount);
  await page.evaluate(() => window.__tractmix!.map!.map.triggerRepaint());
  await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idle, { timeout: 30_000 });
  return { page, errors };
}

function decode(bytes: Buffer): PNG {
  return PNG.sync.read(bytes);
}

/** Compare a screenshot with its reference; writes the diff image; returns the differing share. */
function compare(name: string, shot: Buffer): { share: number; differing: number; pixels: number } {
  const path = join(REFERENCE, `${name}.png`);
  if (UPDATE || !existsSync(path)) {
    expect(UPDATE, `no reference image ${path}: run with UPDATE_REFERENCE=1, look at it, commit it`).toBe(true);
    mkdirSync(REFERENCE, { recursive: true });
    writeFileSync(path, shot);
  }
  const expected = decode(readFileSync(path));
  const actual = decode(shot);
  expect([actual.width, actual.height], `${name}: size`).toEqual([expected.width, expected.height]);
  const diff = new PNG({ width: expected.width, height: expected.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, expected.width, expected.height, { threshold: PIXEL_THRESHOLD });
  writeFileSync(join(DIFFS, `${name}-actual.png`), shot);
  writeFileSync(join(DIFFS, `${name}-diff.png`), PNG.sync.write(diff));
  const pixels = expected.width * expected.height;
  return { share: differing / pixels, differing, pixels };
}

const uncertaintyShown = (page: Page) => page.getByTestId('uncertain-count').waitFor({ timeout: 30_000 });

const VIEWS: { name: string; search: string; viewport: { width: number; height: number }; ready: (page: Page) => Promise<void> }[] = [
  { name: 'demo-default-1440x900', search: '', viewport: { width: 1440, height: 900 }, ready: uncertaintyShown },
  // On a phone the legend starts collapsed (its uncertainty line is not shown): wait for the basemap note,
  // the last thing to appear when the default basemap cannot be reached (tests resolve no other host).
  { name: 'demo-default-390x844', search: '', viewport: { width: 390, height: 844 }, ready: (page) => page.getByTestId('basemap-note').waitFor({ timeout: 30_000 }) },
  {
    name: 'demo-side-panel-1440x900',
    // a tract of the demo's 2019–23 year with margins of error: the panel shows its uncertainty too
    search: '?tract=99001000100',
    viewport: { width: 1440, height: 900 },
    ready: async (page) => {
      await uncertaintyShown(page);
      await page.getByTestId('side-panel').waitFor();
    },
  },
  {
    name: 'demo-change-1440x900',
    search: '?mode=change&color=transition',
    viewport: { width: 1440, height: 900 },
    ready: (page) => page.waitForFunction(() => window.__tractmix!.change !== null).then(() => undefined),
  },
];

describe('reference images (pixelmatch, at most 0.01% of pixels differ)', () => {
  for (const view of VIEWS) {
    it(view.name, async () => {
      const { page, errors } = await openView(view.search, view.viewport, view.ready);
      const shot = await page.screenshot({ type: 'png' });
      const r = compare(view.name, shot);
      console.info(`reference ${view.name}: ${r.differing} of ${r.pixels} pixels differ (${(r.share * 100).toFixed(4)}%)`);
      expect(r.share, `${view.name}: see test-artifacts/reference/${view.name}-diff.png`).toBeLessThanOrEqual(MAX_DIFF_SHARE);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
