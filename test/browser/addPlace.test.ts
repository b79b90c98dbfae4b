/**
 * "Add a place…" in real headless Chromium against the local stand-in for the Census Bureau's
 * services (test/helpers/censusServer.ts): place resolution, progress per request, the map drawn
 * from the fetched data, the bundle zip saved and reopened offline, the CLI command shown for years
 * across tract vintages, and a failing service's message. Screenshots at 1440×900 and 390×844.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { describeRealData } from '../helpers/realData';
import { startCensusServer, type CensusServer } from '../helpers/censusServer';

const ARTIFACTS = join(REPO, 'test-artifacts');

describeRealData('Add a place… (browser, local Census services double)', () => {
  let app: StaticServer;
  let census: CensusServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dist = await ensureAppBuilt();
    app = await startServer({ root: dist });
    census = await startCensusServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await census?.close();
  });

  async function openDialog(viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    const errors = collectConsoleErrors(page);
    await page.goto(`${app.url}/index.html`);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Add a place…' }).click();
    await page.getByTestId('place-input').fill('Denver County, CO');
    await page.locator('.add-place-dialog details.services summary').click();
    await page.getByTestId('api-base').fill(census.apiBase);
    await page.getByTestId('tigerweb-base').fill(census.tigerwebBase);
    return { page, errors };
  }

  it('fetches a county for two ACS periods, shows progress per request, draws it, and saves a bundle that reopens offline', async () => {
    census.clearFaults();
    census.log.length = 0;
    const { page, errors } = await openDialog();
    await expect.poll(() => page.getByTestId('place-resolved').textContent()).toBe('Denver County, CO: 1 county');
    // Default periods: 2010–14 and 2015–19, both on 2010 tracts.
    expect(await page.locator('.years-picker input:checked').evaluateAll((els) => els.map((e) => (e.parentElement as HTMLElement).textContent))).toEqual(['2010–14', '2015–19']);
    await page.getByTestId('fetch-place').click();
    await page.getByTestId('fetch-done').waitFor({ timeout: 60_000 });
    const items = await page.getByTestId('fetch-requests').locator('li').allTextContents();
    expect(items).toHaveLength(5);
    expect(items.every((t) => t.startsWith('✓'))).toBe(true);
    expect(items[0]).toMatch(/^✓ 2010–14 household income \(B19001, B19013\), Denver County, CO — \d+ KB$/);
    expect(items[4]).toMatch(/^✓ 2010 tract boundaries \(TIGERweb\), Denver County, CO/);
    expect(await page.getByTestId('fetch-done').textContent()).toBe('Fetched 144 tracts: Denver County, CO, 2010–14, 2015–19.');
    // The browser asked the API and TIGERweb, never the file server.
    expect(census.log.filter((l) => l.startsWith('/data/2014/acs/acs5') || l.startsWith('/data/2019/acs/acs5'))).toHaveLength(4);
    expect(census.log.some((l) => l.startsWith('/arcgis/rest/services/TIGERweb/tigerWMS_ACS2019/MapServer/8/query?'))).toBe(true);
    expect(census.log.some((l) => l.startsWith('/geo/'))).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'add-place-done-1440.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-bundle').click()]);
    const zipBytes = readFileSync((await download.path())!);
    const files = unzipSync(new Uint8Array(zipBytes));
    const meta = JSON.parse(strFromU8(files['bundle.json']));
    expect(meta.years.map((y: { year: number }) => y.year)).toEqual([2014, 2019]);
    expect(meta.createdBy).toBe('tractmix fetch');
    expect(meta.provenance.map((p: { what: string }) => p.what)).toContain('Census Bureau TIGERweb tracts (2010 vintage)');
    expect(download.suggestedFilename()).toMatch(/^tractmix-denver-county-co-2010-14-2015-19\.zip$/);

    await page.getByTestId('show-fetched').click();
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.renderedIds().length > 0, null, { timeout: 60_000 });
    const ids = await page.evaluate(() => [...new Set(window.__tractmix!.renderedIds())]);
    expect(ids.every((g) => g.startsWith('08031'))).toBe(true);
    expect(ids.length).toBeGreaterThan(100);
    await expect.poll(() => page.locator('.legend p.sources').first().textContent()).toMatch(/Showing 2015–19 \(2010–14, 2015–19 loaded\)/);
    await page.locator('.legend details.sources summary').click();
    expect(await page.getByTestId('provenance').locator('li').count()).toBe(5);
    await page.screenshot({ path: join(ARTIFACTS, 'add-place-map-1440.png') });
    // The change view opens on the fetched years.
    await page.getByTestId('mode-change').check();
    await page.getByTestId('flag-counts').waitFor({ timeout: 60_000 });
    expect(await page.locator('.legend').first().textContent()).toMatch(/2010–14 → 2015–19/);
    await page.screenshot({ path: join(ARTIFACTS, 'add-place-change-1440.png') });

    // Offline: the saved zip opens with Open data, no service asked.
    census.log.length = 0;
    await page.getByTestId('file-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/zip', buffer: zipBytes });
    await page.getByTestId('show-map').click();
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.renderedIds().length > 0, null, { timeout: 60_000 });
    expect(census.log).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('years on different tract vintages: the dialog explains and gives the one CLI command', async () => {
    const { page } = await openDialog({ width: 390, height: 844 });
    await page.locator('.years-picker label', { hasText: /^2000$/ }).locator('input').check();
    await page.getByTestId('needs-cli').waitFor();
    expect(await page.getByTestId('cli-command').textContent()).toBe('npm run -s tractmix -- fetch --place "Denver County, CO" --years 2000,2014,2019 --out bundles/denver-county-co');
    expect(await page.getByTestId('fetch-place').isDisabled()).toBe(true);
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    await page.screenshot({ path: join(ARTIFACTS, 'add-place-cli-390.png') });
    expect(width).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('a service that keeps failing gets a message naming it; the map stays as it was', async () => {
    census.faults.set('/data/', '500-always');
    const { page, errors } = await openDialog();
    await page.getByTestId('fetch-place').click();
    await page.getByTestId('fetch-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('fetch-error').textContent()).toMatch(/\/data\/2014\/acs\/acs5\?get=.*: 2010–14 household income .*no usable answer after 3 tries \(last: HTTP 500\)/);
    expect(await page.getByTestId('fetch-requests').locator('li[data-status="retrying"]').count()).toBe(1);
    census.clearFaults();
    // The demo is still on the map.
    expect(await page.evaluate(() => window.__tractmix!.renderedIds().length)).toBeGreaterThan(0);
    expect(errors.filter((e) => !e.includes('500 (Internal Server Error)'))).toEqual([]);
    await page.close();
  });
});
