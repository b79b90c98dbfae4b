/**
 * `npm run bench`: speed figures printed with ratios to baselines measured in the same run.
 *   npm run bench                      core, map (demo, Chicago), scale sets of 2k and 10k tracts
 *   npm run bench -- --national        … and 30k and 85k tracts (about half an hour on 2 cores)
 *   npm run bench -- --scale 2000,30000 [--runs 3] [--no-geojson]   chosen sizes
 *   npm run bench -- --scale 2000,10000,85000 --scale-only --income-only   income CSV vs columns only
 *   … --reuse                           reuse the tiled bundles already in the cache (no build, no crosswalk)
 *   … --scale-only, --no-map, --no-scale   only the scale sets / no demo and Chicago map figures / no scale sets
 *   npm run bench -- --main-thread-only  only the main thread's long tasks (demo, Chicago; scripts/bench/mainThread.ts)
 * Scale sets and their bundles are cached in $TRACTMIX_BENCH_CACHE (default: the system temp
 * folder, tractmix-bench-scale); they need the shared data ($TRACTMIX_SHARED or ../shared).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCore } from './bench/core';
import { benchMap } from './bench/map';
import { benchFetch } from './bench/fetch';
import { benchScale } from './bench/scale';
import { benchMainThread } from './bench/mainThread';

const { values } = parseArgs({ options: { national: { type: 'boolean' }, scale: { type: 'string' }, runs: { type: 'string' }, 'no-geojson': { type: 'boolean' }, 'scale-only': { type: 'boolean' }, 'no-map': { type: 'boolean' }, 'income-only': { type: 'boolean' }, reuse: { type: 'boolean' }, 'no-scale': { type: 'boolean' }, 'main-thread-only': { type: 'boolean' } } });

if (values['main-thread-only']) {
  for (const line of await benchMainThread(Number(values.runs ?? 3))) console.log(line);
  process.exit(0);
}

if (!values['scale-only']) {
  for (const line of benchCore()) console.log(line);
  for (const line of await benchFetch()) console.log(line);
  if (!values['no-map']) {
    for (const line of await benchMap()) console.log(line);
    for (const line of await benchMainThread()) console.log(line);
  }
}
const shared = process.env.TRACTMIX_SHARED ?? (existsSync(join(import.meta.dirname, '..', '..', 'shared', 'data')) ? join(import.meta.dirname, '..', '..', 'shared') : null);
if (values['no-scale']) console.log('scale: skipped (--no-scale)');
else if (!shared) console.log('scale: skipped — the shared data folder was not found (set TRACTMIX_SHARED)');
else {
  const sizes = values.scale ? values.scale.split(',').map(Number) : values.national ? [2000, 10_000, 30_000, 85_000] : [2000, 10_000];
  const runs = Number(values.runs ?? 3);
  console.log(`scale: real tract geometry replicated (scripts/bench/scaleSets.ts), two income years, tiled bundles; median of ${runs} runs in headless Chromium (software WebGL)`);
  await benchScale({ shared, cache: process.env.TRACTMIX_BENCH_CACHE ?? join(tmpdir(), 'tractmix-bench-scale'), sizes, runs, geojsonBaseline: !values['no-geojson'], browser: true, incomeOnly: values['income-only'], reuse: values.reuse });
}
