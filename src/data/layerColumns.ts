/**
 * Point counts as table columns and rule fields (issue 12: "select tracts by rule on them, e.g.
 * High diversity and no library"). Each point layer gives a number column `NAME` (all its points)
 * and `NAME_<category>` per category — the export's column names — which a rule may also call
 * `NAME.<category>`, `points.<category>` and, when no other layer or column has the word,
 * `<category>`: `class=high and library=0`, `points.library>=1`.
 */
import type { LayerCounts } from './layerCounts';
import { layerCategories } from './layerCounts';

/** A number column of point counts, with the other names a rule may use for it. */
export interface PointCountColumn {
  readonly name: string;
  readonly kind: 'number';
  readonly aliases: readonly string[];
  readonly layer: string;
  /** null for the layer's total. */
  readonly category: string | null;
}

/** The count columns of the layers counted per `which` unit, in export order (layer, then its categories). */
export function pointCountColumns(counts: readonly LayerCounts[], which: 'tracts' | 'areas', taken: readonly string[] = []): PointCountColumn[] {
  const counted = counts.filter((c) => (which === 'tracts' ? c.tracts : c.areas));
  const seen = new Map<string, number>();
  for (const c of counted) for (const cat of layerCategories(c)) seen.set(cat.toLowerCase(), (seen.get(cat.toLowerCase()) ?? 0) + 1);
  const reserved = new Set([...taken.map((t) => t.toLowerCase()), ...counted.map((c) => c.name.toLowerCase())]);
  return counted.flatMap((c) => [
    { name: c.name, kind: 'number' as const, aliases: [`${c.name}.all`], layer: c.name, category: null },
    ...layerCategories(c).map((cat) => {
      const plain = cat.toLowerCase();
      const unique = seen.get(plain) === 1 && !reserved.has(plain) && /^[\p{L}\p{N}_.-]+$/u.test(cat);
      return {
        name: `${c.name}_${cat}`,
        kind: 'number' as const,
        aliases: [`${c.name}.${cat}`, ...(seen.get(plain) === 1 ? [`points.${cat}`] : []), ...(unique ? [cat] : [])],
        layer: c.name,
        category: cat,
      };
    }),
  ]);
}

/** A unit's counts by column name (0 where it has none): the record a rule is tested against. */
export function pointCountRecord(counts: readonly LayerCounts[], which: 'tracts' | 'areas', unit: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) {
    const by = which === 'tracts' ? c.tracts : c.areas;
    if (!by) continue;
    const m = by.byUnit.get(unit);
    let all = 0;
    for (const cat of layerCategories(c)) {
      const n = m?.get(cat) ?? 0;
      out[`${c.name}_${cat}`] = n;
      all += n;
    }
    out[c.name] = all;
  }
  return out;
}

/** A table with the GEOID (or area name) in its first cell, with the point-count columns appended. */
export interface KeyedTable<Col, CellT> {
  readonly columns: readonly Col[];
  readonly rows: readonly (readonly CellT[])[];
}

/**
 * Append the point-count columns to a table whose rows start with their unit's id (the export
 * table of the selection and exports); the columns carry their rule aliases.
 */
export function withPointCountColumns<Col extends { readonly name: string }, CellT, T extends KeyedTable<Col, CellT>>(table: T, counts: readonly LayerCounts[], which: 'tracts' | 'areas'): T & { readonly columns: readonly (Col | PointCountColumn)[]; readonly rows: readonly (readonly (CellT | number)[])[] } {
  const columns = pointCountColumns(counts, which, table.columns.map((c) => c.name));
  if (!columns.length) return table;
  return {
    ...table,
    columns: [...table.columns, ...columns],
    rows: table.rows.map((row) => {
      const record = pointCountRecord(counts, which, String(row[0]));
      return [...row, ...columns.map((c) => record[c.name])];
    }),
  };
}
