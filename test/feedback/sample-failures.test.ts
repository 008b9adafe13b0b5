import { describe, expect, it } from 'vitest';
import type { FailureCategory } from '../../src/assertions/types.js';
import { sampleFailures } from '../../src/feedback/sample-failures.js';
import { makeCase } from './make-case.js';

const LABELS = ['refund_request', 'billing_issue', 'complaint', 'shipping_delay', 'account_access'];

/** `n` failing cases: format violations, wrong answers and a few invalid JSON, plus one provider error. */
function manyFailures(n: number) {
  const results = [];
  for (let i = 0; i < n; i++) {
    const expected = LABELS[i % LABELS.length]!;
    const category: FailureCategory = i % 10 === 9 ? 'invalid_json' : i % 3 === 0 ? 'wrong_answer' : 'format_violation';
    const output = category === 'format_violation' ? `The answer is: ${expected}.` : category === 'wrong_answer' ? 'complaint' : '{"label":';
    results.push(makeCase({ id: `c${String(i).padStart(4, '0')}`, vars: { ticket: `ticket number ${i} about ${expected}` }, expected, output, fail: category }));
  }
  results.push(makeCase({ id: 'err', expected: 'complaint', output: '', providerError: { code: 'timeout', message: 'timed out' } }));
  results.push(makeCase({ id: 'ok', expected: 'complaint', output: 'complaint' }));
  return results;
}

describe('sampleFailures', () => {
  it('picks across categories within the budget and reports what it left out', () => {
    const results = manyFailures(60);
    const budget = 2500;
    const sample = sampleFailures(results, budget, 7);
    const text = sample.picked.map((p) => p.text).join('\n');
    expect(text.length).toBeLessThanOrEqual(budget);
    expect(sample.picked.length).toBeGreaterThanOrEqual(6);
    const categories = new Set(sample.picked.map((p) => p.category));
    expect(categories).toEqual(new Set(['format_violation', 'wrong_answer', 'invalid_json']));
    expect(sample.picked.map((p) => p.result.caseId)).not.toContain('err');
    expect(sample.picked.map((p) => p.result.caseId)).not.toContain('ok');
    const leftOut = Object.values(sample.leftOut).reduce((a, b) => a + b, 0);
    expect(sample.leftOutTotal).toBe(leftOut);
    expect(sample.picked.length + sample.leftOutTotal).toBe(60);
    expect(sample.leftOut.format_violation).toBe(36 - sample.picked.filter((p) => p.category === 'format_violation').length);
  });

  it('shows distinct expected labels before repeats within a category', () => {
    const sample = sampleFailures(manyFailures(60), 100_000, 3);
    const format = sample.picked.filter((p) => p.category === 'format_violation').map((p) => p.result.expected);
    expect(new Set(format.slice(0, LABELS.length)).size).toBe(LABELS.length);
    expect(sample.leftOutTotal).toBe(0);
    expect(sample.leftOut).toEqual({});
  });

  it('is deterministic for a seed and varies with it', () => {
    const results = manyFailures(200);
    const ids = (seed: number) => sampleFailures(results, 3000, seed).picked.map((p) => p.result.caseId);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).not.toEqual(ids(2));
    expect(ids(1)).toEqual(sampleFailures([...results].reverse(), 3000, 1).picked.map((p) => p.result.caseId));
  });

  it('picks nothing when nothing fits', () => {
    const sample = sampleFailures(manyFailures(10), 20, 1);
    expect(sample.picked).toEqual([]);
    expect(sample.leftOutTotal).toBe(10);
  });

  // Its speed (about 10-40 ms for 2,000 cases on a 2-core machine) is not asserted here: timing
  // targets belong in `npm run bench`, where a loaded machine cannot make a test flaky.
  it('handles 2000 failing cases', () => {
    const sample = sampleFailures(manyFailures(2000), 12_000, 1);
    expect(sample.picked.length).toBeGreaterThan(10);
    expect(sample.picked.length + sample.leftOutTotal).toBe(2000);
  });
});
