/**
 * The Census Bureau's tract relationship files → crosswalk rows (source, target, weight), with
 * the weights documented:
 *
 * - **2000 → 2010 tracts** (`rel/trf_txt/{st}{ss}trf.txt`; comma-separated, no header, 30 fields:
 *   STATE00, COUNTY00, TRACT00, GEOID00, POP00, HU00, PART00, AREA00, AREALAND00, STATE10,
 *   COUNTY10, TRACT10, GEOID10, POP10, HU10, PART10, AREA10, AREALAND10, AREAPT, AREALANDPT,
 *   AREAPCT00PT, AREALANDPCT00PT, AREAPCT10PT, AREALANDPCT10PT, POP10PT, POPPCT00, POPPCT10,
 *   HU10PT, HUPCT00, HUPCT10; "2010 Census Tract Relationship Files" record layout). Weight of a
 *   part = its 2010 housing units (HU10PT) ÷ the 2000 tract's 2010 housing units summed over its
 *   parts: households live in housing units, and the part's housing is the best measure of where
 *   a 2000 tract's households were that the file gives. A 2000 tract with no housing units in any
 *   part falls back to 2010 population (POP10PT), then to land area (AREALANDPT).
 * - **2010 → 2020 tracts or block groups** (`rel2020/tract/tab20_tract20_tract10_st{ss}.txt`,
 *   `rel2020/blkgrp/tab20_blkgrp20_blkgrp10_st{ss}.txt`; pipe-separated with a header row:
 *   OID_TRACT_20, GEOID_TRACT_20, NAMELSAD_TRACT_20, AREALAND_TRACT_20, AREAWATER_TRACT_20,
 *   MTFCC_TRACT_20, FUNCSTAT_TRACT_20, OID_TRACT_10, GEOID_TRACT_10, …, AREALAND_PART,
 *   AREAWATER_PART). These files carry only areas, so the weight of a part = its land area
 *   (AREALAND_PART) ÷ the 2010 unit's land area summed over its parts (households assumed spread
 *   evenly over land); a unit with no land falls back to total area.
 *
 * Weights of each source add up to 1 by construction (checked in tests): moving counts with them
 * conserves every source's households.
 */
import type { CrosswalkRow } from '../../core/crosswalk';
import { InputError, type RejectedRow } from '../errors';
import { normalizeGeoid } from '../geoid';
import type { CensusUnit } from './releases';

export interface RelationshipCrosswalk {
  readonly file: string;
  readonly rows: CrosswalkRow[];
  readonly rejected: RejectedRow[];
  /** Lines read (excluding the header): every one is a row used or a rejected row. */
  readonly linesRead: number;
  /** How the weights were made, for the bundle's record. */
  readonly weighting: string;
  /** Sources whose weights fell back to population or area (no housing/land). */
  readonly fallbacks: number;
}

interface Part {
  source: string;
  target: string;
  measures: number[];
}

/** Normalise each source's parts by the first measure with a positive sum. */
function weightParts(parts: readonly Part[]): { rows: CrosswalkRow[]; fallbacks: number } {
  const bySource = new Map<string, Part[]>();
  for (const p of parts) {
    let list = bySource.get(p.source);
    if (!list) bySource.set(p.source, (list = []));
    list.push(p);
  }
  const rows: CrosswalkRow[] = [];
  let fallbacks = 0;
  for (const [source, list] of bySource) {
    const k = list[0].measures.length;
    let m = 0;
    while (m < k && !(list.reduce((s, p) => s + p.measures[m], 0) > 0)) m++;
    if (m > 0) fallbacks++;
    const total = m < k ? list.reduce((s, p) => s + p.measures[m], 0) : list.length;
    for (const p of list) rows.push({ source, target: p.target, weight: (m < k ? p.measures[m] : 1) / total });
  }
  return { rows, fallbacks };
}

function number(raw: string | undefined): number {
  const v = Number((raw ?? '').trim());
  return Number.isFinite(v) && v >= 0 ? v : NaN;
}

function lines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

/** 2000 → 2010 tracts, weighted by 2010 housing units of each part. */
export function relationship2000to2010(file: string, text: string, keepSource?: (geoid: string) => boolean): RelationshipCrosswalk {
  const parts: Part[] = [];
  const rejected: RejectedRow[] = [];
  const all = lines(text);
  for (const { line, text: t } of all) {
    const f = t.split(',');
    if (f.length !== 30) {
      rejected.push({ row: line, reason: `${f.length} fields where the 2000→2010 tract relationship layout has 30` });
      continue;
    }
    const source = normalizeGeoid(f[3]);
    const target = normalizeGeoid(f[12]);
    const hu = number(f[27]);
    const pop = number(f[24]);
    const land = number(f[19]);
    if (!source.ok) rejected.push({ row: line, column: 'GEOID00', reason: source.reason });
    else if (!target.ok) rejected.push({ row: line, column: 'GEOID10', reason: target.reason });
    else if ([hu, pop, land].some(Number.isNaN)) rejected.push({ row: line, column: 'HU10PT', reason: `HU10PT "${f[27]}", POP10PT "${f[24]}" or AREALANDPT "${f[19]}" is not a count` });
    else if (!keepSource || keepSource(source.geoid)) parts.push({ source: source.geoid, target: target.geoid, measures: [hu, pop, land] });
  }
  if (parts.length === 0 && rejected.length > 0) {
    throw new InputError({ file, problem: `none of its ${all.length} lines is a relationship record (${rejected[0].reason})`, expected: 'the 2000→2010 tract relationship layout (30 comma-separated fields, no header)', action: 'Check --geo-base: the file may have moved or changed layout.' });
  }
  const { rows, fallbacks } = weightParts(parts);
  return {
    file,
    rows,
    rejected,
    linesRead: all.length,
    weighting: 'share of the 2000 tract\'s 2010 housing units in each part (HU10PT ÷ Σ HU10PT; population, then land area, where a tract has no housing units)',
    fallbacks,
  };
}

/** 2010 → 2020 tracts or block groups, weighted by land area of each part. */
export function relationship2010to2020(file: string, text: string, unit: CensusUnit, keepSource?: (geoid: string) => boolean): RelationshipCrosswalk {
  const all = lines(text);
  if (all.length === 0) throw new InputError({ file, problem: 'the file is empty', action: 'Run the command again; if it persists, check --geo-base.' });
  const header = all[0].text.split('|').map((h) => h.trim().replace(/^\uFEFF/, ''));
  const tag = unit === 'tract' ? 'TRACT' : 'BLKGRP';
  const need = [`GEOID_${tag}_10`, `GEOID_${tag}_20`, 'AREALAND_PART', 'AREAWATER_PART'];
  const missing = need.filter((n) => !header.includes(n));
  if (missing.length) {
    throw new InputError({
      file,
      problem: `the header lacks ${missing.join(', ')} (it has ${header.slice(0, 8).join(', ')}…)`,
      expected: `the 2020 ${unit} relationship layout (pipe-separated, ${need.join(', ')})`,
      action: 'Check --geo-base: the file may have moved or changed layout.',
    });
  }
  const [s, t, land, water] = need.map((n) => header.indexOf(n));
  const parts: Part[] = [];
  const rejected: RejectedRow[] = [];
  for (const { line, text: row } of all.slice(1)) {
    const f = row.split('|');
    if (f.length !== header.length) {
      rejected.push({ row: line, reason: `${f.length} fields for ${header.length} columns` });
      continue;
    }
    if (f[s].trim() === '' || f[t].trim() === '') {
      rejected.push({ row: line, reason: `a ${unit} with no ${f[s].trim() === '' ? '2010' : '2020'} counterpart (water or a changed coastline); it holds no households` });
      continue;
    }
    const source = normalizeGeoid(f[s]);
    const target = normalizeGeoid(f[t]);
    const l = number(f[land]);
    const w = number(f[water]);
    if (!source.ok) rejected.push({ row: line, column: need[0], reason: source.reason });
    else if (!target.ok) rejected.push({ row: line, column: need[1], reason: target.reason });
    else if (Number.isNaN(l) || Number.isNaN(w)) rejected.push({ row: line, column: 'AREALAND_PART', reason: `"${f[land]}" / "${f[water]}" is not an area in square metres` });
    else if (!keepSource || keepSource(source.geoid)) parts.push({ source: source.geoid, target: target.geoid, measures: [l, l + w] });
  }
  const { rows, fallbacks } = weightParts(parts);
  return {
    file,
    rows,
    rejected,
    linesRead: all.length - 1,
    weighting: `share of the 2010 ${unit}'s land area in each part (AREALAND_PART ÷ Σ AREALAND_PART; total area where a ${unit} has no land)`,
    fallbacks,
  };
}
