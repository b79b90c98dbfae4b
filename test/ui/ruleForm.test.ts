import { describe, expect, it } from 'vitest';
import { EMPTY_RULE_FORM, ruleFormOfText, ruleFormText, type RuleFormState } from '../../src/ui/ruleForm';
import type { RuleField } from '../../src/core/rule';

const YEAR_FIELDS = new Set(['GEOID', 'county', 'class', 'entropy', 'h', 'households', 'median_ami', 'median_income']);
const CHANGE_FIELDS = new Set([...YEAR_FIELDS, 'class_2000', 'stable_mixed', 'income_upgrading', 'transitional', 'gov_gentrified']);

describe('the select-by-rule form', () => {
  it('writes nothing when it asks for nothing, or for every class', () => {
    expect(ruleFormText(EMPTY_RULE_FORM, YEAR_FIELDS)).toBe('');
    expect(ruleFormText({ ...EMPTY_RULE_FORM, classes: ['high', 'moderate', 'low', 'not-diverse', 'insufficient'] }, YEAR_FIELDS)).toBe('');
    expect(ruleFormText({ ...EMPTY_RULE_FORM, ranges: { entropy: { min: ' ', max: '' } } }, YEAR_FIELDS)).toBe('');
  });
  it('writes classes as one or-clause, ranges with both ends included, the county by code', () => {
    const form = { classes: ['high', 'moderate'], flags: {}, ranges: { entropy: { min: '0.8', max: '' }, households: { min: '', max: '99' }, median_ami: { min: '0.5', max: '1.2' } }, county: '08031' };
    expect(ruleFormText(form, YEAR_FIELDS)).toBe('(class=high or class=moderate) and entropy>=0.8 and median_ami>=0.5 and median_ami<=1.2 and households<=99 and county=08031');
    expect(ruleFormText({ ...EMPTY_RULE_FORM, classes: ['not-diverse'] }, YEAR_FIELDS)).toBe('class=not-diverse');
  });
  it('writes flags only where the view has them (the change view, a definition shown)', () => {
    const form = { ...EMPTY_RULE_FORM, flags: { stable_mixed: 'yes', transitional: 'no', gov_gentrified: 'yes', ncrc_gentrified: 'yes' } as const };
    expect(ruleFormText(form, CHANGE_FIELDS)).toBe('stable_mixed=1 and transitional=0 and gov_gentrified=1');
    expect(ruleFormText(form, YEAR_FIELDS)).toBe('');
  });
});

/** The change view's rule fields as the export table gives them: the later year's columns answer to the plain names. */
const CHANGE_RULE_FIELDS: RuleField[] = [
  { name: 'GEOID', kind: 'text', aliases: ['geoid'] },
  { name: 'county', kind: 'text' },
  { name: 'class_2000', kind: 'text', values: ['high', 'moderate', 'low', 'not-diverse', 'insufficient'] },
  { name: 'class_2018', kind: 'text', values: ['high', 'moderate', 'low', 'not-diverse', 'insufficient'], aliases: ['class'] },
  { name: 'entropy_2018', kind: 'number', aliases: ['entropy', 'h'] },
  { name: 'households_2018', kind: 'number', aliases: ['households'] },
  { name: 'median_ami_2018', kind: 'number', aliases: ['median_ami'] },
  { name: 'stable_mixed', kind: 'flag' },
  { name: 'transitional', kind: 'flag' },
];
const COUNTIES: [string, string][] = [['17031', 'Cook County, IL'], ['17043', 'DuPage County, IL']];
const formOf = (text: string) => ruleFormOfText(text, CHANGE_RULE_FIELDS, COUNTIES);

describe('the form follows a typed rule', () => {
  it('fills classes, flags, range ends and the county (by code or by name) for rules the form can say', () => {
    expect(formOf('')).toEqual(EMPTY_RULE_FORM);
    expect(formOf('(class=high or class=Moderate) and h>=0.8 and households<=99 and county="Cook County"')).toEqual({
      classes: ['high', 'moderate'],
      flags: {},
      ranges: { entropy: { min: '0.8', max: '' }, households: { min: '', max: '99' } },
      county: '17031',
    });
    expect(formOf('stable_mixed=yes and transitional=0 and median_ami<=1.2 and median_ami>=0.5 and county=17043')).toEqual({
      classes: [],
      flags: { stable_mixed: 'yes', transitional: 'no' },
      ranges: { median_ami: { min: '0.5', max: '1.2' } },
      county: '17043',
    });
    expect(formOf('class_2018=not_diverse')).toEqual({ ...EMPTY_RULE_FORM, classes: ['not-diverse'] });
  });
  it('says null (not shown in the form) for what the form cannot say, and for text that does not parse', () => {
    for (const rule of [
      'class=high or entropy>=0.8', // or between fields
      'not stable_mixed=1',
      'entropy>0.8', // the form's ranges include their ends
      'class!=high',
      'class_2000=high', // the earlier year's class has no control
      'households>=100 and households>=200', // one end given twice
      'county=17999', // not a county of the view
      'class=high and class=low',
      'entropy>=', // does not parse
    ]) expect(formOf(rule), rule).toBeNull();
  });
  it('a form, written out and typed back, is the same form (the rules the form writes all come back)', () => {
    const forms: RuleFormState[] = [
      { classes: ['high', 'moderate'], flags: { stable_mixed: 'yes' }, ranges: { entropy: { min: '0.8', max: '' }, median_ami: { min: '0.5', max: '1.2' } }, county: '17031' },
      { classes: ['insufficient'], flags: { transitional: 'no' }, ranges: { households: { min: '', max: '99' } }, county: '' },
    ];
    const fieldNames = new Set(CHANGE_RULE_FIELDS.flatMap((f) => [f.name, ...(f.aliases ?? [])]));
    for (const form of forms) expect(formOf(ruleFormText(form, fieldNames))).toEqual(form);
  });
});
