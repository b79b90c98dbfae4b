/** The selected tract: its figures and its bracket counts. Escape closes it. */
import { periodLabel } from '../core/brackets';
import type { ReactNode } from 'react';
import type { YearAnalysis } from '../core/analyze';
import type { IncomeUnit } from '../data/income';
import type { BracketSet } from '../core/brackets';
import { TractDetails } from './TractDetails';
import { usePanelKeys } from './usePanelKeys';
import { count, fixed, pct } from './format';
import type { TractUncertainty } from '../core/uncertainty';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS } from '../core/entropy';

/** The sampling uncertainty of H and the class (METHOD §6), when the data have MOEs. */
export function UncertaintyView({ value }: { value: TractUncertainty | undefined }) {
  if (!value || !Number.isFinite(value.entropyLow)) return null;
  return (
    <section className="uncertainty" data-testid="uncertainty">
      <h3>Sampling uncertainty (from the margins of error)</h3>
      <p>
        90% interval of H: {fixed(value.entropyLow)}–{fixed(value.entropyHigh)}
        {value.uncertain ? ' — the class is uncertain' : ''}
      </p>
      <ul>
        {DIVERSITY_CLASSES.filter((c) => value.classProbability[c] > 0).map((c) => (
          <li key={c}>
            {DIVERSITY_CLASS_LABELS[c].replace(/ \(.*\)$/, '')}: {pct(value.classProbability[c], 0)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function bracketLabel(set: BracketSet, i: number): string {
  const e = set.lowerEdges;
  const k = (x: number) => `$${(x / 1000).toLocaleString('en-US')}k`;
  if (i === 0) return `under ${k(e[1])}`;
  if (i === e.length - 1) return `${k(e[i])} or more`;
  return `${k(e[i])}–${k(e[i + 1])}`;
}

/** `details`, when given (the change view), replace the one-year figures; `extra` follows them. */
export function SidePanel(props: { analysis: YearAnalysis; index: number; unit: IncomeUnit; set: BracketSet; name?: string; onClose: () => void; details?: ReactNode; extra?: ReactNode }) {
  const { analysis, index, unit, set, name, onClose, details, extra } = props;
  const closeRef = usePanelKeys(onClose, index);
  return (
    <aside className="side-panel" aria-label={`Tract ${analysis.geoids[index]}`} data-testid="side-panel">
      <button ref={closeRef} className="close" onClick={onClose} aria-label="Close tract panel (Escape)">
        ×
      </button>
      {details ?? <TractDetails analysis={analysis} index={index} name={name} />}
      {extra}
      <h3>
        Households by income bracket, {periodLabel(analysis.year)} ({analysis.incomeYear} dollars)
      </h3>
      <table className="brackets">
        <thead>
          <tr>
            <th scope="col">Bracket</th>
            <th scope="col">Households</th>
            {unit.moe && <th scope="col">± MOE (90%)</th>}
          </tr>
        </thead>
        <tbody>
          {Array.from(unit.counts, (c, i) => (
            <tr key={i}>
              <th scope="row">{bracketLabel(set, i)}</th>
              <td>{Number.isInteger(c) ? count(c) : c.toFixed(1)}</td>
              {unit.moe && <td>{count(unit.moe[i])}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
