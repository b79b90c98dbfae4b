/**
 * The user's layers in the app (issue 12): which are loaded (from the bundle, or opened as files),
 * their figures (areas pooled by the core, points counted per tract and per area), and their
 * drawing on the map (areasLayer.ts, pointsLayer.ts). Kept out of App.tsx, which only passes the
 * dataset, the view and the map in, and places what this returns.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { AnalysisOptions, YearAnalysis } from '../core/analyze';
import { groupShares } from '../core/analyze';
import type { ChangeAnalysis, ChangeThresholds } from '../core/change';
import type { TractUncertainty } from '../core/uncertainty';
import { useUncertainty } from './useAnalysis';
import type { Dataset, DatasetYear } from '../data/dataset';
import type { BoundarySet } from '../data/boundaries';
import type { TiledBoundaries } from '../data/bundle';
import { InputError } from '../data/errors';
import { toSnapshot } from '../data/income';
import type { AreaSetup } from '../data/layerFigures';
import type { LoadedAreaLayer, LoadedLayers, LoadedPointLayer } from '../data/layerFiles';
import type { LayerCounts } from '../data/layerExport';
import { prepareYearPair } from '../data/yearPair';
import type { AreasLayer, AreaPaint } from '../map/areasLayer';
import { CLASS_CODES, packColor, tractColor, type ColorBy, type TractPaintState } from '../map/colors';
import type { HoveredPoint, PointsLayer } from '../map/pointsLayer';
import { categoryKey, type PointCategory } from '../map/layerStyle';
import type { TractMap } from '../map/TractMap';
import type { AreaAnalysis } from '../core/areas';
import { transitionCode } from './ChangeLegend';
import type { LayerEngine } from './layerEngine';
import type { ViewState } from './viewState';

export interface AreaFigures {
  readonly setup: AreaSetup;
  /** The areas of the year shown (in the change view: the later year). */
  readonly year: AreaAnalysis;
  readonly uncertainty: readonly TractUncertainty[] | null;
  /** The change view: ΔH and flags per area (areaChange), once computed. */
  readonly change: (ChangeAnalysis & { readonly areas: readonly [AreaAnalysis, AreaAnalysis] }) | null;
  readonly changeError: string | null;
}

export interface LayersInput {
  readonly dataset: Dataset | null;
  /** The `?data=` address of the dataset (null: the demo); undefined when the user opened files (no bundle layers). */
  readonly bundleAddress: string | null | undefined;
  readonly state: ViewState;
  readonly update: (patch: Partial<ViewState>) => void;
  readonly yearEntry: DatasetYear | null;
  readonly tractAnalysis: YearAnalysis | null;
  readonly change: ChangeAnalysis | null;
  readonly pairYears: readonly [number, number] | null;
  readonly options: AnalysisOptions;
  readonly thresholds: Partial<ChangeThresholds>;
  readonly boundaries: BoundarySet | null;
  readonly tiles: TiledBoundaries | null;
  readonly mapRef: RefObject<TractMap | null>;
  readonly mapReady: boolean;
  readonly colorBy: ColorBy;
}

/** Paint state of each unit of an analysis (the same figures the tracts are painted from in App.tsx). */
export function unitPaintStates(a: YearAnalysis): Map<string, TractPaintState> {
  const states = new Map<string, TractPaintState>();
  a.geoids.forEach((id, i) => {
    const cls = a.classes[i];
    const state: TractPaintState = {
      ok: cls === 'insufficient' ? 0 : 1,
      cls: CLASS_CODES[cls],
      h: Number.isFinite(a.entropy[i]) ? a.entropy[i] : -1,
      med: Number.isFinite(a.medianIncome[i]) ? a.medianIncome[i] / a.ami.dollars : -1,
      nohh: a.households[i] > 0 ? 0 : 1,
    };
    groupShares(a, i).forEach((s, k) => (state[`s${k}`] = s));
    states.set(id, state);
  });
  return states;
}

function changeUnitStates(c: ChangeAnalysis): Map<string, TractPaintState & { flag: AreaPaint['flag'] }> {
  const states = new Map<string, TractPaintState & { flag: AreaPaint['flag'] }>();
  c.tracts.forEach((t, i) => {
    const ok = t.classes[0] !== 'insufficient' && t.classes[1] !== 'insufficient';
    states.set(t.geoid, {
      ok: ok ? 1 : 0,
      nohh: c.to.households[t.index1] > 0 ? 0 : 1,
      cls: CLASS_CODES[t.classes[1]],
      h: Number.isFinite(t.entropy[1]) ? t.entropy[1] : -1,
      med: Number.isFinite(t.medianAmi[1]) ? t.medianAmi[1] : -1,
      dh: Number.isFinite(t.deltaEntropy) ? t.deltaEntropy : 0,
      tr: transitionCode(c, i),
      dli: Number.isFinite(t.lowIncomeShare[1] - t.lowIncomeShare[0]) ? t.lowIncomeShare[1] - t.lowIncomeShare[0] : 0,
      growth: Number.isFinite(t.realMedianGrowth) ? t.realMedianGrowth : 0,
      flag: t.flags.transitional ? 'transitional' : t.flags.income_upgrading ? 'income_upgrading' : t.flags.stable_mixed ? 'stable_mixed' : null,
    });
  });
  return states;
}

/** Every category of every point layer, with its colour index (in order: layers, then first appearance). */
export function pointCategoriesOf(points: readonly LoadedPointLayer[]): PointCategory[] {
  const out: PointCategory[] = [];
  for (const p of points) for (const category of new Set(p.layer.points.map((x) => x.category))) out.push({ layer: p.name, category, colorIndex: out.length });
  return out;
}

const NO_LAYERS: LoadedLayers = { areas: null, points: [] };

export function useLayers(input: LayersInput) {
  const { dataset, bundleAddress, state, update, yearEntry, tractAnalysis, change, pairYears, options, thresholds, boundaries, tiles, mapRef, mapReady, colorBy } = input;
  const [layers, setLayers] = useState<LoadedLayers>(NO_LAYERS);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [hoverArea, setHoverArea] = useState<{ name: string; x: number; y: number } | null>(null);
  const [hoverPoint, setHoverPoint] = useState<{ point: HoveredPoint; x: number; y: number } | null>(null);
  const areasLayer = useRef<AreasLayer | null>(null);
  /** True once the map layers exist (the effects that draw wait for it). */
  const [mapLayersReady, setMapLayersReady] = useState(false);
  const pointsLayer = useRef<PointsLayer | null>(null);

  // Geometry, readers and map layers: loaded once a dataset is shown, never before the first map.
  const [engine, setEngine] = useState<LayerEngine | null>(null);
  useEffect(() => {
    if (!dataset || engine) return;
    let cancelled = false;
    void import('./layerEngine').then((m) => !cancelled && setEngine(m));
    return () => {
      cancelled = true;
    };
  }, [dataset, engine]);

  // The bundle's own layers, once the dataset of that address is there (never for the user's files).
  useEffect(() => {
    setLayers(NO_LAYERS);
    setLoadError(null);
    if (!dataset || !engine) return;
    // A bundle opened from files carries its reader; one at an address is fetched from there.
    const opened = dataset.bundleLayers;
    if (!opened && bundleAddress === undefined) return;
    let cancelled = false;
    (opened ? engine.readBundleLayers(opened.meta, async (file) => {
        const bytes = opened.files[file];
        if (!bytes) throw new InputError({ file, problem: 'bundle.json lists this layer file but it is not among the files opened', action: 'Pick every file of the bundle folder, or open the bundle zip as it was saved; the map works without the layer.' });
        return new TextDecoder().decode(bytes);
      }) : engine.loadBundleLayers(bundleAddress!)).then(
      (l) => !cancelled && setLayers(l),
      (e) => !cancelled && setLoadError(e instanceof InputError ? e.message : String((e as Error).message ?? e)),
    );
    return () => {
      cancelled = true;
    };
    // The first-year dataset and the full one are the same bundle: load once per address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bundleAddress, dataset === null, dataset?.bundleLayers, engine]);

  // Weights of the tracts in the areas (the rule; centroid from representative points on tiles).
  const setup = useMemo((): AreaSetup | null => {
    if (!layers.areas || !engine) return null;
    if (boundaries) return engine.setupAreas(layers.areas, state.areaRule, { polygons: boundaries.features });
    if (tiles) return engine.setupAreas(layers.areas, state.areaRule, { points: tiles.tracts });
    return null;
  }, [layers.areas, state.areaRule, boundaries, tiles, engine]);

  const yearAreas = useMemo((): AreaAnalysis | null => {
    if (!setup || !engine || !yearEntry || !tractAnalysis || tractAnalysis.year !== yearEntry.year) return null;
    return engine.areaYear(setup, toSnapshot(yearEntry.table), options, tractAnalysis);
  }, [setup, yearEntry, tractAnalysis, options, engine]);

  // The areas' uncertainty sample runs in the analysis worker (useAnalysis.ts), as the tracts' does.
  const uncertainty = useUncertainty(yearAreas?.snapshot ?? null, yearAreas?.analysis ?? null, 200);

  // The change view: both years pooled with the same weights, after a frame.
  const [areaChangeState, setAreaChangeState] = useState<{ key: string; value: AreaFigures['change']; error: string | null } | null>(null);
  const changeKey = setup && change && pairYears && dataset ? JSON.stringify([dataset.name, pairYears, options, thresholds, setup.rule, setup.names.length, setup.weights.length]) : null;
  useEffect(() => {
    if (!changeKey || !setup || !dataset || !pairYears || !engine) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      try {
        const pair = prepareYearPair(dataset, pairYears[0], pairYears[1], options);
        const value = engine.areaChange(pair.from, pair.to, setup.weights, setup.names, options, thresholds);
        if (!cancelled) setAreaChangeState({ key: changeKey, value, error: null });
      } catch (e) {
        if (!cancelled) setAreaChangeState({ key: changeKey, value: null, error: (e as Error).message });
      }
    }, 50);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [changeKey]);
  const areaChangeNow = areaChangeState && areaChangeState.key === changeKey ? areaChangeState : null;

  const areaFigures = useMemo((): AreaFigures | null => {
    if (!setup) return null;
    const year = change ? (areaChangeNow?.value?.areas[1] ?? null) : yearAreas;
    if (!year) return null;
    return { setup, year, uncertainty: change ? null : uncertainty, change: change ? (areaChangeNow?.value ?? null) : null, changeError: change ? (areaChangeNow?.error ?? null) : null };
  }, [setup, yearAreas, uncertainty, change, areaChangeNow]);

  // Points per tract (polygons only) and per area.
  const counts = useMemo((): LayerCounts[] => (engine ? engine.countLayers(layers.points, boundaries?.features ?? null, layers.areas) : []), [layers.points, layers.areas, boundaries, engine]);
  const categories = useMemo(() => pointCategoriesOf(layers.points), [layers.points]);

  /** The categories switched off (not in the view's `pts`). */
  const hidden = useMemo(() => {
    const on = new Set(state.points);
    return new Set(categories.map((c) => categoryKey(c.layer, c.category)).filter((k) => !on.has(k)));
  }, [state.points, categories]);

  // --- the map
  useEffect(() => {
    const tm = mapRef.current;
    if (!tm || !mapReady || !engine) return;
    if (!areasLayer.current) {
      areasLayer.current = new engine.AreasLayer(tm.map, {
        onHover: (name, at) => setHoverArea(name && at ? { name, ...at } : null),
        onClick: (name) => update({ area: name, tract: null }),
      });
    }
    if (!pointsLayer.current) pointsLayer.current = new engine.PointsLayer(tm.map, { onHover: (point, at) => setHoverPoint(point && at ? { point, ...at } : null) });
    setMapLayersReady(true);
    return undefined;
  }, [mapRef, mapReady, update, engine]);
  useEffect(() => {
    const a = areasLayer.current;
    if (!a || !mapLayersReady) return;
    a.show(layers.areas?.layer.features ?? [], layers.areas ? state.areas : 'off');
  }, [layers.areas, mapLayersReady, state.areas]);
  useEffect(() => {
    const a = areasLayer.current;
    if (!a || !mapLayersReady || !areaFigures) return;
    const states = areaFigures.change ? changeUnitStates(areaFigures.change) : unitPaintStates(areaFigures.year.analysis);
    const cache = new Map<string, number>();
    const paint = new Map<string, AreaPaint>();
    for (const [name, s] of states) {
      const hex = tractColor(colorBy, s);
      let c = cache.get(hex);
      if (c === undefined) cache.set(hex, (c = packColor(hex)));
      paint.set(name, { c, flag: 'flag' in s ? (s as { flag: AreaPaint['flag'] }).flag : null });
    }
    a.setPaint(paint);
    // colorBy is a new object each render: its text is the dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [areaFigures, JSON.stringify(colorBy), mapLayersReady, layers.areas]);
  useEffect(() => {
    areasLayer.current?.select(state.area);
  }, [state.area, mapLayersReady, layers.areas]);
  useEffect(() => {
    const p = pointsLayer.current;
    if (!p || !mapLayersReady) return;
    const colorOf = new Map(categories.map((c) => [categoryKey(c.layer, c.category), c.colorIndex]));
    // With the categories switched off: the layer is not made while every one is.
    p.setPoints(layers.points.flatMap((l) => l.layer.points.map((x) => ({ layer: l.name, category: x.category, name: x.name, lon: x.lon, lat: x.lat, colorIndex: colorOf.get(categoryKey(l.name, x.category)) ?? 0 }))), hidden);
    // A change of `hidden` alone is applied by the effect below; here it is only the start.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layers.points, categories, mapLayersReady]);
  useEffect(() => {
    pointsLayer.current?.setHidden(hidden);
  }, [hidden, mapLayersReady, layers.points]);
  // A tract opened (map click, search, table) closes the area panel.
  useEffect(() => {
    if (state.tract && state.area) update({ area: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.tract]);

  /** Replace the area layer (a file the user opened); its areas are drawn as outlines. */
  const openAreas = useCallback(
    (areas: LoadedAreaLayer) => {
      setLayers((l) => ({ ...l, areas }));
      update({ area: null, ...(state.areas === 'off' ? { areas: 'outline' as const } : {}) });
    },
    [update, state.areas],
  );
  /** Add (or replace, by name) a point layer; its categories are switched on. */
  const openPoints = useCallback(
    (points: LoadedPointLayer) => {
      setLayers((l) => ({ ...l, points: [...l.points.filter((p) => p.name !== points.name), points] }));
      const keys = [...new Set(points.layer.points.map((p) => categoryKey(points.name, p.category)))];
      update({ points: [...new Set([...state.points.filter((k) => !k.startsWith(`${points.name}.`)), ...keys])] });
    },
    [update, state.points],
  );
  const removeAreas = useCallback(() => {
    setLayers((l) => ({ ...l, areas: null }));
    update({ area: null, areas: 'off' });
  }, [update]);
  const removePoints = useCallback(
    (name: string) => {
      setLayers((l) => ({ ...l, points: l.points.filter((p) => p.name !== name) }));
      update({ points: state.points.filter((k) => !k.startsWith(`${name}.`)) });
    },
    [update, state.points],
  );

  return {
    engine,
    layers,
    loadError,
    setup,
    areaFigures,
    counts,
    categories,
    hoverArea: state.areas === 'fill' ? hoverArea : null,
    hoverPoint,
    areasLayer,
    pointsLayer,
    openAreas,
    openPoints,
    removeAreas,
    removePoints,
  };
}

export type Layers = ReturnType<typeof useLayers>;
