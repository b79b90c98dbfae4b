/** Paint expressions evaluated by maplibre's own style-spec evaluator, in node. */
import { describe, expect, it } from 'vitest';
import { expression, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { CLASS_COLORS, DELTA_ENTROPY_RAMP, DELTA_LOW_INCOME_RAMP, ENTROPY_RAMP, FILL_COLOR_EXPRESSION, hexToRgb, INSUFFICIENT_COLOR, MEDIAN_AMI_RAMP, NO_DATA_COLOR, packColor, REAL_GROWTH_RAMP, SELECTION_OUTLINE, SHARE_RAMP, STATE_OUTLINE_COLOR, STATE_OUTLINE_WIDTH, tractColor, tractColors, type ColorBy, type TractPaintState } from '../../src/map/colors';

/** The map's fill colour for a feature state, evaluated by maplibre's own style-spec evaluator. */
function evaluateFill(state: Record<string, unknown>): [number, number, number] {
  const compiled = expression.createExpression(FILL_COLOR_EXPRESSION, latest.paint_fill['fill-color'] as never);
  if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
  const c = compiled.value.evaluate({ zoom: 10 }, { type: 'Polygon', properties: {} } as never, state as never) as unknown as string | { r: number; g: number; b: number };
  // A literal branch comes back as its string; a computed one as a Color (0–1 channels).
  return typeof c === 'string' ? hexToRgb(c) : [Math.round(c.r * 255), Math.round(c.g * 255), Math.round(c.b * 255)];
}

const state = (s: Partial<TractPaintState>): TractPaintState => ({ ok: 1, cls: 0, h: 0.9, med: 1, ...s }) as TractPaintState;
const rgb = (colorBy: ColorBy, s: TractPaintState | undefined) => hexToRgb(tractColor(colorBy, s));

describe('the fill-color expression', () => {
  it('is a valid style-spec expression that reads feature state only (changing colours never re-tiles)', () => {
    const style = { version: 8, sources: { t: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } }, layers: [{ id: 'f', type: 'fill', source: 't', paint: { 'fill-color': FILL_COLOR_EXPRESSION } }] };
    expect(validateStyleMin(style as never)).toEqual([]);
    const operators = JSON.stringify(FILL_COLOR_EXPRESSION).match(/"(get|has|properties|id|geometry-type|global-state)"/g);
    expect(operators).toBeNull();
  });
  it('decodes the packed colour in state `c`, and paints no-data when the state has none', () => {
    expect(packColor('#2c7bb6')).toBe(0x2c7bb6);
    for (const hex of ['#2c7bb6', '#000000', '#ffffff', '#fde725', '#010203']) expect(evaluateFill({ c: packColor(hex) })).toEqual(hexToRgb(hex));
    expect(evaluateFill({})).toEqual(hexToRgb(NO_DATA_COLOR));
  });
});

describe('tract colours', () => {
  it('paint each class its colour, insufficient grey, and no-data lighter grey', () => {
    expect(rgb({ kind: 'class' }, state({ cls: 0 }))).toEqual(hexToRgb(CLASS_COLORS.high));
    expect(hexToRgb(CLASS_COLORS.high)).toEqual([0x2c, 0x7b, 0xb6]); // ColorBrewer RdYlBu 4, darkest blue
    expect(rgb({ kind: 'class' }, state({ cls: 3, h: 0.3 }))).toEqual(hexToRgb(CLASS_COLORS['not-diverse']));
    expect(rgb({ kind: 'class' }, state({ ok: 0, cls: 4, h: -1 }))).toEqual(hexToRgb(INSUFFICIENT_COLOR));
    expect(rgb({ kind: 'class' }, undefined)).toEqual(hexToRgb(NO_DATA_COLOR));
  });
  it('never paint an insufficient tract as H = 0', () => {
    const zero = rgb({ kind: 'entropy' }, state({ cls: 3, h: 0 }));
    const insufficient = rgb({ kind: 'entropy' }, state({ ok: 0, cls: 4, h: -1 }));
    expect(zero).toEqual(hexToRgb(ENTROPY_RAMP[0][1]));
    expect(insufficient).toEqual(hexToRgb(INSUFFICIENT_COLOR));
    expect(insufficient).not.toEqual(zero);
  });
  it('interpolate the entropy ramp between its stops (H = .585 is half way from #31688e to #21918c)', () => {
    // (0x31 + 0x21) / 2 = 0x29, (0x68 + 0x91) / 2 = 0x7c.8 → 0x7d (rounded), (0x8e + 0x8c) / 2 = 0x8d
    expect(tractColor({ kind: 'entropy' }, state({ h: 0.585 }))).toBe('#297d8d');
    expect(tractColor({ kind: 'entropy' }, state({ h: 1 }))).toBe('#fde725');
  });
  it('colour shares by the chosen group, on the YlGnBu ramp', () => {
    const s = state({ s0: 0.6, s1: 0, s2: 0.15 });
    expect(tractColor({ kind: 'share', group: 0 }, s)).toBe('#253494'); // 0.6: the top stop
    expect(tractColor({ kind: 'share', group: 1 }, s)).toBe('#ffffcc'); // 0
    // 0.15: halfway from #c7e9b4 (0.1) to #7fcdbb (0.2) = (199+127)/2, (233+205)/2, (180+187)/2
    const mid = rgb({ kind: 'share', group: 2 }, s);
    [163, 219, 183.5].forEach((v, i) => expect(Math.abs(mid[i] - v)).toBeLessThanOrEqual(1));
  });
  it('colour H, median ÷ AMI, ΔH and transitions at worked values of their ramps', () => {
    // H 0.75: 6/11 of the way from #21918c (0.69) to #35b779 (0.8) = 33+20×6/11, 145+38×6/11, 140−19×6/11
    const h = rgb({ kind: 'entropy' }, state({ cls: 1, h: 0.75 }));
    [43.91, 165.73, 129.64].forEach((v, i) => expect(Math.abs(h[i] - v)).toBeLessThanOrEqual(1));
    expect(tractColor({ kind: 'median-ami' }, state({ med: 1 }))).toBe('#f5f5f5'); // at the AMI
    expect(tractColor({ kind: 'median-ami' }, state({ med: -1 }))).toBe(INSUFFICIENT_COLOR);
    expect(tractColor({ kind: 'delta-entropy' }, state({ dh: -0.3 }))).toBe('#542788');
    expect(tractColor({ kind: 'transition' }, state({ tr: 1 }))).toBe('#1a9641');
  });
});

describe('tract colours in columns (the repaint path)', () => {
  // Three tracts: High with H .585, Not diverse with H 0, and one with too few households.
  const figures = {
    ids: ['a', 'b', 'c'],
    ok: Uint8Array.of(1, 1, 0),
    cls: Uint8Array.of(0, 3, 4),
    h: Float64Array.of(0.585, 0, -1),
    med: Float64Array.of(1, -1, 0.5),
    nohh: Uint8Array.of(0, 0, 0),
    // Households per group (3 groups): shares of group 1 are 60/100, 0/40 and 1/2.
    shares: { groups: 3, counts: Float64Array.of(30, 60, 10, 40, 0, 0, 1, 1, 0), households: Float64Array.of(100, 40, 2) },
  };
  const hex = (colors: Uint32Array) => [...colors].map((c) => '#' + c.toString(16).padStart(6, '0'));
  it('colour each tract by class, H, median ÷ AMI and a group share, insufficient tracts grey', () => {
    expect(hex(tractColors({ kind: 'class' }, figures))).toEqual([CLASS_COLORS.high, CLASS_COLORS['not-diverse'], INSUFFICIENT_COLOR]);
    // .585 is half way from #31688e to #21918c (worked above); 0 is the ramp's first stop.
    expect(hex(tractColors({ kind: 'entropy' }, figures))).toEqual(['#297d8d', ENTROPY_RAMP[0][1], INSUFFICIENT_COLOR]);
    // Median ÷ AMI needs no class: 1 is the AMI's #f5f5f5, 0.5 the stop #d8b365, −1 unknown.
    expect(hex(tractColors({ kind: 'median-ami' }, figures))).toEqual(['#f5f5f5', INSUFFICIENT_COLOR, '#d8b365']);
    // Group 1: 0.6 is the top stop #253494, 0 the first stop #ffffcc; the third tract is insufficient.
    expect(hex(tractColors({ kind: 'share', group: 1 }, figures))).toEqual(['#253494', '#ffffcc', INSUFFICIENT_COLOR]);
  });
  it('paint insufficient where the figures lack what a mode needs (a group past the last, change figures in one year)', () => {
    expect(hex(tractColors({ kind: 'share', group: 3 }, figures))).toEqual([INSUFFICIENT_COLOR, INSUFFICIENT_COLOR, INSUFFICIENT_COLOR]);
    expect(hex(tractColors({ kind: 'delta-entropy' }, figures))).toEqual([INSUFFICIENT_COLOR, INSUFFICIENT_COLOR, INSUFFICIENT_COLOR]);
    expect(hex(tractColors({ kind: 'transition' }, figures))).toEqual([INSUFFICIENT_COLOR, INSUFFICIENT_COLOR, INSUFFICIENT_COLOR]);
  });
});

describe('hover / picked / selected outlines', () => {
  const evaluate = (expr: unknown[], spec: unknown, s: Record<string, unknown>, zoom = 10) => {
    const compiled = expression.createExpression(expr, spec as never);
    if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
    return compiled.value.evaluate({ zoom }, { type: 'LineString', properties: {} } as never, s as never) as unknown;
  };
  const width = (s: Record<string, unknown>, zoom = 10) => evaluate(STATE_OUTLINE_WIDTH, latest.paint_line['line-width'], s, zoom) as number;
  const color = (s: Record<string, unknown>) => {
    const c = evaluate(STATE_OUTLINE_COLOR, latest.paint_line['line-color'], s) as string | { r: number; g: number; b: number };
    return typeof c === 'string' ? hexToRgb(c) : [Math.round(c.r * 255), Math.round(c.g * 255), Math.round(c.b * 255)];
  };
  it('are as wide as asked where the state is set, 0 elsewhere', () => {
    expect(width({ hover: true })).toBe(1.5);
    // The selection's casing: 5 px from zoom 12, half that at zoom 8 and below, 3.75 px at zoom 10.
    expect(width({ picked: true })).toBe(3.75);
    expect(width({ picked: true }, 8)).toBe(2.5);
    expect(width({ picked: true }, 12)).toBe(5);
    expect(width({ selected: true }, 8)).toBe(3);
    expect(width({ selected: true })).toBe(3);
    expect(width({ hover: false, picked: false, selected: false })).toBe(0);
    expect(width({})).toBe(0);
  });
  it('draw the strongest outline where several are set (selected over picked over hover, as the layers were stacked)', () => {
    expect(color({ hover: true })).toEqual([0x22, 0x22, 0x22]);
    expect(color({ picked: true, hover: true })).toEqual([0, 0, 0]);
    expect(width({ picked: true, hover: true })).toBe(3.75);
    expect(color({ selected: true, picked: true, hover: true })).toEqual([0, 0, 0]);
    expect(width({ selected: true, hover: true })).toBe(3);
  });
});

describe('selection outline widths', () => {
  it('read the picked state: casing 5 and core 2 px from zoom 12, half at zoom 8 and below, 0 where not picked', async () => {
    const { selectionWidthExpression } = await import('../../src/map/colors');
    for (const [part, full] of [['casing', 5], ['core', 2]] as const) {
      const compiled = expression.createExpression(selectionWidthExpression(part), latest.paint_line['line-width'] as never);
      if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
      const at = (zoom: number, s: Record<string, unknown>) => compiled.value.evaluate({ zoom }, { type: 'LineString', properties: {} } as never, s as never) as unknown as number;
      expect(at(12, { picked: true })).toBe(full);
      expect(at(14, { picked: true })).toBe(full);
      expect(at(6, { picked: true })).toBe(full / 2);
      expect(at(10, { picked: true })).toBe(full * 0.75);
      expect(at(12, { picked: false })).toBe(0);
      expect(at(12, {})).toBe(0);
    }
  });
});

describe('flag outline widths', () => {
  it('are valid zoom-and-state expressions: zero without the flag, wider when zoomed in', async () => {
    const { flagWidthExpression } = await import('../../src/map/colors');
    const compiled = expression.createExpression(flagWidthExpression('stable_mixed'), latest.paint_line['line-width'] as never);
    if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
    const at = (zoom: number, flagged: number) => compiled.value.evaluate({ zoom }, { type: 'LineString', properties: {} } as never, { f_stable_mixed: flagged } as never) as unknown as number;
    expect(at(10, 0)).toBe(0);
    expect(at(12, 1)).toBe(2.5);
    expect(at(8, 1)).toBeLessThan(at(14, 1));
  });
});

describe('selection outline', () => {
  // WCAG 2.1 relative luminance and contrast ratio, written here without src/.
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  it('the black casing has at least 3:1 contrast with every class colour (the old blue #0b57d0 had 1.4:1 on High)', () => {
    expect(contrast('#0b57d0', CLASS_COLORS.high)).toBeLessThan(1.5);
    for (const c of [...Object.values(CLASS_COLORS), INSUFFICIENT_COLOR, NO_DATA_COLOR]) expect(contrast(SELECTION_OUTLINE.casing, c)).toBeGreaterThanOrEqual(3);
  });
  it('over every ramp colour, the casing or the white core has at least 3:1', () => {
    const ramps = [ENTROPY_RAMP, MEDIAN_AMI_RAMP, SHARE_RAMP, DELTA_ENTROPY_RAMP, DELTA_LOW_INCOME_RAMP, REAL_GROWTH_RAMP].flatMap((r) => r.map(([, c]) => c));
    for (const c of ramps) expect(Math.max(contrast(SELECTION_OUTLINE.casing, c), contrast(SELECTION_OUTLINE.core, c))).toBeGreaterThanOrEqual(3);
  });
});
