/**
 * The raw census files of one Urban Displacement Project region read into the inputs of
 * `src/core/udp.ts`: the ACS 2014–18 summary (`<City>census_summ_2018.csv`, with its ACS 2008–12
 * columns), Census 2000 and 1990 on 2010 tracts as UDP crosswalked them (`<City>census_00_10*.csv`,
 * `<City>census_90_10*.csv`), the 2018 cartographic tract boundaries, and the few columns the
 * census files lack, taken from UDP's own `<City>_typology_output.csv` (`UDP_EXTERNAL_COLUMNS`).
 * Column names and their Census variables: `shared/data/udp-denver/PROVENANCE.md`.
 *
 * Brackets and household totals come through `readIncomeTable`; the other columns are picked by
 * name. Census missing-value codes (-666666666, …) and empty cells become null (the "udp" mode
 * of the typology puts the code back where UDP's code kept it). GEOIDs are zero-padded to 11.
 *
 * Neighbours for the rent lag follow `code/3_create_lag_vars.r`: it computes queen contiguity
 * (`spdep::poly2nb`, queen by default) but the lag uses a distance band: tracts whose centroids
 * (sp `coordinates()`: centroid of each tract's largest ring) lie within 0.1 × the largest
 * nearest-neighbour centroid distance, Euclidean in degrees, weighted 1/d². Both are built here;
 * `queen` is there for checking and for other uses, `neighbours` is what the typology uses.
 */
import {
  UDP_MOVER_LABELS,
  UDP_THRESHOLDS,
  type UdpExternalInputs,
  type UdpMovers,
  type UdpNeighbour,
  type UdpTractInput,
  type UdpYearInput,
} from '../core/udp';
import { readBoundaries, type BoundaryFeature, type BoundaryFile } from './boundaries';
import { InputError, type RejectedRow } from './errors';
import { normalizeGeoid } from './geoid';
import { numberOrNull, readIncomeTable, type IncomeFile, type IncomeTable } from './income';
import { readTable, type RawTable } from './text';

/**
 * Columns read from UDP's typology output because the census files lack their sources:
 * - `per_ch_zillow_12_18`: Zillow home value index change Jan 2012 → Jan 2018 (ZIP → tract by
 *   the HUD crosswalk's largest residential ratio; 2_data_curation.py, "Zillow Data");
 * - `dense`: PUMA population density ≥ 3,000 per mi² (3_create_lag_vars.r, "PUMA");
 * - `lmh_flag_encoded`: housing affordability category from NHGIS ACS 2013–17 gross rent and
 *   owner cost brackets (2_data_curation.py, "Housing Affordability Variables"); those bracket
 *   tables are not in the census files UDP published.
 * Nothing else is read from that file: every other variable is computed from the census files.
 */
export const UDP_EXTERNAL_COLUMNS = ['per_ch_zillow_12_18', 'dense', 'lmh_flag_encoded'] as const;

export interface UdpRegionFiles {
  /** `<City>census_summ_2018.csv`: ACS 2014–18 plus ACS 2008–12 rent, home value and movers. */
  readonly summary2018: IncomeFile;
  /** `<City>census_00_10*.csv`: Census 2000 on 2010 tracts (UDP's LTDB crosswalk). */
  readonly census2000: IncomeFile;
  /** `<City>census_90_10*.csv`: Census 1990 on 2010 tracts. */
  readonly census1990?: IncomeFile;
  /** The tract boundaries (`cb_2018_XX_tract_500k.*`), for the rent lag. */
  readonly boundaries?: readonly BoundaryFile[];
  /** How the rent-lag band is set (default: 0.1 × the largest nearest-neighbour distance in `boundaries`). */
  readonly rentLag?: UdpRentLagOptions;
  /** `<City>_typology_output.csv`, read for `UDP_EXTERNAL_COLUMNS` only. */
  readonly external?: IncomeFile;
}

export interface UdpRentLagBand {
  /** Largest distance from a tract centroid to its nearest other centroid, degrees. */
  readonly maxNearestNeighbour: number;
  /** The band: 0.1 × maxNearestNeighbour, degrees. */
  readonly degrees: number;
  /** Centroids it was computed over (the whole boundary file, UDP used 15 whole states). */
  readonly centroids: number;
  /** Region tracts whose band also held tracts outside the region (no rent data: dropped). */
  readonly tractsWithOutsideNeighbours: number;
}

export interface UdpRegionData {
  readonly tracts: UdpTractInput[];
  /** Rent-lag neighbours (UDP's distance band, weights 1/d²), region tracts only. */
  readonly neighbours: Map<string, UdpNeighbour[]>;
  /** Queen contiguity (shared boundary vertex) among the region's tracts. */
  readonly queen: Map<string, string[]>;
  readonly band: UdpRentLagBand | null;
  readonly rejected: { readonly file: string; readonly rows: readonly RejectedRow[] }[];
  readonly notes: string[];
}

/** Read a region: census files, external columns, boundaries. */
export async function readUdpRegion(files: UdpRegionFiles): Promise<UdpRegionData> {
  const census = readUdpCensus(files);
  const notes = [...census.notes];
  let tracts = census.tracts;
  if (files.external) {
    const external = readUdpExternalInputs(files.external);
    tracts = tracts.map((t) => ({ ...t, external: external.get(t.geoid) ?? null }));
    const missing = [...external.keys()].filter((g) => !census.tracts.some((t) => t.geoid === g));
    if (missing.length) notes.push(`${files.external.name}: ${missing.length} tracts have external inputs but no census data: ${missing.join(', ')}`);
  } else {
    notes.push('no external inputs (Zillow change, density, affordability): no tract can be typed');
  }
  let neighbours = new Map<string, UdpNeighbour[]>();
  let queen = new Map<string, string[]>();
  let band: UdpRentLagBand | null = null;
  if (files.boundaries && files.boundaries.length > 0) {
    const set = await readBoundaries(files.boundaries);
    const region = new Set(tracts.map((t) => t.geoid));
    const lag = udpRentLagNeighbours(set.features, region, files.rentLag);
    neighbours = lag.neighbours;
    band = lag.band;
    notes.push(
      `rent lag: neighbours within ${band.degrees.toPrecision(4)}° of each tract centroid (largest nearest-neighbour distance ${band.maxNearestNeighbour.toPrecision(4)}° over ${band.centroids} tracts); ` +
        `${band.tractsWithOutsideNeighbours} tracts had tracts outside the region in their band (no rent data: left out)`,
    );
    queen = queenContiguity(set.features.filter((f) => region.has(f.properties.GEOID)));
    const noShape = tracts.filter((t) => !set.features.some((f) => f.properties.GEOID === t.geoid)).map((t) => t.geoid);
    if (noShape.length) notes.push(`${set.file}: ${noShape.length} tracts have no boundary (no rent lag: 0): ${noShape.join(', ')}`);
  } else {
    notes.push('no boundaries: the rent lag of nearby tracts is 0 everywhere');
  }
  return { tracts, neighbours, queen, band, rejected: census.rejected, notes };
}

// ---------------------------------------------------------------------------------------------
// Census files
// ---------------------------------------------------------------------------------------------

/** One data row's cells by column name. */
interface Row {
  readonly line: number;
  get(column: string): number | null;
}

interface ColumnTable {
  readonly file: string;
  readonly byGeoid: Map<string, Row>;
  readonly rejected: RejectedRow[];
}

const cellNumber = numberOrNull;

/** Rows of a UDP table by GEOID (from `idColumn`, or state_x+county_x+tract_x). */
function readColumns(input: IncomeFile, required: readonly string[], idColumns: readonly string[]): ColumnTable {
  const raw: RawTable = readTable(input.name, input.bytes).raw;
  const index = new Map(raw.header.map((h, i) => [h, i]));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length) {
    throw new InputError({
      file: input.name,
      column: missing[0],
      problem: `the columns ${missing.map((m) => `"${m}"`).join(', ')} are missing`,
      expected: `UDP's column names (${required.slice(0, 6).join(', ')}, …; PROVENANCE.md lists them)`,
      action: 'Give the file as UDP published it, or rename the columns.',
    });
  }
  const idColumn = idColumns.find((c) => index.has(c));
  if (!idColumn) {
    throw new InputError({
      file: input.name,
      problem: 'no tract id column was found',
      expected: idColumns.join(' or '),
      action: 'Give the file as UDP published it.',
    });
  }
  const byGeoid = new Map<string, Row>();
  const rejected: RejectedRow[] = [];
  for (const { line, cells } of raw.rows) {
    const id = normalizeGeoid(cells[index.get(idColumn)!] ?? '');
    if (!id.ok) {
      rejected.push({ row: line, column: idColumn, reason: id.reason });
      continue;
    }
    if (byGeoid.has(id.geoid)) {
      throw new InputError({
        file: input.name,
        row: line,
        column: idColumn,
        problem: `GEOID ${id.geoid} appears twice`,
        expected: 'one row per tract',
        action: 'Remove the duplicate row.',
      });
    }
    byGeoid.set(id.geoid, {
      line,
      get: (column) => {
        const i = index.get(column);
        return i === undefined ? null : cellNumber(cells[i]);
      },
    });
  }
  return { file: input.name, byGeoid, rejected };
}

const sum = (values: readonly (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + (b as number), 0);

const MOVER_KINDS = ['wc', 'oc', 'os', 'fa'] as const;
const moverColumn = (kind: string, label: number, yy: string) => `mov_${kind}_${label === 76000 ? '76000_more' : label}_${yy}`;

/** B07010 movers by income, summed over the four mobility kinds UDP uses. */
function movers(row: Row, yy: '18' | '12'): UdpMovers {
  const withIncome = sum(MOVER_KINDS.map((k) => row.get(`mov_${k}_w_income_${yy}`)));
  const byIncome = UDP_MOVER_LABELS.map((label) => sum(MOVER_KINDS.map((k) => row.get(moverColumn(k, label, yy)))));
  return {
    withIncome,
    byIncome: byIncome.some((v) => v === null) ? null : (byIncome as number[]),
    medianIndividualIncome: row.get(`iinc_${yy}`),
  };
}

const SUMMARY_COLUMNS = [
  'hinc_18', 'mhval_18', 'mrent_18', 'pop_18', 'white_18', 'ohu_18', 'rhu_18', 'total_25_18',
  'total_25_col_bd_18', 'total_25_col_md_18', 'total_25_col_pd_18', 'total_25_col_phd_18',
  'iinc_18', 'iinc_12', 'mhval_12', 'mrent_12',
  ...MOVER_KINDS.flatMap((k) => ['18', '12'].flatMap((yy) => [`mov_${k}_w_income_${yy}`, ...UDP_MOVER_LABELS.map((l) => moverColumn(k, l, yy))])),
];
const CENSUS_2000_COLUMNS = [
  'hinc_00', 'mhval_00', 'mrent_00', 'pop_00', 'white_00', 'hu_00', 'ohu_00', 'rhu_00', 'total_25_00',
  ...['male', 'female'].flatMap((s) => ['bd', 'md', 'psd', 'phd'].map((d) => `${s}_25_col_${d}_00`)),
];
const EDUCATION_1990 = ['9th', '12th', 'hs', 'sc', 'ad', 'bd', 'gd'].map((c) => `total_25_col_${c}_90`);
const CENSUS_1990_COLUMNS = ['hinc_90', 'mhval_90', 'mrent_90', 'pop_90', 'white_90', 'ohu_90', 'rhu_90', ...EDUCATION_1990];

function incomeByGeoid(table: IncomeTable): Map<string, { households: number; brackets: number[] }> {
  return new Map(table.units.map((u) => [u.geoid, { households: u.total, brackets: Array.from(u.counts) }]));
}

/** The census files of a region as typology inputs (external inputs left null). */
export function readUdpCensus(files: Pick<UdpRegionFiles, 'summary2018' | 'census2000' | 'census1990'>): {
  tracts: UdpTractInput[];
  rejected: { file: string; rows: RejectedRow[] }[];
  notes: string[];
} {
  const notes: string[] = [];
  const rejected: { file: string; rows: RejectedRow[] }[] = [];
  const ids = ['FIPS', 'GEOID', 'geoid'];
  const bracketTable = (f: IncomeFile, year: number) => {
    const t = readIncomeTable(f, { year });
    if (t.rejected.length) rejected.push({ file: f.name, rows: t.rejected });
    return incomeByGeoid(t);
  };
  const s18 = readColumns(files.summary2018, SUMMARY_COLUMNS, ids);
  const i18 = bracketTable(files.summary2018, 2018);
  const c00 = readColumns(files.census2000, CENSUS_2000_COLUMNS, ids);
  const i00 = bracketTable(files.census2000, 2000);
  const c90 = files.census1990 ? readColumns(files.census1990, CENSUS_1990_COLUMNS, ids) : null;
  const i90 = files.census1990 ? bracketTable(files.census1990, 1990) : null;
  for (const t of [s18, c00, c90]) if (t && t.rejected.length) rejected.push({ file: t.file, rows: t.rejected });
  if (!files.census1990) notes.push('no 1990 file: vul_gent_90, gent_90_00 and lostli_00 cannot be computed (all false)');
  notes.push(
    `${files.census2000.name}${files.census1990 ? ` and ${files.census1990.name}` : ''}: medians (hinc, mhval, mrent) are UDP's crosswalk-weighted sums, not medians, for split or merged tracts`,
  );

  const geoids = [...new Set([...s18.byGeoid.keys(), ...c00.byGeoid.keys(), ...(c90?.byGeoid.keys() ?? [])])].sort();
  const tracts = geoids.map((geoid): UdpTractInput => {
    const a = s18.byGeoid.get(geoid);
    const b = c00.byGeoid.get(geoid);
    const c = c90?.byGeoid.get(geoid);
    const inc18 = i18.get(geoid);
    const inc00 = i00.get(geoid);
    const inc90 = i90?.get(geoid);
    const y2018 = a
      ? {
          households: inc18?.households ?? null,
          incomeBrackets: inc18?.brackets ?? null,
          medianIncome: a.get('hinc_18'),
          medianRent: a.get('mrent_18'),
          medianHomeValue: a.get('mhval_18'),
          population: a.get('pop_18'),
          whiteNonHispanic: a.get('white_18'),
          ownerOccupied: a.get('ohu_18'),
          renterOccupied: a.get('rhu_18'),
          persons25: a.get('total_25_18'),
          college: sum(['bd', 'md', 'pd', 'phd'].map((d) => a.get(`total_25_col_${d}_18`))),
          movers: movers(a, '18'),
        }
      : null;
    const y2012 = a ? { medianRent: a.get('mrent_12'), medianHomeValue: a.get('mhval_12'), movers: movers(a, '12') } : null;
    const y2000: UdpYearInput | null = b
      ? {
          households: inc00?.households ?? null,
          incomeBrackets: inc00?.brackets ?? null,
          medianIncome: b.get('hinc_00'),
          medianRent: b.get('mrent_00'),
          medianHomeValue: b.get('mhval_00'),
          population: b.get('pop_00'),
          whiteNonHispanic: b.get('white_00'),
          ownerOccupied: b.get('ohu_00'),
          renterOccupied: b.get('rhu_00'),
          occupiedUnits: b.get('hu_00'),
          persons25: b.get('total_25_00'),
          college: sum(['male', 'female'].flatMap((s) => ['bd', 'md', 'phd'].map((d) => b.get(`${s}_25_col_${d}_00`)))),
          collegeProfessional: sum(['male', 'female'].map((s) => b.get(`${s}_25_col_psd_00`))),
        }
      : null;
    const y1990: UdpYearInput | null = c
      ? {
          households: inc90?.households ?? null,
          incomeBrackets: inc90?.brackets ?? null,
          medianIncome: c.get('hinc_90'),
          medianRent: c.get('mrent_90'),
          medianHomeValue: c.get('mhval_90'),
          population: c.get('pop_90'),
          whiteNonHispanic: c.get('white_90'),
          ownerOccupied: c.get('ohu_90'),
          renterOccupied: c.get('rhu_90'),
          persons25: sum(EDUCATION_1990.map((col) => c.get(col))),
          college: sum([c.get('total_25_col_bd_90'), c.get('total_25_col_gd_90')]),
        }
      : null;
    return { geoid, y2018, y2012, y2000, y1990, external: null };
  });
  return { tracts, rejected, notes };
}

/** The external columns (`UDP_EXTERNAL_COLUMNS`) of UDP's typology output, by GEOID. */
export function readUdpExternalInputs(input: IncomeFile): Map<string, UdpExternalInputs> {
  const table = readColumns(input, UDP_EXTERNAL_COLUMNS, ['GEOID', 'FIPS']);
  const out = new Map<string, UdpExternalInputs>();
  for (const [geoid, row] of table.byGeoid) {
    out.set(geoid, {
      per_ch_zillow_12_18: row.get('per_ch_zillow_12_18'),
      dense: row.get('dense'),
      lmh_flag_encoded: row.get('lmh_flag_encoded'),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Neighbours
// ---------------------------------------------------------------------------------------------

type Ring = GeoJSON.Position[];

/** Planar area (signed) and centroid of a ring, in the units of its coordinates. */
function ringCentroid(ring: Ring): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (a === 0) {
    const mx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const my = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    return { area: 0, x: mx, y: my };
  }
  return { area: a / 2, x: cx / (3 * a), y: cy / (3 * a) };
}

/**
 * A tract's label point as sp's `coordinates()` gives it (what UDP's R code used): the planar
 * centroid, in longitude/latitude degrees, of the tract's largest outer ring.
 */
export function tractLabelPoint(feature: BoundaryFeature): [number, number] {
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  let best: { area: number; x: number; y: number } | null = null;
  for (const polygon of polygons) {
    const c = ringCentroid(polygon[0]);
    if (!best || Math.abs(c.area) > Math.abs(best.area)) best = c;
  }
  return best ? [best.x, best.y] : [NaN, NaN];
}

export interface UdpRentLagOptions {
  /** Band as a fraction of the largest nearest-neighbour distance (UDP: 0.1). */
  readonly bandFactor?: number;
  /**
   * The band itself, in degrees, overriding `bandFactor`. UDP's band came from the centroids
   * of 15 whole states; its published `tr_rent_gap` is matched best by 0.0745° in both Denver
   * and Seattle (fitted, not derived), against 0.067° and 0.051° from one state's file.
   */
  readonly bandDegrees?: number;
}

/**
 * UDP's rent-lag neighbours (3_create_lag_vars.r): `dnearneigh(coords, 0, 0.1 × max_1nn)` on
 * label points, Euclidean in degrees, weights 1/d² (`nbdists`, `idw`), kept for the tracts of
 * `region` and among them. The band comes from every feature given (UDP: 15 whole states; here
 * the boundary file, one state), so it can differ from UDP's.
 */
export function udpRentLagNeighbours(
  features: readonly BoundaryFeature[],
  region: ReadonlySet<string>,
  options: UdpRentLagOptions = {},
): { neighbours: Map<string, UdpNeighbour[]>; band: UdpRentLagBand } {
  const bandFactor = options.bandFactor ?? UDP_THRESHOLDS.lagBandFactor;
  const points = features.map((f) => ({ geoid: f.properties.GEOID, p: tractLabelPoint(f) })).filter((x) => Number.isFinite(x.p[0]));
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  points.forEach((q, i) => ((xs[i] = q.p[0]), (ys[i] = q.p[1])));
  let maxNearest = 0;
  for (let i = 0; i < n; i++) {
    let nearest = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2;
      if (d < nearest) nearest = d;
    }
    if (Number.isFinite(nearest)) maxNearest = Math.max(maxNearest, Math.sqrt(nearest));
  }
  const degrees = options.bandDegrees ?? bandFactor * maxNearest;
  const neighbours = new Map<string, UdpNeighbour[]>();
  let outside = 0;
  for (let i = 0; i < n; i++) {
    if (!region.has(points[i].geoid)) continue;
    const list: UdpNeighbour[] = [];
    let dropped = false;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
      if (d > 0 && d <= degrees) {
        if (region.has(points[j].geoid)) list.push({ geoid: points[j].geoid, weight: 1 / (d * d) });
        else dropped = true;
      }
    }
    if (dropped) outside++;
    neighbours.set(points[i].geoid, list);
  }
  return { neighbours, band: { maxNearestNeighbour: maxNearest, degrees, centroids: n, tractsWithOutsideNeighbours: outside } };
}

/**
 * Queen contiguity: tracts that share at least one boundary vertex (spdep `poly2nb`, queen =
 * TRUE, its default). Census cartographic boundary files write shared vertices identically; the
 * key rounds to 1e-7 degrees (~1 cm) against float noise, like poly2nb's snap tolerance.
 */
export function queenContiguity(features: readonly BoundaryFeature[]): Map<string, string[]> {
  const byVertex = new Map<string, number[]>();
  features.forEach((f, index) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const seen = new Set<string>();
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          const key = `${x.toFixed(7)},${y.toFixed(7)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const list = byVertex.get(key);
          if (list) list.push(index);
          else byVertex.set(key, [index]);
        }
      }
    }
  });
  const sets = features.map(() => new Set<number>());
  for (const list of byVertex.values()) {
    if (list.length < 2) continue;
    for (const a of list) for (const b of list) if (a !== b) sets[a].add(b);
  }
  return new Map(features.map((f, i) => [f.properties.GEOID, [...sets[i]].map((j) => features[j].properties.GEOID).sort()]));
}
