/** What the benchmarks share: the median of repeated runs, and Chicago built as a bundle from the shared data. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from '../../test/browser/build';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Chicago (UDP's files on the Census cartographic tracts of IL) as a bundle, built by `tractmix build`
 * into a temp folder: 2014–18 alone, or with 2000 (on 2010 tracts) when `withYear2000`. Null when the
 * shared data are not there.
 */
export function buildChicagoBundle(shared: string, withYear2000: boolean): string | null {
  const dir = join(shared, 'data', 'udp-chicago');
  if (!existsSync(join(dir, 'Chicagocensus_summ_2018.csv'))) return null;
  const out = join(mkdtempSync(join(tmpdir(), 'tractmix-bench-')), withYear2000 ? 'chicago-change' : 'chicago');
  const income = [...(withYear2000 ? ['--income', `2000=${join(dir, 'Chicagocensus_00_10_2018.csv')}`] : []), '--income', `2018=${join(dir, 'Chicagocensus_summ_2018.csv')}`];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tractmix.ts', 'build', '--boundaries', join(dir, 'cb_2018_17_tract_500k.shp'), ...income, '--name', 'Chicago region', '--out', out], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tractmix build failed: ${r.stderr}`);
  return out;
}
