/**
 * Everything a view shows, as URL parameters, so a copied link reopens the same view:
 * dataset (`data`), year, scheme (+ `cuts`), AMI, minimum households, colour-by, selected
 * tract, map position and tab.
 */
import type { AmiSpec } from '../core/ami';
import type { BandScheme } from '../core/bands';
import { DEFAULT_MIN_HOUSEHOLDS } from '../core/entropy';
import type { ColorBy } from '../map/colors';
import type { ChangeThresholds } from '../core/change';
import type { MapView } from '../map/TractMap';
import { OPTION_LIMITS } from '../data/limits';
import type { AreaRule } from '../core/areas';
import { AREA_MODES, type AreaMode } from '../map/layerStyle';

export interface ViewState {
  /** Bundle URL; null = the embedded demo. */
  data: string | null;
  year: number | null;
  scheme: BandScheme;
  ami: AmiSpec;
  minHouseholds: number;
  colorBy: ColorBy;
  tract: string | null;
  view: MapView | null;
  tab: 'map' | 'table';
  basemap: string | null;
  /** One year, or the change between two years (`from` → `to`, on the `to` year's tracts). */
  mode: 'year' | 'change';
  from: number | null;
  to: number | null;
  /** Change view: Moderate or better counts as mixed for stable mixed-income (lenient option). */
  lenient: boolean;
  /** Change view: a fuller gentrification definition drawn beside the income flags. */
  definition: 'none' | 'governing' | 'ncrc' | 'udp';
  /** Change view: flags switched off on the map (`hide=`), e.g. `stable_mixed`. */
  hiddenFlags: readonly string[];
  /** Change view: adjusted flag thresholds (only those that differ from the defaults). */
  thresholds: Partial<Pick<ChangeThresholds, 'minRealGrowth' | 'maxLowIncomeShareDrop' | 'regionGrowth' | 'requireLowIncomeLoss' | 'excludeBoundaryChanged'>>;
  /** The selected tracts (GEOIDs, in the order they were added). */
  selection: string[];
  /** The rule that made the selection, while the selection is still exactly what it selected. */
  where: string | null;
  /** The table shows the selected tracts only. */
  selectionOnly: boolean;
  // Issue 12: the bundle's own layers.
  /** Areas drawn: not at all, as outlines over the tracts (`areas=outline`), or coloured by their own figures (`areas=fill`). */
  areas: AreaMode;
  /** How tracts are counted into areas (`arule=centroid`; default share). */
  areaRule: AreaRule;
  /** The area open in the panel (`area=NAME`). */
  area: string | null;
  /** Point categories drawn, as `layer.category` keys (`pts=`); none by default. */
  points: readonly string[];
}

export const DEFAULT_VIEW: ViewState = {
  data: null,
  year: null,
  scheme: { kind: 'ami6' },
  ami: { kind: 'auto' },
  minHouseholds: DEFAULT_MIN_HOUSEHOLDS,
  colorBy: { kind: 'class' },
  tract: null,
  view: null,
  tab: 'map',
  basemap: null,
  mode: 'year',
  from: null,
  to: null,
  lenient: false,
  definition: 'none',
  hiddenFlags: [],
  thresholds: {},
  selection: [],
  where: null,
  selectionOnly: false,
  areas: 'off',
  areaRule: 'share',
  area: null,
  points: [],
};

/** At most this many point categories and characters of an area name in a link (every parameter is bounded). */
const MAX_POINT_KEYS = 200;
const MAX_AREA_NAME = 200;

/** `pts=` value: each key's parts percent-encoded, so a category with a comma or a dot survives. */
function pointsParam(keys: readonly string[]): string {
  return [...keys]
    .sort()
    .map((k) => {
      const dot = k.indexOf('.');
      return `${encodeURIComponent(k.slice(0, dot))}.${encodeURIComponent(k.slice(dot + 1))}`;
    })
    .join(',');
}

function parsePoints(value: string | null): string[] {
  if (!value || value.length > 20_000) return [];
  const keys: string[] = [];
  for (const part of value.split(',').slice(0, MAX_POINT_KEYS)) {
    const m = /^([A-Za-z][A-Za-z0-9_]{0,39})\.(.{1,600})$/.exec(part);
    if (!m) continue;
    try {
      keys.push(`${m[1]}.${decodeURIComponent(m[2])}`);
    } catch {
      // a malformed escape: leave the key out
    }
  }
  // Sorted as written, so that a state reads back from its own link.
  return [...new Set(keys)].sort();
}

/** A number in [min, max] (and whole when asked), or null: every URL parameter is bounded. */
function bounded(raw: string | null, min: number, max: number, integer = false): number | null {
  if (raw === null || raw.length > 40 || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n === 0 ? 0 : n; // no -0: a link reads back as the same state
}

function parseScheme(scheme: string | null, cuts: string | null): BandScheme {
  if (scheme === 'quintile5') return { kind: 'quintile5' };
  // At most OPTION_LIMITS.cuts cut points, in range and ascending: a link cannot freeze the page.
  if (scheme === 'custom' && cuts && cuts.length <= 400) {
    const m = /^(ami|dollars)(\d{4})?:(.+)$/.exec(cuts);
    const parts = m?.[3].split(',') ?? [];
    const [lo, hi] = m?.[1] === 'ami' ? OPTION_LIMITS.amiFraction : OPTION_LIMITS.cutDollars;
    const values = parts.length <= OPTION_LIMITS.cuts ? parts.map((x) => bounded(x, lo, hi)) : [];
    const ascending = values.every((v, i) => v !== null && v > lo && (i === 0 || v > values[i - 1]!));
    const dollarYear = m?.[2] ? Number(m[2]) : undefined;
    const yearOk = dollarYear === undefined || (dollarYear >= OPTION_LIMITS.year[0] && dollarYear <= OPTION_LIMITS.year[1]);
    if (m && values.length > 0 && ascending && yearOk) {
      return { kind: 'custom', unit: m[1] as 'ami' | 'dollars', cuts: values as number[], dollarYear };
    }
  }
  return { kind: 'ami6' };
}

export function schemeCutsParam(scheme: BandScheme): string | null {
  if (scheme.kind !== 'custom') return null;
  return `${scheme.unit}${scheme.dollarYear ?? ''}:${scheme.cuts.join(',')}`;
}

function parseColorBy(value: string | null): ColorBy {
  if (value === 'entropy' || value === 'median-ami' || value === 'delta-entropy' || value === 'transition' || value === 'delta-low-income' || value === 'real-growth') {
    return { kind: value };
  }
  const share = /^share(\d{1,2})$/.exec(value ?? '');
  if (share && Number(share[1]) < OPTION_LIMITS.cuts + 1) return { kind: 'share', group: Number(share[1]) };
  return { kind: 'class' };
}

export function colorByParam(c: ColorBy): string {
  return c.kind === 'share' ? `share${c.group}` : c.kind;
}

function parseThresholds(p: URLSearchParams): ViewState['thresholds'] {
  const t: { -readonly [K in keyof ViewState['thresholds']]: ViewState['thresholds'][K] } = {};
  const growth = bounded(p.get('growth'), ...OPTION_LIMITS.minRealGrowth);
  if (growth !== null) t.minRealGrowth = growth;
  const drop = bounded(p.get('lidrop'), ...OPTION_LIMITS.maxLowIncomeShareDrop);
  if (drop !== null) t.maxLowIncomeShareDrop = drop;
  if (p.get('region') === 'tract-median') t.regionGrowth = 'tract-median';
  if (p.get('liloss') === '1') t.requireLowIncomeLoss = true;
  if (p.get('nobc') === '1') t.excludeBoundaryChanged = true;
  return t;
}

/** Map views a link may ask for: Web Mercator's latitude limit, maplibre's zoom range. */
const VIEW_LIMITS = { lng: 180, lat: 85.0511, zoom: [0, 24] } as const;

export function parseViewState(search: string): ViewState {
  const p = new URLSearchParams(search.length > 20_000 ? '' : search);
  const ami = p.get('ami');
  const typed = bounded(ami, ...OPTION_LIMITS.amiDollars);
  const viewParts = p.get('view')?.split(',') ?? [];
  const view =
    viewParts.length === 3
      ? { lng: bounded(viewParts[0], -VIEW_LIMITS.lng, VIEW_LIMITS.lng), lat: bounded(viewParts[1], -VIEW_LIMITS.lat, VIEW_LIMITS.lat), zoom: bounded(viewParts[2], ...VIEW_LIMITS.zoom) }
      : null;
  const min = bounded(p.get('min'), ...OPTION_LIMITS.minHouseholds);
  const year = (name: string) => bounded(p.get(name), ...OPTION_LIMITS.year, true);
  const address = (name: string) => {
    const v = p.get(name);
    return v !== null && v !== '' && v.length <= OPTION_LIMITS.urlLength ? v : null;
  };
  const tract = p.get('tract');
  return {
    data: address('data'),
    year: year('year'),
    scheme: parseScheme(p.get('scheme'), p.get('cuts')),
    ami: ami === 'tract-median' ? { kind: 'tract-median' } : typed !== null ? { kind: 'typed', dollars: typed, source: 'typed by the user' } : { kind: 'auto' },
    minHouseholds: min ?? DEFAULT_MIN_HOUSEHOLDS,
    colorBy: parseColorBy(p.get('color')),
    tract: tract !== null && /^\d{11,12}$/.test(tract) ? tract : null,
    view: view && view.lng !== null && view.lat !== null && view.zoom !== null ? { lng: view.lng, lat: view.lat, zoom: view.zoom } : null,
    tab: p.get('tab') === 'table' ? 'table' : 'map',
    basemap: address('basemap'),
    mode: p.get('mode') === 'change' ? 'change' : 'year',
    from: year('from'),
    to: year('to'),
    lenient: p.get('lenient') === '1',
    definition: (['governing', 'ncrc', 'udp'] as const).find((d) => d === p.get('definition')) ?? 'none',
    hiddenFlags: (p.get('hide') ?? '').split(',').filter((f) => ['stable_mixed', 'income_upgrading', 'transitional', 'definition'].includes(f)),
    thresholds: parseThresholds(p),
    selection: [...new Set((p.get('sel') ?? '').split(',').filter((g) => /^\d{11,12}$/.test(g)))],
    where: p.get('where'),
    selectionOnly: p.get('selonly') === '1',
    areas: AREA_MODES.find((m) => m !== 'off' && m === p.get('areas')) ?? 'off',
    areaRule: p.get('arule') === 'centroid' ? 'centroid' : 'share',
    area: (() => {
      const a = p.get('area');
      return a !== null && a.trim() !== '' && a.length <= MAX_AREA_NAME ? a : null;
    })(),
    points: parsePoints(p.get('pts')),
  };
}

export function viewStateSearch(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.data) p.set('data', s.data);
  if (s.year !== null) p.set('year', String(s.year));
  if (s.scheme.kind !== 'ami6') p.set('scheme', s.scheme.kind);
  const cuts = schemeCutsParam(s.scheme);
  if (cuts) p.set('cuts', cuts);
  if (s.ami.kind !== 'auto') p.set('ami', s.ami.kind === 'typed' ? String(s.ami.dollars) : s.ami.kind);
  if (s.minHouseholds !== DEFAULT_MIN_HOUSEHOLDS) p.set('min', String(s.minHouseholds));
  if (s.colorBy.kind !== 'class') p.set('color', colorByParam(s.colorBy));
  if (s.tract) p.set('tract', s.tract);
  if (s.view) p.set('view', `${s.view.lng},${s.view.lat},${s.view.zoom}`);
  if (s.tab !== 'map') p.set('tab', s.tab);
  if (s.basemap) p.set('basemap', s.basemap);
  if (s.mode === 'change') p.set('mode', 'change');
  if (s.from !== null) p.set('from', String(s.from));
  if (s.to !== null) p.set('to', String(s.to));
  if (s.lenient) p.set('lenient', '1');
  if (s.definition !== 'none') p.set('definition', s.definition);
  if (s.hiddenFlags.length) p.set('hide', [...s.hiddenFlags].sort().join(','));
  const t = s.thresholds;
  if (t.minRealGrowth !== undefined) p.set('growth', String(t.minRealGrowth));
  if (t.maxLowIncomeShareDrop !== undefined) p.set('lidrop', String(t.maxLowIncomeShareDrop));
  if (t.regionGrowth === 'tract-median') p.set('region', 'tract-median');
  if (t.requireLowIncomeLoss) p.set('liloss', '1');
  if (t.excludeBoundaryChanged) p.set('nobc', '1');
  if (s.selection.length) p.set('sel', s.selection.join(','));
  if (s.where) p.set('where', s.where);
  if (s.selectionOnly) p.set('selonly', '1');
  if (s.areas !== 'off') p.set('areas', s.areas);
  if (s.areaRule !== 'share') p.set('arule', s.areaRule);
  if (s.area) p.set('area', s.area);
  if (s.points.length) p.set('pts', pointsParam(s.points));
  const text = p.toString();
  return text ? `?${text}` : '';
}
