/**
 * Anthropic Messages API adapter (`@anthropic-ai/sdk` `messages.create`). The SDK sends
 * anthropic-version 2026-10-21, which has no temperature/top_p/top_k: we never send them
 * (createModel warns once when the spec sets a temperature). Only `text` blocks make the answer;
 * `thinking` and other blocks are ignored.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { malformedResponse, mapProviderError, unparseableResponse } from '../map-provider-error.js';
import { PromptoptError, EXIT } from '../../errors.js';
import type { ChatModel, ChatRequest, ChatResponse, ModelConfig, ResponseFormat } from '../types.js';

export const ANTHROPIC_API_VERSION = '2026-10-21';

export interface AnthropicAdapterOptions {
  apiKey: string;
  baseUrl: string;
}

/** Why a temperature in the spec cannot be honoured (always, on this API version). */
export function anthropicTemperatureIssue(): string {
  return `anthropic API ${ANTHROPIC_API_VERSION} does not accept temperature`;
}

export function createAnthropicModel(config: ModelConfig, options: AnthropicAdapterOptions): ChatModel {
  // The SDK is loaded on the first call, so a run that uses another provider never loads it.
  let client: Promise<Anthropic> | undefined;
  const getClient = () =>
    (client ??= import('@anthropic-ai/sdk').then(
      ({ default: AnthropicClient }) =>
        new AnthropicClient({
          apiKey: options.apiKey,
          baseURL: options.baseUrl,
          maxRetries: 0, // withRetry owns retries
          timeout: config.timeoutMs,
        }),
    ));
  const secrets = [options.apiKey];

  return {
    provider: 'anthropic',
    modelId: config.model,
    simulated: false,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const output = outputConfig(request.responseFormat);
      const started = performance.now();
      let message: unknown;
      try {
        message = await (await getClient()).messages.create(
          {
            model: config.model,
            max_tokens: request.maxTokens,
            messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
            ...(request.system ? { system: request.system } : {}),
            ...output,
          },
          { signal: request.signal },
        );
      } catch (error) {
        if (request.signal?.aborted) throw error;
        throw mapProviderError('anthropic', error, { secrets });
      }
      return { ...readMessage(message, config.model), latencyMs: Math.round(performance.now() - started) };
    },
  };
}

/**
 * OpenAI's `response_format` in the Messages API's terms: a JSON schema becomes `output_config.format`
 * (structured outputs); `text` asks for nothing. `json_object` has no counterpart (the API has no JSON
 * mode without a schema): the spec rules refuse it for an anthropic target, and a compare run with an
 * anthropic model stops here, before the request.
 */
export function outputConfig(format: ResponseFormat | undefined): { output_config?: Anthropic.OutputConfig } {
  if (!format || format.type === 'text') return {};
  if (format.type === 'json_schema') return { output_config: { format: { type: 'json_schema', schema: format.json_schema.schema } } };
  throw new PromptoptError('RESPONSE_FORMAT_UNSUPPORTED', 'response_format type json_object cannot be sent to anthropic: its API takes a JSON schema (output_config.format), and has no JSON mode without one', {
    exitCode: EXIT.badInput,
    location: { path: 'response_format' },
    hint: 'use type: json_schema with json_schema: { name, schema }',
  });
}

/** A Messages API body → text and usage, or malformed_response (unparseable_response for a body that is not JSON). */
export function readMessage(body: unknown, fallbackModel: string): Omit<ChatResponse, 'latencyMs'> {
  // The SDKs hand back a non-JSON body (e.g. a proxy's text/html error page) as a string.
  if (typeof body === 'string') throw unparseableResponse('anthropic', `body is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  if (!body || typeof body !== 'object') throw malformedResponse('anthropic', 'body is not a JSON object');
  const { content, usage, model, stop_reason } = body as Record<string, unknown>;
  if (!Array.isArray(content)) throw malformedResponse('anthropic', 'no `content` array');
  const texts = content.filter(
    (block): block is { type: 'text'; text: string } =>
      !!block && typeof block === 'object' && block.type === 'text' && typeof block.text === 'string',
  );
  const u = (usage ?? {}) as Record<string, unknown>;
  if (typeof u.input_tokens !== 'number' || typeof u.output_tokens !== 'number') {
    throw malformedResponse('anthropic', 'no `usage.input_tokens`/`usage.output_tokens`');
  }
  return {
    text: texts.map((b) => b.text).join(''),
    usage: { inputTokens: u.input_tokens, outputTokens: u.output_tokens },
    costUsd: null, // filled in by withCost
    model: typeof model === 'string' ? model : fallbackModel,
    finishReason: typeof stop_reason === 'string' ? stop_reason : undefined,
  };
}
