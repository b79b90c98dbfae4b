/** Legend: what the colours mean, class counts, a histogram of H with the class thresholds, the AMI and the data's years and sources. */
import { memo, useState } from 'react';
import { periodLabel } from '../core/brackets';
import { groupShares, type YearAnalysis } from '../core/analyze';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS, DIVERSITY_THRESHOLDS, type DiversityClass } from '../core/entropy';
import { CLASS_COLORS, ENTROPY_RAMP, MEDIAN_AMI_RAMP, rampColor, SHARE_RAMP, type ColorBy } from '../map/colors';
import { dollars } from './format';
import type { Dataset } from '../data/dataset';
import type { TractUncertainty } from '../core/uncertainty';

const BINS = 20;
const NO_SWATCH: Readonly<Record<DiversityClass, string>> = { high: 'transparent', moderate: 'transparent', low: 'transparent', 'not-diverse': 'transparent', insufficient: 'transparent' };

/**
 * A histogram of the mapped variable over the tracts that have it, each bar in the colour the map
 * gives its middle value, with vertical marks (class thresholds, the AMI line) and end ticks.
 */
export function ValueHistogram(props: { values: readonly number[]; domain: [number, number]; colorOf: (v: number) => string; marks?: readonly { v: number; label: string }[]; format: (v: number) => string; label: string }) {
  const { values, domain, colorOf, marks = [], format, label } = props;
  const [lo, hi] = domain;
  const bins = new Array<number>(BINS).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    bins[Math.max(0, Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS)))]++;
  }
  const max = Math.max(1, ...bins);
  const W = 220;
  const H = 60;
  const x = (v: number) => ((v - lo) / (hi - lo)) * W;
  return (
    <svg className="histogram" viewBox={`0 0 ${W} ${H + 16}`} width={W} height={H + 16} role="img" aria-label={label} data-testid="legend-histogram">
      {bins.map((n, b) => (
        <rect key={b} x={(b * W) / BINS + 0.5} width={W / BINS - 1} y={H - (n / max) * H} height={(n / max) * H} fill={colorOf(lo + ((b + 0.5) / BINS) * (hi - lo))} />
      ))}
      {marks.map((m) => (
        <g key={m.v}>
          <line x1={x(m.v)} x2={x(m.v)} y1={0} y2={H} stroke="#222" strokeDasharray="3 2" />
          <text x={x(m.v)} y={H + 12} fontSize="10" textAnchor="middle">
            {m.label}
          </text>
        </g>
      ))}
      <text x={0} y={H + 12} fontSize="10">{format(lo)}</text>
      <text x={W} y={H + 12} fontSize="10" textAnchor="end">{format(hi)}</text>
    </svg>
  );
}

const classOfH = (h: number): DiversityClass => (h >= DIVERSITY_THRESHOLDS.high ? 'high' : h >= DIVERSITY_THRESHOLDS.moderate ? 'moderate' : h >= DIVERSITY_THRESHOLDS.low ? 'low' : 'not-diverse');
const H_MARKS = Object.values(DIVERSITY_THRESHOLDS).map((t) => ({ v: t, label: String(t).replace(/^0/, '') }));
const pctTick = (v: number) => `${Math.round(v * 100)}%`;

/** The mapped variable's values over the tracts that have it, its domain, colours, marks and units. */
function mappedVariable(analysis: YearAnalysis, colorBy: ColorBy): { values: number[]; domain: [number, number]; colorOf: (v: number) => string; marks: { v: number; label: string }[]; format: (v: number) => string; unit: string } | null {
  const ok = (i: number) => analysis.classes[i] !== 'insufficient';
  const idx = analysis.geoids.map((_, i) => i).filter(ok);
  switch (colorBy.kind) {
    case 'class':
      return { values: idx.map((i) => analysis.entropy[i]), domain: [0, 1], colorOf: (v) => CLASS_COLORS[classOfH(v)], marks: H_MARKS, format: (v) => String(v), unit: 'Tracts by entropy index H, with the class thresholds' };
    case 'entropy':
      return { values: idx.map((i) => analysis.entropy[i]), domain: [0, 1], colorOf: (v) => rampColor(ENTROPY_RAMP, v), marks: H_MARKS, format: (v) => String(v), unit: 'H from 0 (one income group) to 1 (all groups equal); class thresholds marked' };
    case 'median-ami':
      return {
        values: analysis.geoids.map((_, i) => analysis.medianIncome[i] / analysis.ami.dollars).filter(Number.isFinite),
        domain: [0, 2.5],
        colorOf: (v) => rampColor(MEDIAN_AMI_RAMP, v),
        marks: [
          { v: 0.8, label: '80%' },
          { v: 1, label: 'AMI' },
        ],
        format: pctTick,
        unit: 'Tract median household income as a share of the AMI; 80% marks "low income"',
      };
    case 'share':
      return {
        values: idx.map((i) => groupShares(analysis, i)[colorBy.group]),
        domain: [0, 1],
        colorOf: (v) => rampColor(SHARE_RAMP, v),
        marks: [{ v: 1 / analysis.groups.length, label: 'even' }],
        format: pctTick,
        unit: `Share of the tract's households in this group; "even" = 1/${analysis.groups.length}, every group equal`,
      };
    default:
      return null;
  }
}

export function Ramp({ stops, format }: { stops: readonly [number, string][]; format: (v: number) => string }) {
  const lo = stops[0][0];
  const hi = stops[stops.length - 1][0];
  const gradient = stops.map(([v, c]) => `${c} ${((v - lo) / (hi - lo)) * 100}%`).join(', ');
  return (
    <div className="ramp">
      <div className="ramp-bar" style={{ background: `linear-gradient(to right, ${gradient})` }} />
      <div className="ramp-ticks">
        {[stops[0], stops[Math.floor(stops.length / 2)], stops[stops.length - 1]].map(([v]) => (
          <span key={v}>{format(v)}</span>
        ))}
      </div>
    </div>
  );
}

/** Memoised: it renders again only when what it shows changes (not on a hover or another panel's change). */
export const Legend = memo(function Legend({ analysis, colorBy, dataset, uncertainty }: { analysis: YearAnalysis; colorBy: ColorBy; dataset: Dataset; uncertainty?: readonly TractUncertainty[] | null }) {
  const [open, setOpen] = useState(() => window.matchMedia?.('(min-width: 701px)').matches ?? true);
  const counts = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, 0])) as Record<DiversityClass, number>;
  for (const c of analysis.classes) counts[c]++;
  const noHouseholds = analysis.households.filter((h) => !(h > 0)).length;
  const title =
    colorBy.kind === 'class'
      ? 'Income diversity class'
      : colorBy.kind === 'entropy'
        ? 'Entropy index H'
        : colorBy.kind === 'median-ami'
          ? 'Median income ÷ AMI'
          : colorBy.kind === 'share'
            ? `Share: ${analysis.groups[colorBy.group]?.label ?? ''}`
            : '';
  const v = mappedVariable(analysis, colorBy);
  const classList = (swatch: Readonly<Record<DiversityClass, string>>) => (
    <ul className="class-counts" data-testid="class-counts">
      {DIVERSITY_CLASSES.map((c) => (
        <li key={c} data-class={c} data-count={counts[c]}>
          <span className="swatch" style={{ background: swatch[c] }} />
          <span className="label">
            {DIVERSITY_CLASS_LABELS[c]}
            {c === 'insufficient' ? ` (< ${analysis.minHouseholds} hh)` : ''}
          </span>
          <span className="n">{counts[c].toLocaleString('en-US')}</span>
        </li>
      ))}
      {noHouseholds > 0 && (
        <li data-class="no-households">
          <span className="swatch hatch" />
          <span className="label">of which no households (hatched)</span>
          <span className="n">{noHouseholds.toLocaleString('en-US')}</span>
        </li>
      )}
    </ul>
  );
  return (
    <section className="legend" aria-label="Legend" data-open={open} data-color-by={colorBy.kind}>
      <h2>
        <button className="legend-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="legend-toggle">
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}, {periodLabel(analysis.year)}
        </button>
      </h2>
      {open && (
        <div className="legend-body">
          {colorBy.kind === 'entropy' && <Ramp stops={ENTROPY_RAMP} format={(x) => x.toFixed(2)} />}
          {colorBy.kind === 'median-ami' && <Ramp stops={MEDIAN_AMI_RAMP} format={(x) => `${Math.round(x * 100)}%`} />}
          {colorBy.kind === 'share' && <Ramp stops={SHARE_RAMP} format={(x) => `${Math.round(x * 100)}%${x === SHARE_RAMP[SHARE_RAMP.length - 1][0] ? '+' : ''}`} />}
          {colorBy.kind === 'class' ? (
            classList(CLASS_COLORS)
          ) : (
            <details className="class-summary">
              <summary>Diversity classes ({counts.insufficient.toLocaleString('en-US')} tracts with insufficient data, grey)</summary>
              {classList({ ...NO_SWATCH, insufficient: CLASS_COLORS.insufficient })}
            </details>
          )}
          {v && <ValueHistogram values={v.values} domain={v.domain} colorOf={v.colorOf} marks={v.marks} format={v.format} label={`Histogram: ${v.unit}`} />}
          {v && <p className="note" data-testid="legend-unit">{v.unit}.</p>}
          {uncertainty && (
            <p className="note" data-testid="uncertain-count">
              {uncertainty.filter((u) => u.uncertain).length} tracts have an uncertain class (margins of error: most likely class in &lt; 90% of draws).
            </p>
          )}
          <p className="ami" data-testid="ami">
            AMI {dollars(analysis.ami.dollars)} ({analysis.ami.kind}) — {analysis.ami.source}; {analysis.incomeYear} dollars
          </p>
          <p className="sources">
            Showing {periodLabel(analysis.year)} ({dataset.years.map((y) => periodLabel(y.year)).join(', ')} loaded)
            {dataset.synthetic ? ' — synthetic demo data, not a real place' : ''}.
          </p>
          <SourcesDetails dataset={dataset} />
        </div>
      )}
    </section>
  );
});

export function SourcesDetails({ dataset }: { dataset: Dataset }) {
  return (
    <details className="sources">
      <summary>Sources</summary>
      <ul>
        {dataset.sources.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      {dataset.provenance && dataset.provenance.length > 0 && (
        <>
          <p className="note">Downloaded by tractmix fetch:</p>
          <ul className="provenance" data-testid="provenance">
            {dataset.provenance.map((p) => (
              <li key={p.url}>
                {p.what}
                {p.release ? ` (${p.release}${p.tables ? `: ${p.tables.join(', ')}` : ''}${p.vintage ? `; ${p.vintage} tracts` : ''})` : ''}, retrieved {p.retrievedAt.slice(0, 10)}:{' '}
                <span className="url">{p.url}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
