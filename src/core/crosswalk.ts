/**
 * Moving counts between tract vintages (METHOD.md §5, "One geography"). Years are compared on
 * one vintage: bracket counts (and households) move by crosswalk weights — LTDB, NHGIS or Census
 * relationship files give (source, target, weight) with weight = share of the source tract's
 * households that lie in the target — or, without a crosswalk, by area weights from the two
 * boundary sets. Shares, H, classes and medians are recomputed from the moved counts afterwards;
 * they are never interpolated themselves.
 */
import { area, bbox, intersect, featureCollection } from '@turf/turf';
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
 * Area weights between two boundary sets: weight(s → t) = area(s ∩ t) / area(s), the share of
 * the source tract's area inside the target (areal interpolation; households assumed spread
 * evenly over the source's area). Slivers below `minWeight` (digitising noise between vintages)
 * are dropped and each source's weights are rescaled to add up to its covered share.
 */
export function areaCrosswalk(sources: readonly Polygonal[], targets: readonly Polygonal[], minWeight = 0.001): CrosswalkRow[] {
  const boxes = targets.map((t) => bbox(t));
  const rows: CrosswalkRow[] = [];
  for (const s of sources) {
    const sArea = area(s);
    if (!(sArea > 0)) continue;
    const [w, south, e, n] = bbox(s);
    const parts: { target: string; weight: number }[] = [];
    targets.forEach((t, j) => {
      const [tw, ts, te, tn] = boxes[j];
      if (tw > e || te < w || ts > n || tn < south) return;
      const piece = intersect(featureCollection([s as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>, t as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>]));
      if (!piece) return;
      const weight = area(piece) / sArea;
      if (weight >= minWeight) parts.push({ target: t.properties.GEOID, weight });
    });
    const covered = parts.reduce((sum, p) => sum + p.weight, 0);
    const scale = covered > 0 ? Math.min(1, covered) / covered : 0;
    for (const p of parts) rows.push({ source: s.properties.GEOID, target: p.target, weight: p.weight * scale });
  }
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
