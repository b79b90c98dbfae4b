/** `tractmix change --crosswalk` warns when a crosswalk does not conserve households (issue 9). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'tractmix-xwalk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = readFileSync('data/demo/crosswalk-2000-2010.csv', 'utf8').trim().split('\n');
const [header, ...rows] = demo;
// Households of the demo's 2000 year (income-2000.csv, Σ hh_00), summed independently of the code under test.
const hh00 = (() => {
  const [head, ...lines] = readFileSync('data/demo/income-2000.csv', 'utf8').trim().split('\n');
  const col = head.split(',').indexOf('hh_00');
  return lines.reduce((s, l) => s + Number(l.split(',')[col]), 0);
})();
const xwalk = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, [header, ...lines].join('\n') + '\n');
  return path;
};
const change = (path: string) => runCli('change', '--bundle', 'data/demo', '--from', '2000', '--to', '2023', '--crosswalk', path);

describe('crosswalk conservation in tractmix change', () => {
  it('the demo crosswalk conserves: households before = after, no warning', async () => {
    const r = await change(xwalk('ok.csv', rows));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`households 2000: ${hh00} before the move, ${hh00} after`);
    expect(r.stderr).not.toMatch(/do not add up|more than once|the move changes/);
  });
  it('every row twice: duplicates named, households doubled and said so', async () => {
    const r = await change(xwalk('dup.csv', [...rows, ...rows]));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARNING: the crosswalk lists \d+ source→target pairs more than once/);
    expect(r.stderr).toMatch(/WARNING: the crosswalk's weights of \d+ 2000 tracts do not add up to 1 \(±0\.01\)/);
    expect(r.stderr).toContain(`households 2000: ${hh00} before the move, ${2 * hh00} after`);
    expect(r.stderr).toMatch(/WARNING: the move changes the 2000 households from [\d,]+ to [\d,]+ \(\+100\.0%\)/);
  });
  it('weights of 0.5: households halved and said so', async () => {
    const half = rows.map((r) => r.replace(/,[^,]*$/, (w) => `,${Number(w.slice(1)) / 2}`));
    const r = await change(xwalk('half.csv', half));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`households 2000: ${hh00} before the move, ${hh00 / 2} after`);
    expect(r.stderr).toMatch(/the move changes the 2000 households .*\(-50\.0%\)/);
  });
});
