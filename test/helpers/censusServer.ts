/**
 * A stand-in for the Census Bureau's public services on 127.0.0.1, built from the real files in
 * `$TRACTMIX_SHARED/data` (Denver's UDP downloads and the Colorado cartographic boundary file),
 * answering in the services' real formats and URL layouts:
 *
 * - Census Data API `/data/{year}/acs/acs5?get=…&for=tract:*&in=state:08&in=county:031` and
 *   `/data/2000/dec/sf3?…`: a JSON array of arrays, header first, every value a string; 204 for
 *   an empty result; 400 `error: unknown variable 'X'`; an HTML "Invalid Key" page for key=bad.
 *   ACS years other than 2018 are served with the 2014–18 figures (a test double: the pipeline,
 *   not the values, is under test for those years); years ≥ 2020 the same, on "2020 tracts"
 *   that equal the 2010 ones.
 * - TIGER `/geo/tiger/GENZ{Y}/shp/cb_{Y}_08_tract_500k.zip`: the Colorado shapefile zipped as the
 *   Bureau names it.
 * - Relationship files `/geo/docs/maps-data/data/rel/trf_txt/co08trf.txt` (2000→2010, 30 fields)
 *   and `…/rel2020/tract/tab20_tract20_tract10_st08.txt` (pipe-separated with header), written
 *   in the published layouts from the 2000 and 2010 tract lists (see `relationshipFiles`).
 * - TIGERweb `…/TIGERweb/tigerWMS_ACS{Y}/MapServer/8/query?…&f=geojson`.
 * - Block groups: ACS 2010–14 for Washington DC (`for=block group:*&in=state:11&in=county:001&in=tract:*`)
 *   from the shared American FactFinder export, and `GENZ2014/shp/cb_2014_11_bg_500k.zip` from the 2014
 *   TIGER/Line block-group shapefile.
 *
 * Faults can be injected per path prefix (503 once, 429 once, a dropped connection, a stall) and
 * every request is logged, so tests can assert retries and cache hits.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Papa from 'papaparse';
import { zipSync } from 'fflate';
import { readRealData, readRealText } from './realData';
import { readBoundaries } from '../../src/data/boundaries';

export type Fault = '503-once' | '429-once' | 'drop' | 'drop-once' | 'stall' | '500-always';

export interface CensusServer {
  readonly url: string;
  readonly apiBase: string;
  readonly tigerBase: string;
  readonly geoBase: string;
  readonly tigerwebBase: string;
  /** Every request's path and query, in order. */
  readonly log: string[];
  /** Path prefix → fault; cleared by `clearFaults`. */
  readonly faults: Map<string, Fault>;
  clearFaults(): void;
  close(): Promise<void>;
}

type Row = Record<string, string>;

function csvRows(relative: string): Row[] {
  const parsed = Papa.parse<Row>(readRealText(relative), { header: true, skipEmptyLines: true });
  return parsed.data;
}

const pad = (s: string, n: number) => s.replace(/\.0$/, '').padStart(n, '0');
const int = (s: string | undefined) => {
  if (s === undefined || s.trim() === '') return '-666666666';
  const v = Number(s);
  return Number.isFinite(v) ? String(Math.round(v)) : '-666666666';
};

const BRACKET_UPPERS = ['10000', '15000', '20000', '25000', '30000', '35000', '40000', '45000', '50000', '60000', '75000', '100000', '125000', '150000', '200000', '201000'];
const COUNTY_NAMES: Record<string, string> = { '001': 'Adams', '005': 'Arapahoe', '013': 'Boulder', '014': 'Broomfield', '019': 'Clear Creek', '031': 'Denver', '035': 'Douglas', '047': 'Gilpin', '059': 'Jefferson' };

/** Variable → value of one UDP row, for the ACS and SF3 variables tractmix asks for. */
function acsVariables(r: Row): Record<string, string> {
  const v: Record<string, string> = {};
  v.B19001_001E = int(r.hh_18);
  // The UDP files carry no MOEs; the double writes a deterministic stand-in (√n·1.645·1.2 + 9).
  v.B19001_001M = String(Math.round(Math.sqrt(Number(r.hh_18) || 0) * 1.645 * 1.2 + 9));
  BRACKET_UPPERS.forEach((u, i) => {
    const n = String(i + 2).padStart(3, '0');
    v[`B19001_${n}E`] = int(r[`I_${u}_18`]);
    v[`B19001_${n}M`] = String(Math.round(Math.sqrt(Number(r[`I_${u}_18`]) || 0) * 1.645 * 1.2 + 9));
  });
  v.B19013_001E = int(r.hinc_18);
  v.B19013_001M = v.B19013_001E === '-666666666' ? '-222222222' : String(Math.round(Number(r.hinc_18) * 0.08));
  v.B25064_001E = int(r.mrent_18);
  v.B25077_001E = int(r.mhval_18);
  v.B01003_001E = int(r.pop_18);
  v.B03002_003E = int(r.white_18);
  v.B25003_002E = int(r.ohu_18);
  v.B25003_003E = int(r.rhu_18);
  v.B15003_001E = int(r.total_25_18);
  v.B15003_022E = int(r.total_25_col_bd_18);
  v.B15003_023E = int(r.total_25_col_md_18);
  v.B15003_024E = int(r.total_25_col_pd_18);
  v.B15003_025E = int(r.total_25_col_phd_18);
  // B15002 (before 2012): the 2018 BA+ counts split evenly by sex, for the double only.
  v.B15002_001E = v.B15003_001E;
  for (const [i, col] of [[15, 'bd'], [16, 'md'], [17, 'pd'], [18, 'phd']] as const) {
    const total = Number(r[`total_25_col_${col}_18`]) || 0;
    v[`B15002_${String(i).padStart(3, '0')}E`] = String(Math.floor(total / 2));
    v[`B15002_${String(i + 17).padStart(3, '0')}E`] = String(total - Math.floor(total / 2));
  }
  return v;
}

function sf3Variables(r: Row): Record<string, string> {
  const v: Record<string, string> = {};
  v.P052001 = int(r.hh_00);
  BRACKET_UPPERS.forEach((u, i) => (v[`P052${String(i + 2).padStart(3, '0')}`] = int(r[`I_${u}_00`])));
  v.P053001 = int(r.hinc_00);
  v.H063001 = int(r.mrent_00);
  v.H085001 = int(r.mhval_00);
  v.P007001 = int(r.pop_00);
  v.P007003 = int(r.white_00);
  v.H007002 = int(r.ohu_00);
  v.H007003 = int(r.rhu_00);
  v.P037001 = int(r.total_25_00);
  ['bd', 'md', 'psd', 'phd'].forEach((c, i) => {
    v[`P037${String(15 + i).padStart(3, '0')}`] = int(r[`male_25_col_${c}_00`]);
    v[`P037${String(32 + i).padStart(3, '0')}`] = int(r[`female_25_col_${c}_00`]);
  });
  return v;
}

interface Tract {
  geoid: string;
  vars: Record<string, string>;
}

function tractName(geoid: string, comma: boolean): string {
  const code = Number(geoid.slice(5)) / 100;
  const county = COUNTY_NAMES[geoid.slice(2, 5)] ?? geoid.slice(2, 5);
  return comma ? `Census Tract ${code}, ${county} County, Colorado` : `Census Tract ${code}; ${county} County; Colorado`;
}

/**
 * Relationship files in the published layouts, from the tract lists (the real files are not in
 * the shared data): a 2000 tract maps to the 2010 tract with its GEOID, else to the 2010 tracts
 * that share its first nine digits (a split: "0078.00" → "0078.01", "0078.02"); each part's 2010
 * housing units (HU10PT) are the 2010 tract's households divided among the 2000 tracts that map
 * to it. 2010 → 2020 is the identity, with land areas from the shapefile.
 */
function relationshipFiles(tracts2000: Tract[], tracts2010: Tract[], aland: Map<string, number>): { trf: string; tab20: string; unmatched2000: string[] } {
  const ids2010 = tracts2010.map((t) => t.geoid);
  const hh2010 = new Map(tracts2010.map((t) => [t.geoid, Number(t.vars.B19001_001E)]));
  const targetsOf = new Map<string, string[]>();
  const unmatched2000: string[] = [];
  for (const t of tracts2000) {
    const same = ids2010.includes(t.geoid) ? [t.geoid] : ids2010.filter((g) => g.slice(0, 9) === t.geoid.slice(0, 9));
    if (same.length) targetsOf.set(t.geoid, same);
    else unmatched2000.push(t.geoid);
  }
  const sourcesOf = new Map<string, number>();
  for (const targets of targetsOf.values()) for (const g of targets) sourcesOf.set(g, (sourcesOf.get(g) ?? 0) + 1);
  const lines: string[] = [];
  const hu00 = new Map(tracts2000.map((t) => [t.geoid, Number(t.vars.P052001)]));
  for (const [s, targets] of targetsOf) {
    for (const g of targets) {
      const hu = Math.max(0, Math.round((hh2010.get(g) ?? 0) / sourcesOf.get(g)!));
      const land = Math.round((aland.get(g) ?? 1_000_000) / sourcesOf.get(g)!);
      const f = [
        s.slice(0, 2), s.slice(2, 5), s.slice(5), s, '0', String(hu00.get(s) ?? 0), targets.length > 1 ? 'P' : 'W', String(land * targets.length), String(land * targets.length),
        g.slice(0, 2), g.slice(2, 5), g.slice(5), g, '0', String(hh2010.get(g) ?? 0), sourcesOf.get(g)! > 1 ? 'P' : 'W', String(land), String(land),
        String(land), String(land), '0', '0', '0', '0',
        '0', '0', '0', String(hu), '0', '0',
      ];
      lines.push(f.join(','));
    }
  }
  const header = 'OID_TRACT_20|GEOID_TRACT_20|NAMELSAD_TRACT_20|AREALAND_TRACT_20|AREAWATER_TRACT_20|MTFCC_TRACT_20|FUNCSTAT_TRACT_20|OID_TRACT_10|GEOID_TRACT_10|NAMELSAD_TRACT_10|AREALAND_TRACT_10|AREAWATER_TRACT_10|MTFCC_TRACT_10|FUNCSTAT_TRACT_10|AREALAND_PART|AREAWATER_PART';
  const tab = [header];
  ids2010.forEach((g, i) => {
    const land = aland.get(g) ?? 1_000_000;
    tab.push([`2${String(i).padStart(13, '0')}`, g, `Census Tract ${Number(g.slice(5)) / 100}`, land, 0, 'G5020', 'S', `1${String(i).padStart(13, '0')}`, g, `Census Tract ${Number(g.slice(5)) / 100}`, land, 0, 'G5020', 'S', land, 0].join('|'));
  });
  return { trf: lines.join('\r\n') + '\r\n', tab20: tab.join('\r\n') + '\r\n', unmatched2000 };
}

export interface CensusServerData {
  readonly tracts2000: Tract[];
  readonly tracts2010: Tract[];
  readonly unmatched2000: string[];
}

export async function startCensusServer(): Promise<CensusServer & { data: CensusServerData }> {
  const summ = csvRows('udp-denver/Denvercensus_summ_2018.csv');
  const raw00 = csvRows('udp-denver/Denvercensus_00_2018.csv');
  const tracts2010: Tract[] = summ.map((r) => ({ geoid: pad(r.state_x, 2) + pad(r.county_x, 3) + pad(r.tract_x, 6), vars: acsVariables(r) }));
  const tracts2000: Tract[] = raw00.map((r) => ({ geoid: pad(r.FIPS, 11), vars: sf3Variables(r) }));
  // Washington DC block groups, ACS 2010–14, from the American FactFinder export (HD01 estimates,
  // HD02 margins of error) and the 2014 TIGER/Line block-group shapefile.
  const aff = Papa.parse<string[]>(readRealText('dc-blockgroups-acs2014/ACS_14_5YR_B19001_with_ann.csv'), { skipEmptyLines: true }).data;
  const blockGroups2014: Tract[] = aff.slice(2).map((r) => {
    const vars: Record<string, string> = {};
    for (let i = 1; i <= 17; i++) {
      vars[`B19001_${String(i).padStart(3, '0')}E`] = r[3 + (i - 1) * 2];
      vars[`B19001_${String(i).padStart(3, '0')}M`] = r[4 + (i - 1) * 2] === '*****' ? '-555555555' : r[4 + (i - 1) * 2];
    }
    vars.B19013_001E = '-666666666';
    vars.B19013_001M = '-222222222';
    return { geoid: r[1], vars };
  });
  const bgParts = ['shp', 'shx', 'dbf', 'prj'].map((ext) => [ext, readRealData(`dc-blockgroups-acs2014/tl_2014_11_bg.${ext}`)] as const);
  const bgZip = zipSync(Object.fromEntries(bgParts.map(([ext, bytes]) => [`cb_2014_11_bg_500k.${ext}`, bytes])));
  const shpParts = ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => [ext, readRealData(`udp-denver/cb_2018_08_tract_500k.${ext}`)] as const);
  const boundaries = await readBoundaries(shpParts.map(([ext, bytes]) => ({ name: `cb_2018_08_tract_500k.${ext}`, bytes })));
  const aland = new Map<string, number>();
  for (const f of boundaries.features) aland.set(f.properties.GEOID, 1_000_000);
  const rel = relationshipFiles(tracts2000, tracts2010, aland);
  const zips = new Map<number, Uint8Array>();
  const zipFor = (year: number) => {
    if (!zips.has(year)) zips.set(year, zipSync(Object.fromEntries(shpParts.map(([ext, bytes]) => [`cb_${year}_08_tract_500k.${ext}`, bytes]))));
    return zips.get(year)!;
  };
  const geojson = JSON.stringify({
    type: 'FeatureCollection',
    features: boundaries.features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { GEOID: f.properties.GEOID, NAME: tractName(f.properties.GEOID, true), STATE: '08', COUNTY: f.properties.GEOID.slice(2, 5) } })),
  });

  const log: string[] = [];
  const faults = new Map<string, Fault>();
  const fired = new Set<string>();

  const api = (url: URL, res: ServerResponse) => {
    const m = /^\/data\/(\d{4})\/(acs\/acs5|dec\/sf3)$/.exec(url.pathname);
    if (!m) return send(res, 404, 'text/html', '<h1>404 Not Found</h1>');
    const year = Number(m[1]);
    if (url.searchParams.get('key') === 'bad') {
      return send(res, 200, 'text/html', '<html><head><title>Invalid Key</title></head><body><p>A valid <em>key</em> must be included with each data API request.</p></body></html>');
    }
    if (m[2] === 'dec/sf3' && year !== 2000) return send(res, 404, 'text/html', '<h1>404 Not Found</h1>');
    if (m[2] === 'acs/acs5' && (year < 2009 || year > 2024)) return send(res, 404, 'text/html', '<h1>404 Not Found</h1>');
    const get = (url.searchParams.get('get') ?? '').split(',').filter(Boolean);
    const ins = url.searchParams.getAll('in');
    const state = ins.find((i) => i.startsWith('state:'))?.slice(6);
    const counties = (ins.find((i) => i.startsWith('county:'))?.slice(7) ?? '*').split(',');
    const blockGroups = url.searchParams.get('for') === 'block group:*';
    if (url.searchParams.get('for') !== 'tract:*' && !(blockGroups && ins.includes('tract:*'))) return send(res, 400, 'text/plain', 'error: unsupported geography hierarchy');
    if (blockGroups && (m[2] !== 'acs/acs5' || year !== 2014)) return send(res, 204, 'application/json', '');
    const pool = blockGroups ? blockGroups2014 : m[2] === 'dec/sf3' ? tracts2000 : tracts2010;
    // Faults by release: 2011 lacks B19001 at tract level; 2010 lacks B15002; 2013 renames "tract".
    for (const v of get) {
      const missing = (year === 2011 && v.startsWith('B19001')) || (year === 2010 && v.startsWith('B15002'));
      if (v !== 'NAME' && (missing || !(v in pool[0].vars))) return send(res, 400, 'text/plain', `error: unknown variable '${v}'`);
    }
    const rows = pool.filter((t) => t.geoid.startsWith(state ?? '') && (counties.includes('*') || counties.includes(t.geoid.slice(2, 5))));
    if (rows.length === 0) return send(res, 204, 'application/json', '');
    const geoHeader = year === 2013 ? ['state', 'county', 'TRACT'] : blockGroups ? ['state', 'county', 'tract', 'block group'] : ['state', 'county', 'tract'];
    const geo = (g: string) => (blockGroups ? [g.slice(0, 2), g.slice(2, 5), g.slice(5, 11), g.slice(11)] : [g.slice(0, 2), g.slice(2, 5), g.slice(5)]);
    const body = [
      [...get, ...geoHeader],
      ...rows.map((t) => [...get.map((v) => (v === 'NAME' ? tractName(t.geoid, year < 2022) : t.vars[v])), ...geo(t.geoid)]),
    ];
    // The API writes one row per line.
    send(res, 200, 'application/json;charset=utf-8', '[' + body.map((r) => JSON.stringify(r)).join(',\n') + ']');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push(url.pathname + url.search);
    res.setHeader('Access-Control-Allow-Origin', '*');
    for (const [prefix, fault] of faults) {
      if (!url.pathname.startsWith(prefix)) continue;
      const key = `${prefix} ${url.pathname}${url.search}`;
      if (fault === '503-once' && !fired.has(key)) return fired.add(key), send(res, 503, 'text/html', '<h1>503 Service Unavailable</h1>');
      if (fault === '429-once' && !fired.has(key)) {
        fired.add(key);
        res.setHeader('Retry-After', '0');
        return send(res, 429, 'text/plain', 'Too Many Requests');
      }
      if (fault === '500-always') return send(res, 500, 'text/plain', 'Internal Server Error');
      if (fault === 'drop' || (fault === 'drop-once' && !fired.has(key))) {
        fired.add(key);
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': '5000000' });
        res.write(new Uint8Array(1000));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if (fault === 'stall') return; // never answers
    }
    if (url.pathname.startsWith('/data/')) return api(url, res);
    const cb = /^\/geo\/tiger\/GENZ(\d{4})\/shp\/cb_(\d{4})_08_tract_500k\.zip$/.exec(url.pathname);
    if (cb && cb[1] === cb[2]) return send(res, 200, 'application/zip', zipFor(Number(cb[1])));
    if (url.pathname === '/geo/tiger/GENZ2014/shp/cb_2014_11_bg_500k.zip') return send(res, 200, 'application/zip', bgZip);
    if (url.pathname === '/geo/docs/maps-data/data/rel/trf_txt/co08trf.txt') return send(res, 200, 'text/plain', rel.trf);
    if (url.pathname === '/geo/docs/maps-data/data/rel2020/tract/tab20_tract20_tract10_st08.txt') return send(res, 200, 'text/plain', rel.tab20);
    if (/^\/arcgis\/rest\/services\/TIGERweb\/tigerWMS_(ACS\d{4}|Census2010)\/MapServer\/8\/query$/.test(url.pathname)) return send(res, 200, 'application/geo+json', geojson);
    send(res, 404, 'text/html', '<h1>404 Not Found</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    apiBase: origin,
    tigerBase: `${origin}/geo/tiger`,
    geoBase: `${origin}/geo/docs/maps-data/data`,
    tigerwebBase: `${origin}/arcgis/rest/services/TIGERweb`,
    log,
    faults,
    clearFaults: () => faults.clear(),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    data: { tracts2000, tracts2010, unmatched2000: rel.unmatched2000 },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}
