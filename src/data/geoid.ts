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

/**
 * The GEOID length a column of ids is written for: block groups when any id has 12 digits, else
 * tracts. Block-group ids that all lost their leading zero look like tracts: formats that say
 * they hold block groups (AFF `1500000US`, the API's `block group` column) pass the length.
 */
export function detectGeoidLength(raws: readonly (string | number)[]): number {
  for (const raw of raws) {
    const c = canonicalDigits(String(raw));
    if (!('reason' in c) && c.digits.length === BLOCK_GROUP_GEOID_LENGTH) return BLOCK_GROUP_GEOID_LENGTH;
  }
  return TRACT_GEOID_LENGTH;
}

/** The tract a block group lies in: its first 11 digits. */
export function tractOfBlockGroup(geoid: string): string {
  return geoid.slice(0, TRACT_GEOID_LENGTH);
}
