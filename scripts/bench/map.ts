/**
 * Map benchmark: navigation → idle map, and AMI change → repainted map, for the demo and for
 * Chicago, each as a ratio to a bare maplibre page (bare.html) drawing the same polygons,
 * measured in the same run, in headless Chromium (software WebGL). Medians of several runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureAppBuilt, REPO } from '../../test/browser/build';
import { CHROMIUM_PATH, launchChromium } from '../../test/browser/chromium';
import { startServer } from '../../test/browser/server';
import { settle } from './settle';
import { buildChicagoBundle, median } from './common';

const RUNS = 7;

async function measure(browser: Browser, base: string, bundle: string) {
  const app = { load: [] as number[], ami: [] as number[] };
  const bare = { load: [] as number[], recolor: [] as number[] };
  const data = encodeURIComponent(`${base}/bundles/${bundle}/`);
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/bare.html?data=${data}`);
    await page.waitForFunction(() => window.__bare?.idleAt != null, null, { timeout: 120_000 });
    bare.load.push(await page.evaluate(() => window.__bare!.idleAt!));
    await settle(page);
    bare.recolor.push(await page.evaluate(() => window.__bare!.recolor()));
    await page.close();

    const appPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await appPage.goto(`${base}/index.html?data=${data}`);
    await appPage.waitForFunction(() => window.__tractmix?.readyAt != null, null, { timeout: 120_000 });
    app.load.push(await appPage.evaluate(() => window.__tractmix!.readyAt!));
    // The latest year is drawn first; wait until every year is in, or apply() would resolve on that paint.
    await appPage.waitForFunction(() => window.__tractmix!.complete, null, { timeout: 120_000 });
    await settle(appPage);
    const ami = await appPage.evaluate(() => window.__tractmix!.analysis!.ami.dollars);
    app.ami.push(await appPage.evaluate((d) => window.__tractmix!.apply({ ami: { kind: 'typed', dollars: d, source: 'benchmark' } }), Math.round(ami * 1.1)));
    await appPage.close();
  }
  return { app: { load: median(app.load), ami: median(app.ami) }, bare: { load: median(bare.load), recolor: median(bare.recolor) } };
}

export async function benchMap(): Promise<string[]> {
  if (!existsSync(CHROMIUM_PATH)) return [`map: skipped — no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`];
  const lines: string[] = [`map: headless Chromium (software WebGL), median of ${RUNS} runs; ratio = app ÷ bare maplibre page drawing the same polygons`];
  const mounts: Record<string, string> = { '/bundles/demo/': join(REPO, 'data', 'demo') };
  const shared = process.env.TRACTMIX_SHARED ?? (existsSync(join(REPO, '..', 'shared', 'data')) ? join(REPO, '..', 'shared') : null);
  const chicago = shared ? buildChicagoBundle(shared, false) : null;
  if (chicago) mounts['/bundles/chicago/'] = chicago;
  const dist = await ensureAppBuilt();
  const server = await startServer({ root: dist, mounts });
  const browser = await launchChromium();
  try {
    for (const [name, bundle, count] of [['demo', 'demo', '430 tracts'], ['Chicago', 'chicago', '1,983 tracts']] as const) {
      if (bundle === 'chicago' && !chicago) {
        lines.push(`  Chicago: skipped — the shared data folder was not found (set TRACTMIX_SHARED)`);
        continue;
      }
      const m = await measure(browser, server.url, bundle);
      lines.push(
        `  ${name} (${count}): navigation → idle  app ${m.app.load.toFixed(0)} ms, bare ${m.bare.load.toFixed(0)} ms, ratio ${(m.app.load / m.bare.load).toFixed(2)}×  [target ≤ 1.3×]`,
        `  ${name} (${count}): AMI change → repaint  app ${m.app.ami.toFixed(0)} ms, bare recolour ${m.bare.recolor.toFixed(0)} ms, ratio ${(m.app.ami / m.bare.recolor).toFixed(2)}×  [target ≤ 1.5×]`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return lines;
}
