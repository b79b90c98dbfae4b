/** GeoJSON export: every matched tract's polygon with the CSV's figures as properties. */
import type { YearAnalysis } from '../core/analyze';
import { csvHeader, csvRows } from './export';

interface FeatureLike {
  readonly type: 'Feature';
  readonly geometry: unknown;
  readonly properties: { readonly GEOID: string; readonly name?: string };
}

export function analysisGeoJson(
  analysis: YearAnalysis,
  boundaries: { readonly features: readonly FeatureLike[] },
  parameters: Record<string, unknown>,
) {
  const header = csvHeader(analysis);
  const rows = new Map(csvRows(analysis).map((r) => [r[0], r]));
  const features = [];
  for (const f of boundaries.features) {
    const row = rows.get(f.properties.GEOID);
    if (!row) continue;
    const properties: Record<string, string | number | null> = { name: f.properties.name ?? null };
    header.forEach((h, i) => {
      const v = row[i];
      properties[h] = h === 'GEOID' || h === 'class' ? v : v === '' ? null : Number(v);
    });
    features.push({ type: 'Feature' as const, geometry: f.geometry, properties });
  }
  return { type: 'FeatureCollection' as const, tractmix: parameters, features };
}
