/**
 * Polygons cut into vector tiles, zoom 0 to maxZoom, from rings whose vertices carry their
 * shared-border importance (sharedBorders.ts). The scheme is geojson-vt's (Agafonkin, "geojson-vt":
 * clip each tile's features from its parent's, with a buffer; keep at zoom z the vertices whose
 * importance passes tolerance / (2^z · extent); no simplification at the deepest zoom; round to the
 * tile's integer grid), which cannot be handed importances of its own: it simplifies each ring apart.
 *
 * Unlike geojson-vt, no ring is left out for being small: a tract reduced to its junctions still
 * covers its share of the map, so a dense city seen from a state or country zoom is filled by its
 * tracts, not a hole. Only rings that the tile's grid reduces to no area are left out; their
 * neighbours, rounded to the same grid points, close over them.
 */
import { ALWAYS_KEPT, type WorldFeature, type WorldRing } from './sharedBorders';

/** Scratch for one ring being clipped (grown as needed). */
let clipScratch = new Float64Array(1 << 16);

/**
 * A polygon feature of a tile: rings as flat `x, y` pairs in tile units (the first vertex not
 * repeated), outer rings clockwise on screen (MVT 2.1 §4.3.4.4), each followed by its holes.
 */
export interface CutFeature {
  readonly index: number;
  readonly rings: Int32Array[];
}

export interface CutOptions {
  readonly maxZoom: number;
  /** Tile units across a tile (MVT extent). */
  readonly extent: number;
  /** Tile units around each tile that its features reach into (drawn over by neighbours; no seams). */
  readonly buffer: number;
  /** Tolerance of the simplification, tile units. */
  readonly tolerance: number;
  /** Grid step at a zoom, tile units, that vertices are rounded to (1: the tile's own units). */
  readonly grid: (z: number) => number;
  /** Area, tile units², from which a tract is kept in its zoom's tiles whatever the grid does to it. */
  readonly keepArea: number;
}

/**
 * The part of a ring where coordinate `axis` (0: x, 1: y) is ≥ `lo` (`keepAbove`) or ≤ `hi`, by
 * Sutherland & Hodgman (1974, "Reentrant polygon clipping", CACM 17(1)) against one line; the
 * points made on the line are always kept. Null when nothing is left.
 */
function clipHalf(ring: WorldRing, axis: number, edge: number, keepAbove: boolean): WorldRing | null {
  const n = ring.length / 3 - 1;
  // Each vertex gives at most two (a crossing and itself), and the ring is closed again.
  if (clipScratch.length < 6 * n + 3) clipScratch = new Float64Array(6 * n + 3);
  const out = clipScratch;
  let k = 0;
  let prevInside = keepAbove ? ring[3 * (n - 1) + axis] >= edge : ring[3 * (n - 1) + axis] <= edge;
  for (let i = 0; i < n; i++) {
    const here = keepAbove ? ring[3 * i + axis] >= edge : ring[3 * i + axis] <= edge;
    if (here !== prevInside) {
      const p = i === 0 ? n - 1 : i - 1;
      const t = (edge - ring[3 * p + axis]) / (ring[3 * i + axis] - ring[3 * p + axis]);
      const other = 1 - axis;
      out[k + axis] = edge;
      out[k + other] = ring[3 * p + other] + (ring[3 * i + other] - ring[3 * p + other]) * t;
      out[k + 2] = ALWAYS_KEPT;
      k += 3;
    }
    if (here) {
      out[k] = ring[3 * i];
      out[k + 1] = ring[3 * i + 1];
      out[k + 2] = ring[3 * i + 2];
      k += 3;
    }
    prevInside = here;
  }
  if (k < 9) return null;
  const cut = new Float64Array(k + 3);
  cut.set(out.subarray(0, k));
  cut[k] = out[0];
  cut[k + 1] = out[1];
  cut[k + 2] = out[2];
  return cut;
}

/** Features cut to lo ≤ coordinate `axis` ≤ hi (world units); features wholly inside are kept as they are. */
function clipFeatures(features: readonly WorldFeature[], axis: 0 | 1, lo: number, hi: number): WorldFeature[] {
  const out: WorldFeature[] = [];
  for (const f of features) {
    const [min, max] = axis === 0 ? [f.minX, f.maxX] : [f.minY, f.maxY];
    if (max < lo || min > hi) continue;
    if (min >= lo && max <= hi) {
      out.push(f);
      continue;
    }
    const polygons: WorldRing[][] = [];
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of f.polygons) {
      const rings: WorldRing[] = [];
      for (const ring of polygon) {
        let cut: WorldRing | null = ring;
        if (min < lo) cut = clipHalf(cut, axis, lo, true);
        if (cut && max > hi) cut = clipHalf(cut, axis, hi, false);
        if (!cut) {
          if (!rings.length) break; // the outer ring is gone: so are its holes
          continue;
        }
        rings.push(cut);
        if (rings.length === 1)
          for (let i = 0; i < cut.length; i += 3) {
            if (cut[i] < minX) minX = cut[i];
            if (cut[i] > maxX) maxX = cut[i];
            if (cut[i + 1] < minY) minY = cut[i + 1];
            if (cut[i + 1] > maxY) maxY = cut[i + 1];
          }
      }
      if (rings.length) polygons.push(rings);
    }
    if (polygons.length) out.push({ index: f.index, polygons, minX, minY, maxX, maxY });
  }
  return out;
}

/** Scratch for one ring's rounded vertices (grown as needed). */
let scratch = new Int32Array(1 << 16);

/**
 * A ring in tile units at zoom z: the vertices whose importance passes `sqTolerance` (all if
 * negative), rounded to the grid, repeats dropped; oriented as MVT wants (outer: positive area in
 * tile coordinates, holes negative). Null when it has no area on the grid.
 */
function tileRing(ring: WorldRing, scale: number, tx: number, ty: number, extent: number, grid: number, sqTolerance: number, outer: boolean): Int32Array | null {
  const cells = extent / grid;
  const n = ring.length / 3 - 1;
  if (scratch.length < 2 * n) scratch = new Int32Array(2 * n);
  const out = scratch;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!(ring[3 * i + 2] > sqTolerance)) continue;
    const x = Math.round(cells * (ring[3 * i] * scale - tx)) * grid;
    const y = Math.round(cells * (ring[3 * i + 1] * scale - ty)) * grid;
    if (k > 0 && x === out[k - 2] && y === out[k - 1]) continue;
    out[k++] = x;
    out[k++] = y;
  }
  while (k > 2 && out[k - 2] === out[0] && out[k - 1] === out[1]) k -= 2;
  if (k < 6) return null;
  let area = 0;
  for (let i = 0, j = k - 2; i < k; j = i, i += 2) area += out[j] * out[i + 1] - out[i] * out[j + 1];
  if (area === 0) return null;
  const kept = out.slice(0, k);
  if (area > 0 !== outer)
    for (let i = 0, j = k - 2; i < j; i += 2, j -= 2) {
      const [x, y] = [kept[i], kept[i + 1]];
      kept[i] = kept[j];
      kept[i + 1] = kept[j + 1];
      kept[j] = x;
      kept[j + 1] = y;
    }
  return kept;
}

/** Area of a ring in world units² (shoelace; sign dropped). */
function worldArea(ring: WorldRing): number {
  let area = 0;
  for (let i = 3; i < ring.length; i += 3) area += ring[i - 3] * ring[i + 1] - ring[i] * ring[i - 2];
  return Math.abs(area / 2);
}

/** A tract's rings at zoom z on `grid`, outer rings with their holes; empty when none has area there. */
function tileRings(f: WorldFeature, scale: number, tx: number, ty: number, extent: number, grid: number, sqTolerance: number): Int32Array[] {
  const rings: Int32Array[] = [];
  for (const polygon of f.polygons) {
    const outer = tileRing(polygon[0], scale, tx, ty, extent, grid, sqTolerance, true);
    if (!outer) continue;
    rings.push(outer);
    for (let h = 1; h < polygon.length; h++) {
      const hole = tileRing(polygon[h], scale, tx, ty, extent, grid, sqTolerance, false);
      if (hole) rings.push(hole);
    }
  }
  return rings;
}

/**
 * One tile's features: what of `features` shows at zoom z on the zoom's grid. A tract that the grid
 * flattens although it covers `keepArea` tile units² (thin, rather than small) is written on the
 * tile's own units instead, after the others, so that it is drawn over the neighbours that closed
 * over it.
 */
function tileFeatures(features: readonly WorldFeature[], z: number, tx: number, ty: number, options: CutOptions): CutFeature[] {
  const scale = 2 ** z;
  const sqTolerance = z === options.maxZoom ? -1 : (options.tolerance / (scale * options.extent)) ** 2;
  const grid = options.grid(z);
  const unitsSq = (scale * options.extent) ** 2;
  const out: CutFeature[] = [];
  const rescued: CutFeature[] = [];
  for (const f of features) {
    const rings = tileRings(f, scale, tx, ty, options.extent, grid, sqTolerance);
    if (rings.length) out.push({ index: f.index, rings });
    else if (grid > 1 && f.polygons.some((p) => worldArea(p[0]) * unitsSq >= options.keepArea)) {
      const fine = tileRings(f, scale, tx, ty, options.extent, 1, sqTolerance);
      if (fine.length) rescued.push({ index: f.index, rings: fine });
    }
  }
  return rescued.length ? out.concat(rescued) : out;
}

/**
 * Every tile from zoom 0 to maxZoom that some feature reaches, handed to `emit` with its features
 * (none when all are too small to show there; the tile's children may still have some). Depth
 * first: only the tiles on the way down are held at once.
 */
export function cutTiles(features: readonly WorldFeature[], options: CutOptions, emit: (z: number, x: number, y: number, features: CutFeature[]) => void): void {
  const visit = (parts: readonly WorldFeature[], z: number, x: number, y: number): void => {
    if (!parts.length) return;
    emit(z, x, y, tileFeatures(parts, z, x, y, options));
    if (z === options.maxZoom) return;
    const size = 1 / 2 ** z;
    const pad = (options.buffer / options.extent) * (size / 2);
    const [x0, y0] = [x * size, y * size];
    const [xm, ym] = [x0 + size / 2, y0 + size / 2];
    let left: WorldFeature[] | null = clipFeatures(parts, 0, x0 - pad, xm + pad);
    let right: WorldFeature[] | null = clipFeatures(parts, 0, xm - pad, x0 + size + pad);
    const children: [WorldFeature[], number, number][] = [
      [clipFeatures(left, 1, y0 - pad, ym + pad), 2 * x, 2 * y],
      [clipFeatures(left, 1, ym - pad, y0 + size + pad), 2 * x, 2 * y + 1],
      [clipFeatures(right, 1, y0 - pad, ym + pad), 2 * x + 1, 2 * y],
      [clipFeatures(right, 1, ym - pad, y0 + size + pad), 2 * x + 1, 2 * y + 1],
    ];
    left = right = null;
    while (children.length) {
      const [child, cx, cy] = children.shift()!;
      visit(child, z + 1, cx, cy);
    }
  };
  visit(features, 0, 0, 0);
}
