/**
 * Finding a place in the loaded data, offline: a tract by GEOID (11 digits, or 10 when a
 * spreadsheet dropped the leading zero), by its number ("8391", "Census Tract 102.01", "tract 8391
 * cook") or by its name, and a county by name or 5-digit code. Results are ordered: exact ids
 * first, then tract numbers, then counties, then names containing the words.
 */
import { tractNumber } from './geoContext';

export interface SearchTract {
  readonly geoid: string;
  /** "Census Tract 8391, Cook County, IL". */
  readonly label: string;
}

export interface SearchCounty {
  /** 5-digit state+county code. */
  readonly code: string;
  /** "Cook County, IL". */
  readonly label: string;
}

export type SearchResult = { kind: 'tract'; geoid: string; label: string } | { kind: 'county'; code: string; label: string };

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();

const STOP = new Set(['census', 'tract', 'tracts', 'ct', 'county', 'parish', 'of']);

export function searchLoaded(query: string, tracts: readonly SearchTract[], counties: readonly SearchCounty[], limit = 8): SearchResult[] {
  const q = query.trim();
  if (!q) return [];
  const out: SearchResult[] = [];
  const seen = new Set<string>();
  const push = (r: SearchResult) => {
    const k = r.kind === 'tract' ? `t${r.geoid}` : `c${r.code}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r);
    }
  };
  const digits = q.replace(/[\s-]/g, '');
  // GEOID: 11 digits, or 10 with the leading zero lost (states 01–09), or the 1400000US prefix.
  const id = /^(?:1400000US)?(\d{10,11})$/i.exec(digits)?.[1];
  if (id) {
    const geoid = id.padStart(11, '0');
    for (const t of tracts) if (t.geoid === geoid) push({ kind: 'tract', geoid: t.geoid, label: t.label });
  }
  // A county code (4 or 5 digits) or a GEOID prefix.
  if (/^\d{4,5}$/.test(digits)) {
    const code = digits.padStart(5, '0');
    for (const c of counties) if (c.code === code) push({ kind: 'county', code: c.code, label: c.label });
  }
  const words = norm(q).split(' ').filter(Boolean);
  const number = words.find((w) => /^\d{1,4}(\.\d{1,2})?$/.test(w));
  const rest = words.filter((w) => w !== number && !STOP.has(w));
  if (number) {
    const [whole, frac = ''] = number.split('.');
    const suffix = frac.padEnd(2, '0');
    const n = String(Number(whole)) + (frac && suffix !== '00' ? `.${suffix}` : '');
    for (const t of tracts) {
      if (tractNumber(t.geoid) !== n) continue;
      const label = norm(t.label);
      if (rest.every((w) => label.includes(w))) push({ kind: 'tract', geoid: t.geoid, label: t.label });
    }
  }
  if (words.length && !number && !/^\d+$/.test(digits)) {
    const countyWords = words.filter((w) => !STOP.has(w));
    for (const c of counties) {
      const label = norm(c.label);
      if (countyWords.length && countyWords.every((w) => label.includes(w))) push({ kind: 'county', code: c.code, label: c.label });
    }
    const nameWords = words.filter((w) => w !== 'census' && w !== 'tract');
    if (nameWords.length) {
      for (const t of tracts) {
        if (out.length >= limit) break;
        const label = norm(t.label);
        if (nameWords.every((w) => label.includes(w)) && !/^census tract /.test(norm(t.label).replace(/\d.*$/, ''))) push({ kind: 'tract', geoid: t.geoid, label: t.label });
      }
    }
  }
  return out.slice(0, limit);
}
