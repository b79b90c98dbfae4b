/**
 * Headless Chromium for browser tests and benchmarks: Debian's chromium driven by playwright-core
 * (no browser downloads), with the flags that give maplibre WebGL2 through SwiftShader
 * (shared/TOOLCHAIN.md).
 */
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

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
    errors.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber + 1})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'unknown'}`));
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}
