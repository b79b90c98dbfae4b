/**
 * tractmix app: the map of income diversity, its controls, legend, tract details, region summary,
 * table view and data opening. State lives in the URL (viewState.ts) so a link reopens the view.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { YearAnalysis } from '../core/analyze';
import { analysisOf, snapshotOf } from './analysisCache';
import type { Dataset } from '../data/dataset';
import type { BoundarySet } from '../data/boundaries';
import { InputError } from '../data/errors';
import { TractMap } from '../map/TractMap';
import { changeFigures, shownColorBy, yearFigures } from './paintFigures';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS as DIVERSITY_CLASS_LABEL_TEXT } from '../core/entropy';
import { Controls } from './Controls';
import { Legend } from './Legend';
import { SummaryPanel } from './SummaryPanel';
import { SidePanel, UncertaintyView } from './SidePanel';
import { TractTable } from './TractTable';
import { TractDetails, GroupKey } from './TractDetails';
import { JoinReportView, OpenData } from './OpenData';
import { AddPlace } from './AddPlace';
import { ChangeDetails } from './ChangeDetails';
import { ChangeTable } from './ChangeTable';
import { ExportMenu } from './ExportMenu';
import { SelectionPanel } from './SelectionPanel';
import { changeExportTable, yearExportTable, type ExportTable } from '../data/exportTable';
import type { ExportView } from '../data/exportFiles';
import { ChangeLegend } from './ChangeLegend';
import type { ChangeAnalysis } from '../core/change';
import { changeRunnerInfo, computeChange, shareDataset } from './changeRunner';
import { periodLabel } from '../core/brackets';
import { ShareButtons } from './ShareButtons';
import type { ImageText } from './saveImage';
import { CLASS_COLORS as CLASS_COLOR_TABLE, DELTA_ENTROPY_RAMP, DELTA_LOW_INCOME_RAMP, ENTROPY_RAMP, MEDIAN_AMI_RAMP, REAL_GROWTH_RAMP, SHARE_RAMP, TRANSITIONS } from '../map/colors';
import { gentrificationDefinition } from '../core/definitions';
import { definitionInputs } from '../data/tractContext';
import { loadRunnerInfo, mapPainted, startLoading } from './loadDataset';
import { DEFAULT_VIEW, parseViewState, viewStateSearch, type ViewState } from './viewState';
import type { BasemapStatus } from '../map/TractMap';
import { tractAt, tractBounds, tractNumber } from '../data/geoContext';
// Issue 8: the work after the map is drawn (uncertainty, UDP typology) in the analysis worker.
import { useGeoContext, useUdpTypology, useUncertainty } from './useAnalysis';
import { analysisRunnerInfo } from './analysisRunner';
import { ProgressLine } from './ProgressLine';
import { SearchBox } from './SearchBox';
import { FlagList } from './FlagList';
import { Explainer } from './Explainer';
import { BasemapSwitch, BasemapNote } from './BasemapSwitch';
// Issue 12: the user's own areas and community assets (useLayers.ts holds their state and drawing).
import { useLayers, type Layers } from './useLayers';
import { LayersControl, LayersLegend, layerLegendEntries } from './LayersControl';
import { AreaPanel, AreaTooltip, PointCountsView, PointTooltip } from './AreaDetails';
import { AreaTable } from './AreaTable';
import { withPointCountColumns } from '../data/layerColumns';
import { layerParameters } from '../data/layerCounts';
import { newPanelLag, useAfterMapFrame } from './useAfterMapFrame';
import { useStableCallback } from './useStableCallback';
import type { GeocodeResult } from '../data/geocoder';
import type { BasemapChoice } from '../map/basemap';

/** Hooks for the browser tests and benchmarks, set on `window` in a test build only (read-only views of what the app shows). */
export interface TractmixTestHooks {
  status: 'loading' | 'ready' | 'error';
  /** performance.now() when the map first went idle with the figures painted. */
  readyAt: number | null;
  /** True once every year of the dataset is loaded and painted (the latest year may be drawn before). */
  complete: boolean;
  idleCount: number;
  paintGeneration: number;
  lastRepaintMs: number | null;
  map: TractMap | null;
  analysis: YearAnalysis | null;
  change: ChangeAnalysis | null;
  /** The export table of the view (the rows a rule selects from). */
  table: ExportTable | null;
  renderedIds(): string[];
  colorAt(lng: number, lat: number): [number, number, number, number];
  pointIn(geoid: string): Promise<[number, number] | null>;
  /** Where the change view was last computed: 'worker' or 'main thread'. */
  changeRanIn(): string;
  /** Where each load ran ('worker' or 'main thread') and every step it reported, in order. */
  loads(): { ranIn: string[]; progress: string[] };
  /** Where each analysis job ran ('worker' or 'main thread'), by kind (uncertainty, udp), in order. */
  analysisRanIn(): Record<string, string[]>;
  /** Analysis jobs asked for and not yet done (0 once every background result has arrived). */
  analysisWaiting(): number;
  /** ms the analysis jobs and the change view have taken on the main thread so far (running there, or sending their data). */
  mainThreadWork(): { analysis: number; change: number };
  /** Apply a view change as the controls do; resolves with ms from the change to the repainted, idle map. */
  apply(patch: Partial<ViewState>): Promise<number>;
  /** Issue 12: the user's layers as the app holds and draws them. */
  layers?: Layers;
}

declare global {
  interface Window {
    __tractmix?: TractmixTestHooks;
  }
}

export function App() {
  const [state, setState] = useState<ViewState>(() => parseViewState(window.location.search));
  const [dataset, setDataset] = useState<Dataset | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Files the user opened replace the URL's dataset: it must not be loaded over them.
  const userFiles = useRef(false);
  const [hover, setHover] = useState<{ geoid: string; x: number; y: number } | null>(null);
  const [showReport, setShowReport] = useState(false);
  const [showExplainer, setShowExplainer] = useState(false);
  /** What the app is busy with, for the progress line (null: nothing). */
  const [busy, setBusy] = useState<string | null>(() => 'Loading the data…');
  const [sheetOpen, setSheetOpen] = useState(false);
  const [basemapStatus, setBasemapStatus] = useState<BasemapStatus>({ state: 'none' });
  /** County names ("Cook County, IL") from the shipped place table, loaded after the map. */
  const [countyLabel, setCountyLabel] = useState<((geoid: string) => string | undefined) | null>(null);
  /** Shift-click (map) or the table's checkboxes add a tract to the selection or remove it. */
  const togglePick = useCallback(
    (geoid: string) => setState((s) => ({ ...s, where: null, selection: s.selection.includes(geoid) ? s.selection.filter((g) => g !== geoid) : [...s.selection, geoid] })),
    [],
  );
  const picked = state.selection;
  /** The state as last rendered, for the map's handlers (created once). */
  const shownState = useRef(state);
  useEffect(() => {
    shownState.current = state;
  });
  /** The selection a plain click on the map replaced, offered back in the selection chip. */
  const [replaced, setReplaced] = useState<{ selection: string[]; where: string | null; by: string } | null>(null);
  const mapContainer = useRef<HTMLDivElement>(null);
  const mapRef = useRef<TractMap | null>(null);
  const panelLag = useRef(newPanelLag());
  const layersRef = useRef<Layers | null>(null);
  const changeAt = useRef<number | null>(null);
  const idleWaiters = useRef<(() => void)[]>([]);
  /** The full dataset has arrived / has been painted (for `hooks.complete`). */
  const fullDataset = useRef(false);
  const fullPainted = useRef(false);
  /** Clear the progress line when the map next goes idle with figures painted. */
  const clearBusyOnIdle = useRef(true);
  /** The open tract was chosen now by the user (click, search), not restored from a link: keep it clear of the legend. */
  const userSelected = useRef(false);
  const hooks = useRef<TractmixTestHooks>({
    status: 'loading',
    readyAt: null,
    complete: false,
    idleCount: 0,
    paintGeneration: 0,
    lastRepaintMs: null,
    map: null,
    analysis: null,
    change: null,
    table: null,
    renderedIds: () => mapRef.current?.renderedIds() ?? [],
    colorAt: (lng, lat) => mapRef.current!.colorAt(lng, lat),
    pointIn: async () => null,
    apply: () => Promise.reject(new Error('not mounted')),
    changeRanIn: () => changeRunnerInfo.lastRanIn,
    loads: () => ({ ranIn: [...loadRunnerInfo.ranIn], progress: [...loadRunnerInfo.progress] }),
    analysisRanIn: () => Object.fromEntries(Object.entries(analysisRunnerInfo.ranIn).map(([k, v]) => [k, [...v]])),
    analysisWaiting: () => analysisRunnerInfo.waiting,
    mainThreadWork: () => ({ analysis: analysisRunnerInfo.mainThreadMs, change: changeRunnerInfo.mainThreadMs }),
  });

  const update = useCallback((patch: Partial<ViewState>) => {
    changeAt.current = performance.now();
    setState((s) => ({ ...s, ...patch }));
  }, []);
  // Test builds only (as below): production builds drop these functions with their condition.
  if (import.meta.env.MODE === 'test') hooks.current.apply = (patch) => {
    const start = performance.now();
    const generation = hooks.current.paintGeneration;
    update(patch);
    return new Promise((resolve) => {
      const check = () => {
        if (hooks.current.paintGeneration > generation) resolve(performance.now() - start);
        else idleWaiters.current.push(check);
      };
      idleWaiters.current.push(check);
    });
  };

  // Load the dataset named in the URL, or the embedded demo.
  useEffect(() => {
    if (userFiles.current) return;
    let cancelled = false;
    const loading = startLoading(state.data);
    const loadingWhat = state.data ? `Loading ${state.data}` : 'Loading the demo data';
    setBusy(state.data ? `${loadingWhat}: waiting for bundle.json…` : `${loadingWhat}…`);
    // Each step the loading worker reports ("parsing income-2018.csv 6.5 MB", "crosswalk 2000→2010: 812 / 2,014 tracts").
    const unsubscribe = loading.onProgress((p) => {
      if (!cancelled && !fullDataset.current) setBusy(`${loadingWhat}: ${p.text}`);
    });
    // The latest year alone is shown first, unless the link asks for another year or the change view.
    const wantsOther = state.mode === 'change' || state.year !== null;
    void loading.firstYear.then((d) => {
      performance.mark('tractmix:first-year-loaded');
      if (!cancelled) setBusy('Drawing the map…');
      if (wantsOther && !d.years.some((y) => y.year === state.year && state.mode !== 'change')) {
        mapPainted(); // nothing to paint yet: let the other years load
        return;
      }
      if (cancelled) return;
      // Draw the first year straight away, before React renders the panels around the map.
      const entry = d.years[d.years.length - 1];
      const tracts = entry && d.boundaries.get(entry.boundaryKey);
      const tiles = entry && d.tiles?.get(entry.boundaryKey);
      if (mapRef.current && entry && (tracts || tiles) && !state.tract) {
        try {
          const first = analysisOf(entry.table, { scheme: state.scheme, ami: state.ami, minHouseholds: state.minHouseholds });
          if (tracts) void mapRef.current.setTracts({ type: 'FeatureCollection', features: tracts.features }, initialView.current);
          else if (tiles?.url) void mapRef.current.setTiles({ ...tiles, url: tiles.url, ids: tiles.tracts.map((t) => t.geoid) }, initialView.current);
          void mapRef.current.setPaint(yearFigures(first));
        } catch {
          // the regular path below reports any problem
        }
      }
      setDataset((current) => current ?? d);
    });
    loading.full.then(
      (d) => {
        performance.mark('tractmix:dataset-loaded');
        if (!cancelled) {
          fullDataset.current = true;
          clearBusyOnIdle.current = true;
          setDataset(d);
        }
      },
      (e) => {
        if (cancelled) return;
        hooks.current.status = 'error';
        setBusy(null);
        setLoadError(e instanceof InputError ? e.message : String((e as Error).message ?? e));
      },
    );
    return () => {
      cancelled = true;
      unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.data]);

  const changeMode = state.mode === 'change' && !!dataset && dataset.years.length >= 2;
  const pairYears = useMemo((): [number, number] | null => {
    if (!changeMode || !dataset) return null;
    const years = dataset.years.map((y) => y.year);
    const to = state.to !== null && years.includes(state.to) ? state.to : years[years.length - 1];
    const from = state.from !== null && years.includes(state.from) && state.from < to ? state.from : years[0];
    return [from, to];
  }, [changeMode, dataset, state.from, state.to]);

  const yearEntry = useMemo(() => {
    if (!dataset || dataset.years.length === 0) return null;
    const year = pairYears ? pairYears[1] : state.year;
    return dataset.years.find((y) => y.year === year) ?? dataset.years[dataset.years.length - 1];
  }, [dataset, state.year, pairYears]);

  const [freshYearAnalysis, analysisError] = useMemo((): [YearAnalysis | null, string | null] => {
    if (!yearEntry || pairYears) return [null, null];
    try {
      return [analysisOf(yearEntry.table, { scheme: state.scheme, ami: state.ami, minHouseholds: state.minHouseholds }), null];
    } catch (e) {
      return [null, (e as Error).message];
    }
  }, [yearEntry, pairYears, state.scheme, state.ami, state.minHouseholds]);
  // The map paints the fresh analysis; the panels show it once the map has drawn it (useAfterMapFrame.ts).
  const yearAnalysis = useAfterMapFrame(freshYearAnalysis, () => mapRef.current?.map, panelLag.current);

  // The change view is computed after a frame, so the progress line shows before the work starts.
  const [changeState, setChangeState] = useState<{ key: string; result: { change: ChangeAnalysis; geography: string } | null; error: string | null } | null>(null);
  const changeKey = pairYears && dataset ? JSON.stringify([dataset.name, dataset.years.length, pairYears, state.scheme, state.ami, state.minHouseholds, state.lenient, state.thresholds]) : null;
  useEffect(() => {
    if (!pairYears || !dataset || !changeKey) return;
    let cancelled = false;
    setBusy(`Comparing ${periodLabel(pairYears[0])} with ${periodLabel(pairYears[1])}: moving counts to one set of tracts, flagging changes…`);
    const timer = window.setTimeout(() => {
      void computeChange(dataset, pairYears, { scheme: state.scheme, ami: state.ami, minHouseholds: state.minHouseholds }, { ...state.thresholds, stableClass: state.lenient ? 'moderate-or-better' : 'high' }).then((r) => {
        if (cancelled) return;
        setChangeState({ key: changeKey, ...r });
        setBusy(r.error ? null : 'Drawing the change…');
        clearBusyOnIdle.current = !r.error;
      });
    }, 30);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [changeKey]);
  const current = changeState && changeState.key === changeKey ? changeState : null;
  const changeResult = current?.result ?? null;
  const changeError = current?.error ?? null;
  const change = changeResult?.change ?? null;
  const changeIndex = useMemo(() => new Map(change?.tracts.map((t, i) => [t.geoid, i]) ?? []), [change]);
  // Governing 2015 / NCRC 2019, when the data carry population, home value and education.
  const definitionAvailable = !!pairYears && !!dataset && pairYears.every((y) => dataset.extras.has(y));
  const definitionResults = useMemo(() => {
    if (!change || !dataset || !pairYears || state.definition === 'none' || !definitionAvailable) return null;
    const inputs = definitionInputs(
      change.tracts.map((t) => t.geoid),
      pairYears,
      [dataset.extras.get(pairYears[0])!, dataset.extras.get(pairYears[1])!],
      (geoid, which) => {
        const t = change.tracts[changeIndex.get(geoid)!];
        const m = which === 0 ? change.from.medianIncome[t.index0] : change.to.medianIncome[t.index1];
        return Number.isFinite(m) ? m : null;
      },
    );
    if (state.definition === 'udp') return null;
    return new Map(gentrificationDefinition(state.definition, inputs, change.priceFactor).map((r) => [r.geoid, r]));
  }, [change, changeIndex, dataset, pairYears, state.definition, definitionAvailable]);

  // The UDP typology (2018), when the user opened UDP's raw files with its typology output.
  const udpAvailable = !!dataset?.udpFiles && pairYears?.[0] === 2000 && pairYears?.[1] === 2018;
  const { results: udpResults, error: udpError } = useUdpTypology(udpAvailable && state.definition === 'udp' ? (dataset?.udpFiles ?? null) : null);
  // METHOD §6: with MOEs, the 90% interval of H and each class's probability (one year view).
  // Sampling takes a while: it runs in the analysis worker after the map is painted.
  const uncertainty = useUncertainty(yearAnalysis && yearEntry ? snapshotOf(yearEntry.table) : null, yearAnalysis);
  const analysis = change ? change.to : yearAnalysis;
  const mapAnalysis = change ? change.to : freshYearAnalysis;


  const boundaries = yearEntry && dataset ? dataset.boundaries.get(yearEntry.boundaryKey) ?? null : null;
  // Large bundles: boundaries as vector tiles, with a list of tracts (id, name, a point inside).
  const tiles = yearEntry && dataset ? dataset.tiles?.get(yearEntry.boundaryKey) ?? null : null;
  /** Each tract's name as its boundary file (or a tiled bundle's tract list) gives it. */
  // Made after the map has drawn the tracts (85,000 names take 0.5 s): only panels, search and exports read them.
  const namedBoundaries = useAfterMapFrame(boundaries, () => mapRef.current?.map, panelLag.current);
  const namedTiles = useAfterMapFrame(tiles, () => mapRef.current?.map, panelLag.current);
  const tractNames = useMemo(
    () => new Map<string, string>(namedBoundaries ? namedBoundaries.features.map((f) => [f.properties.GEOID, f.properties.name ?? '']) : (namedTiles?.tracts.map((t) => [t.geoid, t.name]) ?? [])),
    [namedBoundaries, namedTiles],
  );
  // "Census Tract 8391, Cook County, IL": the tract's number and its county from the place table.
  // One county label per county (not per tract: 85,000 tracts share a few thousand).
  const names = useMemo(() => {
    const counties = new Map<string, string | undefined>();
    const out = new Map<string, string>();
    for (const [geoid, name] of tractNames) {
      const title = name && !/^\d+(\.\d+)?$/.test(name) ? name : `Census Tract ${name || tractNumber(geoid)}`;
      const code = geoid.slice(0, 5);
      if (!counties.has(code)) counties.set(code, countyLabel?.(geoid));
      const county = counties.get(code);
      out.set(geoid, county ? `${title}, ${county}` : title);
    }
    return out;
  }, [tractNames, countyLabel]);
  // Context (county lines and names, tract numbers): found by the loading job, drawn with the tracts.
  const [mapReady, setMapReady] = useState(false);
  const context = useGeoContext(boundaries);
  // A dataset of two years or more goes to the change worker once it is drawn (changeRunner.ts), so
  // that a switch to the change view does not wait for it to be copied there; a large one only when
  // a change is first asked for (its copy would hold tens of MB a national map may never use).
  useEffect(() => {
    if (!dataset || !mapReady || !fullDataset.current || dataset.years.length < 2) return;
    const timer = window.setTimeout(() => shareDataset(dataset), 500);
    return () => window.clearTimeout(timer);
  }, [dataset, mapReady]);
  useEffect(() => {
    let cancelled = false;
    void import('../data/places').then(({ countyName }) => {
      if (!cancelled) setCountyLabel(() => (geoid: string) => countyName(geoid, { year: yearEntry?.year }) ?? countyName(geoid));
    });
    return () => {
      cancelled = true;
    };
  }, [yearEntry?.year]);
  useEffect(() => {
    // With the county names (their table loads on its own, quickly): names given later would load the labels twice.
    if (!context || !mapRef.current || !countyLabel) return;
    void mapRef.current.setContext(context, (code) => countyLabel(code) ?? `County ${code}`);
  }, [context, countyLabel]);
  // By the tract list, not the analysis: an AMI change keeps the list (and this 85,000-entry map).
  const geoids = analysis?.geoids;
  const indexOf = useMemo(() => new Map(geoids?.map((g, i) => [g, i]) ?? []), [geoids]);
  // County names ("Cook County, IL") for exports and rules: the place table is loaded on its own.
  const [countyNamer, setCountyNamer] = useState<{ name: (geoid: string) => string | undefined } | null>(null);
  useEffect(() => {
    if (!dataset || countyNamer) return;
    void import('../data/places').then(({ countyName }) => setCountyNamer({ name: (g) => countyName(g) }));
  }, [dataset, countyNamer]);
  const exportTable = useMemo((): ExportTable | null => {
    // The export's name column holds the tract's own name (the map's labels add the county).
    const naming = { names: tractNames, countyName: countyNamer?.name };
    if (change) {
      const prefix = state.definition === 'governing' ? 'gov' : 'ncrc';
      return changeExportTable(change, naming, { definition: definitionResults ? { prefix, results: definitionResults } : null, udp: udpResults });
    }
    return yearAnalysis ? yearExportTable(yearAnalysis, naming, uncertainty) : null;
  }, [change, yearAnalysis, tractNames, countyNamer, definitionResults, udpResults, state.definition, uncertainty]);
  hooks.current.table = exportTable;
  const exportView = useMemo((): ExportView | null => {
    if (change && changeResult) return { kind: 'change', change, geography: changeResult.geography, definition: state.definition === 'none' ? null : state.definition };
    return yearAnalysis ? { kind: 'year', analysis: yearAnalysis } : null;
  }, [change, changeResult, yearAnalysis, state.definition]);
  // Box and polygon selection: tracts whose representative point is inside the shape (shapeSelection.ts).
  // Tiled bundles keep no polygons in memory: their tract list carries the same point (computed at build).
  const pointsCache = useRef<{ of: BoundarySet | object; points: ReadonlyMap<string, [number, number]> } | null>(null);
  const [drawing, setDrawing] = useState<{ kind: 'box' | 'polygon'; ready: boolean } | null>(null);
  const selectByShape = useStableCallback(async (kind: 'box' | 'polygon') => {
    const of = boundaries ?? tiles;
    if (!mapRef.current || !of || !exportTable) return;
    if (state.tab !== 'map') update({ tab: 'map' });
    setDrawing({ kind, ready: false });
    try {
      const shape = await mapRef.current.drawShape(kind, () => setDrawing({ kind, ready: true }));
      if (!shape) return;
      const { representativePoints, tractsInShape } = await import('../data/shapeSelection');
      if (pointsCache.current?.of !== of) {
        const points = boundaries ? representativePoints(boundaries.features) : new Map(tiles!.tracts.map((t) => [t.geoid, [t.lon, t.lat] as [number, number]]));
        pointsCache.current = { of, points };
      }
      const withData = new Set(exportTable.geoids);
      update({ selection: tractsInShape(pointsCache.current.points, shape).filter((g) => withData.has(g)), where: null });
    } finally {
      setDrawing(null);
    }
  });
  const selectionSet = useMemo(() => (state.selectionOnly ? new Set(state.selection) : null), [state.selectionOnly, state.selection]);

  // The map: created once, removed on unmount (StrictMode mounts twice in dev).
  useEffect(() => {
    if (!mapContainer.current) return;
    performance.mark('tractmix:map-created');
    const tm = new TractMap(mapContainer.current, {
      basemap: state.basemap,
      onBasemap: setBasemapStatus,
      onHover: (geoid, point) => setHover(geoid && point ? { geoid, ...point } : null),
      onClick: (geoid, extend, point) => {
        // Areas drawn coloured take the click (their panel opens, areasLayer.ts).
        if (layersRef.current?.areasLayer.current?.areaAt(point)) return;
        if (!geoid) return;
        if (extend) togglePick(geoid);
        else {
          // A plain click opens the tract and makes it the selection (as in a GIS); a larger
          // selection it replaces can be brought back from the selection chip.
          userSelected.current = true;
          const { selection, where } = shownState.current;
          if (selection.length > 1 || (selection.length === 1 && selection[0] !== geoid)) setReplaced({ selection, where, by: geoid });
          update({ tract: geoid, selection: [geoid], where: null });
        }
      },
      onIdle: () => {
        const h = hooks.current;
        // The test hooks' idle, ready and complete say what the panels show too: they may lag the map by a frame.
        const whenPanelsShow = (f: () => void) => (panelLag.current.pending === 0 ? f() : panelLag.current.onCaughtUp.push(f));
        whenPanelsShow(() => h.idleCount++);
        if (changeAt.current !== null && h.paintGeneration > 0) {
          h.lastRepaintMs = performance.now() - changeAt.current;
          changeAt.current = null;
        }
        if (h.paintGeneration > 0 && h.status === 'loading' && h.readyAt === null) {
          h.readyAt = performance.now();
          whenPanelsShow(() => (h.status = 'ready'));
          setMapReady(true);
          mapPainted();
        }
        if (fullPainted.current) whenPanelsShow(() => (h.complete = true));
        if (clearBusyOnIdle.current && h.paintGeneration > 0) {
          clearBusyOnIdle.current = false;
          setBusy(fullDataset.current ? null : 'Reading the other years…');
        }
        for (const resolve of idleWaiters.current.splice(0)) resolve();
      },
      onMove: (view) => setState((s) => ({ ...s, view })),
    });
    mapRef.current = tm;
    hooks.current.map = tm;
    // Only a test build (`vite build --mode test`) exposes the hooks; `npm run build` drops this line.
    if (import.meta.env.MODE === 'test') window.__tractmix = hooks.current;
    return () => {
      tm.remove();
      mapRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Boundaries → map source.
  const initialView = useRef(state.view);
  useEffect(() => {
    if (!mapRef.current) return;
    if (tiles?.url) {
      performance.mark('tractmix:tracts-set');
      void mapRef.current.setTiles({ ...tiles, url: tiles.url, ids: tiles.tracts.map((t) => t.geoid) }, initialView.current);
      initialView.current = null;
      const points = new Map(tiles.tracts.map((t) => [t.geoid, [t.lon, t.lat] as [number, number]]));
      hooks.current.pointIn = async (geoid) => points.get(geoid) ?? null;
      return;
    }
    if (!boundaries) return;
    performance.mark('tractmix:tracts-set');
    void mapRef.current.setTracts({ type: 'FeatureCollection', features: boundaries.features }, initialView.current);
    initialView.current = null;
    if (import.meta.env.MODE === 'test') hooks.current.pointIn = async (geoid) => {
      const f = boundaries.features.find((x) => x.properties.GEOID === geoid);
      const { pointOnFeature } = await import('@turf/turf');
      return f ? (pointOnFeature(f).geometry.coordinates as [number, number]) : null;
    };
  }, [boundaries, tiles]);

  // Figures → feature state; colour-by → paint property. In the commit (a layout effect), not after
  // the browser has painted it (a passive effect): maplibre then draws the new colours in the frame
  // that shows the commit, instead of a frame later (up to 17 ms more for an AMI or year change).
  useLayoutEffect(() => {
    const analysis = mapAnalysis;
    if (!analysis || !mapRef.current || (!boundaries && !tiles)) return;
    hooks.current.analysis = analysis;
    performance.mark('tractmix:paint-set');
    hooks.current.change = change;
    void mapRef.current.showFlags(change ? new Set(['stable_mixed', 'income_upgrading', 'transitional', 'definition'].filter((f) => !state.hiddenFlags.includes(f))) : false);
    void mapRef.current.setPaint(change ? changeFigures(change, definitionResults, udpResults) : yearFigures(analysis)).then(() => {
      hooks.current.paintGeneration++;
      clearBusyOnIdle.current = true;
      if (fullDataset.current) fullPainted.current = true;
      mapRef.current?.settle();
    });
    // The dataset too: the full dataset may bring the same table, and so the same (cached) analysis, as
    // the first year drawn; painting it again (nothing changes) marks the full dataset painted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mapAnalysis, change, definitionResults, udpResults, boundaries, tiles, dataset]);
  useEffect(() => {
    if (change) void mapRef.current?.showFlags(new Set(['stable_mixed', 'income_upgrading', 'transitional', 'definition'].filter((f) => !state.hiddenFlags.includes(f))));
  }, [state.hiddenFlags, change]);
  // One object per colour-by (shownColorBy makes a new one each render): the legend's deferred copy compares it.
  const shown = shownColorBy(state.colorBy, changeMode);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const colorBy = useMemo(() => shown, [JSON.stringify(shown)]);
  // The legend, like the other panels, shows a new colour-by once the map has drawn it: its render
  // (class list, ramp, histogram) stays out of the select's event and the map's frame (issue 10).
  const legendColorBy = useAfterMapFrame(colorBy, () => mapRef.current?.map, panelLag.current);
  // Issue 12: areas and points over the tracts.
  const layerOptions = useMemo(() => ({ scheme: state.scheme, ami: state.ami, minHouseholds: state.minHouseholds }), [state.scheme, state.ami, state.minHouseholds]);
  const layerThresholds = useMemo(() => ({ ...state.thresholds, stableClass: state.lenient ? ('moderate-or-better' as const) : ('high' as const) }), [state.thresholds, state.lenient]);
  const layers = useLayers({
    dataset,
    bundleAddress: userFiles.current ? undefined : state.data,
    state,
    update,
    yearEntry,
    tractAnalysis: yearAnalysis,
    change,
    pairYears,
    options: layerOptions,
    thresholds: layerThresholds,
    boundaries,
    tiles,
    mapRef,
    mapReady,
    colorBy,
  });
  layersRef.current = layers;
  // Point counts per tract as columns of the export table: exported, and fields of the selection rule (`library=0`).
  const tableWithLayers = useMemo(() => (exportTable && layers.counts.length ? withPointCountColumns(exportTable, layers.counts, 'tracts') : exportTable), [exportTable, layers.counts]);
  const layerParams = useMemo(() => (layers.setup || layers.counts.length ? layerParameters(layers.setup, layers.counts) : null), [layers.setup, layers.counts]);
  if (import.meta.env.MODE === 'test') hooks.current.layers = layers;
  useLayoutEffect(() => {
    void mapRef.current?.setColorBy(colorBy).then(() => mapRef.current?.settle());
  }, [colorBy]);
  useEffect(() => {
    void mapRef.current?.select(state.tract);
  }, [state.tract]);
  // The legend never covers the tract being read: when the open tract's label point falls under it, pan.
  useEffect(() => {
    if (!state.tract || !context || !userSelected.current) return;
    userSelected.current = false;
    const point = context.tractPoints.features.find((f) => f.properties.GEOID === state.tract)?.geometry.coordinates as [number, number] | undefined;
    const timer = window.setTimeout(() => {
      const m = mapRef.current?.map;
      const legend = document.querySelector('.legend')?.getBoundingClientRect();
      const canvas = m?.getCanvas().getBoundingClientRect();
      if (!m || !legend || !canvas || !point || m.isMoving()) return;
      const p = m.project(point);
      const [x, y] = [canvas.left + p.x, canvas.top + p.y];
      if (x > legend.left - 16 && x < legend.right && y > legend.top - 16 && y < legend.bottom) m.panBy([x - (legend.left - 60), 0], { duration: 300 });
    }, 700);
    return () => window.clearTimeout(timer);
  }, [state.tract, context]);
  useEffect(() => {
    void mapRef.current?.pick(picked);
  }, [picked]);

  // View → URL (replaceState: the back button is not flooded by every pan), written after the next
  // frame: replaceState takes 10–50 ms in Chromium here, which a repaint need not wait for.
  // The query string is made then too (1–2 ms: a colour-by change's effects run before its frame).
  useEffect(() => {
    let timer = 0;
    const frame = window.requestAnimationFrame(() => {
      timer = window.setTimeout(() => {
        const search = viewStateSearch({ ...state, year: yearEntry?.year ?? state.year });
        if (search !== window.location.search) window.history.replaceState(null, '', window.location.pathname + search);
      }, 0);
    });
    return () => {
      window.cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [state, yearEntry]);

  const openFiles = useStableCallback((d: Dataset) => {
    userFiles.current = true;
    setLoadError(null);
    fullDataset.current = true;
    hooks.current.paintGeneration = 0;
    hooks.current.status = 'loading';
    hooks.current.readyAt = null;
    initialView.current = null;
    setDataset(d);
    // A tractmix export opened with its method.json comes back with the AMI, scheme and minimum it was made with.
    setState((s) => ({ ...DEFAULT_VIEW, ...d.recordedOptions, basemap: s.basemap, tab: s.tab, colorBy: s.colorBy.kind === 'share' ? { kind: 'class' } : s.colorBy }));
  });

  // Search: every loaded tract and county, offline; addresses through the geocoder when online.
  // The search's tract list is made when something is first searched (85,000 entries a national map may never need).
  const searchTracts = useMemo(() => {
    let list: { geoid: string; label: string }[] | null = null;
    return () => (list ??= Array.from(names, ([geoid, label]) => ({ geoid, label })));
  }, [names]);
  const searchCounties = useMemo(() => [...(context?.countyBounds.keys() ?? [])].map((code) => ({ code, label: countyLabel?.(code) ?? `County ${code}` })), [context, countyLabel]);
  const goToTract = useStableCallback((geoid: string) => {
    const f = boundaries?.features.find((x) => x.properties.GEOID === geoid);
    userSelected.current = true;
    update({ tract: geoid, tab: 'map' });
    // The legend sits bottom right: keep the tract clear of it.
    const legend = document.querySelector('.legend')?.getBoundingClientRect();
    if (f) mapRef.current?.flyToBounds(tractBounds(f), 14, { right: legend?.width ?? 0 });
  });
  // Handlers of the memoised panels (React.memo): the same functions every render, so that a change
  // the panels do not show (colour by, a hover) renders none of them.
  const goToCounty = useStableCallback((code: string) => {
    const box = context?.countyBounds.get(code);
    update({ tab: 'map' });
    if (box) mapRef.current?.flyToBounds(box, 12);
  });
  const goToPlace = useStableCallback((place: GeocodeResult) => {
    const geoid = boundaries ? tractAt(place.lng, place.lat, boundaries.features) : null;
    if (geoid) {
      goToTract(geoid);
      return null;
    }
    if (place.bbox) mapRef.current?.flyToBounds(place.bbox, 13);
    return `No loaded tract contains ${place.label.split(',')[0]}.`;
  });
  const tractsInView = useCallback(() => mapRef.current?.renderedIds() ?? [], []);
  const mapOfImage = useCallback(() => mapRef.current?.map ?? null, []);
  const setSelection = useCallback((selection: string[], where: string | null) => update({ selection, where }), [update]);
  const setSelectionOnly = useCallback((selectionOnly: boolean) => update({ selectionOnly }), [update]);
  const drawSelection = useStableCallback((kind: 'box' | 'polygon') => {
    setSheetOpen(false); // on a phone the sheet would cover the map being drawn on
    void selectByShape(kind);
  });
  const openTract = useCallback((geoid: string) => update({ tract: geoid }), [update]);
  const toggleFlag = useStableCallback((flag: string, on: boolean) => update({ hiddenFlags: on ? state.hiddenFlags.filter((f) => f !== flag) : [...state.hiddenFlags, flag] }));
  const chooseBasemap = useCallback(
    (choice: BasemapChoice) => {
      update({ basemap: choice === 'light' ? null : choice });
      void mapRef.current?.setBasemap(choice);
    },
    [update],
  );
  const geocoderUrl = useMemo(() => new URLSearchParams(window.location.search).get('geocoder'), []);

  /** Title, legend, sources and method line of "Save image". */
  const imageText = useStableCallback((): ImageText | null => {
    if (!analysis || !dataset) return null;
    const what = changeMode && change ? `${periodLabel(change.from.year)} → ${periodLabel(change.to.year)}` : periodLabel(analysis.year);
    const pctf = (v: number) => `${Math.round(v * 100)}%`;
    const signed = (f: (v: number) => string) => (v: number) => (v > 0 ? '+' : '') + f(v);
    const legend: ImageText['legend'] =
      colorBy.kind === 'class'
        ? { title: 'Income diversity class', swatches: DIVERSITY_CLASSES.map((c) => ({ color: CLASS_COLOR_TABLE[c], label: DIVERSITY_CLASS_LABEL_TEXT[c] })) }
        : colorBy.kind === 'transition'
          ? { title: 'Class change', swatches: TRANSITIONS.map((t) => ({ color: t.color, label: t.label })) }
          : colorBy.kind === 'entropy'
            ? { title: 'Entropy index H', ramp: { stops: ENTROPY_RAMP, format: (v) => v.toFixed(2) } }
            : colorBy.kind === 'median-ami'
              ? { title: 'Median income ÷ AMI', ramp: { stops: MEDIAN_AMI_RAMP, format: pctf } }
              : colorBy.kind === 'share'
                ? { title: `Share: ${analysis.groups[colorBy.group]?.label ?? ''}`, ramp: { stops: SHARE_RAMP, format: pctf } }
                : colorBy.kind === 'delta-low-income'
                  ? { title: 'Change of the share below 80% AMI', ramp: { stops: DELTA_LOW_INCOME_RAMP, format: signed((v) => `${Math.round(v * 100)} pts`) } }
                  : colorBy.kind === 'real-growth'
                    ? { title: 'Real median income growth', ramp: { stops: REAL_GROWTH_RAMP, format: signed(pctf) } }
                    : { title: 'Change of the entropy index ΔH', ramp: { stops: DELTA_ENTROPY_RAMP, format: signed((v) => v.toFixed(2)) } };
    const layerSources = [
      ...(layers.layers.areas && state.areas !== 'off' ? [`areas: ${layers.layers.areas.source}`] : []),
      ...layers.layers.points.filter((p) => state.points.some((k) => k.startsWith(`${p.name}.`))).map((p) => `points ${p.name}: ${p.source}`),
    ];
    return {
      title: `${dataset.name} — ${legend.title}, ${what}`,
      subtitle: `${dataset.synthetic ? 'Synthetic demo data, not a real place. ' : ''}${analysis.schemeDescription}; AMI $${Math.round(analysis.ami.dollars).toLocaleString('en-US')} (${analysis.ami.kind}).`,
      legend,
      layers: layerLegendEntries(layers, state),
      sources: `Sources: ${[...dataset.sources, ...layerSources].join('; ')}. Map: tractmix${basemapStatus.state === 'ready' ? '; basemap © OpenMapTiles © OpenStreetMap contributors' : ''}.`,
      method: `Method: entropy index H = −Σ pᵢ ln pᵢ ÷ ln k over ${analysis.groups.length} income groups; classes High ≥ .87, Moderate ≥ .69, Low ≥ .48 (Galster, Booza & Cutsinger 2008); fewer than ${analysis.minHouseholds} households: insufficient data.`,
    };
  });

  const selectedIndex = state.tract !== null ? indexOf.get(state.tract) : undefined;
  const hoverIndex = hover ? indexOf.get(hover.geoid) : undefined;

  return (
    <div className="app">
      <header className="topbar">
        <h1>tractmix</h1>
        <div className="dataset">
          <span className="dataset-name" data-testid="dataset-name" title={dataset?.name}>
            {dataset?.name ?? (loadError ? 'No data loaded' : 'Loading…')}
          </span>
          {dataset?.synthetic && (
            <span className="badge" data-testid="synthetic-badge" title={dataset.description}>
              synthetic demo data
            </span>
          )}
        </div>
        {boundaries && (
          <SearchBox
            tracts={searchTracts}
            counties={searchCounties}
            geocoder={geocoderUrl}
            onTract={goToTract}
            onCounty={goToCounty}
            onPlace={goToPlace}
          />
        )}
        <nav className="tabs" aria-label="View">
          <button aria-pressed={state.tab === 'map'} onClick={() => update({ tab: 'map' })}>
            Map
          </button>
          <button aria-pressed={state.tab === 'table'} onClick={() => update({ tab: 'table' })}>
            Table
          </button>
        </nav>
        <button className="explain-button" aria-expanded={showExplainer} onClick={() => setShowExplainer((v) => !v)} data-testid="explain">
          What am I looking at?
        </button>
        {dataset && (
          <button className="report-button" onClick={() => setShowReport((v) => !v)} aria-expanded={showReport}>
            Join report
          </button>
        )}
        {dataset && exportTable && exportView && (
          <ExportMenu dataset={dataset} table={tableWithLayers ?? exportTable} view={exportView} boundaries={boundaries} selection={picked} where={state.where} inView={tractsInView} layerParameters={layerParams} />
        )}
        <AddPlace onOpen={openFiles} />
        <OpenData onOpen={openFiles} onProgress={setBusy} />
      </header>
      <div className="body">
        <aside className="sidebar" data-open={sheetOpen} aria-label="Settings and summary">
          <button className="sheet-handle" aria-expanded={sheetOpen} onClick={() => setSheetOpen((o) => !o)} data-testid="sheet-handle">
            <span aria-hidden="true">{sheetOpen ? '▾' : '▴'}</span> Settings, summary{change ? ' and flagged tracts' : ''}
            {picked.length > 0 && <span className="sheet-selection" data-testid="sheet-selection"> · {picked.length.toLocaleString('en-US')} selected</span>}
          </button>
          {dataset && (
            <Controls
              key={dataset.name}
              state={{ ...state, colorBy, year: yearEntry?.year ?? null, from: pairYears?.[0] ?? state.from, to: pairYears?.[1] ?? state.to }}
              years={dataset.years.map((y) => y.year)}
              definitionAvailable={definitionAvailable}
              udpAvailable={udpAvailable}
              analysis={analysis}
              onChange={update}
            />
          )}
          {(analysisError || changeError) && (
            <p className="error" role="alert">
              {analysisError ?? changeError}
            </p>
          )}
          {analysis && exportTable && (
            <SelectionPanel
              table={tableWithLayers ?? exportTable}
              analysis={analysis}
              change={change}
              selection={picked}
              where={state.where}
              selectionOnly={state.selectionOnly}
              onChange={setSelection}
              onSelectionOnly={setSelectionOnly}
              drawing={drawing}
              onDraw={drawSelection}
            />
          )}
          {change && <FlagList change={change} names={names} selected={state.tract} onSelect={goToTract} />}
          {analysis && <GroupKey analysis={analysis} />}
          {analysis && <SummaryPanel analysis={analysis} />}
        </aside>
        <main className="main">
          <div className="map" ref={mapContainer} data-testid="map" hidden={state.tab !== 'map'} aria-label="Map of tracts" role="region" />
          {state.tab === 'map' && (
            <div className="map-tools">
              {picked.length > 0 && (
                <div className="selection-chip" data-testid="selection-chip" role="status">
                  {picked.length.toLocaleString('en-US')} selected
                  {replaced && picked.length === 1 && picked[0] === replaced.by && (
                    <button type="button" className="link" onClick={() => (update({ selection: replaced.selection, where: replaced.where }), setReplaced(null))} data-testid="selection-undo">
                      Back to {replaced.selection.length.toLocaleString('en-US')}
                    </button>
                  )}
                  <button type="button" className="link" onClick={() => update({ selection: [], where: null })}>
                    Clear
                  </button>
                </div>
              )}
              <BasemapSwitch value={state.basemap} onChange={chooseBasemap} />
              {dataset && <LayersControl layers={layers} state={state} update={update} tiled={!boundaries && !!tiles} onOpenArea={(name) => update({ area: name, tract: null })} />}
              {dataset && analysis && <ShareButtons map={mapOfImage} imageText={imageText} fileName={`tractmix-${dataset.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}`} />}
            </div>
          )}
          {state.tab === 'map' && <BasemapNote status={basemapStatus} />}
          {state.tab === 'map' && <LayersLegend layers={layers} state={state} />}
          {state.tab === 'table' && layers.areaFigures && dataset && (
            <AreaTable figures={layers.areaFigures} counts={layers.counts} dataset={dataset} selected={state.area} onSelect={(name) => update({ area: name, tract: null })} />
          )}
          {state.tab === 'table' && analysis && !change && <TractTable analysis={analysis} names={names} only={selectionSet} selected={state.tract} onSelect={openTract} picked={picked} onTogglePick={togglePick} pointCounts={layers.counts} />}
          {state.tab === 'table' && change && <ChangeTable change={change} names={names} only={selectionSet} selected={state.tract} onSelect={openTract} picked={picked} onTogglePick={togglePick} pointCounts={layers.counts} />}
          <ProgressLine busy={busy} />
          {showExplainer && analysis && dataset && (
            <Explainer
              analysis={analysis}
              change={change}
              dataset={dataset}
              exampleIndex={hoverIndex ?? selectedIndex ?? null}
              exampleName={names.get((hover?.geoid ?? state.tract) || '')}
              onClose={() => setShowExplainer(false)}
            />
          )}
          {showReport && dataset && (
            <section className="reports report-overlay" aria-label="Join reports" data-testid="join-reports">
              <button className="close" onClick={() => setShowReport(false)} aria-label="Close the join report">
                ×
              </button>
              {dataset.reports.map((r) => (
                <JoinReportView key={r.incomeFile + r.rowsRead} report={r} />
              ))}
            </section>
          )}
          {loadError && (
            <div className="load-error" role="alert" data-testid="load-error">
              {loadError}
            </div>
          )}
          {analysis && dataset && state.tab === 'map' && !change && <Legend analysis={analysis} colorBy={legendColorBy} dataset={dataset} uncertainty={uncertainty} />}
          {change && changeResult && state.tab === 'map' && (
            <ChangeLegend
              change={change}
              colorBy={legendColorBy}
              geography={changeResult.geography}
              definition={definitionResults}
              definitionId={state.definition}
              udp={udpResults}
              udpError={udpError}
              hiddenFlags={state.hiddenFlags}
              onToggleFlag={toggleFlag}
            />
          )}
          {state.tab === 'map' && (layers.hoverPoint || (layers.hoverArea && layers.areaFigures)) && (
            <div
              className="tooltip"
              style={(({ x, y }) => ({
                left: x + 14,
                top: y + 14,
                transform: `translate(${x > (mapContainer.current?.clientWidth ?? 0) / 2 ? 'calc(-100% - 28px)' : '0'}, ${y > (mapContainer.current?.clientHeight ?? 0) / 2 ? 'calc(-100% - 28px)' : '0'})`,
              }))((layers.hoverPoint ?? layers.hoverArea)!)}
            >
              {layers.hoverPoint ? <PointTooltip point={layers.hoverPoint.point} /> : <AreaTooltip figures={layers.areaFigures!} name={layers.hoverArea!.name} />}
            </div>
          )}
          {hover && hoverIndex !== undefined && analysis && state.tab === 'map' && !layers.hoverPoint && !layers.hoverArea && (
            <div
              className="tooltip"
              style={{
                left: hover.x + 14,
                top: hover.y + 14,
                // Flip towards the middle so the tooltip stays on the map.
                transform: `translate(${hover.x > (mapContainer.current?.clientWidth ?? 0) / 2 ? 'calc(-100% - 28px)' : '0'}, ${hover.y > (mapContainer.current?.clientHeight ?? 0) / 2 ? 'calc(-100% - 28px)' : '0'})`,
              }}
              data-testid="tooltip"
            >
              {change && changeIndex.has(hover.geoid) ? (
                <ChangeDetails compact change={change} tract={change.tracts[changeIndex.get(hover.geoid)!]} name={names.get(hover.geoid)} definition={definitionResults?.get(hover.geoid)} definitionId={state.definition} udp={udpResults?.get(hover.geoid)} />
              ) : (
                <TractDetails analysis={analysis} index={hoverIndex} name={names.get(hover.geoid)} />
              )}
            </div>
          )}
        </main>
        {analysis && selectedIndex !== undefined && yearEntry && (
          <SidePanel
            analysis={analysis}
            index={selectedIndex}
            unit={yearEntry.table.units[selectedIndex]}
            set={yearEntry.table.set}
            name={names.get(state.tract!)}
            onClose={() => update({ tract: null })}
            details={
              change && changeIndex.has(state.tract!) ? (
                <ChangeDetails change={change} tract={change.tracts[changeIndex.get(state.tract!)!]} name={names.get(state.tract!)} definition={definitionResults?.get(state.tract!)} definitionId={state.definition} udp={udpResults?.get(state.tract!)} />
              ) : undefined
            }
            extra={
              <>
                {!change && uncertainty ? <UncertaintyView value={uncertainty[selectedIndex]} /> : null}
                <PointCountsView counts={layers.counts} unit={state.tract!} which="tracts" categories={layers.categories} />
              </>
            }
          />
        )}
        {state.area && layers.areaFigures && !(analysis && selectedIndex !== undefined) && (
          <AreaPanel
            figures={layers.areaFigures}
            name={state.area}
            names={names}
            tractHouseholds={(g) => {
              const i = indexOf.get(g);
              return i === undefined || !analysis ? null : analysis.households[i];
            }}
            counts={layers.counts}
            categories={layers.categories}
            onClose={() => update({ area: null })}
            onTract={(g) => goToTract(g)}
          />
        )}
      </div>
    </div>
  );
}
