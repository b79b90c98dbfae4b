import { describe, expect, it } from 'vitest';
import { normalizeGeoid, normalizeGeoidAs, unitOfId, unitOfIds } from '../../src/data/geoid';

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
  });
  it('each id says its own unit: prefix, else 12 digits = block group, 10–11 = tract', () => {
    expect(['1400000US17031010100', '1500000US170310101001', '170310101001', '17031010100', '8031000201', '0500000US17031', '1703'].map(unitOfId)).toEqual([
      'tract', 'block group', 'block group', 'tract', 'tract', null, null,
    ]);
  });
  it('one block group among 39 tracts re-keys nothing: the file is tracts, the block group is rejected', () => {
    const ids = [...Array.from({ length: 39 }, (_, i) => `170310101${String(i).padStart(2, '0')}`), '170310102001'];
    const count = unitOfIds(ids);
    expect(count).toEqual({ kind: 'tract', tract: 39, blockGroup: 1 });
    expect(ids.slice(0, 39).map((id) => normalizeGeoidAs(id, count.kind))).toEqual(ids.slice(0, 39).map((geoid) => ({ ok: true, geoid, repaired: false })));
    expect(normalizeGeoidAs('170310102001', 'tract')).toEqual({ ok: false, reason: '"170310102001" is a block group id, but the file holds tracts (a mixed file: this row is left out)' });
  });
  it('a file declared as block groups restores the lost zero; an undeclared one rejects 11-digit ids', () => {
    expect(normalizeGeoidAs('80310002011', 'block group', true)).toEqual({ ok: true, geoid: '080310002011', repaired: true });
    expect(normalizeGeoidAs('80310002011', 'block group', false).ok).toBe(false);
    expect(normalizeGeoidAs('1400000US08031000201', 'block group', true).ok).toBe(false);
  });
});
