/** Legend of the change view: the colour, the flag outlines with their counts, and how the years were compared. */
import type { ChangeAnalysis } from '../core/change';
import type { DefinitionId, DefinitionResult } from '../core/definitions';
import type { UdpTractResult } from '../core/udp';
import { DEFINITION_STYLE, DELTA_ENTROPY_RAMP, DELTA_LOW_INCOME_RAMP, FLAG_STYLES, INSUFFICIENT_COLOR, REAL_GROWTH_RAMP, TRANSITIONS, type ColorBy } from '../map/colors';
import { memo, useState } from 'react';
import { periodLabel } from '../core/brackets';
import { pct } from './format';
import { Ramp, ValueHistogram } from './Legend';
import { rampColor } from '../map/colors';

export function transitionCode(change: ChangeAnalysis, i: number): number {
  const order = ['not-diverse', 'low', 'moderate', 'high'];
  const [c0, c1] = change.tracts[i].classes;
  if (c0 === 'insufficient' || c1 === 'insufficient') return 4;
  if (c0 === 'high' && c1 === 'high') return 0;
  const d = order.indexOf(c1) - order.indexOf(c0);
  return d > 0 ? 1 : d < 0 ? 3 : 2;
}

/** Memoised (its toggle handler must be stable): it renders again only when what it shows changes. */
export const ChangeLegend = memo(function ChangeLegend(props: {
  change: ChangeAnalysis;
  colorBy: ColorBy;
  geography: string;
  definition?: ReadonlyMap<string, DefinitionResult> | null;
  definitionId?: 'none' | DefinitionId | 'udp';
  udp?: ReadonlyMap<string, UdpTractResult> | null;
  udpError?: string | null;
  hiddenFlags?: readonly string[];
  onToggleFlag?: (flag: string, on: boolean) => void;
}) {
  const { change, colorBy, geography, definition, definitionId, udp, udpError, hiddenFlags = [], onToggleFlag } = props;
  const [open, setOpen] = useState(() => window.matchMedia?.('(min-width: 701px)').matches ?? true);
  const toggle = (flag: string) => (
    <input type="checkbox" aria-label={`Show on the map`} data-testid={`flag-toggle-${flag}`} checked={!hiddenFlags.includes(flag)} onChange={(e) => onToggleFlag?.(flag, e.target.checked)} />
  );
  const udpCounts = new Map<string, number>();
  for (const t of udp?.values() ?? []) udpCounts.set(t.udp_typology_code, (udpCounts.get(t.udp_typology_code) ?? 0) + 1);
  const [y0, y1] = [periodLabel(change.from.year), periodLabel(change.to.year)];
  const transitions = [0, 0, 0, 0, 0];
  change.tracts.forEach((_, i) => transitions[transitionCode(change, i)]++);
  const title =
    colorBy.kind === 'transition'
      ? `Class ${y0} → ${y1}`
      : colorBy.kind === 'delta-low-income'
        ? `Change of the share below 80% AMI, ${y0} → ${y1}`
        : colorBy.kind === 'real-growth'
          ? `Real median income growth, ${y0} → ${y1}`
          : `Change of the entropy index ΔH, ${y0} → ${y1}`;
  const signed = (v: number, f: (x: number) => string) => (v > 0 ? '+' : '') + f(v);
  return (
    <section className="legend" aria-label="Legend" data-open={open} data-color-by={colorBy.kind}>
      <h2>
        <button className="legend-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="legend-toggle">
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
        </button>
      </h2>
      {open && <div className="legend-body">
      {colorBy.kind === 'transition' ? (
        <ul className="class-counts">
          {TRANSITIONS.map((t) => (
            <li key={t.key} data-transition={t.key} data-count={transitions[t.code]}>
              <span className="swatch" style={{ background: t.color }} />
              <span className="label">{t.label}</span>
              <span className="n">{transitions[t.code]}</span>
            </li>
          ))}
          <li data-transition="insufficient" data-count={transitions[4]}>
            <span className="swatch" style={{ background: INSUFFICIENT_COLOR }} />
            <span className="label">Insufficient data in a year</span>
            <span className="n">{transitions[4]}</span>
          </li>
        </ul>
      ) : colorBy.kind === 'delta-low-income' ? (
        <>
          <Ramp stops={DELTA_LOW_INCOME_RAMP} format={(v) => signed(v, (x) => `${Math.round(x * 100)} pts`)} />
          <ValueHistogram values={change.tracts.map((t) => t.lowIncomeShare[1] - t.lowIncomeShare[0])} domain={[-0.3, 0.3]} colorOf={(v) => rampColor(DELTA_LOW_INCOME_RAMP, v)} marks={[{ v: 0, label: '0' }]} format={(v) => signed(v, (x) => `${Math.round(x * 100)}`)} label="Histogram of the change of the share below 80% AMI, in points" />
          <p className="note" data-testid="legend-unit">Percentage points of households below 80% of each year's AMI; red: the share fell.</p>
        </>
      ) : colorBy.kind === 'real-growth' ? (
        <>
          <Ramp stops={REAL_GROWTH_RAMP} format={(v) => signed(v, (x) => `${Math.round(x * 100)}%`)} />
          <ValueHistogram values={change.tracts.map((t) => t.realMedianGrowth)} domain={[-0.4, 0.6]} colorOf={(v) => rampColor(REAL_GROWTH_RAMP, v)} marks={[{ v: change.regionGrowth, label: 'region' }]} format={(v) => signed(v, (x) => `${Math.round(x * 100)}%`)} label="Histogram of real median income growth" />
          <p className="note" data-testid="legend-unit">Growth of the tract median in constant dollars (CPI-U); "region" marks the growth upgrading must beat.</p>
        </>
      ) : (
        <>
          <Ramp stops={DELTA_ENTROPY_RAMP} format={(v) => signed(v, (x) => x.toFixed(2))} />
          <ValueHistogram values={change.tracts.map((t) => t.deltaEntropy)} domain={[-0.3, 0.3]} colorOf={(v) => rampColor(DELTA_ENTROPY_RAMP, v)} marks={[{ v: 0, label: '0' }]} format={(v) => signed(v, (x) => x.toFixed(1))} label="Histogram of the change of the entropy index" />
          <p className="note" data-testid="legend-unit">ΔH = H {y1} − H {y0}; orange: more mixed, purple: less.</p>
        </>
      )}
      <h2>Flags (outlines; dots when zoomed out)</h2>
      <ul className="flag-counts" data-testid="flag-counts">
        {(Object.keys(FLAG_STYLES) as (keyof typeof FLAG_STYLES)[]).map((f) => (
          <li key={f} data-flag={f} data-count={change.flagCounts[f]}>
            {toggle(f)}
            <svg width="28" height="12" aria-hidden="true">
              <line x1="1" y1="6" x2="27" y2="6" stroke={FLAG_STYLES[f].color} strokeWidth="3" strokeDasharray={f === 'stable_mixed' ? undefined : FLAG_STYLES[f].dash.map((d) => d * 3).join(' ')} />
            </svg>
            <span className="label">
              {FLAG_STYLES[f].label}
              {f === 'income_upgrading' ? ' (incl. transitional)' : ''}
            </span>
            <span className="n">{change.flagCounts[f]}</span>
          </li>
        ))}
        {udp && definitionId === 'udp' && (
          <li data-flag="definition" data-count={(udpCounts.get('EOG') ?? 0) + (udpCounts.get('AdvG') ?? 0)}>
            {toggle('definition')}
            <svg width="28" height="12" aria-hidden="true">
              <line x1="1" y1="6" x2="27" y2="6" stroke={DEFINITION_STYLE.color} strokeWidth="3" strokeDasharray="9 4.5" />
            </svg>
            <span className="label">UDP: Early/Ongoing or Advanced Gentrification</span>
            <span className="n">{(udpCounts.get('EOG') ?? 0) + (udpCounts.get('AdvG') ?? 0)}</span>
          </li>
        )}
        {definition && definitionId && definitionId !== 'none' && definitionId !== 'udp' && (
          <li data-flag="definition" data-count={[...definition.values()].filter((r) => r.gentrified).length}>
            {toggle('definition')}
            <svg width="28" height="12" aria-hidden="true">
              <line x1="1" y1="6" x2="27" y2="6" stroke={DEFINITION_STYLE.color} strokeWidth="3" strokeDasharray="9 4.5" />
            </svg>
            <span className="label">
              Gentrified, {definitionId === 'governing' ? 'Governing 2015' : 'NCRC 2019'} ({[...definition.values()].filter((r) => r.eligible).length} eligible)
            </span>
            <span className="n">{[...definition.values()].filter((r) => r.gentrified).length}</span>
          </li>
        )}
      </ul>
      {udp && definitionId === 'udp' && (
        <p className="note" data-testid="udp-counts">
          UDP typology: {[...udpCounts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}.
        </p>
      )}
      {definitionId === 'udp' && !udp && !udpError && <p className="note">Computing the UDP typology…</p>}
      {udpError && (
        <p className="warning" role="alert">
          UDP typology: {udpError}
        </p>
      )}
      <p className="ami">
        AMI {y0}: ${Math.round(change.from.ami.dollars).toLocaleString('en-US')} ({change.from.incomeYear} $), {y1}: ${Math.round(change.to.ami.dollars).toLocaleString('en-US')} ({change.to.incomeYear} $); real AMI growth {pct(change.realAmiGrowth)} (CPI-U ×{change.priceFactor.toFixed(3)}). Upgrading must beat {pct(change.regionGrowth)}.
      </p>
      <p className="sources">{geography}.</p>
      {change.tracts.some((t) => t.notCalled.length) && (
        <p className="note" data-testid="not-called">
          {change.tracts.filter((t) => t.notCalled.length).length} tracts had a change within the margin of error, not called (see each tract's panel).
        </p>
      )}
      {change.warnings.map((w) => (
        <p key={w} className="warning" role="alert" data-testid="change-warning">
          ⚠ {w}
        </p>
      ))}
      </div>}
    </section>
  );
});
