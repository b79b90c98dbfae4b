/**
 * Exports with the user's layers (issue 12): point-count columns on tract or area rows, the area
 * rows' tract lists, and what method.json records about the layers. Shared by the CLI
 * (scripts/commands/layers.ts) and the app, so both write the same columns.
 */
import Papa from 'papaparse';
import { pointCells, pointColumns } from '../core/pointColumns';
import { toCsv } from './export';
import { layerCategories, type LayerCounts } from './layerCounts';

export { layerCategories, layerParameters, type AreaCounts, type LayerCounts } from './layerCounts';

/** Append the point-count columns (and, for areas, the tract list) to a CSV keyed by its first column. */
export function withLayerColumns(csv: string, points: readonly LayerCounts[], which: 'tracts' | 'areas', members?: ReadonlyMap<string, readonly { tract: string; weight: number }[]>): string {
  const counted = points.filter((p) => (which === 'areas' ? p.areas : p.tracts));
  if (!counted.length && !members) return csv;
  const [header, ...rows] = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;
  const extraHeader = [...(members ? ['tracts', 'tract_weights'] : []), ...counted.flatMap((p) => pointColumns(p.name, layerCategories(p)))];
  const out = rows.map((row) => {
    const id = row[0];
    const list = members?.get(id) ?? [];
    return [
      ...row,
      ...(members ? [String(list.length), list.map((m) => `${m.tract}:${+m.weight.toFixed(6)}`).join(';')] : []),
      ...counted.flatMap((p) => {
        const counts = (which === 'areas' ? p.areas : p.tracts)!;
        return pointCells({ ...counts, categories: layerCategories(p) }, id).map(String);
      }),
    ];
  });
  return toCsv([...header, ...extraHeader], out);
}

/** Area rows: the core's CSV (one row per area, keyed by its name) with `area` for `GEOID`, the tract lists and the point counts. */
export function areaRowsCsv(csv: string, points: readonly LayerCounts[], members: ReadonlyMap<string, readonly { tract: string; weight: number }[]>): string {
  return withLayerColumns(csv, points, 'areas', members).replace(/^GEOID,/, 'area,');
}
