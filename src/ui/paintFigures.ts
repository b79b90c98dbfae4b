/**
 * The figures the map paints (map/colors.ts `TractFigures`), in columns, from the core's analysis of
 * one year or of a change between two: one typed array per figure instead of an object per tract,
 * so that a repaint at 85,000 tracts allocates a handful of arrays.
 */
import type { YearAnalysis } from '../core/analyze';
import type { ChangeAnalysis } from '../core/change';
import type { DefinitionResult } from '../core/definitions';
import type { UdpTractResult } from '../core/udp';
import { CHANGE_COLOR_KINDS, CLASS_CODES, FLAG_BITS, type ColorBy, type TractFigures } from '../map/colors';
import { transitionCode } from './ChangeLegend';

/** One year: class, H, median ÷ AMI, households and the income groups' counts (their shares). */
export function yearFigures(a: YearAnalysis): TractFigures {
  const n = a.geoids.length;
  const ok = new Uint8Array(n);
  const cls = new Uint8Array(n);
  const h = new Float64Array(n);
  const med = new Float64Array(n);
  const nohh = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = a.classes[i];
    ok[i] = c === 'insufficient' ? 0 : 1;
    cls[i] = CLASS_CODES[c];
    h[i] = Number.isFinite(a.entropy[i]) ? a.entropy[i] : -1;
    med[i] = Number.isFinite(a.medianIncome[i]) ? a.medianIncome[i] / a.ami.dollars : -1;
    nohh[i] = a.households[i] > 0 ? 0 : 1;
  }
  return { ids: a.geoids, ok, cls, h, med, nohh, shares: { groups: a.groups.length, counts: a.groupCounts, households: a.households } };
}

/** UDP classes drawn with the definition outline: the gentrifying ones. */
const UDP_GENTRIFYING = new Set(['EOG', 'AdvG']);

/** A change between two years: the later year's figures, ΔH, the class transition, changes of shares and income, flags. */
export function changeFigures(c: ChangeAnalysis, definition: ReadonlyMap<string, DefinitionResult> | null, udp: ReadonlyMap<string, UdpTractResult> | null): TractFigures {
  const n = c.tracts.length;
  const f = {
    ids: c.tracts.map((t) => t.geoid),
    ok: new Uint8Array(n),
    cls: new Uint8Array(n),
    h: new Float64Array(n),
    med: new Float64Array(n),
    nohh: new Uint8Array(n),
    dh: new Float64Array(n),
    tr: new Uint8Array(n),
    dli: new Float64Array(n),
    growth: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  c.tracts.forEach((t, i) => {
    f.ok[i] = t.classes[0] !== 'insufficient' && t.classes[1] !== 'insufficient' ? 1 : 0;
    f.nohh[i] = c.to.households[t.index1] > 0 ? 0 : 1;
    f.cls[i] = CLASS_CODES[t.classes[1]];
    f.h[i] = Number.isFinite(t.entropy[1]) ? t.entropy[1] : -1;
    f.med[i] = Number.isFinite(t.medianAmi[1]) ? t.medianAmi[1] : -1;
    f.dh[i] = Number.isFinite(t.deltaEntropy) ? t.deltaEntropy : 0;
    f.tr[i] = transitionCode(c, i);
    const dli = t.lowIncomeShare[1] - t.lowIncomeShare[0];
    f.dli[i] = Number.isFinite(dli) ? dli : 0;
    f.growth[i] = Number.isFinite(t.realMedianGrowth) ? t.realMedianGrowth : 0;
    const defined = definition?.get(t.geoid)?.gentrified || (udp && UDP_GENTRIFYING.has(udp.get(t.geoid)?.udp_typology_code ?? ''));
    f.flags[i] =
      (t.flags.stable_mixed ? FLAG_BITS.stable_mixed : 0) |
      // A transitional tract is drawn with the transitional outline only.
      (t.flags.income_upgrading && !t.flags.transitional ? FLAG_BITS.income_upgrading : 0) |
      (t.flags.transitional ? FLAG_BITS.transitional : 0) |
      (defined ? FLAG_BITS.definition : 0);
  });
  return f;
}

/** The colour-by the map draws: a year's mode in the year view and a change's in the change view, else that view's default. */
export function shownColorBy(colorBy: ColorBy, changeMode: boolean): ColorBy {
  const isChangeColor = CHANGE_COLOR_KINDS.includes(colorBy.kind);
  return changeMode ? (isChangeColor ? colorBy : { kind: 'delta-entropy' }) : isChangeColor ? { kind: 'class' } : colorBy;
}
