/**
 * The uncertainty sample crosses from the analysis worker packed in one Float64Array: unpacking
 * gives back exactly what `classUncertainty` made (every interval bound, class probability and
 * flag, NaN where a tract has no MOEs), for random bracket counts and margins of error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeSnapshot, type IncomeSnapshot } from '../../src/core/analyze';
import { BRACKETS_16 } from '../../src/core/brackets';
import { classUncertainty } from '../../src/core/uncertainty';
import { packUncertainty, unpackUncertainty } from '../../src/ui/analysisMessages';

describe('packUncertainty / unpackUncertainty', () => {
  it('give back the sample exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.nat(400), { minLength: 16, maxLength: 16 }), fc.option(fc.array(fc.nat(150), { minLength: 16, maxLength: 16 }))), { minLength: 1, maxLength: 12 }),
        (units) => {
          const n = units.length;
          const moe = new Float64Array(n * 16).fill(NaN);
          units.forEach(([, m], u) => m && moe.set(m, u * 16));
          const snapshot: IncomeSnapshot = {
            year: 2018,
            incomeYear: 2018,
            set: BRACKETS_16,
            universe: 'households',
            geoids: units.map((_, u) => `17031${String(u).padStart(6, '0')}`),
            counts: Float64Array.from(units.flatMap(([c]) => c)),
            publishedMedians: units.map(() => null),
            moe,
          };
          const analysis = analyzeSnapshot(snapshot, { scheme: { kind: 'ami6' }, ami: { kind: 'typed', dollars: 80_000 } });
          const u = classUncertainty(snapshot, analysis, 20)!;
          expect(unpackUncertainty(packUncertainty(u))).toEqual(u);
          expect(unpackUncertainty(packUncertainty(null))).toBeNull();
        },
      ),
      { numRuns: 50 },
    );
  });
});
