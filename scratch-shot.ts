import { join } from 'node:path';
import { ensureAppBuilt, REPO } from './test/browser/build';
import { launchChromium, collectConsoleErrors } from './test/browser/chromium';
import { startServer } from './test/browser/server';
const dist = await ensureAppBuilt();
const server = await startServer({ root: dist, mounts: { '/bundles/demo/': join(REPO, 'data', 'demo') } });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
const errors = collectConsoleErrors(page);
await page.goto(`${server.url}/index.html${process.argv[2] ?? ''}`);
await page.waitForFunction(() => (window as any).__tractmix?.status === 'ready', null, { timeout: 60000 });
await page.waitForTimeout(500);
if (process.argv[4]) {
  const g = process.argv[4];
  const p = await page.evaluate(async (g) => { const t = (window as any).__tractmix; const q = t.map.map.project(await t.pointIn(g)); return [q.x, q.y]; }, g);
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + p[0], box.y + p[1]); await page.waitForTimeout(300);
}
await page.screenshot({ path: process.argv[3] ?? '/tmp/shot.png' });
console.log('errors', errors);
await browser.close(); await server.close();
