import { describe, expect, it } from 'vitest';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import {
  formatDescriptiveFeedback,
  formatRegressionConstraints,
  formatTrainFeedback,
  scoreLine,
} from '../../src/feedback/format-feedback.js';
import { findVerbatimLeaks } from '../../src/feedback/verbatim.js';
import type { CaseResult } from '../../src/runner/types.js';
import { stringifyValue } from '../../src/template/template.js';
import { makeCase, ticketRun } from './make-case.js';

const LABELS = ['refund_request', 'billing_issue', 'complaint'];

/** 60 cases: 41 pass, 12 format violations, 7 wrong answers. */
function run60(): CaseResult[] {
  const results: CaseResult[] = [];
  for (let i = 0; i < 60; i++) {
    const expected = LABELS[i % 3]!;
    const vars = { ticket: `Customer message number ${i}: something happened with order ${1000 + i}` };
    const id = `t${i}`;
    if (i < 41) results.push(makeCase({ id, vars, expected, output: expected }));
    else if (i < 53) results.push(makeCase({ id, vars, expected, output: `The answer is: ${expected}.`, fail: 'format_violation' }));
    else results.push(makeCase({ id, vars, expected, output: expected === 'complaint' ? 'billing_issue' : 'complaint', fail: 'wrong_answer' }));
  }
  return results;
}

/** Every substring of `length` chars of each case input and output (lowercased). */
function caseSubstrings(results: readonly CaseResult[], length: number): Set<string> {
  const out = new Set<string>();
  for (const r of results) {
    for (const text of [...Object.values(r.vars).map(stringifyValue), r.output]) {
      const lower = text.toLowerCase();
      for (let i = 0; i + length <= lower.length; i++) out.add(lower.slice(i, i + length));
    }
  }
  return out;
}

describe('formatTrainFeedback', () => {
  it('renders the header, the groups, the sampled cases and what was left out', () => {
    const results = run60();
    const text = formatTrainFeedback(analyzeFailures(results), results, { budgetChars: 3000, seed: 1 });
    expect(text.split('\n')[0]).toBe('Training results: 41/60 passed (pass rate 68.3%, the objective; mean score 68.3%)');
    expect(text).toContain('Failures by check:\n1. equals — 12 cases, format_violation\n   Pattern: 12 cases (20.0% of 60).');
    expect(text).toContain('2. equals — 7 cases, wrong_answer');
    expect(text).toContain('Fix: State that the reply must be only the label, with no extra words such as "The answer is:"');
    expect(text).toMatch(/Failing cases \(\d+ of 19 shown, chosen across checks\):\n- case t\d+ \[/);
    expect(text).toMatch(/\n\(\d+ more failing cases not shown: format_violation \d+, wrong_answer \d+\)$/);
    expect(text).toContain('  diff: {+The answer is: +}');
    expect(text.length).toBeLessThanOrEqual(3000);
  });

  it('mentions provider errors as excluded', () => {
    const results = ticketRun();
    const text = formatTrainFeedback(analyzeFailures(results), results, { budgetChars: 10_000, seed: 1 });
    expect(text).toContain("(1 case failed with provider errors and is excluded below: not the prompt's fault.)");
    expect(text).not.toContain('case e1');
    expect(text).toContain('Failing cases (8 of 8 shown):');
    expect(text).not.toContain('more failing cases not shown');
  });

  it('never exceeds the budget and is deterministic', () => {
    const results = run60();
    const analysis = analyzeFailures(results);
    for (const budget of [0, 10, 50, 200, 500, 1000, 2000, 5000, 50_000]) {
      const text = formatTrainFeedback(analysis, results, { budgetChars: budget, seed: 4 });
      expect(text.length).toBeLessThanOrEqual(budget);
      expect(formatTrainFeedback(analysis, results, { budgetChars: budget, seed: 4 })).toBe(text);
    }
  });

  it('does copy case text (the descriptive variant must not)', () => {
    const results = ticketRun();
    const text = formatTrainFeedback(analyzeFailures(results), results, { budgetChars: 10_000, seed: 1 });
    expect(findVerbatimLeaks(text, results).length).toBeGreaterThan(0);
  });
});

describe('formatDescriptiveFeedback', () => {
  /** Ticket run plus outputs with rare long words and a rare free-form answer. */
  function descriptiveRun(): CaseResult[] {
    return [
      ...ticketRun(),
      makeCase({ id: 'x1', vars: { ticket: 'Parcel arrived squashed and soaked' }, expected: 'complaint', output: 'Unfortunately, billing_issue', fail: 'wrong_answer' }),
      makeCase({ id: 'x2', vars: { ticket: 'Where is my reimbursement?' }, expected: 'refund_request', output: 'I cannot determine this', fail: 'wrong_answer' }),
      ...run60(),
    ];
  }

  it('shows patterns: counts, confusions, token statistics and fixes', () => {
    const text = formatDescriptiveFeedback(analyzeFailures(descriptiveRun()));
    expect(text.split('\n')[0]).toBe('Validation results: 43/73 passed (pass rate 58.9%, the objective; mean score 58.9%).');
    expect(text).toContain('Failure patterns by check:');
    expect(text).toContain('refund_request → billing_issue (3)');
    expect(text).toContain('refund_request → (other) (1)');
    expect(text).toContain('Tokens: expected values often contain');
    expect(text).toContain('Fix: Add decision rules distinguishing');
    expect(text).toContain('Fix: State that the reply must be only the label, with no extra words before or after it');
    expect(text).toMatch(/a 3-word lead-in before it \(\d+\) and trailing punctuation/);
  });

  it('contains no input or output text: no case substring of 12+ chars apart from labels', () => {
    const results = descriptiveRun();
    const analysis = analyzeFailures(results);
    const text = formatDescriptiveFeedback(analysis).toLowerCase();
    // Labels are allowed: blank them out of the feedback before looking for copied text.
    let masked = text;
    for (const label of analysis.labels) masked = masked.split(label.toLowerCase()).join('\u0000');
    const copied = [...caseSubstrings(results, 12)].filter((s) => masked.includes(s));
    expect(copied).toEqual([]);
    expect(findVerbatimLeaks(text, results, { allow: analysis.labels })).toEqual([]);
    for (const r of results) expect(text).not.toContain(`case ${r.caseId}`);
    expect(text).not.toContain('the answer is');
    expect(text).not.toContain('unfortunately');
    expect(text).not.toContain('cannot determine');
  });

  it('never exceeds the budget', () => {
    const analysis = analyzeFailures(descriptiveRun());
    for (const budget of [0, 20, 120, 400, 900, 3000]) {
      expect(formatDescriptiveFeedback(analysis, { budgetChars: budget }).length).toBeLessThanOrEqual(budget);
    }
    const small = formatDescriptiveFeedback(analysis, { budgetChars: 900 });
    expect(small).toMatch(/\n1\. equals — 16 cases, format_violation\. Fix: State that the reply/);
  });
});

describe('formatRegressionConstraints', () => {
  const broken = ticketRun().filter((r) => !r.pass && r.providerError === undefined);

  it('lists the broken training cases with input, expected and the new answer', () => {
    const text = formatRegressionConstraints(broken.slice(0, 2), 5000);
    expect(text).toBe(
      [
        'Training constraints to preserve: 2 training cases passed before and fail with the last candidate. ' +
          'The next prompt must get them right again.',
        '- case w1',
        '  input: ticket="I want my money back for the broken blender I received last week"',
        '  expected: "refund_request"',
        '  now answered: "billing_issue"',
        '  failed equals: wrong_answer: expected "refund_request"',
        '- case w2',
        '  input: ticket="Please return the payment for the order that never arrived here"',
        '  expected: "refund_request"',
        '  now answered: "billing_issue"',
        '  failed equals: wrong_answer: expected "refund_request"',
      ].join('\n'),
    );
  });

  it('fits the budget, shows distinct expected values first and counts the rest', () => {
    const text = formatRegressionConstraints(broken, 900);
    expect(text.length).toBeLessThanOrEqual(900);
    const shown = [...text.matchAll(/- case (\w+)/g)].map((m) => m[1]);
    expect(shown.slice(0, 3)).toEqual(['w1', 'w4', 'f1']);
    expect(text).toMatch(new RegExp(`\\(${broken.length - shown.length} more broken training cases not shown\\)$`));
    for (const budget of [0, 30, 100, 300]) {
      expect(formatRegressionConstraints(broken, budget).length).toBeLessThanOrEqual(budget);
    }
    expect(formatRegressionConstraints([], 1000)).toBe('');
  });
});

describe('scoreLine', () => {
  it('names the objective, first, and shows both figures (partial credit makes them differ)', () => {
    const analysis = { passed: 3, total: 10, passRate: 0.3, score: 0.62 };
    expect(scoreLine('Training results', analysis)).toBe('Training results: 3/10 passed (pass rate 30.0%, the objective; mean score 62.0%)');
    expect(scoreLine('Training results', analysis, 'mean_score')).toBe(
      'Training results: mean score 62.0% (the objective: partial credit counts); 3/10 passed (pass rate 30.0%)',
    );
  });
});
