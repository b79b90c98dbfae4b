/**
 * The change view in headless Chromium on the demo: flags are drawn (pixels of each flag's outline
 * colour appear, and vanish when the flag layers are hidden), the legend counts each flag as the
 * CLI does, and each tract's checklist in the side panel matches the CLI's criterion columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { FLAG_STYLES, hexToRgb } from '../../src/map/colors';
import { ensureAppBuilt, REPO } from './build';
import { collectConsoleErrors, launchChromium } from './chromium';
import { startServer, type StaticServer } from './server';
import { describeRealData, realDataPath, UDP_REGIONS } from '../helpers/realData';

const ARTIFACTS = join(REPO, 'test-artifacts');
let server: StaticServer;
let browser: Browser;
let cli: Record<string, string>[];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023'], { cwd: REPO, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  cli = Papa.parse<Record<string, string>>(r.stdout, { header: true, skipEmptyLines: true }).data;
  const dist = await ensureAppBuilt();
  server = await startServer({ root: dist });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(search: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors = collectConsoleErrors(page);
  await page.goto(`${server.url}/index.html${search}`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete && window.__tractmix.change !== null, null, { timeout: 60_000 });
  return { page, errors };
}

/** A flag's count as the legend shows it on screen (the row's visible number). */
async function shownFlagCount(page: Page, flag: string): Promise<number> {
  const n = page.locator(`[data-testid=flag-counts] li[data-flag="${flag}"] .n`);
  await n.waitFor({ state: 'visible' });
  const text = await n.innerText();
  expect(text, flag).toMatch(/^\d{1,3}(,\d{3})*$/);
  return Number(text.replace(/,/g, ''));
}

/** Pixels of the canvas within a small distance of a colour. */
async function pixelsOf(page: Page, hex: string): Promise<number> {
  const [r, g, b] = hexToRgb(hex);
  return page.evaluate(
    ([r, g, b]) => {
      const canvas = window.__tractmix!.map!.map.getCanvas();
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
      const px = new Uint8Array(canvas.width * canvas.height * 4);
      gl.readPixels(0, 0, canvas.width, canvas.height, gl.RGBA, gl.UNSIGNED_BYTE, px);
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 24) n++;
      return n;
    },
    [r, g, b] as const,
  );
}

describe('the change view (demo, 2000 → 2023)', () => {
  it('draws each flag as an outline and counts it in the legend as the CLI does', async () => {
    const { page, errors } = await open('?mode=change&color=transition');
    const flags = ['stable_mixed', 'income_upgrading', 'transitional'] as const;
    for (const f of flags) {
      expect(await shownFlagCount(page, f), f).toBe(cli.filter((r) => r[f] === '1').length);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'change-view.png') });
    const before = { stable: await pixelsOf(page, FLAG_STYLES.stable_mixed.color), transitional: await pixelsOf(page, FLAG_STYLES.transitional.color) };
    expect(before.stable).toBeGreaterThan(500);
    expect(before.transitional).toBeGreaterThan(200);
    const idle = await page.evaluate(() => window.__tractmix!.idleCount);
    await page.evaluate(() => {
      const m = window.__tractmix!.map!.map;
      for (const l of ['flag-stable_mixed', 'flag-income_upgrading', 'flag-transitional']) m.setLayoutProperty(l, 'visibility', 'none');
    });
    await page.waitForFunction((n) => window.__tractmix!.idleCount > n, idle);
    expect(await pixelsOf(page, FLAG_STYLES.stable_mixed.color)).toBeLessThan(before.stable / 20);
    expect(await pixelsOf(page, FLAG_STYLES.transitional.color)).toBeLessThan(before.transitional / 20);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('adjusting a threshold recomputes the flags in place and goes into the URL', async () => {
    const { page, errors } = await open('?mode=change');
    const count = () => shownFlagCount(page, 'income_upgrading');
    expect(await count()).toBe(cli.filter((r) => r.income_upgrading === '1').length);
    expect(await count()).toBeGreaterThan(0);
    await page.getByTestId('thresholds').locator('summary').click();
    await page.getByTestId('min-growth').fill('500');
    await page.waitForFunction(() => window.__tractmix!.change!.thresholds.minRealGrowth === 5);
    await expect.poll(count).toBe(0);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toContain('growth=5');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('warns, visibly, when the two ACS periods overlap (files dropped on the page)', async () => {
    const { page, errors } = await open('?mode=change');
    const demo = (f: string) => readFileSync(join(REPO, 'data', 'demo', f), 'utf8');
    // The demo's 2019–23 table relabelled as ACS 2012–16, beside 2014–18: the periods share three years.
    const files = [
      { name: 'income-2016.csv', text: demo('income-2023.csv').replace(/_23\b/g, '_16') },
      { name: 'income-2018.csv', text: demo('income-2018.csv') },
      { name: 'tracts.topojson', text: demo('boundaries-2010.topojson') },
    ];
    await page.evaluate((list) => {
      const transfer = new DataTransfer();
      for (const f of list) transfer.items.add(new File([f.text], f.name));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    }, files);
    await page.getByTestId('show-map').click({ timeout: 60_000 });
    await page.getByTestId('mode-change').check();
    const warning = page.getByTestId('change-warning').first();
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.textContent()).toMatch(/ACS 5-year periods 2012–2016 and 2014–2018 overlap by 3 years/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows each flag's checklist in the side panel, matching the CLI's criterion columns", async () => {
    const pick = (f: string) => cli.find((r) => r[f] === '1')!.GEOID;
    const tracts = [pick('stable_mixed'), pick('transitional'), cli.find((r) => r.income_upgrading === '1' && r.transitional === '0')!.GEOID, cli.find((r) => r.boundary_changed === '1')!.GEOID, cli[7].GEOID];
    for (const geoid of tracts) {
      const { page, errors } = await open(`?mode=change&tract=${geoid}`);
      const panel = page.getByTestId('side-panel');
      await panel.waitFor();
      const row = cli.find((r) => r.GEOID === geoid)!;
      // What is on screen: the ✓ / ✗ mark of each criterion, and "yes" / "no" after each flag's name.
      const items = await panel.locator('li[data-criterion]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-criterion'), (e as HTMLElement).innerText.trim()[0]]));
      expect(items.length).toBe(12);
      for (const [criterion, mark] of items) expect(mark, `${geoid} ${criterion}`).toBe(row[criterion!] === '1' ? '✓' : '✗');
      const flagValues = await panel.locator('section[data-flag]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-flag'), (e.querySelector('h4 strong') as HTMLElement).innerText]));
      expect(flagValues).toHaveLength(3);
      for (const [flag, value] of flagValues) expect(value, `${geoid} ${flag}`).toBe(row[flag!] === '1' ? 'yes' : 'no');
      if (geoid === tracts[1]) await page.screenshot({ path: join(ARTIFACTS, 'change-side-panel.png') });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});

describeRealData('UDP regions open from their files and compare 2000 with 2014–18 out of the box', () => {
  for (const region of UDP_REGIONS) {
    it(`${region.city}: flags in the app equal the CLI's`, async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, acceptDownloads: true });
      const errors = collectConsoleErrors(page);
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
      const files = ['shp', 'dbf', 'prj', 'cpg'].map((e) => realDataPath(`${region.dir}/${region.shp}.${e}`));
      files.push(realDataPath(`${region.dir}/${region.summ}`), realDataPath(`${region.dir}/${region.xwalk00}`));
      await page.getByTestId('file-input').setInputFiles(files);
      await page.getByTestId('show-map').click({ timeout: 60_000 });
      await page.waitForFunction(() => window.__tractmix!.status === 'ready', null, { timeout: 60_000 });
      await page.getByTestId('mode-change').check();
      await page.waitForFunction(() => window.__tractmix!.change !== null, null, { timeout: 60_000 });
      await page.getByTestId('flag-counts').waitFor();
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'change', '--income', `2000=${realDataPath(`${region.dir}/${region.xwalk00}`)}`, '--income', `2018=${realDataPath(`${region.dir}/${region.summ}`)}`], { cwd: REPO, encoding: 'utf8' });
      const rowsOfCli = Papa.parse<Record<string, string>>(r.stdout, { header: true, skipEmptyLines: true }).data;
      for (const f of ['stable_mixed', 'income_upgrading', 'transitional']) {
        expect(await shownFlagCount(page, f), `${region.city} ${f}`).toBe(rowsOfCli.filter((x) => x[f] === '1').length);
      }
      if (region.city === 'Chicago') await page.screenshot({ path: join(ARTIFACTS, 'chicago-change.png') });
      if (region.city === 'Denver') {
        // Governing 2015 from the files' home value, education and population columns, as the CLI computes it.
        const gov = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'change', '--definition', 'governing', '--income', `2000=${realDataPath(`${region.dir}/${region.xwalk00}`)}`, '--income', `2018=${realDataPath(`${region.dir}/${region.summ}`)}`], { cwd: REPO, encoding: 'utf8' });
        const govRows = Papa.parse<Record<string, string>>(gov.stdout, { header: true, skipEmptyLines: true }).data;
        await page.getByTestId('definition').selectOption('governing');
        const li = page.locator('[data-testid=flag-counts] li[data-flag="definition"]');
        await li.waitFor();
        expect(await shownFlagCount(page, 'definition')).toBe(govRows.filter((x) => x.gov_gentrified === '1').length);
        expect(govRows.filter((x) => x.gov_gentrified === '1').length).toBeGreaterThan(0);
        await page.screenshot({ path: join(ARTIFACTS, 'denver-governing.png') });
        // Select the Governing-gentrified tracts with the rule form; their export carries the gov_* columns as the CLI writes them.
        const called = govRows.filter((x) => x.gov_gentrified === '1');
        await page.getByTestId('rule-form').locator('summary').click();
        await page.getByTestId('rule-flag-gov_gentrified').selectOption('yes');
        expect(await page.getByTestId('rule-input').inputValue()).toBe('gov_gentrified=1');
        await page.getByTestId('rule-select').click();
        expect(await page.getByTestId('selection-count').textContent()).toBe(String(called.length));
        await page.getByTestId('export-menu').locator('summary').click();
        await page.getByTestId('export-scope-selection').check();
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
        const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
        const exported = Papa.parse<Record<string, string>>(strFromU8(zip[Object.keys(zip).find((f) => f.endsWith('.csv'))!]), { header: true, skipEmptyLines: true });
        const govColumns = Object.keys(govRows[0]).filter((c) => c.startsWith('gov_'));
        expect(govColumns.length).toBeGreaterThan(3);
        for (const c of govColumns) expect(exported.meta.fields).toContain(c);
        expect(exported.data.map((x) => x.GEOID).sort()).toEqual(called.map((x) => x.GEOID).sort());
        const cliById = new Map(called.map((x) => [x.GEOID, x]));
        for (const row of exported.data) for (const c of govColumns) expect(row[c], `${row.GEOID} ${c}`).toBe(cliById.get(row.GEOID)![c]);
        expect(JSON.parse(strFromU8(zip['method.json'])).selection).toMatchObject({ scope: 'selection', rule: 'gov_gentrified=1', tracts: called.length });
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describeRealData('the UDP typology in the app (Denver raw files + UDP typology output)', () => {
  it('outlines the gentrifying classes and shows the class checklist, as the CLI computes them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const errors = collectConsoleErrors(page);
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 60_000 });
    const d = (f: string) => realDataPath(`udp-denver/${f}`);
    const files = ['shp', 'dbf', 'prj', 'cpg'].map((e) => d(`cb_2018_08_tract_500k.${e}`));
    files.push(d('Denvercensus_summ_2018.csv'), d('Denvercensus_00_10_2018.csv'), d('Denvercensus_90_10_2018.csv'), d('Denver_typology_output.csv'));
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('show-map').click({ timeout: 60_000 });
    await page.waitForFunction(() => window.__tractmix!.status === 'ready', null, { timeout: 60_000 });
    await page.getByTestId('mode-change').check();
    await page.getByTestId('from-year').selectOption('2000');
    await page.getByTestId('to-year').selectOption('2018');
    await page.getByTestId('definition').selectOption('udp');
    const li = page.locator('[data-testid=flag-counts] li[data-flag="definition"]');
    await li.waitFor({ timeout: 60_000 });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'change', '--definition', 'udp', '--income', `2018=${d('Denvercensus_summ_2018.csv')}`, '--income', `2000=${d('Denvercensus_00_10_2018.csv')}`, '--income', `1990=${d('Denvercensus_90_10_2018.csv')}`, '--boundaries', d('cb_2018_08_tract_500k.shp'), '--external', d('Denver_typology_output.csv'), '--from', '2000', '--to', '2018'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(r.stdout, { header: true, skipEmptyLines: true }).data;
    const gentrifying = rows.filter((x) => x.udp_typology === 'EOG' || x.udp_typology === 'AdvG');
    expect(await shownFlagCount(page, 'definition')).toBe(gentrifying.length);
    expect(gentrifying.length).toBeGreaterThan(10);
    // UDP's files were read and typed in the analysis worker, off the main thread (issue 8).
    expect((await page.evaluate(() => window.__tractmix!.analysisRanIn())).udp).toEqual(['worker']);
    // the side panel of a gentrifying tract shows its class and the criteria of that class
    const geoid = gentrifying[0].GEOID;
    await page.getByRole('button', { name: 'Table' }).click();
    await page.getByRole('button', { name: geoid, exact: true }).click();
    const panel = page.getByTestId('side-panel');
    await panel.waitFor();
    const section = panel.locator('section[data-definition="udp"]');
    expect(await section.locator('h4 strong').innerText()).toBe(gentrifying[0].udp_typology_label);
    expect(await section.locator('li[data-criterion]').count()).toBeGreaterThan(3);
    await page.getByRole('button', { name: 'Map' }).click();
    await page.screenshot({ path: join(ARTIFACTS, 'denver-udp.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

