/**
 * The areas as a table (issue 12), above the tract table: each area's pooled figures, its tract
 * count, its community assets by category, and in the change view ΔH and flags; with its own
 * exports (CSV + method.json, .xlsx, GeoJSON), the same columns as `tractmix analyze --areas`.
 */
import { useState } from 'react';
import { periodLabel } from '../core/brackets';
import { DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { pointColumns } from '../core/pointColumns';
import type { Dataset } from '../data/dataset';
import { layerCategories, type LayerCounts } from '../data/layerCounts';
import { analysisCsv, methodParameters } from '../data/export';
import { changeCsv, changeParameters } from '../data/changeExport';
import { analysisGeoJson } from '../data/geojsonExport';
import { count, dollars, fixed, pct } from './format';
import type { AreaFigures } from './useLayers';
import { download, slug } from './ExportMenu';

/** The area rows as CSV and the parameters method.json records (exports and tests). */
export async function areaExport(figures: AreaFigures, counts: readonly LayerCounts[], source: Record<string, unknown>) {
  // The CSV parser loads only when someone exports.
  const { areaRowsCsv, layerParameters } = await import('../data/layerExport');
  const members = figures.setup.members;
  const csv = figures.change
    ? areaRowsCsv(changeCsv(figures.change, []), [], members)
    : areaRowsCsv(analysisCsv(figures.year.analysis, figures.uncertainty ?? undefined), counts, members);
  const base = figures.change ? changeParameters(figures.change, 'areas pooled from the tracts of each year (see areas)', source) : methodParameters(figures.year.analysis, source);
  return { csv, params: { ...base, unit: 'areas', ...layerParameters(figures.setup, counts) } };
}

export function AreaTable(props: { figures: AreaFigures; counts: readonly LayerCounts[]; dataset: Dataset; selected: string | null; onSelect: (name: string) => void }) {
  const { figures, counts, dataset, selected, onSelect } = props;
  const [sort, setSort] = useState<'name' | 'entropy'>('name');
  const a = figures.year.analysis;
  const g = a.groups.length;
  const layersCounted = counts.filter((c) => c.areas);
  const columns = layersCounted.flatMap((c) => pointColumns(c.name, layerCategories(c)).slice(1).map((col, i) => ({ col, layer: c, category: layerCategories(c)[i] })));
  const change = figures.change;
  const order = a.geoids.map((_, i) => i).sort((x, y) => (sort === 'name' ? a.geoids[x].localeCompare(a.geoids[y]) : (a.entropy[y] || -1) - (a.entropy[x] || -1)));
  const name = `${slug(dataset.name)}-areas-${change ? `${change.from.year}-${change.to.year}-change` : a.year}`;
  const source = () => ({ dataset: dataset.name, synthetic: dataset.synthetic, sources: dataset.sources, exportedAt: new Date().toISOString(), scope: 'areas' });

  const exportZip = async () => {
    const { csv, params } = await areaExport(figures, counts, source());
    const { zipSync, strToU8 } = await import('fflate');
    download(`${name}.zip`, zipSync({ [`${name}.csv`]: strToU8(csv), 'method.json': strToU8(JSON.stringify(params, null, 2) + '\n') }) as BlobPart, 'application/zip');
  };
  const exportXlsx = async () => {
    const { csv, params } = await areaExport(figures, counts, source());
    const [{ default: Papa }, { tableXlsx }] = await Promise.all([import('papaparse'), import('../data/xlsxExport')]);
    const [header, ...rows] = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;
    download(`${name}.xlsx`, (await tableXlsx(change ? 'areas change' : `areas ${a.year}`, header, rows, params)) as BlobPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  };
  const exportGeoJson = async () => {
    const { params } = await areaExport(figures, counts, source());
    const features = figures.setup.layer.features.map((f) => ({ type: 'Feature' as const, geometry: f.geometry, properties: { GEOID: f.properties.name } }));
    const json = analysisGeoJson(a, { features }, params);
    // The layer columns of the CSV (tracts, tract weights, point counts) as properties too.
    for (const f of json.features) {
      const id = String(f.properties.GEOID);
      const p = f.properties as Record<string, unknown>;
      p.area = id;
      delete p.GEOID;
      const members = figures.setup.members.get(id) ?? [];
      p.tracts = members.length;
      p.tract_weights = members.map((m) => `${m.tract}:${+m.weight.toFixed(6)}`).join(';');
      for (const l of layersCounted) {
        const byUnit = l.areas!.byUnit.get(id);
        const cats = layerCategories(l);
        const cols = pointColumns(l.name, cats);
        p[cols[0]] = cats.reduce((s, c) => s + (byUnit?.get(c) ?? 0), 0);
        cats.forEach((c, i) => (p[cols[i + 1]] = byUnit?.get(c) ?? 0));
      }
    }
    download(`${name}.geojson`, JSON.stringify(json), 'application/geo+json');
  };

  return (
    <div className="table-view area-table" data-testid="area-table">
      <div className="table-filter">
        <strong>Areas of your layer</strong>
        <label>
          Sort{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as 'name' | 'entropy')}>
            <option value="name">by name</option>
            <option value="entropy">by H</option>
          </select>
        </label>
        <span className="export-areas">
          Export the areas:{' '}
          <button onClick={() => void exportZip()} data-testid="export-areas-csv">
            CSV + method (.zip)
          </button>{' '}
          <button onClick={() => void exportXlsx()} data-testid="export-areas-xlsx">
            .xlsx
          </button>{' '}
          {!change && (
            <button onClick={() => void exportGeoJson()} data-testid="export-areas-geojson">
              GeoJSON
            </button>
          )}
        </span>
      </div>
      <table>
        <caption>
          {a.geoids.length} areas, {change ? `${periodLabel(change.from.year)} → ${periodLabel(change.to.year)}` : periodLabel(a.year)}; pooled from their tracts ({figures.setup.rule} rule)
        </caption>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col">Tracts</th>
            <th scope="col">Households</th>
            <th scope="col">H</th>
            <th scope="col">Class</th>
            <th scope="col">Median income</th>
            {a.groups.map((grp) => (
              <th key={grp.key} scope="col">
                {grp.key.toUpperCase()}
              </th>
            ))}
            {change && <th scope="col">ΔH</th>}
            {change && <th scope="col">Flags</th>}
            {columns.map((c) => (
              <th key={c.col} scope="col" data-column={c.col}>
                {c.category}
                {layersCounted.length > 1 ? ` (${c.layer.name})` : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {order.map((i) => {
            const id = a.geoids[i];
            const hh = a.households[i];
            const t = change?.tracts.find((x) => x.geoid === id);
            return (
              <tr key={id} aria-selected={id === selected} className={id === selected ? 'selected' : undefined} data-area={id}>
                <th scope="row">
                  <button className="link" onClick={() => onSelect(id)}>
                    {id}
                  </button>
                </th>
                <td>{figures.setup.members.get(id)?.length ?? 0}</td>
                <td>{count(hh)}</td>
                <td>{a.classes[i] === 'insufficient' ? '—' : fixed(a.entropy[i])}</td>
                <td>{DIVERSITY_CLASS_LABELS[a.classes[i]].replace(/ \(.*\)$/, '')}</td>
                <td>{dollars(a.medianIncome[i])}</td>
                {a.groups.map((grp, k) => (
                  <td key={grp.key}>{hh > 0 ? pct(a.groupCounts[i * g + k] / hh) : '—'}</td>
                ))}
                {change && <td>{t && Number.isFinite(t.deltaEntropy) ? (t.deltaEntropy > 0 ? '+' : '') + t.deltaEntropy.toFixed(3) : '—'}</td>}
                {change && <td>{t ? [t.flags.stable_mixed && 'stable mixed', t.flags.income_upgrading && 'upgrading', t.flags.transitional && 'transitional'].filter(Boolean).join(', ') || '—' : '—'}</td>}
                {columns.map((c) => (
                  <td key={c.col} data-column={c.col}>
                    {c.layer.areas!.byUnit.get(id)?.get(c.category) ?? 0}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
