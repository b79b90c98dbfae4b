/**
 * "What am I looking at?": the map in plain words — income groups against the AMI, the entropy
 * index with a worked example from the tract under the pointer (or the open one), the four
 * classes, the change flags, and the sources — with the formulas at the end for those who want them.
 */
import { periodLabel } from '../core/brackets';
import { groupShares, type YearAnalysis } from '../core/analyze';
import { DIVERSITY_CLASS_LABELS, DIVERSITY_THRESHOLDS } from '../core/entropy';
import type { ChangeAnalysis } from '../core/change';
import type { Dataset } from '../data/dataset';
import { CLASS_COLORS } from '../map/colors';
import { dollars, fixed, pct } from './format';

/** The terms of H for one tract: each group's share p and −p·ln p, their sum, and H = sum ÷ ln k. */
export function entropyTerms(shares: readonly number[]): { terms: { p: number; term: number }[]; sum: number; lnK: number; h: number } {
  const terms = shares.map((p) => ({ p, term: p > 0 ? -p * Math.log(p) : 0 }));
  const sum = terms.reduce((s, t) => s + t.term, 0);
  const lnK = Math.log(shares.length);
  return { terms, sum, lnK, h: sum / lnK };
}

export function Explainer(props: { analysis: YearAnalysis; change: ChangeAnalysis | null; dataset: Dataset; exampleIndex: number | null; exampleName?: string; onClose: () => void }) {
  const { analysis, change, dataset, exampleIndex, exampleName, onClose } = props;
  const k = analysis.groups.length;
  const example = exampleIndex ?? analysis.classes.findIndex((c) => c === 'moderate');
  const usable = example >= 0 && analysis.classes[example] !== 'insufficient';
  const worked = usable ? entropyTerms(groupShares(analysis, example)) : null;
  const cut = (i: number) => dollars(analysis.cutsDollars[i]);
  return (
    <section className="explainer" aria-label="What am I looking at?" data-testid="explainer">
      <button className="close" onClick={onClose} aria-label="Close the explanation">
        ×
      </button>
      <h2>What am I looking at?</h2>
      <p>
        Each shape is a <strong>census tract</strong>, a neighbourhood of about 4,000 people drawn by the Census Bureau. The data are household incomes of{' '}
        {periodLabel(analysis.year)}
        {/–/.test(periodLabel(analysis.year)) ? ' (an American Community Survey 5-year period: the figures pool five years of samples)' : ' (the decennial census)'}.
      </p>
      <h3>Income groups and the AMI</h3>
      <p>
        Households are sorted into {k} income groups. The <strong>area median income (AMI)</strong> is the income that splits the region's households in half: here {dollars(analysis.ami.dollars)} ({analysis.ami.source}).{' '}
        {analysis.scheme.kind === 'ami6' ? 'The groups are shares of it, as housing programmes use:' : 'The groups are:'}
      </p>
      <ul className="groups-explained">
        {analysis.groups.map((g, i) => (
          <li key={g.key}>
            <strong>{g.key.toUpperCase()}</strong> {g.label}
            {analysis.cutsDollars.length === k - 1 ? ` — ${i === 0 ? `under ${cut(0)}` : i === k - 1 ? `${cut(k - 2)} or more` : `${cut(i - 1)} to ${cut(i)}`}` : ''}
          </li>
        ))}
      </ul>
      <h3>Diversity: the entropy index H</h3>
      <p>
        A tract is <strong>economically mixed</strong> when its households are spread over all the income groups rather than packed into one. The entropy index H measures that spread: <strong>1</strong> when every group holds the same share,{' '}
        <strong>0</strong> when everyone is in one group. It says nothing about which groups: a tract of only the poorest and the richest can score high, so the panel always shows the mix itself.
      </p>
      {worked && (
        <div className="worked" data-testid="worked-example">
          <p>
            <strong>Worked example: {exampleName ?? analysis.geoids[example]}</strong> {exampleIndex === null ? '(hover a tract to use it instead)' : ''}
          </p>
          <table className="shares">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">share p</th>
                <th scope="col">−p × ln p</th>
              </tr>
            </thead>
            <tbody>
              {worked.terms.map((t, i) => (
                <tr key={analysis.groups[i].key}>
                  <th scope="row">{analysis.groups[i].key.toUpperCase()}</th>
                  <td>{pct(t.p)}</td>
                  <td>{fixed(t.term, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="worked-h">
            Sum {fixed(worked.sum, 3)} ÷ ln {k} ({fixed(worked.lnK, 3)}) = <strong>H {fixed(worked.h, 3)}</strong> → {DIVERSITY_CLASS_LABELS[analysis.classes[example]].replace(/ \(.*\)$/, '')}.
          </p>
        </div>
      )}
      <h3>The four classes</h3>
      <ul className="classes-explained">
        {(['high', 'moderate', 'low', 'not-diverse'] as const).map((c) => (
          <li key={c}>
            <span className="swatch" style={{ background: CLASS_COLORS[c] }} />
            {DIVERSITY_CLASS_LABELS[c]}
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: CLASS_COLORS.insufficient }} />
          Insufficient data: fewer than {analysis.minHouseholds} households, too few to say. Tracts with no households at all are hatched; water tracts are pale blue.
        </li>
      </ul>
      <p className="note">Thresholds .{String(DIVERSITY_THRESHOLDS.high).slice(2)}, .{String(DIVERSITY_THRESHOLDS.moderate).slice(2)} and .{String(DIVERSITY_THRESHOLDS.low).slice(2)} are Galster, Booza &amp; Cutsinger's (2008).</p>
      <h3>Change between years{change ? ` (${periodLabel(change.from.year)} → ${periodLabel(change.to.year)})` : ''}</h3>
      <ul>
        <li>
          <strong>Stable mixed-income</strong>: highly diverse in both years, and the share of households below 80% of AMI did not fall by more than 5 points.
        </li>
        <li>
          <strong>Income upgrading</strong>: a tract that was poorer than 80% of AMI whose median income grew at least 10% after inflation and faster than the region's, while its share of low-income households fell — the income signature of gentrification.
        </li>
        <li>
          <strong>Transitional</strong>: upgrading, and still mixed (Moderate or High) today — mixed for now, possibly on the way to not.
        </li>
      </ul>
      <h3>Sources</h3>
      <ul>
        {dataset.sources.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p>
        <a href="#formulas">The formulas</a> for readers who want them.
      </p>
      <details id="formulas" className="formulas">
        <summary>Method and formulas</summary>
        <p>Brackets → groups: household counts in the Census income brackets are re-cut at the group edges, linearly inside a bracket and with a Pareto tail in the open top bracket.</p>
        <p>H = −Σᵢ pᵢ ln pᵢ ÷ ln k over the k groups, 0·ln 0 = 0 (Galster, Booza &amp; Cutsinger 2008, Cityscape 10(2), p. 265).</p>
        <p>Classes: High H ≥ .87, Moderate .69 ≤ H &lt; .87, Low .48 ≤ H &lt; .69, Not diverse H &lt; .48 (ibid., p. 266); fewer than {analysis.minHouseholds} households: insufficient.</p>
        <p>Change: years are compared on the later year's tracts (crosswalk weights move the counts); real growth uses CPI-U; with margins of error, changes inside the 90% interval are not called.</p>
      </details>
    </section>
  );
}
