/**
 * Fuzz of the app's URL parameters (issue 9): any query string gives a bounded view state at
 * once, never an exception, and the state survives its own link.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MIN_HOUSEHOLDS } from '../../src/core/entropy';
import { OPTION_LIMITS, addressProblem } from '../../src/data/limits';
import { parseViewState, viewStateSearch } from '../../src/ui/viewState';
import { SEED } from './harness';

const KEYS = ['data', 'year', 'scheme', 'cuts', 'ami', 'min', 'color', 'tract', 'view', 'tab', 'basemap', 'mode', 'from', 'to', 'lenient', 'definition', 'growth', 'lidrop', 'region', 'liloss', 'nobc', 'areas', 'arule', 'area', 'pts'];
const hostile = fc.constantFrom(
  '-5', '1e308', 'NaN', 'Infinity', '', '0', '-0', '99999999', '2018', '2018.5', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '../../etc/passwd', 'custom', 'quintile5', 'ami:0.5,0.8,1.2', 'ami:0.8,0.5', `ami:${Array.from({ length: 5000 }, (_, i) => i / 1000).join(',')}`, 'dollars1999:20000,50000',
  '0,91,3', '-200,40,5', '-87.6,41.9,11', '1,2', 'share3', 'share99999', 'change', 'table', '1', 'tract-median', 'a'.repeat(3000), '%00', '\u202e',
  'fill', 'outline', 'centroid', 'Elm Park', 'assets.library,assets.school', 'b.z,a.%41,a.%E0%A4,x.y', `${Array.from({ length: 400 }, (_, i) => `l.c${i}`).join(',')}`,
);
const query = fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(hostile, fc.string({ maxLength: 30 }))), { maxLength: 10 }).map((pairs) => '?' + pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));

describe('fuzz: URL parameters', () => {
  it('any query string: a bounded state, and the state is its own link', () => {
    fc.assert(
      fc.property(fc.oneof(query, fc.string({ maxLength: 200 })), (search) => {
        const s = parseViewState(search);
        if (s.scheme.kind === 'custom') {
          expect(s.scheme.cuts.length).toBeLessThanOrEqual(OPTION_LIMITS.cuts);
          s.scheme.cuts.forEach((c, i) => {
            expect(Number.isFinite(c)).toBe(true);
            if (i > 0) expect(c).toBeGreaterThan(s.scheme.kind === 'custom' ? s.scheme.cuts[i - 1] : 0);
          });
        }
        if (s.view) {
          expect(Math.abs(s.view.lat)).toBeLessThanOrEqual(85.0511);
          expect(Math.abs(s.view.lng)).toBeLessThanOrEqual(180);
        }
        if (s.ami.kind === 'typed') expect(s.ami.dollars).toBeLessThanOrEqual(OPTION_LIMITS.amiDollars[1]);
        expect(s.minHouseholds === DEFAULT_MIN_HOUSEHOLDS || (s.minHouseholds >= 0 && s.minHouseholds <= OPTION_LIMITS.minHouseholds[1])).toBe(true);
        for (const y of [s.year, s.from, s.to]) if (y !== null) expect(Number.isInteger(y) && y >= 1970 && y <= 2100).toBe(true);
        if (s.tract !== null) expect(s.tract).toMatch(/^\d{11,12}$/);
        for (const a of [s.data, s.basemap]) if (a !== null) expect(a.length).toBeLessThanOrEqual(OPTION_LIMITS.urlLength);
        if (s.area !== null) expect(s.area.length).toBeLessThanOrEqual(200);
        expect(s.points.length).toBeLessThanOrEqual(200);
        expect(['off', 'outline', 'fill']).toContain(s.areas);
        expect(parseViewState(viewStateSearch(s))).toEqual(s);
      }),
      { numRuns: 300, seed: SEED },
    );
  });
  it('addresses: only http(s) and site paths pass', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 }), fc.constantFrom('javascript:x', 'JAVASCRIPT:x', 'data:,x', 'vbscript:x', 'file:///x')), (a) => {
        const problem = addressProblem(a);
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(a.trim())?.[1]?.toLowerCase();
        expect(problem === null).toBe(a.length <= OPTION_LIMITS.urlLength && (scheme === undefined || scheme === 'http' || scheme === 'https'));
      }),
      { numRuns: 100, seed: SEED },
    );
  });
});
