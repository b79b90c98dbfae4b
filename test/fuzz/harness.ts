/**
 * The fuzz suite's harness (issue 9): the CLI run in-process on generated files, the invariants
 * every run must keep, and a tally of cases per input family for the README's figures.
 */
import { expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli';

/** Fixed so failures reproduce; FUZZ_SEED=<n> explores other inputs. */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 9;

const tally = new Map<string, { cases: number; maxHeapGrowthMb: number; exit0: number; exit2: number }>();

/** Count one case of a family (and its heap growth, reported, not asserted on time). */
export function countCase(family: string, result?: { code: number }, heapGrowthMb = 0): void {
  const t = tally.get(family) ?? { cases: 0, maxHeapGrowthMb: 0, exit0: 0, exit2: 0 };
  t.cases++;
  t.maxHeapGrowthMb = Math.max(t.maxHeapGrowthMb, heapGrowthMb);
  if (result?.code === 0) t.exit0++;
  if (result?.code === 2) t.exit2++;
  tally.set(family, t);
}

export function tallyReport(): string {
  const rows = [...tally].map(([f, t]) => `  ${f}: ${t.cases} cases (exit 0: ${t.exit0}, exit 2: ${t.exit2}), max heap growth ${t.maxHeapGrowthMb.toFixed(0)} MB`);
  const total = [...tally.values()].reduce((s, t) => s + t.cases, 0);
  return `fuzz (seed ${SEED}): ${total} cases in ${tally.size} families\n${rows.join('\n')}`;
}

export function tallyTotal(): number {
  return [...tally.values()].reduce((s, t) => s + t.cases, 0);
}

/** Heap growth a single small case may cause: far above what a run on a few kilobytes needs. */
export const MAX_HEAP_GROWTH_MB = 400;

/** Run the CLI in-process and check the invariants every run keeps. */
export async function runChecked(family: string, argv: string[]): Promise<CliResult> {
  const before = process.memoryUsage().heapUsed;
  const r = await runCli(...argv);
  const growth = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  countCase(family, r, growth);
  const context = `argv: ${JSON.stringify(argv).slice(0, 400)}\nstderr: ${r.stderr.slice(0, 1500)}`;
  // Exit 0 or 2 only; never "internal error", never a stack trace.
  expect([0, 2], context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(/internal error|please report/i);
  expect(r.stderr, context).not.toMatch(/\n\s+at .+:\d+:\d+/);
  // A failure is one message naming what went wrong; a success prints no "tractmix:" failure.
  if (r.code === 2) expect(r.stderr, context).toMatch(/^tractmix: .+/m);
  else expect(r.stderr, context).not.toMatch(/^tractmix: /m);
  expect(growth, context).toBeLessThan(MAX_HEAP_GROWTH_MB);
  return r;
}

/** Rows accounted for in every income report: read = usable + rejected. */
export function accounting(stderr: string): { read: number; usable: number; rejected: number }[] {
  const out: { read: number; usable: number; rejected: number }[] = [];
  for (const m of stderr.matchAll(/(\d+) rows read, (\d+) usable, (\d+) rejected/g)) {
    const [read, usable, rejected] = [Number(m[1]), Number(m[2]), Number(m[3])];
    expect(read, stderr.slice(0, 800)).toBe(usable + rejected);
    out.push({ read, usable, rejected });
  }
  return out;
}

/** A scratch folder for one family's files, removed by `done`. */
export function scratch(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tractmix-fuzz-${prefix}-`));
  let n = 0;
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, content);
      return path;
    },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const UPPERS = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
export const UDP_HEADER = ['GEOID', 'hh_18', ...UPPERS.map((u) => `I_${u}_18`)];

/** A tract id in state 17 (Illinois), county 031. */
export const tractId = (i: number) => `17031${String(10000 + i).padStart(6, '0')}`;

/** One UDP-style row with brackets that add up to the total. */
export function udpRow(id: string, counts: readonly number[]): string[] {
  return [id, String(counts.reduce((a, b) => a + b, 0)), ...counts.map(String)];
}

/** GEOIDs of an analyze CSV on stdout. */
export function outputIds(stdout: string): string[] {
  return stdout
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(',')[0]);
}
