/**
 * The "select by rule" form: class, each flag, ranges of H, median ÷ AMI and households, and a
 * county, written out as rule text of the rule language (src/core/rule.ts), so the form, the typed
 * rule, the URL's `where` and `tractmix export --where` are one thing. Pure: the panel renders it.
 *
 * The other way, a typed rule fills the form when the form can say it (`ruleFormOf`): comparisons
 * joined by `and`, classes joined by `or`, `>=`/`<=` ends of the ranges, a flag `=` 1 or 0, a county.
 *
 * The form offers the fields in the tables below that the view's export table has (flags only in
 * the change view, a definition's column only when it is shown). A layer that adds export columns
 * (point counts, say) can offer them here by adding a row to RANGE_FIELDS or FLAG_FIELDS; rules typed
 * by hand can name any export column already.
 */
import { formatRule, parseRule, RuleError, type Rule, type RuleCondition, type RuleField } from '../core/rule';

/** Number fields the form gives a min–max range for (both ends included; an empty end is open). */
export const RANGE_FIELDS: readonly { readonly field: string; readonly label: string; readonly step: number }[] = [
  { field: 'entropy', label: 'H (entropy)', step: 0.01 },
  { field: 'median_ami', label: 'Median ÷ AMI', step: 0.05 },
  { field: 'households', label: 'Households', step: 50 },
];

/** Flag fields (1/0) the form offers as any / yes / no. */
export const FLAG_FIELDS: readonly { readonly field: string; readonly label: string }[] = [
  { field: 'stable_mixed', label: 'Stable mixed-income' },
  { field: 'income_upgrading', label: 'Income upgrading' },
  { field: 'transitional', label: 'Transitional mix' },
  { field: 'gov_gentrified', label: 'Gentrified (Governing)' },
  { field: 'ncrc_gentrified', label: 'Gentrified (NCRC)' },
  { field: 'gent_00_18', label: 'Gentrified 2000–18 (UDP)' },
];

export interface RuleFormState {
  /** Class values ticked (none or all: any class). */
  readonly classes: readonly string[];
  /** Flags asked for; a flag not here may be either. */
  readonly flags: Readonly<Record<string, 'yes' | 'no'>>;
  /** Range ends as typed; '' is open. */
  readonly ranges: Readonly<Record<string, { readonly min: string; readonly max: string }>>;
  /** County code, or '' for any. */
  readonly county: string;
}

export const EMPTY_RULE_FORM: RuleFormState = { classes: [], flags: {}, ranges: {}, county: '' };

const ALL_CLASSES = 5;

/** The form as clauses (joined by and; a clause's conditions by or), over the fields the view has. */
export function ruleFormClauses(form: RuleFormState, fields: ReadonlySet<string>): RuleCondition[][] {
  const clauses: RuleCondition[][] = [];
  if (fields.has('class') && form.classes.length > 0 && form.classes.length < ALL_CLASSES) clauses.push(form.classes.map((c) => ({ field: 'class', op: '=', value: c })));
  for (const { field } of FLAG_FIELDS) {
    const want = form.flags[field];
    if (want && fields.has(field)) clauses.push([{ field, op: '=', value: want === 'yes' ? 1 : 0 }]);
  }
  for (const { field } of RANGE_FIELDS) {
    const range = form.ranges[field];
    if (!range || !fields.has(field)) continue;
    for (const [end, op] of [[range.min, '>='], [range.max, '<=']] as const) {
      const x = end.trim() === '' ? NaN : Number(end);
      if (Number.isFinite(x)) clauses.push([{ field, op, value: x }]);
    }
  }
  if (form.county && fields.has('county')) clauses.push([{ field: 'county', op: '=', value: form.county }]);
  return clauses;
}

/** The form as rule text ('' when it asks for nothing). */
export function ruleFormText(form: RuleFormState, fields: ReadonlySet<string>): string {
  return formatRule(ruleFormClauses(form, fields));
}

/** Conjuncts of a rule: `a and (b and c)` → [a, b, c]. */
function conjuncts(rule: Rule): Rule[] {
  return rule.kind === 'and' ? [...conjuncts(rule.left), ...conjuncts(rule.right)] : [rule];
}

/** Disjuncts of a rule: `a or (b or c)` → [a, b, c]. */
function disjuncts(rule: Rule): Rule[] {
  return rule.kind === 'or' ? [...disjuncts(rule.left), ...disjuncts(rule.right)] : [rule];
}

/**
 * The form that writes a parsed rule, or null when the form cannot say it (`or` between fields,
 * `not`, `<` or `>`, `!=`, a field the form has no control for, a field given twice, a county
 * not in the list). `fields` are the view's rule fields (a form field may be an alias: `class`
 * is the later year's class in the change view); `counties` the county list as [code, name].
 */
export function ruleFormOf(rule: Rule, fields: readonly RuleField[], counties: readonly (readonly [string, string])[]): RuleFormState | null {
  // The form's name of a parsed field: the field itself, or the alias the form uses for it.
  const formNames = new Set(['class', 'county', ...FLAG_FIELDS.map((f) => f.field), ...RANGE_FIELDS.map((f) => f.field)]);
  const formName = (field: string): string | null => {
    const f = fields.find((x) => x.name === field);
    if (!f) return null;
    return [f.name, ...(f.aliases ?? [])].find((n) => formNames.has(n)) ?? null;
  };
  let classes: string[] | null = null;
  const flags: Record<string, 'yes' | 'no'> = {};
  const ranges: Record<string, { min: string; max: string }> = {};
  let county: string | null = null;
  for (const part of conjuncts(rule)) {
    const options = disjuncts(part);
    if (options.some((o) => o.kind !== 'compare')) return null;
    const compares = options as Extract<Rule, { kind: 'compare' }>[];
    const names = compares.map((c) => formName(c.field));
    if (names.every((n) => n === 'class') && compares.every((c) => c.op === '=')) {
      if (classes) return null;
      classes = [...new Set(compares.map((c) => String(c.value)))];
      continue;
    }
    if (compares.length !== 1) return null;
    const [c] = compares;
    const name = names[0];
    if (name === null) return null;
    if (FLAG_FIELDS.some((f) => f.field === name)) {
      if (c.op !== '=' || flags[name]) return null;
      flags[name] = c.value === 1 ? 'yes' : 'no';
    } else if (RANGE_FIELDS.some((f) => f.field === name)) {
      const range = (ranges[name] ??= { min: '', max: '' });
      const end = c.op === '>=' ? 'min' : c.op === '<=' ? 'max' : null;
      if (!end || range[end] !== '') return null;
      range[end] = String(c.value);
    } else if (name === 'county') {
      const v = String(c.value).toLowerCase();
      const hit = counties.find(([code, label]) => code === v || label.toLowerCase() === v || label.toLowerCase().replace(/, [a-z]{2}$/, '') === v);
      if (c.op !== '=' || county !== null || !hit) return null;
      county = hit[0];
    } else return null;
  }
  return { classes: classes ?? [], flags, ranges, county: county ?? '' };
}

/**
 * The form for typed rule text: EMPTY_RULE_FORM for no rule, null when the text does not parse
 * or the form cannot say it (the form then keeps what it had and says so).
 */
export function ruleFormOfText(text: string, fields: readonly RuleField[], counties: readonly (readonly [string, string])[]): RuleFormState | null {
  if (!text.trim()) return EMPTY_RULE_FORM;
  try {
    return ruleFormOf(parseRule(text, fields), fields, counties);
  } catch (e) {
    if (e instanceof RuleError) return null;
    throw e;
  }
}
