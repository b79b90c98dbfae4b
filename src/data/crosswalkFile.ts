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

/** Columns that say outright which side they are on. */
const SOURCE_NAMES = ['source', 'geoid_source', 'from'];
const TARGET_NAMES = ['target', 'geoid_target', 'to'];
/** Household weights first: the counts moved are households (NHGIS `wt_hh`, LTDB `weight`). */
const WEIGHT_NAMES = ['weight', 'wt_hh', 'wt_hu', 'wt_pop', 'afact', 'wt_fam', 'wt_adult', 'parea'];

/**
 * A tract or block-group id column named with its vintage: NHGIS `tr2010ge` / `bg2020ge`, LTDB
 * `trtid00` / `trtid10` / `tractid20`, `trtid2010`, `geoid10`, Census `GEOID_TRACT_20`.
 */
function vintageOf(column: string): number | null {
  const m = /^(?:tr|bg)(\d{4})ge$|^(?:trtid|tractid|geoid)(\d{2}|\d{4})$|^geoid_(?:tract|blkgrp)_(\d{2})$/.exec(column.toLowerCase());
  if (!m) return null;
  const y = m[1] ?? m[2] ?? m[3];
  if (y.length === 4) return Number(y);
  const yy = Number(y);
  return yy >= 70 ? 1900 + yy : 2000 + yy;
}

export interface CrosswalkTable {
  readonly file: string;
  readonly rows: CrosswalkRow[];
  readonly rejected: RejectedRow[];
  readonly columns: { source: string; target: string; weight: string };
  /** The vintages the id columns name (NHGIS, LTDB), null for plain source/target files. */
  readonly vintages: { from: number; to: number } | null;
}

/**
 * Read a crosswalk in either direction. With `source`/`target` columns those are used; with
 * vintage-named id columns (NHGIS `tr2010ge,tr2020ge`, `tr2020ge,tr2010ge`; LTDB `trtid00,trtid10`)
 * the first in the header is the source, as both publishers write them, and the direction is
 * reported in `vintages`.
 */
export function readCrosswalk(file: string, bytes: Uint8Array): CrosswalkTable {
  const { raw } = readTable(file, bytes);
  const lower = raw.header.map((h) => h.toLowerCase());
  const fail = (what: string, names: string): never => {
    throw new InputError({
      file,
      problem: `no ${what} column`,
      expected: `${names} (the header has: ${raw.header.slice(0, 10).join(', ')})`,
      action: 'Rename the columns to source,target,weight.',
    });
  };
  let s = lower.findIndex((h) => SOURCE_NAMES.includes(h));
  let t = lower.findIndex((h) => TARGET_NAMES.includes(h));
  let vintages: CrosswalkTable['vintages'] = null;
  if (s < 0 || t < 0) {
    const tagged = raw.header.map((h, i) => ({ i, v: vintageOf(h) })).filter((c) => c.v !== null);
    const distinct = [...new Set(tagged.map((c) => c.v))];
    if (distinct.length !== 2) {
      fail(
        s < 0 ? 'source-tract' : 'target-tract',
        'source and target, or two id columns named with their vintages (NHGIS tr2010ge,tr2020ge; LTDB trtid00,trtid10)',
      );
    }
    const first = tagged[0];
    const second = tagged.find((c) => c.v !== first.v)!;
    s = first.i;
    t = second.i;
    vintages = { from: first.v!, to: second.v! };
  }
  const w = WEIGHT_NAMES.map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1;
  if (w < 0) fail('weight', `one of ${WEIGHT_NAMES.join(', ')}`);
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
  return { file, rows, rejected, columns: { source: raw.header[s], target: raw.header[t], weight: raw.header[w] }, vintages };
}
