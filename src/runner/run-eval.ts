/**
 * The eval runner: cases x prompt -> bounded concurrency -> model (through the caching ModelCaller)
 * -> assertions -> results. A failed model call is a failed case with category provider_error, never
 * a crash; a spent budget, an interrupt or an unreachable endpoint (any PromptoptError other than a
 * ProviderError) stops scheduling, lets calls in flight finish, and throws.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { InterruptedError, PromptoptError, ProviderError, stopSignalOf } from '../errors.js';
import { runAssertions } from '../assertions/run-assertions.js';
import { gradeSample } from '../assertions/summarize.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { ChatModel } from '../providers/types.js';
import type { SplitCase } from '../spec/types.js';
import { BudgetExhaustedError, type CallMeta, type ModelCaller } from './model-caller.js';
import { renderRequest, type RequestShape } from './render-request.js';
import { assembleCaseResult } from './assemble-case-result.js';
import { caseTally, summarizeResults, type CaseTally } from './summarize.js';
import type { CaseResult, EvalProgress, EvalResult, SampleResult } from './types.js';

export interface RunEvalOptions {
  cases: SplitCase[];
  prompt: string;
  shape: RequestShape;
  defaultAssert: AssertionSpec[];
  /** `defaults.threshold`: the case threshold of cases that set none (see assertions/summarize.ts). */
  defaultThreshold?: number;
  /** Folder that `file://` references in assertions resolve against. */
  baseDir: string;
  target: ChatModel;
  judge?: ChatModel;
  caller: ModelCaller;
  concurrency: number;
  /** A limiter shared with other evaluations running at the same time (candidates scored together). */
  limit?: LimitFunction;
  repeat: number;
  onProgress?: (progress: EvalProgress) => void;
  signal?: AbortSignal;
  meta?: CallMeta;
  /**
   * Called with each case's result as soon as its last sample is scored (in completion order, with
   * the case's index in `cases`): lets a caller stream results out instead of holding them all.
   */
  onCase?: (result: CaseResult, index: number) => void;
  /** false: `EvalResult.cases` stays empty (results go only to `onCase`); summaries are still exact. Default true. */
  keepCases?: boolean;
}

/** Why a run stopped early: a spent budget, an interrupt, an unreachable endpoint... */
export type EvalStop = BudgetExhaustedError | InterruptedError | PromptoptError;

/** Thrown when a run stops before every case was scored; carries the cases that were. */
export class IncompleteEvalError extends Error {
  constructor(override readonly cause: EvalStop, readonly partial: EvalResult) {
    super(cause.message);
  }
}

export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const limit = options.limit ?? pLimit(Math.max(1, options.concurrency));
  const { cases: testCases, repeat } = options;
  const total = testCases.length * repeat;
  const progress: EvalProgress = { done: 0, total, passed: 0, costUsd: 0, cacheHits: 0 };
  const judge = options.judge ? options.caller.bind(options.judge, 'judge', options.meta) : undefined;
  let stop: EvalStop | undefined;
  let failure: { error: unknown } | undefined;
  const onAbort = () => (stop ??= new InterruptedError(undefined, stopSignalOf(options.signal)));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  // Memory stays flat in the number of cases: requests are rendered when their call starts (never
  // all up front), a case's samples are held only until its last one lands, and what is kept per
  // case afterwards is what the caller asked for (`keepCases`) plus the few numbers summaries need.
  const pending = new Map<number, SampleResult[]>();
  const kept: (CaseResult | undefined)[] = options.keepCases === false ? [] : new Array(testCases.length);
  const tallies: (CaseTally | undefined)[] = new Array(testCases.length);

  const runItem = async (item: number): Promise<void> => {
    const caseIndex = Math.floor(item / repeat);
    const testCase = testCases[caseIndex]!;
    const request = renderRequest(options.shape, options.prompt, testCase.vars);
    const result = await runSample(options, testCase, request, item % repeat, judge);
    progress.done += 1;
    if (result.pass && !result.unchecked) progress.passed += 1;
    if (result.cacheHit) progress.cacheHits += 1;
    else progress.costUsd += result.costUsd ?? 0;
    const samples = pending.get(caseIndex) ?? [];
    samples.push(result);
    if (samples.length < repeat) {
      pending.set(caseIndex, samples);
    } else {
      pending.delete(caseIndex);
      const caseResult = assembleCaseResult(testCase, samples);
      tallies[caseIndex] = caseTally(caseResult);
      if (options.keepCases !== false) kept[caseIndex] = caseResult;
      options.onCase?.(caseResult, caseIndex);
    }
    options.onProgress?.({ ...progress });
  };

  // A pool of workers pulls (case, sample) items in order: at most `concurrency` items are queued on
  // the limiter per evaluation, however many cases there are.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stop && !failure && next < total) {
      const item = next++;
      try {
        await limit(() => (stop || failure ? undefined : runItem(item)));
      } catch (error) {
        if (error instanceof PromptoptError && !(error instanceof ProviderError)) stop ??= error;
        else failure ??= { error };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(total, Math.max(1, options.concurrency)) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure.error;

  const done = tallies.filter((t): t is CaseTally => t !== undefined);
  const result: EvalResult = {
    cases: kept.filter((c): c is CaseResult => c !== undefined),
    summaries: summarizeResults(done),
    wallTimeMs: performance.now() - started,
  };
  if (stop) throw new IncompleteEvalError(stop, result);
  return result;
}

async function runSample(
  options: RunEvalOptions,
  testCase: SplitCase,
  request: ReturnType<typeof renderRequest>,
  sample: number,
  judge: ChatModel | undefined,
): Promise<SampleResult> {
  let response;
  try {
    response = await options.caller.call(options.target, request, 'target', sample, { ...options.meta, caseId: testCase.id });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return {
      index: sample,
      output: '',
      pass: false,
      score: 0,
      assertions: [
        { type: 'provider', pass: false, score: 0, category: 'provider_error', reason: error.message },
      ],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs: 0,
      cacheHit: false,
      providerError: { code: error.code, message: error.message },
    };
  }
  const assertions = await runAssertions([...options.defaultAssert, ...testCase.assert], {
    output: response.text,
    vars: testCase.vars,
    expected: testCase.expected,
    caseId: testCase.id,
    baseDir: options.baseDir,
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    judge,
    signal: options.signal,
    ...(options.shape.engine ? { templateEngine: options.shape.engine } : {}),
    ...(options.shape.transform ? { transform: options.shape.transform } : {}),
  });
  // A judge that failed after retries makes the sample a provider error too: no verdict on the output.
  const judgeFailure = assertions.find((a) => !a.pass && a.category === 'provider_error');
  const threshold = testCase.threshold ?? options.defaultThreshold;
  const grade = gradeSample(assertions, threshold);
  return {
    index: sample,
    output: response.text,
    pass: grade.pass,
    score: grade.score,
    ...(grade.unchecked ? { unchecked: true as const } : {}),
    ...(threshold !== undefined && !grade.unchecked ? { threshold } : {}),
    assertions,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    cacheHit: response.cached === true,
    ...(judgeFailure ? { providerError: { code: 'PROVIDER_JUDGE_FAILED', message: judgeFailure.reason } } : {}),
  };
}
