/** One bad id re-keys nothing (issue 9): each row's unit comes from its own id, a mixed file says so. */
import { describe, expect, it } from 'vitest';
import { readIncomeTable } from '../../src/data/income';
import { readBoundaries } from '../../src/data/boundaries';

const enc = new TextEncoder();
const UPPERS = [10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 75000, 100000, 125000, 150000, 200000, 201000];
const tractIds = Array.from({ length: 39 }, (_, i) => `080310001${String(i).padStart(2, '0')}`);

describe('income files', () => {
  it('one 12-digit id among 39 tracts: 39 tracts unchanged, the block group rejected, the mix named', () => {
    const rows = [...tractIds, '080310002001'].map((id) => [id, '160', ...UPPERS.map(() => '10')].join(','));
    const text = [['GEOID', 'hh_18', ...UPPERS.map((u) => `I_${u}_18`)].join(','), ...rows].join('\n');
    const t = readIncomeTable({ name: 'denver_2018.csv', bytes: enc.encode(text) });
    expect(t.unitKind).toBe('tract');
    expect(t.units.map((u) => u.geoid)).toEqual(tractIds);
    expect(t.repairedIds).toEqual([]);
    expect(t.rejected).toEqual([{ row: 41, column: 'GEOID', reason: '"080310002001" is a block group id, but the file holds tracts (a mixed file: this row is left out)' }]);
    expect(t.warnings).toContain('denver_2018.csv mixes tracts and block groups: read as tracts (39 ids); its 1 block groups are rejected');
  });
  it('a data.census.gov file whose last row is a block group is read as tracts', () => {
    const est = Array.from({ length: 17 }, (_, i) => `B19001_${String(i + 1).padStart(3, '0')}E`);
    const rows = [...tractIds.map((id) => `1400000US${id}`), '1500000US080310002001'].map((g) => [g, '"Tract, Denver"', '160', ...Array(16).fill('10')].join(','));
    const text = [['GEO_ID', 'NAME', ...est].join(','), ['Geography', 'Geographic Area Name', ...est.map((e) => `Estimate!!${e}`)].join(','), ...rows].join('\n');
    const t = readIncomeTable({ name: 'ACSDT5Y2018.B19001-Data.csv', bytes: enc.encode(text) });
    expect(t.unitKind).toBe('tract');
    expect(t.units.map((u) => u.geoid)).toEqual(tractIds);
    expect(t.rejected.map((r) => r.row)).toEqual([42]);
    expect(t.rowsRead).toBe(40);
  });
  it('a file of block groups that lost their zeros, declared by the API geography, keeps its units', () => {
    const header = ['NAME', 'B19001_001E', ...Array.from({ length: 16 }, (_, i) => `B19001_${String(i + 2).padStart(3, '0')}E`), 'state', 'county', 'tract', 'block group'];
    const json = JSON.stringify([header, ['x', '16', ...Array(16).fill('1'), '8', '31', '100', '1'], ['y', '16', ...Array(16).fill('1'), '8', '31', '100', '2']]);
    const t = readIncomeTable({ name: 'bg.json', bytes: enc.encode(json) }, { year: 2018 });
    expect(t.unitKind).toBe('block group');
    expect(t.units.map((u) => u.geoid)).toEqual(['080310001001', '080310001002']);
  });
});

describe('boundary files', () => {
  it('one block-group feature among tracts: tracts keep their ids, the feature is rejected, the mix named', async () => {
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 39], [x + 0.01, 39], [x + 0.01, 39.01], [x, 39.01], [x, 39]]] });
    const features = [...tractIds.slice(0, 5), '080310002001'].map((GEOID, i) => ({ type: 'Feature', properties: { GEOID }, geometry: square(-105 + i * 0.02) }));
    const b = await readBoundaries([{ name: 'tracts.geojson', bytes: enc.encode(JSON.stringify({ type: 'FeatureCollection', features })) }]);
    expect(b.unitKind).toBe('tract');
    expect(b.features.map((f) => f.properties.GEOID)).toEqual(tractIds.slice(0, 5));
    expect(b.rejected).toEqual([{ row: 6, geoid: '080310002001', column: 'GEOID', reason: expect.stringMatching(/block group id, but the file holds tracts/) }]);
    expect(b.warnings).toEqual(['tracts.geojson mixes tracts and block groups: read as tracts (5 ids); its 1 block groups are rejected']);
  });
});

describe('the report after block groups are summed to tracts', () => {
  it('counts rows, not tracts: read = usable + rejected', async () => {
    const { aggregateToTracts } = await import('../../src/data/income');
    const { joinReport, formatJoinReport } = await import('../../src/data/join');
    const header = ['NAME', ...Array.from({ length: 17 }, (_, i) => `B19001_${String(i + 1).padStart(3, '0')}E`), 'state', 'county', 'tract', 'block group'];
    const bg = (tract: string, n: string, total = '16') => ['x', total, ...Array(16).fill('1'), '08', '031', tract, n];
    const json = JSON.stringify([header, bg('000100', '1'), bg('000100', '2'), bg('000200', '1'), bg('000200', '2', '17')]);
    const t = aggregateToTracts(readIncomeTable({ name: 'bg.json', bytes: enc.encode(json) }, { year: 2018 }));
    expect(t.units.map((u) => u.geoid)).toEqual(['08031000100', '08031000200']);
    expect(formatJoinReport(joinReport(t, null))[0]).toBe('income: bg.json: 4 rows read, 3 usable, 1 rejected');
  });
});
