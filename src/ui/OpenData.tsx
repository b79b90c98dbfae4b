/**
 * Opening the user's own files: a file picker and drag-and-drop anywhere on the page. The join
 * report (matched, unmatched on each side, repaired ids, rejected rows) is shown before the map.
 */
import { memo, useEffect, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { InputError } from '../data/errors';
import type { JoinReport } from '../data/join';
import { loadFiles } from './loadDataset';

async function readFiles(list: FileList | File[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

function IdList({ ids, max = 12 }: { ids: readonly string[]; max?: number }) {
  if (ids.length === 0) return <>none</>;
  return (
    <>
      {ids.slice(0, max).join(', ')}
      {ids.length > max ? ` … and ${ids.length - max} more` : ''}
    </>
  );
}

export function JoinReportView({ report }: { report: JoinReport }) {
  return (
    <div className="join-report" data-testid="join-report">
      <h3>
        {report.incomeFile} → {report.boundaryFile ?? 'no boundaries'}
      </h3>
      <ul>
        <li data-testid="report-rows">
          {report.rowsRead.toLocaleString('en-US')} rows read, {report.rowsUsable.toLocaleString('en-US')} usable,{' '}
          <strong>{report.rejectedRows.length} rejected</strong>
        </li>
        <li data-testid="report-matched">
          <strong>{report.matched.toLocaleString('en-US')}</strong> of {report.unitsUsable.toLocaleString('en-US')} income units matched a boundary
        </li>
        <li data-testid="report-income-only">
          {report.incomeOnly.length} income units without a boundary: <IdList ids={report.incomeOnly} />
        </li>
        <li data-testid="report-boundary-only">
          {report.boundaryOnly.length.toLocaleString('en-US')} boundary features without income (not drawn), in {Object.keys(report.boundaryOnlyByCounty).length} counties
        </li>
        {report.repairedIncomeIds.length + report.repairedBoundaryIds.length > 0 && (
          <li>
            {report.repairedIncomeIds.length + report.repairedBoundaryIds.length} ids repaired, e.g.{' '}
            {[...report.repairedIncomeIds.map((r) => `${r.before} → ${r.after}`), ...report.repairedBoundaryIds.map((r) => `${r.before} → ${r.after}`)].slice(0, 3).join('; ')}
          </li>
        )}
        {[...report.warnings, ...report.boundaryWarnings].map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      {report.rejectedRows.length + report.rejectedFeatures.length > 0 && (
        <details open={report.rejectedRows.length < 10}>
          <summary>Rejected rows and features</summary>
          <ul>
            {report.rejectedRows.map((r) => (
              <li key={`r${r.row}`}>
                line {r.row}
                {r.geoid ? ` (${r.geoid})` : ''}
                {r.column ? `, column "${r.column}"` : ''}: {r.reason}
              </li>
            ))}
            {report.rejectedFeatures.map((r) => (
              <li key={`f${r.row}`}>
                feature {r.row}
                {r.geoid ? ` (${r.geoid})` : ''}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** `onProgress`: each step of reading the files (shown on the app's progress line), null when done. */
export const OpenData = memo(function OpenData({ onOpen, onProgress }: { onOpen: (dataset: Dataset) => void; onProgress?: (text: string | null) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [pending, setPending] = useState<Dataset | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialogRef = useRef<HTMLDivElement>(null);

  const open = async (fileList: FileList | File[]) => {
    // Copy first: the input's FileList empties when the input is reset below.
    const files = [...fileList];
    setError(null);
    setBusy(true);
    onProgress?.(`Opening ${files.length} file${files.length === 1 ? '' : 's'}…`);
    try {
      // Read, parsed and joined in the loading worker: the page keeps answering.
      setPending(await loadFiles(await readFiles(files), (p) => onProgress?.(`Opening files: ${p.text}`)));
    } catch (e) {
      setError(e instanceof InputError ? e.message : `Could not open the files: ${(e as Error).message}`);
    } finally {
      setBusy(false);
      onProgress?.(null);
    }
  };

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) {
        e.preventDefault();
        setDragging(true);
      }
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      if (e.dataTransfer?.files.length) void open(e.dataTransfer.files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  useEffect(() => {
    if (pending || error) dialogRef.current?.querySelector<HTMLButtonElement>('button.primary, button')?.focus();
  }, [pending, error]);

  return (
    <>
      <button className="open-data" onClick={() => inputRef.current?.click()} disabled={busy}>
        {busy ? 'Reading…' : 'Open data…'}
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        accept=".shp,.dbf,.prj,.cpg,.shx,.zip,.geojson,.topojson,.json,.csv,.txt"
        onChange={(e) => {
          if (e.target.files?.length) void open(e.target.files);
          e.target.value = '';
        }}
      />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop boundary files (.shp + .dbf + .prj, .zip, GeoJSON, TopoJSON) and income tables (CSV, Census API JSON)
        </div>
      )}
      {(pending || error) && (
        <div className="dialog-backdrop">
          <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="open-title" ref={dialogRef} data-testid="open-dialog">
            <h2 id="open-title">{error ? 'These files cannot be opened' : `Join report: ${pending!.name}`}</h2>
            {error && (
              <p className="error" data-testid="open-error">
                {error}
              </p>
            )}
            {pending?.reports.map((r) => <JoinReportView key={r.incomeFile + r.rowsRead} report={r} />)}
            <div className="dialog-buttons">
              {pending && (
                <button
                  className="primary"
                  data-testid="show-map"
                  onClick={() => {
                    onOpen(pending);
                    setPending(null);
                  }}
                >
                  Show on the map
                </button>
              )}
              <button
                onClick={() => {
                  setPending(null);
                  setError(null);
                }}
              >
                {error ? 'Close' : 'Cancel'}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
});
