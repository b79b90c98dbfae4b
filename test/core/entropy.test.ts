import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diversityClass, entropyIndex } from '../../src/core/entropy';

describe('entropyIndex — the seed\'s worked mixes (seed 003; Galster et al. 2008, p. 266)', () => {
  const cases: [number[], number, string][] = [
    [[1 / 3, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0], 0.871, 'high'],
    [[1 / 2, 1 / 6, 1 / 6, 1 / 6, 0, 0], 0.693, 'moderate'],
    [[2 / 3, 1 / 6, 1 / 6, 0, 0, 0], 0.484, 'low'],
  ];
  it.each(cases)('%j → H = %f, class %s', (mix, h, cls) => {
    const value = entropyIndex(mix)!;
    expect(value).toBeCloseTo(h, 3);
    expect(diversityClass(value, 1000)).toBe(cls);
  });
  it('is 1 for an even mix and 0 for one group', () => {
    expect(entropyIndex([5, 5, 5, 5, 5, 5])).toBeCloseTo(1, 12);
    expect(entropyIndex([0, 0, 42, 0, 0, 0])).toBe(0);
  });
  it('is null without households, and such tracts are insufficient, never zero', () => {
    expect(entropyIndex([0, 0, 0, 0, 0, 0])).toBeNull();
    expect(diversityClass(null, 0)).toBe('insufficient');
  });
  it('counts and shares give the same H', () => {
    expect(entropyIndex([200, 100, 100, 100, 100, 0])).toBeCloseTo(entropyIndex([1 / 3, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0])!, 12);
  });
  it('agrees with the textbook formula −Σ p ln p / ln k on a hand-worked mix', () => {
    // p = (.1,.2,.3,.4): −Σ p ln p = 1.279854…, ln 4 = 1.386294… → 0.923218…
    expect(entropyIndex([1, 2, 3, 4])).toBeCloseTo(0.9232196, 6);
  });
});

describe('diversityClass thresholds', () => {
  it('puts the boundaries in the higher class', () => {
    expect(diversityClass(0.87, 500)).toBe('high');
    expect(diversityClass(0.8699999, 500)).toBe('moderate');
    expect(diversityClass(0.69, 500)).toBe('moderate');
    expect(diversityClass(0.48, 500)).toBe('low');
    expect(diversityClass(0.4799, 500)).toBe('not-diverse');
  });
  it('marks tracts below the minimum household count insufficient', () => {
    expect(diversityClass(0.95, 99)).toBe('insufficient');
    expect(diversityClass(0.95, 100)).toBe('high');
    expect(diversityClass(0.95, 20, 10)).toBe('high');
  });
});

describe('entropyIndex properties', () => {
  const mix = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e5, noNaN: true })), { minLength: 2, maxLength: 12 }).filter((a) => a.some((x) => x > 0));
  it('lies in [0, 1]', () => {
    fc.assert(fc.property(mix, (a) => {
      const h = entropyIndex(a)!;
      return h >= 0 && h <= 1;
    }));
  });
  it('does not depend on the order of the groups', () => {
    const mixAndPermutation = mix.chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length })));
    fc.assert(fc.property(mixAndPermutation, ([a, shuffled]) => Math.abs(entropyIndex(a)! - entropyIndex(shuffled)!) < 1e-9));
  });
  it('does not depend on scale (counts vs shares)', () => {
    fc.assert(fc.property(mix, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (a, s) => Math.abs(entropyIndex(a)! - entropyIndex(a.map((x) => x * s))!) < 1e-9));
  });
});
