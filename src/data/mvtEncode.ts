/**
 * Mapbox vector tiles written from geojson-vt's tiles, with the tracts in two layers: all their
 * properties in one, a few in another, the geometry of each feature encoded once and written into
 * both (vectorTiles.ts: the fill's layer and the lines' layer). @maplibre/vt-pbf, used before, makes
 * an object for every vertex of every tile and encodes each layer's geometry anew; at 85,000 tracts
 * the second layer took the build from 28 to 53 s of CPU, most of it garbage collection (issue 10).
 *
 * The encoding is the Mapbox Vector Tile specification 2.1 (github.com/mapbox/vector-tile-spec,
 * `vector_tile.proto` and §4.3 on geometry): a Tile is `repeated Layer layers = 3`; a Layer is
 * `version = 15`, `name = 1`, `extent = 5`, `features = 2`, `keys = 3`, `values = 4`; a Feature is
 * `id = 1`, `tags = 2` (packed key / value index pairs), `type = 3`, `geometry = 4` (packed commands:
 * MoveTo 1, LineTo 2, ClosePath 7, as `(count << 3) | id`, then zigzag deltas); a Value is a string (1),
 * double (3), uint (5), sint (6) or bool (7). Varints and wire types as in the protocol buffers encoding
 * guide (protobuf.dev/programming-guides/encoding). The tests decode the output with
 * @mapbox/vector-tile and compare it with vt-pbf's.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;

/**
 * A feature of a tile: type 1 point(s) as `[x, y][]`, 2 lines and 3 polygons as rings of `[x, y]`
 * (geojson-vt's form) or as flat `x, y` pairs (tileCutter.ts), in tile units.
 */
export interface TileFeature {
  readonly type: 1 | 2 | 3;
  readonly geometry: readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[] | readonly Int32Array[];
  readonly tags: Readonly<Record<string, string | number | boolean | null | undefined>> | null;
  readonly id?: number | string;
}

/** A layer to write: its name, and the properties it keeps (null: all, in the features' order). */
export interface LayerSpec {
  readonly name: string;
  readonly keep: readonly string[] | null;
}

/** Bytes written in order, growing as needed. */
class Writer {
  bytes = new Uint8Array(4096);
  length = 0;

  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  varint(v: number): void {
    this.room(10);
    if (v < 0x80 && v >= 0) {
      this.bytes[this.length++] = v;
      return;
    }
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A string field, UTF-8 (ASCII, as tract ids and most names are, written without an encoder). */
  string(field: number, text: string): void {
    let ascii = true;
    for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
    if (!ascii) return this.message(field, utf8.encode(text));
    this.tag(field, LENGTH);
    this.varint(text.length);
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  /** A length-delimited field whose payload is `payload`. */
  message(field: number, payload: Uint8Array): void {
    this.tag(field, LENGTH);
    this.varint(payload.length);
    this.raw(payload);
  }

  done(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const utf8 = new TextEncoder();
const zigzag = (n: number) => (n << 1) ^ (n >> 31);
const command = (id: number, count: number) => (count << 3) | (id & 7);

/** The geometry commands of a feature (§4.3), into `w`: rings closed by ClosePath for polygons, the closing vertex left out. */
function writeGeometry(f: TileFeature, w: Writer): void {
  const rings = (f.type === 1 ? [f.geometry] : f.geometry) as readonly (readonly (readonly number[])[] | Int32Array)[];
  let x = 0;
  let y = 0;
  for (const ring of rings) {
    if (ring instanceof Int32Array) {
      [x, y] = writeFlatRing(ring, f.type === 3, x, y, w);
      continue;
    }
    const last = ring[ring.length - 1];
    const n = f.type === 3 && ring.length > 1 && last[0] === ring[0][0] && last[1] === ring[0][1] ? ring.length - 1 : ring.length;
    w.varint(command(1, f.type === 1 ? ring.length : 1));
    for (let i = 0; i < n; i++) {
      if (i === 1 && f.type !== 1) w.varint(command(2, n - 1));
      const dx = ring[i][0] - x;
      const dy = ring[i][1] - y;
      w.varint(zigzag(dx));
      w.varint(zigzag(dy));
      x += dx;
      y += dy;
    }
    if (f.type === 3) w.varint(command(7, 1));
  }
}

/** A ring of flat `x, y` pairs (its first vertex repeated at the end or not), from the cursor (x, y); returns the new cursor. */
function writeFlatRing(ring: Int32Array, polygon: boolean, x: number, y: number, w: Writer): [number, number] {
  let n = ring.length / 2;
  if (polygon && n > 1 && ring[2 * n - 2] === ring[0] && ring[2 * n - 1] === ring[1]) n--;
  w.varint(command(1, 1));
  for (let i = 0; i < n; i++) {
    if (i === 1) w.varint(command(2, n - 1));
    w.varint(zigzag(ring[2 * i] - x));
    w.varint(zigzag(ring[2 * i + 1] - y));
    x = ring[2 * i];
    y = ring[2 * i + 1];
  }
  if (polygon) w.varint(command(7, 1));
  return [x, y];
}

function writeValue(value: string | number | boolean, w: Writer): void {
  if (typeof value === 'string') w.string(1, value);
  else if (typeof value === 'boolean') (w.tag(7, VARINT), w.varint(value ? 1 : 0));
  else if (Number.isInteger(value) && value >= 0) (w.tag(5, VARINT), w.varint(value));
  else if (Number.isInteger(value) && value >= -(2 ** 31)) (w.tag(6, VARINT), w.varint(zigzag(value) >>> 0));
  else {
    w.tag(3, FIXED64);
    w.room(8);
    new DataView(w.bytes.buffer, w.bytes.byteOffset).setFloat64(w.length, value, true);
    w.length += 8;
  }
}

/** One layer being written: its features' bytes, and its keys and values, each once (a Map tells 1 from "1"). */
interface LayerWriter {
  readonly spec: LayerSpec;
  readonly features: Writer;
  readonly keys: Map<string, number>;
  readonly values: Map<string | number | boolean, number>;
}

function indexOf<K>(map: Map<K, number>, key: K): number {
  let i = map.get(key);
  if (i === undefined) {
    i = map.size;
    map.set(key, i);
  }
  return i;
}

/** Writers kept from tile to tile (each tile's bytes are copied out): less garbage in a national build. */
const scratch = { geometry: new Writer(), feature: new Writer(), tags: new Writer(), body: new Writer(), value: new Writer(), tile: new Writer(), layers: [] as Writer[] };

/**
 * One tile of `layers`, each holding every feature (in order), with its id, type and geometry
 * (encoded once), and the properties its spec keeps (null, undefined and other types left out).
 */
export function encodeTile(features: readonly TileFeature[], layers: readonly LayerSpec[], extent: number): Uint8Array {
  const { geometry, feature, tags, body, value, tile } = scratch;
  const writers: LayerWriter[] = layers.map((spec, i) => {
    const features = (scratch.layers[i] ??= new Writer());
    features.length = 0;
    return { spec, features, keys: new Map(), values: new Map() };
  });
  for (const f of features) {
    geometry.length = 0;
    writeGeometry(f, geometry);
    const id = typeof f.id === 'string' ? parseInt(f.id, 10) : f.id;
    for (const layer of writers) {
      feature.length = 0;
      tags.length = 0;
      if (id !== undefined && Number.isInteger(id) && id >= 0) (feature.tag(1, VARINT), feature.varint(id));
      const names = layer.spec.keep ?? Object.keys(f.tags ?? {});
      for (const key of names) {
        const value = f.tags?.[key];
        if (value === null || value === undefined || !['string', 'number', 'boolean'].includes(typeof value)) continue;
        tags.varint(indexOf(layer.keys, key));
        tags.varint(indexOf(layer.values, value as string | number | boolean));
      }
      feature.message(2, tags.done());
      feature.tag(3, VARINT);
      feature.varint(f.type);
      feature.message(4, geometry.done());
      layer.features.message(2, feature.done());
    }
  }
  tile.length = 0;
  for (const layer of writers) {
    body.length = 0;
    body.tag(15, VARINT);
    body.varint(2);
    body.string(1, layer.spec.name);
    body.tag(5, VARINT);
    body.varint(extent);
    body.raw(layer.features.done());
    for (const key of layer.keys.keys()) body.string(3, key);
    for (const v of layer.values.keys()) {
      value.length = 0;
      writeValue(v, value);
      body.message(4, value.done());
    }
    tile.message(3, body.done());
  }
  return tile.done().slice();
}
