/**
 * What every command that runs a task needs, built in one place: the validated spec, its cases with
 * splits, the models (real SDKs or the simulator, never a silent fallback), the cache and the caller
 * that tallies spend. Everything here happens before the first model call.
 */
import { loadSpec } from '../spec/load-spec.js';
import { splitCases } from '../dataset/split-cases.js';
import { createModel } from '../providers/create-model.js';
import { KeyLedger } from '../providers/middleware/with-key-rotation.js';
import { RateLimiterRegistry } from '../providers/middleware/with-rate-limit.js';
import { parseAssertionType } from '../assertions/names.js';
import { ResponseCache } from '../runner/response-cache.js';
import { ModelCaller, type ModelCallerOptions } from '../runner/model-caller.js';
import type { ChatModel, ModelConfig } from '../providers/types.js';
import type { Spec, SplitCase } from '../spec/types.js';

export interface TaskSession {
  spec: Spec;
  cases: SplitCase[];
  target: ChatModel;
  judge?: ChatModel;
  cache?: ResponseCache;
  caller: ModelCaller;
  keyLedger: KeyLedger;
  /** One adaptive limiter per provider for this command (every model it makes shares them). */
  rateLimiters: RateLimiterRegistry;
}

export interface OpenSessionOptions {
  noCache?: boolean;
  warn: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  caller?: Omit<ModelCallerOptions, 'cache'>;
  /** Workers for this command (-j); also the per-provider cap unless the spec sets one. */
  concurrency?: number;
}

export async function openTaskSession(file: string, options: OpenSessionOptions): Promise<TaskSession> {
  const env = options.env ?? process.env;
  const spec = await loadSpec(file, { env });
  const cases = splitCases(spec.cases, spec.splits);
  const keyLedger = new KeyLedger();
  const rateLimiters = new RateLimiterRegistry();
  const workers = options.concurrency ?? spec.concurrency;
  const target = createModel(withWorkerCap(spec.target, workers), { role: 'target', env, warn: options.warn, ledger: keyLedger, rateLimiters });
  const judge = usesJudge(spec)
    ? createModel(withWorkerCap(spec.judge, workers), { role: 'judge', env, warn: options.warn, ledger: keyLedger, rateLimiters })
    : undefined;
  const cache = spec.cache.enabled && !options.noCache ? new ResponseCache(spec.cache.dir, { warn: options.warn }) : undefined;
  const caller = new ModelCaller({ maxCostUsd: spec.budget?.maxCostUsd, ...options.caller, cache });
  return { spec, cases, target, judge, cache, caller, keyLedger, rateLimiters };
}

/**
 * Without a `concurrency` of its own, a model may have as many requests in flight as the command has
 * workers: the provider's rate limiter still halves that when 429s arrive.
 */
export function withWorkerCap<T extends ModelConfig>(config: T, workers: number): T {
  return config.concurrency === undefined ? { ...config, concurrency: workers } : config;
}

/** True when any assertion (default or per case) is an llm-rubric, negated or not. */
export function usesJudge(spec: Spec): boolean {
  const all = [...spec.defaultAssert, ...spec.cases.flatMap((c) => c.assert)];
  return all.some((a) => parseAssertionType(a.type).base === 'llm-rubric');
}
