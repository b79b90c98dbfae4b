/** The static server of the browser tests: content types, mounts, 404s, no way out of a folder. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StaticServer } from './server';

let server: StaticServer;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'tractmix-server-'));
  mkdirSync(join(root, 'app', 'assets'), { recursive: true });
  writeFileSync(join(root, 'app', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'app', 'assets', 'main.js'), 'export {};');
  writeFileSync(join(root, 'app', 'assets', 'worker.mjs'), 'export {};');
  writeFileSync(join(root, 'app', 'assets', 'a b.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(root, 'secret.txt'), 'not served');
  mkdirSync(join(root, 'bundle'));
  writeFileSync(join(root, 'bundle', 'bundle.json'), '{"format":"tractmix-bundle"}');
  writeFileSync(join(root, 'bundle', 'boundaries-main.topojson'), '{}');
  writeFileSync(join(root, 'bundle', 'income-2018.csv'), 'GEOID\n');
  server = await startServer({ root: join(root, 'app'), mounts: { '/bundles/chicago': join(root, 'bundle') } });
});
afterAll(() => server.close());

it('listens on 127.0.0.1 and serves files with their content types', async () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const cases: [string, RegExp][] = [
    ['/', /^text\/html/],
    ['/index.html', /^text\/html/],
    ['/assets/main.js', /^text\/javascript/],
    ['/assets/worker.mjs', /^text\/javascript/],
    ['/assets/a%20b.wasm', /^application\/wasm$/],
    ['/bundles/chicago/bundle.json', /^application\/json/],
    ['/bundles/chicago/boundaries-main.topojson', /^application\/json/],
    ['/bundles/chicago/income-2018.csv', /^text\/csv/],
  ];
  for (const [path, type] of cases) {
    const r = await fetch(server.url + path);
    expect(r.status, path).toBe(200);
    expect(r.headers.get('content-type'), path).toMatch(type);
  }
  expect(await (await fetch(`${server.url}/bundles/chicago/bundle.json`)).json()).toEqual({ format: 'tractmix-bundle' });
});

it('answers 404 for missing files and for paths out of a served folder, and records them', async () => {
  expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
  expect((await fetch(`${server.url}/bundles/chicago/nope.csv`)).status).toBe(404);
  // URL parsing drops `..` segments, but an encoded slash survives it and decodes to `/../`.
  const status = await new Promise<number>((resolve, reject) => {
    const { port } = new URL(server.url);
    request({ host: '127.0.0.1', port, path: '/%2e%2e%2fsecret.txt' }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
  expect(status).toBe(404);
  expect(server.notFound).toEqual(['/nope.js', '/bundles/chicago/nope.csv', '/../secret.txt']);
});

it('answers byte ranges as a static host does (PMTiles archives are read so)', async () => {
  const url = `${server.url}/bundles/chicago/bundle.json`; // {"format":"tractmix-bundle"}: 28 bytes
  const part = await fetch(url, { headers: { range: 'bytes=2-7' } });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-range')).toBe('bytes 2-7/28');
  expect(await part.text()).toBe('format');
  const tail = await fetch(url, { headers: { range: 'bytes=-2' } });
  expect(await tail.text()).toBe('"}');
  const open = await fetch(url, { headers: { range: 'bytes=20-' } });
  expect(await open.text()).toBe('bundle"}');
  expect((await fetch(url, { headers: { range: 'bytes=40-50' } })).status).toBe(416);
});
