/**
 * The loading job sends the county context of each boundary set it loads (issue 8: the map draws it
 * with the tracts, not in one more repaint after them): the first year's boundaries right after the
 * first-year dataset, the others after the whole dataset, then `finished` once. Known answers from
 * the demo bundle (data/demo/bundle.json and README.md): 430 tracts on the 2010 boundaries, 415 on
 * the 2000 ones, two counties (001 north of the river, 003 south of it) in state 99.
 */
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../src/ui/loadJob';
import type { LoadReply } from '../../src/ui/loadMessages';

async function replies(request: Parameters<typeof runLoad>[0]): Promise<LoadReply[]> {
  const got: LoadReply[] = [];
  await runLoad(request, (reply) => got.push(reply), Promise.resolve());
  return got;
}

describe('runLoad: the county context comes with the boundaries', () => {
  it('the demo: the 2010 context right after the first year, the 2000 one after the dataset, then finished', async () => {
    const got = (await replies({ id: 7, kind: 'demo' })).filter((r) => r.kind !== 'progress');
    expect(got.map((r) => (r.kind === 'context' ? `context ${r.key}` : r.kind))).toEqual(['first-year', 'context 2010', 'done', 'context 2000', 'finished']);
    expect(got.every((r) => r.id === 7)).toBe(true);
    const context = (key: string) => (got.find((r) => r.kind === 'context' && r.key === key) as Extract<LoadReply, { kind: 'context' }>).context;
    for (const [key, tracts] of [['2010', 430], ['2000', 415]] as const) {
      const c = context(key);
      expect(c.tractPoints.features.length).toBe(tracts);
      expect(c.countyPoints.features.map((f) => f.properties.county).sort()).toEqual(['99001', '99003']);
      expect(c.countyPoints.features.reduce((s, f) => s + f.properties.tracts, 0)).toBe(tracts);
      expect([...c.countyBounds.keys()].sort()).toEqual(['99001', '99003']);
      // One state: no state line.
      expect(c.countyLines.features.filter((f) => f.properties.kind === 'state')).toEqual([]);
    }
  });

  it('a load that fails says why, then finished; no context', async () => {
    const got = await replies({ id: 3, kind: 'files', files: [{ name: 'notes.txt', bytes: new TextEncoder().encode('not a boundary file') }] });
    expect(got.at(-2)?.kind).toBe('error');
    expect(got.at(-1)).toEqual({ id: 3, kind: 'finished' });
    expect(got.some((r) => r.kind === 'context')).toBe(false);
  });
});
