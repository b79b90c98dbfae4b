/**
 * `npm run build` ships no test machinery: no `window.__tractmix` hooks, no `window.__bare`
 * benchmark page, no drawing buffer kept for pixel reads, no bare.html. The test build the browser
 * tests load (`vite build --mode test`, test/browser/build.ts) is searched for the same strings, so
 * a needle that stopped matching (a renamed hook, another minifier spelling) fails here instead of
 * passing quietly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAppBuilt, REPO } from './build';

/** What marks the test machinery in built code (minified `true` is `!0`). */
const NEEDLES = ['__tractmix', '__bare', 'preserveDrawingBuffer:!0', 'preserveDrawingBuffer:true'] as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Needle → files (relative to the folder) whose text contains it. */
function search(dir: string): Record<string, string[]> {
  const found: Record<string, string[]> = Object.fromEntries(NEEDLES.map((n) => [n, []]));
  for (const file of filesUnder(dir).filter((f) => /\.(js|mjs|html|css)$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    for (const n of NEEDLES) if (text.includes(n)) found[n].push(file.slice(dir.length + 1));
  }
  return found;
}

describe('the production build', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tractmix-prod-')), 'dist');
  beforeAll(() => {
    // As `npm run build` runs it (mode production), into a temp folder so dist/ is left alone.
    const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });

  it('holds the app and no test hook, benchmark page or kept drawing buffer', () => {
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'bare.html'))).toBe(false);
    expect(search(out)).toEqual(Object.fromEntries(NEEDLES.map((n) => [n, []])));
  });

  it('while the test build has each of them (the needles match what the build writes)', async () => {
    const dist = await ensureAppBuilt();
    expect(existsSync(join(dist, 'bare.html'))).toBe(true);
    const found = search(dist);
    expect(found.__tractmix.length, '__tractmix').toBeGreaterThan(0);
    expect(found.__bare.length, '__bare').toBeGreaterThan(0);
    expect(found['preserveDrawingBuffer:!0'].length + found['preserveDrawingBuffer:true'].length, 'preserveDrawingBuffer true').toBeGreaterThan(0);
  });
});
