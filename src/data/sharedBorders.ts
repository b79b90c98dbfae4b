/**
 * Tract rings in Web-Mercator world units, each vertex with the importance a zoom's simplification
 * compares with its tolerance, computed once per shared border so that neighbours simplify their
 * common border alike (issue 10).
 *
 * Simplifying each ring on its own (geojson-vt, mapshaper without topology) treats the two copies
 * of a border between tracts A and B apart: Douglas–Peucker starts from each ring's own first
 * vertex, so A and B keep different vertices, and the border drawn twice leaves slivers between the
 * fills. At a state or country zoom the slivers of thousands of borders are holes in the map, which
 * the fill's outline pass (maplibre outlines each fill in its fill colour) could only paper over at
 * the price of a second feature-state colour on every recolour.
 *
 * Here, as in TopoJSON (Bostock, topojson-server "join": a point is a junction where the lines
 * through it have different neighbours there), a vertex is a *junction* when the rings through it do
 * not all run between the same two neighbours; the stretch of a ring between two junctions is an
 * *arc*, which every ring that has it holds with the same vertices, forwards or backwards. Each arc
 * is simplified with Douglas & Peucker (1973, "Algorithms for the reduction of the number of points
 * required to represent a digitized line or its caricature", The Canadian Cartographer 10(2),
 * 112–122), recording for each vertex the squared distance at which it was kept, as geojson-vt does
 * for a ring; junctions are always kept. The arc is read in one canonical direction, so the copies
 * in both neighbours get the same numbers to the last bit, and any tolerance keeps the same vertices
 * in both. Assumes that shared borders have identical vertices (the Census cartographic files come
 * from one topologically integrated database); where they do not, those borders simplify as before.
 */
import type { BoundaryFeature } from './boundaries';

/** Web-Mercator x in world units (0 at 180° W, 1 at 180° E), as maplibre and geojson-vt project. */
export function worldX(lon: number): number {
  return lon / 360 + 0.5;
}

/** Web-Mercator y in world units (0 at the top, 1 at the bottom), clamped to the world square. */
export function worldY(lat: number): number {
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/**
 * A ring as flat triples `x, y, importance`, world units, closed (the last triple repeats the
 * first). Importance: the squared distance (world units²) at which Douglas–Peucker keeps the
 * vertex; 1 for a junction (always kept: no tolerance reaches it).
 */
export type WorldRing = Float64Array;

/** A tract in world units: its polygons (outer ring, then holes), the feature's index, its bounds. */
export interface WorldFeature {
  readonly index: number;
  readonly polygons: readonly (readonly WorldRing[])[];
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export const ALWAYS_KEPT = 1;

/** A hash table of vertices by their exact coordinates: each distinct point gets an id. */
class VertexIds {
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  size = 0;
  private readonly bits = new Float64Array(2);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(capacity: number) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(n).fill(-1);
    this.mask = n - 1;
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  id(x: number, y: number): number {
    this.bits[0] = x;
    this.bits[1] = y;
    const w = this.words;
    let h = Math.imul(w[0] ^ 0x9e3779b9, 0x85ebca6b) ^ w[1];
    h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ w[2];
    h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ w[3];
    h ^= h >>> 16;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot];
      if (id < 0) {
        this.slots[slot] = this.size;
        this.xs[this.size] = x;
        this.ys[this.size] = y;
        return this.size++;
      }
      if (this.xs[id] === x && this.ys[id] === y) return id;
    }
  }
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
function sqSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let dx = bx - ax;
  let dy = by - ay;
  let x = ax;
  let y = ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/** Whether vertex a (offset into flat triples) comes before vertex b in (x, y) order. */
function comesBefore(ring: Float64Array, a: number, b: number): boolean {
  return ring[a] < ring[b] || (ring[a] === ring[b] && ring[a + 1] < ring[b + 1]);
}

/**
 * Douglas–Peucker importances for the arc of `ring` (flat triples, `n` distinct vertices) from
 * position `start` to `end` (end > start; positions taken modulo n), read from whichever end is
 * first in (x, y) order, so that both copies of a shared arc are read alike.
 */
function markArc(ring: Float64Array, n: number, start: number, end: number, stack: number[]): void {
  const length = end - start;
  if (length < 2) return;
  const [first, last] = [3 * (start % n), 3 * (end % n)];
  // A ring with one junction: the arc starts and ends there; its second and last-but-one vertices decide.
  const reversed = first === last || (ring[first] === ring[last] && ring[first + 1] === ring[last + 1]) ? comesBefore(ring, 3 * ((end - 1) % n), 3 * ((start + 1) % n)) : comesBefore(ring, last, first);
  // t runs 0..length along the canonical direction; vertex t is at 3 * ((reversed ? end - t : start + t) % n).
  const origin = reversed ? end : start;
  const step = reversed ? -1 : 1;
  stack.length = 0;
  stack.push(0, length);
  while (stack.length) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const pa = 3 * ((origin + step * a) % n);
    const pb = 3 * ((origin + step * b) % n);
    const [ax, ay, bx, by] = [ring[pa], ring[pa + 1], ring[pb], ring[pb + 1]];
    let max = 0;
    let index = -1;
    for (let t = a + 1; t < b; t++) {
      const p = 3 * ((origin + step * t) % n);
      const d = sqSegmentDistance(ring[p], ring[p + 1], ax, ay, bx, by);
      if (d > max) {
        max = d;
        index = t;
      }
    }
    if (index < 0) continue;
    ring[3 * ((origin + step * index) % n) + 2] = max;
    if (index - a > 1) stack.push(a, index);
    if (b - index > 1) stack.push(index, b);
  }
}

/**
 * Features in world units with shared-border importances. Rings need not repeat their first vertex
 * at the end (GeoJSON does; both are read); every WorldRing is closed.
 */
export function sharedBorderFeatures(features: readonly BoundaryFeature[]): WorldFeature[] {
  // Projected rings, each with its distinct vertices (the closing repeat left out).
  const rings: Float64Array[] = [];
  const counts: number[] = [];
  const shaped: { index: number; polygons: Float64Array[][] }[] = [];
  let total = 0;
  features.forEach((f, index) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const out: Float64Array[][] = [];
    for (const polygon of polygons) {
      const projected: Float64Array[] = [];
      for (const coords of polygon) {
        let n = coords.length;
        if (n > 1 && coords[0][0] === coords[n - 1][0] && coords[0][1] === coords[n - 1][1]) n--;
        if (n < 3) {
          if (!projected.length) break; // no outer ring: the polygon has nothing to draw
          continue;
        }
        const ring = new Float64Array(3 * (n + 1));
        for (let i = 0; i < n; i++) {
          ring[3 * i] = worldX(coords[i][0]);
          ring[3 * i + 1] = worldY(coords[i][1]);
        }
        ring[3 * n] = ring[0];
        ring[3 * n + 1] = ring[1];
        projected.push(ring);
        rings.push(ring);
        counts.push(n);
        total += n;
      }
      if (projected.length) out.push(projected);
    }
    shaped.push({ index, polygons: out });
  });

  // Vertex ids for every position of every ring, and each id's neighbours where first seen.
  const vertices = new VertexIds(total);
  const ids = new Int32Array(total);
  const offsets = new Int32Array(rings.length + 1);
  for (let r = 0, o = 0; r < rings.length; r++) {
    offsets[r] = o;
    const ring = rings[r];
    for (let i = 0; i < counts[r]; i++) ids[o++] = vertices.id(ring[3 * i], ring[3 * i + 1]);
    offsets[r + 1] = o;
  }
  const firstPrev = new Int32Array(vertices.size).fill(-1);
  const firstNext = new Int32Array(vertices.size);
  const junction = new Uint8Array(vertices.size);
  for (let r = 0; r < rings.length; r++) {
    const o = offsets[r];
    const n = counts[r];
    for (let i = 0; i < n; i++) {
      const v = ids[o + i];
      const prev = ids[o + ((i + n - 1) % n)];
      const next = ids[o + ((i + 1) % n)];
      if (firstPrev[v] < 0) {
        firstPrev[v] = prev;
        firstNext[v] = next;
      } else if (!((firstPrev[v] === prev && firstNext[v] === next) || (firstPrev[v] === next && firstNext[v] === prev))) junction[v] = 1;
    }
  }
  // A ring without junctions is its own (or exactly an other ring's): both start at its least vertex.
  for (let r = 0; r < rings.length; r++) {
    const o = offsets[r];
    const n = counts[r];
    let least = -1;
    let found = false;
    for (let i = 0; i < n && !found; i++) {
      const v = ids[o + i];
      if (junction[v]) found = true;
      else if (least < 0 || vertices.xs[v] < vertices.xs[least] || (vertices.xs[v] === vertices.xs[least] && vertices.ys[v] < vertices.ys[least])) least = v;
    }
    if (!found) junction[least] = 1;
  }

  // Importances, arc by arc.
  const stack: number[] = [];
  const marks: number[] = [];
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r];
    const o = offsets[r];
    const n = counts[r];
    marks.length = 0;
    for (let i = 0; i < n; i++) if (junction[ids[o + i]]) marks.push(i);
    for (const i of marks) ring[3 * i + 2] = ALWAYS_KEPT;
    for (let k = 0; k < marks.length; k++) markArc(ring, n, marks[k], k + 1 < marks.length ? marks[k + 1] : marks[0] + n, stack);
    ring[3 * n + 2] = ring[2];
  }

  return shaped.map(({ index, polygons }) => {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of polygons) {
      const outer = polygon[0];
      for (let i = 0; i < outer.length; i += 3) {
        if (outer[i] < minX) minX = outer[i];
        if (outer[i] > maxX) maxX = outer[i];
        if (outer[i + 1] < minY) minY = outer[i + 1];
        if (outer[i + 1] > maxY) maxY = outer[i + 1];
      }
    }
    return { index, polygons, minX, minY, maxX, maxY };
  });
}
