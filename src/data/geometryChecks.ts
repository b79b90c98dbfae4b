/**
 * Checks of boundary polygons before they are trusted (issue 9): rings that are not closed are
 * closed (a repair, reported); rings that cross themselves (bow-ties) and holes that lie outside
 * their outer ring are rejected with the reason, since no repair can know what was meant; the
 * region's location is checked against where US tracts can be. Pure: positions in, findings out.
 */
type Position = readonly number[];
type Ring = Position[];

/** Envelopes of the United States and its territories (lon/lat): the 50 states, Puerto Rico and the
 * US Virgin Islands, Guam and the Northern Mariana Islands, American Samoa. */
export const US_ENVELOPES: readonly (readonly [west: number, south: number, east: number, north: number])[] = [
  [-180, 17, -64, 72], // states (Alaska's Aleutians reach −180), Puerto Rico, USVI
  [172, 51, 180, 53.5], // Aleutians west of the antimeridian
  [144, 13, 146.5, 21], // Guam, Northern Mariana Islands
  [-171.2, -14.7, -168, -11], // American Samoa
  [-161, 18.5, -154, 23], // Hawaii (south of the first envelope)
];


export interface RingFindings {
  /** Rings whose last position was not the first: closed by repeating the first. */
  readonly closedRings: number;
  /** Why the polygon cannot be used, or null. */
  readonly problem: string | null;
}

function closeRing(ring: Ring): { ring: Ring; closed: boolean } {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 0 && (first[0] !== last[0] || first[1] !== last[1])) return { ring: [...ring, first], closed: true };
  return { ring, closed: false };
}

const orient = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/**
 * The first proper crossing of two non-adjacent edges of a closed ring, or null. Touching
 * vertices and collinear overlaps are not crossings (Census files have both where a tract
 * pinches). A sweep over edges sorted by their west end keeps this near n log n for real rings.
 */
export function ringSelfCrossing(ring: readonly Position[]): Position | null {
  const n = ring.length - 1; // edges; the ring is closed
  if (n < 4) return null;
  const edges = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.min(ring[a][0], ring[a + 1][0]) - Math.min(ring[b][0], ring[b + 1][0]));
  for (let x = 0; x < n; x++) {
    const i = edges[x];
    const a = ring[i];
    const b = ring[i + 1];
    const maxX = Math.max(a[0], b[0]);
    const [minY, maxY] = a[1] < b[1] ? [a[1], b[1]] : [b[1], a[1]];
    for (let y = x + 1; y < n; y++) {
      const j = edges[y];
      const c = ring[j];
      const d = ring[j + 1];
      if (Math.min(c[0], d[0]) > maxX) break;
      if (Math.abs(i - j) <= 1 || Math.abs(i - j) === n - 1) continue; // neighbours share a vertex
      if (Math.max(c[1], d[1]) < minY || Math.min(c[1], d[1]) > maxY) continue;
      const o1 = orient(a, b, c);
      const o2 = orient(a, b, d);
      const o3 = orient(c, d, a);
      const o4 = orient(c, d, b);
      if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
        const t = o1 / (o1 - o2);
        return [c[0] + t * (d[0] - c[0]), c[1] + t * (d[1] - c[1])];
      }
    }
  }
  return null;
}

/** Even-odd test of a point against a closed ring. */
function insideRing(p: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/**
 * Close unclosed rings of a polygon's rings (in place in the returned copy) and check them:
 * at least 4 positions, no ring crossing itself, every hole inside its outer ring.
 */
export function checkPolygonRings(polygon: readonly (readonly Position[])[]): { rings: Ring[]; findings: RingFindings } {
  let closedRings = 0;
  const rings: Ring[] = polygon.map((r) => {
    const { ring, closed } = closeRing([...r]);
    if (closed) closedRings++;
    return ring;
  });
  const fail = (problem: string) => ({ rings, findings: { closedRings, problem } });
  for (const [k, ring] of rings.entries()) {
    if (ring.length < 4) return fail(`${k === 0 ? 'the outer ring' : `hole ${k}`} has fewer than 3 distinct corners`);
    const crossing = ringSelfCrossing(ring);
    if (crossing) {
      return fail(
        `${k === 0 ? 'the outer ring' : `hole ${k}`} crosses itself near (${crossing[0].toFixed(5)}, ${crossing[1].toFixed(5)}) (a "bow-tie"); the feature is left out rather than guessed at`,
      );
    }
  }
  for (let k = 1; k < rings.length; k++) {
    const hole = rings[k];
    const inside = hole.slice(0, -1).filter((p) => insideRing(p, rings[0])).length;
    if (inside * 2 < hole.length - 1) return fail(`hole ${k} lies outside its outer ring; the feature is left out rather than guessed at`);
  }
  return { rings, findings: { closedRings, problem: null } };
}

/** Whether a lon/lat position lies where US census units can be. */
export function inUnitedStates(lon: number, lat: number): boolean {
  return US_ENVELOPES.some(([w, s, e, n]) => lon >= w && lon <= e && lat >= s && lat <= n);
}

/** [west, south, east, north] of positions. */
export function boundsOf(positions: Iterable<Position>): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of positions) {
    if (p[0] < w) w = p[0];
    if (p[0] > e) e = p[0];
    if (p[1] < s) s = p[1];
    if (p[1] > n) n = p[1];
  }
  return [w, s, e, n];
}
