/** Response and error bodies of the fake LLM server, in each API's real shape. */
import type { FakeApi, FakeReply, FakeRequest } from '../fake-llm-server.js';
import { HttpError } from './validate.js';

export function authError(api: FakeApi, auth: 'missing' | 'invalid', key: string | undefined): HttpError {
  if (api === 'anthropic') {
    return new HttpError(401, auth === 'missing' ? 'x-api-key header is required' : 'invalid x-api-key', { type: 'authentication_error' });
  }
  // Like the real API, echo a masked key: clients must not let even this reach their logs.
  const masked = key ? `${key.slice(0, 3)}${'*'.repeat(Math.max(3, key.length - 7))}${key.slice(-4)}` : '';
  return new HttpError(
    401,
    auth === 'missing'
      ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      : `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    { type: 'invalid_request_error', code: auth === 'missing' ? null : 'invalid_api_key' },
  );
}

const ERROR_TYPES: Record<number, { anthropic: string; openai: string }> = {
  400: { anthropic: 'invalid_request_error', openai: 'invalid_request_error' },
  401: { anthropic: 'authentication_error', openai: 'invalid_request_error' },
  402: { anthropic: 'billing_error', openai: 'invalid_request_error' },
  403: { anthropic: 'permission_error', openai: 'invalid_request_error' },
  404: { anthropic: 'not_found_error', openai: 'invalid_request_error' },
  413: { anthropic: 'request_too_large', openai: 'invalid_request_error' },
  429: { anthropic: 'rate_limit_error', openai: 'requests' },
  500: { anthropic: 'api_error', openai: 'server_error' },
  503: { anthropic: 'api_error', openai: 'server_error' },
  504: { anthropic: 'timeout_error', openai: 'server_error' },
  529: { anthropic: 'overloaded_error', openai: 'server_error' },
};

export function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests';
  if (status === 529) return 'Overloaded';
  if (status === 503) return 'Service unavailable';
  if (status >= 500) return 'Internal server error';
  return `Request failed with status ${status}`;
}

export function errorBody(api: FakeApi, error: HttpError): unknown {
  const known = ERROR_TYPES[error.status] ?? (error.status >= 500 ? ERROR_TYPES[500]! : ERROR_TYPES[400]!);
  if (api === 'anthropic') {
    return { type: 'error', error: { type: error.extra.type ?? known.anthropic, message: error.message } };
  }
  return {
    error: {
      message: error.message,
      type: error.extra.type ?? known.openai,
      param: error.extra.param ?? null,
      code: error.extra.code ?? (error.status === 429 && !error.extra.type ? 'rate_limit_exceeded' : null),
    },
  };
}

export function successBody(
  api: FakeApi,
  request: FakeRequest,
  reply: Exclude<FakeReply, string>,
): Record<string, unknown> {
  const maxTokens = (api === 'openai' ? (request.body.max_completion_tokens ?? request.body.max_tokens) : request.body.max_tokens) as
    | number
    | undefined;
  let text = reply.text;
  let truncated = false;
  if (maxTokens !== undefined && text.length > maxTokens * 4) {
    text = text.slice(0, maxTokens * 4);
    truncated = true;
  }
  const promptChars = (request.system ?? '').length + request.messages.reduce((n, m) => n + m.content.length, 0);
  const usage = reply.usage ?? { inputTokens: Math.max(1, Math.ceil(promptChars / 4)), outputTokens: Math.max(1, Math.ceil(text.length / 4)) };
  const id = `fake_${request.index}`;
  if (api === 'openai') {
    return {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created: 1_700_000_000 + request.index,
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: reply.finishReason ?? (truncated ? 'length' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    };
  }
  const content: unknown[] = [];
  if (reply.thinking !== undefined) content.push({ type: 'thinking', thinking: reply.thinking, signature: 'fake-signature' });
  content.push({ type: 'text', text, citations: null });
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: reply.finishReason ?? (truncated ? 'max_tokens' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}

export function defaultRespond(request: FakeRequest): string {
  const last = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return `fake ${request.api} reply from ${request.model}: ${last.slice(0, 200)}`;
}
