/**
 * A PMTiles v3 archive writer (protomaps/PMTiles, spec/v3/spec.md): one file of tiles that a
 * browser reads with HTTP range requests from any static host. The `pmtiles` package reads
 * these archives (the app's tile protocol); it has no writer, so this implements the spec's
 * layout: a 127-byte header, a root directory, JSON metadata, leaf directories, tile data.
 * Directories are varint-encoded and gzipped; tiles are stored in tile-id (Hilbert) order.
 */
import { gzipSync } from 'fflate';
import { zxyToTileId } from 'pmtiles';

export interface Tile {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  /** Tile bytes as stored (already gzipped when `tileCompression` is gzip). */
  readonly data: Uint8Array;
}

export interface ArchiveOptions {
  readonly tileType: 'mvt';
  readonly tileCompression: 'gzip' | 'none';
  readonly minZoom: number;
  readonly maxZoom: number;
  /** [west, south, east, north] in degrees. */
  readonly bounds: readonly [number, number, number, number];
  readonly metadata: Record<string, unknown>;
}

/** The header and root directory must fit in the first 16 KiB (spec §2). */
const ROOT_LIMIT = 16_384;
export const HEADER_BYTES = 127;
const COMPRESSION = { none: 1, gzip: 2 } as const;
const TILE_TYPE = { mvt: 1 } as const;

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  /** 0: the entry points to a leaf directory. */
  runLength: number;
}

/** Unsigned LEB128 varint; arithmetic, not bit operations, so offsets past 2³¹ stay exact. */
function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/**
 * A directory (spec §4.4): the entry count, then the columns — tile-id deltas, run lengths,
 * lengths, and offsets written as 0 when an entry starts where the previous one ended, else
 * offset + 1 — all varints, gzipped.
 */
export function serializeDirectory(entries: readonly Entry[]): Uint8Array {
  const out: number[] = [];
  writeVarint(out, entries.length);
  let last = 0;
  for (const e of entries) {
    writeVarint(out, e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) writeVarint(out, e.runLength);
  for (const e of entries) writeVarint(out, e.length);
  entries.forEach((e, i) => writeVarint(out, i > 0 && e.offset === entries[i - 1].offset + entries[i - 1].length ? 0 : e.offset + 1));
  return gzipSync(Uint8Array.from(out));
}

/** Root and leaf directories: everything in the root when it fits, else leaves of growing size. */
function directories(entries: readonly Entry[]): { root: Uint8Array; leaves: Uint8Array } {
  const root = serializeDirectory(entries);
  if (HEADER_BYTES + root.length <= ROOT_LIMIT) return { root, leaves: new Uint8Array(0) };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const rootEntries: Entry[] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = serializeDirectory(entries.slice(i, i + leafSize));
      rootEntries.push({ tileId: entries[i].tileId, offset, length: leaf.length, runLength: 0 });
      parts.push(leaf);
      offset += leaf.length;
    }
    const rootDir = serializeDirectory(rootEntries);
    if (HEADER_BYTES + rootDir.length <= ROOT_LIMIT) return { root: rootDir, leaves: concat(parts) };
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The archive's bytes. Tiles may come in any order; empty tiles should be left out. */
export function writePmtiles(tiles: readonly Tile[], options: ArchiveOptions): Uint8Array {
  const sorted = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const entries: Entry[] = [];
  let offset = 0;
  for (const t of sorted) {
    if (t.data.length === 0) throw new RangeError(`tile ${t.id} is empty: directory entries must have a length (spec §4.4)`);
    entries.push({ tileId: t.id, offset, length: t.data.length, runLength: 1 });
    offset += t.data.length;
  }
  const { root, leaves } = directories(entries);
  const metadata = gzipSync(new TextEncoder().encode(JSON.stringify(options.metadata)));
  const tileData = concat(sorted.map((t) => t.data));

  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const leavesOffset = metadataOffset + metadata.length;
  const dataOffset = leavesOffset + leaves.length;
  const header = new DataView(new ArrayBuffer(HEADER_BYTES));
  new Uint8Array(header.buffer).set(new TextEncoder().encode('PMTiles'), 0);
  header.setUint8(7, 3);
  const u64 = (at: number, v: number) => header.setBigUint64(at, BigInt(v), true);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, leavesOffset);
  u64(48, leaves.length);
  u64(56, dataOffset);
  u64(64, tileData.length);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // tile contents
  header.setUint8(96, 1); // clustered: tile data in tile-id order
  header.setUint8(97, COMPRESSION.gzip); // internal compression (directories, metadata)
  header.setUint8(98, COMPRESSION[options.tileCompression]);
  header.setUint8(99, TILE_TYPE[options.tileType]);
  header.setUint8(100, options.minZoom);
  header.setUint8(101, options.maxZoom);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  const [w, s, e, n] = options.bounds;
  header.setInt32(102, e7(w), true);
  header.setInt32(106, e7(s), true);
  header.setInt32(110, e7(e), true);
  header.setInt32(114, e7(n), true);
  header.setUint8(118, options.minZoom);
  header.setInt32(119, e7((w + e) / 2), true);
  header.setInt32(123, e7((s + n) / 2), true);
  return concat([new Uint8Array(header.buffer), root, metadata, leaves, tileData]);
}
