/**
 * Headless Chromium for browser tests and benchmarks: Debian's chromium driven by playwright-core
 * (no browser downloads), with the flags that give maplibre WebGL2 through SwiftShader
 * (shared/TOOLCHAIN.md).
 */
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { BASEMAPS } from '../../src/map/basemap';

/**
 * The default basemap's host is unreachable in tests by design (no internet; `--host-resolver-rules`):
 * the browser's own line about that failed request is expected, and the app's handling of it (tracts
 * drawn, one note) is tested in basemap.test.ts. Any other failure still counts.
 */
const DEFAULT_BASEMAP_ORIGINS = [...new Set(Object.values(BASEMAPS).map((b) => new URL(b.url).origin))];
const expectedOffline = (text: string) => DEFAULT_BASEMAP_ORIGINS.some((o) => text.includes(o)) || /Failed to load resource: net::ERR_NAME_NOT_RESOLVED/.test(text);

/**
 * Bundle files are fetched by the app's loading worker; Playwright reports some of those requests
 * as failed with net::ERR_ABORTED although their bodies arrive whole (seen: bundle.json "aborted"
 * in a load that completed, and it is asked for once). A real failure of such a file stops the
 * load with a message on the page, which the tests read; so only this report is set aside.
 */
function workerFetchMisreport(request: import('playwright-core').Request): boolean {
  return request.failure()?.errorText === 'net::ERR_ABORTED' && request.resourceType() === 'fetch' && /\.(json|topojson|csv|bin)$/.test(new URL(request.url()).pathname);
}

/** WebGL2 in software (SwiftShader) and a browser that makes no requests of its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing but this machine: the app's default basemap (an internet host) fails at once, as offline.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** `$CHROMIUM_PATH`, or Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(options: Omit<LaunchOptions, 'executablePath' | 'headless'> = {}): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/**
 * Everything that went wrong on a page, as lines of text, in the order it happened: console
 * errors (with their source location), uncaught exceptions and rejections, failed requests
 * (which Chromium does not always log), and a crash. The array is live: read it after the step
 * under test, e.g. `expect(errors).toEqual([])`.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    const line = `console.error: ${message.text()}${url ? ` (${url}:${lineNumber + 1})` : ''}`;
    if (!expectedOffline(line)) errors.push(line);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => {
    const line = `request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'unknown'}`;
    if (DEFAULT_BASEMAP_ORIGINS.some((o) => request.url().startsWith(o)) || workerFetchMisreport(request)) return;
    errors.push(line);
  });
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}
