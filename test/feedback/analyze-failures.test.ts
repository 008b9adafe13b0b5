import { describe, expect, it } from 'vitest';
import { FAILURE_CATEGORIES } from '../../src/assertions/types.js';
import { analyzeFailures, CATEGORY_SEVERITY } from '../../src/feedback/analyze-failures.js';
import { LabelReader } from '../../src/feedback/labels.js';
import { makeCase, ticketRun } from './make-case.js';

describe('analyzeFailures', () => {
  it('counts totals and keeps provider errors out of the groups', () => {
    const analysis = analyzeFailures(ticketRun());
    expect(analysis).toMatchObject({ total: 11, passed: 2, failed: 9 });
    expect(analysis.passRate).toBeCloseTo(2 / 11);
    expect(analysis.providerErrors).toEqual({ count: 1, caseIds: ['e1'], codes: { rate_limited: 1 } });
    expect(analysis.groups.map((g) => [g.category, g.count])).toEqual([
      ['wrong_answer', 4],
      ['format_violation', 4],
    ]);
    expect(analysis.groups.flatMap((g) => g.caseIds)).not.toContain('e1');
    expect(analysis.labels).toEqual(['billing_issue', 'complaint', 'refund_request']);
  });

  it('counts a case in each category it failed, and orders ties by severity', () => {
    const results = [
      makeCase({ id: 'a', expected: 'x', output: 'y', fail: ['format_violation', 'missing_content'] }),
      makeCase({ id: 'b', expected: 'x', output: 'z', fail: 'format_violation' }),
      makeCase({ id: 'c', expected: 'x', output: '{', fail: 'invalid_json' }),
    ];
    const analysis = analyzeFailures(results);
    expect(analysis.groups.map((g) => [g.category, g.count])).toEqual([
      ['format_violation', 2],
      ['invalid_json', 1],
      ['missing_content', 1],
    ]);
    expect(analysis.failed).toBe(3);
  });

  it('finds confusion pairs on a label set', () => {
    const wrong = analyzeFailures(ticketRun()).groups.find((g) => g.category === 'wrong_answer')!;
    expect(wrong.labelLike).toBe(true);
    expect(wrong.correctLabel).toBe(0);
    expect(wrong.confusions).toEqual([
      { expected: 'refund_request', actual: 'billing_issue', count: 3 },
      { expected: 'complaint', actual: 'billing_issue', count: 1 },
    ]);
    expect(wrong.description).toContain('refund_request → billing_issue (3)');
    expect(wrong.suggestedFix).toContain('Add decision rules distinguishing refund_request from billing_issue (3 cases)');
    expect(['w1', 'w2', 'w3']).toContain(wrong.example.caseId);
  });

  it('detects an added "The answer is:" prefix and suggests answering with the label only', () => {
    const format = analyzeFailures(ticketRun()).groups.find((g) => g.category === 'format_violation')!;
    expect(format.wrapping.wrapped).toBe(4);
    expect(format.wrapping.prefixes[0]).toEqual({ text: 'The answer is:', words: 3, count: 4 });
    expect(format.wrapping.suffixes[0]).toEqual({ text: '.', words: 1, count: 4 });
    expect(format.wrapping.caseMismatch).toBe(1);
    expect(format.correctLabel).toBe(4);
    expect(format.confusions).toEqual([]);
    expect(format.description).toContain('4 of 4 outputs contain the expected label with extra words around it');
    expect(format.description).toContain('"The answer is:" (4)');
    expect(format.suggestedFix).toMatch(
      /^State that the reply must be only the label, with no extra words such as "The answer is:" and no trailing punctuation; lowercase\./,
    );
    expect(format.suggestedFix).toContain('Allowed labels: billing_issue, complaint, refund_request');
    expect(format.example.actual).toMatch(/^The answer is:/);
  });

  it('measures lengths in chars and words', () => {
    const format = analyzeFailures(ticketRun()).groups.find((g) => g.category === 'format_violation')!;
    // outputs: "The answer is: Billing_issue." (29), "...billing_issue." (29), "...refund_request." (30), "...complaint." (25)
    expect(format.lengths.meanOutputWords).toBe(4);
    expect(format.lengths.meanOutputChars).toBeCloseTo((29 + 29 + 30 + 25) / 4);
    expect(format.lengths.medianOutputChars).toBe(29);
    expect(format.lengths.meanExpectedWords).toBe(1);
    expect(format.lengths.meanExpectedChars).toBeCloseTo((13 + 13 + 14 + 9) / 4);
    expect(format.lengths.meanExtraWords).toBe(3);
    expect(format.description).toContain('+3 words on average');
  });

  it('reports common tokens and the tokens missing from outputs compared to an exact text', () => {
    const results = [
      makeCase({ id: 'm1', expected: 'Paris is the capital of France', output: 'The capital is Lyon', fail: 'too_different' }),
      makeCase({ id: 'm2', expected: 'Paris, France', output: 'It is in Europe', fail: 'too_different' }),
      makeCase({ id: 'm3', expected: 'The capital of France is Paris', output: 'France has a capital', fail: 'too_different' }),
    ];
    const group = analyzeFailures(results).groups[0]!;
    expect(group.labelLike).toBe(false);
    expect(group.expectedTokens.slice(0, 2)).toEqual([
      { token: 'france', count: 3 },
      { token: 'paris', count: 3 },
    ]);
    expect(group.actualTokens[0]).toEqual({ token: 'capital', count: 2 });
    expect(group.missingTokens[0]).toEqual({ token: 'paris', count: 3 });
    expect(group.family).toBe('exact');
    expect(group.suggestedFix).toMatch(/Follow the expected wording more closely; often missing: paris, france/);
  });

  it('suggests a single JSON object for invalid_json and counts fences and prose', () => {
    const results = [
      makeCase({ id: 'j1', output: '```json\n{"a": 1}\n```', fail: 'invalid_json' }),
      makeCase({ id: 'j2', output: 'Here is the JSON: {"a": 1}', fail: 'invalid_json' }),
      makeCase({ id: 'j3', output: '{"a": 1', fail: 'invalid_json' }),
    ];
    const group = analyzeFailures(results).groups[0]!;
    expect(group.shape).toEqual({ empty: 0, codeFenced: 1, textAroundJson: 2 });
    expect(group.suggestedFix).toBe('Require a single JSON object with no prose or code fences.');
    expect(group.description).toContain('1 use code fences, 2 have text around the JSON');
  });

  it('treats a failing case without recorded failures as a wrong answer', () => {
    const result = makeCase({ id: 'x', expected: 'a', output: 'b', failures: [] });
    expect(analyzeFailures([result]).groups.map((g) => [g.category, g.count])).toEqual([['wrong_answer', 1]]);
  });

  it('handles an empty run', () => {
    expect(analyzeFailures([])).toMatchObject({ total: 0, passed: 0, passRate: 0, score: 0, groups: [] });
  });
});

describe('CATEGORY_SEVERITY', () => {
  it('ranks every category, distinctly, from provider_error up to invalid_json', () => {
    const ranks = FAILURE_CATEGORIES.map((c) => CATEGORY_SEVERITY[c]);
    expect(new Set(ranks).size).toBe(FAILURE_CATEGORIES.length);
    const order = [...FAILURE_CATEGORIES].sort((a, b) => CATEGORY_SEVERITY[a] - CATEGORY_SEVERITY[b]);
    expect(order[0]).toBe('provider_error');
    expect(order.at(-1)).toBe('invalid_json');
    expect(CATEGORY_SEVERITY.format_violation).toBeLessThan(CATEGORY_SEVERITY.wrong_answer);
    expect(CATEGORY_SEVERITY.wrong_answer).toBeLessThan(CATEGORY_SEVERITY.schema_violation);
  });
});

describe('LabelReader', () => {
  const reader = new LabelReader(['refund', 'refund_request', 'billing_issue']);
  it('reads the label from exact, wrapped, short and long outputs', () => {
    expect(reader.extract('"Refund_Request".')).toBe('refund_request');
    expect(reader.extract('I think this is a refund_request, not billing_issue')).toBe('refund_request');
    expect(reader.extract('It is a refund.')).toBe('refund');
    expect(reader.extract('Complaint')).toBe('complaint');
    expect(reader.extract('This ticket is about something else entirely, I cannot tell')).toBe('(other)');
  });
});
