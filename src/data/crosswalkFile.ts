/**
 * Crosswalk files: `source,target,weight` rows as LTDB (`trtid00,trtid10,weight`), NHGIS
 * (`tr2000ge,tr2010ge,wt_hh`…) or tractmix bundles write them. Ids are normalised like any GEOID;
 * bad rows are rejected with their line and reason, never dropped silently.
 */
import type { CrosswalkRow } from '../core/crosswalk';
import { InputError, type RejectedRow } from './errors';
import { normalizeGeoid } from './geoid';
import { plainDecimal } from './income';
import { readTable } from './text';

const SOURCE_NAMES = ['source', 'trtid00', 'trtid90', 'trtid2000', 'tr2000ge', 'tr1990ge', 'geoid_source', 'from'];
const TARGET_NAMES = ['target', 'trtid10', 'trtid2010', 'tr2010ge', 'tr2020ge', 'geoid_target', 'to'];
const WEIGHT_NAMES = ['weight', 'wt_hh', 'wt_pop', 'wt_hu', 'afact'];

export interface CrosswalkTable {
  readonly file: string;
  readonly rows: CrosswalkRow[];
  readonly rejected: RejectedRow[];
  readonly columns: { source: string; target: string; weight: string };
}

export function readCrosswalk(file: string, bytes: Uint8Array): CrosswalkTable {
  const { raw } = readTable(file, bytes);
  const lower = raw.header.map((h) => h.toLowerCase());
  const find = (names: string[], what: string) => {
    const i = lower.findIndex((h) => names.includes(h));
    if (i < 0) {
      throw new InputError({
        file,
        problem: `no ${what} column`,
        expected: `one of ${names.join(', ')} (the header has: ${raw.header.slice(0, 10).join(', ')})`,
        action: 'Rename the columns to source,target,weight.',
      });
    }
    return i;
  };
  const s = find(SOURCE_NAMES, 'source-tract');
  const t = find(TARGET_NAMES, 'target-tract');
  const w = find(WEIGHT_NAMES, 'weight');
  const rows: CrosswalkRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const { line, cells } of raw.rows) {
    const source = normalizeGeoid(cells[s] ?? '');
    const target = normalizeGeoid(cells[t] ?? '');
    const weight = plainDecimal(cells[w]);
    if (!source.ok) rejected.push({ row: line, column: raw.header[s], reason: source.reason });
    else if (!target.ok) rejected.push({ row: line, column: raw.header[t], reason: target.reason });
    else if (!Number.isFinite(weight) || weight < 0 || weight > 1 + 1e-9) {
      rejected.push({ row: line, column: raw.header[w], reason: `weight "${cells[w]}" is not a number between 0 and 1` });
    } else rows.push({ source: source.geoid, target: target.geoid, weight });
  }
  if (rows.length === 0) {
    throw new InputError({ file, problem: 'no usable crosswalk row', expected: 'rows of source GEOID, target GEOID, weight', action: 'Check the file and its columns.' });
  }
  return { file, rows, rejected, columns: { source: raw.header[s], target: raw.header[t], weight: raw.header[w] } };
}
