/** Legend: what the colours mean, class counts, a histogram of H with the class thresholds, the AMI and the data's years and sources. */
import { periodLabel } from '../core/brackets';
import type { YearAnalysis } from '../core/analyze';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS, DIVERSITY_THRESHOLDS, type DiversityClass } from '../core/entropy';
import { CLASS_COLORS, ENTROPY_RAMP, INSUFFICIENT_COLOR, MEDIAN_AMI_RAMP, SHARE_RAMP, type ColorBy } from '../map/colors';
import { dollars } from './format';
import type { Dataset } from '../data/dataset';
import type { TractUncertainty } from '../core/uncertainty';

const BINS = 20;

function Histogram({ analysis }: { analysis: YearAnalysis }) {
  const bins = new Array<number>(BINS).fill(0);
  analysis.classes.forEach((c, i) => {
    if (c !== 'insufficient') bins[Math.min(BINS - 1, Math.floor(analysis.entropy[i] * BINS))]++;
  });
  const max = Math.max(1, ...bins);
  const W = 220;
  const H = 60;
  const binClass = (b: number): DiversityClass => {
    const mid = (b + 0.5) / BINS;
    return mid >= DIVERSITY_THRESHOLDS.high ? 'high' : mid >= DIVERSITY_THRESHOLDS.moderate ? 'moderate' : mid >= DIVERSITY_THRESHOLDS.low ? 'low' : 'not-diverse';
  };
  return (
    <svg className="histogram" viewBox={`0 0 ${W} ${H + 16}`} width={W} height={H + 16} role="img" aria-label="Histogram of the entropy index H with the class thresholds .48, .69 and .87">
      {bins.map((n, b) => (
        <rect key={b} x={(b * W) / BINS + 0.5} width={W / BINS - 1} y={H - (n / max) * H} height={(n / max) * H} fill={CLASS_COLORS[binClass(b)]} />
      ))}
      {Object.values(DIVERSITY_THRESHOLDS).map((t) => (
        <g key={t}>
          <line x1={t * W} x2={t * W} y1={0} y2={H} stroke="#222" strokeDasharray="3 2" />
          <text x={t * W} y={H + 12} fontSize="10" textAnchor="middle">
            {String(t).replace(/^0/, '')}
          </text>
        </g>
      ))}
      <text x={0} y={H + 12} fontSize="10">0</text>
      <text x={W} y={H + 12} fontSize="10" textAnchor="end">1</text>
    </svg>
  );
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

export function Legend({ analysis, colorBy, dataset, uncertainty }: { analysis: YearAnalysis; colorBy: ColorBy; dataset: Dataset; uncertainty?: readonly TractUncertainty[] | null }) {
  const counts = Object.fromEntries(DIVERSITY_CLASSES.map((c) => [c, 0])) as Record<DiversityClass, number>;
  for (const c of analysis.classes) counts[c]++;
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
  return (
    <section className="legend" aria-label="Legend">
      <h2>{title}</h2>
      {colorBy.kind === 'entropy' && <Ramp stops={ENTROPY_RAMP} format={(v) => v.toFixed(2)} />}
      {colorBy.kind === 'median-ami' && <Ramp stops={MEDIAN_AMI_RAMP} format={(v) => `${Math.round(v * 100)}%`} />}
      {colorBy.kind === 'share' && <Ramp stops={SHARE_RAMP} format={(v) => `${Math.round(v * 100)}%${v === SHARE_RAMP[SHARE_RAMP.length - 1][0] ? '+' : ''}`} />}
      <ul className="class-counts" data-testid="class-counts">
        {DIVERSITY_CLASSES.map((c) => (
          <li key={c} data-class={c} data-count={counts[c]}>
            <span className="swatch" style={{ background: colorBy.kind === 'class' || c === 'insufficient' ? CLASS_COLORS[c] : 'transparent', borderColor: c === 'insufficient' ? INSUFFICIENT_COLOR : undefined }} />
            <span className="label">{DIVERSITY_CLASS_LABELS[c]}{c === 'insufficient' ? ` (< ${analysis.minHouseholds} hh)` : ''}</span>
            <span className="n">{counts[c].toLocaleString('en-US')}</span>
          </li>
        ))}
      </ul>
      <Histogram analysis={analysis} />
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
    </section>
  );
}
