/**
 * Exports with the user's layers (issue 12): point-count columns on tract or area rows, the area
 * rows' tract lists, and what method.json records about the layers. Shared by the CLI
 * (scripts/commands/layers.ts) and the app, so both write the same columns.
 */
import Papa from 'papaparse';
import { AREA_RULE_WORDS } from '../core/areas';
import { pointCells, pointColumns } from '../core/points';
import { toCsv } from './export';
import { layerCategories, type AreaCounts, type LayerCounts } from './layerCounts';

export { layerCategories, type AreaCounts, type LayerCounts } from './layerCounts';

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

/** What method.json records about the layers: files, name field, rule, counts, rejected rows. */
export function layerParameters(areas: AreaCounts | null, points: readonly LayerCounts[]) {
  return {
    ...(areas
      ? {
          areas: {
            file: areas.layer.file,
            nameField: areas.layer.nameProperty,
            rule: areas.rule,
            ruleDescription: AREA_RULE_WORDS[areas.rule],
            ...(areas.ruleNote ? { ruleNote: areas.ruleNote } : {}),
            areas: areas.names.length,
            featuresRejected: areas.layer.rejected.length,
            tractsCounted: new Set(areas.weights.map((w) => w.source)).size,
          },
        }
      : {}),
    ...(points.length
      ? {
          points: points.map((p) => ({
            name: p.name,
            file: p.layer.file,
            fields: p.layer.fields,
            rowsRead: p.layer.rowsRead + (p.rejectedBefore ?? 0),
            usable: p.layer.points.length,
            rejected: p.layer.rejected.length + (p.rejectedBefore ?? 0),
            ...(p.tracts ? { outsideEveryTract: p.tracts.outside.length } : { outsideEveryTract: null, note: 'not counted per tract: the tract boundaries are vector tiles (no polygons in the app)' }),
            categories: layerCategories(p),
          })),
        }
      : {}),
  };
}

/** Area rows: the core's CSV (one row per area, keyed by its name) with `area` for `GEOID`, the tract lists and the point counts. */
export function areaRowsCsv(csv: string, points: readonly LayerCounts[], members: ReadonlyMap<string, readonly { tract: string; weight: number }[]>): string {
  return withLayerColumns(csv, points, 'areas', members).replace(/^GEOID,/, 'area,');
}
