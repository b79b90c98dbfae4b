/** Crosswalks that do not conserve households are caught (issue 9). Answers worked by hand. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crosswalkConservation, CROSSWALK_SUM_TOLERANCE } from '../../src/core/crosswalk';

describe('crosswalkConservation', () => {
  const households = new Map([['a', 100], ['b', 40]]);
  it('a split tract (0.6 + 0.4) and a whole one conserve: 140 before, 140 after', () => {
    const c = crosswalkConservation([
      { source: 'a', target: 'x', weight: 0.6 },
      { source: 'a', target: 'y', weight: 0.4 },
      { source: 'b', target: 'y', weight: 1 },
    ], households);
    expect(c.offSources).toEqual([]);
    expect(c.duplicates).toEqual([]);
    expect(c.householdsBefore).toBe(140);
    expect(c.householdsAfter).toBeCloseTo(140, 9);
  });
  it('weights adding to 2: the source is named with its sum, households 100 → 200', () => {
    const c = crosswalkConservation([
      { source: 'a', target: 'x', weight: 1 },
      { source: 'a', target: 'y', weight: 1 },
    ], new Map([['a', 100]]));
    expect(c.offSources).toEqual([{ source: 'a', sum: 2 }]);
    expect(c.householdsAfter).toBe(200);
  });
  it('a duplicated row is listed with its count', () => {
    const row = { source: 'a', target: 'x', weight: 1 };
    const c = crosswalkConservation([row, row, { source: 'b', target: 'x', weight: 1 }], households);
    expect(c.duplicates).toEqual([{ source: 'a', target: 'x', count: 2 }]);
    expect(c.offSources).toEqual([{ source: 'a', sum: 2 }]);
    expect(c.householdsAfter).toBe(240);
  });
  it('weights of 0.5 halve the households and name every source', () => {
    const c = crosswalkConservation([{ source: 'a', target: 'x', weight: 0.5 }, { source: 'b', target: 'x', weight: 0.5 }], households);
    expect(c.offSources.map((o) => o.source)).toEqual(['a', 'b']);
    expect(c.householdsAfter).toBe(70);
  });
  it(`sums within ±${CROSSWALK_SUM_TOLERANCE} are rounding, not a problem`, () => {
    const c = crosswalkConservation([{ source: 'a', target: 'x', weight: 0.3333 }, { source: 'a', target: 'y', weight: 0.3333 }, { source: 'a', target: 'z', weight: 0.3333 }]);
    expect(c.offSources).toEqual([]);
    expect(c.householdsBefore).toBeNull();
  });
  it('property: weights that split each source whole conserve households exactly (up to float rounding)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ households: fc.integer({ min: 0, max: 10_000 }), parts: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }) }), { minLength: 1, maxLength: 30 }),
        (sources) => {
          const rows = sources.flatMap((s, i) => {
            const total = s.parts.reduce((a, b) => a + b, 0);
            return s.parts.map((p, j) => ({ source: `s${i}`, target: `t${i}-${j}`, weight: p / total }));
          });
          const c = crosswalkConservation(rows, new Map(sources.map((s, i) => [`s${i}`, s.households])));
          expect(c.offSources).toEqual([]);
          expect(c.householdsAfter!).toBeCloseTo(c.householdsBefore!, 6);
        },
      ),
    );
  });
});
