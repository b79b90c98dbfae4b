/**
 * Export for researchers: the selected tracts, those in the map view, or all, with every figure the
 * view shows (the export table, src/data/exportTable.ts) as CSV, XLSX or GeoJSON, each with the
 * method (method.json + METHOD.txt), or all of them in one zip. `tractmix export` writes the same
 * files from the command line.
 */
import { memo, useState } from 'react';
import type { Dataset } from '../data/dataset';
import type { BoundarySet } from '../data/boundaries';
import { filterRows, type ExportTable } from '../data/exportTable';
import { columnFiles, exportZip, methodRecord, methodText, tableCsv, tableGeoJson, tableXlsx, type ExportView } from '../data/exportFiles';

/** Save `data` as a file the browser downloads. */
export function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'tractmix';

export const ExportMenu = memo(function ExportMenu(props: {
  dataset: Dataset;
  table: ExportTable;
  view: ExportView;
  boundaries: BoundarySet | null;
  selection: readonly string[];
  /** The rule that made the selection, if it did. */
  where: string | null;
  inView: () => string[];
  /** Issue 12: what method.json records about the user's layers (the table already has their count columns). */
  layerParameters?: Readonly<Record<string, unknown>> | null;
}) {
  const { dataset, table, view, boundaries, selection, where, inView, layerParameters } = props;
  const [scope, setScope] = useState<'all' | 'view' | 'selection'>('all');
  const [busy, setBusy] = useState(false);
  const effectiveScope = scope === 'selection' && selection.length === 0 ? 'all' : scope;
  const name = `${slug(dataset.name)}-${view.kind === 'change' ? `${view.change.from.year}-${view.change.to.year}-change` : view.analysis.year}`;

  const prepare = () => {
    const keep = effectiveScope === 'all' ? null : new Set(effectiveScope === 'view' ? inView() : selection);
    const rows = filterRows(table, keep ? (g) => keep.has(g) : null);
    const record = {
      ...methodRecord(
        dataset,
        view,
        { scope: effectiveScope, rule: effectiveScope === 'selection' ? where : null, how: effectiveScope === 'selection' && !where ? 'picked on the map or in the table' : undefined, tracts: rows.geoids.length, of: table.geoids.length },
        new Date().toISOString(),
        name,
      ),
      ...(layerParameters ?? {}),
    };
    return { rows, record };
  };
  const run = async (what: 'csv' | 'xlsx' | 'geojson' | 'zip') => {
    setBusy(true);
    try {
      const { rows, record } = prepare();
      const { zipSync, strToU8 } = await import('fflate');
      if (what === 'csv') {
        const files = { [`${name}.csv`]: strToU8(tableCsv(rows)), 'method.json': strToU8(JSON.stringify(record, null, 2) + '\n'), 'METHOD.txt': strToU8(methodText(record)), ...columnFiles(record) };
        download(`${name}-csv.zip`, zipSync(files) as BlobPart, 'application/zip');
      } else if (what === 'xlsx') {
        download(`${name}.xlsx`, (await tableXlsx(rows, record)) as BlobPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      } else if (what === 'geojson') {
        if (!boundaries) return;
        download(`${name}.geojson`, JSON.stringify(tableGeoJson(rows, boundaries.features, record)), 'application/geo+json');
      } else {
        download(`${name}.zip`, (await exportZip(name, rows, boundaries?.features ?? null, record)) as BlobPart, 'application/zip');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>Export…</summary>
      <div className="export-body">
        <fieldset>
          <legend>Tracts</legend>
          {(['all', 'view', 'selection'] as const).map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="export-scope"
                value={s}
                checked={effectiveScope === s}
                disabled={s === 'selection' && selection.length === 0}
                onChange={() => setScope(s)}
                data-testid={`export-scope-${s}`}
              />
              {s === 'all' ? `All tracts (${table.geoids.length})` : s === 'view' ? 'Tracts in the map view' : `The selection (${selection.length})`}
            </label>
          ))}
        </fieldset>
        <div className="export-buttons">
          <button onClick={() => void run('csv')} disabled={busy} data-testid="export-csv" title="The CSV with method.json and METHOD.txt, zipped">
            CSV + method
          </button>
          <button onClick={() => void run('xlsx')} disabled={busy} data-testid="export-xlsx" title="Excel workbook: GEOIDs stored as text; the method on its own sheet">
            XLSX
          </button>
          <button
            onClick={() => void run('geojson')}
            disabled={busy || !boundaries}
            data-testid="export-geojson"
            title={boundaries ? 'Polygons with the same columns as properties, for GIS' : 'Not offered: this bundle holds its tracts as vector tiles (see the note below)'}
          >
            GeoJSON
          </button>
          <button onClick={() => void run('zip')} disabled={busy} data-testid="export-zip" title={`CSV, XLSX${boundaries ? ', GeoJSON' : ''}, method.json, METHOD.txt and the column mapping`}>
            All (.zip)
          </button>
        </div>
        <p className="note">
          Every figure of the {view.kind === 'change' ? 'change view (both years, flags, criteria and the definition shown)' : 'year shown'}, one row per tract, with the method (AMI, cut points,
          thresholds, sources). XLSX for spreadsheets, CSV for R/Python/Stata, GeoJSON for GIS. The CSV holds each tract's income brackets:
          open it again in tractmix, or run the command in METHOD.txt, and every figure comes back.
        </p>
        {!boundaries && (
          <p className="note" data-testid="export-geojson-why">
            No GeoJSON here: this bundle draws its tracts from vector tiles, which hold each tract simplified for each zoom and cut at tile edges, not its polygon.
            For GIS, join the CSV to the Census cartographic boundary file on GEOID (read as text), or write the GeoJSON from the bundle&apos;s sources:{' '}
            <code>tractmix export --income YEAR=FILE --boundaries FILE --format geojson</code>.
          </p>
        )}
      </div>
    </details>
  );
});
