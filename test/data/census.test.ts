/**
 * The fetch pipeline's pure parts: release catalogue and URL layouts, API answers, relationship
 * files in the Census Bureau's published layouts (hand-written excerpts, weights worked by
 * hand), chained crosswalks, NHGIS/LTDB crosswalks in both directions, and the downloader's
 * retries against an in-process fake `fetch`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { periodLabel } from '../../src/core/brackets';
import { composeCrosswalks, moveCounts } from '../../src/core/crosswalk';
import { apiErrorProblem, mergeApiRows, parseApiRows, incomeTableFromApi } from '../../src/data/census/apiTable';
import { makeDownloader, memoryCache } from '../../src/data/census/download';
import { relationship2000to2010, relationship2010to2020 } from '../../src/data/census/relationship';
import { apiUrl, boundaryUrl, incomeRelease, relationshipUrl, withoutKey } from '../../src/data/census/releases';
import { readCrosswalk } from '../../src/data/crosswalkFile';
import { InputError } from '../../src/data/errors';
import { BRACKETS_16 } from '../../src/core/brackets';

const enc = (s: string) => new TextEncoder().encode(s);

describe('releases', () => {
  it('labels ACS years as periods and censuses as years', () => {
    expect(periodLabel(2023)).toBe('2019–23');
    expect(periodLabel(2018)).toBe('2014–18');
    expect(periodLabel(2009)).toBe('2005–09');
    expect(periodLabel(2000)).toBe('2000');
    expect(periodLabel(1990)).toBe('1990');
  });

  it('puts each year on its tract vintage', () => {
    expect([1990, 2000, 2009, 2010, 2019, 2020, 2024].map((y) => incomeRelease(y)!.vintage)).toEqual([1990, 2000, 2000, 2010, 2010, 2020, 2020]);
    expect(incomeRelease(1995)).toBeNull();
    expect(incomeRelease(2008)).toBeNull();
  });

  it('asks for B19001 with margins of error, B19013 and the extra tables, within the API’s 50 variables a request', () => {
    const r = incomeRelease(2023)!;
    expect(r.groups[0].variables).toContain('B19001_017E');
    expect(r.groups[0].variables).toContain('B19001_017M');
    expect(r.groups[0].variables).toContain('B19013_001E');
    const extra = r.groups[1].variables;
    for (const v of ['B25064_001E', 'B25077_001E', 'B15003_022E', 'B03002_003E', 'B25003_003E', 'B01003_001E']) expect(extra).toContain(v);
    for (const g of r.groups) expect(g.variables.length).toBeLessThanOrEqual(50);
    // Before the 2008–12 release, education is B15002 by sex.
    expect(incomeRelease(2011)!.groups[1].variables).toContain('B15002_015E');
    expect(incomeRelease(2000)!.groups[0].variables).toEqual(['NAME', 'P052001', ...Array.from({ length: 16 }, (_, i) => `P052${String(i + 2).padStart(3, '0')}`), 'P053001']);
    expect(incomeRelease(1990)!.brackets).toHaveLength(25);
  });

  it('builds the services’ URL layouts', () => {
    const r = incomeRelease(2018)!;
    expect(apiUrl('https://api.census.gov/', r, { name: 'x', variables: ['NAME', 'B19001_001E'], required: true }, '17', ['031', '043'], 'tract', 'K')).toBe(
      'https://api.census.gov/data/2018/acs/acs5?get=NAME,B19001_001E&for=tract:*&in=state:17&in=county:031,043&key=K',
    );
    expect(apiUrl('https://api.census.gov', incomeRelease(2000)!, { name: 'x', variables: ['P052001'], required: true }, '08', ['031'], 'block group')).toBe(
      'https://api.census.gov/data/2000/dec/sf3?get=P052001&for=block%20group:*&in=state:08&in=county:031&in=tract:*',
    );
    expect(withoutKey('https://a/data?get=X&key=SECRET&for=tract:*')).toBe('https://a/data?get=X&for=tract:*');
    expect(withoutKey('https://a/data?get=X&key=SECRET')).toBe('https://a/data?get=X');
    expect(boundaryUrl('https://www2.census.gov/geo/tiger', 2010, 2018, '08', 'tract')).toEqual({ url: 'https://www2.census.gov/geo/tiger/GENZ2018/shp/cb_2018_08_tract_500k.zip', year: 2018 });
    expect(boundaryUrl('T', 2010, 2011, '08', 'tract')!.year).toBe(2013);
    expect(boundaryUrl('T', 2020, 2023, '09', 'block group')!.url).toBe('T/GENZ2023/shp/cb_2023_09_bg_500k.zip');
    expect(relationshipUrl('G', 2000, 2010, '08', 'CO', 'tract')).toBe('G/rel/trf_txt/co08trf.txt');
    expect(relationshipUrl('G', 2010, 2020, '17', 'IL', 'tract')).toBe('G/rel2020/tract/tab20_tract20_tract10_st17.txt');
    expect(relationshipUrl('G', 2010, 2020, '17', 'IL', 'block group')).toBe('G/rel2020/blkgrp/tab20_blkgrp20_blkgrp10_st17.txt');
  });
});

describe('Census API answers', () => {
  const group = { name: 'g', variables: ['NAME', 'B19001_001E'], required: true };
  it('reads the JSON array of arrays and joins variable groups on the geography', () => {
    const a = parseApiRows('u1', '[["NAME","B19001_001E","state","county","tract"],\n["Census Tract 1","100","08","031","000100"],\n["Census Tract 2","50","08","031","000200"]]', group, 'tract');
    const b = parseApiRows('u2', '[["B25064_001E","state","county","tract"],["900","08","031","000200"],["-666666666","08","031","000100"]]', { name: 'h', variables: ['B25064_001E'], required: false }, 'tract');
    const merged = mergeApiRows([a, b], 'tract');
    expect(merged.header).toEqual(['NAME', 'B19001_001E', 'B25064_001E', 'state', 'county', 'tract']);
    expect(merged.rows).toEqual([
      ['Census Tract 1', '100', '-666666666', '08', '031', '000100'],
      ['Census Tract 2', '50', '900', '08', '031', '000200'],
    ]);
  });

  it('names a changed layout, a short row and a non-JSON answer', () => {
    expect(() => parseApiRows('u', '[["NAME","B19001_001E","state","county","TRACT"]]', group, 'tract')).toThrow(/lacks tract: the column layout has changed/);
    expect(() => parseApiRows('u', '{"rows":[]}', group, 'tract')).toThrow(/not an array of rows/);
    expect(() => parseApiRows('u', '[["NAME","B19001_001E","state","county","tract"],["x","1","08"]]', group, 'tract')).toThrow(/row 2 has 3 values for 5 columns/);
    expect(() => parseApiRows('u', '<html>Invalid Key</html>', group, 'tract')).toThrow(/API key was rejected/);
  });

  it('turns error bodies into messages that say what to do', () => {
    const r = incomeRelease(2011)!;
    expect(apiErrorProblem('u', 400, "error: unknown variable 'B19001_001E'", r).message).toMatch(/the 2007–11 release \(acs\/acs5\) has no variable B19001_001E/);
    expect(apiErrorProblem('u', 200, '<title>Invalid Key</title>').message).toMatch(/rejected the API key/);
    expect(apiErrorProblem('u', 404, '', incomeRelease(2030)!).message).toMatch(/may not be out yet/);
    expect(apiErrorProblem('u', 429, 'Too Many Requests').message).toMatch(/API key/);
  });

  it('reads the year with the user-file reader: sentinels rejected by row, GEOIDs from state+county+tract', () => {
    const r = incomeRelease(2018)!;
    const header = ['NAME', ...r.groups[0].variables.slice(1), 'state', 'county', 'tract'];
    const row = (tract: string, counts: number[], median: string) => {
      const values: Record<string, string> = { B19001_001E: String(counts.reduce((s, c) => s + c, 0)), B19001_001M: '50', B19013_001E: median, B19013_001M: '999' };
      counts.forEach((c, i) => {
        values[`B19001_${String(i + 2).padStart(3, '0')}E`] = String(c);
        values[`B19001_${String(i + 2).padStart(3, '0')}M`] = '10';
      });
      return header.map((h) => (h === 'NAME' ? 'x' : h === 'state' ? '08' : h === 'county' ? '031' : h === 'tract' ? tract : values[h]));
    };
    const counts = Array.from({ length: 16 }, (_, i) => i + 1);
    const table = incomeTableFromApi('api', { header, rows: [row('000100', counts, '61000'), row('000200', counts, '-666666666')] }, r, 'tract');
    expect(table.units.map((u) => u.geoid)).toEqual(['08031000100', '08031000200']);
    expect(table.units[0].total).toBe(136);
    expect(table.units[0].publishedMedian).toBe(61000);
    expect(table.units[1].publishedMedian).toBeNull();
    expect(table.units[0].moe).toEqual(Array(16).fill(10));
    expect(table.year).toBe(2018);
    expect(table.set).toBe(BRACKETS_16);
  });
});

describe('relationship files (published layouts, weights worked by hand)', () => {
  // 2000 tract 08031000100 split into two 2010 tracts with 300 and 100 housing units (weights
  // 0.75, 0.25); 08031000200 kept whole; 08031000300 has no housing units in its two parts, so
  // its 2010 population (0 and 0) cannot weight it either and land area (3:1) does.
  const trf = [
    '08,031,000100,08031000100,1000,420,P,5000,5000,08,031,000101,08031000101,700,300,W,4000,4000,4000,4000,80,80,100,100,700,70,100,300,75,100',
    '08,031,000100,08031000100,1000,420,P,5000,5000,08,031,000102,08031000102,300,100,W,1000,1000,1000,1000,20,20,100,100,300,30,100,100,25,100',
    '08,031,000200,08031000200,500,200,W,900,900,08,031,000200,08031000200,520,210,W,900,900,900,900,100,100,100,100,520,100,100,210,100,100',
    '08,031,000300,08031000300,0,0,P,4000,4000,08,031,000301,08031000301,0,0,W,3000,3000,3000,3000,75,75,100,100,0,0,0,0,0,0',
    '08,031,000300,08031000300,0,0,P,4000,4000,08,031,000302,08031000302,0,0,W,1000,1000,1000,1000,25,25,100,100,0,0,0,0,0,0',
  ].join('\r\n');

  it('2000→2010: weights are each part’s share of the 2000 tract’s 2010 housing units', () => {
    const x = relationship2000to2010('co08trf.txt', trf);
    const w = Object.fromEntries(x.rows.map((r) => [`${r.source}>${r.target}`, r.weight]));
    expect(w).toEqual({
      '08031000100>08031000101': 0.75,
      '08031000100>08031000102': 0.25,
      '08031000200>08031000200': 1,
      '08031000300>08031000301': 0.75,
      '08031000300>08031000302': 0.25,
    });
    expect(x.fallbacks).toBe(1);
    expect(x.linesRead).toBe(5);
    expect(x.rejected).toEqual([]);
  });

  it('2000→2010: a line in another layout is rejected with its line number', () => {
    const x = relationship2000to2010('co08trf.txt', trf + '\r\n08,031,000400,08031000400\r\n');
    expect(x.rejected).toEqual([{ row: 6, reason: '4 fields where the 2000→2010 tract relationship layout has 30' }]);
    expect(() => relationship2000to2010('x.txt', 'a|b|c\n')).toThrow(InputError);
  });

  // 2010 tract 17031010100 (land 1,000,000 m²) split into two 2020 tracts, 600,000 and 400,000 m²
  // of land; 17031010200 kept whole; a water-only 2020 tract with no 2010 counterpart.
  const tab20 = [
    'OID_TRACT_20|GEOID_TRACT_20|NAMELSAD_TRACT_20|AREALAND_TRACT_20|AREAWATER_TRACT_20|MTFCC_TRACT_20|FUNCSTAT_TRACT_20|OID_TRACT_10|GEOID_TRACT_10|NAMELSAD_TRACT_10|AREALAND_TRACT_10|AREAWATER_TRACT_10|MTFCC_TRACT_10|FUNCSTAT_TRACT_10|AREALAND_PART|AREAWATER_PART',
    '20790583655312|17031010101|Census Tract 101.01|600000|0|G5020|S|207903717019081|17031010100|Census Tract 101|1000000|5000|G5020|S|600000|2000',
    '20790583655313|17031010102|Census Tract 101.02|400000|3000|G5020|S|207903717019081|17031010100|Census Tract 101|1000000|5000|G5020|S|400000|3000',
    '20790583655314|17031010200|Census Tract 102|800000|0|G5020|S|207903717019082|17031010200|Census Tract 102|800000|0|G5020|S|800000|0',
    '20790583655315|17031990000|Census Tract 9900|0|9000000|G5020|S||||||||0|9000000',
  ].join('\r\n');

  it('2010→2020: weights are each part’s share of the 2010 tract’s land, and households are conserved', () => {
    const x = relationship2010to2020('tab20_tract20_tract10_st17.txt', tab20, 'tract');
    expect(x.rows).toEqual([
      { source: '17031010100', target: '17031010101', weight: 0.6 },
      { source: '17031010100', target: '17031010102', weight: 0.4 },
      { source: '17031010200', target: '17031010200', weight: 1 },
    ]);
    expect(x.rejected.map((r) => r.row)).toEqual([5]);
    expect(x.linesRead).toBe(x.rows.length + x.rejected.length);
    // 500 + 200 households in 16 brackets move: 300/200 and 200.
    const counts = new Float64Array(32);
    counts[3] = 500;
    counts[16 + 5] = 200;
    const moved = moveCounts({ year: 2019, incomeYear: 2019, set: BRACKETS_16, universe: 'households', geoids: ['17031010100', '17031010200'], counts, publishedMedians: [null, null] }, x.rows);
    expect(moved.snapshot.geoids).toEqual(['17031010101', '17031010102', '17031010200']);
    expect(moved.snapshot.counts[3]).toBeCloseTo(300, 9);
    expect(moved.snapshot.counts[16 + 3]).toBeCloseTo(200, 9);
    expect(moved.snapshot.counts[32 + 5]).toBe(200);
    expect(moved.snapshot.counts.reduce((s, c) => s + c, 0)).toBeCloseTo(700, 9);
  });

  it('2010→2020: a header in another layout is refused, naming the missing columns', () => {
    expect(() => relationship2010to2020('x.txt', 'GEOID|AREA\n1|2\n', 'tract')).toThrow(/lacks GEOID_TRACT_10, GEOID_TRACT_20, AREALAND_PART, AREAWATER_PART/);
  });

  it('every source’s weights add up to 1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9 }), fc.nat(5000), fc.nat(5000)), { minLength: 1, maxLength: 30 }), (parts) => {
        const header = 'OID_TRACT_20|GEOID_TRACT_20|NAMELSAD_TRACT_20|AREALAND_TRACT_20|AREAWATER_TRACT_20|MTFCC_TRACT_20|FUNCSTAT_TRACT_20|OID_TRACT_10|GEOID_TRACT_10|NAMELSAD_TRACT_10|AREALAND_TRACT_10|AREAWATER_TRACT_10|MTFCC_TRACT_10|FUNCSTAT_TRACT_10|AREALAND_PART|AREAWATER_PART';
        const lines = parts.map(([s, t, l, w]) => `1|0800100${String(t).padStart(4, '0')}|n|0|0|G5020|S|2|0800100${String(s).padStart(4, '0')}|n|0|0|G5020|S|${l}|${w}`);
        const x = relationship2010to2020('p.txt', [header, ...lines].join('\n'), 'tract');
        const sums = new Map<string, number>();
        for (const r of x.rows) sums.set(r.source, (sums.get(r.source) ?? 0) + r.weight);
        for (const s of sums.values()) expect(s).toBeCloseTo(1, 9);
      }),
    );
  });
});

describe('chained and published crosswalks', () => {
  it('composes 2000→2010→2020 weights', () => {
    const a = [
      { source: 'a', target: 'b1', weight: 0.5 },
      { source: 'a', target: 'b2', weight: 0.5 },
    ];
    const b = [
      { source: 'b1', target: 'c', weight: 1 },
      { source: 'b2', target: 'c', weight: 0.4 },
      { source: 'b2', target: 'd', weight: 0.6 },
    ];
    const c = composeCrosswalks(a, b).sort((x, y) => x.target.localeCompare(y.target));
    expect(c[0].target).toBe('c');
    expect(c[0].weight).toBeCloseTo(0.7, 12);
    expect(c[1]).toEqual({ source: 'a', target: 'd', weight: 0.3 });
  });

  it('reads NHGIS crosswalks in both directions and LTDB ones, reporting the direction', () => {
    const forward = readCrosswalk('nhgis_tr2010_tr2020.csv', enc('tr2010gj,tr2010ge,tr2020gj,tr2020ge,wt_pop,wt_hh,wt_hu,parea\nG0800010007801,08001007801,G0800010007801,08001007801,1,1,1,1\nG0800010007802,08001007802,G0800010007803,08001007803,0.4,0.45,0.5,0.3\n'));
    expect(forward.vintages).toEqual({ from: 2010, to: 2020 });
    expect(forward.columns).toEqual({ source: 'tr2010ge', target: 'tr2020ge', weight: 'wt_hh' });
    expect(forward.rows[1]).toEqual({ source: '08001007802', target: '08001007803', weight: 0.45 });
    const backward = readCrosswalk('nhgis_tr2020_tr2010.csv', enc('tr2020gj,tr2020ge,tr2010gj,tr2010ge,wt_hh\nG1,17031010101,G2,17031010100,1\n'));
    expect(backward.vintages).toEqual({ from: 2020, to: 2010 });
    expect(backward.rows[0]).toEqual({ source: '17031010101', target: '17031010100', weight: 1 });
    const ltdb = readCrosswalk('crosswalk_2000_2010.csv', enc('trtid00,trtid10,weight,placefp10,cbsa10\n1001020100,1001020100,1,,33860\n'));
    expect(ltdb.vintages).toEqual({ from: 2000, to: 2010 });
    expect(ltdb.rows[0]).toEqual({ source: '01001020100', target: '01001020100', weight: 1 });
    const plain = readCrosswalk('x.csv', enc('source,target,weight\n08001007801,08001007801,1\n'));
    expect(plain.vintages).toBeNull();
  });
});

describe('downloads', () => {
  const ok = (body: string, status = 200, headers: Record<string, string> = {}) => new Response(status === 204 ? null : body, { status, headers });

  it('retries 503 and 429 with back-off, then caches the answer under the URL without its key', async () => {
    const answers = [ok('busy', 503), ok('slow down', 429, { 'Retry-After': '2' }), ok('[["a"]]')];
    const calls: string[] = [];
    const waits: number[] = [];
    const cache = memoryCache();
    const download = makeDownloader({ fetch: (async (u: string) => (calls.push(u), answers.shift()!)) as unknown as typeof fetch, cache, baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) });
    const r = await download('https://x/data?get=A&key=SECRET', 'test');
    expect(r.status).toBe(200);
    expect(new TextDecoder().decode(r.bytes)).toBe('[["a"]]');
    expect(r.attempts).toBe(3);
    expect(waits).toEqual([100, 2000]);
    expect(r.url).toBe('https://x/data?get=A');
    const again = await download('https://x/data?get=A&key=OTHER', 'test');
    expect(again.fromCache).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it('gives up after the attempts with a message naming the URL and what failed; 4xx is returned, not retried', async () => {
    let n = 0;
    const failing = makeDownloader({ fetch: (async () => { n++; throw new TypeError('fetch failed'); }) as unknown as typeof fetch, attempts: 3, sleep: async () => {} });
    await expect(failing('https://x/a.zip', 'boundaries')).rejects.toThrow(/https:\/\/x\/a\.zip: boundaries: no usable answer after 3 tries \(last: the connection failed \(fetch failed\)\)/);
    expect(n).toBe(3);
    let m = 0;
    const bad = makeDownloader({ fetch: (async () => (m++, ok("error: unknown variable 'X'", 400))) as unknown as typeof fetch, sleep: async () => {} });
    const r = await bad('https://x/data', 'q');
    expect([r.status, m]).toEqual([400, 1]);
  });

  it('times out a stalled answer and stops at the size limit', async () => {
    const stalled = makeDownloader({
      fetch: ((_u: string, init: RequestInit) => new Promise((_r, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch,
      attempts: 2,
      timeoutMs: 20,
      sleep: async () => {},
    });
    await expect(stalled('https://x/slow', 'slow')).rejects.toThrow(/no complete answer within 0 s/);
    const big = makeDownloader({ fetch: (async () => ok('x'.repeat(2000))) as unknown as typeof fetch, maxBytes: 1000 });
    await expect(big('https://x/big', 'big')).rejects.toThrow(/over the 1000-byte limit/);
  });
});
