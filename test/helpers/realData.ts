/**
 * Access to the real public data in `$TRACTMIX_SHARED/data` (never copied into the repo).
 * Policy (README, "Tests"): TRACTMIX_SHARED unset → the real-data tests skip and say why;
 * set but a file missing → the test fails naming the path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe } from 'vitest';

const root = process.env.TRACTMIX_SHARED;
let warned = false;

/** `describe` for tests on real data: skipped (with a printed reason) when TRACTMIX_SHARED is unset. */
export function describeRealData(name: string, fn: () => void): void {
  if (!root) {
    if (!warned) {
      console.warn('TRACTMIX_SHARED is not set: skipping tests on real data from ../shared (set TRACTMIX_SHARED=../shared to run them)');
      warned = true;
    }
    describe.skip(name, fn);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      const dir = resolve(join(root, 'data'));
      if (!existsSync(dir)) throw new Error(`TRACTMIX_SHARED=${root} is set but the data folder ${dir} does not exist`);
    });
    fn();
  });
}

/** Absolute path of a file under `$TRACTMIX_SHARED/data`; throws when it is missing. */
export function realDataPath(relative: string): string {
  if (!root) throw new Error('TRACTMIX_SHARED is not set');
  const path = resolve(join(root, 'data', relative));
  if (!existsSync(path)) {
    throw new Error(`TRACTMIX_SHARED=${root} is set but ${path} is missing: the real-data tests need the shared data folder`);
  }
  return path;
}

export function readRealData(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(realDataPath(relative)));
}

export function readRealText(relative: string): string {
  return readFileSync(realDataPath(relative), 'utf8');
}

/** The three UDP regions: folder, file prefix and counties (PROVENANCE.md). */
export const UDP_REGIONS = [
  { city: 'Chicago', dir: 'udp-chicago', prefix: 'Chicago', state: '17', summ: 'Chicagocensus_summ_2018.csv', xwalk00: 'Chicagocensus_00_10_2018.csv', raw00: 'Chicagocensus_00_2018.csv', shp: 'cb_2018_17_tract_500k' },
  { city: 'Denver', dir: 'udp-denver', prefix: 'Denver', state: '08', summ: 'Denvercensus_summ_2018.csv', xwalk00: 'Denvercensus_00_10_2018.csv', raw00: 'Denvercensus_00_2018.csv', shp: 'cb_2018_08_tract_500k' },
  { city: 'Seattle', dir: 'udp-seattle', prefix: 'Seattle', state: '53', summ: 'Seattlecensus_summ_2018.csv', xwalk00: 'Seattlecensus_00_10.csv', raw00: 'Seattlecensus_00_2018.csv', shp: 'cb_2018_53_tract_500k' },
] as const;
