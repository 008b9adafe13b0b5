/**
 * Raw model fields (target, optimizer, judge) -> ModelConfig with defaults: API-key variables per
 * provider, token limits, timeouts. The judge, when not given, is a copy of the optimizer's model.
 */
import type { SpecIssue } from '../errors.js';
import type { ModelConfig, ProviderName } from '../providers/types.js';
import type { IssueAt, PathSegment } from './issues.js';
import type { RawModel } from './schema.js';

export const DEFAULT_API_KEY_ENV: Record<ProviderName, string[]> = {
  anthropic: ['ANTHROPIC_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  'openai-compatible': ['OPENAI_API_KEY'],
  sim: [],
};

export const OPTIMIZER_DEFAULT_PROVIDER: ProviderName = 'anthropic';
export const OPTIMIZER_DEFAULT_MODEL = 'claude-opus-5-5';

/**
 * Request timeouts per role: a target or judge call answers in seconds (60 s is a hung call), an
 * optimizer call writes whole prompts at a large max_tokens (300 s).
 */
export const TARGET_DEFAULTS = { maxTokens: 1024, timeoutMs: 60_000, maxRetries: 4 };
export const OPTIMIZER_DEFAULTS = { maxTokens: 8192, timeoutMs: 300_000, maxRetries: 4 };
export const JUDGE_DEFAULT_TIMEOUT_MS = 60_000;

/** The target: provider and model are required by the schema. */
export function normalizeTarget(raw: RawModel & { provider: ProviderName; model: string }): ModelConfig {
  return buildModel(raw, raw.provider, raw.model, TARGET_DEFAULTS);
}

/**
 * The optimizer's (or an explicit judge's) model: provider defaults to anthropic, model to
 * claude-opus-5-5 for anthropic and is required for any other provider.
 */
export function normalizeOptimizerModel(raw: RawModel, path: PathSegment[], issueAt: IssueAt, issues: SpecIssue[]): ModelConfig {
  const provider = raw.provider ?? OPTIMIZER_DEFAULT_PROVIDER;
  let model = raw.model;
  if (model === undefined) {
    if (provider === OPTIMIZER_DEFAULT_PROVIDER) model = OPTIMIZER_DEFAULT_MODEL;
    else {
      issues.push(
        issueAt([...path, 'model'], `a model is required with provider "${provider}"`, {
          hint: `only provider ${OPTIMIZER_DEFAULT_PROVIDER} has a default model (${OPTIMIZER_DEFAULT_MODEL})`,
        }),
      );
      model = '';
    }
  }
  return buildModel(raw, provider, model, OPTIMIZER_DEFAULTS);
}

/**
 * The judge: a copy of the optimizer's model with the judge's own fields on top. When the judge
 * names another provider, provider-bound fields (model, base_url, keys, price) are not inherited.
 * Its timeout is its own (a verdict is short): 60 s unless `judge.timeout_ms` says otherwise.
 */
export function normalizeJudge(raw: RawModel | undefined, optimizer: ModelConfig, issueAt: IssueAt, issues: SpecIssue[]): ModelConfig {
  const base = { ...pickModelConfig(optimizer), timeoutMs: JUDGE_DEFAULT_TIMEOUT_MS };
  if (raw === undefined) return base;
  if (raw.provider !== undefined && raw.provider !== optimizer.provider) {
    const own = normalizeOptimizerModel(raw, ['judge'], issueAt, issues);
    return {
      ...own,
      ...definedOnly({ temperature: raw.temperature ?? base.temperature, concurrency: raw.concurrency ?? base.concurrency }),
      maxTokens: raw.max_tokens ?? base.maxTokens,
      timeoutMs: raw.timeout_ms ?? base.timeoutMs,
      maxRetries: raw.max_retries ?? base.maxRetries,
      ...definedOnly({ retryDelayMs: raw.retry_delay_ms ?? base.retryDelayMs, unreachableAfterMs: raw.unreachable_after_ms ?? base.unreachableAfterMs }),
    };
  }
  return { ...base, ...modelOverrides(raw) };
}

function buildModel(
  raw: RawModel,
  provider: ProviderName,
  model: string,
  defaults: { maxTokens: number; timeoutMs: number; maxRetries: number },
): ModelConfig {
  return {
    provider,
    model,
    maxTokens: defaults.maxTokens,
    apiKeyEnv: [...DEFAULT_API_KEY_ENV[provider]],
    timeoutMs: defaults.timeoutMs,
    maxRetries: defaults.maxRetries,
    ...modelOverrides({ ...raw, provider: undefined, model: undefined }),
  };
}

/** Only the fields the raw model sets, renamed to camelCase. */
function modelOverrides(raw: RawModel): Partial<ModelConfig> {
  return definedOnly({
    provider: raw.provider,
    model: raw.model,
    temperature: raw.temperature,
    maxTokens: raw.max_tokens,
    baseUrl: raw.base_url,
    apiKeyEnv: raw.api_key_env === undefined ? undefined : [raw.api_key_env].flat(),
    timeoutMs: raw.timeout_ms,
    maxRetries: raw.max_retries,
    retryDelayMs: raw.retry_delay_ms,
    unreachableAfterMs: raw.unreachable_after_ms,
    concurrency: raw.concurrency,
    price: raw.price && { inputPerMTok: raw.price.input_per_mtok, outputPerMTok: raw.price.output_per_mtok },
    simLatencyMs: raw.sim_latency_ms,
  });
}

/** The ModelConfig part of a larger config (the optimizer's extra settings dropped). */
export function pickModelConfig(config: ModelConfig): ModelConfig {
  return definedOnly({
    provider: config.provider,
    model: config.model,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    baseUrl: config.baseUrl,
    apiKeyEnv: [...config.apiKeyEnv],
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    retryDelayMs: config.retryDelayMs,
    unreachableAfterMs: config.unreachableAfterMs,
    concurrency: config.concurrency,
    price: config.price && { ...config.price },
    simLatencyMs: config.simLatencyMs,
  }) as ModelConfig;
}

export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
