import { describe, expect, it } from 'vitest';
import { EMPTY_RULE_FORM, ruleFormText } from '../../src/ui/ruleForm';

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
