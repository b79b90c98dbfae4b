/**
 * The selection beside the map: how many tracts, a rule to select by (with a live count), select
 * all / invert / clear, the table filter, and the selection as one area — its households, pooled
 * composition, its own H and class, and the count of tracts in each class per year.
 */
import { useMemo, useState } from 'react';
import type { YearAnalysis } from '../core/analyze';
import { periodLabel } from '../core/brackets';
import type { ChangeAnalysis } from '../core/change';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { describeRuleFields, parseRule, ruleMatches, RuleError } from '../core/rule';
import { selectionSummary, type SelectionSummary } from '../core/selection';
import { ruleFields, ruleRecords, type ExportTable } from '../data/exportTable';
import { count, fixed, pct } from './format';

function summaries(analysis: YearAnalysis, change: ChangeAnalysis | null, selected: ReadonlySet<string>): SelectionSummary[] {
  if (change) {
    const picked = change.tracts.filter((t) => selected.has(t.geoid));
    return [selectionSummary(change.from, picked.map((t) => t.index0)), selectionSummary(change.to, picked.map((t) => t.index1))];
  }
  const idx: number[] = [];
  analysis.geoids.forEach((g, i) => selected.has(g) && idx.push(i));
  return [selectionSummary(analysis, idx)];
}

export function SelectionPanel(props: {
  table: ExportTable;
  analysis: YearAnalysis;
  change: ChangeAnalysis | null;
  selection: readonly string[];
  where: string | null;
  selectionOnly: boolean;
  onChange: (selection: string[], where: string | null) => void;
  onSelectionOnly: (only: boolean) => void;
  /** The shape being drawn on the map, if any. */
  drawing: { kind: 'box' | 'polygon'; ready: boolean } | null;
  onDraw: (kind: 'box' | 'polygon') => void;
}) {
  const { table, analysis, change, selection, where, selectionOnly, onChange, onSelectionOnly, drawing, onDraw } = props;
  const [rule, setRule] = useState(where ?? '');
  const records = useMemo(() => ruleRecords(table), [table]);
  const fields = useMemo(() => ruleFields(table), [table]);
  const ids = useMemo(() => table.rows.map((r) => String(r[0])), [table]);
  const matched = useMemo((): { ids: string[] } | { error: string } | null => {
    if (!rule.trim()) return null;
    try {
      const parsed = parseRule(rule, fields);
      return { ids: ids.filter((_, i) => ruleMatches(parsed, records[i])) };
    } catch (e) {
      return { error: e instanceof RuleError ? e.message : String(e) };
    }
  }, [rule, fields, records, ids]);
  const selected = useMemo(() => new Set(selection), [selection]);
  const sums = useMemo(() => (selection.length ? summaries(analysis, change, selected) : []), [analysis, change, selected, selection.length]);
  const groups = analysis.groups;

  return (
    <section className="selection-panel" aria-label="Selection" data-testid="selection-panel">
      <h2>
        Selection: <span data-testid="selection-count">{count(selection.length)}</span> of {count(ids.length)} tracts
      </h2>
      <form
        className="rule-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (matched && 'ids' in matched) onChange(matched.ids, rule.trim());
        }}
      >
        <label htmlFor="selection-rule">Select by rule</label>
        <input
          id="selection-rule"
          data-testid="rule-input"
          value={rule}
          spellCheck={false}
          placeholder={change ? 'stable_mixed=1 and county=…' : 'class=high and median_ami<0.8'}
          onChange={(e) => setRule(e.target.value)}
          aria-describedby="rule-status"
        />
        <div id="rule-status" className={matched && 'error' in matched ? 'error' : 'note'} data-testid="rule-status" aria-live="polite">
          {!matched ? 'e.g. class=high, entropy>=0.8, households>=500, county=17031; combine with and, or, not' : 'error' in matched ? matched.error : `${count(matched.ids.length)} tracts match`}
        </div>
        <div className="selection-buttons">
          <button type="submit" disabled={!matched || 'error' in matched} data-testid="rule-select">
            Select these
          </button>
          <button type="button" disabled={!matched || 'error' in matched} onClick={() => matched && 'ids' in matched && onChange([...new Set([...selection, ...matched.ids])], null)}>
            Add
          </button>
        </div>
        <details className="rule-fields">
          <summary>Fields</summary>
          <p className="note">{describeRuleFields(fields)}</p>
        </details>
      </form>
      <div className="selection-buttons">
        <span className="label">Draw:</span>
        <button type="button" aria-pressed={drawing?.kind === 'box'} onClick={() => onDraw('box')} data-testid="select-box">
          Box
        </button>
        <button type="button" aria-pressed={drawing?.kind === 'polygon'} onClick={() => onDraw('polygon')} data-testid="select-polygon">
          Polygon
        </button>
      </div>
      {drawing && (
        <p className="note" role="status" data-testid="draw-hint" data-ready={drawing.ready ? '1' : '0'}>
          {!drawing.ready ? 'Loading the drawing tools… ' : ''}
          {drawing.kind === 'box' ? 'Click one corner on the map, then the opposite corner.' : 'Click each corner on the map; click the first corner again to close.'} Esc cancels. A tract is selected when its
          centre point is inside the shape.
        </p>
      )}
      <div className="selection-buttons">
        <button type="button" onClick={() => onChange(ids, null)} data-testid="select-all">
          All
        </button>
        <button type="button" onClick={() => onChange(ids.filter((g) => !selected.has(g)), null)} data-testid="select-invert">
          Invert
        </button>
        <button type="button" onClick={() => onChange([], null)} disabled={!selection.length} data-testid="select-clear">
          Clear
        </button>
        <label className="inline">
          <input type="checkbox" checked={selectionOnly} onChange={(e) => onSelectionOnly(e.target.checked)} data-testid="selection-only" /> Table: selection only
        </label>
      </div>
      {where && <p className="note">Rule: <code>{where}</code></p>}
      <p className="note">Shift-click a tract to add or remove it.</p>
      {sums.length > 0 && (
        <div className="selection-summary" data-testid="selection-summary">
          {sums.map((s) => (
            <div key={s.year} data-testid={`selection-summary-${s.year}`}>
              <h3>
                {periodLabel(s.year)} as one area
              </h3>
              <p>
                <span data-testid="selection-households">{count(Math.round(s.households))}</span> households; H ={' '}
                <strong data-testid="selection-entropy">{s.entropy === null ? '–' : fixed(s.entropy, 3)}</strong> ({DIVERSITY_CLASS_LABELS[s.pooledClass]})
              </p>
              <ul className="selection-composition">
                {groups.map((g, i) => (
                  <li key={g.key} title={g.label}>
                    {g.key}: {pct(s.shares[i])}
                  </li>
                ))}
              </ul>
              <ul className="selection-classes" data-testid="selection-classes">
                {DIVERSITY_CLASSES.filter((c) => s.classCounts[c] > 0).map((c) => (
                  <li key={c} data-class={c}>
                    {DIVERSITY_CLASS_LABELS[c]}: <span className="n">{s.classCounts[c]}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
