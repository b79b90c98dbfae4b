/**
 * Place names → counties, without network: a county (name or 5-digit FIPS), a state (name, USPS code or
 * 2-digit FIPS) or a metropolitan/micropolitan statistical area (CBSA title or 5-digit code) resolves to
 * the counties whose tracts a data year uses. The table (data/places/places.json, see its PROVENANCE.md)
 * holds every county and equivalent of the 50 states, DC and Puerto Rico from data year 2000 on, with the
 * years each code is valid, and the CBSAs of the July 2023 OMB delineation (Bulletin 23-01).
 *
 * Browser-safe: no node imports; the table is a JSON module (tsx and Vite both bundle it).
 *
 * @example
 * resolvePlace('Cook County, IL').counties            // [{ state: '17', county: '031', name: 'Cook County', stateAbbr: 'IL' }]
 * resolvePlace('Denver-Aurora-Centennial, CO').kind   // 'cbsa' (10 counties)
 * resolvePlace('Shannon County, SD', { year: 2020 })  // Oglala Lakota County (46102), with a note on the 2015 change
 */
import table from '../../data/places/places.json';
import { InputError } from './errors';

export type PlaceKind = 'county' | 'state' | 'cbsa';

export interface PlaceCounty {
  /** 2-digit state FIPS code. */
  readonly state: string;
  /** 3-digit county FIPS code. */
  readonly county: string;
  /** Census name of the county or equivalent in that year: "Cook County", "Baltimore city", "Capitol Planning Region". */
  readonly name: string;
  /** USPS state code: "IL". */
  readonly stateAbbr: string;
}

export interface ResolvedPlace {
  /** What the user typed. */
  readonly query: string;
  readonly kind: PlaceKind;
  /** The place as the table names it: "Cook County, IL", "Illinois", "Chicago-Naperville-Elgin, IL-IN (metro area 16980)". */
  readonly label: string;
  /** Counties valid in the requested data year, ordered by FIPS code. */
  readonly counties: readonly PlaceCounty[];
  /** What was adjusted for the data year (a code that changed, an approximate match), for the user to read. */
  readonly notes: readonly string[];
}

export interface PlaceOptions {
  /**
   * Data year (ACS end year or census year): counties are those whose codes that year's tables use.
   * Default: the table's vintage (2023 geography, also used for later years). Years before 2000 are refused.
   */
  readonly year?: number;
}

interface TableShape {
  firstYear: number;
  tableYear: number;
  states: [string, string, string][];
  counties: (string | number)[][];
  cbsas: [string, string, string, string[]][];
  formerCbsaTitles: [string, string][];
  changes: { first: number; kind: string; before: string[]; after: string[]; effective: string; note: string }[];
  ctOverlap: Record<string, string[]>;
}
const T = table as unknown as TableShape;

/** First data year the table covers and the vintage of its county set and CBSA delineation. */
export const PLACE_TABLE_YEARS = { first: T.firstYear, vintage: T.tableYear } as const;

interface StateRecord { fips: string; abbr: string; name: string }
interface CountyRecord {
  geoid: string;
  name: string;
  state: StateRecord;
  first: number;
  last: number;
  /** Compact match keys (letters and digits only) of the full and the short name ("cookcounty", "cook"). */
  fullKey: string;
  shortKey: string;
}
interface CbsaRecord {
  code: string;
  title: string;
  metro: boolean;
  counties: string[];
  /** Compact keys: full title, title without the state list, former full title, each principal city. */
  titleKey: string;
  citiesKey: string;
  formerKey?: string;
  cityKeys: string[];
  stateAbbrs: string[];
}

// ---- matching keys --------------------------------------------------------------------------------

/** Lower case, diacritics and punctuation dropped, "&" → "and", "saint" → "st": the words of a name. */
function placeWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => (w === 'saint' ? 'st' : w === 'sainte' ? 'ste' : w));
}
const compact = (text: string) => placeWords(text).join('');

/** Census type words that end a county name; "city" only in lower case (Virginia's "Fairfax city", not "Carson City"). */
const COUNTY_TYPES = [' City and Borough', ' Census Area', ' Planning Region', ' Municipality', ' Borough', ' County', ' Parish', ' Municipio', ' city'];
function shortName(name: string): string {
  for (const t of COUNTY_TYPES) if (name.endsWith(t) && name.length > t.length) return name.slice(0, -t.length);
  return name;
}

// ---- the table, indexed ---------------------------------------------------------------------------

const STATES: StateRecord[] = T.states.map(([fips, abbr, name]) => ({ fips, abbr, name }));
const STATE_BY_FIPS = new Map(STATES.map((s) => [s.fips, s]));
const COUNTIES: CountyRecord[] = T.counties.map((row) => {
  const [geoid, name, first, last] = row as [string, string, number?, number?];
  const state = STATE_BY_FIPS.get(geoid.slice(0, 2));
  if (!state) throw new Error(`places.json: county ${geoid} has no state`);
  return {
    geoid, name, state,
    first: first ?? T.firstYear,
    last: last ?? Infinity,
    fullKey: compact(name),
    shortKey: compact(shortName(name)),
  };
});
const FORMER_TITLE = new Map(T.formerCbsaTitles);
const CBSAS: CbsaRecord[] = T.cbsas.map(([code, title, kind, counties]) => {
  const comma = title.lastIndexOf(', ');
  const cities = title.slice(0, comma);
  const states = title.slice(comma + 2);
  // Titles separate cities with "-", or with "--" when a city name has its own hyphen (Scranton--Wilkes-Barre).
  const cityNames = cities.includes('--') ? cities.split('--') : cities.split('-');
  const former = FORMER_TITLE.get(code);
  return {
    code, title, metro: kind === 'metro', counties,
    titleKey: compact(title),
    citiesKey: compact(cities),
    formerKey: former ? compact(former) : undefined,
    cityKeys: [...new Set([...cityNames.map(compact), ...(cities.includes('--') ? [] : [compact(cities)])])],
    stateAbbrs: states.split('-'),
  };
});
const CBSA_BY_CODE = new Map(CBSAS.map((c) => [c.code, c]));

/** Lookups by compact key, so that a query costs a few map reads, not a scan of the table. */
function indexBy<T>(items: T[], keysOf: (item: T) => (string | undefined)[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      if (key === undefined) continue;
      const list = index.get(key);
      if (list) list.push(item);
      else index.set(key, [item]);
    }
  }
  return index;
}
const COUNTY_BY_FULL = indexBy(COUNTIES, (c) => [c.fullKey]);
/**
 * Common names of county equivalents that their Census names do not contain: the District of Columbia is
 * the city of Washington, and New York City's boroughs are counties (Kings, New York, Richmond).
 */
const COUNTY_ALIASES: Record<string, string[]> = {
  '11001': ['Washington'],
  '36047': ['Brooklyn'],
  '36061': ['Manhattan'],
  '36085': ['Staten Island'],
};
const COUNTY_BY_SHORT = indexBy(COUNTIES, (c) => [c.shortKey, ...(COUNTY_ALIASES[c.geoid] ?? []).map(compact)]);
const COUNTY_BY_CODE = indexBy(COUNTIES, (c) => [c.geoid]);
const CBSA_BY_TITLE = indexBy(CBSAS, (c) => [c.titleKey, c.formerKey]);
const CBSA_BY_CITY = indexBy(CBSAS, (c) => c.cityKeys);
const CBSA_BY_FIRST_CITY = indexBy(CBSAS, (c) => [c.cityKeys[0], c.citiesKey]);
const STATE_BY_KEY = new Map(STATES.flatMap((s) => [[s.abbr.toLowerCase(), s], [compact(s.name), s]] as [string, StateRecord][]));

const validIn = (c: CountyRecord, year: number) => c.first <= year && year <= c.last;
function countyRecord(geoid: string, year: number): CountyRecord | undefined {
  return COUNTY_BY_CODE.get(geoid)?.find((c) => validIn(c, year));
}
const toPlaceCounty = (c: CountyRecord): PlaceCounty => ({
  state: c.geoid.slice(0, 2),
  county: c.geoid.slice(2),
  name: c.name,
  stateAbbr: c.state.abbr,
});
const countyLabel = (c: CountyRecord) => `${c.name}, ${c.state.abbr}`;
const cbsaLabel = (c: CbsaRecord) => `${c.title} (${c.metro ? 'metro' : 'micro'} area ${c.code})`;

/** Every county and equivalent whose code the given data year uses (default: the table's vintage). */
export function countiesInYear(year: number = T.tableYear): PlaceCounty[] {
  return COUNTIES.filter((c) => validIn(c, year)).map(toPlaceCounty);
}

/**
 * "Cook County, IL" for a county code ("17031"), or for any longer GEOID that starts with one (a tract,
 * "17031010100"); the name in the given data year (default: the latest name the code had). Undefined
 * for a code the table does not know.
 */
export function countyName(geoid: string, opts: PlaceOptions = {}): string | undefined {
  const rows = COUNTY_BY_CODE.get(geoid.slice(0, 5)) ?? [];
  const row = opts.year === undefined ? rows[rows.length - 1] : rows.find((c) => validIn(c, opts.year!));
  return row ? countyLabel(row) : undefined;
}

// ---- codes across county changes ---------------------------------------------------------------------

type Change = TableShape['changes'][number];
const ctOverlap = new Map(Object.entries(T.ctOverlap));
function ctLegacyOverlap(legacy: string): string[] {
  return [...ctOverlap].filter(([, counties]) => counties.includes(legacy)).map(([region]) => region);
}
const changeLabel = (ch: Change) => `${ch.note} (data from ${ch.first} on)`;

/**
 * The codes valid in `toYear` that cover the codes `codes`, valid in `fromYear`, going through the county
 * changes between the two years. Notes say what changed; `dropped` lists codes with no counterpart
 * (a county created from parts of others, going back before it existed).
 */
function carryCodes(codes: string[], fromYear: number, toYear: number): { codes: string[]; notes: string[]; dropped: string[] } {
  let set = new Set(codes);
  const notes: string[] = [];
  const dropped: string[] = [];
  if (toYear < fromYear) {
    const steps = T.changes.filter((ch) => toYear < ch.first && ch.first <= fromYear).sort((a, b) => b.first - a.first);
    for (const ch of steps) {
      const next = new Set(set);
      let touched = false;
      for (const code of set) {
        if (!ch.after.includes(code)) continue;
        if (ch.kind === 'merged' && ch.before.includes(code)) {
          // Going back before a merger: the absorbed county was still separate, and is part of this area.
          for (const b of ch.before) next.add(b);
          touched = true;
        } else if (ch.before.includes(code)) {
          continue;
        } else if (ch.kind === 'created') {
          next.delete(code);
          dropped.push(code);
          touched = true;
        } else if (ch.kind === 'replaced') {
          next.delete(code);
          for (const b of ctOverlap.get(code) ?? []) next.add(b);
          touched = true;
        } else {
          next.delete(code);
          for (const b of ch.before) next.add(b);
          touched = true;
        }
      }
      if (touched) notes.push(ch.kind === 'replaced'
        ? `${changeLabel(ch)}; for ${toYear} the legacy counties that overlap the planning regions are used, which cover more than the regions`
        : changeLabel(ch));
      set = next;
    }
  } else if (toYear > fromYear) {
    const steps = T.changes.filter((ch) => fromYear < ch.first && ch.first <= toYear).sort((a, b) => a.first - b.first);
    for (const ch of steps) {
      const next = new Set(set);
      let touched = false;
      for (const code of set) {
        if (!ch.before.includes(code) || ch.after.includes(code)) continue;
        next.delete(code);
        const successors = ch.kind === 'replaced' ? ctLegacyOverlap(code) : ch.after;
        for (const a of successors) next.add(a);
        touched = true;
      }
      if (touched) notes.push(ch.kind === 'replaced'
        ? `${changeLabel(ch)}; for ${toYear} the planning regions that overlap the legacy counties are used, which cover more than the counties`
        : changeLabel(ch));
      set = next;
    }
  }
  return { codes: [...set].sort(), notes, dropped };
}

// ---- resolving -------------------------------------------------------------------------------------

interface Candidate {
  kind: PlaceKind;
  id: string;
  /** What the user can type to get exactly this place. */
  typed: string;
  label: string;
  /** County codes in the table's own vintage of this candidate (counties: the matched row's code). */
  codes: string[];
  county?: CountyRecord;
}
const STATE_CODES = new Map(STATES.map((s) => [s.fips, COUNTIES.filter((c) => c.state === s && validIn(c, T.tableYear)).map((c) => c.geoid)]));
const stateCandidate = (s: StateRecord): Candidate => ({ kind: 'state', id: s.fips, typed: s.abbr, label: s.name, codes: STATE_CODES.get(s.fips)! });
const countyCandidate = (c: CountyRecord): Candidate => ({ kind: 'county', id: c.geoid, typed: countyLabel(c), label: countyLabel(c), codes: [c.geoid], county: c });
const cbsaCandidate = (c: CbsaRecord): Candidate => ({ kind: 'cbsa', id: c.code, typed: c.title, label: cbsaLabel(c), codes: c.counties });

const describePlace = (c: Candidate) =>
  c.kind === 'county' ? `${c.label} (county ${c.id})` : c.kind === 'state' ? `${c.label} (state ${c.id})` : c.label;
/** What to type for exactly this place; a CBSA whose title is what was typed gets "<title> metro" ("Lincoln, NE"). */
const howToType = (c: Candidate, query: string) =>
  c.kind === 'state' ? `"${c.typed}"`
    : c.kind === 'cbsa' && compact(c.typed) === compact(query) ? `"${c.typed} metro" (or ${c.id})`
      : `"${c.typed}" (or ${c.id})`;

/** Words that ask for a metro/micro area ("Chicago metro", "Bend micro area"); "area" only after one of them, as in "Census Area". */
const CBSA_WORDS = new Set(['metro', 'micro', 'metropolitan', 'micropolitan', 'msa', 'cbsa']);
const CBSA_TAIL_WORDS = new Set(['area', 'statistical']);

/** The query's words without the metro/micro words, and whether there were any. */
function withoutCbsaWords(words: string[]): { words: string[]; wantsCbsa: boolean } {
  const kept: string[] = [];
  let wantsCbsa = false;
  let afterCbsaWord = false;
  for (const w of words) {
    if (kept.length > 0 && CBSA_WORDS.has(w)) {
      wantsCbsa = afterCbsaWord = true;
    } else if (afterCbsaWord && CBSA_TAIL_WORDS.has(w)) {
      continue;
    } else {
      afterCbsaWord = false;
      kept.push(w);
    }
  }
  return { words: kept, wantsCbsa };
}

function stateOf(words: string[]): StateRecord | undefined {
  return STATE_BY_KEY.get(words.join(''));
}

interface Reading { name: string[]; state?: StateRecord }

/** The ways to read a query as a name and an optional trailing state ("cook county il", "Cook, Illinois"). */
function readings(words: string[]): Reading[] {
  const out: Reading[] = [{ name: words }];
  for (let n = 1; n <= 3 && n < words.length; n++) {
    const state = stateOf(words.slice(words.length - n));
    if (state) out.push({ name: words.slice(0, words.length - n), state });
  }
  return out;
}

function match(query: string, year: number): { strong: Candidate[]; weak: Candidate[]; wantsCbsa: boolean } {
  const strong: Candidate[] = [];
  const weak: Candidate[] = [];
  const digits = query.trim();
  if (/^\d+$/.test(digits)) {
    if (digits.length === 2 && STATE_BY_FIPS.has(digits)) strong.push(stateCandidate(STATE_BY_FIPS.get(digits)!));
    if (digits.length === 5) {
      const rows = COUNTY_BY_CODE.get(digits) ?? [];
      const row = rows.find((c) => validIn(c, year)) ?? rows[rows.length - 1];
      if (row) strong.push(countyCandidate(row));
      const cbsa = CBSA_BY_CODE.get(digits);
      if (cbsa) strong.push(cbsaCandidate(cbsa));
    }
    return { strong, weak, wantsCbsa: false };
  }
  // "Chicago metro", "Portland metro, OR", "Portland, OR metro area".
  const { words, wantsCbsa } = withoutCbsaWords(placeWords(query));
  const whole = words.join('');

  if (!wantsCbsa) {
    const state = stateOf(words);
    if (state) strong.push(stateCandidate(state));
  }
  for (const c of CBSA_BY_TITLE.get(whole) ?? []) strong.push(cbsaCandidate(c));
  for (const { name, state } of readings(words)) {
    const key = name.join('');
    if (key === '') continue;
    if (!wantsCbsa) {
      // Counties valid in the data year first; a code from another year only when none is.
      const pick = (index: Map<string, CountyRecord[]>) => {
        const hits = (index.get(key) ?? []).filter((c) => !state || c.state === state);
        const current = hits.filter((c) => validIn(c, year));
        return current.length ? current : latestRows(hits);
      };
      strong.push(...pick(COUNTY_BY_FULL).map(countyCandidate));
      weak.push(...pick(COUNTY_BY_SHORT).map(countyCandidate));
    }
    // "<any principal city> metro", or the first city alone ("Chicago"), or the cities without the states.
    for (const c of (wantsCbsa ? CBSA_BY_CITY : CBSA_BY_FIRST_CITY).get(key) ?? []) {
      if (!state || c.stateAbbrs.includes(state.abbr)) weak.push(cbsaCandidate(c));
    }
  }
  return { strong, weak, wantsCbsa };
}

/** One row per code: the latest one (a code renamed in place has a row per name). */
function latestRows(rows: CountyRecord[]): CountyRecord[] {
  const byCode = new Map<string, CountyRecord>();
  for (const r of rows) if (!byCode.has(r.geoid) || byCode.get(r.geoid)!.first < r.first) byCode.set(r.geoid, r);
  return [...byCode.values()];
}

/** Distinct candidates; of two with the same county set, the county (or state) is kept over the CBSA. */
function distinct(cands: Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const c of cands) byId.set(`${c.kind}:${c.id}`, c);
  const out: Candidate[] = [];
  const order: PlaceKind[] = ['state', 'county', 'cbsa'];
  for (const c of [...byId.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))) {
    const same = out.find((o) => o.codes.join() === c.codes.join());
    if (!same) out.push(c);
  }
  return out;
}

/** Optimal string alignment distance (edits, with adjacent swaps) between two short strings. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Up to `n` places closest to the query: counties (of its state first), states, CBSA titles and cities. */
function closest(query: string, year: number, n: number): Candidate[] {
  const { words } = withoutCbsaWords(placeWords(query));
  const scored: { c: Candidate; score: number }[] = [];
  const score = (key: string, target: string) => editDistance(key, target) / Math.max(key.length, target.length, 1);
  for (const { name, state } of readings(words)) {
    const key = name.join('');
    if (key === '') continue;
    for (const c of COUNTIES) {
      if (!validIn(c, year)) continue;
      const s = Math.min(score(key, c.fullKey), score(key, c.shortKey)) + (state && c.state !== state ? 0.5 : 0);
      scored.push({ c: countyCandidate(c), score: s });
    }
    for (const c of CBSAS) {
      const s = Math.min(score(key, c.citiesKey), score(key, c.cityKeys[0])) + (state && !c.stateAbbrs.includes(state.abbr) ? 0.5 : 0);
      scored.push({ c: cbsaCandidate(c), score: s });
    }
    if (!state) for (const s of STATES) scored.push({ c: stateCandidate(s), score: Math.min(score(key, compact(s.name)), score(key, s.abbr.toLowerCase())) });
  }
  scored.sort((a, b) => a.score - b.score || a.c.label.localeCompare(b.c.label));
  const out: Candidate[] = [];
  for (const { c } of scored) {
    if (!out.some((o) => o.kind === c.kind && o.id === c.id)) out.push(c);
    if (out.length === n) break;
  }
  return out;
}

const EXPECTED =
  'a county ("Cook County, IL", "Cook, Illinois" or its 5-digit FIPS code "17031"), a state ("IL", "Illinois" or "17") ' +
  'or a metropolitan/micropolitan area (its title "Chicago-Naperville-Elgin, IL-IN", its 5-digit CBSA code "16980", or "Chicago metro")';

function checkYear(query: string, year: number): void {
  if (!Number.isInteger(year) || year < T.firstYear) {
    throw new InputError({
      file: `place "${query}"`,
      problem: `the data year ${year} is outside the place table`,
      expected: `a whole year from ${T.firstYear} on (the table lists counties from Census ${T.firstYear})`,
      action: 'Ask for a later year.',
    });
  }
}

/** The counties of one candidate in the data year, with notes on what changed. */
function countiesFor(c: Candidate, query: string, year: number): { counties: PlaceCounty[]; notes: string[] } {
  if (c.kind === 'state') {
    const counties = COUNTIES.filter((r) => r.state.fips === c.id && validIn(r, year)).map(toPlaceCounty);
    return { counties, notes: [] };
  }
  let codes: string[];
  let notes: string[] = [];
  if (c.kind === 'county' && !validIn(c.county!, year)) {
    const row = c.county!;
    const carried = carryCodes([row.geoid], year < row.first ? row.first : row.last, year);
    if (carried.dropped.length) {
      const ch = T.changes.find((x) => x.kind === 'created' && x.after.includes(row.geoid))!;
      const parts = ch.before.map((g) => `"${countyName(g, { year })}"`).join(', ');
      throw new InputError({
        file: `place "${query}"`,
        problem: `${countyLabel(row)} (${row.geoid}) has no data in ${year}: ${changeLabel(ch)}`,
        expected: `a county that existed in ${year}`,
        action: `For ${year}, name the counties it came from: ${parts}.`,
      });
    }
    codes = carried.codes;
    notes = codes.length === 1 && codes[0] === row.geoid
      ? [`${countyLabel(row)} (${row.geoid}) was named ${countyName(row.geoid, { year })} in ${year}`]
      : [`${countyLabel(row)} (${row.geoid}) is not a ${year} county code; using ${codes.map((g) => `${countyName(g, { year })} (${g})`).join(', ')}: ${carried.notes.join('; ')}`];
  } else if (c.kind === 'cbsa' && year !== T.tableYear) {
    const carried = carryCodes(c.codes, T.tableYear, year);
    codes = carried.codes;
    notes = carried.notes.map((n) => `${c.typed}, as delineated in July 2023, adjusted to ${year} county codes: ${n}`);
    for (const g of carried.dropped) notes.push(`${countyName(g)} (${g}) did not exist in ${year} and is left out; its area was then in other counties`);
  } else {
    codes = c.codes;
  }
  const counties = codes.map((g) => {
    const r = countyRecord(g, year);
    if (!r) throw new Error(`places.json: no ${year} row for ${g}`);
    return toPlaceCounty(r);
  });
  return { counties, notes };
}

/**
 * The counties of one place in a data year. Matching ignores case, punctuation and diacritics
 * ("dona ana county nm"); a county may be named with or without its type word and with the state's
 * code or name ("Cook, IL", "Cook County, Illinois"); a CBSA by its title, its former (2020) title, its
 * code, "<city> metro", or its first city alone when no county has that name ("Chicago"). Throws an
 * InputError for an unknown or ambiguous name, listing up to 5 places with exactly what to type.
 */
export function resolvePlace(query: string, opts: PlaceOptions = {}): ResolvedPlace {
  const year = opts.year ?? T.tableYear;
  checkYear(query, year);
  if (query.trim() === '') {
    throw new InputError({ file: 'place ""', problem: 'the place is empty', expected: EXPECTED, action: 'Name a place.' });
  }
  const { strong, weak } = match(query, year);
  let found = distinct(strong);
  // An exact CBSA title can still be a county's short name in the same state ("Lincoln, NE"): ask.
  if (found.length && found.every((c) => c.kind === 'cbsa')) found = distinct([...found, ...weak.filter((c) => c.kind === 'county')]);
  if (!found.length) found = distinct(weak);

  if (found.length === 1) {
    const c = found[0];
    const { counties, notes } = countiesFor(c, query, year);
    return { query, kind: c.kind, label: c.kind === 'county' && notes.length ? `${c.label} → ${counties.map((x) => `${x.name}, ${x.stateAbbr}`).join(' + ')}` : c.label, counties, notes };
  }
  if (found.length === 0) {
    const near = closest(query, year, 5);
    throw new InputError({
      file: `place "${query}"`,
      problem: 'no county, state or metro/micro area has this name or code',
      expected: EXPECTED,
      action: near.length ? `Closest: ${near.map((c) => `${howToType(c, query)} for ${describePlace(c)}`).join('; ')}.` : 'Check the spelling.',
    });
  }
  const shown = found.slice(0, 5);
  const more = found.length - shown.length;
  throw new InputError({
    file: `place "${query}"`,
    problem: `the name is ambiguous: it matches ${found.length} places`,
    expected: 'a name that matches one place',
    action: `Type ${shown.map((c) => `${howToType(c, query)} for ${describePlace(c)}`).join('; ')}` +
      (more > 0 ? `; and ${more} more: add the state, as in "${shown[0].typed}"` : '') + '.',
  });
}

/**
 * Several places at once: each resolved (the first failure throws), their counties merged without
 * duplicates and ordered by FIPS code; `places` keeps each query's label and notes.
 */
export function resolvePlaces(queries: readonly string[], opts: PlaceOptions = {}): { places: ResolvedPlace[]; counties: PlaceCounty[] } {
  const places = queries.map((q) => resolvePlace(q, opts));
  const byGeoid = new Map<string, PlaceCounty>();
  for (const p of places) for (const c of p.counties) byGeoid.set(c.state + c.county, c);
  const counties = [...byGeoid].sort((a, b) => a[0].localeCompare(b[0])).map(([, c]) => c);
  return { places, counties };
}
