/**
 * Where a change's time goes (issue 10): opens the app on a scale set's tiled bundle (built by
 * `npm run bench`, in $TRACTMIX_BENCH_CACHE), waits for it to settle, records a Chromium CPU
 * profile (CDP `Profiler`) of one change (AMI, colour by, year) or of the first map, and prints the
 * functions with the most self time and the JS heap. Not a benchmark: profiling slows the page.
 *
 *   npx tsx scripts/bench/profile.ts --size 2000 --change colorBy [--top 30] [--heap] [--memory]
 *   (--change load profiles navigation → first map; --heap also prints the heap's largest
 *   constructors from a heap snapshot, after the page settled; --memory prints where each Chromium
 *   process's memory is, by allocator, from a memory-infra dump, once settled and again after a
 *   major GC forced over CDP; `--bare` draws the bare maplibre page on the same tiles instead;
 *   `--timeline` also lists the renderer main thread's tasks of the change in order, with what each ran;
 *   `--trace-only` records the timeline without the JavaScript profiler, which slows the page most;
 *   `--warm N` makes the change and its opposite N times before the one profiled: a change users repeat;
 *   `--before ami,year` makes those changes first, as the benchmark does before colour by)
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { ensureAppBuilt } from '../../test/browser/build';
import { launchChromium } from '../../test/browser/chromium';
import { startServer } from '../../test/browser/server';
import { settle } from './settle';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const { values } = parseArgs({ options: { size: { type: 'string', default: '2000' }, change: { type: 'string', default: 'colorBy' }, top: { type: 'string', default: '30' }, heap: { type: 'boolean' }, memory: { type: 'boolean' }, bare: { type: 'boolean' }, timeline: { type: 'boolean' }, 'trace-only': { type: 'boolean' }, warm: { type: 'string', default: '0' }, before: { type: 'string', default: '' } } });
const cache = process.env.TRACTMIX_BENCH_CACHE ?? join(tmpdir(), 'tractmix-bench-scale');
const dir = join(cache, `scale-${values.size}`, 'bundle-tiles');

function summary(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top: number): string {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  // Inclusive: each sample's time to every function on its stack (once per function).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(name(byId.get(at)!));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  if (process.env.INCLUSIVE) return [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`).join('\n');
  return [`total ${total.toFixed(0)} ms`, ...[...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`)].join('\n');
}

async function heap(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const snap = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[]; node_types: string[][] } }; nodes: number[]; strings: string[] };
  const fields = snap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const types = snap.snapshot.meta.node_types[0];
  const by = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    const name = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const e = by.get(name) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + sizeAt];
    by.set(name, e);
  }
  // Who holds the bytes: each node's self size to its first retainer's name and the edge's name,
  // then up through objects that only wrap (arrays, closures' contexts) to the first named holder.
  const { edge_fields: edgeFields, edge_types: [edgeTypes] } = snap.snapshot.meta as unknown as { edge_fields: string[]; edge_types: string[][] };
  const edges = (snap as unknown as { edges: number[] }).edges;
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
  const edgeCountAt = fields.indexOf('edge_count');
  const retainer = new Int32Array(snap.nodes.length / fields.length).fill(-1);
  const retainerEdge = new Array<string>(retainer.length);
  for (let n = 0, e = 0; n < snap.nodes.length; n += fields.length) {
    const count = snap.nodes[n + edgeCountAt];
    for (let k = 0; k < count; k++, e += edgeFields.length) {
      const to = edges[e + toAt] / fields.length;
      const type = edgeTypes[edges[e + edgeTypeAt]];
      if (type === 'weak' || type === 'shortcut' || retainer[to] >= 0) continue;
      retainer[to] = n / fields.length;
      retainerEdge[to] = type === 'element' || type === 'hidden' ? `[${type}]` : String(snap.strings[edges[e + edgeNameAt]]);
    }
  }
  const nodeName = (i: number) => {
    const type = types[snap.nodes[i * fields.length + typeAt]];
    return type === 'object' || type === 'native' || type === 'closure' ? snap.strings[snap.nodes[i * fields.length + nameAt]] : `(${type})`;
  };
  const holders = new Map<string, number>();
  for (let i = 0; i < retainer.length; i++) {
    const path: string[] = [];
    let at = i;
    for (let hop = 0; hop < 4 && retainer[at] >= 0; hop++) {
      path.push(`${nodeName(retainer[at]).slice(0, 30)}.${retainerEdge[at].slice(0, 24)}`);
      at = retainer[at];
    }
    const k = `${nodeName(i).slice(0, 20)} ← ${path.join(' ← ')}`;
    holders.set(k, (holders.get(k) ?? 0) + snap.nodes[i * fields.length + sizeAt]);
  }
  const held = [...holders].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, b]) => `${(b / 1e6).toFixed(2).padStart(8)} MB  ${k}`);
  const total = [...by.values()].reduce((a, b) => a + b.bytes, 0);
  return [...held, '', `heap snapshot: ${(total / 1e6).toFixed(1)} MB self size`, ...[...by].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 25).map(([k, v]) => `${(v.bytes / 1e6).toFixed(1).padStart(8)} MB ${String(v.count).padStart(9)}×  ${k.slice(0, 80)}`)].join('\n');
}

/**
 * Chromium's memory-infra dump (`Tracing.requestMemoryDump` on the browser's CDP session): each
 * process's largest allocators (v8 main and workers, ArrayBuffers in partition_alloc, malloc, gpu),
 * in MB, largest first.
 */
async function memoryDump(browser: Browser): Promise<string> {
  const cdp = await browser.newBrowserCDPSession();
  const events: { ph: string; pid: number; args?: { dumps?: { allocators?: Record<string, { attrs?: { size?: { value: string } } }> } } }[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], memoryDumpConfig: { triggers: [] } } as never, transferMode: 'ReportEvents' });
  await cdp.send('Tracing.requestMemoryDump' as never, { levelOfDetail: 'detailed' } as never);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const lines: string[] = [];
  for (const e of events) {
    const allocators = e.ph === 'v' ? e.args?.dumps?.allocators : undefined;
    if (!allocators) continue;
    const top = Object.entries(allocators)
      .filter(([name]) => name.split('/').length <= 2)
      .map(([name, a]) => [name, parseInt(a.attrs?.size?.value ?? '0', 16) / 1048576] as const)
      .filter(([, mb]) => mb >= 5)
      .sort((a, b) => b[1] - a[1]);
    if (top.length) lines.push(`  process ${e.pid}: ${top.map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ')} MB`);
  }
  return lines.join('\n');
}

type TraceEvent = { name: string; ph: string; dur?: number; tid: number; pid: number; ts: number; args?: { data?: { type?: string; functionName?: string } } };

/**
 * The renderer main thread's tasks over 1 ms, in order: start (ms from the first), length, and the
 * events inside each that took 0.5 ms or more (an animation frame, a timer, a message, a GPU commit…).
 */
function mainThreadTasks(events: TraceEvent[], byThread: Map<string, number>): string {
  const renderer = [...byThread].filter(([k]) => events.some((e) => `${e.pid}:${e.tid}` === k && e.name === 'FireAnimationFrame')).sort((a, b) => b[1] - a[1])[0]?.[0];
  // Complete events, and begin/end pairs made into complete events (a frame's task is recorded as a pair).
  const open: TraceEvent[] = [];
  const paired: TraceEvent[] = [];
  for (const e of events.filter((x) => `${x.pid}:${x.tid}` === renderer && (x.ph === 'B' || x.ph === 'E')).sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'B') open.push(e);
    else {
      const at = open.map((b) => b.name).lastIndexOf(e.name);
      if (at < 0) continue;
      const begin = open.splice(at, 1)[0];
      paired.push({ ...begin, ph: 'X', dur: e.ts - begin.ts });
    }
  }
  const on = [...events.filter((e) => `${e.pid}:${e.tid}` === renderer && e.ph === 'X' && e.dur), ...paired].sort((a, b) => a.ts - b.ts);
  const tasks = on.filter((e) => e.name === 'RunTask');
  const t0 = tasks[0]?.ts ?? 0;
  const lines = tasks
    .filter((t) => t.dur! >= 1000)
    .map((t) => {
      const inside = on.filter((e) => e !== t && e.name !== 'RunTask' && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur! && e.dur! >= 500);
      const what = inside.map((e) => `${e.name}${e.args?.data?.type ? `(${e.args.data.type})` : ''} ${(e.dur! / 1000).toFixed(1)}`).slice(0, 8).join(', ');
      return `${((t.ts - t0) / 1000).toFixed(1).padStart(8)} ms  ${(t.dur! / 1000).toFixed(1).padStart(6)} ms  ${what}`;
    });
  return `renderer main thread [${renderer}], tasks ≥ 1 ms in order (start, length, inside):\n${lines.join('\n')}`;
}

/** One change; `back` makes the opposite one (the previous year, colour by class, the AMI back), to warm the code first. */
async function change(page: Page, what: string, back = false): Promise<void> {
  if (what === 'ami') {
    await page.evaluate((f) => window.__tractmix!.apply({ ami: { kind: 'typed', dollars: Math.round(window.__tractmix!.analysis!.ami.dollars * f), source: 'profile' } }), back ? 1 / 1.1 : 1.1);
  } else if (what === 'year') {
    await page.evaluate((y) => window.__tractmix!.apply({ year: y }), back ? null : 2000);
  } else {
    const value = back ? 'class' : 'entropy';
    await page.evaluate(`new Promise((resolve) => {
      const map = window.__tractmix.map.map;
      // Resolve with nothing: the idle event holds the map, and Playwright would serialize all of it
      // (typed arrays as base64) inside the profiled span — 0.3 s of a 10,000-tract colour-by profile.
      map.once('idle', () => resolve(undefined));
      const s = document.querySelector('[data-testid=color-by]'); s.value = '${value}'; s.dispatchEvent(new Event('change', { bubbles: true }));
      map.triggerRepaint();
    })`);
  }
}

const dist = await ensureAppBuilt();
const server = await startServer({ root: dist, mounts: { '/bundles/tiles/': dir } });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const url = `${server.url}/${values.bare ? 'bare.html?tiles&' : 'index.html?'}data=${encodeURIComponent(`${server.url}/bundles/tiles/`)}`;
  if (values.bare) {
    await page.goto(url);
    await page.waitForFunction(() => window.__bare?.idleAt != null, null, { timeout: 600_000 });
    await settle(page);
    console.log(`bare page, settled: memory by allocator\n${await memoryDump(browser)}`);
    await cdp.send('HeapProfiler.collectGarbage');
    console.log(`after a major GC\n${await memoryDump(browser)}`);
  } else {
    if (values.change === 'load') await cdp.send('Profiler.start');
    await page.goto(url);
    await page.waitForFunction(() => window.__tractmix?.status === 'ready', null, { timeout: 600_000 });
    if (values.change === 'load') {
      const { profile } = await cdp.send('Profiler.stop');
      console.log(`first map at ${(await page.evaluate(() => window.__tractmix!.readyAt!)).toFixed(0)} ms\n${summary(profile as never, Number(values.top))}`);
    }
    await page.waitForFunction(() => window.__tractmix?.complete, null, { timeout: 600_000 });
    await settle(page);
    if (values.heap) console.log(await heap(cdp));
    if (values.memory) {
      console.log(`settled: memory by allocator\n${await memoryDump(browser)}`);
      await cdp.send('HeapProfiler.collectGarbage');
      console.log(`after a major GC (forced over CDP)\n${await memoryDump(browser)}`);
    }
    if (values.change !== 'load') {
      for (const what of values.before ? values.before.split(',') : []) {
        await change(page, what);
        await page.waitForTimeout(300);
      }
      for (let i = 0; i < Number(values.warm); i++) {
        await change(page, values.change!);
        await page.waitForTimeout(300);
        await change(page, values.change!, true);
        await page.waitForTimeout(300);
      }
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
      const js = !values['trace-only'];
      if (js) await cdp.send('Profiler.start');
      const t0 = Date.now();
      await change(page, values.change!);
      const ms = Date.now() - t0;
      const profile = js ? (await cdp.send('Profiler.stop')).profile : null;
      await cdp.send('Tracing.end');
      await done;
      console.log(profile ? `${values.change}: ${ms} ms (profiled)\n${summary(profile as never, Number(values.top))}` : `${values.change}: ${ms} ms (traced)`);
      // Main-thread timeline: the renderer's main thread is the one running RunTask with the most time.
      const byThread = new Map<string, number>();
      for (const e of events) if (e.name === 'RunTask' && e.dur) byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
      const byName = new Map<string, { ms: number; n: number }>();
      for (const e of events) {
        if (!e.dur || e.ph !== 'X') continue;
        const k = `${e.name} [${e.pid}:${e.tid}]`;
        const v = byName.get(k) ?? { ms: 0, n: 0 };
        v.ms += e.dur / 1000;
        v.n++;
        byName.set(k, v);
      }
      if (values.timeline) console.log(mainThreadTasks(events, byThread));
      console.log('timeline (inclusive, by event and thread):\n' + [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30).map(([k, v]) => `${v.ms.toFixed(1).padStart(8)} ms ${String(v.n).padStart(6)}×  ${k}`).join('\n'));
    }
  }
} finally {
  await browser.close();
  await server.close();
}
