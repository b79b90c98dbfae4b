/**
 * Access to the real data in `$TRACTMIX_SHARED/data` (never copied into the repo). Policy: with
 * TRACTMIX_SHARED unset the real-data tests skip and say why once; with it set, a missing folder
 * or file fails the tests, because a silently skipped test cannot catch anything.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe } from 'vitest';

const SKIP_REASON = 'TRACTMIX_SHARED is not set: skipping tests on real data from ../shared';

let skipReported = false;

/** `$TRACTMIX_SHARED/data`, or null when the variable is unset; throws when it names no folder. */
export function sharedDataDir(): string | null {
  const root = process.env.TRACTMIX_SHARED;
  if (root === undefined || root === '') return null;
  const dir = join(root, 'data');
  if (!existsSync(dir)) throw new Error(`TRACTMIX_SHARED is set but the data folder ${dir} does not exist`);
  return dir;
}

/** Bytes of `$TRACTMIX_SHARED/data/<relPath>`; throws naming the path when it is missing. */
export function readShared(relPath: string): Uint8Array {
  const dir = sharedDataDir();
  if (dir === null) throw new Error(`${SKIP_REASON} (asked for ${relPath})`);
  const path = join(dir, relPath);
  if (!existsSync(path)) throw new Error(`real-data file ${path} is missing from TRACTMIX_SHARED`);
  return new Uint8Array(readFileSync(path));
}

/**
 * A describe block for tests on real data: skipped (with the reason printed once) when
 * TRACTMIX_SHARED is unset, failing in `beforeAll` when the data folder is missing. Read files
 * inside tests or hooks, never in the block body, which runs even when skipped.
 */
export function describeShared(name: string, fn: () => void): void {
  if (!process.env.TRACTMIX_SHARED) {
    if (!skipReported) {
      console.warn(SKIP_REASON);
      skipReported = true;
    }
    describe.skip(name, fn);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      sharedDataDir();
    });
    fn();
  });
}
