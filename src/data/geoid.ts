/**
 * GEOID normalisation (METHOD.md §1). Real files mangle census ids: numbers that lost a leading
 * zero (`8001007801`), float formatting (`8001007801.0`), prefixed ids (`1400000US17031010100`)
 * and spreadsheet scientific notation (`1.7031E+10`). What is unambiguous is repaired and
 * reported; what is not is rejected with the reason.
 */

/** Digits in a tract GEOID (state 2 + county 3 + tract 6) and in a block-group GEOID (+1). */
export const TRACT_GEOID_LENGTH = 11;
export const BLOCK_GROUP_GEOID_LENGTH = 12;

export type GeoidResult =
  | { readonly ok: true; readonly geoid: string; readonly repaired: boolean }
  | { readonly ok: false; readonly reason: string };

/** Digits of a raw id with the unambiguous mangling undone; `repaired` says whether it changed. */
function canonicalDigits(raw: string): { digits: string; repaired: boolean } | { reason: string } {
  let s = raw.trim().replace(/^"(.*)"$/, '$1').trim();
  const original = s;
  if (s === '') return { reason: 'the id is empty' };
  const us = /^\d{3}0{4}US(\d+)$/i.exec(s);
  if (us) s = us[1];
  const sci = /^(\d)(?:\.(\d+))?[eE]\+?(\d+)$/.exec(s);
  if (sci) {
    const decimals = sci[2] ?? '';
    const exponent = Number(sci[3]);
    if (decimals.length > exponent) return { reason: `"${original}" is not a whole number` };
    const trailing = exponent - decimals.length;
    // A spreadsheet shows ~6 significant digits; only a mantissa that carries the whole id is exact.
    if (sci[1].length + decimals.length < TRACT_GEOID_LENGTH - 1) {
      return {
        reason: `"${original}" is a rounded number in scientific notation (a spreadsheet dropped digits); the full id cannot be recovered`,
      };
    }
    s = sci[1] + decimals + '0'.repeat(trailing);
  }
  const float = /^(\d+)\.0*$/.exec(s);
  if (float) s = float[1];
  if (!/^\d+$/.test(s)) return { reason: `"${original}" is not a census GEOID (digits expected)` };
  return { digits: s, repaired: s !== original };
}

/**
 * Normalise one id to `length` digits (11 for tracts, 12 for block groups). One lost leading
 * zero is restored (no state FIPS code starts with two zeros).
 */
export function normalizeGeoid(raw: string | number, length: number = TRACT_GEOID_LENGTH): GeoidResult {
  const c = canonicalDigits(String(raw));
  if ('reason' in c) return { ok: false, reason: c.reason };
  let { digits, repaired } = c;
  if (digits.length === length - 1) {
    digits = '0' + digits;
    repaired = true;
  }
  if (digits.length !== length) {
    return {
      ok: false,
      reason: `"${String(raw).trim()}" has ${digits.length} digits; a ${length === BLOCK_GROUP_GEOID_LENGTH ? 'block-group' : 'tract'} GEOID has ${length}`,
    };
  }
  if (digits.startsWith('00')) return { ok: false, reason: `"${String(raw).trim()}" has no valid state code` };
  return { ok: true, geoid: digits, repaired };
}

export type GeoUnit = 'tract' | 'block group';

/** Census summary levels of GEO_ID prefixes (`1400000US…`): 140 tract, 150 block group. */
const SUMMARY_LEVELS: Readonly<Record<string, GeoUnit>> = { '140': 'tract', '150': 'block group' };

/**
 * The unit one id says it is, from its own form only: a GEO_ID summary-level prefix, else
 * 12 digits = block group and 10–11 = tract (one lost leading zero). Null for anything else
 * (other summary levels, other lengths: the normaliser rejects those with the reason).
 */
export function unitOfId(raw: string | number): GeoUnit | null {
  const s = String(raw).trim().replace(/^"(.*)"$/, '$1').trim();
  const prefix = /^(\d{3})0{4}US/i.exec(s);
  if (prefix) return SUMMARY_LEVELS[prefix[1]] ?? null;
  const c = canonicalDigits(s);
  if ('reason' in c) return null;
  if (c.digits.length === BLOCK_GROUP_GEOID_LENGTH) return 'block group';
  if (c.digits.length === TRACT_GEOID_LENGTH || c.digits.length === TRACT_GEOID_LENGTH - 1) return 'tract';
  return null;
}

export interface UnitCount {
  /** The unit most ids are (tracts on a tie). */
  readonly kind: GeoUnit;
  readonly tract: number;
  readonly blockGroup: number;
}

/**
 * The unit of a column of ids: the one most of them say they are (each by its own form), with
 * the counts, so that one stray block group never re-keys a file of tracts (or the reverse).
 */
export function unitOfIds(raws: readonly (string | number)[]): UnitCount {
  let tract = 0;
  let blockGroup = 0;
  for (const raw of raws) {
    const u = unitOfId(raw);
    if (u === 'tract') tract++;
    else if (u === 'block group') blockGroup++;
  }
  return { kind: blockGroup > tract ? 'block group' : 'tract', tract, blockGroup };
}

/**
 * One id of a file of `kind` units, normalised from its own form. An id whose form is the other
 * unit is rejected (a mixed file), never padded or cut to fit. With `declared` (the file's format
 * says it holds block groups), an 11-digit id is a block group that lost its leading zero.
 */
export function normalizeGeoidAs(raw: string | number, kind: GeoUnit, declared = false): GeoidResult {
  const own = unitOfId(raw);
  const text = String(raw).trim();
  const hasPrefix = /^"?\d{3}0{4}US/i.test(text);
  if (own !== null && own !== kind && !(declared && kind === 'block group' && own === 'tract' && !hasPrefix)) {
    return { ok: false, reason: `"${text}" is a ${own} id, but the file holds ${kind}s (a mixed file: this row is left out)` };
  }
  return normalizeGeoid(raw, kind === 'block group' ? BLOCK_GROUP_GEOID_LENGTH : TRACT_GEOID_LENGTH);
}

/** A note for a file whose ids are of both units. */
export function mixedUnitsNote(file: string, count: UnitCount): string | null {
  const other = count.kind === 'tract' ? count.blockGroup : count.tract;
  if (other === 0) return null;
  const otherName = count.kind === 'tract' ? 'block groups' : 'tracts';
  return `${file} mixes tracts and block groups: read as ${count.kind}s (${count.kind === 'tract' ? count.tract : count.blockGroup} ids); its ${other} ${otherName} are rejected`;
}

/** The tract a block group lies in: its first 11 digits. */
export function tractOfBlockGroup(geoid: string): string {
  return geoid.slice(0, TRACT_GEOID_LENGTH);
}
