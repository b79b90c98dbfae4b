/**
 * Scale sets for the benchmarks: real tract geometry (the Illinois, Colorado and Washington
 * cartographic tract files in ../shared/data, the tracts that UDP's files give incomes for)
 * replicated with offsets and new ids up to national size, with two income years (ACS 2014–18
 * and Census 2000 on 2010 tracts, from the same UDP files). Written to a cache folder outside the
 * repository; a set already there is reused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBoundaries, type BoundaryFeature } from '../../src/data/boundaries';
import { readIncomeTable, type IncomeTable } from '../../src/data/income';
import { incomeTableCsv } from '../../src/data/bundle';

const REGIONS = [
  { dir: 'udp-chicago', shp: 'cb_2018_17_tract_500k', city: 'Chicago', y2000: 'Chicagocensus_00_10_2018.csv', countyOffset: 0 },
  { dir: 'udp-denver', shp: 'cb_2018_08_tract_500k', city: 'Denver', y2000: 'Denvercensus_00_10_2018.csv', countyOffset: 300 },
  { dir: 'udp-seattle', shp: 'cb_2018_53_tract_500k', city: 'Seattle', y2000: 'Seattlecensus_00_10.csv', countyOffset: 600 },
] as const;
export const SCALE_YEARS = [2000, 2018] as const;

interface Pool {
  features: BoundaryFeature[];
  tables: Record<(typeof SCALE_YEARS)[number], IncomeTable[]>;
  /** Region index of each feature (for new ids). */
  region: number[];
}

async function readPool(shared: string): Promise<Pool> {
  const pool: Pool = { features: [], tables: { 2000: [], 2018: [] }, region: [] };
  for (const [r, reg] of REGIONS.entries()) {
    const dir = join(shared, 'data', reg.dir);
    const parts = ['shp', 'dbf', 'prj', 'cpg'].map((e) => ({ name: `${reg.shp}.${e}`, bytes: new Uint8Array(readFileSync(join(dir, `${reg.shp}.${e}`))) }));
    const set = await readBoundaries(parts);
    const read = (file: string, year: number) => readIncomeTable({ name: file, bytes: new Uint8Array(readFileSync(join(dir, file))) }, { year });
    const t18 = read(`${reg.city}census_summ_2018.csv`, 2018);
    const t00 = read(reg.y2000, 2000);
    const withIncome = new Set(t18.units.map((u) => u.geoid));
    for (const f of set.features) {
      if (!withIncome.has(f.properties.GEOID)) continue;
      pool.features.push(f);
      pool.region.push(r);
    }
    pool.tables[2018].push(t18);
    pool.tables[2000].push(t00);
  }
  return pool;
}

/** Replica r of a tract: state code 10 + r, county moved by its region's offset (ids stay unique). */
function replicaId(geoid: string, region: number, r: number): string {
  return `${String(10 + r).padStart(2, '0')}${String(Number(geoid.slice(2, 5)) + REGIONS[region].countyOffset).padStart(3, '0')}${geoid.slice(5)}`;
}

/** Offsets of replica r: a grid of copies 9° of longitude and 7° of latitude apart. */
function replicaOffset(r: number): [number, number] {
  return [(r % 8) * 9 - 36, Math.floor(r / 8) * 7 - 14];
}

function shift(geometry: BoundaryFeature['geometry'], [dx, dy]: [number, number]): BoundaryFeature['geometry'] {
  const ring = (coords: number[][]) => coords.map(([x, y]) => [x + dx, y + dy]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
}

export interface ScaleSet {
  readonly tracts: number;
  readonly boundaries: string;
  readonly income: Record<number, string>;
}

/** The set of `size` tracts (first `size` of the replicated pool), written once into `cache`. */
export async function scaleSet(shared: string, cache: string, size: number, poolCache: { pool?: Pool } = {}): Promise<ScaleSet> {
  const dir = join(cache, `scale-${size}`);
  const set: ScaleSet = { tracts: size, boundaries: join(dir, 'tracts.geojson'), income: Object.fromEntries(SCALE_YEARS.map((y) => [y, join(dir, `income-${y}.csv`)])) };
  if (existsSync(join(dir, 'done'))) return set;
  mkdirSync(dir, { recursive: true });
  const pool = (poolCache.pool ??= await readPool(shared));
  const features: BoundaryFeature[] = [];
  const idMap = new Map<string, string[]>();
  for (let r = 0; features.length < size; r++) {
    for (const [i, f] of pool.features.entries()) {
      if (features.length >= size) break;
      const id = replicaId(f.properties.GEOID, pool.region[i], r);
      features.push({ type: 'Feature', properties: { GEOID: id, name: f.properties.name }, geometry: shift(f.geometry, replicaOffset(r)) });
      const list = idMap.get(f.properties.GEOID) ?? [];
      list.push(id);
      idMap.set(f.properties.GEOID, list);
    }
  }
  writeFileSync(set.boundaries, JSON.stringify({ type: 'FeatureCollection', features }));
  for (const year of SCALE_YEARS) {
    const tables = pool.tables[year];
    const units = tables.flatMap((t) => t.units).flatMap((u) => (idMap.get(u.geoid) ?? []).map((geoid) => ({ ...u, geoid })));
    writeFileSync(set.income[year], incomeTableCsv({ ...tables[0], units }));
  }
  writeFileSync(join(dir, 'done'), '');
  return set;
}
