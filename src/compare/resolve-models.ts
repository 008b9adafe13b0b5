/**
 * `--models openai:gpt-4o-mini,anthropic:claude-haiku-4-5` -> model configs. Each takes the spec's
 * target settings (max_tokens, temperature, timeout, retries) with its own provider and model.
 * Provider-bound settings (base_url, api_key_env, concurrency) carry over only when the provider is
 * the target's, and the target's price only to the target's own model. Without `--models`, the
 * spec's target.
 */
import { UsageError } from '../errors.js';
import { PROVIDER_NAMES, type ModelConfig, type ProviderName } from '../providers/types.js';
import { didYouMean } from '../spec/did-you-mean.js';
import { DEFAULT_API_KEY_ENV, definedOnly } from '../spec/model-config.js';
import { splitList } from './resolve-versions.js';
import type { CompareModel } from './types.js';

export function modelLabel(config: Pick<ModelConfig, 'provider' | 'model'>): string {
  return `${config.provider}:${config.model}`;
}

export function resolveModels(value: string | undefined, target: ModelConfig): CompareModel[] {
  if (value === undefined) return [{ label: modelLabel(target), config: target }];
  const models = splitList('--models', value).map((entry) => {
    const { provider, model } = parseModelRef(entry);
    const config = modelConfigFor(target, provider, model);
    return { label: modelLabel(config), config };
  });
  const labels = models.map((m) => m.label);
  const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
  if (duplicate !== undefined) throw new UsageError(`--models lists ${duplicate} twice`);
  return models;
}

/** `provider:model`, split at the first colon (model ids may contain colons). */
export function parseModelRef(entry: string): { provider: ProviderName; model: string } {
  const colon = entry.indexOf(':');
  if (colon <= 0 || colon === entry.length - 1) {
    throw new UsageError(`--models: "${entry}" is not provider:model`, `e.g. openai:gpt-4o-mini; providers: ${PROVIDER_NAMES.join(', ')}`);
  }
  const provider = entry.slice(0, colon).trim();
  const model = entry.slice(colon + 1).trim();
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
    const suggestion = didYouMean(provider, PROVIDER_NAMES);
    throw new UsageError(
      `--models: unknown provider "${provider}" in "${entry}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      `providers: ${PROVIDER_NAMES.join(', ')}`,
    );
  }
  return { provider: provider as ProviderName, model };
}

export function modelConfigFor(target: ModelConfig, provider: ProviderName, model: string): ModelConfig {
  const sameProvider = provider === target.provider;
  const sameModel = sameProvider && model === target.model;
  return definedOnly({
    provider,
    model,
    temperature: target.temperature,
    maxTokens: target.maxTokens,
    timeoutMs: target.timeoutMs,
    maxRetries: target.maxRetries,
    retryDelayMs: target.retryDelayMs,
    unreachableAfterMs: target.unreachableAfterMs,
    apiKeyEnv: sameProvider ? [...target.apiKeyEnv] : [...DEFAULT_API_KEY_ENV[provider]],
    baseUrl: sameProvider ? target.baseUrl : undefined,
    concurrency: sameProvider ? target.concurrency : undefined,
    price: sameModel ? target.price : undefined,
    simLatencyMs: sameProvider ? target.simLatencyMs : undefined,
  }) as ModelConfig;
}
