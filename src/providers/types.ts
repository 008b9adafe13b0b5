/**
 * The model contract: one chat completion in, text plus usage, latency and cost out.
 * Adapters (anthropic, openai, openai-compatible, openrouter, sim) implement `ChatModel`;
 * retry, key rotation, rate limiting, caching and cost accounting wrap it as middleware.
 */

export const PROVIDER_NAMES = ['anthropic', 'openai', 'openrouter', 'openai-compatible', 'sim'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  system?: string;
  messages: ChatMessage[];
  /** Sampling temperature. Adapters drop it where the model does not accept it. */
  temperature?: number;
  maxTokens: number;
  /**
   * Structured output (`response_format:` in the spec), in OpenAI's shape; the Anthropic adapter sends
   * a JSON schema as `output_config.format`. Part of the cache key when set.
   */
  responseFormat?: ResponseFormat;
  signal?: AbortSignal;
  /**
   * Called right before each attempt leaves for the provider (after any wait for a rate-limit slot):
   * the spend journal tells a call that was sent from one still queued. Not part of the request.
   */
  onSend?: () => void;
  /**
   * Called, and awaited, when an attempt failed and is about to be retried: the caller counts what the
   * provider may have billed for it, and may throw (a budget with no room for another attempt) to stop
   * the retries. Not part of the request.
   */
  onRetry?: (error: unknown) => Promise<void> | void;
}

/** OpenAI's `response_format`, as the spec writes it (and as the OpenAI API takes it). */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema: Record<string, unknown>; strict?: boolean } };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  text: string;
  usage: TokenUsage;
  /** Wall time of the call that produced this text (0 for a cache hit). */
  latencyMs: number;
  /** USD; null when the model has no known price (never reported as 0). */
  costUsd: number | null;
  model: string;
  finishReason?: string;
  /** Short, non-reversible fingerprint of the API key used (never the key). */
  keyFingerprint?: string;
  /** True when served from the on-disk cache. */
  cached?: boolean;
  /** Number of attempts this call took (1 = first try succeeded). */
  attempts?: number;
}

/** A configured model: provider + model id + how to reach it. */
export interface ChatModel {
  readonly provider: ProviderName;
  readonly modelId: string;
  /** True for the offline simulator: every place that shows its results says so. */
  readonly simulated: boolean;
  /** The endpoint it talks to (part of the cache key: two servers never share answers). */
  readonly baseUrl?: string;
  /** The price its cost is computed at (the spec's override or the price table); absent when unknown. */
  readonly price?: ModelPrice;
  complete(request: ChatRequest): Promise<ChatResponse>;
}

/** Price per million tokens, in USD. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** What the spec says about a model (target, optimizer, or judge), after normalization. */
export interface ModelConfig {
  provider: ProviderName;
  model: string;
  temperature?: number;
  maxTokens: number;
  baseUrl?: string;
  /** Environment variable names holding API keys, in priority order. */
  apiKeyEnv: string[];
  /** Per request (per attempt). */
  timeoutMs: number;
  maxRetries: number;
  /** First retry's backoff cap, doubled per retry (full jitter); 500 ms by default. */
  retryDelayMs?: number;
  /**
   * How long every request to this model may fail with a connection error or a timeout, without a
   * single answer, before the run stops (the circuit breaker); 20 s by default.
   */
  unreachableAfterMs?: number;
  /** Max requests in flight to this provider at once. */
  concurrency?: number;
  /** Price override from the spec. */
  price?: ModelPrice;
  /** Simulated latency for the `sim` provider, in ms (benchmarks). */
  simLatencyMs?: number;
  /**
   * Set when the spec does not name this model and a default chose it (said in run headers and in a
   * missing key's error): `provider-default` is the provider's default model (Claude Opus for anthropic,
   * the optimizer's default), `target` is the judge taking the target's model.
   */
  defaulted?: 'provider-default' | 'target';
}

/** One request/response, as the trace and the per-key ledger see it. */
export interface CallRecord {
  role: 'target' | 'optimizer' | 'judge';
  provider: ProviderName;
  model: string;
  request: ChatRequest;
  response?: ChatResponse;
  error?: { code: string; message: string };
}
