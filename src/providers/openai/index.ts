/**
 * OpenAI Chat Completions adapter (`openai` SDK `chat.completions.create`), also used for
 * OpenRouter and any OpenAI-compatible server (same wire API, another base URL).
 * Temperature is sent only when set and accepted: reasoning models (o1, o3, gpt-5, ...) reject it.
 */
import type OpenAI from 'openai';
import { malformedResponse, mapProviderError, unparseableResponse } from '../map-provider-error.js';
import type { ChatModel, ChatRequest, ChatResponse, ModelConfig } from '../types.js';

export type OpenAIFamily = 'openai' | 'openrouter' | 'openai-compatible';

export interface OpenAIAdapterOptions {
  provider: OpenAIFamily;
  apiKey: string;
  baseUrl: string;
}

const REASONING_MODEL = /^(o\d|gpt-5)/;

/** `openai/o3` → `o3`: OpenRouter ids carry a vendor prefix. */
function bareModelId(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

/** Why this model cannot take a temperature, or undefined when it can. */
export function openaiTemperatureIssue(model: string): string | undefined {
  return REASONING_MODEL.test(bareModelId(model))
    ? `openai reasoning models (o-series, gpt-5) do not accept temperature`
    : undefined;
}

export function createOpenAIModel(config: ModelConfig, options: OpenAIAdapterOptions): ChatModel {
  const { provider } = options;
  // The SDK is loaded on the first call, so a run that uses another provider never loads it.
  let client: Promise<OpenAI> | undefined;
  const getClient = () =>
    (client ??= import('openai').then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          apiKey: options.apiKey,
          baseURL: options.baseUrl,
          organization: null, // never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID behind the spec's back
          project: null,
          maxRetries: 0, // withRetry owns retries
          timeout: config.timeoutMs,
        }),
    ));
  const secrets = [options.apiKey];
  const acceptsTemperature = openaiTemperatureIssue(config.model) === undefined;
  // OpenAI itself wants max_completion_tokens (max_tokens is rejected by reasoning models);
  // OpenRouter and most compatible servers (vLLM, Ollama, llama.cpp) know max_tokens.
  const tokenField = provider === 'openai' ? 'max_completion_tokens' : 'max_tokens';

  return {
    provider,
    modelId: config.model,
    simulated: false,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const temperature = request.temperature ?? config.temperature;
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
        ...request.messages.map((m) => ({ role: m.role, content: m.content })),
      ];
      const started = performance.now();
      let completion: unknown;
      try {
        completion = await (await getClient()).chat.completions.create(
          {
            model: config.model,
            messages,
            [tokenField]: request.maxTokens,
            ...(temperature !== undefined && acceptsTemperature ? { temperature } : {}),
            ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
          },
          { signal: request.signal },
        );
      } catch (error) {
        if (request.signal?.aborted) throw error;
        throw mapProviderError(provider, error, { secrets });
      }
      return {
        ...readCompletion(completion, provider, config.model),
        latencyMs: Math.round(performance.now() - started),
      };
    },
  };
}

/** A chat.completion body → text and usage, or malformed_response (unparseable_response for a body that is not JSON). */
export function readCompletion(
  body: unknown,
  provider: OpenAIFamily,
  fallbackModel: string,
): Omit<ChatResponse, 'latencyMs'> {
  // The SDKs hand back a non-JSON body (e.g. a proxy's text/html error page) as a string.
  if (typeof body === 'string') throw unparseableResponse(provider, `body is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  if (!body || typeof body !== 'object') throw malformedResponse(provider, 'body is not a JSON object');
  const { choices, usage, model } = body as Record<string, unknown>;
  const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
  if (!choice || typeof choice !== 'object') throw malformedResponse(provider, 'no `choices[0]`');
  const message = (choice.message ?? {}) as Record<string, unknown>;
  let text: string;
  if (typeof message.content === 'string') text = message.content;
  else if (typeof message.refusal === 'string') text = ''; // a refusal is an (empty) answer, not a broken body
  else throw malformedResponse(provider, 'no `choices[0].message.content`');
  const u = (usage ?? {}) as Record<string, unknown>;
  if (typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') {
    throw malformedResponse(provider, 'no `usage.prompt_tokens`/`usage.completion_tokens`');
  }
  const finish = choice.finish_reason;
  return {
    text,
    usage: { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens },
    costUsd: null, // filled in by withCost
    model: typeof model === 'string' ? model : fallbackModel,
    finishReason: typeof finish === 'string' ? finish : typeof message.refusal === 'string' ? 'refusal' : undefined,
  };
}
