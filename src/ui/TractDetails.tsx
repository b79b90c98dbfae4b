/** A tract's figures: the mix itself (never H alone, METHOD §4), H, class, median. */
import { memo } from 'react';
import type { YearAnalysis } from '../core/analyze';
import { groupShares } from '../core/analyze';
import { DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { CLASS_COLORS } from '../map/colors';
import { count, dollars, fixed, pct } from './format';

/** Colours of the income groups, lowest income first (ColorBrewer PuOr, diverging, CB-safe). */
export const GROUP_COLORS = ['#b35806', '#f1a340', '#fee0b6', '#d8daeb', '#998ec3', '#542788', '#2d004b'];

export function groupColors(n: number): string[] {
  if (n === 6) return GROUP_COLORS.slice(0, 6);
  if (n === 5) return ['#b35806', '#f1a340', '#f7f7f7', '#998ec3', '#542788'];
  return Array.from({ length: n }, (_, i) => GROUP_COLORS[Math.round((i * (GROUP_COLORS.length - 1)) / Math.max(1, n - 1))]);
}

export function CompositionBar({ analysis, index, height = 14 }: { analysis: YearAnalysis; index: number; height?: number }) {
  const shares = groupShares(analysis, index);
  const colors = groupColors(shares.length);
  const label = analysis.groups.map((g, i) => `${g.key.toUpperCase()} ${pct(shares[i])}`).join(', ');
  return (
    <div className="composition" role="img" aria-label={`Income mix: ${label}`} style={{ height }}>
      {shares.map((s, i) => (
        <span key={analysis.groups[i].key} style={{ width: `${s * 100}%`, background: colors[i] }} title={`${analysis.groups[i].label}: ${pct(s)}`} />
      ))}
    </div>
  );
}

export const GroupKey = memo(function GroupKey({ analysis }: { analysis: YearAnalysis }) {
  const colors = groupColors(analysis.groups.length);
  return (
    <ul className="group-key">
      {analysis.groups.map((g, i) => (
        <li key={g.key}>
          <span className="swatch" style={{ background: colors[i] }} />
          {g.key.toUpperCase()}
        </li>
      ))}
    </ul>
  );
});

/** Each income group's share of a unit's households, as a table (tract and area panels). */
export function GroupShares({ analysis, index }: { analysis: YearAnalysis; index: number }) {
  const shares = groupShares(analysis, index);
  return (
    <table className="shares">
      <tbody>
        {analysis.groups.map((g, i) => (
          <tr key={g.key}>
            <th scope="row">{g.label}</th>
            <td>{pct(shares[i])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TractDetails({ analysis, index, name }: { analysis: YearAnalysis; index: number; name?: string }) {
  const cls = analysis.classes[index];
  const h = analysis.entropy[index];
  const med = analysis.medianIncome[index];
  return (
    <div className="tract-details">
      <div className="tract-title">
        <strong>{name ? (/^\d+(\.\d+)?$/.test(name) ? `Census Tract ${name}` : name) : `Tract ${analysis.geoids[index]}`}</strong>
        <span className="geoid">GEOID {analysis.geoids[index]}</span>
      </div>
      <dl>
        <dt>Households</dt>
        <dd>{count(analysis.households[index])}</dd>
        <dt>Diversity class</dt>
        <dd>
          <span className="swatch" style={{ background: CLASS_COLORS[cls] }} /> {DIVERSITY_CLASS_LABELS[cls]}
          {cls === 'insufficient' ? ` (< ${analysis.minHouseholds} households)` : ''}
        </dd>
        <dt>Entropy index H</dt>
        <dd>{cls === 'insufficient' ? '—' : fixed(h, 3)}</dd>
        <dt>Median income</dt>
        <dd>
          {dollars(med)} {Number.isFinite(med) ? `(${pct(med / analysis.ami.dollars, 0)} of AMI)` : ''}
        </dd>
      </dl>
      <CompositionBar analysis={analysis} index={index} />
      <GroupShares analysis={analysis} index={index} />
    </div>
  );
}
