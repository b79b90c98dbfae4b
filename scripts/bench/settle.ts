import type { Page } from 'playwright-core';

/**
 * Resolves when the page has run no long task (over 50 ms) for `quietMs`, or after `maxMs`. The
 * app does some work after its first complete paint (the uncertainty sample of a dataset with
 * margins of error, county lines and names, place names): a change made during it measured that
 * work instead of the repaint (the demo's AMI change took 1–2 s so, in main's build as well).
 */
export async function settle(page: Page, quietMs = 1000, maxMs = 30_000): Promise<void> {
  // A string: tsx would wrap functions inside the callback in a helper the page lacks.
  await page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now();
    let last = t0;
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) last = Math.max(last, e.startTime + e.duration); });
    observer.observe({ type: 'longtask', buffered: true });
    const check = () => {
      const now = performance.now();
      if (now - last >= ${quietMs} || now - t0 > ${maxMs}) { observer.disconnect(); resolve(); } else setTimeout(check, 100);
    };
    check();
  })`);
}
