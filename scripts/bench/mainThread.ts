/**
 * Main-thread benchmark (issue 8: "the page never freezes"): the main thread's long tasks (> 50 ms,
 * PerformanceObserver 'longtask') in headless Chromium, for the demo and for Chicago (2000 and
 * 2014–18, so that it has a change view), from navigation until the page has settled, and from a
 * switch to the change view until it has settled again: the longest task and the sum of all long
 * tasks, and the ms the app's own analysis work (uncertainty, UDP, change view) took
 * on the main thread, as the app times it (test build). Each figure is compared with the same page run with `?analysis-on-main-thread` (test
 * build only): the uncertainty sample and the UDP files computed on the main
 * thread, and the dataset sent to the change worker with the first change view, as before the
 * analysis worker. Medians of several runs, both variants in the same run. The bare maplibre page
 * (bare.html) drawing the same polygons gives the floor: the long tasks of maplibre's own frames.
 *
 * Each phase is also traced (Chromium's `toplevel` and `gpu` categories) to split every long task
 * into the page's own work and the time its main thread waited for the GPU process: on this
 * machine's software WebGL (SwiftShader) and software compositing, each frame's commit reads the
 * map's canvas back (GLES2::ReadPixels) and so waits until SwiftShader has drawn it — a wait a GPU
 * machine does not have. "Own work" is a long task less those waits (CommandBufferProxyImpl::WaitFor…).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureAppBuilt, REPO } from '../../test/browser/build';
import { CHROMIUM_PATH, launchChromium } from '../../test/browser/chromium';
import { startServer } from '../../test/browser/server';
import { settle } from './settle';
import { buildChicagoBundle, median } from './common';

export interface LongTasks {
  /** ms of the longest task, and of all long tasks together. */
  longest: number;
  total: number;
  /** ms from the start of the phase until the page settled (1 s without a long task). */
  settled: number;
  /** ms the app's analysis jobs and change view took on the main thread in the phase (running there, or sending their data: `mainThreadWork()`). */
  work: number;
  /** From the trace: long tasks (count), ms of them spent waiting for the GPU process, and the longest and summed own work (a long task less its waits). */
  traced: number;
  gpuWait: number;
  ownLongest: number;
  ownTotal: number;
}

type Split = Pick<LongTasks, 'traced' | 'gpuWait' | 'ownLongest' | 'ownTotal'>;

const TRACE_CATEGORIES = ['toplevel', 'gpu'];

/** The long tasks of the renderer's main thread in a trace, each less the time it waited for the GPU process. */
export function splitLongTasks(trace: Buffer): Split {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) > 50_000);
  const waits = onMain.filter((e) => e.name.startsWith('CommandBufferProxyImpl::WaitFor'));
  const out: Split = { traced: tasks.length, gpuWait: 0, ownLongest: 0, ownTotal: 0 };
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const waited = waits.filter((w) => w.ts >= task.ts && w.ts + w.dur! <= end).reduce((sum, w) => sum + w.dur!, 0);
    const own = (task.dur! - waited) / 1000;
    out.gpuWait += waited / 1000;
    out.ownTotal += own;
    out.ownLongest = Math.max(out.ownLongest, own);
  }
  return out;
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

async function traced<T>(browser: Browser, page: Page, phase: () => Promise<T>): Promise<T & Split> {
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const result = await phase().catch(async (e: unknown) => {
    await browser.stopTracing();
    throw e;
  });
  return { ...result, ...splitLongTasks(await browser.stopTracing()) };
}

export interface MainThreadFigures {
  load: LongTasks;
  change: LongTasks;
}

const work = (page: Page) => page.evaluate(() => {
  const w = window.__tractmix!.mainThreadWork();
  return w.analysis + w.change;
});

async function longTasksSince(page: Page, t0: number): Promise<Pick<LongTasks, 'longest' | 'total'>> {
  return page.evaluate((since) => {
    const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= since);
    return { longest: Math.max(0, ...tasks.map((t) => t.duration)), total: tasks.reduce((s, t) => s + t.duration, 0) };
  }, t0);
}

/** A page that records its main thread's long tasks from its start. */
async function observedPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

/**
 * The floor: the bare maplibre page (bare.html, test build) drawing the same bundle's polygons as one
 * GeoJSON source, no React, no analysis. Its long tasks are maplibre's own frames on this machine's
 * software WebGL, which no app on maplibre avoids: navigation → settled.
 */
async function runBare(browser: Browser, bareUrl: string): Promise<Omit<LongTasks, 'work'>> {
  const page = await observedPage(browser);
  const figures = await traced(browser, page, async () => {
    await page.goto(bareUrl);
    await page.waitForFunction(() => window.__bare?.idleAt != null, null, { timeout: 300_000 });
    await settle(page);
    const settled = (await page.evaluate(() => performance.now())) - 1000;
    return { ...(await longTasksSince(page, 0)), settled };
  });
  await page.close();
  return figures;
}

/** One page: navigation → settled, then the change view → settled. */
async function run(browser: Browser, url: string): Promise<MainThreadFigures> {
  const page = await observedPage(browser);
  const load = await traced(browser, page, async () => {
    await page.goto(url);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 300_000 });
    await settle(page);
    // The settle waited 1 s after the last long task: that second is not part of the work.
    const settled = (await page.evaluate(() => performance.now())) - 1000;
    return { ...(await longTasksSince(page, 0)), settled, work: await work(page) };
  });
  const change = await traced(browser, page, async () => {
    const t0 = await page.evaluate(() => performance.now());
    await page.evaluate(() => window.__tractmix!.apply({ mode: 'change' }));
    await page.waitForFunction(() => window.__tractmix!.change !== null, null, { timeout: 300_000 });
    await settle(page);
    return { ...(await longTasksSince(page, t0)), settled: (await page.evaluate(() => performance.now())) - 1000 - t0, work: (await work(page)) - load.work };
  });
  await page.close();
  return { load, change };
}

export async function benchMainThread(runs = 3): Promise<string[]> {
  if (!existsSync(CHROMIUM_PATH)) return [`main thread: skipped — no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`];
  const lines = [
    `main thread: long tasks (> 50 ms) in headless Chromium, median of ${runs} runs: longest / sum of all, from navigation to settled and from a switch to the change view to settled; ` +
      'ratio = app ÷ the same page with ?analysis-on-main-thread (uncertainty and UDP files on the main thread, the dataset sent to the change worker with the first change view: as before the analysis worker), same run',
  ];
  const mounts: Record<string, string> = { '/bundles/demo/': join(REPO, 'data', 'demo') };
  const shared = process.env.TRACTMIX_SHARED ?? (existsSync(join(REPO, '..', 'shared', 'data')) ? join(REPO, '..', 'shared') : null);
  const chicago = shared ? buildChicagoBundle(shared, true) : null;
  if (chicago) mounts['/bundles/chicago/'] = chicago;
  const dist = await ensureAppBuilt();
  const server = await startServer({ root: dist, mounts });
  const browser = await launchChromium();
  try {
    for (const [name, bundle] of [['demo (430 tracts, MOEs)', 'demo'], ['Chicago (1,983 tracts, 2000 and 2014–18)', 'chicago']] as const) {
      if (bundle === 'chicago' && !chicago) {
        lines.push('  Chicago: skipped — the shared data folder was not found (set TRACTMIX_SHARED)');
        continue;
      }
      const url = `${server.url}/index.html?data=${encodeURIComponent(`${server.url}/bundles/${bundle}/`)}`;
      const app: MainThreadFigures[] = [];
      const before: MainThreadFigures[] = [];
      const bare: Omit<LongTasks, 'work'>[] = [];
      // Alternating which goes first: the first page of a pair was seen slower with the same build.
      for (let i = 0; i < runs; i++) {
        if (i % 2) before.push(await run(browser, `${url}&analysis-on-main-thread`));
        app.push(await run(browser, url));
        if (i % 2 === 0) before.push(await run(browser, `${url}&analysis-on-main-thread`));
        bare.push(await runBare(browser, `${server.url}/bare.html?data=${encodeURIComponent(`${server.url}/bundles/${bundle}/`)}`));
      }
      const m = (xs: MainThreadFigures[], phase: keyof MainThreadFigures, k: keyof LongTasks) => median(xs.map((x) => x[phase][k]));
      const r = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : a > 0 ? '∞' : '—');
      for (const phase of ['load', 'change'] as const) {
        const [l, lb, t, tb, s, sb, w, wb] = [m(app, phase, 'longest'), m(before, phase, 'longest'), m(app, phase, 'total'), m(before, phase, 'total'), m(app, phase, 'settled'), m(before, phase, 'settled'), m(app, phase, 'work'), m(before, phase, 'work')];
        lines.push(
          `  ${name}, ${phase === 'load' ? 'navigation → settled' : 'change view → settled'}: longest task ${l.toFixed(0)} / ${lb.toFixed(0)} ms (${r(l, lb)}), long tasks in all ${t.toFixed(0)} / ${tb.toFixed(0)} ms (${r(t, tb)}), ` +
            `analysis and change work on the main thread ${w.toFixed(0)} / ${wb.toFixed(0)} ms (${r(w, wb)}), settled after ${s.toFixed(0)} / ${sb.toFixed(0)} ms`,
        );
      }
      const bl = median(bare.map((b) => b.longest));
      const bt = median(bare.map((b) => b.total));
      const [al, at] = [m(app, 'load', 'longest'), m(app, 'load', 'total')];
      lines.push(
        `  ${name}, the bare maplibre page drawing the same polygons (the floor: maplibre's own frames), navigation → settled: longest task ${bl.toFixed(0)} ms, long tasks in all ${bt.toFixed(0)} ms; ` +
          `app ÷ bare: longest ${r(al, bl)}, in all ${r(at, bt)}`,
      );
      // The same long tasks, split by the trace into own work and the wait for the GPU process.
      const b = (k: keyof Split) => median(bare.map((x) => x[k]));
      for (const [label, of] of [['app, navigation → settled', (k: keyof Split) => m(app, 'load', k)], ['app, change view → settled', (k: keyof Split) => m(app, 'change', k)], ['bare page, navigation → settled', b]] as const) {
        lines.push(
          `  ${name}, ${label}, traced: ${of('traced').toFixed(0)} long tasks; waiting for the GPU process (software WebGL: each frame's commit reads the canvas back) ${of('gpuWait').toFixed(0)} ms; ` +
            `own work ${of('ownTotal').toFixed(0)} ms in all, longest ${of('ownLongest').toFixed(0)} ms`,
        );
      }
      lines.push(`  ${name}, own work app ÷ bare (navigation → settled): longest ${r(m(app, 'load', 'ownLongest'), b('ownLongest'))}, in all ${r(m(app, 'load', 'ownTotal'), b('ownTotal'))}; long tasks ${r(m(app, 'load', 'traced'), b('traced'))}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return lines;
}
