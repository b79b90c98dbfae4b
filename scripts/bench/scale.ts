/**
 * Scale benchmark (issue 10): real tract geometry replicated to 2k … 85k tracts (scaleSets.ts),
 * built into tiled bundles, drawn in headless Chromium by the app and by a bare maplibre page
 * (the same tiles, and the same polygons as one GeoJSON source), each figure with its ratio to
 * the floor measured in the same run. Also: `tractmix build` time and peak memory, and the area
 * crosswalk between a set and a copy of it shifted by ~50 m (every neighbouring pair intersects).
 */
import { median } from './common';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { areaCrosswalk } from '../../src/core/crosswalk';
import type { BoundaryFeature } from '../../src/data/boundaries';
import { gzipSync } from 'node:zlib';
import { readIncomeTable } from '../../src/data/income';
import { readIncomeColumns, writeIncomeColumns } from '../../src/data/incomeColumns';
import { ensureAppBuilt, REPO } from '../../test/browser/build';
import { CHROMIUM_PATH, launchChromium } from '../../test/browser/chromium';
import { startServer } from '../../test/browser/server';
import { scaleSet, type ScaleSet } from './scaleSets';
import { settle } from './settle';

export interface ScaleOptions {
  readonly shared: string;
  /** Scale sets and bundles are kept here between runs (outside the repository). */
  readonly cache: string;
  readonly sizes: readonly number[];
  readonly runs: number;
  /** Also draw the polygons as one GeoJSON source on the bare page (slow at 85k: ~25 s a run). */
  readonly geojsonBaseline: boolean;
  readonly browser: boolean;
  /** Only the income formats (no build, crosswalk or browser): quick at any size. */
  readonly incomeOnly?: boolean;
  /** Reuse a tiled bundle already in the cache: no build, no crosswalk (for iterating on the app). */
  readonly reuse?: boolean;
}

export interface ScaleFigures {
  tracts: number;
  /** Wall time, and CPU time (user + system: the machine may be busy with other work). */
  build?: { seconds: number; cpuSeconds: number; maxRssMb: number; tileMb: number };
  crosswalk?: { seconds: number; rows: number };
  /** Both income years as CSVs vs one income columns file: bytes (raw, gzip) and ms to parse. */
  income: { csvBytes: number; columnsBytes: number; csvGzip: number; columnsGzip: number; csvMs: number; columnsMs: number };
  /**
   * `ami`, `colorBy`, `year`: the median repaint over every run's CHANGE_ROUNDS changes of each kind;
   * `…First`: the first change of each kind on each page only (its code and panels not yet warm).
   */
  app?: { load: number; pssMb: number; settledPssMb: number; ami: number; colorBy: number; year: number; amiFirst: number; colorByFirst: number; yearFirst: number; hoverFrame: number; tableRows: number; longestTask: number; complete: number };
  /** The same app loading on the main thread (`?load-on-main-thread`, test build): first map, all years, longest task. */
  mainThreadLoad?: { load: number; complete: number; longestTask: number };
  /** `recolor`: the median of every run's CHANGE_ROUNDS recolours; `recolorFirst`: each page's first. */
  bare?: { tilesLoad: number; recolor: number; recolorFirst: number; pssMb: number; geojsonLoad: number | null };
}

/**
 * Changes of each kind measured on each page, each from a settled page: a single change spreads
 * ±50 % on this kind of machine (2,000 tracts: the bare recolour 20–60 ms in one run), so each
 * figure is the median of runs × rounds, and the first change of each page is reported apart.
 */
const CHANGE_ROUNDS = 3;

/** `tractmix build` in a child process: wall time and peak resident memory. */
function build(set: ScaleSet, out: string, tiles: 'always' | 'never'): { seconds: number; cpuSeconds: number; maxRssMb: number } {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', '--import', './scripts/bench/maxrss.ts', 'scripts/tractmix.ts', 'build', '--boundaries', set.boundaries, ...Object.entries(set.income).flatMap(([y, f]) => ['--income', `${y}=${f}`]), '--name', `${set.tracts} tracts (benchmark)`, '--tiles', tiles, '--out', out],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`tractmix build failed: ${r.stderr.slice(-2000)}`);
  const m = /tractmix-bench max-rss-kb (\d+) cpu-us (\d+)/.exec(r.stderr);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: Number(m?.[2] ?? NaN) / 1e6, maxRssMb: Number(m?.[1] ?? NaN) / 1024 };
}

/** Proportional set size (MB) of this bench's Chromium renderer and GPU processes (/proc/<pid>/smaps_rollup). */
function chromiumPssMb(): number {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  let kb = 0;
  for (const pid of parent.keys()) {
    if (!ours(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/--type=(renderer|gpu-process)/.test(cmd)) continue;
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** The bare page: navigation → idle, PSS once settled, then `recolours` recolours (the GeoJSON page, drawn for its load only, makes none). */
async function bare(browser: Browser, url: string, recolours = CHANGE_ROUNDS): Promise<{ load: number; recolor: number[]; pssMb: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForFunction(() => window.__bare?.idleAt != null || window.__bare?.error != null, null, { timeout: 600_000 });
  const error = await page.evaluate(() => window.__bare!.error);
  if (error) throw new Error(`bare page: ${error}`);
  const load = await page.evaluate(() => window.__bare!.idleAt!);
  await settle(page);
  const pssMb = chromiumPssMb();
  const recolor: number[] = [];
  for (let round = 0; round < recolours; round++) {
    if (round > 0) await settle(page, 500);
    recolor.push(await page.evaluate(() => window.__bare!.recolor()));
  }
  await page.close();
  return { load, recolor, pssMb };
}

/** ms from a change made by `act` in the page to the map's next 'idle'. */
async function untilIdle(page: Page, act: string): Promise<number> {
  return page.evaluate(
    (code) =>
      new Promise<number>((resolve) => {
        const map = window.__tractmix!.map!.map;
        const t0 = performance.now();
        map.once('idle', () => resolve(performance.now() - t0));
        setTimeout(() => resolve(NaN), 120_000);
        new Function(code)();
        map.triggerRepaint();
      }),
    act,
  );
}

/** Records the main thread's long tasks (> 50 ms) from the page's start, and when every year was painted. */
async function watchMainThread(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}
const mainThreadFigures = (page: Page) =>
  page.evaluate(() => ({
    longestTask: Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks),
    complete: performance.now(),
  }));

/** The app loading its data on the main thread (the fallback path): the comparison for the loading worker. */
async function appMainThreadLoad(browser: Browser, url: string): Promise<NonNullable<ScaleFigures['mainThreadLoad']>> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await watchMainThread(page);
  await page.goto(`${url}&load-on-main-thread`);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 600_000 });
  const load = await page.evaluate(() => window.__tractmix!.readyAt!);
  const ranIn = await page.evaluate(() => window.__tractmix!.loads().ranIn);
  if (ranIn.join() !== 'main thread') throw new Error(`?load-on-main-thread loaded in ${ranIn.join(', ')}`);
  const m = await mainThreadFigures(page);
  await page.close();
  return { load, ...m };
}

/** One page's figures; the repaints as every round's sample (the first is the page's first change). */
type AppRun = Omit<NonNullable<ScaleFigures['app']>, 'ami' | 'colorBy' | 'year' | 'amiFirst' | 'colorByFirst' | 'yearFirst'> & { ami: number[]; colorBy: number[]; year: number[] };

async function app(browser: Browser, url: string): Promise<AppRun> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await watchMainThread(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__tractmix?.status === 'ready' && window.__tractmix.complete, null, { timeout: 600_000 });
  const { longestTask, complete } = await mainThreadFigures(page);
  const load = await page.evaluate(() => window.__tractmix!.readyAt!);
  const pssMb = chromiumPssMb();
  await settle(page);
  // Again once the page has settled (the loading's garbage may not have been collected at `complete`).
  const settledPssMb = chromiumPssMb();
  const base = await page.evaluate(() => window.__tractmix!.analysis!.ami.dollars);
  const setSelect = (value: string) => `const s = document.querySelector('[data-testid=color-by]'); s.value = '${value}'; s.dispatchEvent(new Event('change', { bubbles: true }));`;
  // Each change from a settled page, as the bare recolour is measured: the panels follow the map
  // after its frame (useAfterMapFrame) and the URL is written after it, so a change made at once
  // after the last one's idle would be measured with the last one's panel render on top. Rounds
  // go there and back: AMI +10 % and back, the first year and the latest, entropy and class.
  const ami: number[] = [];
  const year: number[] = [];
  const colorBy: number[] = [];
  for (let round = 0; round < CHANGE_ROUNDS; round++) {
    const there = round % 2 === 0;
    if (round > 0) await settle(page, 500);
    ami.push(await page.evaluate((d) => window.__tractmix!.apply({ ami: { kind: 'typed', dollars: d, source: 'benchmark' } }), Math.round(there ? base * 1.1 : base)));
    await settle(page, 500);
    year.push(await page.evaluate((y) => window.__tractmix!.apply({ year: y }), there ? 2000 : null));
    await settle(page, 500);
    colorBy.push(await untilIdle(page, setSelect(there ? 'entropy' : 'class')));
  }
  // Hover: ms from the pointer move onto another tract to the end of the first frame drawn after it.
  const box = (await page.getByTestId('map').boundingBox())!;
  const points = await page.evaluate(async () => {
    const t = window.__tractmix!;
    const out: { x: number; y: number }[] = [];
    for (const id of t.renderedIds()) {
      const p = await t.pointIn(id);
      if (!p) continue;
      const q = t.map!.map.project(p);
      const c = t.map!.map.getCanvas();
      // The second point away from the first: the tooltip shown for the first may cover its surroundings.
      const far = out.length === 0 || Math.hypot(q.x - out[0].x, q.y - out[0].y) > 350;
      // Only where the map itself is under the pointer: the legend and other panels lie over its corners.
      const r = c.getBoundingClientRect();
      const onMap = document.elementFromPoint(r.left + q.x, r.top + q.y) === c;
      if (far && onMap && q.x > 10 && q.y > 10 && q.x < c.clientWidth - 10 && q.y < c.clientHeight - 10) out.push({ x: q.x, y: q.y });
      if (out.length === 2) break;
    }
    return out;
  });
  let hoverFrame = NaN;
  if (points.length === 2) {
    await page.mouse.move(box.x + points[0].x, box.y + points[0].y);
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      const w = window as unknown as { __hover: Promise<number> };
      const map = window.__tractmix!.map!.map;
      w.__hover = new Promise((resolve) => {
        setTimeout(() => resolve(NaN), 10_000);
        map.once('mousemove', () => {
          const t0 = performance.now();
          map.once('render', () => resolve(performance.now() - t0));
        });
      });
    });
    await page.mouse.move(box.x + points[1].x, box.y + points[1].y);
    hoverFrame = await page.evaluate(() => (window as unknown as { __hover: Promise<number> }).__hover);
  }
  // Table: ms from the tab click to the first rows in the DOM.
  // (A string: tsx would wrap a named function inside the callback in a helper the page lacks.)
  const tableRows = await page.evaluate<number>(`new Promise((resolve) => {
    const t0 = performance.now();
    [...document.querySelectorAll('nav.tabs button')].find((b) => b.textContent === 'Table').click();
    const check = () => (document.querySelector('[data-testid=tract-table] tbody tr[aria-rowindex]') ? resolve(performance.now() - t0) : requestAnimationFrame(check));
    check();
  })`);
  await page.close();
  return { load, pssMb, settledPssMb, ami, colorBy, year, hoverFrame, tableRows, longestTask, complete };
}

/** Every run's figure, sorted: how far the runs spread around their median. */
const spread = (xs: number[]) => [...xs].sort((a, b) => a - b).map((x) => x.toFixed(0)).join(' ');

function crosswalk(set: ScaleSet): NonNullable<ScaleFigures['crosswalk']> {
  const features = (JSON.parse(readFileSync(set.boundaries, 'utf8')) as GeoJSON.FeatureCollection).features as BoundaryFeature[];
  const shift = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? [(c as number[])[0] + 0.0005, (c as number[])[1] + 0.0003] : (c as unknown[]).map(shift));
  const moved = features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: shift(f.geometry.coordinates) } }) as BoundaryFeature);
  const t0 = performance.now();
  const rows = areaCrosswalk(features, moved);
  return { seconds: (performance.now() - t0) / 1000, rows: rows.length };
}

/**
 * The set's two income years as the CSVs a bundle held before (income-<year>.csv) and as one income
 * columns file: bytes raw and gzipped (what a static host sends when it compresses), and the median
 * ms to parse from bytes in memory (readIncomeTable per CSV vs reading both years from the columns).
 */
function income(set: ScaleSet, runs: number): ScaleFigures['income'] {
  const files = Object.entries(set.income).map(([year, path]) => ({ year: Number(year), name: `income-${year}.csv`, bytes: new Uint8Array(readFileSync(path)) }));
  const tables = files.map((f) => readIncomeTable({ name: f.name, bytes: f.bytes }, { year: f.year }));
  const columns = writeIncomeColumns(tables.map((table) => ({ table })));
  const time = (f: () => void) => {
    const ms: number[] = [];
    for (let i = 0; i < Math.max(3, runs); i++) {
      const t0 = performance.now();
      f();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const csvMs = time(() => files.forEach((f) => readIncomeTable({ name: f.name, bytes: f.bytes }, { year: f.year })));
  const columnsMs = time(() => {
    const c = readIncomeColumns('income-columns.bin', columns);
    for (const f of files) c.read(f.year);
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    csvBytes: sum(files.map((f) => f.bytes.length)),
    columnsBytes: columns.length,
    csvGzip: sum(files.map((f) => gzipSync(f.bytes).length)),
    columnsGzip: gzipSync(columns).length,
    csvMs,
    columnsMs,
  };
}

export async function benchScale(options: ScaleOptions, log: (line: string) => void = console.log): Promise<ScaleFigures[]> {
  const figures: ScaleFigures[] = [];
  const dist = options.browser && !options.incomeOnly && existsSync(CHROMIUM_PATH) ? await ensureAppBuilt() : null;
  const pool = {};
  for (const size of options.sizes) {
    const set = await scaleSet(options.shared, options.cache, size, pool);
    const inc = income(set, options.runs);
    const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
    log(
      `  ${size} tracts, income of 2 years: CSVs ${mb(inc.csvBytes)} (gzip ${mb(inc.csvGzip)}), columns ${mb(inc.columnsBytes)} (gzip ${mb(inc.columnsGzip)}) = ${(inc.columnsBytes / inc.csvBytes).toFixed(2)}× (gzip ${(inc.columnsGzip / inc.csvGzip).toFixed(2)}×); ` +
        `parse CSVs ${inc.csvMs.toFixed(0)} ms, columns ${inc.columnsMs.toFixed(1)} ms = ${(inc.columnsMs / inc.csvMs).toFixed(3)}×`,
    );
    if (options.incomeOnly) {
      figures.push({ tracts: size, income: inc });
      continue;
    }
    const tiledDir = join(options.cache, `scale-${size}`, 'bundle-tiles');
    const f: ScaleFigures = { tracts: size, income: inc };
    if (options.reuse && existsSync(join(tiledDir, 'bundle.json'))) log(`  ${size} tracts: the tiled bundle in ${tiledDir} reused (no build, no crosswalk)`);
    else {
      const b = build(set, tiledDir, 'always');
      const tileMb = readFileSync(join(tiledDir, 'boundaries-main.pmtiles')).length / 1e6;
      f.build = { ...b, tileMb };
      f.crosswalk = crosswalk(set);
      log(`  ${size} tracts: build ${b.seconds.toFixed(1)} s (CPU ${b.cpuSeconds.toFixed(1)} s), peak ${b.maxRssMb.toFixed(0)} MB, tiles ${tileMb.toFixed(1)} MB  [target at 85k ≤ 30 s, ≤ 2 GB]; area crosswalk vs a shifted copy ${f.crosswalk.seconds.toFixed(1)} s (${f.crosswalk.rows} rows)  [target at 85k ≤ 60 s]`);
    }
    if (dist) {
      const mounts: Record<string, string> = { '/bundles/tiles/': tiledDir };
      if (options.geojsonBaseline) {
        const geoDir = join(options.cache, `scale-${size}`, 'bundle-geojson');
        if (!existsSync(join(geoDir, 'bundle.json'))) build(set, geoDir, 'never');
        mounts['/bundles/geojson/'] = geoDir;
      }
      const server = await startServer({ root: dist, mounts });
      const browser = await launchChromium();
      try {
        const data = (name: string) => encodeURIComponent(`${server.url}/bundles/${name}/`);
        const runs = { app: [] as AppRun[], tiles: [] as { load: number; recolor: number[]; pssMb: number }[], geo: [] as number[], main: [] as NonNullable<ScaleFigures['mainThreadLoad']>[] };
        for (let run = 0; run < options.runs; run++) {
          runs.tiles.push(await bare(browser, `${server.url}/bare.html?tiles&data=${data('tiles')}`));
          if (options.geojsonBaseline) runs.geo.push((await bare(browser, `${server.url}/bare.html?data=${data('geojson')}`, 0)).load);
          runs.app.push(await app(browser, `${server.url}/index.html?data=${data('tiles')}`));
          runs.main.push(await appMainThreadLoad(browser, `${server.url}/index.html?data=${data('tiles')}`));
        }
        const m = (k: 'load' | 'pssMb' | 'settledPssMb' | 'hoverFrame' | 'tableRows' | 'longestTask' | 'complete') => median(runs.app.map((a) => a[k]));
        const all = (k: 'ami' | 'colorBy' | 'year') => runs.app.flatMap((a) => a[k]);
        const first = (k: 'ami' | 'colorBy' | 'year') => median(runs.app.map((a) => a[k][0]));
        f.app = {
          load: m('load'),
          pssMb: m('pssMb'),
          settledPssMb: m('settledPssMb'),
          ami: median(all('ami')),
          colorBy: median(all('colorBy')),
          year: median(all('year')),
          amiFirst: first('ami'),
          colorByFirst: first('colorBy'),
          yearFirst: first('year'),
          hoverFrame: m('hoverFrame'),
          tableRows: m('tableRows'),
          longestTask: m('longestTask'),
          complete: m('complete'),
        };
        const mm = (k: keyof NonNullable<ScaleFigures['mainThreadLoad']>) => median(runs.main.map((a) => a[k]));
        f.mainThreadLoad = { load: mm('load'), complete: mm('complete'), longestTask: mm('longestTask') };
        f.bare = {
          tilesLoad: median(runs.tiles.map((t) => t.load)),
          recolor: median(runs.tiles.flatMap((t) => t.recolor)),
          recolorFirst: median(runs.tiles.map((t) => t.recolor[0])),
          pssMb: median(runs.tiles.map((t) => t.pssMb)),
          geojsonLoad: runs.geo.length ? median(runs.geo) : null,
        };
        const a = f.app;
        const r = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
        log(
          [
            `    first map: app ${a.load.toFixed(0)} ms, bare tiles ${f.bare.tilesLoad.toFixed(0)} ms (${r(a.load, f.bare.tilesLoad)}, target ≤ 1.5×)` +
              (f.bare.geojsonLoad !== null ? `, bare GeoJSON ${f.bare.geojsonLoad.toFixed(0)} ms (${r(a.load, f.bare.geojsonLoad)}, target ≤ 0.3×)` : ''),
            `    memory (Chromium renderer + GPU PSS): ${a.pssMb.toFixed(0)} MB when every year is painted, ${a.settledPssMb.toFixed(0)} MB once settled; the bare page on the same tiles, settled: ${f.bare.pssMb.toFixed(0)} MB  [target at 85k ≤ 600 MB]`,
            `    repaint after a change vs bare setFeatureState recolour ${f.bare.recolor.toFixed(0)} ms: AMI ${a.ami.toFixed(0)} ms (${r(a.ami, f.bare.recolor)}), colour by ${a.colorBy.toFixed(0)} ms (${r(a.colorBy, f.bare.recolor)}), year ${a.year.toFixed(0)} ms (${r(a.year, f.bare.recolor)})  [target ≤ 1.5×; median of ${options.runs} runs × ${CHANGE_ROUNDS} changes]`,
            `      each page's first change vs the bare page's first recolour ${f.bare.recolorFirst.toFixed(0)} ms: AMI ${a.amiFirst.toFixed(0)} ms (${r(a.amiFirst, f.bare.recolorFirst)}), colour by ${a.colorByFirst.toFixed(0)} ms (${r(a.colorByFirst, f.bare.recolorFirst)}), year ${a.yearFirst.toFixed(0)} ms (${r(a.yearFirst, f.bare.recolorFirst)})`,
            `      every change (ms): bare recolour ${spread(runs.tiles.flatMap((t) => t.recolor))}; AMI ${spread(all('ami'))}; colour by ${spread(all('colorBy'))}; year ${spread(all('year'))}`,
            `    hover → first frame drawn ${a.hoverFrame.toFixed(0)} ms; table → first rows ${a.tableRows.toFixed(0)} ms  [target ≤ 300 ms]`,
            `    loading in the worker vs on the main thread: first map ${a.load.toFixed(0)} / ${f.mainThreadLoad.load.toFixed(0)} ms (${r(a.load, f.mainThreadLoad.load)}), every year ${a.complete.toFixed(0)} / ${f.mainThreadLoad.complete.toFixed(0)} ms (${r(a.complete, f.mainThreadLoad.complete)}), longest main-thread task ${a.longestTask.toFixed(0)} / ${f.mainThreadLoad.longestTask.toFixed(0)} ms (${r(a.longestTask, f.mainThreadLoad.longestTask)})`,
          ].join('\n'),
        );
      } finally {
        await browser.close();
        await server.close();
      }
    }
    figures.push(f);
  }
  return figures;
}
