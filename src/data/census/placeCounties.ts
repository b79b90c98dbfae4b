/**
 * Places as the user types them → the counties to fetch. Interim: 5-digit county FIPS codes only,
 * until the shipped place table (src/data/places.ts) is merged.
 */
import { InputError } from '../errors';
import type { CountyRef } from './fetchDataset';

export function resolvePlacesForFetch(queries: readonly string[], _year: number): { counties: CountyRef[]; labels: string[] } {
  const counties: CountyRef[] = [];
  for (const q of queries) {
    const m = /^\s*(\d{2})(\d{3})\s*$/.exec(q);
    if (!m) throw new InputError({ file: '--place', problem: `"${q}" is not a county FIPS code`, expected: '5 digits, e.g. 08031' });
    counties.push({ state: m[1], county: m[2], name: `County ${m[1]}${m[2]}`, stateAbbr: 'CO' });
  }
  return { counties, labels: [...queries] };
}
