/**
 * Derives data/places/places.json, the place-resolution table (states, counties with the data years
 * each code is valid, CBSAs with their component counties, county changes since Census 2000), from
 * public-domain U.S. Census Bureau files. See data/places/PROVENANCE.md for where each input came
 * from; none of the inputs is committed, only what this script derives from them. The inputs were taken
 * from stored snapshots of two public GitHub repositories that redistribute the Census files:
 * bdurand/us_geo (gazetteers, delineation CSVs, states.csv) and CT-Data-Collaborative/ct-town-to-planning-region
 * (the Connecticut town crosswalk); PROVENANCE.md gives the commit and SHA-256 of each file.
 *
 *   npx tsx scripts/derive-places.ts SOURCE_DIR [OUT_JSON]
 *
 * SOURCE_DIR must hold (names as in PROVENANCE.md):
 *   2023_Gaz_counties_national.txt   Census 2023 Gazetteer, counties (tab-separated; vintage Jan 1 2023)
 *   2018_Gaz_counties_national.txt   Census 2018 Gazetteer, counties (for the 8 legacy Connecticut
 *                                    counties and Valdez-Cordova Census Area, gone by 2023)
 *   list1_Jul_2023.csv               Census "list1_2023" delineation file (OMB Bulletin 23-01), as CSV
 *   list1_Mar_2020.csv               Census "list1_2020" delineation file (OMB Bulletin 20-01), as CSV;
 *                                    used only for former CBSA titles that users may still type
 *   states.csv                       state names, USPS codes and FIPS codes
 *   ct-town-to-planning-region.csv   Connecticut towns with their 2020 county and 2022 planning region
 *
 * The script checks what it can against the sources and stops on any mismatch: county counts per
 * vintage, that the 2018→2023 gazetteer difference is exactly the 2019 and 2022 changes listed below
 * (data years 2020 and 2022),
 * that every CBSA component is a 2023 county, and the published CBSA counts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

/** First data year the table covers (Census 2000). Codes valid before then are not listed. */
const FIRST_YEAR = 2000;
/** Vintage of the current county set and of the delineation (both January 2023 geography). */
const TABLE_YEAR = 2023;

type ChangeKind = 'created' | 'merged' | 'renamed' | 'split' | 'reorganized' | 'replaced';

interface Change {
  /** First data year that uses the `after` codes (ACS geography is that of January 1 of the year). */
  first: number;
  kind: ChangeKind;
  /** Codes valid in year first-1 that the change touches (a code kept by the change is in both lists). */
  before: string[];
  /** Codes valid from `first` on that the change touches. */
  after: string[];
  /** Legal effective date, as the Census Bureau lists it. */
  effective: string;
  note: string;
}

/**
 * County changes since Census 2000 that add, remove or recode a county or equivalent, transcribed from
 * the Census Bureau's list "Substantial Changes to Counties and County Equivalent Entities: 1970-Present"
 * (census.gov, Geography program, technical documentation, county changes). The 2019 and 2022 entries are
 * also checked against the 2018 and 2023 gazetteers below. `first` follows the ACS rule that a data
 * year uses the geography in effect on January 1 of that year (so the Valdez-Cordova split, effective
 * January 2, 2019, first shows in data year 2020: the Census Bureau's 2019 cartographic county file still
 * has 02261), except the two 2015 renames, which the 2015 ACS products already carry (the ACS "2015
 * geography changes" list; 2015 ACS 5-year tables are published for 46102 and 02158).
 */
const CHANGES: Change[] = [
  {
    first: 2002, kind: 'created', effective: '2001-11-15',
    before: ['08001', '08013', '08059', '08123'], after: ['08001', '08013', '08059', '08123', '08014'],
    note: 'Broomfield County, CO (08014) was created from parts of Adams, Boulder, Jefferson and Weld counties',
  },
  {
    first: 2002, kind: 'merged', effective: '2001-07-01',
    before: ['51560', '51005'], after: ['51005'],
    note: 'Clifton Forge city, VA (51560) became a town in Alleghany County (51005)',
  },
  {
    first: 2008, kind: 'split', effective: '2007-06-20',
    before: ['02232'], after: ['02230', '02105'],
    note: 'Skagway-Hoonah-Angoon Census Area, AK (02232) was split into Skagway Municipality (02230) and Hoonah-Angoon Census Area (02105)',
  },
  {
    first: 2009, kind: 'reorganized', effective: '2008-05-19/2008-05-30',
    before: ['02201', '02280'], after: ['02198', '02195', '02275'],
    note: 'Prince of Wales-Outer Ketchikan (02201) and Wrangell-Petersburg (02280) census areas, AK, were reorganized into Prince of Wales-Hyder Census Area (02198), Petersburg Census Area (02195) and Wrangell City and Borough (02275); Ketchikan Gateway Borough (02130) also took part of 02201',
  },
  {
    first: 2014, kind: 'merged', effective: '2013-07-01',
    before: ['51515', '51019'], after: ['51019'],
    note: 'Bedford city, VA (51515) became a town in Bedford County (51019)',
  },
  {
    first: 2015, kind: 'renamed', effective: '2015-05-01',
    before: ['46113'], after: ['46102'],
    note: 'Shannon County, SD (46113) was renamed Oglala Lakota County with a new code (46102)',
  },
  {
    first: 2015, kind: 'renamed', effective: '2015-07-01',
    before: ['02270'], after: ['02158'],
    note: 'Wade Hampton Census Area, AK (02270) was renamed Kusilvak Census Area with a new code (02158)',
  },
  {
    first: 2020, kind: 'split', effective: '2019-01-02',
    before: ['02261'], after: ['02063', '02066'],
    note: 'Valdez-Cordova Census Area, AK (02261) was split into Chugach (02063) and Copper River (02066) census areas',
  },
  {
    first: 2022, kind: 'replaced', effective: '2022-06-06',
    before: ['09001', '09003', '09005', '09007', '09009', '09011', '09013', '09015'],
    after: ['09110', '09120', '09130', '09140', '09150', '09160', '09170', '09180', '09190'],
    note: "Connecticut's 8 counties were replaced by its 9 planning regions as county equivalents (Federal Register 2022-12063; ACS 2022 is the first ACS release on planning regions)",
  },
];

/** Counties gone before 2018 (not in either gazetteer): code, name, last data year (same sources as CHANGES). */
const GONE_BEFORE_2018: [string, string, number][] = [
  ['51560', 'Clifton Forge city', 2001],
  ['02232', 'Skagway-Hoonah-Angoon Census Area', 2007],
  ['02201', 'Prince of Wales-Outer Ketchikan Census Area', 2008],
  ['02280', 'Wrangell-Petersburg Census Area', 2008],
  ['51515', 'Bedford city', 2013],
  ['46113', 'Shannon County', 2014],
  ['02270', 'Wade Hampton Census Area', 2014],
];

/**
 * Same code, new name: Petersburg Census Area became Petersburg Borough (02195) effective 2013-01-03
 * (after the January 1, 2013 reference date, so data year 2014 is the first with the new name).
 */
const RENAMED_SAME_CODE: { geoid: string; oldName: string; lastOldYear: number }[] = [
  { geoid: '02195', oldName: 'Petersburg Census Area', lastOldYear: 2013 },
];

/** Published county-and-equivalent counts for the 50 states and DC (Puerto Rico's 78 municipios apart). */
const PUBLISHED_COUNTS: Record<number, number> = { 2000: 3141, 2010: 3143, 2020: 3143, 2022: 3144 };

function fail(message: string): never {
  console.error(`derive-places: ${message}`);
  process.exit(1);
}

function gazetteer(path: string): Map<string, string> {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split('\t').map((h) => h.trim());
  const gi = header.indexOf('GEOID');
  const ni = header.indexOf('NAME');
  if (gi < 0 || ni < 0) fail(`${path}: no GEOID/NAME columns in the header`);
  const out = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t').map((c) => c.trim());
    if (!/^\d{5}$/.test(cells[gi])) fail(`${path}: bad GEOID "${cells[gi]}"`);
    out.set(cells[gi], cells[ni]);
  }
  return out;
}

function csvRows(path: string): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: 'greedy' });
  // Rows shorter than the header (states.csv leaves territories' region columns off) are fine.
  const errors = parsed.errors.filter((e) => e.code !== 'TooFewFields');
  if (errors.length) fail(`${path}: ${errors[0].message} (row ${errors[0].row})`);
  return parsed.data;
}

const [srcDir, outPath = 'data/places/places.json'] = process.argv.slice(2);
if (!srcDir) fail('usage: npx tsx scripts/derive-places.ts SOURCE_DIR [OUT_JSON]');

const gaz23 = gazetteer(join(srcDir, '2023_Gaz_counties_national.txt'));
const gaz18 = gazetteer(join(srcDir, '2018_Gaz_counties_national.txt'));

// The 2018→2023 difference must be exactly the changes after 2018 (data years 2020 and 2022).
const expectGone = CHANGES.filter((c) => c.first > 2019).flatMap((c) => c.before.filter((g) => !c.after.includes(g)));
const expectNew = CHANGES.filter((c) => c.first > 2019).flatMap((c) => c.after.filter((g) => !c.before.includes(g)));
const gone = [...gaz18.keys()].filter((g) => !gaz23.has(g)).sort();
const added = [...gaz23.keys()].filter((g) => !gaz18.has(g)).sort();
if (gone.join() !== expectGone.sort().join()) fail(`2018→2023 removed codes ${gone} differ from the change list ${expectGone}`);
if (added.join() !== expectNew.sort().join()) fail(`2018→2023 new codes ${added} differ from the change list ${expectNew}`);
for (const [g, name] of gaz18) {
  if (gaz23.has(g) && gaz23.get(g) !== name) fail(`${g} is "${name}" in 2018 but "${gaz23.get(g)}" in 2023: add it to RENAMED_SAME_CODE`);
}

// States: 50 states, DC and Puerto Rico (the states that have counties in the gazetteer).
const stateFips = new Set([...gaz23.keys()].map((g) => g.slice(0, 2)));
const states = csvRows(join(srcDir, 'states.csv'))
  .filter((r) => stateFips.has(r.FIPS))
  .map((r) => [r.FIPS, r.Code, r.Name] as [string, string, string])
  .sort((a, b) => a[0].localeCompare(b[0]));
if (states.length !== 52) fail(`expected 52 states+DC+PR, got ${states.length}`);

// Counties with their data-year ranges.
const firstYear = new Map<string, number>();
const lastYear = new Map<string, number>();
for (const c of CHANGES) {
  for (const g of c.after) if (!c.before.includes(g)) firstYear.set(g, c.first);
  for (const g of c.before) if (!c.after.includes(g)) lastYear.set(g, c.first - 1);
}
type CountyRow = [string, string, number?, number?];
const rows: CountyRow[] = [];
const push = (geoid: string, name: string, from?: number, to?: number) => {
  const row: CountyRow = [geoid, name];
  if (from !== undefined || to !== undefined) row.push(from ?? FIRST_YEAR);
  if (to !== undefined) row.push(to);
  rows.push(row);
};
for (const [g, name] of gaz23) {
  const renamed = RENAMED_SAME_CODE.find((r) => r.geoid === g);
  if (renamed) {
    push(g, renamed.oldName, firstYear.get(g), renamed.lastOldYear);
    push(g, name, renamed.lastOldYear + 1);
  } else {
    push(g, name, firstYear.get(g));
  }
}
for (const g of expectGone) push(g, gaz18.get(g)!, firstYear.get(g), lastYear.get(g));
for (const [g, name, last] of GONE_BEFORE_2018) {
  if (lastYear.get(g) !== last) fail(`${g} ${name}: last year ${last} disagrees with the change list (${lastYear.get(g)})`);
  push(g, name, firstYear.get(g), last);
}
for (const g of [...firstYear.keys(), ...lastYear.keys()]) {
  if (!rows.some((r) => r[0] === g)) fail(`change list names ${g}, which no source lists`);
}
rows.sort((a, b) => a[0].localeCompare(b[0]) || (a[2] ?? FIRST_YEAR) - (b[2] ?? FIRST_YEAR));

const validIn = (r: CountyRow, y: number) => (r[2] ?? FIRST_YEAR) <= y && y <= (r[3] ?? Infinity);
for (const [year, expected] of Object.entries(PUBLISHED_COUNTS)) {
  const inYear = rows.filter((r) => validIn(r, Number(year)));
  const n = inYear.filter((r) => r[0].slice(0, 2) !== '72').length;
  const pr = inYear.length - n;
  if (n !== expected || pr !== 78) fail(`${year}: ${n} counties in the 50 states + DC and ${pr} in PR; published: ${expected} and 78`);
  const keys = inYear.map((r) => r[0]);
  if (new Set(keys).size !== keys.length) fail(`${year}: a code is listed twice`);
}

// Connecticut: which legacy counties each planning region overlaps (whole towns; town boundaries did not change).
const ctOverlap: Record<string, string[]> = {};
for (const r of csvRows(join(srcDir, 'ct-town-to-planning-region.csv'))) {
  const county = r.town_fips_2020.padStart(10, '0').slice(0, 5);
  const region = r.ce_fips_2022.padStart(5, '0');
  if (!gaz18.has(county) || !gaz23.has(region)) fail(`CT town ${r.town_name}: unknown county ${county} or region ${region}`);
  const list = (ctOverlap[region] ??= []);
  if (!list.includes(county)) list.push(county);
}
for (const list of Object.values(ctOverlap)) list.sort();
const ctOverlapSorted = Object.fromEntries(Object.entries(ctOverlap).sort(([a], [b]) => a.localeCompare(b)));
if (Object.keys(ctOverlap).length !== 9) fail('expected 9 Connecticut planning regions in the town file');

// CBSAs, July 2023 delineation.
const cbsaMap = new Map<string, { title: string; metro: boolean; counties: string[] }>();
for (const r of csvRows(join(srcDir, 'list1_Jul_2023.csv'))) {
  const code = r['CBSA Code'];
  if (!/^\d{5}$/.test(code)) fail(`list1_Jul_2023.csv: bad CBSA code "${code}"`);
  const geoid = r['FIPS State Code'].padStart(2, '0') + r['FIPS County Code'].padStart(3, '0');
  if (!gaz23.has(geoid)) fail(`CBSA ${code} lists ${geoid}, not a 2023 county`);
  const kind = r['Metropolitan/Micropolitan Statistical Area'];
  if (kind !== 'Metropolitan Statistical Area' && kind !== 'Micropolitan Statistical Area') fail(`CBSA ${code}: type "${kind}"`);
  const entry = cbsaMap.get(code) ?? { title: r['CBSA Title'], metro: kind.startsWith('Metro'), counties: [] };
  entry.counties.push(geoid);
  cbsaMap.set(code, entry);
}
const cbsas = [...cbsaMap].sort((a, b) => a[0].localeCompare(b[0]));
const metros = cbsas.filter(([, c]) => c.metro).length;
if (cbsas.length !== 935 || metros !== 393) fail(`expected 935 CBSAs (393 metro), got ${cbsas.length} (${metros})`);

// Former titles (March 2020 delineation) of CBSAs whose code survives with another title.
const formerTitles: [string, string][] = [];
for (const r of csvRows(join(srcDir, 'list1_Mar_2020.csv'))) {
  const code = r['CBSA Code'];
  const now = cbsaMap.get(code);
  if (now && now.title !== r['CBSA Title'] && !formerTitles.some(([c]) => c === code)) formerTitles.push([code, r['CBSA Title']]);
}

const table = {
  about:
    'Place-resolution table for tractmix: states, counties and equivalents (50 states, DC, Puerto Rico) with the data years each code is valid, ' +
    'CBSAs of the July 2023 OMB delineation with component counties, county changes since 2000. Derived by scripts/derive-places.ts; see data/places/PROVENANCE.md.',
  firstYear: FIRST_YEAR,
  tableYear: TABLE_YEAR,
  states,
  counties: rows,
  cbsas: cbsas.map(([code, c]) => [code, c.title, c.metro ? 'metro' : 'micro', c.counties.sort()]),
  formerCbsaTitles: formerTitles,
  changes: CHANGES,
  ctOverlap: ctOverlapSorted,
};
// One row per line, so that a change in a source shows as a readable diff.
const body = Object.entries(table).map(([key, value]) => {
  const inner = Array.isArray(value)
    ? `[\n${value.map((v) => '    ' + JSON.stringify(v)).join(',\n')}\n  ]`
    : value !== null && typeof value === 'object'
      ? `{\n${Object.entries(value).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n  }`
      : JSON.stringify(value);
  return `  ${JSON.stringify(key)}: ${inner}`;
});
writeFileSync(outPath, `{\n${body.join(',\n')}\n}\n`);
console.log(
  `${outPath}: ${states.length} states, ${rows.length} county rows, ${cbsas.length} CBSAs (${metros} metro), ` +
    `${formerTitles.length} former CBSA titles, ${CHANGES.length} changes`,
);
