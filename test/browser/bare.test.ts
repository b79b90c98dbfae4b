/**
 * Smoke test of the map benchmark's baseline page (bare.html): the built page opens a bundle,
 * reaches 'idle' with every polygon drawn, recolours, and logs no error.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BundleMeta } from '../../src/data/bundle';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { writeTinyBundle } from './tinyBundle';

const DEMO = join(REPO, 'data', 'demo');

let server: StaticServer;
let browser: Browser;
/** Features the page must draw: the demo bundle's, or the tiny grid's when there is no demo yet. */
let expected: number;
let bundleName: string;

beforeAll(async () => {
  let folder = DEMO;
  if (existsSync(join(DEMO, 'bundle.json'))) {
    const meta = JSON.parse(readFileSync(join(DEMO, 'bundle.json'), 'utf8')) as BundleMeta;
    const key = meta.years.at(-1)?.boundaries ?? meta.boundaries[0].key;
    expected = meta.boundaries.find((b) => b.key === key)!.features;
    bundleName = 'demo';
  } else {
    folder = join(mkdtempSync(join(tmpdir(), 'tractmix-bare-')), 'tiny');
    expected = writeTinyBundle(folder).length;
    bundleName = 'tiny (data/demo/bundle.json is missing)';
  }
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/bundles/smoke/': folder } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('bare.html draws every polygon of the bundle, recolours, and logs no error', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/bare.html?data=${encodeURIComponent(`${server.url}/bundles/smoke/`)}`);
  await page.waitForFunction(() => window.__bare?.idleAt != null || window.__bare?.error != null, null, { timeout: 60_000 });
  const state = await page.evaluate(() => ({ idleAt: window.__bare!.idleAt!, features: window.__bare!.features, error: window.__bare!.error }));
  expect(state.error).toBeNull();
  expect(state.features).toBe(expected);
  // queryRenderedFeatures repeats a polygon on every tile it crosses: count distinct ids.
  const drawn = await page.evaluate(() => new Set(window.__bare!.map.queryRenderedFeatures({ layers: ['tracts'] }).map((f) => f.properties.GEOID)).size);
  expect(drawn).toBe(expected);

  const recolorMs = await page.evaluate(() => window.__bare!.recolor());
  expect(recolorMs).toBeGreaterThan(0);
  expect(await page.evaluate(() => JSON.stringify(window.__bare!.map.getPaintProperty('tracts', 'fill-color')))).toMatch(/^\["step"/);

  console.log(`bare.html, ${bundleName} bundle, ${expected} polygons: navigation → idle ${state.idleAt.toFixed(0)} ms, recolour → idle ${recolorMs.toFixed(0)} ms`);
  expect(errors).toEqual([]);
  expect(server.notFound).toEqual([]);
  await page.close();
});
