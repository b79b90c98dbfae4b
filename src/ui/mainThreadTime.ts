/** `f()`, its time on the main thread added to `info.mainThreadMs` (the runners' figures for the test hooks and the benchmark). */
export function timedInto<T>(info: { mainThreadMs: number }, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    info.mainThreadMs += performance.now() - t0;
  }
}
