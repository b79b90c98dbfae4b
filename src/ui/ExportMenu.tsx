/**
 * Export for researchers: the tracts (all, those in view, or the selected one) with every figure,
 * as a zip of the CSV and the method's parameters (method.json), or as GeoJSON with the parameters
 * inside. The change view exports its change table.
 */
import { useState } from 'react';
import type { YearAnalysis } from '../core/analyze';
import type { ChangeAnalysis } from '../core/change';
import type { TractUncertainty } from '../core/uncertainty';
import type { Dataset } from '../data/dataset';
import type { BoundarySet } from '../data/boundaries';
import { analysisCsv, methodParameters } from '../data/export';
import { changeCsv, changeParameters } from '../data/changeExport';
import { analysisGeoJson } from '../data/geojsonExport';
import type { AreaCounts, LayerCounts } from '../data/layerCounts';

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'tractmix';

export function ExportMenu(props: {
  dataset: Dataset;
  analysis: YearAnalysis;
  change: { change: ChangeAnalysis; geography: string } | null;
  uncertainty: readonly TractUncertainty[] | null;
  boundaries: BoundarySet | null;
  selected: string | null;
  picked: readonly string[];
  onClearPicked: () => void;
  inView: () => string[];
  /** Issue 12: point counts per tract become columns; method.json records the layers. */
  layers?: { counts: readonly LayerCounts[]; areas: AreaCounts | null };
}) {
  const { dataset, analysis, change, uncertainty, boundaries, selected, picked, onClearPicked, inView, layers } = props;
  /** The tract rows with their point-count columns (`NAME`, `NAME_<category>`), as `analyze --points` writes them. */
  const tractCsv = async (include?: (geoid: string) => boolean) => {
    const csv = change ? changeCsv(change.change, [], include) : analysisCsv(analysis, uncertainty ?? undefined, include);
    if (!layers?.counts.length) return csv;
    const { withLayerColumns } = await import('../data/layerExport');
    return withLayerColumns(csv, layers.counts, 'tracts');
  };
  const withLayers = async <T extends object>(params: T) => {
    if (!layers || (!layers.counts.length && !layers.areas)) return params;
    const { layerParameters } = await import('../data/layerExport');
    return { ...params, ...layerParameters(layers.areas, layers.counts) };
  };
  const [scope, setScope] = useState<'all' | 'view' | 'picked' | 'selected'>('all');
  const ids = (): Set<string> | null =>
    scope === 'all' ? null : scope === 'view' ? new Set(inView()) : scope === 'picked' ? new Set(picked) : new Set(selected ? [selected] : []);
  const name = `${slug(dataset.name)}-${change ? `${change.change.from.year}-${change.change.to.year}-change` : analysis.year}`;
  const source = { dataset: dataset.name, synthetic: dataset.synthetic, sources: dataset.sources, exportedAt: new Date().toISOString(), scope };

  const exportZip = async () => {
    const keep = ids();
    const include = keep ? (g: string) => keep.has(g) : undefined;
    const csv = await tractCsv(include);
    const params = await withLayers(change ? changeParameters(change.change, change.geography, source) : methodParameters(analysis, source));
    const { zipSync, strToU8 } = await import('fflate');
    download(`${name}.zip`, zipSync({ [`${name}.csv`]: strToU8(csv), 'method.json': strToU8(JSON.stringify(params, null, 2) + '\n') }) as BlobPart, 'application/zip');
  };
  const exportXlsx = async () => {
    const keep = ids();
    const include = keep ? (g: string) => keep.has(g) : undefined;
    const csv = await tractCsv(include);
    const params = await withLayers(change ? changeParameters(change.change, change.geography, source) : methodParameters(analysis, source));
    const [{ default: Papa }, { tableXlsx }] = await Promise.all([import('papaparse'), import('../data/xlsxExport')]);
    const [header, ...rows] = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;
    const bytes = await tableXlsx(change ? 'change' : `tracts ${analysis.year}`, header, rows, params);
    download(`${name}.xlsx`, bytes as BlobPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  };
  const exportGeoJson = async () => {
    if (!boundaries) return;
    const keep = ids();
    const features = keep ? boundaries.features.filter((f) => keep.has(f.properties.GEOID)) : boundaries.features;
    const json = analysisGeoJson(analysis, { features }, await withLayers(methodParameters(analysis, source)));
    // Point counts per tract as properties, named as the CSV's columns.
    for (const l of layers?.counts ?? []) {
      if (!l.tracts) continue;
      const cats = l.tracts.categories;
      for (const f of json.features) {
        const byUnit = l.tracts.byUnit.get(String(f.properties.GEOID));
        const p = f.properties as Record<string, unknown>;
        p[l.name] = cats.reduce((s, c) => s + (byUnit?.get(c) ?? 0), 0);
        for (const c of cats) p[`${l.name}_${c}`] = byUnit?.get(c) ?? 0;
      }
    }
    download(`${name}.geojson`, JSON.stringify(json), 'application/geo+json');
  };

  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>Export…</summary>
      <div className="export-body">
        <fieldset>
          <legend>Tracts</legend>
          {(['all', 'view', 'picked', 'selected'] as const).map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="export-scope"
                value={s}
                checked={scope === s}
                disabled={(s === 'selected' && !selected) || (s === 'picked' && picked.length === 0)}
                onChange={() => setScope(s)}
                data-testid={`export-scope-${s}`}
              />
              {s === 'all' ? 'All tracts' : s === 'view' ? 'Tracts in the map view' : s === 'picked' ? `Picked tracts (${picked.length}; shift-click on the map)` : 'The tract open in the panel'}
            </label>
          ))}
          {picked.length > 0 && (
            <button type="button" className="link" onClick={onClearPicked}>
              Clear the picked tracts
            </button>
          )}
        </fieldset>
        <button onClick={() => void exportZip()} data-testid="export-csv">
          CSV + method (.zip)
        </button>
        <button onClick={() => void exportXlsx()} data-testid="export-xlsx" title="GEOIDs kept as text, so a spreadsheet keeps their leading zero">
          Spreadsheet (.xlsx)
        </button>
        {!change && (
          <button onClick={() => void exportGeoJson()} disabled={!boundaries} data-testid="export-geojson">
            GeoJSON
          </button>
        )}
        <p className="note">Every figure of the {change ? 'change table' : 'tract table'}, with the method's parameters (AMI, cut points, thresholds, sources).</p>
      </div>
    </details>
  );
}
