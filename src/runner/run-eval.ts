/**
 * The eval runner: cases x prompt -> bounded concurrency -> model (through the caching ModelCaller)
 * -> assertions -> results. A failed model call is a failed case with category provider_error, never
 * a crash; a spent budget, an interrupt or an unreachable endpoint (any PromptoptError other than a
 * ProviderError) stops scheduling, lets calls in flight finish, and throws.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { InterruptedError, PromptoptError, ProviderError, stopSignalOf } from '../errors.js';
import { runAssertions } from '../assertions/run-assertions.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { ChatModel } from '../providers/types.js';
import type { SplitCase } from '../spec/types.js';
import { BudgetExhaustedError, type CallMeta, type ModelCaller } from './model-caller.js';
import { renderRequest, type RequestShape } from './render-request.js';
import { assembleCaseResult } from './assemble-case-result.js';
import { summarizeResults } from './summarize.js';
import type { EvalProgress, EvalResult, SampleResult } from './types.js';

export interface RunEvalOptions {
  cases: SplitCase[];
  prompt: string;
  shape: RequestShape;
  defaultAssert: AssertionSpec[];
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
  const progress: EvalProgress = { done: 0, total: options.cases.length * options.repeat, passed: 0, costUsd: 0, cacheHits: 0 };
  const judge = options.judge ? options.caller.bind(options.judge, 'judge', options.meta) : undefined;
  let stop: EvalStop | undefined;
  const halt = (reason: EvalStop) => {
    // Queued tasks still run, but return at once (clearQueue would leave their promises pending).
    stop ??= reason;
  };
  const onAbort = () => halt(new InterruptedError(undefined, stopSignalOf(options.signal)));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const requests = options.cases.map((c) => renderRequest(options.shape, options.prompt, c.vars));
  const samples: (SampleResult | undefined)[][] = options.cases.map(() => new Array(options.repeat));

  const tasks: Promise<void>[] = [];
  options.cases.forEach((testCase, caseIndex) => {
    for (let sample = 0; sample < options.repeat; sample++) {
      tasks.push(
        limit(async () => {
          if (stop) return;
          try {
            const result = await runSample(options, testCase, requests[caseIndex]!, sample, judge);
            samples[caseIndex]![sample] = result;
            progress.done += 1;
            if (result.pass) progress.passed += 1;
            if (result.cacheHit) progress.cacheHits += 1;
            else progress.costUsd += result.costUsd ?? 0;
            options.onProgress?.({ ...progress });
          } catch (error) {
            if (error instanceof PromptoptError && !(error instanceof ProviderError)) halt(error);
            else throw error;
          }
        }),
      );
    }
  });
  try {
    await Promise.all(tasks);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  const cases = options.cases.flatMap((testCase, i) => {
    const done = samples[i]!.filter((s): s is SampleResult => s !== undefined);
    return done.length === options.repeat ? [assembleCaseResult(testCase, requests[i]!, done)] : [];
  });
  const result: EvalResult = { cases, summaries: summarizeResults(cases), wallTimeMs: performance.now() - started };
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
  });
  const pass = assertions.every((a) => a.pass);
  const score = assertions.length === 0 ? 1 : assertions.reduce((sum, a) => sum + a.score, 0) / assertions.length;
  // A judge that failed after retries makes the sample a provider error too: no verdict on the output.
  const judgeFailure = assertions.find((a) => !a.pass && a.category === 'provider_error');
  return {
    index: sample,
    output: response.text,
    pass,
    score,
    assertions,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    costUsd: response.costUsd,
    latencyMs: response.latencyMs,
    cacheHit: response.cached === true,
    ...(judgeFailure ? { providerError: { code: 'PROVIDER_JUDGE_FAILED', message: judgeFailure.reason } } : {}),
  };
}
