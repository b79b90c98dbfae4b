/**
 * The "select by rule" form: class, each flag, ranges of H, median ÷ AMI and households, and a
 * county, written out as rule text of the rule language (src/core/rule.ts), so the form, the typed
 * rule, the URL's `where` and `tractmix export --where` are one thing. Pure: the panel renders it.
 *
 * The form offers the fields in the tables below that the view's export table has (flags only in
 * the change view, a definition's column only when it is shown). A layer that adds export columns
 * (point counts, say) can offer them here by adding a row to RANGE_FIELDS or FLAG_FIELDS; rules typed
 * by hand can name any export column already.
 */
import { formatRule, type RuleCondition } from '../core/rule';

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
