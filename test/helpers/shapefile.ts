/**
 * A minimal shapefile writer, so projected, null-shape and mis-encoded cases can be built in tests.
 * Layout from the ESRI Shapefile Technical Description (July 1998) and the dBase III header.
 */
import { strToU8 } from 'fflate';


export interface TestRecord {
  /** Rings in shapefile order (outer ring clockwise), or null for a null shape. */
  readonly rings: readonly (readonly [number, number][])[] | null;
  readonly fields: Readonly<Record<string, string>>;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function shapefileBytes(records: readonly TestRecord[], encode = utf8): { shp: Uint8Array; dbf: Uint8Array } {
  const contents = records.map((r) => (r.rings ? polygonContent(r.rings) : nullContent()));
  const shpLength = 100 + contents.reduce((sum, c) => sum + 8 + c.length, 0);
  const shp = new Uint8Array(shpLength);
  const view = new DataView(shp.buffer);
  const points = records.flatMap((r) => (r.rings ?? []).flat());
  view.setInt32(0, 9994, false);
  view.setInt32(24, shpLength / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, 5, true);
  boundingBox(points).forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
  let offset = 100;
  contents.forEach((content, i) => {
    view.setInt32(offset, i + 1, false);
    view.setInt32(offset + 4, content.length / 2, false);
    shp.set(content, offset + 8);
    offset += 8 + content.length;
  });
  return { shp, dbf: dbfBytes(records.map((r) => r.fields), encode) };
}

function boundingBox(points: readonly (readonly [number, number])[]): number[] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function nullContent(): Uint8Array {
  return new Uint8Array(4);
}

function polygonContent(rings: readonly (readonly [number, number][])[]): Uint8Array {
  const points = rings.flat();
  const bytes = new Uint8Array(44 + 4 * rings.length + 16 * points.length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 5, true);
  boundingBox(points).forEach((v, i) => view.setFloat64(4 + 8 * i, v, true));
  view.setInt32(36, rings.length, true);
  view.setInt32(40, points.length, true);
  let start = 0;
  rings.forEach((ring, i) => {
    view.setInt32(44 + 4 * i, start, true);
    start += ring.length;
  });
  points.forEach(([x, y], i) => {
    view.setFloat64(44 + 4 * rings.length + 16 * i, x, true);
    view.setFloat64(44 + 4 * rings.length + 16 * i + 8, y, true);
  });
  return bytes;
}

/** dBase III table with character fields wide enough for every value. */
function dbfBytes(rows: readonly Readonly<Record<string, string>>[], encode: (s: string) => Uint8Array): Uint8Array {
  const names = Object.keys(rows[0] ?? {});
  const encoded = rows.map((row) => names.map((n) => encode(row[n])));
  const widths = names.map((_, j) => Math.max(1, ...encoded.map((r) => r[j].length)));
  const headerLength = 32 + 32 * names.length + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(headerLength + recordLength * rows.length + 1).fill(0x20, headerLength);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x03;
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  names.forEach((name, j) => {
    bytes.fill(0, 32 + 32 * j, 64 + 32 * j);
    bytes.set(strToU8(name), 32 + 32 * j);
    bytes[32 + 32 * j + 11] = 'C'.charCodeAt(0);
    bytes[32 + 32 * j + 16] = widths[j];
  });
  bytes[headerLength - 1] = 0x0d;
  encoded.forEach((values, i) => {
    let at = headerLength + recordLength * i + 1;
    values.forEach((v, j) => {
      bytes.set(v, at);
      at += widths[j];
    });
  });
  bytes[bytes.length - 1] = 0x1a;
  return bytes;
}
