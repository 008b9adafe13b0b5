/** Failures grouped by the check that failed, with the facts each kind of check yields. */
import { describe, expect, it } from 'vitest';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { formatDescriptiveFeedback } from '../../src/feedback/format-feedback.js';
import { findVerbatimLeaks } from '../../src/feedback/verbatim.js';
import { LabelReader, isLabelLike } from '../../src/feedback/labels.js';
import { reasonShape } from '../../src/feedback/reason-shape.js';
import { withVarsOnly } from '../../src/feedback/visible-vars.js';
import type { CaseFailure } from '../../src/runner/types.js';
import { makeCase } from './make-case.js';

function said(text: string, category: CaseFailure['category'] = 'wrong_answer', metric?: string): CaseFailure {
  return { type: 'javascript', category, reason: `${text}; got "…"`, ...(metric ? { metric } : {}), details: { kind: 'function', said: text } };
}

describe('reasonShape', () => {
  it('blanks numbers, quoted text, name=value pairs and listed names, keeping the words', () => {
    expect(reasonShape('has 3 bullet points, needs exactly 5')).toBe('has # bullet points, needs exactly #');
    expect(reasonShape("uses the forbidden word 'very'")).toBe('uses the forbidden word …');
    expect(reasonShape('intent "PlayMusic" should be "AddToPlaylist"; missed slots: artist="Abba", sort="top" (slot recall 0.00)')).toBe(
      'intent … should be …; missed slots: … (slot recall #)',
    );
    expect(reasonShape('slot F1 0.50; missed: artist, sort; extra: first_name')).toBe('slot F1 #; missed: …; extra: …');
    expect(reasonShape("don't use commas")).toBe("don't use commas");
  });
});

describe('analyzeFailures: groups by check', () => {
  it('a javascript check: one group per kind of reason, with counts, never one "returned false" bucket', () => {
    const results = [
      makeCase({ id: 'a1', output: 'x', failures: [said('has 40 words, at most 30 allowed', 'wrong_answer', 'ifeval')] }),
      makeCase({ id: 'a2', output: 'x', failures: [said('has 52 words, at most 30 allowed', 'wrong_answer', 'ifeval')] }),
      makeCase({ id: 'b1', output: 'x', failures: [said('contains 2 commas; commas are not allowed', 'wrong_answer', 'ifeval')] }),
      makeCase({ id: 'c1', output: 'x', failures: [said('has no title in double angular brackets', 'format_violation', 'ifeval')] }),
      makeCase({ id: 'ok', output: 'x' }),
    ];
    const groups = analyzeFailures(results).groups;
    expect(groups.map((g) => [g.title, g.count, g.category])).toEqual([
      ['javascript [ifeval] "has # words, at most # allowed"', 2, 'wrong_answer'],
      ['javascript [ifeval] "contains # commas; commas are not allowed"', 1, 'wrong_answer'],
      ['javascript [ifeval] "has no title in double angular brackets"', 1, 'format_violation'],
    ]);
    expect(groups[0]!.facts.reasons).toEqual([
      { text: 'has 40 words, at most 30 allowed', count: 1 },
      { text: 'has 52 words, at most 30 allowed', count: 1 },
    ]);
    for (const g of groups) expect(g.suggestedFix).not.toMatch(/expected length|too short|decision rules|Allowed labels/);
  });

  it('a regex on a reasoning answer: the pattern, not a label; no length advice against a short expected value', () => {
    const pattern = '####\\s*-?[\\d,]+';
    const failure: CaseFailure = {
      type: 'regex',
      category: 'format_violation',
      reason: `output does not match /${pattern}/`,
      expected: `/${pattern}/`,
      details: { kind: 'text', check: 'regex', needles: [pattern], missing: [pattern], ignoreCase: false },
    };
    const results = ['20', '8', '115'].map((expected, i) =>
      makeCase({ id: `m${i}`, expected, output: `First add, then divide: the total comes to ${expected} apples in all.`, failures: [failure] }),
    );
    const analysis = analyzeFailures(results);
    expect(analysis.labels).toEqual([]);
    const [group] = analysis.groups;
    expect(group).toMatchObject({ title: 'regex', family: 'text', labelLike: false, confusions: [] });
    expect(group!.description).toContain(`Outputs do not match the required pattern: /${pattern}/ (3).`);
    expect(group!.suggestedFix).toMatch(/^Require replies to match \/####/);
    expect(`${group!.description} ${group!.suggestedFix}`).not.toMatch(/word|length|decision rules/i);
  });

  it('json checks: schema errors by path and keyword, fields missing or not allowed', () => {
    const failure: CaseFailure = {
      type: 'json-schema',
      category: 'schema_violation',
      reason: 'output JSON does not match the schema',
      expected: 'JSON matching the schema',
      details: {
        kind: 'json',
        problem: 'schema',
        errors: [
          { path: '/slots', keyword: 'additionalProperties', field: 'first_name', message: 'must NOT have additional properties' },
          { path: '/items/3/age', keyword: 'type', message: 'must be integer' },
        ],
      },
    };
    const group = analyzeFailures([1, 2].map((i) => makeCase({ id: `j${i}`, output: '{}', failures: [failure] }))).groups[0]!;
    expect(group.facts.schemaErrors).toEqual([
      { path: '/items/*/age', keyword: 'type', count: 2 },
      { path: '/slots', keyword: 'additionalProperties', field: 'first_name', count: 2 },
    ]);
    expect(group.description).toContain('Fields the schema does not allow: first_name (2).');
    expect(group.description).toContain('Fields with a wrong value or type: age (2).');
    expect(group.description).not.toMatch(/json, matching, schema|→/);
    expect(group.suggestedFix).toContain('Name the only allowed fields; outputs add first_name');
  });
});

describe('descriptive feedback on custom and text checks', () => {
  it('shows shared reason shapes and needles, never a reason or needle only one case has', () => {
    const contains = (needle: string): CaseFailure => ({
      type: 'icontains',
      category: 'missing_content',
      reason: `output does not contain "${needle}"`,
      details: { kind: 'text', check: 'contains', needles: [needle], missing: [needle], ignoreCase: true },
    });
    const results = [
      makeCase({ id: 'r1', vars: { q: 'Who nursed soldiers in Scutari?' }, output: 'A nurse.', failures: [said('names Llewellyn Parkinson instead of Florence'), contains('Florence Nightingale')] }),
      makeCase({ id: 'r2', vars: { q: 'Who wrote Middlemarch?' }, output: 'A novelist.', failures: [said('has 3 bullet points, needs 5'), contains('Mary Ann Evans')] }),
      makeCase({ id: 'r3', vars: { q: 'Who wrote Silas Marner?' }, output: 'Someone.', failures: [said('has 1 bullet points, needs 4'), contains('Mary Ann Evans')] }),
    ];
    const analysis = analyzeFailures(results);
    const text = formatDescriptiveFeedback(analysis);
    expect(text).toContain('javascript "has # bullet points, needs #" — 2 cases, wrong_answer');
    expect(text).toContain('Required text missing from outputs: "Mary Ann Evans" (2), and 1 other text.');
    expect(text).not.toMatch(/Llewellyn|Florence|Scutari/);
    expect(findVerbatimLeaks(text, results, { allow: ['Mary Ann Evans'] })).toEqual([]);
  });
});

describe('labels', () => {
  it('option labels are read as the final choice, never as the article "a"', () => {
    const reader = new LabelReader(['(A)', '(B)', '(C)']);
    expect(reader.extract('This is a tricky one. (A) fails the second statement, (C) the first.\nSo the answer is (B).')).toBe('(B)');
    expect(reader.extract('A)')).toBe('(A)');
    expect(reader.extract('It is a hard one, I cannot tell.')).toBe('(other)');
  });

  it('other labels: the answer marker wins over the first label mentioned', () => {
    const reader = new LabelReader(['refund', 'billing_issue', 'complaint']);
    expect(reader.extract('Not a complaint really; the answer is billing_issue.')).toBe('billing_issue');
    expect(reader.extract('I think this is a refund, not billing_issue')).toBe('refund');
  });

  it('numbers are answers, not labels; a long single token is a label', () => {
    expect(isLabelLike('20')).toBe(false);
    expect(isLabelLike('1,250.5')).toBe(false);
    expect(isLabelLike('balance_not_updated_after_cheque_or_cash_deposit')).toBe(true);
    expect(isLabelLike('this is a whole sentence of many words')).toBe(false);
  });
});

describe('withVarsOnly', () => {
  it('keeps only the named variables (nested names as a.b)', () => {
    const [r] = withVarsOnly([makeCase({ id: 'v', vars: { q: 'x', solution: 's', meta: { tag: 't', gold: 'g' } }, output: 'o' })], ['q', 'meta.tag']);
    expect(r!.vars).toEqual({ q: 'x', 'meta.tag': 't' });
  });
});
