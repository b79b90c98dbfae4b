import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseViewState, viewStateSearch, type ViewState } from '../../src/ui/viewState';

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
    };
    expect(parseViewState(viewStateSearch(state))).toEqual(state);
  });
  it('is empty for the default view and falls back to defaults on nonsense', () => {
    expect(viewStateSearch(DEFAULT_VIEW)).toBe('');
    expect(parseViewState('?scheme=bogus&ami=-3&min=x&color=nope&view=1,2')).toEqual(DEFAULT_VIEW);
    expect(parseViewState('?hide=stable_mixed,bogus').hiddenFlags).toEqual(['stable_mixed']);
    expect(parseViewState('?ami=tract-median&scheme=quintile5').ami).toEqual({ kind: 'tract-median' });
  });
});
