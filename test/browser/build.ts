/**
 * The test build the browser tests and benchmarks load: `vite build --mode test` into `dist-test/`
 * (the production build plus its test hooks and bare.html; see vite.config.ts), run at most once per
 * test run, and not at all when `dist-test/` is newer than every source file. Test files run in
 * parallel processes, so the build holds a lock folder while it runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const DIST = join(REPO, 'dist-test');
/** Written after a successful build; its time is the build's time. */
const STAMP = join(DIST, '.tractmix-built');
const LOCK = join(REPO, 'node_modules', '.tractmix-vite-build.lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;
/** What the build reads: when one of these is newer than the stamp, build again. */
const INPUTS = ['src', 'public', 'data/demo', 'index.html', 'bare.html', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Test files run in worker processes of one vitest process: its pid names the run, so that a
 * source file saved during the run does not rebuild dist-test/ under a test that is serving it.
 */
const RUN_ID = String(process.ppid);

/** True when dist-test/ was built in this run, or after the last change to any input. */
export function appBuildIsFresh(): boolean {
  if (!existsSync(STAMP)) return false;
  if (readFileSync(STAMP, 'utf8').trim() === RUN_ID) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => newestMtime(join(REPO, input)) <= built);
}

function runViteBuild(): Promise<void> {
  const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((done, fail) => {
    // Under vitest NODE_ENV is 'test', and vite would then bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn(process.execPath, [vite, 'build', '--mode', 'test', '--logLevel', 'warn'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done();
      else fail(new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

let building: Promise<string> | null = null;

/** Build the app into dist-test/ unless it is up to date; resolves with that folder. */
export function ensureAppBuilt(): Promise<string> {
  building ??= withLock(async () => {
    if (!appBuildIsFresh()) {
      rmSync(STAMP, { force: true });
      await runViteBuild();
      writeFileSync(STAMP, RUN_ID + '\n');
    }
    return DIST;
  });
  return building;
}
