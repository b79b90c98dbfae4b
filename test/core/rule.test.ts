import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRule, parseRule, ruleMatches, RuleError, type RuleCondition, type RuleField, type RuleOp } from '../../src/core/rule';

const FIELDS: RuleField[] = [
  { name: 'class', kind: 'text', values: ['high', 'moderate', 'low', 'not-diverse', 'insufficient'] },
  { name: 'entropy', kind: 'number', aliases: ['h'] },
  { name: 'households', kind: 'number' },
  { name: 'county', kind: 'text' },
  { name: 'stable_mixed', kind: 'flag' },
];
const tracts = [
  { id: 'a', class: 'high', entropy: 0.9, households: 800, county: ['17031', 'Cook County, IL', 'Cook County'], stable_mixed: 1 },
  { id: 'b', class: 'high', entropy: 0.88, households: 90, county: ['17043', 'DuPage County, IL', 'DuPage County'], stable_mixed: 0 },
  { id: 'c', class: 'not-diverse', entropy: 0.3, households: 1500, county: ['17031', 'Cook County, IL', 'Cook County'], stable_mixed: 0 },
  { id: 'd', class: 'insufficient', entropy: null, households: 0, county: ['17031', 'Cook County, IL', 'Cook County'], stable_mixed: 0 },
];
const select = (rule: string) => tracts.filter((t) => ruleMatches(parseRule(rule, FIELDS), t)).map((t) => t.id).join('');

describe('selection rules', () => {
  it('select the tracts worked out by hand', () => {
    expect(select('class=high and county=17031')).toBe('a');
    expect(select('class=high or county="Cook County"')).toBe('abcd');
    expect(select('stable_mixed=1')).toBe('a');
    expect(select('stable_mixed=no')).toBe('bcd');
    expect(select('entropy>=0.88')).toBe('ab');
    expect(select('h<0.88')).toBe('c');
    expect(select('not (households<100 or class=not_diverse)')).toBe('a');
    expect(select('county != "cook county, il"')).toBe('b');
    expect(select('households>=90 and households<=800')).toBe('ab');
    expect(select('CLASS = High AND entropy > 0.89')).toBe('a');
  });
  it('a tract without a value matches no comparison on it', () => {
    expect(select('entropy>=0')).toBe('abc');
    expect(select('entropy!=0.3')).toBe('ab');
  });
  it('and binds tighter than or', () => {
    expect(select('class=not-diverse or class=high and households>500')).toBe('ac');
    expect(select('(class=not-diverse or class=high) and households>500')).toBe('ac');
    expect(select('(class=not-diverse or class=high) and households<500')).toBe('b');
  });
  it.each([
    ['klass=high', /unknown field "klass". Fields: class \(high, moderate, low, not-diverse, insufficient\), entropy\/h \(number\), households \(number\), county \(text\), stable_mixed \(1\/0\)/],
    ['class=great', /class "great" is not one of high, moderate, low, not-diverse, insufficient/],
    ['entropy>=high', /entropy is a number; "high" is not/],
    ['class>high', /class takes = or != only/],
    ['stable_mixed=2', /stable_mixed is a flag: 1 or 0/],
    ['class=high and', /a field name expected at the end/],
    ['(class=high', /"\)" expected at the end/],
    ['class=high households>1', /"and", "or" or the end expected at character 12/],
    ['class high', /an operator .* expected after class/],
    ['class="high', /quote at character 7 is not closed/],
    ['', /the rule is empty/],
    ['entropy ~ 1', /unexpected "~" at character 9/],
  ])('%s is refused with a message', (rule, message) => {
    expect(() => parseRule(rule, FIELDS)).toThrow(RuleError);
    expect(() => parseRule(rule, FIELDS)).toThrow(message);
  });
});

describe('rule text from parts (the select-by-rule form)', () => {
  it('joins clauses with and, the conditions of a clause with or, in parentheses when needed', () => {
    expect(formatRule([[{ field: 'class', op: '=', value: 'high' }, { field: 'class', op: '=', value: 'moderate' }], [{ field: 'entropy', op: '>=', value: 0.8 }]])).toBe('(class=high or class=moderate) and entropy>=0.8');
    expect(formatRule([[{ field: 'class', op: '=', value: 'high' }, { field: 'class', op: '=', value: 'low' }]])).toBe('class=high or class=low');
    expect(formatRule([[], [{ field: 'county', op: '=', value: '08031' }], []])).toBe('county=08031');
    expect(formatRule([[{ field: 'county', op: '=', value: 'Cook County, IL' }]])).toBe('county="Cook County, IL"');
    expect(formatRule([[{ field: 'county', op: '=', value: 'or' }]])).toBe('county="or"');
    expect(formatRule([[{ field: 'county', op: '=', value: 'say "hi"' }]])).toBe(`county='say "hi"'`);
    expect(formatRule([])).toBe('');
    expect(() => formatRule([[{ field: 'county', op: '=', value: `a'b"c` }]])).toThrow(RuleError);
    expect(() => formatRule([[{ field: 'entropy', op: '<', value: Number.NaN }]])).toThrow(RuleError);
  });
  it('parses back to a rule that selects what the parts say (property test)', () => {
    // Conditions evaluated here by their meaning, without the parser.
    const holds = (t: (typeof tracts)[number], c: RuleCondition): boolean => {
      const v = (t as Record<string, unknown>)[c.field];
      if (v === null || v === undefined) return false;
      if (c.field === 'county') {
        const equal = (v as string[]).some((x) => x.toLowerCase() === String(c.value).toLowerCase());
        return c.op === '=' ? equal : !equal;
      }
      if (c.field === 'class') return c.op === '=' ? v === c.value : v !== c.value;
      const [x, y] = [v as number, c.value as number];
      return { '=': x === y, '!=': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y }[c.op];
    };
    const ops = fc.constantFrom<RuleOp>('=', '!=', '<', '<=', '>', '>=');
    const condition = fc.oneof(
      fc.record({ field: fc.constant('class'), op: fc.constantFrom<RuleOp>('=', '!='), value: fc.constantFrom('high', 'moderate', 'low', 'not-diverse', 'insufficient') }),
      fc.record({ field: fc.constant('county'), op: fc.constantFrom<RuleOp>('=', '!='), value: fc.constantFrom('17031', '17043', 'Cook County', 'DuPage County, IL', 'and', 'Lake "X" County') }),
      fc.record({ field: fc.constant('entropy'), op: ops, value: fc.constantFrom(0, 0.3, 0.88, 0.9, 1, -0.5) }),
      fc.record({ field: fc.constant('households'), op: ops, value: fc.integer({ min: -10, max: 2000 }) }),
      fc.record({ field: fc.constant('stable_mixed'), op: fc.constantFrom<RuleOp>('=', '!='), value: fc.constantFrom(0, 1) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(condition, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (clauses) => {
        const rule = parseRule(formatRule(clauses), FIELDS);
        for (const t of tracts) expect(ruleMatches(rule, t)).toBe(clauses.every((clause) => clause.some((c) => holds(t, c))));
      }),
      { numRuns: 300 },
    );
  });
});
