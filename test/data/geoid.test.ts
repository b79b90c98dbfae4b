import { describe, expect, it } from 'vitest';
import { detectGeoidLength, normalizeGeoid } from '../../src/data/geoid';

describe('normalizeGeoid (METHOD §1)', () => {
  it.each([
    ['17031010100', '17031010100', false],
    ['8001007801', '08001007801', true], // saved as a number: lost the leading zero
    ['8001007801.0', '08001007801', true], // pandas float
    ['17031010100.0', '17031010100', true],
    ['1400000US17031010100', '17031010100', true],
    ['"08031000201"', '08031000201', false], // CSV quoting is not damage
    ['1.7031010100E+10', '17031010100', true], // scientific notation that carries every digit
    [' 53033000100 ', '53033000100', false],
  ])('%s → %s', (raw, geoid, repaired) => {
    expect(normalizeGeoid(raw)).toEqual({ ok: true, geoid, repaired });
  });
  it.each([
    ['1.7031E+10', /rounded number in scientific notation/],
    ['', /empty/],
    ['17031-0101', /not a census GEOID/],
    ['17031010', /has 8 digits; a tract GEOID has 11/],
    ['170310101001', /has 12 digits; a tract GEOID has 11/],
    ['00031010100', /no valid state code/],
  ])('rejects %j', (raw, reason) => {
    const r = normalizeGeoid(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
  it('reads block groups at 12 digits and restores their lost zero', () => {
    expect(normalizeGeoid('1500000US110010001001', 12)).toEqual({ ok: true, geoid: '110010001001', repaired: true });
    expect(normalizeGeoid('80310002011', 12)).toEqual({ ok: true, geoid: '080310002011', repaired: true });
    expect(detectGeoidLength(['110010001001', '110010001002'])).toBe(12);
    expect(detectGeoidLength(['8001007801', '08001007802'])).toBe(11);
  });
});
