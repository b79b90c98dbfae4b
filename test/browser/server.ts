/**
 * A static file server for browser tests and benchmarks: the built app (the test build, `dist-test/`) at `/`, and any
 * other folder mounted at a path (`/bundles/chicago/` → a bundle built into a temp dir). Listens on
 * a free port of 127.0.0.1; nothing is cached, so a rebuilt file is served as it is now. Byte
 * ranges (`Range: bytes=a-b`) are answered as static hosts and CDNs do: PMTiles archives are read so.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface StaticServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Paths answered with 404 so far (a test can assert that nothing was missing). */
  readonly notFound: readonly string[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Folder served at `/`. */
  readonly root: string;
  /** URL path prefix → folder, e.g. `{ '/bundles/chicago/': '/tmp/tractmix-xyz/chicago' }`. */
  readonly mounts?: Readonly<Record<string, string>>;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.topojson': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
  '.pmtiles': 'application/vnd.pmtiles',
};

/** `/bundles/chicago` and `bundles/chicago/` both become `/bundles/chicago/`. */
function normalizePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
}

export async function startServer({ root, mounts = {} }: ServerOptions): Promise<StaticServer> {
  // Longest prefix first, so `/bundles/chicago/` wins over `/bundles/`; the root is the fallback.
  const table = [
    ...Object.entries(mounts).map(([prefix, dir]) => ({ prefix: normalizePrefix(prefix), dir: resolve(dir) })),
    { prefix: '/', dir: resolve(root) },
  ].sort((a, b) => b.prefix.length - a.prefix.length);
  const notFound: string[] = [];

  const fileFor = (pathname: string): string | null => {
    const withSlash = pathname.endsWith('/') ? pathname : `${pathname}/`;
    const mount = table.find((m) => pathname.startsWith(m.prefix) || withSlash === m.prefix)!;
    const path = resolve(mount.dir, '.' + sep + pathname.slice(mount.prefix.length));
    if (path !== mount.dir && !path.startsWith(mount.dir + sep)) return null; // `..` out of the folder
    try {
      const stat = statSync(path);
      if (stat.isFile()) return path;
      if (stat.isDirectory() && statSync(join(path, 'index.html')).isFile()) return join(path, 'index.html');
    } catch {
      // missing: 404 below
    }
    return null;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request\n');
      return;
    }
    const file = fileFor(pathname);
    if (!file) {
      notFound.push(pathname);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`not found: ${pathname}\n`);
      return;
    }
    const size = statSync(file).size;
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && (range[1] || range[2])) {
      // `a-b`, `a-` (to the end) or `-n` (the last n bytes), clipped to the file.
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size || end < start) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes', 'cache-control': 'no-store' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes', 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };

  const server = createServer(handle);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notFound,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((e) => (e ? fail(e) : done()));
        server.closeAllConnections(); // keep-alive sockets of a closed browser would hold close() open
      }),
  };
}
