/**
 * Geographic context derived from the tracts themselves, so that it works offline: county and
 * state outlines (the edges two tracts of different counties share), one label point per county
 * and per tract, and tract numbers as people write them ("8391", "102.01").
 *
 * Outlines come from shared edges rather than polygon unions: boundary files from the Census
 * (and every tractmix bundle, stored as TopoJSON) give neighbouring tracts identical vertices, so
 * an edge shared by tracts of two counties is exactly the county line, found in one pass over the
 * edges (a turf union of 2,000 tracts takes seconds). Where the vertices do not match, nothing is
 * drawn rather than a wrong line. The outer edge of the loaded tracts is not drawn: it is where
 * the data end, not necessarily a county line.
 */
type Position = number[];
type TractFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { GEOID: string; name?: string }>;

/** A tract's number as printed on Census maps: the 6-digit code with its implied decimal point. */
export function tractNumber(geoid: string): string {
  const code = geoid.slice(5, 11);
  if (!/^\d{6}$/.test(code)) return geoid;
  const whole = String(Number(code.slice(0, 4)));
  const suffix = code.slice(4);
  return suffix === '00' ? whole : `${whole}.${suffix}`;
}

/** Water-only tracts: codes 9900xx–9989xx are assigned to water areas (Census Bureau, tract code conventions). */
export function isWaterTract(geoid: string): boolean {
  return /^99[0-8]\d/.test(geoid.slice(5, 11));
}

function rings(geometry: TractFeature['geometry']): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

// Shared vertices are identical numbers (TopoJSON arcs, Census topology): no rounding needed.
const key = (p: Position) => `${p[0]},${p[1]}`;

export interface GeoContext {
  /** Lines where tracts of two different counties meet (`state: true` when the states differ too). */
  countyLines: GeoJSON.FeatureCollection<GeoJSON.MultiLineString, { kind: 'county' | 'state' }>;
  /** One point per county, at the tract nearest the county's middle, with its 5-digit code. */
  countyPoints: GeoJSON.FeatureCollection<GeoJSON.Point, { county: string; tracts: number }>;
  /** One point per tract (the middle of its largest ring's box, moved inside when it falls out), labelled with its number. */
  tractPoints: GeoJSON.FeatureCollection<GeoJSON.Point, { GEOID: string; label: string }>;
  /** Bounding box of each county's tracts, [west, south, east, north]. */
  countyBounds: Map<string, [number, number, number, number]>;
}

function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(a / 2);
}

/** A point inside the tract's largest outer ring: its box centre if inside, else the middle of the widest horizontal chord through the centre. */
export function labelPoint(geometry: TractFeature['geometry']): [number, number] {
  const outers = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const poly = outers.reduce((a, b) => (ringArea(b[0]) > ringArea(a[0]) ? b : a));
  const ring = poly[0];
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const inside = (x: number, y: number) => inRing(x, y, ring) && poly.slice(1).every((hole) => !inRing(x, y, hole));
  if (inside(cx, cy)) return [cx, cy];
  // Crossings of the horizontal line through the centre; the widest inside span's middle.
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > cy !== yj > cy) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
  }
  xs.sort((a, b) => a - b);
  let best: [number, number] = [ring[0][0], ring[0][1]];
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) {
      width = xs[i + 1] - xs[i];
      best = [(xs[i] + xs[i + 1]) / 2, cy];
    }
  }
  return best;
}

export function geoContext(tracts: readonly TractFeature[]): GeoContext {
  // Each undirected edge → the county of the first tract that used it (or '' once seen twice in one county).
  const edges = new Map<string, string>();
  const lines: { kind: 'county' | 'state'; coords: Position[][] }[] = [
    { kind: 'county', coords: [] },
    { kind: 'state', coords: [] },
  ];
  const byCounty = new Map<string, { xs: number[]; ys: number[]; points: [number, number][]; box: [number, number, number, number] }>();
  const tractPoints: GeoContext['tractPoints']['features'] = [];
  for (const f of tracts) {
    const geoid = f.properties.GEOID;
    const county = geoid.slice(0, 5);
    for (const ring of rings(f.geometry)) {
      for (let i = 1; i < ring.length; i++) {
        const a = key(ring[i - 1]);
        const b = key(ring[i]);
        if (a === b) continue;
        const k = a < b ? `${a};${b}` : `${b};${a}`;
        const other = edges.get(k);
        if (other === undefined) edges.set(k, county);
        else {
          if (other !== county && other !== '') lines[other.slice(0, 2) === county.slice(0, 2) ? 0 : 1].coords.push([ring[i - 1], ring[i]]);
          edges.set(k, '');
        }
      }
    }
    const p = labelPoint(f.geometry);
    const numeric = f.properties.name && /^\d+(\.\d+)?$/.test(f.properties.name) ? f.properties.name : tractNumber(geoid);
    tractPoints.push({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { GEOID: geoid, label: numeric } });
    let c = byCounty.get(county);
    if (!c) byCounty.set(county, (c = { xs: [], ys: [], points: [], box: [Infinity, Infinity, -Infinity, -Infinity] }));
    c.points.push(p);
    for (const ring of rings(f.geometry)) {
      for (const [x, y] of ring) {
        if (x < c.box[0]) c.box[0] = x;
        if (y < c.box[1]) c.box[1] = y;
        if (x > c.box[2]) c.box[2] = x;
        if (y > c.box[3]) c.box[3] = y;
      }
    }
  }
  const countyPoints: GeoContext['countyPoints']['features'] = [];
  const countyBounds = new Map<string, [number, number, number, number]>();
  for (const [county, c] of byCounty) {
    const mx = c.points.reduce((s, p) => s + p[0], 0) / c.points.length;
    const my = c.points.reduce((s, p) => s + p[1], 0) / c.points.length;
    const nearest = c.points.reduce((a, b) => (Math.hypot(b[0] - mx, b[1] - my) < Math.hypot(a[0] - mx, a[1] - my) ? b : a));
    countyPoints.push({ type: 'Feature', geometry: { type: 'Point', coordinates: nearest }, properties: { county, tracts: c.points.length } });
    countyBounds.set(county, c.box);
  }
  return {
    countyLines: {
      type: 'FeatureCollection',
      features: lines.filter((l) => l.coords.length > 0).map((l) => ({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: l.coords }, properties: { kind: l.kind } })),
    },
    countyPoints: { type: 'FeatureCollection', features: countyPoints },
    tractPoints: { type: 'FeatureCollection', features: tractPoints },
    countyBounds,
  };
}

/** The tract containing a point (an address found by a geocoder), or null. */
export function tractAt(lng: number, lat: number, tracts: readonly TractFeature[]): string | null {
  for (const f of tracts) {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const poly of polys) {
      if (inRing(lng, lat, poly[0]) && poly.slice(1).every((hole) => !inRing(lng, lat, hole))) return f.properties.GEOID;
    }
  }
  return null;
}

/** Bounding box of one tract, [west, south, east, north]. */
export function tractBounds(f: TractFeature): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings(f.geometry)) {
    for (const [x, y] of ring) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return box;
}
