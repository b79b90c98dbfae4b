/**
 * "Add a place…": fetch a county, state or metro area for chosen years straight from the Census
 * Bureau's services that answer browsers (the Census Data API and TIGERweb's GeoJSON query), with
 * progress per request; the result opens on the map and can be saved as a bundle zip that opens
 * offline. Years on different tract vintages need the relationship files, which the Bureau's file
 * server does not serve to browsers: the dialog says so and gives the one CLI command.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { periodLabel } from '../core/brackets';
import type { Dataset } from '../data/dataset';
import { InputError } from '../data/errors';
import { loadFiles } from './loadDataset';
import { ACS5_FIRST, ACS5_LATEST_KNOWN, DEFAULT_API_BASE, DEFAULT_TIGERWEB_BASE, incomeRelease } from '../data/census/releases';

type RequestState = { label: string; status: 'downloading' | 'done' | 'cached' | 'retrying' ; detail?: string };

const YEARS = [2000, ...Array.from({ length: ACS5_LATEST_KNOWN - ACS5_FIRST + 1 }, (_, i) => ACS5_FIRST + i)];
const DEFAULT_YEARS = [2014, 2019];

/** The CLI command that fetches what the dialog cannot (years across tract vintages). */
export function fetchCommandLine(places: readonly string[], years: readonly number[], unit: string): string {
  const quote = (s: string) => `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
  const slug = places.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'place';
  return `npm run -s tractmix -- fetch ${places.map((p) => `--place ${quote(p)}`).join(' ')} --years ${[...years].sort((a, b) => a - b).join(',')}${unit === 'block group' ? ' --unit blockgroup' : ''} --out bundles/${slug}`;
}

function kb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

export const AddPlace = memo(function AddPlace({ onOpen }: { onOpen: (dataset: Dataset) => void }) {
  const [open, setOpen] = useState(false);
  const [placeText, setPlaceText] = useState('');
  const [resolved, setResolved] = useState<string | null>(null);
  const [years, setYears] = useState<number[]>(DEFAULT_YEARS);
  const [unit, setUnit] = useState<'tract' | 'block group'>('tract');
  const [apiKey, setApiKey] = useState('');
  const [apiBase, setApiBase] = useState(DEFAULT_API_BASE);
  const [tigerwebBase, setTigerwebBase] = useState(DEFAULT_TIGERWEB_BASE);
  const [requests, setRequests] = useState<RequestState[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ dataset: Dataset; zip: Blob; fileName: string } | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  // One object URL per fetched zip, released when it is replaced or the dialog goes.
  const zipUrl = useMemo(() => (result ? URL.createObjectURL(result.zip) : null), [result]);
  useEffect(() => () => void (zipUrl && URL.revokeObjectURL(zipUrl)), [zipUrl]);

  const places = placeText.split(';').map((p) => p.trim()).filter(Boolean);
  const vintages = [...new Set(years.map((y) => incomeRelease(y)!.vintage))];
  const crossesVintages = vintages.length > 1;
  const onlyOldVintage = vintages.length === 1 && vintages[0] === 2000;

  useEffect(() => {
    if (open) dialogRef.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [open]);

  // Resolve the places as they are typed (the place table loads with the dialog).
  useEffect(() => {
    if (!open || places.length === 0) {
      setResolved(null);
      return;
    }
    let live = true;
    void import('../data/places').then(({ resolvePlaces }) => {
      if (!live) return;
      try {
        const r = resolvePlaces(places, { year: Math.max(...years, 2010) });
        setResolved(`${r.places.map((p) => p.label).join(' + ')}: ${r.counties.length} ${r.counties.length === 1 ? 'county' : 'counties'}`);
      } catch (e) {
        setResolved(e instanceof InputError ? e.message : String(e));
      }
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, placeText, years.join(',')]);

  const run = async () => {
    setError(null);
    setResult(null);
    setRequests([]);
    setProgress(null);
    setBusy(true);
    try {
      const [{ resolvePlaces }, { fetchDataset }, { makeDownloader, memoryCache }, { buildBundle }, { zipSync, strToU8 }] = await Promise.all([
        import('../data/places'),
        import('../data/census/fetchDataset'),
        import('../data/census/download'),
        import('../data/bundle'),
        import('fflate'),
      ]);
      const latest = Math.max(...years);
      const target = resolvePlaces(places, { year: latest });
      const update = (label: string, patch: Partial<RequestState>) =>
        setRequests((rs) => {
          const i = rs.findIndex((r) => r.label === label);
          if (i < 0) return [...rs, { label, status: 'downloading', ...patch }];
          const next = [...rs];
          next[i] = { ...next[i], ...patch };
          return next;
        });
      const download = makeDownloader({
        fetch: (input, init) => window.fetch(input, init),
        cache: memoryCache(),
        attempts: 3,
        baseDelayMs: 500,
        timeoutMs: 60_000,
        onEvent: (e) => {
          if (e.kind === 'start') update(e.label, { status: 'downloading' });
          else if (e.kind === 'done') update(e.label, { status: 'done', detail: kb(e.bytes) });
          else if (e.kind === 'cached') update(e.label, { status: 'cached', detail: kb(e.bytes) });
          else update(e.label, { status: 'retrying', detail: `${e.why}; retrying in ${(e.delayMs / 1000).toFixed(1)} s` });
        },
      });
      const fetched = await fetchDataset(
        {
          placeLabels: target.places.map((p) => p.label),
          counties: target.counties,
          countiesInYear: (year) => resolvePlaces(places, { year }).counties,
          years,
          unit,
          apiBase,
          tigerBase: '',
          geoBase: '',
          tigerwebBase,
          boundaryService: 'tigerweb',
          apiKey: apiKey.trim() || undefined,
        },
        download,
        (p) => setProgress({ done: p.done, total: p.total }),
      );
      const { files } = buildBundle(fetched.input);
      const bytes = Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? strToU8(content) : content]));
      // Parsed and joined in the loading worker, as any bundle.
      const dataset = await loadFiles(Object.entries(bytes).map(([name, b]) => ({ name, bytes: b })));
      const zip = new Blob([zipSync(bytes)], { type: 'application/zip' });
      const slug = fetched.input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
      setResult({ dataset, zip, fileName: `tractmix-${slug}.zip` });
    } catch (e) {
      setError(e instanceof InputError ? e.message : `The fetch failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setOpen(false);
    setError(null);
    setResult(null);
    setRequests([]);
    setProgress(null);
  };

  return (
    <>
      <button className="add-place" onClick={() => setOpen(true)}>
        Add a place…
      </button>
      {open && (
        <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && close()}>
          <div className="dialog add-place-dialog" role="dialog" aria-modal="true" aria-labelledby="add-place-title" ref={dialogRef} data-testid="add-place-dialog">
            <h2 id="add-place-title">Add a place from the Census Bureau</h2>
            <label className="field">
              Place <small>a county, state or metro area; several separated by ";"</small>
              <input value={placeText} onChange={(e) => setPlaceText(e.target.value)} placeholder='Cook County, IL; Lake County, IL — or "Denver metro", "Colorado", 17031' data-testid="place-input" disabled={busy} />
            </label>
            {resolved && (
              <p className="note" data-testid="place-resolved">
                {resolved}
              </p>
            )}
            <fieldset className="years-picker" disabled={busy}>
              <legend>Years (ACS 5-year periods, and Census 2000)</legend>
              {YEARS.map((y) => (
                <label key={y} className="checkbox">
                  <input type="checkbox" checked={years.includes(y)} onChange={(e) => setYears((ys) => (e.target.checked ? [...ys, y].sort((a, b) => a - b) : ys.filter((x) => x !== y)))} />
                  {periodLabel(y)}
                </label>
              ))}
            </fieldset>
            <div className="row">
              <label className="field">
                Unit
                <select value={unit} onChange={(e) => setUnit(e.target.value as 'tract' | 'block group')} disabled={busy}>
                  <option value="tract">census tracts</option>
                  <option value="block group">block groups</option>
                </select>
              </label>
              <label className="field">
                Census API key <small>optional; without one, 500 requests a day</small>
                <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" disabled={busy} />
              </label>
            </div>
            <details className="services">
              <summary>Service addresses</summary>
              <label className="field">
                Census Data API
                <input value={apiBase} onChange={(e) => setApiBase(e.target.value)} data-testid="api-base" disabled={busy} />
              </label>
              <label className="field">
                TIGERweb map services
                <input value={tigerwebBase} onChange={(e) => setTigerwebBase(e.target.value)} data-testid="tigerweb-base" disabled={busy} />
              </label>
            </details>
            {(crossesVintages || onlyOldVintage) && places.length > 0 && years.length > 0 && (
              <div className="warning" data-testid="needs-cli">
                <p>
                  {crossesVintages
                    ? `These years are on different tract vintages (${vintages.sort().join(', ')}). Moving them onto one needs the Census Bureau's relationship files, which its file server does not let a web page read.`
                    : 'Years before 2010 are on 2000 tracts, whose boundaries TIGERweb does not serve to web pages.'}{' '}
                  This command fetches them into a bundle you can open here:
                </p>
                <code data-testid="cli-command">{fetchCommandLine(places, years, unit)}</code>{' '}
                <button className="link" onClick={() => void navigator.clipboard?.writeText(fetchCommandLine(places, years, unit))}>
                  Copy
                </button>
              </div>
            )}
            {progress && (
              <div className="fetch-progress">
                <progress max={progress.total} value={progress.done} aria-label="Requests done" /> {progress.done} of {progress.total} requests
              </div>
            )}
            {requests.length > 0 && (
              <ul className="requests" data-testid="fetch-requests" aria-live="polite">
                {requests.map((r) => (
                  <li key={r.label} data-status={r.status}>
                    <span className="status">{r.status === 'done' ? '✓' : r.status === 'cached' ? '✓' : r.status === 'retrying' ? '↻' : '…'}</span> {r.label}
                    {r.detail ? <small> — {r.detail}</small> : null}
                  </li>
                ))}
              </ul>
            )}
            {error && (
              <div className="error" data-testid="fetch-error">
                <p>{error}</p>
                {/the connection failed/.test(error) && (
                  <p className="note">
                    Offline, or the service does not let web pages read it (CORS). The command line fetches the same without that limit:{' '}
                    <code>{fetchCommandLine(places, years, unit)}</code>
                  </p>
                )}
              </div>
            )}
            {result && (
              <p className="note" data-testid="fetch-done">
                Fetched {[...result.dataset.boundaries.values()][0]?.features.length ?? 0} {unit}s: {result.dataset.name}.
              </p>
            )}
            <div className="dialog-buttons">
              {result && (
                <>
                  <a className="button" href={zipUrl ?? undefined} download={result.fileName} data-testid="save-bundle">
                    Save bundle (.zip)
                  </a>
                  <button
                    className="primary"
                    data-testid="show-fetched"
                    onClick={() => {
                      onOpen(result.dataset);
                      close();
                    }}
                  >
                    Show on the map
                  </button>
                </>
              )}
              {!result && (
                <button className="primary" onClick={() => void run()} disabled={busy || places.length === 0 || years.length === 0 || crossesVintages || onlyOldVintage} data-testid="fetch-place">
                  {busy ? 'Fetching…' : 'Fetch'}
                </button>
              )}
              <button onClick={close} disabled={busy}>
                {result ? 'Close' : 'Cancel'}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
});
