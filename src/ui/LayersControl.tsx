/**
 * "Layers" (issue 12): the user's own areas and community assets over the tract map. Shows what a
 * bundle carries and opens files: an area layer (GeoJSON, TopoJSON, shapefile or .zip, with a
 * choice of the name field) and point layers (CSV with detected or picked latitude/longitude
 * columns, or GeoJSON points, with a category field). Every unusable row is counted and listed.
 */
import { useRef, useState } from 'react';
import './layers.css';
import { AREA_RULE_WORDS, type AreaRule } from '../core/areaRules';
import { InputError } from '../data/errors';
import { TILED_RULE_NOTE_SHORT } from './layerWords';
import { categoryColor, categoryKey, type AreaMode } from '../map/layerStyle';
import type { Layers } from './useLayers';
import type { ViewState } from './viewState';

const message = (e: unknown) => (e instanceof InputError ? e.message : `Could not read the file: ${(e as Error).message ?? String(e)}`);

async function readFiles(list: FileList | File[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** A layer name from a file name: letters, digits and _, starting with a letter (the column prefix). */
export function layerNameOf(file: string): string {
  const stem = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[A-Za-z]/.test(stem) ? stem : `points_${stem}`;
  return name.slice(0, 40) || 'points';
}

const MODE_WORDS: Record<AreaMode, string> = { off: 'Not shown', outline: 'Outlines over the tracts', fill: 'Areas coloured (instead of tracts)' };

interface PointPick {
  file: { name: string; bytes: Uint8Array };
  format: 'csv' | 'geojson';
  columns: string[];
  layer: string;
  lat: string;
  lon: string;
  category: string;
  name: string;
}

export function LayersControl(props: { layers: Layers; state: ViewState; update: (patch: Partial<ViewState>) => void; tiled: boolean; onOpenArea: (name: string) => void }) {
  const { layers, state, update, tiled, onOpenArea } = props;
  const { engine, setup } = layers;
  const areaInput = useRef<HTMLInputElement>(null);
  const pointInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [areaFiles, setAreaFiles] = useState<{ name: string; bytes: Uint8Array }[] | null>(null);
  const [areaFields, setAreaFields] = useState<string[] | null>(null);
  const [pick, setPick] = useState<PointPick | null>(null);
  const areas = layers.layers.areas;
  const on = new Set(state.points);

  const openAreas = async (files: { name: string; bytes: Uint8Array }[], nameProperty?: string) => {
    if (!engine) return;
    setError(null);
    setBusy(true);
    try {
      const layer = await engine.readAreaLayer(files, { nameProperty });
      setAreaFiles(files);
      setAreaFields(null);
      layers.openAreas({ layer, origin: 'file', source: files.map((f) => f.name).join(', ') });
    } catch (e) {
      setError(message(e));
      // No name field found: offer the layer's fields instead of a dead end.
      try {
        const fields = await engine.areaLayerFields(files);
        if (fields.length && nameProperty === undefined) {
          setAreaFiles(files);
          setAreaFields(fields);
        }
      } catch {
        // the error above already says what is wrong with the file
      }
    } finally {
      setBusy(false);
    }
  };

  const startPoints = async (files: { name: string; bytes: Uint8Array }[]) => {
    if (!engine || !files.length) return;
    setError(null);
    const file = files[0];
    try {
      const { format, columns, detected } = engine.pointLayerColumns(file.name, file.bytes);
      const taken = new Set(layers.layers.points.map((p) => p.name));
      let layer = layerNameOf(file.name);
      for (let i = 2; taken.has(layer); i++) layer = `${layerNameOf(file.name).slice(0, 36)}_${i}`;
      setPick({ file, format, columns, layer, lat: detected.lat ?? '', lon: detected.lon ?? '', category: detected.category ?? '', name: detected.name ?? '' });
    } catch (e) {
      setError(message(e));
    }
  };

  const addPoints = () => {
    if (!engine || !pick) return;
    setError(null);
    if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(pick.layer)) {
      setError(`The layer name "${pick.layer}" is also the prefix of its columns: use a letter, then letters, digits or _ (at most 40).`);
      return;
    }
    try {
      const layer = engine.readPointLayer(pick.file.name, pick.file.bytes, {
        ...(pick.format === 'csv' ? { lat: pick.lat || undefined, lon: pick.lon || undefined } : {}),
        ...(pick.category ? { category: pick.category } : {}),
        ...(pick.name ? { name: pick.name } : {}),
        defaultCategory: pick.layer,
      });
      layers.openPoints({ name: pick.layer, layer, rejectedBefore: 0, origin: 'file', source: pick.file.name });
      setPick(null);
    } catch (e) {
      setError(message(e));
    }
  };

  const select = (label: string, value: string, options: string[], set: (v: string) => void, testid: string, none?: string) => (
    <label className="layers-pick">
      <span>{label}</span>
      <select value={value} onChange={(e) => set(e.target.value)} data-testid={testid}>
        {none !== undefined && <option value="">{none}</option>}
        {options.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <details className="layers-control" data-testid="layers-control">
      <summary>
        Layers{areas || layers.layers.points.length ? ` (${(areas ? 1 : 0) + layers.layers.points.length})` : ''}
      </summary>
      <div className="layers-body">
        {error && (
          <p className="error" role="alert" data-testid="layers-error">
            {error}
          </p>
        )}
        {layers.loadError && (
          <p className="error" role="alert">
            The bundle's layers could not be read: {layers.loadError}
          </p>
        )}
        <section aria-label="Areas">
          <h3>Areas (neighbourhoods, districts)</h3>
          {areas ? (
            <>
              <p data-testid="areas-summary">
                <strong>{areas.layer.features.length}</strong> areas from {areas.origin === 'bundle' ? 'the bundle' : areas.source} (names in "{areas.layer.nameProperty}")
                {areas.layer.rejected.length > 0 && <>; <strong>{areas.layer.rejected.length} features not used</strong></>}
              </p>
              <fieldset>
                <legend>Show</legend>
                {(['off', 'outline', 'fill'] as const).map((m) => (
                  <label key={m}>
                    <input type="radio" name="areas-mode" checked={state.areas === m} onChange={() => update({ areas: m })} data-testid={`areas-${m}`} /> {MODE_WORDS[m]}
                  </label>
                ))}
              </fieldset>
              <fieldset>
                <legend>Tracts counted in an area</legend>
                {(['share', 'centroid'] as const).map((r: AreaRule) => (
                  <label key={r} title={AREA_RULE_WORDS[r]}>
                    <input type="radio" name="area-rule" checked={(tiled ? 'centroid' : state.areaRule) === r} disabled={tiled} onChange={() => update({ areaRule: r })} data-testid={`area-rule-${r}`} />{' '}
                    {r === 'share' ? 'By the share of the tract inside the area' : 'Whole tracts whose centre is inside'}
                  </label>
                ))}
                {tiled && <p className="note" data-testid="tiled-rule-note">{TILED_RULE_NOTE_SHORT}</p>}
              </fieldset>
              {areas.origin === 'file' && areaFiles && (
                <p>{select('Name field', areas.layer.nameProperty, [...areas.layer.fields], (v) => void openAreas(areaFiles, v), 'area-name-field')}</p>
              )}
              {setup && setup.empty.length > 0 && (
                <p className="note" data-testid="areas-empty">
                  {setup.empty.length} areas hold no tract{setup.rule === 'centroid' ? ' centre' : ''}: {setup.empty.join(', ')}
                </p>
              )}
              {(areas.layer.rejected.length > 0 || areas.layer.merged.length > 0) && (
                <details>
                  <summary>Features not used or merged</summary>
                  <ul data-testid="areas-rejected">
                    {areas.layer.rejected.map((r) => (
                      <li key={`r${r.row}`}>
                        feature {r.row}
                        {r.column ? `, property "${r.column}"` : ''}: {r.reason}
                      </li>
                    ))}
                    {areas.layer.merged.map((m) => (
                      <li key={`m${m.name}`}>
                        "{m.name}" is in features {m.features.join(', ')}: merged into one area
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              <details>
                <summary>The areas (open one)</summary>
                <ul className="area-list" data-testid="area-list">
                  {areas.layer.features.map((f) => (
                    <li key={f.properties.name}>
                      <button className="link" onClick={() => onOpenArea(f.properties.name)}>
                        {f.properties.name}
                      </button>
                      {setup && <span className="n"> {setup.members.get(f.properties.name)?.length ?? 0} tracts</span>}
                    </li>
                  ))}
                </ul>
              </details>
              {areas.origin === 'file' && (
                <button className="link" onClick={layers.removeAreas}>
                  Remove the area layer
                </button>
              )}
            </>
          ) : (
            <p className="note">None loaded.</p>
          )}
          {areaFields && areaFiles && (
            <p>{select('Which property holds the names?', '', areaFields, (v) => v && void openAreas(areaFiles, v), 'area-name-choice', 'choose…')}</p>
          )}
          <button onClick={() => areaInput.current?.click()} disabled={!engine || busy} data-testid="open-areas">
            {busy ? 'Reading…' : areas ? 'Open another area layer…' : 'Open an area layer…'}
          </button>
          <input
            ref={areaInput}
            type="file"
            multiple
            hidden
            data-testid="areas-file-input"
            accept=".geojson,.json,.topojson,.zip,.shp,.dbf,.prj,.cpg,.shx"
            onChange={async (e) => {
              const files = e.target.files?.length ? await readFiles(e.target.files) : [];
              e.target.value = '';
              if (files.length) void openAreas(files);
            }}
          />
        </section>
        <section aria-label="Community assets">
          <h3>Community assets (points)</h3>
          {layers.layers.points.length === 0 && <p className="note">None loaded.</p>}
          {layers.layers.points.map((p) => {
            const counted = layers.counts.find((c) => c.name === p.name);
            const outside = counted?.tracts?.outside ?? [];
            const rejected = p.layer.rejected.length + p.rejectedBefore;
            const cats = layers.categories.filter((c) => c.layer === p.name);
            // A bundle keeps the points as GeoJSON, but their rows are the lines of the file they came from.
            const lines = p.layer.format === 'csv' || /\.(csv|txt)\b/i.test(p.source);
            return (
              <div key={p.name} className="point-layer" data-testid={`point-layer-${p.name}`}>
                <p data-testid="point-layer-summary">
                  <strong>{p.name}</strong> ({p.origin === 'bundle' ? `from the bundle; ${p.source}` : p.source}): {(p.layer.rowsRead + p.rejectedBefore).toLocaleString('en-US')}{' '}
                  {lines ? 'rows' : 'features'} read, {p.layer.points.length.toLocaleString('en-US')} usable, <strong>{rejected} rejected</strong>
                  {counted?.tracts ? (
                    <>
                      ; <strong>{outside.length} outside every tract</strong>
                    </>
                  ) : (
                    '; not counted per tract (the tracts are vector tiles)'
                  )}
                </p>
                <ul className="category-toggles" data-testid="category-toggles">
                  {cats.map((c) => {
                    const key = categoryKey(c.layer, c.category);
                    const n = p.layer.points.filter((x) => x.category === c.category).length;
                    return (
                      <li key={key}>
                        <label>
                          <input
                            type="checkbox"
                            checked={on.has(key)}
                            onChange={(e) => update({ points: e.target.checked ? [...state.points, key] : state.points.filter((k) => k !== key) })}
                            data-testid={`category-${key}`}
                          />
                          <span className="dot" style={{ background: categoryColor(c.colorIndex) }} aria-hidden="true" /> {c.category} <span className="n">{n}</span>
                        </label>
                      </li>
                    );
                  })}
                </ul>
                <p>
                  <button className="link" onClick={() => update({ points: [...new Set([...state.points, ...cats.map((c) => categoryKey(c.layer, c.category))])] })}>
                    Show all
                  </button>{' '}
                  <button className="link" onClick={() => update({ points: state.points.filter((k) => !k.startsWith(`${p.name}.`)) })}>
                    Hide all
                  </button>
                  {p.origin === 'file' && (
                    <>
                      {' '}
                      <button className="link" onClick={() => layers.removePoints(p.name)}>
                        Remove
                      </button>
                    </>
                  )}
                </p>
                {(rejected > 0 || outside.length > 0) && (
                  <details>
                    <summary>Rows not counted ({rejected + outside.length})</summary>
                    <ul data-testid="point-rows-not-counted">
                      {p.rejectedBefore > 0 && (
                        <li>
                          {p.rejectedBefore} rows of {p.source.split(',')[0]} were rejected when the bundle was built (listed by `tractmix build`; open that file here to see them)
                        </li>
                      )}
                      {p.layer.rejected.map((r) => (
                        <li key={`r${r.row}`}>
                          {lines ? 'line' : 'feature'} {r.row}
                          {r.column ? `, column "${r.column}"` : ''}: {r.reason}
                        </li>
                      ))}
                      {outside.map((x) => (
                        <li key={`o${x.row}`}>
                          {lines ? 'line' : 'feature'} {x.row}
                          {x.name ? ` (${x.name})` : ''} at {x.lat}, {x.lon}: outside every tract
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            );
          })}
          {pick && (
            <div className="point-pick" data-testid="point-pick">
              <p>
                {pick.file.name}: {pick.columns.length} {pick.format === 'csv' ? 'columns' : 'properties'}
              </p>
              <label className="layers-pick">
                <span>Layer name</span>
                <input value={pick.layer} onChange={(e) => setPick({ ...pick, layer: e.target.value })} data-testid="point-layer-name" />
              </label>
              {pick.format === 'csv' && select('Latitude', pick.lat, pick.columns, (v) => setPick({ ...pick, lat: v }), 'point-lat', 'choose…')}
              {pick.format === 'csv' && select('Longitude', pick.lon, pick.columns, (v) => setPick({ ...pick, lon: v }), 'point-lon', 'choose…')}
              {select('Category', pick.category, pick.columns, (v) => setPick({ ...pick, category: v }), 'point-category', '(none: one category)')}
              {select('Name', pick.name, pick.columns, (v) => setPick({ ...pick, name: v }), 'point-name', '(none)')}
              <p>
                <button className="primary" onClick={addPoints} data-testid="add-points">
                  Add the layer
                </button>{' '}
                <button onClick={() => setPick(null)}>Cancel</button>
              </p>
            </div>
          )}
          <button onClick={() => pointInput.current?.click()} disabled={!engine} data-testid="open-points">
            Open a point layer…
          </button>
          <input
            ref={pointInput}
            type="file"
            hidden
            data-testid="points-file-input"
            accept=".csv,.txt,.geojson,.json"
            onChange={async (e) => {
              const files = e.target.files?.length ? await readFiles(e.target.files) : [];
              e.target.value = '';
              void startPoints(files);
            }}
          />
        </section>
      </div>
    </details>
  );
}

/** The small legend of the layers drawn: area outlines and the point categories switched on. */
/** One line of the layers' legend: an area outline (solid or dashed) or a point category's dot. */
export interface LayerLegendEntry {
  readonly shape: 'outline' | 'dashed' | 'dot';
  readonly color: string;
  readonly label: string;
  /** The category's key (dots only). */
  readonly key?: string;
}

/** What the layers' legend lists for the layers shown: the map's legend and the saved image read it. */
export function layerLegendEntries(layers: Layers, state: ViewState): LayerLegendEntry[] {
  const entries: LayerLegendEntry[] = [];
  if (layers.layers.areas && state.areas !== 'off') {
    entries.push({ shape: 'outline', color: '#14181c', label: state.areas === 'fill' ? 'Areas, coloured by their pooled figures' : 'Area outlines' });
    if (layers.areaFigures?.change) entries.push({ shape: 'dashed', color: '#c51b7d', label: "An area's flag (dashed, in the flag's colour)" });
  }
  const on = new Set(state.points);
  const several = layers.layers.points.length > 1;
  for (const c of layers.categories) {
    const key = categoryKey(c.layer, c.category);
    if (on.has(key)) entries.push({ shape: 'dot', color: categoryColor(c.colorIndex), label: several ? `${c.category} (${c.layer})` : c.category, key });
  }
  return entries;
}

export function LayersLegend({ layers, state }: { layers: Layers; state: ViewState }) {
  const entries = layerLegendEntries(layers, state);
  if (!entries.length) return null;
  const dots = entries.filter((e) => e.shape === 'dot');
  return (
    <div className="layers-legend" data-testid="layers-legend">
      {entries
        .filter((e) => e.shape !== 'dot')
        .map((e) => (
          <p key={e.shape}>
            <span className={e.shape === 'dashed' ? 'outline-swatch dashed' : 'outline-swatch'} aria-hidden="true" /> {e.label}
          </p>
        ))}
      {dots.length > 0 && (
        <ul>
          {dots.map((e) => (
            <li key={e.key} data-testid="legend-category">
              <span className="dot" style={{ background: e.color }} aria-hidden="true" /> {e.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
