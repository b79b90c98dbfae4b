/**
 * The selection beside the map: how many tracts, a rule to select by (with a live count), select
 * all / invert / clear, the table filter, and the selection as one area — its households, pooled
 * composition, its own H and class, and the count of tracts in each class per year.
 */
import { memo, useMemo, useState } from 'react';
import type { YearAnalysis } from '../core/analyze';
import { periodLabel } from '../core/brackets';
import type { ChangeAnalysis } from '../core/change';
import { DIVERSITY_CLASSES, DIVERSITY_CLASS_LABELS } from '../core/entropy';
import { describeRuleFields, parseRule, ruleMatches, RuleError } from '../core/rule';
import { selectionSummary, type SelectionSummary } from '../core/selection';
import { ruleFields, ruleRecords, type ExportTable } from '../data/exportTable';
import { count, fixed, pct } from './format';
import { FLAG_FIELDS, RANGE_FIELDS, ruleFormOfText, ruleFormText, type RuleFormState } from './ruleForm';

/** Short class names for the form's tick boxes. */
const CLASS_SHORT: Record<string, string> = { high: 'High', moderate: 'Moderate', low: 'Low', 'not-diverse': 'Not diverse', insufficient: 'Insufficient' };

function summaries(analysis: YearAnalysis, change: ChangeAnalysis | null, selected: ReadonlySet<string>): SelectionSummary[] {
  if (change) {
    const picked = change.tracts.filter((t) => selected.has(t.geoid));
    return [selectionSummary(change.from, picked.map((t) => t.index0)), selectionSummary(change.to, picked.map((t) => t.index1))];
  }
  const idx: number[] = [];
  analysis.geoids.forEach((g, i) => selected.has(g) && idx.push(i));
  return [selectionSummary(analysis, idx)];
}

export const SelectionPanel = memo(function SelectionPanel(props: {
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
  // The rule records (and the table's rows under them) are made when a rule is first matched.
  const records = useMemo(() => {
    let made: ReturnType<typeof ruleRecords> | null = null;
    return () => (made ??= ruleRecords(table));
  }, [table]);
  const fields = useMemo(() => ruleFields(table), [table]);
  const ids = table.geoids;
  const matched = useMemo((): { ids: string[] } | { error: string } | null => {
    if (!rule.trim()) return null;
    try {
      const parsed = parseRule(rule, fields);
      const all = records();
      return { ids: ids.filter((_, i) => ruleMatches(parsed, all[i])) };
    } catch (e) {
      return { error: e instanceof RuleError ? e.message : String(e) };
    }
  }, [rule, fields, records, ids]);
  const fieldNames = useMemo(() => new Set(fields.flatMap((f) => [f.name, ...(f.aliases ?? [])])), [fields]);
  // The counties of the view: code → name (the county column), sorted by name.
  const counties = useMemo(() => [...table.counties].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])), [table]);
  // The form follows the rule box both ways: a typed rule the form can say fills it (ruleFormOf).
  const [form, setForm] = useState<RuleFormState>(() => ruleFormOfText(where ?? '', fields, counties) ?? { classes: [], flags: {}, ranges: {}, county: '' });
  const [formShowsRule, setFormShowsRule] = useState(() => ruleFormOfText(where ?? '', fields, counties) !== null);
  /** A change of the form writes its rule into the rule box (the live count follows). */
  const changeForm = (next: RuleFormState) => {
    setForm(next);
    setFormShowsRule(true);
    setRule(ruleFormText(next, fieldNames));
  };
  /** A typed rule: the form shows it when it can; a rule that does not parse yet leaves the form as it was. */
  const typeRule = (text: string) => {
    setRule(text);
    const next = ruleFormOfText(text, fields, counties);
    if (next) setForm(next);
    setFormShowsRule(next !== null);
  };
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
        <details className={formShowsRule ? 'rule-builder' : 'rule-builder stale'} data-testid="rule-form">
          <summary>Select by rule: class, {change ? 'flags, ' : ''}H, median ÷ AMI, households, county</summary>
          <fieldset className="rule-classes">
            <legend>Class{change ? ` (${periodLabel(change.to.year)})` : ''}</legend>
            {DIVERSITY_CLASSES.map((c) => (
              <label key={c} className="inline">
                <input
                  type="checkbox"
                  checked={form.classes.includes(c)}
                  onChange={(e) => changeForm({ ...form, classes: e.target.checked ? [...form.classes, c] : form.classes.filter((x) => x !== c) })}
                  data-testid={`rule-class-${c}`}
                />{' '}
                {CLASS_SHORT[c]}
              </label>
            ))}
          </fieldset>
          {FLAG_FIELDS.filter((f) => fieldNames.has(f.field)).map((f) => (
            <label key={f.field} className="rule-row">
              <span>{f.label}</span>
              <select
                value={form.flags[f.field] ?? ''}
                onChange={(e) => {
                  const flags = { ...form.flags };
                  if (e.target.value) flags[f.field] = e.target.value as 'yes' | 'no';
                  else delete flags[f.field];
                  changeForm({ ...form, flags });
                }}
                data-testid={`rule-flag-${f.field}`}
              >
                <option value="">any</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </label>
          ))}
          {RANGE_FIELDS.filter((f) => fieldNames.has(f.field)).map((f) => {
            const range = form.ranges[f.field] ?? { min: '', max: '' };
            const set = (end: 'min' | 'max', value: string) => changeForm({ ...form, ranges: { ...form.ranges, [f.field]: { ...range, [end]: value } } });
            return (
              <div key={f.field} className="rule-row" role="group" aria-label={f.label}>
                <span>{f.label}</span>
                <input type="number" step={f.step} value={range.min} onChange={(e) => set('min', e.target.value)} aria-label={`${f.label} from`} placeholder="from" data-testid={`rule-min-${f.field}`} />
                <span aria-hidden="true">–</span>
                <input type="number" step={f.step} value={range.max} onChange={(e) => set('max', e.target.value)} aria-label={`${f.label} to`} placeholder="to" data-testid={`rule-max-${f.field}`} />
              </div>
            );
          })}
          {counties.length > 0 && (
            <label className="rule-row">
              <span>County</span>
              <select value={form.county} onChange={(e) => changeForm({ ...form, county: e.target.value })} data-testid="rule-county">
                <option value="">any</option>
                {counties.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name && name !== code ? `${name} (${code})` : code}
                  </option>
                ))}
              </select>
            </label>
          )}
          {formShowsRule ? (
            <p className="note">The form writes the rule below (ranges include both ends); edit it to combine fields with or, not.</p>
          ) : (
            <p className="note" data-testid="rule-form-not-shown">
              Rule not shown in the form: {matched && 'error' in matched ? 'it does not parse yet' : 'it uses or, not, < or > or a field the form has no control for'}. The rule box is what selects.
            </p>
          )}
        </details>
        <label htmlFor="selection-rule">Rule</label>
        <textarea
          id="selection-rule"
          data-testid="rule-input"
          rows={2}
          value={rule}
          spellCheck={false}
          onKeyDown={(e) => {
            // Enter selects (as in a one-line box); shift-Enter starts a new line.
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          placeholder={change ? 'stable_mixed=1 and county=…' : 'class=high and median_ami<0.8'}
          onChange={(e) => typeRule(e.target.value)}
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
        <button type="button" onClick={() => onChange([...ids], null)} data-testid="select-all">
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
      <p className="note">Click a tract to select it (its panel opens too); shift-click to add or remove it.</p>
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
});
