/**
 * The calls that scoring one prompt on some cases makes, and their sizes, known without a call (for
 * `eval --dry-run` and `optimize --dry-run`): per case, the target request rendered as the runner
 * renders it, and one judge request per llm-rubric assertion that applies to the case, per sample.
 *
 * Tokens are estimated at 4 characters a token (estimateTokens). Outputs: `max_tokens` is a cap,
 * not an estimate, so an answer is expected to be as long as the case's expected answer (at least
 * MIN_ANSWER_TOKENS), or OPEN_ANSWER_TOKENS when the case has none (graded by a rubric or checks);
 * a judge's verdict is VERDICT_TOKENS (MIN_VERDICT_TOKENS at the low ends). The caps are the other end of every range.
 *
 * A judge request is the rubric and the output only, so the cache serves a (rubric, output) pair
 * judged before: when several cases share an expected answer (labels), their right answers are
 * judged once (`sharedAnswer`, `sharedJudgeCalls`).
 */
import { applicableAssertions, renderAssertion } from '../assertions/run-assertions.js';
import { parseAssertionType } from '../assertions/names.js';
import { DEFAULT_JUDGE_MAX_TOKENS, judgeRequest, rubricText } from '../assertions/handlers/llm-rubric.js';
import type { AssertionSpec } from '../assertions/types.js';
import { estimateTokens } from '../feedback/case-text.js';
import type { ChatModel, ChatRequest } from '../providers/types.js';
import type { ModelCaller } from '../runner/model-caller.js';
import { renderRequest, type RequestShape } from '../runner/render-request.js';
import { stringifyValue } from '../template/template.js';
import type { SplitCase, SplitName } from '../spec/types.js';

export const MIN_ANSWER_TOKENS = 4;
export const OPEN_ANSWER_TOKENS = 150;
export const VERDICT_TOKENS = 40;
/** The shortest verdict: `{"pass": true, "score": 1, "reason": "..."}` with a few words of reason. */
export const MIN_VERDICT_TOKENS = 12;
/** What a judge request is sent with (llm-rubric's own cap; `judge.max_tokens` does not reach it). */
export const JUDGE_MAX_TOKENS = DEFAULT_JUDGE_MAX_TOKENS;

export interface CaseCalls {
  caseId: string;
  split: SplitName;
  /** Estimated input tokens of the target request (one sample). */
  targetInput: number;
  /** Expected output tokens of one target answer (at most max_tokens). */
  answer: number;
  /** One entry per llm-rubric assertion that applies: the judge request's input tokens, the output left out. */
  judgeInputs: number[];
  /** The rubrics of those assertions (a judge request is the rubric and the output). */
  rubrics: string[];
  /** The expected answer, when other cases have the same one (their right answers are judged once). */
  sharedAnswer?: string;
  /** Samples whose target call is in the cache, and judge calls of those samples in the cache (known only then). */
  cachedSamples: number;
  cachedJudgeCalls: number;
}

/** Calls and their tokens (input and output), summed. */
export interface CallTokens {
  calls: number;
  input: number;
  output: number;
}

export interface CaseCallsInput {
  cases: readonly SplitCase[];
  prompt: string;
  shape: RequestShape;
  defaultAssert: AssertionSpec[];
  repeat: number;
  /** Expected answers shared by several cases (default: found among `cases`). */
  sharedAnswers?: ReadonlySet<string>;
  /** To find the calls already in the cache (none counted without it). */
  cache?: { caller: ModelCaller; target: ChatModel; judge?: ChatModel };
}

export async function caseCalls(input: CaseCallsInput): Promise<CaseCalls[]> {
  const out: CaseCalls[] = [];
  const shared = input.sharedAnswers ?? sharedAnswers(input.cases);
  for (const testCase of input.cases) {
    const request = renderRequest(input.shape, input.prompt, testCase.vars);
    const rubrics = rubricsOf(testCase, input.defaultAssert);
    const expected = stringifyValue(testCase.expected);
    const answer = Math.min(input.shape.maxTokens, expected === '' ? OPEN_ANSWER_TOKENS : Math.max(MIN_ANSWER_TOKENS, estimateTokens(expected)));
    const calls: CaseCalls = {
      caseId: testCase.id,
      split: testCase.split,
      targetInput: requestTokens(request),
      answer,
      judgeInputs: rubrics.map((rubric) => requestTokens(judgeRequest(rubric, ''))),
      rubrics,
      ...(expected !== '' && shared.has(expected) ? { sharedAnswer: expected } : {}),
      cachedSamples: 0,
      cachedJudgeCalls: 0,
    };
    if (input.cache) await countCached(calls, input.cache, request, rubrics, input.repeat);
    out.push(calls);
  }
  return out;
}

/** The expected answers (as text) that two or more cases have. */
export function sharedAnswers(cases: readonly SplitCase[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const c of cases) {
    const expected = stringifyValue(c.expected);
    if (expected === '') continue;
    if (seen.has(expected)) shared.add(expected);
    seen.add(expected);
  }
  return shared;
}

/** The rubrics of the llm-rubric assertions that apply to the case, templated as the runner does. */
function rubricsOf(testCase: SplitCase, defaultAssert: AssertionSpec[]): string[] {
  const context = { vars: testCase.vars, expected: testCase.expected };
  return applicableAssertions([...defaultAssert, ...testCase.assert], context)
    .filter((a) => parseAssertionType(a.type).base === 'llm-rubric')
    .map((a) => rubricText(renderAssertion(a, context).value));
}

async function countCached(calls: CaseCalls, cache: NonNullable<CaseCallsInput['cache']>, request: ChatRequest, rubrics: string[], repeat: number): Promise<void> {
  for (let sample = 0; sample < repeat; sample++) {
    const answer = await cache.caller.cachedResponse(cache.target, request, 'target', sample);
    if (!answer) continue;
    calls.cachedSamples += 1;
    if (!cache.judge) continue;
    // The judge sees the cached answer: its request is known exactly (and is sent as sample 0).
    for (const rubric of rubrics) {
      if (await cache.caller.isCached(cache.judge, judgeRequest(rubric, answer.text), 'judge', 0)) calls.cachedJudgeCalls += 1;
    }
  }
}

export function requestTokens(request: Pick<ChatRequest, 'system' | 'messages'>): number {
  return estimateTokens([request.system ?? '', ...request.messages.map((m) => m.content)].join(''));
}

export interface SumOptions {
  repeat: number;
  /** `expected`: answers and verdicts as long as expected; `double`: answers twice that; `cap`: every output at its max_tokens. */
  outputs: 'expected' | 'double' | 'cap';
  /** A judge verdict's tokens when outputs are not at their caps (default VERDICT_TOKENS). */
  verdictTokens?: number;
  /** Leave out the judge calls of cases with a shared answer (counted once a run: sharedJudgeCalls). */
  perRunSharedJudge?: boolean;
  targetMaxTokens: number;
  /** Tokens added to every target request (a candidate prompt longer than the one measured). */
  extraInput?: number;
  /** Leave out the calls found in the cache. */
  uncachedOnly?: boolean;
}

/** Target and judge calls of one evaluation of `calls` (every case, every sample). */
export function sumCalls(calls: readonly CaseCalls[], options: SumOptions): { target: CallTokens; judge: CallTokens } {
  const target: CallTokens = { calls: 0, input: 0, output: 0 };
  const judge: CallTokens = { calls: 0, input: 0, output: 0 };
  const cap = options.outputs === 'cap';
  for (const c of calls) {
    const samples = options.uncachedOnly ? options.repeat - c.cachedSamples : options.repeat;
    const answer = answerTokens(c, options);
    target.calls += samples;
    target.input += samples * (c.targetInput + (options.extraInput ?? 0));
    target.output += samples * answer;
    const judged =
      options.perRunSharedJudge && c.sharedAnswer !== undefined
        ? 0
        : samples * c.judgeInputs.length + (options.uncachedOnly ? c.cachedSamples * c.judgeInputs.length - c.cachedJudgeCalls : 0);
    const perJudge = c.judgeInputs.length ? c.judgeInputs.reduce((a, b) => a + b, 0) / c.judgeInputs.length : 0;
    judge.calls += judged;
    judge.input += judged * (perJudge + answer);
    judge.output += judged * (cap ? JUDGE_MAX_TOKENS : options.verdictTokens ?? VERDICT_TOKENS);
  }
  return { target, judge };
}

function answerTokens(c: CaseCalls, options: Pick<SumOptions, 'outputs' | 'targetMaxTokens'>): number {
  if (options.outputs === 'cap') return options.targetMaxTokens;
  return options.outputs === 'double' ? Math.min(options.targetMaxTokens, 2 * c.answer) : c.answer;
}

/**
 * The judge calls of the cases with a shared answer over a whole run (the cache serves the rest):
 * `right` counts each (rubric, answer) pair once (every output right); `wrong` adds one wrong
 * answer per case and rubric, judged once (a wrong answer to a label task is mostly another label
 * or the same wrong text again).
 */
export function sharedJudgeCalls(calls: readonly CaseCalls[], wrong: boolean, verdictTokens = VERDICT_TOKENS): CallTokens {
  const pairs = new Map<string, number>();
  let input = 0;
  let count = 0;
  for (const c of calls) {
    if (c.sharedAnswer === undefined) continue;
    c.rubrics.forEach((rubric, i) => {
      pairs.set(`${rubric}\u0000${c.sharedAnswer}`, c.judgeInputs[i]! + c.answer);
      if (wrong) [count, input] = [count + 1, input + c.judgeInputs[i]! + c.answer];
    });
  }
  for (const tokens of pairs.values()) [count, input] = [count + 1, input + tokens];
  return { calls: count, input, output: count * verdictTokens };
}

/**
 * The fewest judge calls one evaluation of `calls` can make: identical judge requests (the same rubric
 * and output) are sent once, in flight or from the cache, so a case's samples that answer alike are
 * judged once, and right answers shared by several cases once for all of them. Cases whose every
 * sample is cached are left out.
 */
export function fewestJudgeCalls(calls: readonly CaseCalls[], repeat: number, verdictTokens = MIN_VERDICT_TOKENS): CallTokens {
  const open = calls.filter((c) => c.cachedSamples < repeat);
  const own = open.filter((c) => c.sharedAnswer === undefined);
  const judged = own.reduce((n, c) => n + c.judgeInputs.length, 0);
  const input = own.reduce((n, c) => n + c.judgeInputs.reduce((a, b) => a + b + c.answer, 0), 0);
  const shared = sharedJudgeCalls(open, false, verdictTokens);
  return { calls: judged + shared.calls, input: input + shared.input, output: judged * verdictTokens + shared.output };
}
