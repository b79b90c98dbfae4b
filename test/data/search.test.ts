/** Search in the loaded data (offline) and the geocoder's answer format. */
import { describe, expect, it } from 'vitest';
import { searchLoaded } from '../../src/data/search';
import { readNominatim } from '../../src/data/geocoder';

const tracts = [
  { geoid: '17031839100', label: 'Census Tract 8391, Cook County, IL' },
  { geoid: '17031010201', label: 'Census Tract 102.01, Cook County, IL' },
  { geoid: '17043839100', label: 'Census Tract 8391, DuPage County, IL' },
  { geoid: '06037101110', label: 'Census Tract 1011.10, Los Angeles County, CA' },
  { geoid: '99001000300', label: 'Riverside Flats' },
];
const counties = [
  { code: '17031', label: 'Cook County, IL' },
  { code: '17043', label: 'DuPage County, IL' },
  { code: '06037', label: 'Los Angeles County, CA' },
];
const ids = (q: string) => searchLoaded(q, tracts, counties).map((r) => (r.kind === 'tract' ? r.geoid : `county ${r.code}`));

describe('searchLoaded', () => {
  it('finds a GEOID, with or without the leading zero a spreadsheet dropped', () => {
    expect(ids('17031839100')).toEqual(['17031839100']);
    expect(ids('6037101110')).toEqual(['06037101110']);
    expect(ids('1400000US06037101110')).toEqual(['06037101110']);
  });
  it('finds a tract number in every county, narrowed by a county word', () => {
    expect(ids('8391')).toEqual(['17031839100', '17043839100']);
    expect(ids('Census Tract 8391')).toEqual(['17031839100', '17043839100']);
    expect(ids('tract 8391 dupage')).toEqual(['17043839100']);
    expect(ids('102.01')).toEqual(['17031010201']);
    expect(ids('1011.1')).toEqual(['06037101110']);
    expect(ids('8391.00')).toEqual(['17031839100', '17043839100']);
    // An address that starts with a number is not a tract number unless its words match.
    expect(ids('8391 South Main Street')).toEqual([]);
  });
  it('finds a county by name or code, and a named tract by its name', () => {
    expect(ids('cook')).toEqual(['county 17031']);
    expect(ids('Cook County')).toEqual(['county 17031']);
    expect(ids('los angeles')).toEqual(['county 06037']);
    expect(ids('6037')).toEqual(['county 06037']);
    expect(ids('riverside')).toEqual(['99001000300']);
    expect(ids('nowhere')).toEqual([]);
  });
});

describe('readNominatim', () => {
  it('reads lat/lon strings and turns [south, north, west, east] into [west, south, east, north]', () => {
    const r = readNominatim([{ display_name: '233 South Wacker Drive, Chicago, IL', lat: '41.8788', lon: '-87.6359', boundingbox: ['41.8783', '41.8793', '-87.6364', '-87.6354'] }]);
    expect(r).toEqual([{ label: '233 South Wacker Drive, Chicago, IL', lat: 41.8788, lng: -87.6359, bbox: [-87.6364, 41.8783, -87.6354, 41.8793] }]);
    expect(() => readNominatim({ error: 'x' })).toThrow(/list of places/);
  });
});
