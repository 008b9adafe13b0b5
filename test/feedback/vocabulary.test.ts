/**
 * The feedback vocabulary round trip: what the formatters write, the readers give back as the same
 * facts (the simulator reads optimizer requests only through these readers).
 */
import { describe, expect, it } from 'vitest';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { caseFacts, caseFailures } from '../../src/feedback/case-text.js';
import { formatDescriptiveFeedback, formatRegressionConstraints, formatTrainFeedback } from '../../src/feedback/format-feedback.js';
import { sampleFailures } from '../../src/feedback/sample-failures.js';
import {
  WITHHELD_NOTE,
  formatCaseBlock,
  formatCheckTitle,
  formatExample,
  formatFocus,
  formatGroupHeader,
  formatShape,
  parseCaseBlocks,
  parseCheckTitle,
  parseExamples,
  parseFocus,
  parseGroupHeaders,
  parseWrappedJson,
  readFeedback,
} from '../../src/feedback/vocabulary/index.js';
import type { CaseResult } from '../../src/runner/types.js';
import { makeCase, ticketRun } from './make-case.js';

/** Cases failing every kind of check, with awkward text: quotes, newlines, non-string vars. */
function mixedRun(): CaseResult[] {
  return [
    ...ticketRun(),
    makeCase({
      id: 'math-1',
      vars: { question: 'Tom has "3" apples;\nhe eats 1. How many?', n: 3, meta: { level: 'easy' } },
      expected: '2',
      output: 'He had 3, ate one.\nSo 2 are left.',
      failures: [
        {
          type: 'regex',
          category: 'format_violation',
          reason: 'output does not match /####/',
          expected: '/####/',
          details: { kind: 'text', check: 'regex', needles: ['####\\s*\\d+'], missing: ['####\\s*\\d+'], ignoreCase: false },
        },
        {
          type: 'javascript',
          metric: 'number',
          category: 'wrong_answer',
          reason: 'last number is 2 but expected "2"; got "…"',
          score: 0.5,
          details: { kind: 'function', said: 'last number is 2 but expected "2"', score: 0.5 },
        },
      ],
    }),
    makeCase({
      id: 'json-1',
      vars: { input: 'play Abba' },
      expected: { intent: 'PlayMusic', slots: { artist: 'Abba' } },
      output: '{"slots": {"first_name": "Sam"}}',
      failures: [
        {
          type: 'json-schema',
          category: 'schema_violation',
          reason: 'output JSON does not match the schema',
          details: {
            kind: 'json',
            problem: 'schema',
            errors: [
              { path: '', keyword: 'required', field: 'intent', message: "must have required property 'intent'" },
              { path: '/slots', keyword: 'additionalProperties', field: 'first_name', message: 'must NOT have additional properties' },
            ],
          },
        },
      ],
    }),
    makeCase({ id: 'no-vars', vars: {}, output: 'x', failures: [{ type: 'not-contains', category: 'forbidden_content', reason: 'output contains "x" but must not' }] }),
  ];
}

describe('vocabulary: case blocks', () => {
  it('parse(format(facts)) gives the facts back, for every kind of failing case', () => {
    for (const result of mixedRun().filter((r) => caseFailures(r).length > 0)) {
      const failures = caseFailures(result);
      const facts = caseFacts(result, failures, 'actual', [...new Set(failures.map((f) => f.category))]);
      expect(parseCaseBlocks(formatCaseBlock(facts)), result.caseId).toEqual([facts]);
      const broken = caseFacts(result, failures, 'broken');
      expect(parseCaseBlocks(formatCaseBlock(broken))).toEqual([broken]);
    }
  });

  it('parse(format(example)) gives the example back', () => {
    for (const group of analyzeFailures(mixedRun()).groups) {
      const e = group.example;
      const facts = { id: e.caseId, vars: e.vars, ...(e.expected !== undefined ? { expected: e.expected } : {}), actual: e.actual, why: e.reason };
      expect(parseExamples(`   ${formatExample(facts)}`)).toEqual([facts]);
    }
  });
});

describe('vocabulary: whole feedback texts', () => {
  it('training feedback reads back as its groups, cases, confusions and wrapped answers', () => {
    const results = mixedRun();
    const analysis = analyzeFailures(results);
    const text = formatTrainFeedback(analysis, results, { budgetChars: 50_000, seed: 3 });
    const facts = readFeedback(text);
    expect(facts.groups).toEqual(analysis.groups.map((g, i) => ({ index: i + 1, check: g.title, count: g.count, category: g.category })));
    expect(facts.groups.map((g) => g.check)).toEqual(expect.arrayContaining(['regex', 'javascript [number] "last number is # but expected …"', 'json-schema', 'not-contains']));
    const picked = sampleFailures(results, 50_000, 3).picked.map((p) => p.result.caseId);
    expect(facts.cases.map((c) => c.id)).toEqual(picked);
    for (const group of analysis.groups) for (const pair of group.confusions) expect(facts.confusions).toContainEqual(pair);
    expect(facts.wrappedAnswers).toBe(analysis.groups.reduce((n, g) => n + g.wrapping.wrapped + g.wrapping.caseOnly, 0));
    expect(facts.examples.map((e) => e.id)).toEqual(analysis.groups.map((g) => g.example.caseId));
    expect(facts).toMatchObject({ withheld: false, patternsOnly: false, constraints: [] });
  });

  it('constraints after the failures are read as constraints, descriptive feedback as patterns only', () => {
    const results = mixedRun();
    const broken = results.filter((r) => !r.pass && r.providerError === undefined).slice(0, 2);
    const text = `${formatTrainFeedback(analyzeFailures(results), results, { budgetChars: 50_000, seed: 1 })}\n\n${formatRegressionConstraints(broken, 5000)}`;
    expect(readFeedback(text).constraints.map((c) => c.id)).toEqual(broken.map((r) => r.caseId));
    const descriptive = readFeedback(formatDescriptiveFeedback(analyzeFailures(results)));
    expect(descriptive).toMatchObject({ patternsOnly: true, cases: [], examples: [] });
    expect(descriptive.groups.length).toBeGreaterThan(0);
    expect(readFeedback(`Training results: 1/2 passed. ${WITHHELD_NOTE}`).withheld).toBe(true);
  });
});

describe('vocabulary: single lines', () => {
  it('check titles, group headers, directions and shape counts round-trip', () => {
    const titles = [
      { type: 'equals' },
      { type: 'not-icontains', metric: 'tone check' },
      { type: 'javascript', metric: 'ifeval', said: 'has # bullet points, needs "#" — exactly' },
    ];
    for (const title of titles) {
      const text = formatCheckTitle(title);
      expect(parseCheckTitle(text)).toEqual(title);
      const header = { index: 3, check: text, count: 12, category: 'wrong_answer' };
      expect(parseGroupHeaders(formatGroupHeader(header))).toEqual([header]);
      expect(parseGroupHeaders(`${formatGroupHeader(header)}. Fix: do this — 5 cases, rather`)).toEqual([header]);
      const focus = { check: text, count: 1, category: 'format_violation' };
      expect(parseFocus(`${formatFocus(focus)} Suggested fix from the data: x.`)).toEqual(focus);
    }
    expect(parseWrappedJson(formatShape({ codeFenced: 3, textAroundJson: 5, empty: 1 })!)).toBe(5);
    expect(formatShape({ codeFenced: 0, textAroundJson: 0, empty: 0 })).toBeUndefined();
  });
});
