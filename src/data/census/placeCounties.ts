/**
 * Places as the user types them → the counties to fetch, through the shipped place table
 * (src/data/places.ts): the latest year's counties (whose boundaries are drawn) and, per data
 * year, the county codes that year's tables use (renamed and split counties differ).
 */
import { resolvePlaces } from '../places';
import type { CountyRef } from './fetchDataset';

export function resolvePlacesForFetch(queries: readonly string[], latestYear: number): {
  counties: CountyRef[];
  labels: string[];
  notes: string[];
  countiesInYear: (year: number) => CountyRef[];
} {
  const target = resolvePlaces(queries, { year: latestYear });
  return {
    counties: [...target.counties],
    labels: target.places.map((p) => p.label),
    notes: target.places.flatMap((p) => p.notes),
    countiesInYear: (year) => [...resolvePlaces(queries, { year }).counties],
  };
}
