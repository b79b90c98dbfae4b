/**
 * Which datasets go to the change worker before the change view is opened: all but large ones
 * (their copy there would hold ~65 MB at 85,000 tracts and two years, issue 10).
 */
import { describe, expect, it, vi } from 'vitest';

// The runner reads the page's query at import (a test build's `?analysis-on-main-thread`): a page without one.
vi.stubGlobal('window', { location: { search: '' } });
const { SHARE_AHEAD_MAX_UNITS, sharedAhead } = await import('../../src/ui/changeRunner');

const years = (...sizes: number[]) => ({ years: sizes.map((n) => ({ table: { units: new Array(n) } })) }) as never;

describe('sharedAhead', () => {
  it('counts the units of every year against 40,000', () => {
    expect(SHARE_AHEAD_MAX_UNITS).toBe(40_000);
    // Chicago's 1,985 tracts in two years; 10,000 tracts in two years; 20,000 + 20,001.
    expect([sharedAhead(years(1985, 1985)), sharedAhead(years(10_000, 10_000)), sharedAhead(years(20_000, 20_000)), sharedAhead(years(20_000, 20_001))]).toEqual([true, true, true, false]);
    // The national scale set: 85,000 tracts in two years.
    expect(sharedAhead(years(85_000, 85_000))).toBe(false);
    // A year without a table (boundaries only) counts nothing.
    expect(sharedAhead({ years: [{ table: null }, { table: { units: new Array(40_000) } }] } as never)).toBe(true);
  });
});
