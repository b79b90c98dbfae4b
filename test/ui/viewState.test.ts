import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseViewState, viewStateSearch, type ViewState } from '../../src/ui/viewState';
import { addressProblem } from '../../src/data/limits';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
      data: 'bundles/chicago/',
      year: 2000,
      scheme: { kind: 'custom', unit: 'ami', cuts: [0.5, 0.8, 1.2] },
      ami: { kind: 'typed', dollars: 70400, source: 'typed by the user' },
      minHouseholds: 50,
      colorBy: { kind: 'share', group: 1 },
      tract: '17031010100',
      view: { lng: -87.65, lat: 41.9, zoom: 11.5 },
      tab: 'table',
      basemap: 'streets',
      mode: 'change',
      from: 2000,
      to: 2018,
      lenient: true,
      definition: 'ncrc',
      hiddenFlags: ['income_upgrading', 'stable_mixed'],
      thresholds: { minRealGrowth: 0.2, maxLowIncomeShareDrop: 0.1, regionGrowth: 'tract-median', requireLowIncomeLoss: true, excludeBoundaryChanged: true },
      selection: ['17031010100', '08031000201', '110010001002'],
      where: 'class=high and county=17031',
      selectionOnly: true,
      areas: 'fill',
      areaRule: 'centroid',
      area: 'West, side & co',
      points: ['assets.clinic', 'assets.library', 'libs.a.b,c %d'].sort(),
    };
    expect(parseViewState(viewStateSearch(state))).toEqual(state);
  });
  it('is empty for the default view and falls back to defaults on nonsense', () => {
    expect(viewStateSearch(DEFAULT_VIEW)).toBe('');
    expect(parseViewState('?scheme=bogus&ami=-3&min=x&color=nope&view=1,2')).toEqual(DEFAULT_VIEW);
    expect(parseViewState('?hide=stable_mixed,bogus').hiddenFlags).toEqual(['stable_mixed']);
    expect(parseViewState('?ami=tract-median&scheme=quintile5').ami).toEqual({ kind: 'tract-median' });
    // GEOIDs that are not 11 (tract) or 12 (block group) digits are dropped, repeats kept once
    expect(parseViewState('?sel=17031010100,abc,1703,17031010100,08031000201').selection).toEqual(['17031010100', '08031000201']);
  });
});

describe('layers in the URL (issue 12)', () => {
  it('writes areas, rule, area and point categories as readable parameters', () => {
    const search = viewStateSearch({ ...DEFAULT_VIEW, areas: 'outline', areaRule: 'centroid', area: 'Elm Park', points: ['assets.school', 'assets.library'] });
    expect(new URLSearchParams(search).get('areas')).toBe('outline');
    expect(new URLSearchParams(search).get('arule')).toBe('centroid');
    expect(new URLSearchParams(search).get('area')).toBe('Elm Park');
    expect(new URLSearchParams(search).get('pts')).toBe('assets.library,assets.school');
  });
  it.each([
    ['areas=bogus', 'areas', 'off'],
    ['areas=off', 'areas', 'off'],
    ['arule=nearest', 'areaRule', 'share'],
    [`area=${'x'.repeat(201)}`, 'area', null],
    ['pts=1bad.x,ok.%E0%A4%A,ok.fine,noDot', 'points', ['ok.fine']],
  ] as const)('?%s → %s %j', (search, key, value) => {
    expect(parseViewState(`?${search}`)[key]).toEqual(value);
  });
  it('reads back from its own link whatever the order or escapes of pts', () => {
    const state = parseViewState('?pts=b.x,a.%41,a.y,b.x');
    expect(state.points).toEqual(['a.A', 'a.y', 'b.x']);
    expect(parseViewState(viewStateSearch(state))).toEqual(state);
  });
  it('keeps at most 200 point categories', () => {
    const many = Array.from({ length: 500 }, (_, i) => `l.c${i}`).join(',');
    expect(parseViewState(`?pts=${many}`).points).toHaveLength(200);
  });
});

describe('every URL parameter is bounded (issue 9)', () => {
  it('5,000 cut points fall back to the default scheme at once', () => {
    const cuts = 'ami:' + Array.from({ length: 5000 }, (_, i) => (i + 1) / 1000).join(',');
    expect(parseViewState(`?scheme=custom&cuts=${cuts}`).scheme).toEqual({ kind: 'ami6' });
  });
  it('20 ascending cut points are kept; descending, NaN or out-of-range ones are not', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => (i + 1) / 10);
    expect(parseViewState(`?scheme=custom&cuts=ami:${twenty.join(',')}`).scheme).toEqual({ kind: 'custom', unit: 'ami', cuts: twenty, dollarYear: undefined });
    for (const bad of ['ami:0.8,0.5', 'ami:0.5,NaN', 'ami:0,0.5', 'ami:1e308', 'dollars:-5,10', 'dollars0001:1000']) {
      expect(parseViewState(`?scheme=custom&cuts=${bad}`).scheme).toEqual({ kind: 'ami6' });
    }
  });
  it.each([
    ['view=0,91,3', 'view', null],
    ['view=-200,40,3', 'view', null],
    ['view=-87.6,41.9,99', 'view', null],
    ['view=-87.6,85.0511,2', 'view', { lng: -87.6, lat: 85.0511, zoom: 2 }],
    ['ami=1e308', 'ami', { kind: 'auto' }],
    ['ami=500', 'ami', { kind: 'auto' }],
    ['min=-1', 'minHouseholds', 100],
    ['min=1e9', 'minHouseholds', 100],
    ['year=99999', 'year', null],
    ['year=2018.5', 'year', null],
    ['from=-2000', 'from', null],
    ['tract=<img src=x>', 'tract', null],
    ['tract=17031010100', 'tract', '17031010100'],
    ['color=share99999', 'colorBy', { kind: 'class' }],
    ['growth=1e308', 'thresholds', {}],
    ['lidrop=-1', 'thresholds', {}],
  ] as const)('?%s → %s %j', (search, key, value) => {
    expect(parseViewState(`?${search}`)[key]).toEqual(value);
  });
  it('addresses longer than 2,000 characters are dropped', () => {
    expect(parseViewState(`?data=${'a'.repeat(2001)}`).data).toBeNull();
    expect(parseViewState(`?basemap=${'a'.repeat(2001)}`).basemap).toBeNull();
  });
});

describe('addressProblem', () => {
  it.each(['javascript:alert(1)', 'data:application/json,{}', 'file:///etc/passwd', ' JavaScript:alert(1)', 'blob:x'])('refuses %j', (a) => {
    expect(addressProblem(a)).toMatch(/addresses are not loaded \(only http, https or a path on this site\)/);
  });
  it.each(['bundles/chicago/', '/data/x/', 'https://example.org/b/', 'http://127.0.0.1:8080/b'])('accepts %j', (a) => {
    expect(addressProblem(a)).toBeNull();
  });
});
