/**
 * The work after the map is drawn — the uncertainty sample of the tracts and of the bundle's areas —
 * runs in the analysis worker (issue 8: heavy work off the main thread), and gives the same figures
 * as on the main thread (`?analysis-on-main-thread`, test build only): the export table with its
 * uncertainty columns is equal cell for cell. The county context comes with the loaded boundaries
 * (the loading worker finds it): no analysis job is asked for it, and the county names the search
 * offers are the same either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';

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
