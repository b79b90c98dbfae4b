/**
 * Moving counts between tract vintages (METHOD.md §5, "One geography"). Years are compared on
 * one vintage: bracket counts (and households) move by crosswalk weights — LTDB, NHGIS or Census
 * relationship files give (source, target, weight) with weight = share of the source tract's
 * households that lie in the target — or, without a crosswalk, by area weights from the two
 * boundary sets. Shares, H, classes and medians are recomputed from the moved counts afterwards;
 * they are never interpolated themselves.
 */
import Flatbush from 'flatbush';
import type { IncomeSnapshot } from './analyze';

export interface CrosswalkRow {
  readonly source: string;
  readonly target: string;
  readonly weight: number;
}

/** A target tract whose largest source weight is below this is "boundary changed" (METHOD §5). */
export const BOUNDARY_CHANGED_WEIGHT = 0.95;

export interface MovedSnapshot {
  readonly snapshot: IncomeSnapshot;
  /** Largest weight among each target's sources (1 for a tract that kept its boundary or absorbed whole tracts). */
  readonly largestSourceWeight: ReadonlyMap<string, number>;
  /** Source units the crosswalk does not mention: their households are not moved. */
  readonly unmatchedSources: readonly string[];
  /** Crosswalk sources that have no data in the snapshot. */
  readonly missingSources: readonly string[];
}

/**
 * Move a snapshot's counts to the target vintage. MOEs move as √Σ (w·MOE)² (the MOE of a
 * weighted sum, ACS General Handbook 2018, ch. 8). Published medians cannot be moved: null.
 */
export function moveCounts(snapshot: IncomeSnapshot, crosswalk: readonly CrosswalkRow[], targetGeoids?: readonly string[]): MovedSnapshot {
  const k = snapshot.set.lowerEdges.length;
  const sourceIndex = new Map(snapshot.geoids.map((g, i) => [g, i]));
  const targets = targetGeoids ? [...targetGeoids] : [...new Set(crosswalk.map((r) => r.target))].sort();
  const targetIndex = new Map(targets.map((g, i) => [g, i]));
  const counts = new Float64Array(targets.length * k);
  const hasMoe = !!snapshot.moe;
  const moe2 = hasMoe ? new Float64Array(targets.length * k) : null;
  const totalMoe2 = hasMoe ? new Float64Array(targets.length) : null;
  const largest = new Map<string, number>();
  const mentioned = new Set<string>();
  const missing = new Set<string>();
  for (const row of crosswalk) {
    mentioned.add(row.source);
    const s = sourceIndex.get(row.source);
    const t = targetIndex.get(row.target);
    if (t === undefined) continue;
    largest.set(row.target, Math.max(largest.get(row.target) ?? 0, row.weight));
    if (s === undefined) {
      missing.add(row.source);
      continue;
    }
    for (let i = 0; i < k; i++) {
      counts[t * k + i] += row.weight * snapshot.counts[s * k + i];
      if (moe2) moe2[t * k + i] += (row.weight * snapshot.moe![s * k + i]) ** 2;
    }
    if (totalMoe2) totalMoe2[t] += (row.weight * (snapshot.totalMoe?.[s] ?? NaN)) ** 2;
  }
  return {
    snapshot: {
      ...snapshot,
      geoids: targets,
      counts,
      publishedMedians: targets.map(() => null),
      moe: moe2 ? moe2.map(Math.sqrt) : null,
      totalMoe: totalMoe2 ? totalMoe2.map(Math.sqrt) : null,
    },
    largestSourceWeight: largest,
    unmatchedSources: snapshot.geoids.filter((g) => !mentioned.has(g)),
    missingSources: [...missing].sort(),
  };
}

/**
 * How far a source tract's weights may add up away from 1 before the crosswalk is called
 * non-conserving. LTDB and NHGIS publish weights that share out each source tract whole (Logan,
 * Xu & Stults 2014; NHGIS crosswalk documentation), rounded to 4–6 decimals: 1% is far beyond
 * rounding and far below the doubling or halving of a broken file.
 */
export const CROSSWALK_SUM_TOLERANCE = 0.01;

export interface CrosswalkConservation {
  /** Σ weights of each source tract. */
  readonly sourceSums: ReadonlyMap<string, number>;
  /** Sources whose weights add up to more than 1 + tolerance or less than 1 − tolerance. */
  readonly offSources: readonly { readonly source: string; readonly sum: number }[];
  /** (source, target) pairs listed more than once: each copy moves the households again. */
  readonly duplicates: readonly { readonly source: string; readonly target: string; readonly count: number }[];
  /** Households of the sources before the move, and what the weights make of them (null without households). */
  readonly householdsBefore: number | null;
  readonly householdsAfter: number | null;
  readonly tolerance: number;
}

/**
 * Does a crosswalk conserve households? Σ weights per source (1 ± tolerance), duplicated pairs,
 * and — given each source's households — the total before and after the move
 * (after = Σ weight × households of the source, over every row whose source has data).
 *
 * @example
 * crosswalkConservation([{ source: 'a', target: 'x', weight: 1 }, { source: 'a', target: 'y', weight: 1 }], new Map([['a', 100]]))
 * // offSources [{ source: 'a', sum: 2 }], householdsBefore 100, householdsAfter 200
 */
export function crosswalkConservation(
  rows: readonly CrosswalkRow[],
  households?: ReadonlyMap<string, number>,
  tolerance = CROSSWALK_SUM_TOLERANCE,
): CrosswalkConservation {
  const sourceSums = new Map<string, number>();
  const pairs = new Map<string, number>();
  let after = 0;
  for (const r of rows) {
    sourceSums.set(r.source, (sourceSums.get(r.source) ?? 0) + r.weight);
    const key = `${r.source}\u0000${r.target}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    const h = households?.get(r.source);
    if (h !== undefined) after += r.weight * h;
  }
  const offSources = [...sourceSums]
    .filter(([, sum]) => Math.abs(sum - 1) > tolerance)
    .map(([source, sum]) => ({ source, sum }))
    .sort((a, b) => a.source.localeCompare(b.source));
  const duplicates = [...pairs]
    .filter(([, n]) => n > 1)
    .map(([key, count]) => {
      const [source, target] = key.split('\u0000');
      return { source, target, count };
    });
  let before: number | null = null;
  if (households) {
    before = 0;
    for (const h of households.values()) before += h;
  }
  return { sourceSums, offSources, duplicates, householdsBefore: before, householdsAfter: households ? after : null, tolerance };
}

/** Each target's largest source weight below the threshold: the tracts whose boundary changed. */
export function boundaryChanged(largestSourceWeight: ReadonlyMap<string, number>, threshold = BOUNDARY_CHANGED_WEIGHT): Set<string> {
  return new Set([...largestSourceWeight].filter(([, w]) => w < threshold).map(([g]) => g));
}

type Polygonal = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string }>;

/**
 * A polygon's edges on Lambert's cylindrical equal-area projection (x = λ, y = sin φ, radians):
 * equal areas on the sphere are equal areas here, so area ratios are geodesic ratios. `sign` is
 * +1 for an edge that runs towards −x on an outer ring (the top of a counterclockwise ring), −1
 * towards +x; holes get the opposite signs. Each edge stands for the trapezoid between it and the
 * baseline y = 0 (counted with its sign), and the signed trapezoids add up to the polygon's
 * indicator function. Edges are sorted by their smaller x.
 */
interface EdgeSet {
  /** Per edge: x0, y0, x1, y1 with x0 < x1 (vertical edges, which bound no trapezoid, are left out). */
  readonly xy: Float64Array;
  readonly sign: Int8Array;
  /** Largest x-extent of an edge: edges whose x-range can meet [l, r] start after l − this. */
  readonly maxWidth: number;
  readonly bbox: [number, number, number, number];
  readonly area: number;
}

const RAD = Math.PI / 180;

function ringSignedArea(ring: readonly number[][]): number {
  let a = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

function edgeSet(f: Polygonal): EdgeSet {
  const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const edges: { x0: number; y0: number; x1: number; y1: number; sign: number }[] = [];
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  let total = 0;
  for (const polygon of polygons) {
    polygon.forEach((lonLat, r) => {
      const ring = lonLat.map(([lon, lat]) => [lon * RAD, Math.sin(lat * RAD)]);
      const signed = ringSignedArea(ring);
      // Outer rings count positive and holes negative, whichever way the file winds them.
      const orientation = (r === 0) === signed >= 0 ? 1 : -1;
      total += Math.abs(signed) * (r === 0 ? 1 : -1);
      for (let i = 0; i + 1 < ring.length; i++) {
        const [xa, ya] = ring[i];
        const [xb, yb] = ring[i + 1];
        if (xa < w) w = xa;
        if (xa > e) e = xa;
        if (ya < s) s = ya;
        if (ya > n) n = ya;
        if (xa === xb) continue;
        edges.push(xa < xb ? { x0: xa, y0: ya, x1: xb, y1: yb, sign: -orientation } : { x0: xb, y0: yb, x1: xa, y1: ya, sign: orientation });
      }
    });
  }
  edges.sort((a, b) => a.x0 - b.x0);
  const xy = new Float64Array(edges.length * 4);
  const sign = new Int8Array(edges.length);
  let maxWidth = 0;
  edges.forEach((ed, i) => {
    xy.set([ed.x0, ed.y0, ed.x1, ed.y1], i * 4);
    sign[i] = ed.sign;
    if (ed.x1 - ed.x0 > maxWidth) maxWidth = ed.x1 - ed.x0;
  });
  return { xy, sign, maxWidth, bbox: [w, s, e, n], area: total };
}

/** ∫ min(ya, yb) dx over [l, r] for two lines given by their values at l and r (both ≥ 0). */
function underBoth(l: number, r: number, al: number, ar: number, bl: number, br: number): number {
  const dl = al - bl;
  const dr = ar - br;
  const lo = Math.min(al, bl);
  const hi = Math.min(ar, br);
  if ((dl <= 0 && dr <= 0) || (dl >= 0 && dr >= 0)) return ((r - l) * (lo + hi)) / 2;
  const t = dl / (dl - dr);
  const xc = l + t * (r - l);
  const yc = al + t * (ar - al);
  return ((xc - l) * (lo + yc) + (r - xc) * (yc + hi)) / 2;
}

/**
 * Area of the intersection of two polygons, exactly (up to rounding), without building it:
 * with each polygon's indicator a signed sum of edge trapezoids, ∫ 1_A·1_B = Σ_a Σ_b s_a s_b
 * area(T_a ∩ T_b), and two trapezoids on one baseline meet in the region under both edges over
 * their common x-range. Shared edges and touching neighbours need no special case (they only add
 * terms that cancel), unlike polygon clipping, which spends most of its time on them.
 */
function intersectionArea(a: EdgeSet, b: EdgeSet): number {
  // A baseline below both polygons keeps every trapezoid on the same side of it.
  const base = Math.min(a.bbox[1], b.bbox[1]);
  const [ax, bx] = [a.xy, b.xy];
  const nb = b.sign.length;
  let sum = 0;
  let start = 0;
  for (let i = 0; i < a.sign.length; i++) {
    const l0 = ax[i * 4];
    const r0 = ax[i * 4 + 2];
    // b's edges sorted by x0: skip those that end before this edge can begin.
    while (start < nb && bx[start * 4] < l0 - b.maxWidth) start++;
    for (let j = start; j < nb && bx[j * 4] < r0; j++) {
      const bx0 = bx[j * 4];
      const bx1 = bx[j * 4 + 2];
      if (bx1 <= l0) continue;
      const l = Math.max(l0, bx0);
      const r = Math.min(r0, bx1);
      const ay0 = ax[i * 4 + 1] - base;
      const aSlope = (ax[i * 4 + 3] - ax[i * 4 + 1]) / (r0 - l0);
      const by0 = bx[j * 4 + 1] - base;
      const bSlope = (bx[j * 4 + 3] - bx[j * 4 + 1]) / (bx1 - bx0);
      const al = ay0 + aSlope * (l - l0);
      const ar = ay0 + aSlope * (r - l0);
      const bl = by0 + bSlope * (l - bx0);
      const br = by0 + bSlope * (r - bx0);
      sum += a.sign[i] * b.sign[j] * underBoth(l, r, al, ar, bl, br);
    }
  }
  return sum;
}

/** Neighbours that only touch sum to rounding noise (~1e-16 of the source's area), not to a weight. */
const TOUCHING = 1e-12;

/**
 * Area weights between two boundary sets: weight(s → t) = area(s ∩ t) / area(s), the share of
 * the source tract's area inside the target (areal interpolation; households assumed spread
 * evenly over the source's area). Areas are taken on an equal-area projection. Candidate pairs
 * come from a static R-tree of the targets' boxes (flatbush), so the work grows with the number
 * of neighbours, not with sources × targets. Slivers below `minWeight` (digitising noise between
 * vintages) are dropped and each source's weights are rescaled to add up to its covered share.
 * `onProgress(done, total)` is called every 500 sources and at the end.
 */
export function areaCrosswalk(
  sources: readonly Polygonal[],
  targets: readonly Polygonal[],
  minWeight = 0.001,
  onProgress?: (done: number, total: number) => void,
): CrosswalkRow[] {
  const rows: CrosswalkRow[] = [];
  if (targets.length === 0) return rows;
  const targetEdges = targets.map(edgeSet);
  const index = new Flatbush(targets.length);
  for (const t of targetEdges) index.add(...t.bbox);
  index.finish();
  sources.forEach((s, done) => {
    if (onProgress && done % 500 === 0) onProgress(done, sources.length);
    const se = edgeSet(s);
    if (!(se.area > 0)) return;
    const parts: { target: string; weight: number }[] = [];
    for (const j of index.search(...se.bbox).sort((x, y) => x - y)) {
      const weight = intersectionArea(se, targetEdges[j]) / se.area;
      if (weight >= minWeight && weight > TOUCHING) parts.push({ target: targets[j].properties.GEOID, weight });
    }
    const covered = parts.reduce((sum, p) => sum + p.weight, 0);
    const scale = covered > 0 ? Math.min(1, covered) / covered : 0;
    for (const p of parts) rows.push({ source: s.properties.GEOID, target: p.target, weight: p.weight * scale });
  });
  onProgress?.(sources.length, sources.length);
  return rows;
}

/**
 * Chain two crosswalks (A → B, then B → C) into A → C: w(a→c) = Σ_b w(a→b)·w(b→c), the share
 * of a's households that end in c when each step spreads them by its own weights. Used to move
 * Census 2000 counts to 2020 tracts through 2010 tracts.
 *
 * @example
 * composeCrosswalks([{ source: 'a', target: 'b1', weight: 0.5 }, { source: 'a', target: 'b2', weight: 0.5 }],
 *                   [{ source: 'b1', target: 'c', weight: 1 }, { source: 'b2', target: 'c', weight: 0.4 }]);
 * // [{ source: 'a', target: 'c', weight: 0.7 }]
 */
export function composeCrosswalks(first: readonly CrosswalkRow[], second: readonly CrosswalkRow[]): CrosswalkRow[] {
  const next = new Map<string, CrosswalkRow[]>();
  for (const r of second) {
    let list = next.get(r.source);
    if (!list) next.set(r.source, (list = []));
    list.push(r);
  }
  const out = new Map<string, number>();
  for (const r of first) {
    for (const s of next.get(r.target) ?? []) {
      const key = `${r.source}\u0000${s.target}`;
      out.set(key, (out.get(key) ?? 0) + r.weight * s.weight);
    }
  }
  return [...out].map(([key, weight]) => {
    const [source, target] = key.split('\u0000');
    return { source, target, weight };
  });
}
