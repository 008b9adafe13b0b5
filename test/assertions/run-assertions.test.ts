import { describe, expect, it } from 'vitest';
import { runAssertions } from '../../src/assertions/run-assertions.js';
import { caseFailuresFrom, gradeSample, sampleMetrics } from '../../src/assertions/summarize.js';
import type { AssertionResult } from '../../src/assertions/types.js';
import { check, ctx } from './helpers.js';

describe('templated values', () => {
  it('renders {{expected}} and vars in strings and in nested lists', async () => {
    const vars = { name: 'Ada', city: 'Paris' };
    expect((await check({ type: 'equals', value: '{{expected}}' }, 'positive', { expected: 'positive' })).pass).toBe(true);
    expect((await check({ type: 'contains', value: 'Hello {{name}}' }, 'Hello Ada!', { vars })).pass).toBe(true);
    const all = await check({ type: 'contains-all', value: ['{{name}}', '{{city}}'] }, 'Ada in Paris', { vars });
    expect(all.pass).toBe(true);
    const missing = await check({ type: 'contains', value: 'Hi {{name}}' }, 'Hello Ada', { vars });
    expect(missing.reason).toContain('"Hi Ada"');
  });

  it('renders a structured expected as JSON inside a larger string', async () => {
    const r = await check({ type: 'contains', value: 'got {{expected}}' }, 'got {"a":1}', { expected: { a: 1 } });
    expect(r.pass).toBe(true);
  });

  it('substitutes a structured expected raw when the value is exactly {{expected}}', async () => {
    const expected = { sentiment: 'positive', confidence: 'high' };
    const equalsOk = await check({ type: 'equals', value: '{{expected}}' }, '{"confidence":"high","sentiment":"positive"}', { expected });
    expect(equalsOk.pass).toBe(true);
    const containsOk = await check({ type: 'contains-json', value: '{{ expected }}' }, 'Here:\n{"sentiment":"positive","confidence":"high"}', {
      expected,
    });
    expect(containsOk.pass).toBe(true);
    const wrong = await check({ type: 'contains-json', value: '{{expected}}' }, '{"sentiment":"negative","confidence":"high"}', { expected });
    expect(wrong).toMatchObject({ pass: false, category: 'wrong_answer' });
    expect(wrong.reason).toContain('$.sentiment: expected "positive", got "negative"');
  });

  it('renders strings inside a schema object', async () => {
    const value = { type: 'object', properties: { label: { const: '{{expected}}' } }, required: ['label'] };
    expect((await check({ type: 'json-schema', value }, '{"label":"spam"}', { expected: 'spam' })).pass).toBe(true);
    expect((await check({ type: 'json-schema', value }, '{"label":"ham"}', { expected: 'spam' })).category).toBe('schema_violation');
  });
});

describe('not- negation', () => {
  it('not-contains: forbidden_content with a clear reason', async () => {
    const r = await check({ type: 'not-contains', value: 'refund' }, 'We will refund you.');
    expect(r).toMatchObject({ type: 'not-contains', pass: false, score: 0, category: 'forbidden_content' });
    expect(r.reason).toBe('output contains "refund" but must not');
    expect(await check({ type: 'not-contains', value: 'refund' }, 'No money back.')).toMatchObject({ pass: true, score: 1 });
  });

  it('not-icontains-any names the forbidden word it found', async () => {
    const r = await check({ type: 'not-icontains-any', value: 'sorry, apolog' }, 'We APOLOGIZE.');
    expect(r).toMatchObject({ pass: false, category: 'forbidden_content' });
    expect(r.reason).toBe('output contains "apolog" but must not');
  });

  it('not-regex is forbidden_content; not-is-json and not-equals are format_violation', async () => {
    expect((await check({ type: 'not-regex', value: 'as an AI' }, 'Well, as an AI model...')).category).toBe('forbidden_content');
    const json = await check({ type: 'not-is-json' }, '{"a":1}');
    expect(json).toMatchObject({ pass: false, category: 'format_violation', reason: 'output is valid JSON but must not' });
    expect((await check({ type: 'not-is-json' }, 'plain text')).pass).toBe(true);
    expect((await check({ type: 'not-equals', value: 'N/A' }, 'N/A')).category).toBe('format_violation');
  });

  it('flips graded scores', async () => {
    expect(await check({ type: 'not-javascript', value: '0.3' }, 'x')).toMatchObject({ pass: true, score: 0.7 });
  });

  it('an assertion_error stays an error under negation', async () => {
    const r = await check({ type: 'not-regex', value: '(' }, 'x');
    expect(r).toMatchObject({ pass: false, score: 0, category: 'assertion_error' });
  });
});

describe('errors never escape', () => {
  it('an unknown type is an assertion_error result', async () => {
    const r = await check({ type: 'similar', value: 'x' }, 'x');
    expect(r).toMatchObject({ pass: false, category: 'assertion_error', reason: 'unknown assertion type "similar"' });
  });

  it('results keep assertion order and metric labels', async () => {
    const results = await runAssertions(
      [
        { type: 'javascript', value: 'null.x' },
        { type: 'contains', value: 'a', metric: 'has-a' },
      ],
      ctx('a'),
    );
    expect(results.map((r) => [r.type, r.pass, r.metric])).toEqual([
      ['javascript', false, undefined],
      ['contains', true, 'has-a'],
    ]);
  });
});

describe('cost and latency', () => {
  it('cost: pass, cost_exceeded with both amounts, unknown cost is an assertion_error', async () => {
    expect((await check({ type: 'cost', threshold: 0.01 }, 'x', { costUsd: 0.002 })).pass).toBe(true);
    const r = await check({ type: 'cost', threshold: 0.001 }, 'x', { costUsd: 0.0025 });
    expect(r).toMatchObject({ pass: false, category: 'cost_exceeded', expected: '<= $0.0010', actual: '$0.0025' });
    expect(r.reason).toBe('cost $0.0025 exceeds the maximum $0.0010');
    const unknown = await check({ type: 'cost', value: 0.01 }, 'x', { costUsd: null });
    expect(unknown.category).toBe('assertion_error');
    expect(unknown.reason).toContain('cost unknown for this model');
  });

  it('latency: pass (a cache hit is 0 ms) and latency_exceeded', async () => {
    expect((await check({ type: 'latency', threshold: 100 }, 'x', { latencyMs: 0 })).pass).toBe(true);
    const r = await check({ type: 'latency', value: '500' }, 'x', { latencyMs: 812 });
    expect(r).toMatchObject({ pass: false, category: 'latency_exceeded' });
    expect(r.reason).toBe('latency 812 ms exceeds the maximum 500 ms');
    expect((await check({ type: 'latency' }, 'x')).category).toBe('assertion_error');
  });
});

describe('summarize', () => {
  const results: AssertionResult[] = [
    { type: 'contains', pass: true, score: 1, reason: 'ok' },
    { type: 'equals', pass: false, score: 0, reason: 'expected "a", got "b"', category: 'wrong_answer', expected: 'a', actual: 'b' },
    {
      type: 'javascript',
      metric: 'tone',
      pass: false,
      score: 0.5,
      reason: 'meh',
      category: 'format_violation',
      details: { kind: 'function', said: 'meh', score: 0.5 },
    },
  ];

  it('caseFailuresFrom keeps the failed ones as CaseFailure, with score, metric and details', () => {
    expect(caseFailuresFrom(results)).toEqual([
      { type: 'equals', category: 'wrong_answer', reason: 'expected "a", got "b"', score: 0, expected: 'a', actual: 'b' },
      {
        type: 'javascript',
        metric: 'tone',
        category: 'format_violation',
        reason: 'meh',
        score: 0.5,
        details: { kind: 'function', said: 'meh', score: 0.5 },
      },
    ]);
  });

  it('gradeSample: the mean score, a pass only when every assertion passes; nothing counted is unchecked', () => {
    expect(gradeSample(results)).toEqual({ pass: false, score: 0.5, unchecked: false });
    expect(gradeSample([results[0]!])).toEqual({ pass: true, score: 1, unchecked: false });
    expect(gradeSample([])).toEqual({ pass: true, score: 1, unchecked: true });
  });

  it('gradeSample: weights make a weighted mean; weight 0 is reported only', () => {
    const weighted: AssertionResult[] = [
      { ...results[0]!, weight: 3 }, // 1 × 3
      { ...results[1]!, weight: 1 }, // 0 × 1
    ];
    expect(gradeSample(weighted).score).toBeCloseTo(0.75);
    // A failing weight-0 assertion moves neither the score nor the verdict.
    const reportedOnly: AssertionResult[] = [results[0]!, { ...results[1]!, weight: 0 }];
    expect(gradeSample(reportedOnly)).toEqual({ pass: true, score: 1, unchecked: false });
    // Only weight-0 assertions: nothing was checked.
    expect(gradeSample([{ ...results[0]!, weight: 0 }]).unchecked).toBe(true);
    // Its failure is not a case failure either.
    expect(caseFailuresFrom(reportedOnly)).toEqual([]);
  });

  it('gradeSample: a case threshold decides instead of the single verdicts (promptfoo semantics)', () => {
    // Mean 0.5: below 0.6 fails, at 0.5 passes although two assertions failed.
    expect(gradeSample(results, 0.6).pass).toBe(false);
    expect(gradeSample(results, 0.5).pass).toBe(true);
    // Every assertion passed with partial scores, the mean is under the threshold: a failure that says so.
    const partial: AssertionResult[] = [{ type: 'javascript', pass: true, score: 0.4, reason: 'f1 0.4' }];
    const grade = { ...gradeSample(partial, 0.8), threshold: 0.8 };
    expect(grade.pass).toBe(false);
    expect(caseFailuresFrom(partial, grade)).toEqual([
      { type: 'threshold', category: 'wrong_answer', reason: 'score 0.4 is below the case threshold 0.8 (the weighted mean of its assertion scores)', score: 0.4 },
    ]);
  });

  it('sampleMetrics: the mean score of each named metric, passed when all its assertions passed', () => {
    const named: AssertionResult[] = [
      { type: 'javascript', metric: 'f1', pass: true, score: 0.9, reason: '' },
      { type: 'javascript', metric: 'f1', pass: false, score: 0.5, reason: '' },
      { type: 'regex', metric: 'format', pass: true, score: 1, reason: '' },
      { type: 'equals', pass: false, score: 0, reason: '' },
    ];
    expect(sampleMetrics(named)).toEqual([
      { name: 'f1', score: 0.7, pass: false },
      { name: 'format', score: 1, pass: true },
    ]);
  });
});
