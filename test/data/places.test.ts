import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import table from '../../data/places/places.json';
import { InputError } from '../../src/data/errors';
import { countiesInYear, countyName, resolvePlace, resolvePlaces, type ResolvedPlace } from '../../src/data/places';

const geoids = (p: ResolvedPlace) => p.counties.map((c) => c.state + c.county);
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
};

// Known answers, read off the Census source files (list1_2023 CSV, 2023 and 2018 gazetteers) and the
// Census Bureau's published county counts, not computed by the code under test.
const CHICAGO_2023 = ['17031', '17037', '17043', '17063', '17089', '17093', '17097', '17111', '17197', '18073', '18089', '18111', '18127'];
const DENVER_2023 = ['08001', '08005', '08014', '08019', '08031', '08035', '08039', '08047', '08059', '08093'];
const LYNCHBURG_2023 = ['51009', '51011', '51019', '51031', '51680'];
const CT_COUNTIES = ['09001', '09003', '09005', '09007', '09009', '09011', '09013', '09015'];
const CT_REGIONS = ['09110', '09120', '09130', '09140', '09150', '09160', '09170', '09180', '09190'];
/** Counties and equivalents in the 50 states and DC (Census Bureau figures), and Puerto Rico's 78 municipios. */
const PUBLISHED = { 2000: 3141, 2010: 3143, 2020: 3143, 2022: 3144 } as const;

describe('place table contents (data/places/places.json)', () => {
  it.each(Object.entries(PUBLISHED))('%s: %i counties in the 50 states + DC, 78 in Puerto Rico', (year, n) => {
    const all = countiesInYear(Number(year));
    expect(all.filter((c) => c.state !== '72')).toHaveLength(n);
    expect(all.filter((c) => c.state === '72')).toHaveLength(78);
  });

  it('has the 935 CBSAs of the July 2023 delineation: 393 metropolitan, 542 micropolitan', () => {
    expect(table.cbsas).toHaveLength(935);
    expect(table.cbsas.filter((c) => c[2] === 'metro')).toHaveLength(393);
    expect(table.cbsas.filter((c) => c[2] === 'micro')).toHaveLength(542);
  });

  it('has 52 states: 50, DC and Puerto Rico', () => {
    expect(table.states).toHaveLength(52);
    expect(table.states.map((s) => s[1])).toEqual(expect.arrayContaining(['DC', 'PR', 'IL', 'AK', 'WY']));
  });
});

describe('resolvePlace: known answers', () => {
  it('Cook County, IL is 17031 and Denver County is 08031', () => {
    expect(resolvePlace('Cook County, IL')).toMatchObject({
      kind: 'county', label: 'Cook County, IL',
      counties: [{ state: '17', county: '031', name: 'Cook County', stateAbbr: 'IL' }],
    });
    expect(geoids(resolvePlace('Denver County, CO'))).toEqual(['08031']);
  });

  it('the Chicago CBSA 16980 (July 2023) has 13 counties, Lake IN among them; Kenosha WI left for its own MSA in 2023', () => {
    const chicago = resolvePlace('16980');
    expect(chicago.kind).toBe('cbsa');
    expect(chicago.label).toBe('Chicago-Naperville-Elgin, IL-IN (metro area 16980)');
    expect(geoids(chicago)).toEqual(CHICAGO_2023);
    expect(geoids(resolvePlace('Kenosha, WI metro'))).toEqual(['55059']);
  });

  it('the Denver-Aurora-Centennial CBSA 19740 has 10 counties', () => {
    expect(geoids(resolvePlace('Denver-Aurora-Centennial, CO'))).toEqual(DENVER_2023);
  });

  it('Colorado has 64 counties (63 before Broomfield), Illinois 102', () => {
    expect(resolvePlace('Colorado').counties).toHaveLength(64);
    expect(resolvePlace('CO', { year: 2000 }).counties).toHaveLength(63);
    expect(resolvePlace('IL').counties).toHaveLength(102);
  });

  it.each([
    'Cook County, IL', 'Cook, IL', 'Cook County, Illinois', 'cook county il', 'COOK COUNTY  IL', '17031', 'Cook, Illinois',
  ])('%j → Cook County, IL', (q) => {
    expect(geoids(resolvePlace(q))).toEqual(['17031']);
  });

  it.each(['IL', 'Illinois', 'illinois', '17'])('%j → the state of Illinois', (q) => {
    const p = resolvePlace(q);
    expect(p.kind).toBe('state');
    expect(p.label).toBe('Illinois');
  });

  it.each([
    '16980', 'Chicago metro', 'Chicago metro area', 'Chicago', 'Chicago-Naperville-Elgin, IL-IN',
    'Chicago-Naperville-Elgin, IL-IN-WI', // the March 2020 title
    'chicago naperville elgin il in', 'Naperville metro',
  ])('%j → CBSA 16980', (q) => {
    const p = resolvePlace(q);
    expect(p.kind).toBe('cbsa');
    expect(geoids(p)).toEqual(CHICAGO_2023);
  });

  it('ignores diacritics and punctuation, and reads "Saint" as "St."', () => {
    expect(geoids(resolvePlace('Dona Ana County, NM'))).toEqual(['35013']);
    expect(geoids(resolvePlace('doña ana nm'))).toEqual(['35013']);
    expect(resolvePlace('Doña Ana County, New Mexico').counties[0].name).toBe('Doña Ana County');
    expect(geoids(resolvePlace('Saint Louis city, MO'))).toEqual(['29510']);
    expect(geoids(resolvePlace('St. Louis County, Missouri'))).toEqual(['29189']);
    expect(geoids(resolvePlace('Prince George’s County, MD'))).toEqual(['24033']);
  });

  it('reads county-equivalent names of every type', () => {
    expect(geoids(resolvePlace('Baltimore city, MD'))).toEqual(['24510']);
    expect(geoids(resolvePlace('Anchorage Municipality, AK'))).toEqual(['02020']);
    expect(geoids(resolvePlace('Bethel Census Area, AK'))).toEqual(['02050']); // "Area" is not a metro word here
    expect(geoids(resolvePlace('Juneau, AK', { year: 2020 }))).not.toHaveLength(0);
    expect(geoids(resolvePlace('Orleans Parish, LA'))).toEqual(['22071']);
    expect(geoids(resolvePlace('San Juan Municipio, PR'))).toEqual(['72127']);
    expect(geoids(resolvePlace('District of Columbia'))).toEqual(['11001']);
  });

  it('knows the common names of DC and of New York City\'s boroughs', () => {
    expect(geoids(resolvePlace('Brooklyn, NY'))).toEqual(['36047']);
    expect(geoids(resolvePlace('Manhattan, NY'))).toEqual(['36061']);
    expect(messageOf(() => resolvePlace('Manhattan'))).toContain('"Manhattan, KS" (or 31740)');
    expect(geoids(resolvePlace('Staten Island, New York'))).toEqual(['36085']);
    // "Washington, DC" is the District or its metro area: ask.
    const m = messageOf(() => resolvePlace('Washington, DC'));
    expect(m).toContain('"District of Columbia, DC" (or 11001)');
    expect(m).toContain('"Washington-Arlington-Alexandria, DC-VA-MD-WV" (or 47900)');
  });

  it('a state name wins over counties and CBSAs named after it', () => {
    expect(resolvePlace('Washington').kind).toBe('state');
    expect(resolvePlace('New York').label).toBe('New York');
  });
});

describe('resolvePlace: errors', () => {
  it('"Denver" is ambiguous: the county and the metro area, each with what to type', () => {
    const m = messageOf(() => resolvePlace('Denver'));
    expect(m).toMatch(/ambiguous/);
    expect(m).toContain('"Denver County, CO" (or 08031)');
    expect(m).toContain('"Denver-Aurora-Centennial, CO" (or 19740)');
  });

  it('"Cok County, IL" suggests Cook County, IL first', () => {
    const m = messageOf(() => resolvePlace('Cok County, IL'));
    expect(m).toMatch(/^place "Cok County, IL": no county, state or metro\/micro area/);
    expect(m).toMatch(/Closest: "Cook County, IL" \(or 17031\)/);
    expect(m.match(/ for /g)).toHaveLength(5);
  });

  it('a CBSA title that is also a county short name offers "<title> metro", not the same text again', () => {
    const m = messageOf(() => resolvePlace('Lincoln, NE'));
    expect(m).toContain('"Lincoln County, NE" (or 31111)');
    expect(m).toContain('"Lincoln, NE metro" (or 30700)');
    expect(resolvePlace('Lincoln, NE metro').kind).toBe('cbsa');
  });

  it('a county name in many states lists 5 and says how many more', () => {
    const m = messageOf(() => resolvePlace('Washington County'));
    expect(m).toMatch(/matches 30 places/);
    expect(m).toMatch(/and 25 more: add the state/);
  });

  it('refuses years before 2000, empty places and unknown codes', () => {
    expect(messageOf(() => resolvePlace('IL', { year: 1990 }))).toMatch(/1990 is outside the place table; expected a whole year from 2000 on/);
    expect(messageOf(() => resolvePlace('  '))).toMatch(/empty/);
    expect(messageOf(() => resolvePlace('99999'))).toMatch(/no county, state or metro/);
  });
});

describe('county changes across data years', () => {
  it('Shannon County SD (46113) became Oglala Lakota County (46102) in 2015', () => {
    expect(geoids(resolvePlace('Shannon County, SD', { year: 2014 }))).toEqual(['46113']);
    const later = resolvePlace('Shannon County, SD', { year: 2020 });
    expect(geoids(later)).toEqual(['46102']);
    expect(later.notes.join()).toMatch(/renamed Oglala Lakota County/);
    expect(geoids(resolvePlace('Oglala Lakota County, SD', { year: 2010 }))).toEqual(['46113']);
    expect(geoids(resolvePlace('SD', { year: 2014 }))).toContain('46113');
    expect(geoids(resolvePlace('SD', { year: 2015 }))).toContain('46102');
  });

  it('Wade Hampton AK (02270) became Kusilvak (02158) in 2015', () => {
    expect(geoids(resolvePlace('Wade Hampton Census Area, AK', { year: 2012 }))).toEqual(['02270']);
    expect(geoids(resolvePlace('02270', { year: 2016 }))).toEqual(['02158']);
    expect(geoids(resolvePlace('Kusilvak Census Area, AK', { year: 2012 }))).toEqual(['02270']);
  });

  it('Bedford city VA (51515) merged into Bedford County (51019) in 2013: separate through data year 2013', () => {
    expect(geoids(resolvePlace('Bedford city, VA', { year: 2013 }))).toEqual(['51515']);
    expect(geoids(resolvePlace('Bedford city, VA', { year: 2014 }))).toEqual(['51019']);
    // The Lynchburg CBSA covers Bedford County, so before the merger it also covers Bedford city.
    expect(geoids(resolvePlace('31340', { year: 2013 }))).toEqual(['51009', '51011', '51019', '51031', '51515', '51680']);
    expect(geoids(resolvePlace('31340', { year: 2014 }))).toEqual(LYNCHBURG_2023);
  });

  it('Valdez-Cordova AK (02261) split into 02063 and 02066 on January 2, 2019: data year 2020 is the first without it', () => {
    expect(geoids(resolvePlace('Valdez-Cordova Census Area, AK', { year: 2019 }))).toEqual(['02261']);
    expect(geoids(resolvePlace('Valdez-Cordova Census Area, AK', { year: 2020 }))).toEqual(['02063', '02066']);
    expect(geoids(resolvePlace('Copper River Census Area, AK', { year: 2019 }))).toEqual(['02261']);
  });

  it("Connecticut: 8 counties through 2021, 9 planning regions from ACS 2022", () => {
    expect(geoids(resolvePlace('CT', { year: 2021 }))).toEqual(CT_COUNTIES);
    expect(geoids(resolvePlace('CT', { year: 2022 }))).toEqual(CT_REGIONS);
    expect(geoids(resolvePlace('Hartford County, CT', { year: 2020 }))).toEqual(['09003']);
    // Hartford County's towns lie in the Capitol, Naugatuck Valley and Northwest Hills planning regions.
    const later = resolvePlace('Hartford County, CT', { year: 2022 });
    expect(geoids(later)).toEqual(['09110', '09140', '09160']);
    expect(later.notes.join()).toMatch(/cover more than the counties/);
    // The Hartford CBSA (Capitol + Lower Connecticut River Valley) on legacy counties: Hartford, Tolland, Middlesex, New London.
    expect(geoids(resolvePlace('25540', { year: 2020 }))).toEqual(['09003', '09007', '09011', '09013']);
  });

  it('Broomfield CO (08014) has data from 2002: before, the county is refused and the Denver CBSA leaves it out', () => {
    const m = messageOf(() => resolvePlace('Broomfield County, CO', { year: 2001 }));
    expect(m).toMatch(/has no data in 2001/);
    expect(m).toContain('"Adams County, CO", "Boulder County, CO", "Jefferson County, CO", "Weld County, CO"');
    const denver2000 = resolvePlace('19740', { year: 2000 });
    expect(geoids(denver2000)).toEqual(DENVER_2023.filter((g) => g !== '08014'));
    expect(denver2000.notes.join()).toMatch(/Broomfield/);
    expect(geoids(resolvePlace('Broomfield County, CO', { year: 2002 }))).toEqual(['08014']);
  });

  it('Clifton Forge city VA (51560) is a county equivalent in 2000 and 2001 only', () => {
    expect(geoids(resolvePlace('Clifton Forge city, VA', { year: 2000 }))).toEqual(['51560']);
    expect(geoids(resolvePlace('Clifton Forge city, VA', { year: 2002 }))).toEqual(['51005']);
  });

  it('Petersburg AK keeps its code 02195 but was a census area until 2013', () => {
    expect(countyName('02195', { year: 2010 })).toBe('Petersburg Census Area, AK');
    expect(countyName('02195')).toBe('Petersburg Borough, AK');
    expect(geoids(resolvePlace('Petersburg Borough, AK', { year: 2010 }))).toEqual(['02195']);
  });
});

describe('countyName and resolvePlaces', () => {
  it('names counties by code or by any GEOID that starts with one', () => {
    expect(countyName('17031')).toBe('Cook County, IL');
    expect(countyName('17031010100')).toBe('Cook County, IL');
    expect(countyName('46113')).toBe('Shannon County, SD');
    expect(countyName('99999')).toBeUndefined();
  });

  it('merges places without duplicates and keeps each label', () => {
    const r = resolvePlaces(['Cook County, IL', 'Chicago metro', 'IL']);
    expect(r.places.map((p) => p.label)).toEqual(['Cook County, IL', 'Chicago-Naperville-Elgin, IL-IN (metro area 16980)', 'Illinois']);
    // Illinois' 102 counties and the 4 Indiana counties of the Chicago CBSA.
    expect(r.counties).toHaveLength(106);
    expect(r.counties.filter((c) => c.state === '18').map((c) => c.county)).toEqual(['073', '089', '111', '127']);
  });

  it('stops at the first place it cannot resolve', () => {
    expect(() => resolvePlaces(['Cook County, IL', 'Nowhere County, ZZ'])).toThrow(InputError);
  });
});

describe('properties', () => {
  const years = [2000, 2001, 2002, 2008, 2009, 2013, 2014, 2015, 2019, 2020, 2021, 2022, 2023, 2030];

  it('every county\'s "Name, ST" resolves to itself, in every year it is valid', () => {
    for (const year of years) {
      for (const c of countiesInYear(year)) {
        const p = resolvePlace(`${c.name}, ${c.stateAbbr}`, { year });
        expect(p.kind, `${c.name}, ${c.stateAbbr} in ${year}`).toBe('county');
        expect(p.counties, `${c.name}, ${c.stateAbbr} in ${year}`).toEqual([c]);
      }
    }
  });

  it('a county resolves whatever the case and spacing', () => {
    const all = countiesInYear();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }), (i, upper) => {
        const c = all[i];
        const text = `${c.name} ${c.stateAbbr}`.split('').map((ch, k) => (upper[k % 80] ? ch.toUpperCase() : ch.toLowerCase())).join('');
        expect(resolvePlace(`  ${text.replace(/ /g, '  ')} `).counties).toEqual([c]);
      }),
      { numRuns: 300 },
    );
  });

  it('every CBSA code, and its title with "metro", resolves to its component counties (July 2023)', () => {
    for (const [code, title, , counties] of table.cbsas as [string, string, string, string[]][]) {
      expect(geoids(resolvePlace(code))).toEqual(counties);
      expect(geoids(resolvePlace(`${title} metro`))).toEqual(counties);
    }
  });

  it('a CBSA title alone resolves to its counties unless a county of the same name in its states covers other counties', () => {
    const ambiguous: string[] = [];
    for (const [, title, , counties] of table.cbsas as [string, string, string, string[]][]) {
      try {
        expect(geoids(resolvePlace(title))).toEqual(counties);
      } catch (e) {
        expect((e as Error).message).toMatch(/ambiguous: it matches [23] places/);
        ambiguous.push(title);
      }
    }
    // Single-county CBSAs named for their county resolve (to the county); e.g. "Pueblo, CO".
    expect(resolvePlace('Pueblo, CO').counties.map((c) => c.state + c.county)).toEqual(['08101']);
    expect(ambiguous).toContain('Lincoln, NE');
    expect(ambiguous).toContain('Anchorage, AK');
    expect(ambiguous).not.toContain('Chicago-Naperville-Elgin, IL-IN');
  });

  it("every year's states partition the year's counties", () => {
    for (const year of years) {
      const seen = new Map<string, string>();
      for (const [fips, abbr] of table.states) {
        const state = resolvePlace(abbr, { year });
        for (const c of state.counties) {
          expect(c.state).toBe(fips);
          expect(seen.has(c.state + c.county), `${c.state}${c.county} in two states`).toBe(false);
          seen.set(c.state + c.county, abbr);
        }
      }
      expect([...seen.keys()].sort()).toEqual(countiesInYear(year).map((c) => c.state + c.county).sort());
    }
  });

  it('resolvePlaces is the union of its places, in any order', () => {
    const queries = ['Cook County, IL', 'Chicago metro', 'WI', 'Denver County, CO', '19740', 'Lake County, IN', 'Kenosha, WI metro'];
    fc.assert(
      fc.property(fc.shuffledSubarray(queries, { minLength: 1 }), (qs) => {
        const r = resolvePlaces(qs);
        const union = new Set(qs.flatMap((q) => geoids(resolvePlace(q))));
        expect(r.counties.map((c) => c.state + c.county)).toEqual([...union].sort());
      }),
      { numRuns: 50 },
    );
  });
});

describe('browser safety', () => {
  it('src/data/places.ts imports nothing from node', () => {
    const source = readFileSync(new URL('../../src/data/places.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1]);
    expect(imports).toEqual(['../../data/places/places.json', './errors']);
  });
});
