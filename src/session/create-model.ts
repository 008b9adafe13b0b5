/**
 * The one factory that turns a ModelConfig into a ready ChatModel:
 *
 *   withCircuitBreaker( withRetry( withRateLimit( withBreakerWatch( withKeyRotation( key → withCost(adapter(key)) ) ) ) ) )
 *
 * Retry is outside the limiter so backoff sleeps hold no rate-limit slot; the limiter sees every
 * attempt (and every 429); the breaker watches every attempt (not the time queued for a slot) and
 * cancels the whole call, backoff included, once the endpoint is found down; rotation happens
 * inside one attempt; cost is computed per call, so the key ledger sees it. The simulator skips keys and retries. A real provider without a key throws
 * MissingApiKeyError: there is never a silent fallback to the simulator.
 */
import { MissingApiKeyError } from '../errors.js';
import { anthropicTemperatureIssue, createAnthropicModel } from '../providers/anthropic/index.js';
import type { KeyLedger } from '../providers/key-ledger.js';
import { CircuitBreaker, withBreakerWatch, withCircuitBreaker } from '../providers/middleware/with-circuit-breaker.js';
import { withCost } from '../providers/middleware/with-cost.js';
import { lookupPrice } from '../providers/prices.js';
import { withKeyRotation } from '../providers/middleware/with-key-rotation.js';
import { defaultRateLimiters, withRateLimit, type RateLimiterRegistry } from '../providers/middleware/with-rate-limit.js';
import { withRetry, type RetryInfo } from '../providers/middleware/with-retry.js';
import { createOpenAIModel, openaiTemperatureIssue } from '../providers/openai/index.js';
import { PROVIDER_DEFAULTS, resolveEndpoint, type RealProvider } from '../providers/resolve-endpoint.js';
import { createSimModel } from '../sim/index.js';
import type { ChatModel, ModelConfig } from '../providers/types.js';

export type ModelRole = 'target' | 'optimizer' | 'judge';

export interface CreateModelOptions {
  role: ModelRole;
  /** Where API keys and base URLs are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** --trust-spec: the config's base_url may receive keys whatever its host (see resolve-endpoint.ts). */
  trustSpec?: boolean;
  /** One line per warning (e.g. a temperature the model cannot take). */
  warn?: (message: string) => void;
  /** Per-key tallies; pass the same ledger to every model to get one summary. */
  ledger?: KeyLedger;
  /** Per-provider concurrency limiters; the process-wide registry by default. */
  rateLimiters?: RateLimiterRegistry;
  /** Called before each retry's wait (for progress output and traces). */
  onRetry?: (info: RetryInfo) => void;
  /** Test seams for withRetry. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export function createModel(config: ModelConfig, options: CreateModelOptions): ChatModel {
  const { role } = options;
  const warn = options.warn ?? (() => {});
  const limiters = options.rateLimiters ?? defaultRateLimiters;

  const price = config.price ?? lookupPrice(config.provider, config.model);
  if (config.provider === 'sim') {
    const sim = withCost(createSimModel(config), config.price);
    // The simulator has no provider limits; cap it only when the spec asks (benchmarks).
    const model = config.concurrency ? withRateLimit(sim, limiters.get('sim', config.concurrency)) : sim;
    return { ...model, ...(price ? { price } : {}) };
  }

  const provider: RealProvider = config.provider;
  const env = options.env ?? process.env;
  const endpoint = resolveEndpoint(provider, config, env, role, { trustSpec: options.trustSpec });
  if (endpoint.keys.length === 0) {
    const needer = { role, model: config.model, ...(config.defaulted ? { defaulted: config.defaulted } : {}) };
    throw new MissingApiKeyError(provider, endpoint.keyEnv, { path: `${role}.provider` }, needer);
  }

  const issue = temperatureIssue(provider, config.model);
  if (config.temperature !== undefined && issue) {
    warn(`warning: ${issue}; ignoring ${role}.temperature=${config.temperature} for ${config.model}`);
  }

  const api = PROVIDER_DEFAULTS[provider].api;
  const rotating = withKeyRotation({
    provider,
    modelId: config.model,
    keys: endpoint.keys,
    ledger: options.ledger,
    createModel: ({ key }) =>
      withCost(
        api === 'anthropic'
          ? createAnthropicModel(config, { apiKey: key, baseUrl: endpoint.baseUrl })
          : createOpenAIModel(config, {
              provider: provider as Exclude<RealProvider, 'anthropic'>,
              apiKey: key,
              baseUrl: endpoint.baseUrl,
            }),
        config.price,
      ),
  });
  const breaker = new CircuitBreaker({ provider, endpoint: endpoint.baseUrl, windowMs: config.unreachableAfterMs });
  const limited = withRateLimit(withBreakerWatch(rotating, breaker), limiters.get(provider, config.concurrency));
  const retried = withRetry(limited, {
    maxRetries: config.maxRetries,
    baseDelayMs: config.retryDelayMs,
    sleep: options.sleep,
    random: options.random,
    onRetry: options.onRetry,
  });
  const model = withCircuitBreaker(retried, breaker);
  return { ...model, baseUrl: endpoint.baseUrl, ...(price ? { price } : {}), complete: model.complete };
}

function temperatureIssue(provider: RealProvider, model: string): string | undefined {
  return provider === 'anthropic' ? anthropicTemperatureIssue() : openaiTemperatureIssue(model);
}

/** `sim:sim-classifier (simulated)`, `anthropic:claude-haiku-4-5`. */
export function describeModel(model: Pick<ChatModel, 'provider' | 'modelId' | 'simulated'>): string {
  return `${model.provider}:${model.modelId}${model.simulated ? ' (simulated)' : ''}`;
}
