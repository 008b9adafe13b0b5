/**
 * How big an optimizer request is, estimated without a call (for `optimize --dry-run`): the real
 * meta-prompt built by the real feedback formatter, from train results made up for the purpose —
 * some train cases failing with a wrong answer as long as their expected one. `low` has one train
 * case failing, `expected` half, `high` all of them (each at most the meta-prompt token budget, the
 * builder's cap), and `worst` is that budget. The memory of earlier iterations is left out (it grows
 * with the run, within the budget: workflows/project-optimize.ts adds it).
 */
import { analyzeFailures } from '../feedback/analyze-failures.js';
import { estimateTokens } from '../feedback/case-text.js';
import { formatTrainFeedback } from '../feedback/format-feedback.js';
import { withVarsOnly } from '../feedback/visible-vars.js';
import type { CaseResult } from '../runner/types.js';
import { stringifyValue } from '../template/template.js';
import type { Spec, SplitCase } from '../spec/types.js';
import type { LoopSettings } from './loop-context.js';
import { emptyMemory } from './memory.js';
import { buildMetaPrompt, feedbackBudgetChars, taskContext } from './meta-prompt.js';
import { shownVarNames } from './shown-vars.js';

export interface MetaPromptTokens {
  low: number;
  expected: number;
  high: number;
  worst: number;
}

/** A made-up answer to a case without an expected one (about 150 tokens). */
const OPEN_ANSWER_CHARS = 600;

type Settings = Pick<LoopSettings, 'metaPromptTokens' | 'optimizerMaxTokens' | 'seed' | 'feedback'>;

export function estimateMetaPromptTokens(spec: Spec, train: readonly SplitCase[], settings: Settings): MetaPromptTokens {
  const size = (failing: number) => {
    const results = withVarsOnly(train.map((c, i) => madeUpResult(c, i < failing)), shownVarNames(spec));
    const analysis = analyzeFailures(results);
    const feedback = settings.feedback
      ? formatTrainFeedback(analysis, results, { budgetChars: feedbackBudgetChars(settings.metaPromptTokens, spec.prompt.text.length), seed: settings.seed })
      : `Training results: ${analysis.passed}/${analysis.total} passed.`;
    const request = buildMetaPrompt(
      taskContext(spec),
      { kind: 'refine', current: spec.prompt.text, feedback, memory: emptyMemory(), direction: 'Make the smallest edit that fixes the most failures.' },
      settings.metaPromptTokens,
      settings.optimizerMaxTokens,
    );
    return Math.min(settings.metaPromptTokens, estimateTokens([request.system ?? '', ...request.messages.map((m) => m.content)].join('')));
  };
  return { low: size(Math.min(1, train.length)), expected: size(Math.ceil(train.length / 2)), high: size(train.length), worst: settings.metaPromptTokens };
}

/** A train result: failing with a wrong answer as long as the expected one, or passing. */
function madeUpResult(c: SplitCase, failing: boolean): CaseResult {
  const expected = stringifyValue(c.expected);
  const output = failing ? wrongAnswer(expected === '' ? OPEN_ANSWER_CHARS : expected.length) : expected;
  const failures: CaseResult['failures'] = failing
    ? expected === ''
      ? [{ type: 'llm-rubric', category: 'rubric_failed', reason: 'judge: the answer misses what the rubric asks for' }]
      : [{ type: 'equals', category: 'wrong_answer', reason: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(output)}`, expected, actual: output }]
    : [];
  const sample = { index: 0, output, pass: !failing, score: failing ? 0 : 1, assertions: [], inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0, cacheHit: false };
  return {
    caseId: c.id,
    split: c.split,
    vars: c.vars,
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    output,
    pass: !failing,
    passRate: failing ? 0 : 1,
    score: sample.score,
    samples: [sample],
    failures,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    cacheHit: false,
  };
}

function wrongAnswer(length: number): string {
  const words = 'an answer that is not the expected one '.repeat(Math.ceil(Math.max(length, 12) / 39) + 1);
  return words.slice(0, Math.max(length, 12)).trim();
}
