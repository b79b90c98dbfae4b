/**
 * The main-thread benchmark splits each long task of a Chromium trace into the page's own work and
 * the time its main thread waited for the GPU process (scripts/bench/mainThread.ts). A hand-made
 * trace with known durations (µs, as Chromium writes them).
 */
import { describe, expect, it } from 'vitest';
import { splitLongTasks } from '../../scripts/bench/mainThread';

const MAIN = { pid: 7, tid: 1 };
const OTHER = { pid: 7, tid: 2 };
const task = (ts: number, dur: number, thread = MAIN) => ({ ph: 'X', name: 'ThreadControllerImpl::RunTask', ts, dur, ...thread });
const wait = (ts: number, dur: number, thread = MAIN) => ({ ph: 'X', name: 'CommandBufferProxyImpl::WaitForGetOffset', ts, dur, ...thread });

describe('splitLongTasks', () => {
  it('counts long tasks of the renderer main thread only, less the GPU waits inside each', () => {
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'thread_name', args: { name: 'CrRendererMain' }, ...MAIN },
        { ph: 'M', name: 'thread_name', args: { name: 'Compositor' }, ...OTHER },
        task(1_000_000, 300_000), // 300 ms, of which 200 ms waiting in two waits
        wait(1_050_000, 120_000),
        wait(1_200_000, 80_000),
        task(2_000_000, 90_000), // 90 ms, no wait
        task(3_000_000, 40_000), // 40 ms: not a long task
        wait(3_010_000, 20_000),
        task(4_000_000, 500_000, OTHER), // another thread
        wait(4_100_000, 300_000, OTHER),
        wait(5_000_000, 70_000), // a wait outside any long task
      ],
    };
    const split = splitLongTasks(Buffer.from(JSON.stringify(trace)));
    expect(split.traced).toBe(2);
    expect(split.gpuWait).toBeCloseTo(200, 9);
    expect(split.ownTotal).toBeCloseTo(100 + 90, 9);
    expect(split.ownLongest).toBeCloseTo(100, 9);
  });

  it('reads a trace written as a bare array of events', () => {
    const split = splitLongTasks(Buffer.from(JSON.stringify([{ ph: 'M', name: 'thread_name', args: { name: 'CrRendererMain' }, ...MAIN }, task(0, 60_000)])));
    expect(split).toEqual({ traced: 1, gpuWait: 0, ownLongest: 60, ownTotal: 60 });
  });
});
