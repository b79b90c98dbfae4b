/**
 * `tractmix crosswalk --from A --to B --out FILE`: area weights between two boundary sets
 * (src/core/crosswalk `areaCrosswalk`), written as `source,target,weight` for reuse with
 * `change --crosswalk FILE` or `fetch --crosswalk FILE`. Progress on stderr.
 */
import { writeFileSync } from 'node:fs';
import { areaCrosswalk } from '../../src/core/crosswalk';
import { readBoundaries } from '../../src/data/boundaries';
import { toCsv } from '../../src/data/export';
import { readBoundaryParts } from '../lib/files';
import { UsageError } from '../lib/args';

export interface CrosswalkArgs {
  from?: string;
  to?: string;
  out?: string;
  'min-weight'?: string;
}

export interface CrosswalkIo {
  err(text: string): void;
}

export async function crosswalkCommand(values: CrosswalkArgs, io: CrosswalkIo): Promise<number> {
  if (!values.from || !values.to || !values.out) throw new UsageError('crosswalk needs --from BOUNDARIES --to BOUNDARIES --out FILE.csv');
  const minWeight = values['min-weight'] !== undefined ? Number(values['min-weight']) : 0.001;
  if (!(minWeight >= 0 && minWeight < 1)) throw new UsageError(`--min-weight "${values['min-weight']}" is not a number in [0, 1)`);
  const [from, to] = await Promise.all([readBoundaries(readBoundaryParts(values.from)), readBoundaries(readBoundaryParts(values.to))]);
  for (const [side, set] of [['--from', from], ['--to', to]] as const) {
    if (set.rejected.length) io.err(`${side} ${set.file}: ${set.rejected.length} features cannot be used and are left out:\n${set.rejected.map((r) => `  feature ${r.row}: ${r.reason}`).join('\n')}\n`);
  }
  const started = performance.now();
  const rows = areaCrosswalk(from.features, to.features, minWeight, (done, total) => io.err(`crosswalk: ${done} / ${total} source tracts\n`));
  writeFileSync(values.out, toCsv(['source', 'target', 'weight'], rows.map((r) => [r.source, r.target, r.weight.toPrecision(8)])));
  const sources = new Set(rows.map((r) => r.source)).size;
  const uncovered = from.features.length - sources;
  io.err(
    `crosswalk: ${rows.length} rows, ${sources} of ${from.features.length} ${from.file} tracts onto ${to.features.length} ${to.file} tracts in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.out}` +
      (uncovered ? `\n${uncovered} source tracts overlap no target tract (by more than ${minWeight} of their area): their households would not be moved` : '') +
      '\n',
  );
  return 0;
}
