/**
 * Raw model fields (target, optimizer, judge) -> ModelConfig with defaults: API-key variables per
 * provider, token limits, timeouts. The judge, when not given, is the target's model.
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
/** A verdict is short: `{"pass", "score", "reason"}`. */
export const JUDGE_DEFAULT_MAX_TOKENS = 1024;

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
  let defaulted = false;
  if (model === undefined) {
    if (provider === OPTIMIZER_DEFAULT_PROVIDER) {
      model = OPTIMIZER_DEFAULT_MODEL;
      defaulted = true;
    } else {
      issues.push(
        issueAt([...path, 'model'], `a model is required with provider "${provider}"`, {
          hint: `only provider ${OPTIMIZER_DEFAULT_PROVIDER} has a default model (${OPTIMIZER_DEFAULT_MODEL})`,
        }),
      );
      model = '';
    }
  }
  const config = buildModel(raw, provider, model, OPTIMIZER_DEFAULTS);
  return defaulted ? { ...config, defaulted: 'provider-default' } : config;
}

/**
 * The judge (llm-rubric's grader). Without `judge:`, the target's model: same provider, key, base URL
 * and price, so an eval never needs another provider's key nor bills a model the spec does not name
 * (a stronger grader is one `judge:` away). Its own defaults: max_tokens 1024 and timeout 60 s (a
 * verdict is short); the target's temperature is not taken. `judge:` fields go on top; when the judge
 * names another provider, the provider-bound fields (model, base_url, keys, price) are not inherited
 * and the model is required (anthropic's default is Claude Opus, as for the optimizer).
 */
export function normalizeJudge(raw: RawModel | undefined, target: ModelConfig, issueAt: IssueAt, issues: SpecIssue[]): ModelConfig {
  const { temperature: _notTaken, ...fromTarget } = pickModelConfig(target);
  const base: ModelConfig = { ...fromTarget, maxTokens: JUDGE_DEFAULT_MAX_TOKENS, timeoutMs: JUDGE_DEFAULT_TIMEOUT_MS };
  if (raw === undefined) return { ...base, defaulted: 'target' };
  if (raw.provider !== undefined && raw.provider !== target.provider) {
    const own = normalizeOptimizerModel(raw, ['judge'], issueAt, issues);
    return {
      ...own,
      ...definedOnly({ temperature: raw.temperature, concurrency: raw.concurrency ?? base.concurrency }),
      maxTokens: raw.max_tokens ?? base.maxTokens,
      timeoutMs: raw.timeout_ms ?? base.timeoutMs,
      maxRetries: raw.max_retries ?? base.maxRetries,
      ...definedOnly({ retryDelayMs: raw.retry_delay_ms ?? base.retryDelayMs, unreachableAfterMs: raw.unreachable_after_ms ?? base.unreachableAfterMs }),
    };
  }
  // Another model of the target's provider: the target's price is not its price.
  const ownPrice = raw.model !== undefined && raw.model !== target.model && raw.price === undefined;
  const { price: _targetPrice, ...unpriced } = base;
  return { ...(ownPrice ? unpriced : base), ...modelOverrides(raw) };
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
