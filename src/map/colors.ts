/**
 * Colours and maplibre paint expressions for each "colour by" mode. Pure: builds style-spec
 * expressions from numbers the core computed; unit-tested with the style-spec evaluator in node.
 *
 * Palettes are colour-blind-safe ColorBrewer / viridis schemes (Brewer & Harrower, colorbrewer2.org;
 * van der Walt & Smith, viridis). "Insufficient data" is always a neutral grey that no ramp uses,
 * never the colour of zero (METHOD.md §4).
 */
import type { DiversityClass } from '../core/entropy';

export const INSUFFICIENT_COLOR = '#b8b8b8';
export const NO_DATA_COLOR = '#e6e6e6';

/**
 * The selection outline: a white line inside a black casing. Black has at least 4:1 contrast
 * (WCAG 2.1 relative luminance) with every class colour, white at least 3:1 with the dark ends of
 * the ramps, so the outline stands out over any fill at any zoom (test/map/colors.test.ts).
 */
export const SELECTION_OUTLINE = { casing: '#000000', core: '#ffffff', casingWidth: 5, coreWidth: 2 } as const;

/** Diversity classes, most diverse first: ColorBrewer RdYlBu 4 (colour-blind safe), reversed. */
export const CLASS_COLORS: Readonly<Record<DiversityClass, string>> = {
  high: '#2c7bb6',
  moderate: '#abd9e9',
  low: '#fdae61',
  'not-diverse': '#d7191c',
  insufficient: INSUFFICIENT_COLOR,
};

/** Numeric class codes used in feature state. */
export const CLASS_CODES: Readonly<Record<DiversityClass, number>> = { high: 0, moderate: 1, low: 2, 'not-diverse': 3, insufficient: 4 };

/** Viridis at 7 stops for the entropy index (0 → 1). */
export const ENTROPY_RAMP: readonly [number, string][] = [
  [0, '#440154'],
  [0.3, '#443983'],
  [0.48, '#31688e'],
  [0.69, '#21918c'],
  [0.8, '#35b779'],
  [0.87, '#90d743'],
  [1, '#fde725'],
];

/** Median income ÷ AMI on a diverging BrBG ramp centred at 1 (the area median). */
export const MEDIAN_AMI_RAMP: readonly [number, string][] = [
  [0.3, '#8c510a'],
  [0.5, '#d8b365'],
  [0.8, '#f6e8c3'],
  [1, '#f5f5f5'],
  [1.2, '#c7eae5'],
  [1.5, '#5ab4ac'],
  [2.2, '#01665e'],
];

/** Share of one income group: sequential YlGnBu. */
export const SHARE_RAMP: readonly [number, string][] = [
  [0, '#ffffcc'],
  [0.1, '#c7e9b4'],
  [0.2, '#7fcdbb'],
  [0.3, '#41b6c4'],
  [0.45, '#2c7fb8'],
  [0.6, '#253494'],
];

export type ColorBy =
  | { kind: 'class' }
  | { kind: 'entropy' }
  | { kind: 'median-ami' }
  | { kind: 'share'; group: number }
  // Change view (two years on one geography)
  | { kind: 'delta-entropy' }
  | { kind: 'transition' }
  | { kind: 'delta-low-income' }
  | { kind: 'real-growth' };

export const CHANGE_COLOR_KINDS: readonly ColorBy['kind'][] = ['delta-entropy', 'transition', 'delta-low-income', 'real-growth'];

/** ΔH on a diverging ramp (ColorBrewer PuOr, CB-safe): purple = less diverse, orange = more. */
export const DELTA_ENTROPY_RAMP: readonly [number, string][] = [
  [-0.3, '#542788'],
  [-0.15, '#998ec3'],
  [-0.05, '#d8daeb'],
  [0, '#f7f7f7'],
  [0.05, '#fee0b6'],
  [0.15, '#f1a340'],
  [0.3, '#b35806'],
];

/** Change of the share below 80% AMI (points): RdBu, red = low-income share fell. */
export const DELTA_LOW_INCOME_RAMP: readonly [number, string][] = [
  [-0.3, '#b2182b'],
  [-0.15, '#ef8a62'],
  [-0.05, '#fddbc7'],
  [0, '#f7f7f7'],
  [0.05, '#d1e5f0'],
  [0.15, '#67a9cf'],
  [0.3, '#2166ac'],
];

/** Real growth of the median income: BrBG, green = grew. */
export const REAL_GROWTH_RAMP: readonly [number, string][] = [
  [-0.4, '#8c510a'],
  [-0.2, '#d8b365'],
  [-0.05, '#f6e8c3'],
  [0, '#f5f5f5'],
  [0.1, '#c7eae5'],
  [0.3, '#5ab4ac'],
  [0.6, '#01665e'],
];

/** Class transitions between the two years. */
export const TRANSITIONS = [
  { code: 0, key: 'stayed-high', label: 'Stayed High', color: '#2c7bb6' },
  { code: 1, key: 'more-diverse', label: 'More diverse (class up)', color: '#1a9641' },
  { code: 2, key: 'same', label: 'Same class (below High)', color: '#fee08b' },
  { code: 3, key: 'less-diverse', label: 'Less diverse (class down)', color: '#d7191c' },
] as const;

/** Flag outlines: distinct colour and dash so they stay readable over any fill. */
export const FLAG_STYLES = {
  stable_mixed: { color: '#00441b', dash: [1, 0], width: 2.5, label: 'Stable mixed-income' },
  income_upgrading: { color: '#000000', dash: [2, 1.2], width: 2.5, label: 'Income upgrading' },
  transitional: { color: '#c51b7d', dash: [0.6, 0.9], width: 3, label: 'Transitional mix (upgrading, mixed now)' },
} as const;

/** Feature state per tract, set by the map wrapper from the core's figures. */
/** Outline of the tracts a fuller definition (Governing 2015, NCRC 2019) calls gentrified. */
export const DEFINITION_STYLE = { color: '#e66101', dash: [3, 1.5], width: 3 } as const;

/** Line width of a flag outline: its width where the tract has the flag (feature state), else 0. */
export function flagWidthExpression(flag: keyof typeof FLAG_STYLES | 'definition'): unknown[] {
  const base = flag === 'definition' ? DEFINITION_STYLE.width : FLAG_STYLES[flag].width;
  const width = (scale: number) => ['case', ['==', ['coalesce', ['feature-state', `f_${flag}`], 0], 1], base * scale, 0];
  // Thinner at region scale, so that many flagged tracts do not hide the fill.
  return ['interpolate', ['linear'], ['zoom'], 8, width(0.55), 12, width(1), 15, width(1.4)];
}

export interface TractPaintState {
  /** 1 when the tract has an H and a class (enough households); 0 when insufficient. */
  ok: 0 | 1;
  cls: number;
  h: number;
  /** Median income ÷ AMI; −1 when unknown. */
  med: number;
  /** 1 when the tract has no households (hatched on the map, never read as a value). */
  nohh?: 0 | 1;
  /** Group shares s0 … s(k−1). */
  [share: `s${number}`]: number;
  /** Change view: ΔH, transition code, Δ low-income share, real median growth, flags (0/1). */
  dh?: number;
  tr?: number;
  dli?: number;
  growth?: number;
  f_stable_mixed?: number;
  f_income_upgrading?: number;
  f_transitional?: number;
  f_definition?: number;
}

type Expression = unknown[];

/** A colour as one number 0xRRGGBB: one feature-state key per tract instead of a string to parse. */
export function packColor(hex: string): number {
  return parseInt(hex.slice(1), 16);
}

/**
 * The fill colour, read from feature state `c` (a packed 0xRRGGBB). The expression never changes:
 * colour-by, AMI, groups and years change the state only. A data-driven paint change (or a filter)
 * makes maplibre re-tile the whole source (TOOLCHAIN.md); a feature-state update does not.
 */
export const FILL_COLOR_EXPRESSION: Expression = [
  'case',
  ['==', ['typeof', ['feature-state', 'c']], 'number'],
  ['rgb', ['floor', ['/', ['feature-state', 'c'], 65536]], ['%', ['floor', ['/', ['feature-state', 'c'], 256]], 256], ['%', ['feature-state', 'c'], 256]],
  NO_DATA_COLOR,
];

/**
 * The figures the map paints, one entry per tract, in columns: a repaint reads them without
 * making an object per tract (85,000 objects cost more than the rest of a recolour). Built by the
 * app from the core's analysis (ui/paintFigures.ts).
 */
export interface TractFigures {
  readonly ids: readonly string[];
  /** 1 when the tract has an H and a class (enough households); 0 when insufficient. */
  readonly ok: Uint8Array;
  /** Class codes (CLASS_CODES). */
  readonly cls: Uint8Array;
  /** H; −1 when unknown. */
  readonly h: Float64Array;
  /** Median income ÷ AMI; −1 when unknown. */
  readonly med: Float64Array;
  /** 1 when the tract has no households (hatched on the map, never read as a value). */
  readonly nohh: Uint8Array;
  /** Households per income group, tract-major (`ids.length × groups`): a group's share is its count ÷ `households`. */
  readonly shares?: { readonly groups: number; readonly counts: Float64Array; readonly households: Float64Array };
  /** Change view: ΔH, transition code, Δ low-income share, real median growth. */
  readonly dh?: Float64Array;
  readonly tr?: Uint8Array;
  readonly dli?: Float64Array;
  readonly growth?: Float64Array;
  /** Change view: flag outlines as bits (FLAG_BITS). */
  readonly flags?: Uint8Array;
}

/** Bits of `TractFigures.flags`, one per flag outline. */
export const FLAG_BITS = { stable_mixed: 1, income_upgrading: 2, transitional: 4, definition: 8 } as const;

/** A ramp's stops as numbers, parsed once per ramp (a recolour reads each ramp for every tract). */
const parsedRamps = new WeakMap<readonly [number, string][], { values: Float64Array; rgb: [number, number, number][]; packed: Uint32Array }>();
function parsedRamp(stops: readonly [number, string][]) {
  let r = parsedRamps.get(stops);
  if (!r) {
    r = { values: Float64Array.from(stops, ([v]) => v), rgb: stops.map(([, c]) => hexToRgb(c)), packed: Uint32Array.from(stops, ([, c]) => packColor(c)) };
    parsedRamps.set(stops, r);
  }
  return r;
}

/** Colour of a value on a ramp as a packed 0xRRGGBB (same interpolation as maplibre's, in RGB, rounded per channel). */
export function rampPacked(stops: readonly [number, string][], value: number): number {
  const { values, rgb, packed } = parsedRamp(stops);
  if (value <= values[0]) return packed[0];
  for (let i = 1; i < values.length; i++) {
    if (value <= values[i]) {
      const t = (value - values[i - 1]) / (values[i] - values[i - 1]);
      const a = rgb[i - 1];
      const b = rgb[i];
      return (Math.round(a[0] + (b[0] - a[0]) * t) << 16) | (Math.round(a[1] + (b[1] - a[1]) * t) << 8) | Math.round(a[2] + (b[2] - a[2]) * t);
    }
  }
  return packed[packed.length - 1];
}

const INSUFFICIENT_PACKED = packColor(INSUFFICIENT_COLOR);
export const NO_DATA_PACKED = packColor(NO_DATA_COLOR);
const CLASS_PACKED = [CLASS_COLORS.high, CLASS_COLORS.moderate, CLASS_COLORS.low, CLASS_COLORS['not-diverse']].map(packColor);
const TRANSITION_PACKED = new Map<number, number>(TRANSITIONS.map((t) => [t.code, packColor(t.color)]));

/**
 * Fill colour (packed 0xRRGGBB) of every tract of `figures` for a colour-by mode, into `out`.
 * Ramps interpolate as `rampColor` does; a tract without the figure a mode needs (insufficient
 * households, no median, a group or a change figure it lacks) is the insufficient grey.
 */
export function tractColors(colorBy: ColorBy, figures: TractFigures, out = new Uint32Array(figures.ids.length)): Uint32Array {
  const n = figures.ids.length;
  const { ok } = figures;
  const ramp = (values: Float64Array | undefined, stops: readonly [number, string][]) => {
    for (let i = 0; i < n; i++) {
      const v = values ? values[i] : NaN;
      out[i] = ok[i] === 1 && Number.isFinite(v) ? rampPacked(stops, v) : INSUFFICIENT_PACKED;
    }
  };
  switch (colorBy.kind) {
    case 'class':
      for (let i = 0; i < n; i++) out[i] = CLASS_PACKED[figures.cls[i]] ?? INSUFFICIENT_PACKED;
      break;
    case 'entropy':
      ramp(figures.h, ENTROPY_RAMP);
      break;
    case 'median-ami':
      for (let i = 0; i < n; i++) out[i] = figures.med[i] >= 0 ? rampPacked(MEDIAN_AMI_RAMP, figures.med[i]) : INSUFFICIENT_PACKED;
      break;
    case 'share': {
      const s = figures.shares;
      const g = colorBy.group;
      if (!s || !(g >= 0 && g < s.groups)) out.fill(INSUFFICIENT_PACKED, 0, n);
      else {
        for (let i = 0; i < n; i++) {
          const total = s.households[i];
          const v = total > 0 ? s.counts[i * s.groups + g] / total : 0;
          out[i] = ok[i] === 1 && Number.isFinite(v) ? rampPacked(SHARE_RAMP, v) : INSUFFICIENT_PACKED;
        }
      }
      break;
    }
    case 'delta-entropy':
      ramp(figures.dh, DELTA_ENTROPY_RAMP);
      break;
    case 'delta-low-income':
      ramp(figures.dli, DELTA_LOW_INCOME_RAMP);
      break;
    case 'real-growth':
      ramp(figures.growth, REAL_GROWTH_RAMP);
      break;
    case 'transition':
      for (let i = 0; i < n; i++) out[i] = (figures.tr && TRANSITION_PACKED.get(figures.tr[i])) ?? INSUFFICIENT_PACKED;
      break;
  }
  return out;
}

/** Fill colour of one tract (hex) from its figures as an object (`undefined`: no data): `tractColors` for one tract. */
export function tractColor(colorBy: ColorBy, s: TractPaintState | undefined): string {
  if (!s) return NO_DATA_COLOR;
  const groups = Math.max(0, ...Object.keys(s).map((k) => (/^s\d+$/.test(k) ? Number(k.slice(1)) + 1 : 0)));
  const counts = Float64Array.from({ length: groups }, (_, k) => s[`s${k}`] ?? NaN);
  const column = (v: number | undefined) => Float64Array.of(v ?? NaN);
  const figures: TractFigures = {
    ids: ['tract'],
    ok: Uint8Array.of(s.ok),
    cls: Uint8Array.of(s.cls),
    h: column(s.h),
    med: column(s.med),
    nohh: Uint8Array.of(s.nohh ?? 0),
    shares: { groups, counts, households: Float64Array.of(1) },
    dh: column(s.dh),
    dli: column(s.dli),
    growth: column(s.growth),
    tr: s.tr === undefined ? undefined : Uint8Array.of(s.tr),
  };
  return '#' + tractColors(colorBy, figures)[0].toString(16).padStart(6, '0');
}

/**
 * Hover, picked and selected outlines, strongest first: each is drawn where its boolean feature
 * state is set. One line layer draws all three (TractMap), because maplibre re-evaluates every
 * state-dependent layer of a source for each tract whose state changes: three outline layers made
 * every recolour update three line buffers that draw nothing for nearly every tract. A wider
 * outline covered a narrower one when they were three layers, so showing only the strongest looks the same.
 */
export const STATE_OUTLINES = [
  { key: 'selected', color: '#000000', width: 3 },
  // The selection's black casing (its white core is a layer of its own): half width at region scale.
  { key: 'picked', color: SELECTION_OUTLINE.casing, width: SELECTION_OUTLINE.casingWidth, regionWidth: SELECTION_OUTLINE.casingWidth / 2 },
  { key: 'hover', color: '#222222', width: 1.5 },
] as const;

const stateOutlineWidthAt = (region: boolean): Expression => ['case', ...STATE_OUTLINES.flatMap((o) => [['boolean', ['feature-state', o.key], false], region && 'regionWidth' in o ? o.regionWidth : o.width]), 0];

/**
 * Line width of the state outline: the strongest outline's width where its state is set, else 0;
 * the selection's casing half as wide at region scale (zoom ≤ 8), where a wide outline round many
 * small tracts hides their fill, full width from zoom 12.
 */
export const STATE_OUTLINE_WIDTH: Expression = ['interpolate', ['linear'], ['zoom'], 8, stateOutlineWidthAt(true), 12, stateOutlineWidthAt(false)];

/** Line colour of the state outline: the strongest outline's colour. */
export const STATE_OUTLINE_COLOR: Expression = ['case', ...STATE_OUTLINES.flatMap((o) => [['boolean', ['feature-state', o.key], false], o.color]), STATE_OUTLINES[STATE_OUTLINES.length - 1].color];

/** Line width from a boolean feature state (`hover`, `picked`, `selected`): `width` when set, else 0. */
export function stateWidthExpression(key: 'hover' | 'picked' | 'selected', width: number): Expression {
  return ['case', ['boolean', ['feature-state', key], false], width, 0];
}

/**
 * Width of the selection outline's casing or core where the tract is picked (feature state), else 0:
 * half width at region scale (zoom ≤ 8), full width from zoom 12.
 */
export function selectionWidthExpression(part: 'casing' | 'core'): Expression {
  const width = part === 'casing' ? SELECTION_OUTLINE.casingWidth : SELECTION_OUTLINE.coreWidth;
  return ['interpolate', ['linear'], ['zoom'], 8, stateWidthExpression('picked', width / 2), 12, stateWidthExpression('picked', width)];
}

/** Colour of a value on a ramp (hex), for legends and tests (same interpolation as maplibre's, in RGB). */
export function rampColor(stops: readonly [number, string][], value: number): string {
  return '#' + rampPacked(stops, value).toString(16).padStart(6, '0');
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
