/** Region summary: Galster, Booza & Cutsinger's (2008) region measures, from the core. */
import { memo } from 'react';
import { periodLabel } from '../core/brackets';
import type { YearAnalysis } from '../core/analyze';
import { regionSummary } from '../core/summary';
import { count, pct } from './format';

export const SummaryPanel = memo(function SummaryPanel({ analysis }: { analysis: YearAnalysis }) {
  const s = regionSummary(analysis);
  const vli = analysis.groups[0]?.key.toUpperCase();
  return (
    <section className="summary" aria-label="Region summary">
      <h2>Region summary, {periodLabel(analysis.year)}</h2>
      <dl>
        <dt>Tracts / households</dt>
        <dd>
          {count(s.tracts)} / {count(s.households)}
        </dd>
        <dt>High-diversity tracts</dt>
        <dd>
          {count(s.classCounts.high)} ({pct(s.classShares.high)})
        </dd>
        <dt>{vli} share of households in High tracts</dt>
        <dd>{pct(s.vliShareInHigh)}</dd>
        <dt>{vli} households living in High tracts</dt>
        <dd>{pct(s.vliLivingInHigh)}</dd>
        <dt>{vli} households in poor tracts (median &lt; 50% AMI)</dt>
        <dd>{pct(s.vliInPoorTracts)}</dd>
        <dt>Poor tracts / of which High</dt>
        <dd>
          {count(s.poorTracts)} / {count(s.poorTractsHigh)}
        </dd>
      </dl>
    </section>
  );
});
