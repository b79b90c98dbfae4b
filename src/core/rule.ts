/**
 * The selection rule language: `class=high and county=17031`, `stable_mixed=1`, `entropy>=0.8`,
 * `not (median_ami<0.5 or households<200)`. One small recursive-descent parser; the fields a rule
 * may name are given by the caller (the columns of the view being exported), so an unknown field or
 * a value of the wrong kind is refused with the list of valid ones.
 *
 * Grammar (case-insensitive keywords):
 *   rule  := or
 *   or    := and ("or" and)*
 *   and   := unary ("and" unary)*
 *   unary := "not" unary | "(" or ")" | field op value
 *   op    := "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
 *   value := number | word | "quoted text" | 'quoted text'
 * Number fields take every operator; text and flag fields only = and !=. Flags take 1/0,
 * yes/no or true/false. Text compares case-insensitively. A tract with no value for a field
 * (no households, no median) matches no comparison on it, not even !=.
 */

export type RuleFieldKind = 'number' | 'text' | 'flag';

export interface RuleField {
  readonly name: string;
  readonly kind: RuleFieldKind;
  /** For text fields with a closed set of values (class): the values allowed. */
  readonly values?: readonly string[];
  /** Other names accepted for the field (`h` for entropy). */
  readonly aliases?: readonly string[];
}

/** A tract's values by field name; a text field may carry several names for one value (a county's code and name). */
export type RuleRecord = Readonly<Record<string, number | string | readonly string[] | null | undefined>>;

export type RuleOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Rule =
  | { readonly kind: 'and' | 'or'; readonly left: Rule; readonly right: Rule }
  | { readonly kind: 'not'; readonly rule: Rule }
  | { readonly kind: 'compare'; readonly field: string; readonly fieldKind: RuleFieldKind; readonly op: RuleOp; readonly value: number | string };

export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/** "class (high, moderate, …), entropy (number), stable_mixed (1/0), county (text)". */
export function describeRuleFields(fields: readonly RuleField[]): string {
  return fields
    .map((f) => {
      const what = f.values ? f.values.join(', ') : f.kind === 'flag' ? '1/0' : f.kind;
      return `${f.name}${f.aliases?.length ? `/${f.aliases.join('/')}` : ''} (${what})`;
    })
    .join(', ');
}

type Token = { readonly type: 'word' | 'number' | 'text' | 'op' | '(' | ')'; readonly text: string; readonly at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ type: c, text: c, at: i++ });
      continue;
    }
    const op = /^(==|!=|<=|>=|=|<|>)/.exec(input.slice(i));
    if (op) {
      tokens.push({ type: 'op', text: op[1] === '==' ? '=' : op[1], at: i });
      i += op[1].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new RuleError(`rule "${input}": the quote at character ${i + 1} is not closed`);
      tokens.push({ type: 'text', text: input.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const num = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?(?![\w.])/i.exec(input.slice(i));
    if (num) {
      tokens.push({ type: 'number', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const word = /^[\p{L}\p{N}_.\-]+/u.exec(input.slice(i));
    if (word) {
      tokens.push({ type: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new RuleError(`rule "${input}": unexpected "${c}" at character ${i + 1} (use = != < <= > >=, and, or, not, parentheses)`);
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not']);
const FLAG_WORDS: Record<string, number> = { '1': 1, '0': 0, yes: 1, no: 0, true: 1, false: 0 };

/** Parse a rule against the fields of a view. Throws RuleError naming the problem and the valid fields or values. */
export function parseRule(input: string, fields: readonly RuleField[]): Rule {
  const tokens = tokenize(input);
  if (tokens.length === 0) throw new RuleError('the rule is empty; write e.g. class=high and households>=500');
  const byName = new Map<string, RuleField>();
  for (const f of fields) for (const n of [f.name, ...(f.aliases ?? [])]) byName.set(n.toLowerCase(), f);
  let pos = 0;
  const peek = () => tokens[pos];
  const where = (t: Token | undefined) => (t ? `at character ${t.at + 1} ("${t.text}")` : 'at the end');
  const isKeyword = (t: Token | undefined, k: string) => t?.type === 'word' && t.text.toLowerCase() === k;

  const parseOr = (): Rule => {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Rule => {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Rule => {
    const t = peek();
    if (isKeyword(t, 'not')) {
      pos++;
      return { kind: 'not', rule: parseUnary() };
    }
    if (t?.type === '(') {
      pos++;
      const inner = parseOr();
      if (peek()?.type !== ')') throw new RuleError(`rule "${input}": ")" expected ${where(peek())}`);
      pos++;
      return inner;
    }
    return parseCompare();
  };
  const parseCompare = (): Rule => {
    const t = peek();
    if (!t || t.type !== 'word' || KEYWORDS.has(t.text.toLowerCase())) {
      throw new RuleError(`rule "${input}": a field name expected ${where(t)}. Fields: ${describeRuleFields(fields)}`);
    }
    const field = byName.get(t.text.toLowerCase());
    if (!field) throw new RuleError(`rule "${input}": unknown field "${t.text}". Fields: ${describeRuleFields(fields)}`);
    pos++;
    const opToken = peek();
    if (opToken?.type !== 'op') throw new RuleError(`rule "${input}": an operator (= != < <= > >=) expected after ${field.name} ${where(opToken)}`);
    pos++;
    const op = opToken.text as RuleOp;
    const v = peek();
    if (!v || (v.type !== 'word' && v.type !== 'number' && v.type !== 'text')) throw new RuleError(`rule "${input}": a value expected after ${field.name}${op} ${where(v)}`);
    pos++;
    if (field.kind === 'number') {
      const n = Number(v.text);
      if (v.type === 'text' || v.text.trim() === '' || !Number.isFinite(n)) throw new RuleError(`rule "${input}": ${field.name} is a number; "${v.text}" is not`);
      return { kind: 'compare', field: field.name, fieldKind: 'number', op, value: n };
    }
    if (op !== '=' && op !== '!=') throw new RuleError(`rule "${input}": ${field.name} takes = or != only (it is ${field.kind === 'flag' ? 'a flag, 1 or 0' : 'text'})`);
    if (field.kind === 'flag') {
      const n = FLAG_WORDS[v.text.toLowerCase()];
      if (n === undefined) throw new RuleError(`rule "${input}": ${field.name} is a flag: 1 or 0 (yes/no, true/false), not "${v.text}"`);
      return { kind: 'compare', field: field.name, fieldKind: 'flag', op, value: n };
    }
    const text = v.text.toLowerCase().replace(/_/g, '-');
    if (field.values && !field.values.some((x) => x.toLowerCase() === text)) {
      throw new RuleError(`rule "${input}": ${field.name} "${v.text}" is not one of ${field.values.join(', ')}`);
    }
    return { kind: 'compare', field: field.name, fieldKind: 'text', op, value: field.values ? text : v.text.toLowerCase() };
  };

  const rule = parseOr();
  if (pos < tokens.length) {
    const t = tokens[pos];
    throw new RuleError(`rule "${input}": "and", "or" or the end expected ${where(t)}`);
  }
  return rule;
}

function compare(record: RuleRecord, rule: Extract<Rule, { kind: 'compare' }>): boolean {
  const value = record[rule.field];
  if (value === null || value === undefined || value === '') return false;
  if (rule.fieldKind === 'text') {
    const names = (typeof value === 'string' ? [value] : Array.isArray(value) ? value : [String(value)]).map((s) => s.toLowerCase());
    const equal = names.includes(rule.value as string);
    return rule.op === '=' ? equal : !equal;
  }
  const x = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(x)) return false;
  const y = rule.value as number;
  switch (rule.op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

export function ruleMatches(rule: Rule, record: RuleRecord): boolean {
  switch (rule.kind) {
    case 'and':
      return ruleMatches(rule.left, record) && ruleMatches(rule.right, record);
    case 'or':
      return ruleMatches(rule.left, record) || ruleMatches(rule.right, record);
    case 'not':
      return !ruleMatches(rule.rule, record);
    case 'compare':
      return compare(record, rule);
  }
}

/** One comparison of a rule built from parts (a form): `field op value`. */
export interface RuleCondition {
  readonly field: string;
  readonly op: RuleOp;
  readonly value: number | string;
}

const BARE_WORD = /^[\p{L}\p{N}_.\-]+$/u;

function formatValue(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RuleError(`a rule value must be a finite number, not ${value}`);
    return String(value);
  }
  // A bare word (one token: a word, or digits such as a county code) unless it is a keyword.
  if (BARE_WORD.test(value) && !KEYWORDS.has(value.toLowerCase())) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new RuleError(`the value ${value} holds both quote marks; a rule cannot quote it`);
}

/**
 * Rule text from clauses joined by `and`, the conditions of each clause joined by `or`:
 * `[[class=high, class=moderate], [entropy>=0.8]]` → `(class=high or class=moderate) and entropy>=0.8`.
 * Empty clauses are left out; no clause at all gives ''. The text parses back with parseRule.
 */
export function formatRule(clauses: readonly (readonly RuleCondition[])[]): string {
  const used = clauses.filter((c) => c.length > 0);
  return used
    .map((clause) => {
      const text = clause.map((c) => `${c.field}${c.op}${formatValue(c.value)}`).join(' or ');
      return clause.length > 1 && used.length > 1 ? `(${text})` : text;
    })
    .join(' and ');
}
