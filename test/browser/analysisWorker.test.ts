/**
 * The work after the map is drawn — the uncertainty sample of the tracts and of the bundle's areas —
 * runs in the analysis worker (issue 8: heavy work off the main thread), and gives the same figures
 * as on the main thread (`?analysis-on-main-thread`, test build only): the export table with its
 * uncertainty columns is equal cell for cell. The county context comes with the loaded boundaries
 * (the loading worker finds it): no analysis job is asked for it, and the county names the search
 * offers are the same either way.
 *
 * The page never freezes for nothing either: on software WebGL every frame of the tract map holds the
 * main thread 0.15–0.4 s (its commit waits for the canvas to be drawn), so the app draws a frame only
 * when something on the map changes. Once the page has settled, asking again for what is already
 * shown (the same flags, colour-by, areas mode, paint) draws no frame and still reports the map
 * idle, and a real change draws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { settle } from '../../scripts/bench/settle';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist, mounts: { '/bundles/demo/': join(REPO, 'data', 'demo') } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The demo's export table once its uncertainty is shown, the counties the search finds, and where each job ran. */
async function demo(extra: string) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html?basemap=none${extra}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 90_000 });
  await page.getByTestId('uncertain-count').waitFor({ timeout: 60_000 });
  // The table carries the uncertainty columns once the sample has arrived.
  await page.waitForFunction(() => window.__tractmix!.table!.columns.some((c) => c.name === 'class_uncertain'), null, { timeout: 60_000 });
  const table = await page.evaluate(() => ({ columns: window.__tractmix!.table!.columns, rows: window.__tractmix!.table!.rows }));
  // Counties come from the context: typing "County" in the search lists them.
  await page.getByRole('searchbox').fill('County');
  await page.getByRole('option').first().waitFor({ timeout: 30_000 });
  const counties = (await page.getByRole('option').allInnerTexts()).filter((t) => /County/.test(t)).sort();
  const ranIn = await page.evaluate(() => window.__tractmix!.analysisRanIn());
  await page.close();
  return { table, counties, ranIn, errors };
}

describe('work after the map, in the analysis worker', () => {
  it('the uncertainty samples run in the worker and equal the main thread’s; the county context comes with the load', async () => {
    const worker = await demo('');
    const main = await demo('&analysis-on-main-thread');
    expect(worker.ranIn.uncertainty.length).toBeGreaterThan(0);
    expect(new Set(worker.ranIn.uncertainty)).toEqual(new Set(['worker']));
    expect(new Set(main.ranIn.uncertainty)).toEqual(new Set(['main thread']));
    expect(worker.table.columns).toEqual(main.table.columns);
    expect(worker.table.rows.length).toBe(430);
    expect(worker.table.rows).toEqual(main.table.rows);
    expect(Object.keys(worker.ranIn).sort()).toEqual(['udp', 'uncertainty']);
    expect(worker.counties.length).toBeGreaterThan(0);
    expect(worker.counties).toEqual(main.counties);
    expect(worker.errors).toEqual([]);
    expect(main.errors).toEqual([]);
  });
});

describe('frames drawn only for a change', () => {
  it('the same flags, colour-by, areas mode and figures again: no frame, the idle still reported; a new colour-by draws', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/index.html?basemap=none`);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 90_000 });
    await page.waitForFunction(() => window.__tractmix!.analysisWaiting() === 0, null, { timeout: 60_000 });
    // The county context came with the boundaries: on the map, and no analysis job was run for it.
    await page.waitForFunction(() => window.__tractmix!.map!.map.querySourceFeatures('ctx').some((f) => f.properties.kind === 'county-name'), null, { timeout: 30_000 });
    expect(Object.keys(await page.evaluate(() => window.__tractmix!.analysisRanIn())).sort()).toEqual(['udp', 'uncertainty']);
    await settle(page);
    await page.evaluate(() => {
      const w = window as unknown as { __renders: number };
      w.__renders = 0;
      window.__tractmix!.map!.map.on('render', () => w.__renders++);
    });
    const renders = () => page.evaluate(() => (window as unknown as { __renders: number }).__renders);
    const idleBefore = await page.evaluate(() => window.__tractmix!.idleCount);
    await page.evaluate(async () => {
      const h = window.__tractmix!;
      const tm = h.map!;
      // What the map already shows (TractMap's own fields: private to TypeScript only).
      const shown = tm as unknown as { figures: Parameters<typeof tm.setPaint>[0]; colorBy: Parameters<typeof tm.setColorBy>[0] };
      await tm.showFlags(false);
      await tm.setColorBy({ ...shown.colorBy });
      h.layers!.areasLayer.current?.setMode('off');
      await tm.setPaint(shown.figures);
      tm.settle();
    });
    // Both the frame a change asks for and the idle it ends in come within a few animation frames.
    await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idleBefore, { timeout: 10_000 });
    await page.waitForTimeout(500);
    expect(await renders()).toBe(0);

    await page.getByTestId('color-by').selectOption('entropy');
    await expect.poll(renders, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
