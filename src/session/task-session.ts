/**
 * What every command that runs a task needs, built in one place: the validated spec, its cases with
 * splits, the models (real SDKs or the simulator, never a silent fallback), the cache and the caller
 * that tallies spend, and the redactor over the secrets the command knows. Everything here happens
 * before the first model call. `eval` and `optimize` open a task session (the spec's target and
 * judge built at once); `compare`, which runs other models than the spec's, opens a spec session and
 * builds its models through it.
 */
import { loadSpec, type LoadSpecOptions } from './load-spec.js';
import { resolveSplits } from '../dataset/resolve-splits.js';
import { displayPath } from '../spec/issues.js';
import { createModel, type ModelRole } from './create-model.js';
import { KeyLedger } from '../providers/middleware/with-key-rotation.js';
import { RateLimiterRegistry } from '../providers/middleware/with-rate-limit.js';
import { parseAssertionType } from '../assertions/names.js';
import { ResponseCache } from '../runner/response-cache.js';
import { ModelCaller, type ModelCallerOptions } from '../runner/model-caller.js';
import type { ChatModel, ModelConfig } from '../providers/types.js';
import type { Spec, SplitCase } from '../spec/types.js';
import { createRedactor, type Redactor } from '../report/redact.js';
import { commandSecrets } from './command-secrets.js';
import { MissingApiKeyError } from '../errors.js';
import { lookupPrice } from '../providers/prices.js';

export interface SpecSession {
  spec: Spec;
  /** Splits from the splits file, new cases placed in memory (nothing written). */
  cases: SplitCase[];
  /** Writes the splits file when it lacks some cases; returns the cases with the splits recorded. */
  recordSplits: () => Promise<SplitCase[]>;
  cache?: ResponseCache;
  caller: ModelCaller;
  keyLedger: KeyLedger;
  /** One adaptive limiter per provider for this command (every model it makes shares them). */
  rateLimiters: RateLimiterRegistry;
  /** The secrets this command knows of (see command-secrets.ts), and a redactor over them for everything it writes. */
  secrets: string[];
  scrub: Redactor;
  /** Workers for this command (-j, else the spec's `concurrency`). */
  workers: number;
  /** A model for `role`, sharing this command's key ledger and rate limiters (a missing key is exit 2 here). */
  model(config: ModelConfig, role: ModelRole): ChatModel;
}

export interface TaskSession extends SpecSession {
  target: ChatModel;
  judge?: ChatModel;
}

export interface OpenSessionOptions {
  noCache?: boolean;
  warn: (message: string) => void;
  /** Told what was recorded (the splits file). */
  note?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /** --trust-spec (see spec/file-scope.ts and providers/resolve-endpoint.ts). */
  trustSpec?: boolean;
  caller?: Omit<ModelCallerOptions, 'cache'>;
  /** Workers for this command (-j); also the per-provider cap unless the spec sets one. */
  concurrency?: number;
  /** The spec's text instead of the file's (a promptfoo config mapped in memory; see loadSpec). */
  specSource?: LoadSpecOptions['source'];
  /** A cache opened by the caller, used instead of the spec's (a bench shares one among its runs); ignored with noCache. */
  cache?: ResponseCache;
  /**
   * For a projection that makes no call (--dry-run): a model whose API key is missing is told here and
   * stands in as a model that refuses every call, instead of the error being thrown.
   */
  deferMissingKey?: (error: MissingApiKeyError) => void;
}

/** The spec, its cases, the cache and the caller; no model is built yet. */
export async function openSpecSession(file: string, options: OpenSessionOptions): Promise<SpecSession> {
  const env = options.env ?? process.env;
  const spec = await loadSpec(file, { env, trustSpec: options.trustSpec, warn: options.warn, ...(options.specSource ? { source: options.specSource } : {}) });
  const { cases } = await resolveSplits(spec, { record: false });
  const recordSplits = async () => {
    const resolved = await resolveSplits(spec, { record: true, warn: options.warn });
    if (resolved.wrote && resolved.added > 0) {
      options.note?.(`splits: recorded ${resolved.added} new case${resolved.added === 1 ? '' : 's'} in ${displayPath(resolved.file)} (commit it with the cases)`);
    }
    return resolved.cases;
  };
  const keyLedger = new KeyLedger();
  const rateLimiters = new RateLimiterRegistry();
  const workers = options.concurrency ?? spec.concurrency;
  const secrets = commandSecrets(env, spec);
  const scrub = createRedactor(secrets);
  const cache = options.noCache ? undefined : options.cache ?? (spec.cache.enabled ? new ResponseCache(spec.cache.dir, { scrub, warn: options.warn }) : undefined);
  const caller = new ModelCaller({ maxCostUsd: spec.budget?.maxCostUsd, ...options.caller, cache });
  const build = (config: ModelConfig, role: ModelRole) =>
    createModel(withWorkerCap(config, workers), { role, env, trustSpec: options.trustSpec, warn: options.warn, ledger: keyLedger, rateLimiters });
  const model = options.deferMissingKey ? keyless(build, options.deferMissingKey) : build;
  return { spec, cases, recordSplits, cache, caller, keyLedger, rateLimiters, secrets, scrub, workers, model };
}

/** A spec session with the spec's target, and its judge when an assertion needs one. */
export async function openTaskSession(file: string, options: OpenSessionOptions): Promise<TaskSession> {
  const session = await openSpecSession(file, options);
  const { spec } = session;
  const target = session.model(spec.target, 'target');
  const judge = usesJudge(spec) ? session.model(spec.judge, 'judge') : undefined;
  return { ...session, target, ...(judge ? { judge } : {}) };
}

/** `build`, except that a missing API key is told to `defer` and the model refuses every call with it. */
function keyless(build: (config: ModelConfig, role: ModelRole) => ChatModel, defer: (error: MissingApiKeyError) => void) {
  return (config: ModelConfig, role: ModelRole): ChatModel => {
    try {
      return build(config, role);
    } catch (error) {
      if (!(error instanceof MissingApiKeyError)) throw error;
      defer(error);
      const price = config.price ?? lookupPrice(config.provider, config.model);
      return { provider: config.provider, modelId: config.model, simulated: false, ...(price ? { price } : {}), complete: () => Promise.reject(error) };
    }
  };
}

/**
 * Without a `concurrency` of its own, a model may have as many requests in flight as the command has
 * workers: the provider's rate limiter still halves that when 429s arrive.
 */
export function withWorkerCap<T extends ModelConfig>(config: T, workers: number): T {
  return config.concurrency === undefined ? { ...config, concurrency: workers } : config;
}

/**
 * Builds (and drops) the spec's target, and its judge when an assertion needs one, so a missing key or
 * a refused endpoint is an error now: before a command that runs several specs makes its first call.
 */
export function checkModelAccess(spec: Spec, options: { env?: NodeJS.ProcessEnv; trustSpec?: boolean }): void {
  const quiet = { env: options.env ?? process.env, trustSpec: options.trustSpec, warn: () => undefined };
  createModel(spec.target, { role: 'target', ...quiet });
  if (usesJudge(spec)) createModel(spec.judge, { role: 'judge', ...quiet });
}

/** True when any assertion (default or per case) is an llm-rubric, negated or not. */
export function usesJudge(spec: Spec): boolean {
  const all = [...spec.defaultAssert, ...spec.cases.flatMap((c) => c.assert)];
  return all.some((a) => parseAssertionType(a.type).base === 'llm-rubric');
}
