/**
 * Riverbend, a fictional city: synthetic demo data with planted patterns.
 *
 * A seeded, pure generator (same seed → same region, byte for byte) of
 * - tract boundaries on two vintages (2000, and 2010 with ~15 tracts split in two),
 * - household income counts in the 16 Census brackets for 2000 (1999 dollars, no MOEs),
 *   ACS 2014–18 and ACS 2019–23 (with ACS-like 90% margins of error),
 * - a 2000→2010 crosswalk with household-share weights,
 * - the truth: which pattern was planted in each 2010 tract.
 *
 * Geography: Voronoi cells of seed points (denser downtown) clipped to an irregular city outline,
 * with a meandering river cut out of the land; the river divides county 001 (north bank) from
 * 003 (south bank) of state 99, which is not a real FIPS code. Incomes: each tract draws its
 * households from a lognormal distribution whose median (as a share of the region's AMI) and
 * spread depend on the planted pattern; the region's pooled median is pinned to a target AMI
 * per year (CPI-U inflation plus a little real growth).
 */
import { booleanPointInPolygon, difference, featureCollection, intersect, point, polygon as turfPolygon, rewind, union, voronoi } from '@turf/turf';
import { BRACKETS_16 } from '../../src/core/brackets';
import { CPI_U_ANNUAL } from '../../src/core/cpi';
import { medianIncome } from '../../src/core/rebin';
import { incomeTableOfUnits, type IncomeTable, type IncomeUnit } from '../../src/data/income';
import { mulberry32 } from '../../src/core/random';

export const DEMO_SEED = 20261122;
export const DEMO_NAME = 'Riverbend, a fictional city — synthetic demo data';
export const DEMO_STATE = '99';
export const DEMO_COUNTIES = { north: '001', south: '003' } as const;

export type PlantedPattern =
  | 'stable_mixed'
  | 'income_upgrading'
  | 'transitional'
  | 'poverty'
  | 'affluent'
  | 'small'
  | 'split'
  | 'none';

export const PLANTED_PATTERNS: readonly PlantedPattern[] = [
  'stable_mixed',
  'income_upgrading',
  'transitional',
  'poverty',
  'affluent',
  'small',
  'split',
  'none',
];

export type TractFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string; name?: string }>;

export interface DemoYear {
  readonly year: 2000 | 2018 | 2023;
  readonly incomeYear: 1999 | 2018 | 2023;
  readonly boundaries: '2000' | '2010';
  /** The region AMI the generator aimed at (dollars of the income year); the pooled median lands within a few dollars. */
  readonly targetAmi: number;
  /**
   * Factor applied to the ordinary ('none', 'split', 'small') tracts' incomes so that the pooled
   * median lands on the target AMI while the planted tracts keep their ratios to AMI.
   */
  readonly backgroundShift: number;
  /**
   * Household growth factor given to the working-class ordinary tracts this year (on top of their
   * own), chosen so that the region's median stays between the two kinds of ordinary tract.
   */
  readonly workingHouseholdGrowth: number;
  readonly table: IncomeTable;
}

export interface DemoRegion {
  readonly name: string;
  readonly seed: number;
  readonly boundaries2000: TractFeature[];
  readonly boundaries2010: TractFeature[];
  readonly years: DemoYear[];
  /** 2000 tract → 2010 tract, weights = 2000 household shares; rows of a source sum to 1. */
  readonly crosswalk: { source: string; target: string; weight: number }[];
  /** Planted pattern per 2010 tract (sorted by GEOID). */
  readonly truth: { GEOID: string; planted: PlantedPattern }[];
  /** The 2000 tracts split in two for 2010. */
  readonly splits: { parent: string; children: [string, string] }[];
  /** City limits (land and river together). */
  readonly outline: GeoJSON.Feature<GeoJSON.Polygon>;
  /** The river band cut out of the land (it extends past the city limits). */
  readonly river: GeoJSON.Feature<GeoJSON.Polygon>;
  /** The river's centre line. */
  readonly riverCenterline: GeoJSON.Feature<GeoJSON.LineString>;
}

// ---------------------------------------------------------------------------------------------
// Parameters (one table, so the planted patterns can be read at a glance)

/** Where the fictional city sits (central Illinois-like latitude; not a real place). */
const ORIGIN = { lon: -89.9, lat: 40.7 };
const KM_PER_DEG_LAT = 110.574;
const KM_PER_DEG_LON = 111.32 * Math.cos((ORIGIN.lat * Math.PI) / 180);

/** City outline: an ellipse of these semi-axes (km), made irregular by low harmonics. */
const OUTLINE = { a: 12.5, b: 10, vertices: 240 };
/** River: width (km) and meander of its centre line y(x). */
const RIVER = { width: 0.42, y0: -0.6, tilt: 0.07, amp1: 1.7, wave1: 9.5, amp2: 0.6, wave2: 4.1, step: 0.1 };
/** Seed spacing (km): close downtown, wide in the suburbs. */
const SPACING = { downtown: 0.45, suburb: 1.03, radius: 4.5, downtownX: -1.5 };

/** Region AMI of 1999 (dollars of 1999) and real growth of later years over 1999. */
const AMI_1999 = 41_800;
const REAL_GROWTH: Readonly<Record<number, number>> = { 1999: 1, 2018: 1.05, 2023: 1.08 };

const YEARS = [
  { year: 2000, incomeYear: 1999, boundaries: '2000', survey: 'decennial' },
  { year: 2018, incomeYear: 2018, boundaries: '2010', survey: 'acs' },
  { year: 2023, incomeYear: 2023, boundaries: '2010', survey: 'acs' },
] as const;

/** Share of each tract's households drawn from a region-wide lognormal (median AMI, this log-spread). */
const STRAY_SHARE = 0.03;
const STRAY_SIGMA = 1.0;

/** Sizes of the planted zones (2000 cells; each split cell gives two 2010 tracts). */
const ZONE_SIZES = { income_upgrading: 40, transitional: 25, poverty: 40, affluent: 30, stable_mixed: 60, small: 8, split: 15 };

// ---------------------------------------------------------------------------------------------
// Random numbers


/** An independent stream per purpose, so tuning one part leaves the others unchanged. */
function stream(seed: number, purpose: string): Rng {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 16777619);
  return new Rng(mulberry32(h));
}

class Rng {
  private spare: number | null = null;
  constructor(readonly next: () => number) {}
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.uniform(lo, hi + 1));
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

// ---------------------------------------------------------------------------------------------
// Planar geometry in km (x east, y north of ORIGIN); projected to lon/lat at the end.

type Pt = [number, number];
type Ring = Pt[];
type PolyKm = GeoJSON.Feature<GeoJSON.Polygon>;

function ringArea(ring: readonly Pt[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(s) / 2;
}

function polyArea(p: GeoJSON.Polygon): number {
  return ringArea(p.coordinates[0] as Pt[]) - p.coordinates.slice(1).reduce((s, r) => s + ringArea(r as Pt[]), 0);
}

function centroid(p: GeoJSON.Polygon): Pt {
  const ring = p.coordinates[0] as Pt[];
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** The polygons of a clipping result, largest first. */
function parts(g: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon> | null): GeoJSON.Polygon[] {
  if (!g) return [];
  const list: GeoJSON.Polygon[] =
    g.geometry.type === 'Polygon'
      ? [g.geometry]
      : g.geometry.coordinates.map((coordinates) => ({ type: 'Polygon' as const, coordinates }));
  return list.filter((p) => polyArea(p) > 1e-9).sort((a, b) => polyArea(b) - polyArea(a));
}

function clip(a: GeoJSON.Polygon, b: GeoJSON.Polygon): GeoJSON.Polygon[] {
  return parts(intersect(featureCollection([feat(a), feat(b)])));
}

function feat(p: GeoJSON.Polygon): PolyKm {
  return { type: 'Feature', properties: {}, geometry: p };
}

function dist(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The city outline: an ellipse with random low harmonics on its radius. */
function makeOutline(rng: Rng): GeoJSON.Polygon {
  const harmonics = [2, 3, 4, 5, 7, 11].map((k) => ({ k, amp: (0.09 / Math.sqrt(k)) * rng.uniform(0.5, 1), phase: rng.uniform(0, 2 * Math.PI) }));
  const ring: Ring = [];
  for (let i = 0; i < OUTLINE.vertices; i++) {
    const t = (2 * Math.PI * i) / OUTLINE.vertices;
    const wobble = 1 + harmonics.reduce((s, h) => s + h.amp * Math.sin(h.k * t + h.phase), 0) + rng.uniform(-0.004, 0.004);
    ring.push([OUTLINE.a * wobble * Math.cos(t), OUTLINE.b * wobble * Math.sin(t)]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

interface River {
  y: (x: number) => number;
  line: Ring;
  band: GeoJSON.Polygon;
}

/** A meandering band running west to east across the whole city, past its limits. */
function makeRiver(rng: Rng): River {
  const p1 = rng.uniform(0, 2 * Math.PI);
  const p2 = rng.uniform(0, 2 * Math.PI);
  const y = (x: number) =>
    RIVER.y0 + RIVER.tilt * x + RIVER.amp1 * Math.sin((2 * Math.PI * x) / RIVER.wave1 + p1) + RIVER.amp2 * Math.sin((2 * Math.PI * x) / RIVER.wave2 + p2);
  const line: Ring = [];
  for (let x = -OUTLINE.a * 1.6; x <= OUTLINE.a * 1.6 + 1e-9; x += RIVER.step) line.push([x, y(x)]);
  const left: Ring = [];
  const right: Ring = [];
  line.forEach(([x], i) => {
    const [xa, ya] = line[Math.max(0, i - 1)];
    const [xb, yb] = line[Math.min(line.length - 1, i + 1)];
    const len = Math.hypot(xb - xa, yb - ya);
    const nx = -(yb - ya) / len;
    const ny = (xb - xa) / len;
    // The width breathes a little along the river.
    const w = (RIVER.width / 2) * (1 + 0.25 * Math.sin(x / 1.7));
    left.push([x + nx * w, line[i][1] + ny * w]);
    right.push([x - nx * w, line[i][1] - ny * w]);
  });
  const ring: Ring = [...right, ...left.reverse()];
  ring.push(ring[0]);
  return { y, line, band: { type: 'Polygon', coordinates: [ring] } };
}

/** Desired spacing of tract seeds (km) at a point: close downtown, wide in the suburbs. */
function spacingAt(p: Pt, downtown: Pt): number {
  const d = dist(p, downtown);
  return SPACING.suburb - (SPACING.suburb - SPACING.downtown) * Math.exp(-(d * d) / (2 * SPACING.radius * SPACING.radius));
}

/** Dart throwing with a variable radius: jittered, evenly spread seeds whose density follows spacingAt. */
function seedPoints(rng: Rng, land: GeoJSON.Polygon[], downtown: Pt): { p: Pt; part: number }[] {
  const accepted: { p: Pt; part: number; s: number }[] = [];
  // Spatial hash: no two seeds closer than the larger spacing, so neighbours are in adjacent buckets.
  const bucket = SPACING.suburb;
  const grid = new Map<string, { p: Pt; s: number }[]>();
  const key = (i: number, j: number) => `${i},${j}`;
  const tries = 60_000;
  for (let t = 0; t < tries; t++) {
    const p: Pt = [rng.uniform(-OUTLINE.a * 1.2, OUTLINE.a * 1.2), rng.uniform(-OUTLINE.b * 1.2, OUTLINE.b * 1.2)];
    const s = spacingAt(p, downtown);
    const [bi, bj] = [Math.floor(p[0] / bucket), Math.floor(p[1] / bucket)];
    let clear = true;
    for (let di = -1; di <= 1 && clear; di++) {
      for (let dj = -1; dj <= 1 && clear; dj++) {
        for (const q of grid.get(key(bi + di, bj + dj)) ?? []) {
          if (dist(p, q.p) < 0.5 * (s + q.s)) {
            clear = false;
            break;
          }
        }
      }
    }
    if (!clear) continue;
    const part = land.findIndex((l) => booleanPointInPolygon(p, l));
    if (part < 0) continue;
    accepted.push({ p, part, s });
    const list = grid.get(key(bi, bj)) ?? [];
    list.push({ p, s });
    grid.set(key(bi, bj), list);
  }
  // A land part too small to catch a dart still needs a tract.
  land.forEach((l, part) => {
    if (!accepted.some((q) => q.part === part)) accepted.push({ p: centroid(l), part, s: 0 });
  });
  return accepted.map(({ p, part }) => ({ p, part }));
}

interface Cell {
  seed: Pt;
  part: number;
  poly: GeoJSON.Polygon;
}

/**
 * True when a convex cell lies wholly inside a land part: every corner is on land and no shore
 * vertex falls within the cell's box (a shore crossing the cell would need one, or would leave a
 * corner in the water). Saves clipping the inland majority of cells.
 */
function insideLand(cell: GeoJSON.Polygon, land: GeoJSON.Polygon): boolean {
  const ring = cell.coordinates[0] as Pt[];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const shore of land.coordinates) {
    for (const [x, y] of shore) if (x >= x0 && x <= x1 && y >= y0 && y <= y1) return false;
  }
  return ring.every((p) => booleanPointInPolygon(p, land, { ignoreBoundary: true }));
}

/** Voronoi cells of each land part's seeds clipped to the part: a partition of the land. */
function tessellate(land: GeoJSON.Polygon[], seeds: { p: Pt; part: number }[]): Cell[] {
  const cells: Cell[] = [];
  land.forEach((part, index) => {
    const own = seeds.filter((s) => s.part === index);
    const bbox: [number, number, number, number] = [-OUTLINE.a * 2, -OUTLINE.b * 2, OUTLINE.a * 2, OUTLINE.b * 2];
    const vor = voronoi(featureCollection(own.map((s) => point(s.p))), { bbox });
    const mine: Cell[] = [];
    const orphans: GeoJSON.Polygon[] = [];
    own.forEach((s, i) => {
      const cell = vor.features[i];
      if (!cell) throw new Error('voronoi: a seed has no cell (duplicate point?)');
      const pieces = insideLand(cell.geometry, part) ? [cell.geometry] : clip(cell.geometry, part);
      if (pieces.length === 0) return;
      mine.push({ seed: s.p, part: index, poly: pieces[0] });
      orphans.push(...pieces.slice(1));
    });
    // A cell cut in two by a bend of the shore: give the stray piece to a neighbour it touches.
    for (const orphan of orphans) {
      const c = centroid(orphan);
      const byDistance = [...mine].sort((a, b) => dist(a.seed, c) - dist(b.seed, c));
      let placed = false;
      for (const cell of byDistance) {
        const merged = parts(union(featureCollection([feat(cell.poly), feat(orphan)])));
        if (merged.length === 1) {
          cell.poly = merged[0];
          placed = true;
          break;
        }
      }
      if (!placed) mine.push({ seed: c, part: index, poly: orphan });
    }
    cells.push(...mine);
  });
  return cells;
}

/** Cut a polygon in two by the line through its centroid across its longest axis. */
function splitInTwo(p: GeoJSON.Polygon): [GeoJSON.Polygon, GeoJSON.Polygon] {
  const c = centroid(p);
  const ring = p.coordinates[0] as Pt[];
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of ring) {
    sxx += (x - c[0]) ** 2;
    syy += (y - c[1]) ** 2;
    sxy += (x - c[0]) * (y - c[1]);
  }
  const major = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  // Half-planes on either side of the line through c perpendicular to the major axis.
  const [ux, uy] = [Math.cos(major), Math.sin(major)];
  const [vx, vy] = [-uy, ux];
  const big = 50;
  const half = (sign: number): GeoJSON.Polygon => {
    const a: Pt = [c[0] + vx * big, c[1] + vy * big];
    const b: Pt = [c[0] - vx * big, c[1] - vy * big];
    const b2: Pt = [b[0] + sign * ux * big, b[1] + sign * uy * big];
    const a2: Pt = [a[0] + sign * ux * big, a[1] + sign * uy * big];
    return { type: 'Polygon', coordinates: [[a, b, b2, a2, a]] };
  };
  const one = clip(p, half(1));
  const two = clip(p, half(-1));
  if (one.length !== 1 || two.length !== 1) throw new Error('splitInTwo: a half came out in pieces');
  return [one[0], two[0]];
}

// ---------------------------------------------------------------------------------------------
// Incomes

/** Per tract and year: median as a share of AMI, log-spread, households. */
interface IncomeParams {
  ratio: number;
  sigma: number;
  households: number;
}

/** A tract's parameters for 2000, 2018 and 2023 from its 2000 figures and the later ratios, spreads and household growth. */
function threeYears(rng: Rng, p0: IncomeParams, ratio18: number, ratio23: number, sigma18: number, sigma23: number, growth18: number, growth23: number): IncomeParams[] {
  const h18 = Math.max(1, Math.round(p0.households * growth18));
  return [
    p0,
    { ratio: ratio18, sigma: sigma18, households: h18 },
    { ratio: ratio23, sigma: sigma23, households: Math.max(1, Math.round(h18 * growth23 * rng.uniform(0.98, 1.02))) },
  ];
}

/** What each planted pattern means in incomes (three entries: 2000, 2018, 2023). */
function plantIncomes(rng: Rng, pattern: PlantedPattern): IncomeParams[] {
  const drift = (mean: number, sd: number) => Math.exp(mean + sd * rng.normal());
  switch (pattern) {
    case 'stable_mixed': {
      // Very wide distributions centred on AMI, steady over time: High diversity every year.
      const r = rng.uniform(0.9, 1.1);
      const s = rng.uniform(0.68, 0.85);
      const p0 = { ratio: r, sigma: s, households: rng.int(1000, 2100) };
      const r18 = r * drift(-0.01, 0.012);
      return threeYears(rng, p0, r18, r18 * drift(0, 0.01), s, s, rng.uniform(0.97, 1.08), rng.uniform(0.98, 1.04));
    }
    case 'income_upgrading': {
      // Low-income riverfront in 2000, high-income (mostly >150% AMI, so not diverse) by 2018.
      const p0 = { ratio: rng.uniform(0.55, 0.68), sigma: rng.uniform(0.5, 0.58), households: rng.int(600, 1200) };
      const r18 = rng.uniform(1.9, 2.2);
      return threeYears(rng, p0, r18, r18 * rng.uniform(1.0, 1.08), rng.uniform(0.4, 0.45), rng.uniform(0.38, 0.44), rng.uniform(0.85, 1.0), rng.uniform(0.97, 1.03));
    }
    case 'transitional': {
      // Low-income in 2000, mixed and rising by 2018 (median near AMI, wide spread).
      const p0 = { ratio: rng.uniform(0.55, 0.68), sigma: rng.uniform(0.5, 0.56), households: rng.int(700, 1400) };
      const r18 = rng.uniform(0.92, 1.05);
      return threeYears(rng, p0, r18, r18 * rng.uniform(1.02, 1.08), rng.uniform(0.68, 0.78), rng.uniform(0.68, 0.78), rng.uniform(1.0, 1.15), rng.uniform(1.0, 1.06));
    }
    case 'poverty': {
      // Concentrated poverty: median well under half of AMI, and falling further behind.
      const r = rng.uniform(0.3, 0.4);
      const p0 = { ratio: r, sigma: rng.uniform(0.5, 0.6), households: rng.int(700, 1500) };
      const r18 = r * drift(-0.1, 0.02);
      return threeYears(rng, p0, r18, r18 * drift(-0.03, 0.015), p0.sigma, p0.sigma, rng.uniform(1.1, 1.25), rng.uniform(1.0, 1.05));
    }
    case 'affluent': {
      const r = rng.uniform(2.1, 2.6);
      const p0 = { ratio: r, sigma: rng.uniform(0.45, 0.55), households: rng.int(900, 1800) };
      const r18 = r * drift(0.02, 0.03);
      return threeYears(rng, p0, r18, r18 * drift(0.01, 0.02), p0.sigma, p0.sigma, rng.uniform(1.0, 1.1), rng.uniform(1.0, 1.04));
    }
    case 'small': {
      // Parks and riverfront industry: a few dozen households, never enough for an H.
      const r = rng.uniform(1.0, 1.4);
      const hh = () => rng.int(20, 85);
      return [
        { ratio: r, sigma: 0.6, households: hh() },
        { ratio: r, sigma: 0.6, households: hh() },
        { ratio: r, sigma: 0.6, households: hh() },
      ];
    }
    case 'split':
    case 'none':
      throw new Error('ordinary tracts are planted by ordinaryIncomes');
  }
}

type OrdinaryKind = 'working' | 'comfortable';

/**
 * Ordinary tracts: working-class (median ~60% AMI, slipping a little against AMI) or comfortable
 * (median ~160% AMI). A mid-width spread off AMI keeps them Moderate, not High, and neither kind
 * is eligible-and-upgrading, poor or affluent by the rules the tests apply.
 */
function ordinaryIncomes(rng: Rng, kind: OrdinaryKind): IncomeParams[] {
  const drift = (mean: number, sd: number) => Math.exp(mean + sd * rng.normal());
  if (kind === 'comfortable') {
    const r = rng.uniform(1.55, 1.72);
    const s = rng.uniform(0.48, 0.54);
    const p0 = { ratio: r, sigma: s, households: rng.int(900, 2000) };
    const r18 = r * drift(0.0, 0.02);
    return threeYears(rng, p0, r18, r18 * drift(0.0, 0.015), s, s, rng.uniform(0.97, 1.05), rng.uniform(0.98, 1.03));
  }
  const r = rng.uniform(0.56, 0.62);
  const s = rng.uniform(0.44, 0.49);
  const p0 = { ratio: r, sigma: s, households: rng.int(900, 2000) };
  const r18 = r * drift(-0.05, 0.015);
  return threeYears(rng, p0, r18, r18 * drift(-0.015, 0.01), s, s, rng.uniform(1.0, 1.1), rng.uniform(1.0, 1.05));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected households above AMI minus those below, for one tract-year. */
function balance(p: IncomeParams): number {
  const above = 1 - normalCdf(-Math.log(p.ratio) / p.sigma);
  return p.households * (2 * above - 1);
}

/** 90% MOE of an ACS 5-year tract estimate: sampling variance ≈ (design factor) × count, and the Census's 12 for zeros. */
function acsMoe(count: number, designFactor: number): number {
  return count === 0 ? 12 : Math.round(1.645 * Math.sqrt(designFactor * count + 50));
}

function binIncome(dollars: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (dollars >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The factor f on the background tracts' incomes (relative to AMI) that makes the pooled median
 * exactly 1: half of all households below AMI.
 */
function backgroundShift(rel: readonly Float64Array[], background: readonly boolean[]): number {
  let total = 0;
  let plantedBelow = 0;
  let backgroundCount = 0;
  rel.forEach((x, t) => {
    total += x.length;
    if (background[t]) backgroundCount += x.length;
    else for (const v of x) if (v < 1) plantedBelow++;
  });
  const values = new Float64Array(backgroundCount);
  let o = 0;
  rel.forEach((x, t) => {
    if (!background[t]) return;
    values.set(x, o);
    o += x.length;
  });
  const wanted = Math.round(total / 2) - plantedBelow;
  if (wanted <= 0 || wanted >= values.length) throw new Error('the planted tracts alone put the region median out of reach');
  values.sort();
  return 2 / (values[wanted - 1] + values[wanted]);
}

// ---------------------------------------------------------------------------------------------

interface Tract2010 {
  geoid: string;
  name: string;
  poly: GeoJSON.Polygon;
  pattern: PlantedPattern;
  parent: string;
}

function toLonLat([x, y]: Pt): Pt {
  return [+(ORIGIN.lon + x / KM_PER_DEG_LON).toFixed(6), +(ORIGIN.lat + y / KM_PER_DEG_LAT).toFixed(6)];
}

function projectPolygon(p: GeoJSON.Polygon): GeoJSON.Polygon {
  return { type: 'Polygon', coordinates: p.coordinates.map((ring) => (ring as Pt[]).map(toLonLat)) };
}

function tractFeature(poly: GeoJSON.Polygon, GEOID: string, name: string): TractFeature {
  const f = turfPolygon(projectPolygon(poly).coordinates, { GEOID, name });
  return rewind(f) as TractFeature;
}

export function generateDemo(seed = DEMO_SEED): DemoRegion {
  // --- land, river, cells
  const outline = makeOutline(stream(seed, 'outline'));
  const river = makeRiver(stream(seed, 'river'));
  const landParts = parts(difference(featureCollection([feat(outline), feat(river.band)])));
  const downtown: Pt = [SPACING.downtownX, river.y(SPACING.downtownX)];
  const seeds = seedPoints(stream(seed, 'seeds'), landParts, downtown);
  const cells = tessellate(landParts, seeds).map((c) => ({ ...c, center: centroid(c.poly), area: polyArea(c.poly) }));
  const bankOf = (p: Pt) => (p[1] >= river.y(p[0]) ? 'north' : 'south');

  // --- planted zones on the 2000 cells (contiguous: nearest cells to a zone's anchor)
  const pattern: PlantedPattern[] = cells.map(() => 'none');
  const free = (i: number) => pattern[i] === 'none';
  const take = (label: PlantedPattern, count: number, score: (c: (typeof cells)[number]) => number) => {
    const order = cells.map((c, i) => ({ i, s: score(c) })).filter(({ i, s }) => free(i) && Number.isFinite(s));
    order.sort((a, b) => a.s - b.s);
    order.slice(0, count).forEach(({ i }) => (pattern[i] = label));
  };
  const riverDistance = (c: Pt) => Math.abs(c[1] - river.y(c[0]));
  // Gentrifying corridor: both banks of the river just east of downtown.
  const corridor = { from: downtown[0] + 0.9, to: downtown[0] + 8.5 };
  take('income_upgrading', ZONE_SIZES.income_upgrading, (c) =>
    c.center[0] < corridor.from || c.center[0] > corridor.to ? Infinity : riverDistance(c.center) + 0.12 * Math.abs(c.center[0] - (corridor.from + corridor.to) / 2),
  );
  // Transitional: the next ring out from the corridor, on its way up.
  const upgrading = cells.filter((_, i) => pattern[i] === 'income_upgrading');
  take('transitional', ZONE_SIZES.transitional, (c) =>
    Math.min(...upgrading.map((u) => dist(u.center, c.center))) + 0.15 * Math.abs(c.center[0] - (corridor.to + 1)),
  );
  // Concentrated poverty: south bank, west of downtown.
  const povertyAnchor: Pt = [downtown[0] - 2.8, river.y(downtown[0] - 2.8) - 1.8];
  take('poverty', ZONE_SIZES.poverty, (c) => dist(c.center, povertyAnchor));
  // Affluent enclave: north-west suburbs.
  const affluentAnchor: Pt = [-6.5, river.y(-6.5) + 6.5];
  take('affluent', ZONE_SIZES.affluent, (c) => dist(c.center, affluentAnchor));
  // Stable mixed-income: two inner-ring neighbourhoods.
  const stableA: Pt = [4.5, river.y(4.5) - 4.2];
  const stableB: Pt = [-4.5, river.y(-4.5) - 5.8];
  take('stable_mixed', Math.round(ZONE_SIZES.stable_mixed * 0.55), (c) => dist(c.center, stableA));
  take('stable_mixed', ZONE_SIZES.stable_mixed - Math.round(ZONE_SIZES.stable_mixed * 0.55), (c) => dist(c.center, stableB));
  // Small: riverfront parks and industry, spread along the river.
  const riverfront = cells
    .map((c, i) => ({ i, c }))
    .filter(({ i, c }) => free(i) && c.poly.coordinates[0].some((p) => riverDistance(p as Pt) < RIVER.width * 0.7 + 0.02))
    .sort((a, b) => a.c.center[0] - b.c.center[0]);
  for (let k = 0; k < ZONE_SIZES.small; k++) {
    pattern[riverfront[Math.floor(((k + 0.5) * riverfront.length) / ZONE_SIZES.small)].i] = 'small';
  }
  // Split: big suburban tracts that grew, at least 2.5 km apart.
  const bySize = cells.map((c, i) => ({ i, c })).filter(({ i }) => free(i)).sort((a, b) => b.c.area - a.c.area);
  const chosen: Pt[] = [];
  for (const { i, c } of bySize) {
    if (chosen.length >= ZONE_SIZES.split) break;
    if (chosen.every((p) => dist(p, c.center) >= 2.5)) {
      pattern[i] = 'split';
      chosen.push(c.center);
    }
  }

  // --- tract numbers: per county, in bands from north to south, snaking west/east
  const numberOf = new Array<number>(cells.length);
  const countyOf = cells.map((c) => (bankOf(c.center) === 'north' ? DEMO_COUNTIES.north : DEMO_COUNTIES.south));
  for (const [county, first] of [
    [DEMO_COUNTIES.north, 1],
    [DEMO_COUNTIES.south, 501],
  ] as const) {
    const band = (c: Pt) => Math.floor((OUTLINE.b * 1.5 - c[1]) / 2.2);
    const idx = cells.map((_, i) => i).filter((i) => countyOf[i] === county);
    idx.sort((a, b) => {
      const ba = band(cells[a].center);
      const bb = band(cells[b].center);
      if (ba !== bb) return ba - bb;
      return (ba % 2 ? -1 : 1) * (cells[a].center[0] - cells[b].center[0]);
    });
    idx.forEach((i, k) => (numberOf[i] = first + k));
  }
  const tractCode = (n: number, suffix: number) => String(n * 100 + suffix).padStart(6, '0');
  const geoidOf = (i: number, suffix = 0) => DEMO_STATE + countyOf[i] + tractCode(numberOf[i], suffix);
  const nameOf = (i: number, suffix = 0) => `Tract ${numberOf[i]}.${String(suffix).padStart(2, '0')}`;

  // --- the two vintages
  const tracts2010: Tract2010[] = [];
  const boundaries2000: TractFeature[] = [];
  const splits: { parent: string; children: [string, string] }[] = [];
  cells.forEach((cell, i) => {
    const parent = geoidOf(i);
    boundaries2000.push(tractFeature(cell.poly, parent, nameOf(i)));
    if (pattern[i] === 'split') {
      const halves = splitInTwo(cell.poly);
      const children: [string, string] = [geoidOf(i, 1), geoidOf(i, 2)];
      halves.forEach((h, k) => tracts2010.push({ geoid: children[k], name: nameOf(i, k + 1), poly: h, pattern: 'split', parent }));
      splits.push({ parent, children });
    } else {
      tracts2010.push({ geoid: parent, name: nameOf(i), poly: cell.poly, pattern: pattern[i], parent });
    }
  });
  tracts2010.sort((a, b) => (a.geoid < b.geoid ? -1 : 1));
  boundaries2000.sort((a, b) => (a.properties.GEOID < b.properties.GEOID ? -1 : 1));
  splits.sort((a, b) => (a.parent < b.parent ? -1 : 1));
  const boundaries2010 = tracts2010.map((t) => tractFeature(t.poly, t.geoid, t.name));

  // --- incomes per 2010 tract
  const incomeRng = stream(seed, 'incomes');
  const params: IncomeParams[][] = tracts2010.map((t) => (t.pattern === 'none' || t.pattern === 'split' ? [] : plantIncomes(incomeRng, t.pattern)));
  // Ordinary tracts come as units (a split tract's halves share one distribution; the parent grew,
  // hence the split), each drawn both ways; the kind is chosen below.
  const units = new Map<string, { tracts: number[]; suburb: number; options: Record<OrdinaryKind, IncomeParams[]>; shares: number[] }>();
  tracts2010.forEach((t, i) => {
    if (t.pattern !== 'none' && t.pattern !== 'split') return;
    let unit = units.get(t.parent);
    if (!unit) {
      const suburb = dist(centroid(t.poly), downtown) / 10 + 0.35 * incomeRng.next();
      unit = { tracts: [], suburb, options: { working: ordinaryIncomes(incomeRng, 'working'), comfortable: ordinaryIncomes(incomeRng, 'comfortable') }, shares: [] };
      units.set(t.parent, unit);
    }
    unit.tracts.push(i);
    if (t.pattern === 'split') {
      const h00 = Math.round(incomeRng.uniform(2600, 3600) * incomeRng.uniform(0.38, 0.62));
      const g18 = incomeRng.uniform(1.2, 1.5);
      const g23 = incomeRng.uniform(1.0, 1.08);
      unit.shares.push(h00, g18, g23);
    }
  });
  const withHouseholds = (unit: { shares: number[] }, member: number, p: IncomeParams[]) => {
    if (unit.shares.length === 0) return p;
    const [h00, g18, g23] = unit.shares.slice(member * 3, member * 3 + 3);
    return p.map((q, y) => ({ ...q, households: Math.round(h00 * (y === 0 ? 1 : y === 1 ? g18 : g18 * g23)) }));
  };
  // Comfortable in the suburbs, working-class inside: as many comfortable units (outermost
  // first) as balance the 2000 pool around its median, so the AMI sits between the two kinds.
  const ordered = [...units.values()].sort((a, b) => b.suburb - a.suburb);
  const planted2000 = params.reduce((s, p) => s + (p.length ? balance(p[0]) : 0), 0);
  const unitBalance = (u: (typeof ordered)[number], kind: OrdinaryKind, y: number) =>
    u.tracts.reduce((s, _, m) => s + balance(withHouseholds(u, m, u.options[kind])[y]), 0);
  let best = { comfortable: 0, gap: Infinity };
  for (let n = 0; n <= ordered.length; n++) {
    const gap = Math.abs(planted2000 + ordered.reduce((s, u, i) => s + unitBalance(u, i < n ? 'comfortable' : 'working', 0), 0));
    if (gap < best.gap) best = { comfortable: n, gap };
  }
  const kindOf = new Map(ordered.map((u, i) => [u, (i < best.comfortable ? 'comfortable' : 'working') as OrdinaryKind]));
  for (const [u, kind] of kindOf) u.tracts.forEach((t, m) => (params[t] = withHouseholds(u, m, u.options[kind])));
  // Later years: the corridor's households move up past AMI; the working-class inner neighbourhoods
  // absorb the region's household growth (new apartments), which keeps the pool's median at AMI.
  const working = new Set([...kindOf].filter(([, kind]) => kind === 'working').flatMap(([u]) => u.tracts));
  const workingGrowth = YEARS.map((_, y) => {
    if (y === 0) return 1;
    let rest = 0;
    let work = 0;
    params.forEach((p, t) => (working.has(t) ? (work += balance(p[y])) : (rest += balance(p[y]))));
    return Math.min(1.45, Math.max(0.8, -rest / work));
  });
  for (const t of working) params[t] = params[t].map((p, y) => ({ ...p, households: Math.round(p.households * workingGrowth[y]) }));

  const edges = BRACKETS_16.lowerEdges;
  const k = edges.length;
  const countsByYear = YEARS.map((y, yi) => {
    const targetAmi = AMI_1999 * (CPI_U_ANNUAL[y.incomeYear] / CPI_U_ANNUAL[1999]) * REAL_GROWTH[y.incomeYear];
    const rel = tracts2010.map((_, t) => {
      const { ratio, sigma, households } = params[t][yi];
      const x = new Float64Array(households);
      for (let h = 0; h < households; h++) {
        // A few households in every tract come from anywhere in the region's range (students,
        // retirees, the odd big earner): real tracts have fatter tails than one lognormal.
        const stray = incomeRng.next() < STRAY_SHARE;
        x[h] = stray ? Math.exp(STRAY_SIGMA * incomeRng.normal()) : ratio * Math.exp(sigma * incomeRng.normal());
      }
      return x;
    });
    // Pin the region's pooled median to the target AMI by moving only the ordinary tracts: the
    // planted tracts keep their ratios to AMI exactly, whatever the corridor does to the pool.
    const background = tracts2010.map((t) => t.pattern === 'none' || t.pattern === 'split' || t.pattern === 'small');
    const shift = backgroundShift(rel, background);
    const counts = rel.map((x, t) => {
      const scale = targetAmi * (background[t] ? shift : 1);
      const c = new Array<number>(k).fill(0);
      for (const v of x) c[binIncome(v * scale, edges)]++;
      return c;
    });
    return { targetAmi: Math.round(targetAmi), counts, shift };
  });

  const unit = (geoid: string, line: number, counts: number[], acs: number | null): IncomeUnit => {
    const total = counts.reduce((s, c) => s + c, 0);
    const median = medianIncome(counts, BRACKETS_16);
    return {
      geoid,
      line,
      counts,
      total,
      moe: acs === null ? null : counts.map((c) => acsMoe(c, acs)),
      totalMoe: acs === null ? null : Math.round(1.645 * Math.sqrt(1.2 * total + 400)),
      publishedMedian: median === null ? null : Math.round(median),
    };
  };

  const years: DemoYear[] = YEARS.map((y, yi) => {
    const { counts, targetAmi, shift } = countsByYear[yi];
    let rows: { geoid: string; counts: number[] }[];
    if (y.boundaries === '2000') {
      const byParent = new Map<string, number[]>();
      tracts2010.forEach((t, i) => {
        const sum = byParent.get(t.parent) ?? new Array<number>(k).fill(0);
        counts[i].forEach((c, b) => (sum[b] += c));
        byParent.set(t.parent, sum);
      });
      rows = [...byParent].map(([geoid, c]) => ({ geoid, counts: c })).sort((a, b) => (a.geoid < b.geoid ? -1 : 1));
    } else {
      rows = tracts2010.map((t, i) => ({ geoid: t.geoid, counts: counts[i] }));
    }
    // ACS design factor: the 2019–23 sample answered less, so its margins are a little wider.
    const designFactor = y.survey === 'acs' ? (y.year === 2023 ? 11 : 9) : null;
    const units = rows.map((r, i) => unit(r.geoid, i + 2, r.counts, designFactor));
    const yy = String(y.year % 100).padStart(2, '0');
    const brackets = [...edges.slice(1), edges[k - 1] + 1000].map((u) => `I_${u}_${yy}`);
    const base = incomeTableOfUnits({ file: `riverbend-${y.year}.csv`, year: y.year, incomeYear: y.incomeYear, units });
    const table: IncomeTable = { ...base, columns: { ...base.columns, brackets, moe: designFactor === null ? null : brackets.map((b) => `${b}_moe`) } };
    return { year: y.year, incomeYear: y.incomeYear, boundaries: y.boundaries, targetAmi, backgroundShift: +shift.toFixed(4), workingHouseholdGrowth: +workingGrowth[yi].toFixed(4), table };
  });

  // --- crosswalk 2000 → 2010 by the split halves' 2000 household shares
  const hh2000 = new Map(tracts2010.map((t, i) => [t.geoid, countsByYear[0].counts[i].reduce((s, c) => s + c, 0)]));
  const crosswalk: { source: string; target: string; weight: number }[] = [];
  for (const f of boundaries2000) {
    const source = f.properties.GEOID;
    const split = splits.find((s) => s.parent === source);
    if (!split) {
      crosswalk.push({ source, target: source, weight: 1 });
      continue;
    }
    const [a, b] = split.children.map((c) => hh2000.get(c)!);
    const wa = +(a / (a + b)).toFixed(6);
    crosswalk.push({ source, target: split.children[0], weight: wa }, { source, target: split.children[1], weight: +(1 - wa).toFixed(6) });
  }

  return {
    name: DEMO_NAME,
    seed,
    boundaries2000,
    boundaries2010,
    years,
    crosswalk,
    truth: tracts2010.map((t) => ({ GEOID: t.geoid, planted: t.pattern })),
    splits,
    outline: rewind(turfPolygon(projectPolygon(outline).coordinates, {})) as GeoJSON.Feature<GeoJSON.Polygon>,
    river: rewind(turfPolygon(projectPolygon(river.band).coordinates, {})) as GeoJSON.Feature<GeoJSON.Polygon>,
    riverCenterline: { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: river.line.map(toLonLat) } },
  };
}
