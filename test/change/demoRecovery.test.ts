/**
 * The demo's planted truth (data/demo/truth.csv) recovered by the change flags, with the
 * dataset's crosswalk and with area weights computed from the two boundary sets.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadBundle } from '../../src/data/bundle';
import { datasetFromBundle, type Dataset } from '../../src/data/dataset';
import { prepareYearPair } from '../../src/data/yearPair';
import { changeAnalysis, type FlagId } from '../../src/core/change';
import { areaCrosswalk } from '../../src/core/crosswalk';

async function demo(): Promise<Dataset> {
  return datasetFromBundle(await loadBundle(async (f) => readFileSync(`data/demo/${f}`, 'utf8')));
}
const truth = new Map(
  readFileSync('data/demo/truth.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',') as [string, string]),
);

function score(flagged: Set<string>, planted: Set<string>) {
  const tp = [...flagged].filter((g) => planted.has(g)).length;
  return { precision: flagged.size ? tp / flagged.size : 0, recall: planted.size ? tp / planted.size : 0, flagged: flagged.size, planted: planted.size };
}
const plantedAs = (...labels: string[]) => new Set([...truth].filter(([, p]) => labels.includes(p)).map(([g]) => g));

const options = { scheme: { kind: 'ami6' }, ami: { kind: 'auto' } } as const;

describe('demo truth recovered (precision and recall ≥ 0.9)', () => {
  for (const to of [2023, 2018]) {
    for (const weights of ['crosswalk', 'area'] as const) {
      it(`2000 → ${to}, ${weights === 'crosswalk' ? "the bundle's crosswalk" : 'area weights from the two boundary sets'}`, async () => {
        const d = await demo();
        const crosswalk =
          weights === 'area'
            ? { rows: areaCrosswalk(d.boundaries.get('2000')!.features, d.boundaries.get('2010')!.features), source: 'area weights' }
            : null;
        const pair = prepareYearPair(d, 2000, to, options, crosswalk);
        const change = changeAnalysis(pair.from, pair.to, { largestSourceWeight: pair.largestSourceWeight });
        const flagged = (f: FlagId) => new Set(change.tracts.filter((t) => t.flags[f]).map((t) => t.geoid));
        const results = {
          stable_mixed: score(flagged('stable_mixed'), plantedAs('stable_mixed')),
          // Transitional tracts are income upgrading too (METHOD §5): mixed now, on the way up.
          income_upgrading: score(flagged('income_upgrading'), plantedAs('income_upgrading', 'transitional')),
          transitional: score(flagged('transitional'), plantedAs('transitional')),
        };
        console.info(`demo 2000→${to} (${weights}): ${JSON.stringify(results)}`);
        for (const f of ['stable_mixed', 'income_upgrading'] as const) {
          expect(results[f].precision, `${f} precision`).toBeGreaterThanOrEqual(0.9);
          expect(results[f].recall, `${f} recall`).toBeGreaterThanOrEqual(0.9);
        }
        expect(results.transitional.recall).toBeGreaterThanOrEqual(0.8);
        // The split tracts are marked, and only they.
        const changed = new Set(change.tracts.filter((t) => t.boundaryChanged).map((t) => t.geoid));
        expect(changed).toEqual(plantedAs('split'));
      });
    }
  }
});
