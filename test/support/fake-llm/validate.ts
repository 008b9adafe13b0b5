/** Strict request validation for the fake LLM server, with each API's own 400 messages. */
import type { FakeApi, FakeChatMessage, FakeRequest } from '../fake-llm-server.js';

/** From this API version on, temperature/top_p/top_k are rejected. */
export const ANTHROPIC_TEMPERATURE_CUTOFF = '2026-10-21';

const OPENAI_FIELDS = new Set([
  'model', 'messages', 'audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias', 'logprobs',
  'max_completion_tokens', 'max_tokens', 'metadata', 'modalities', 'moderation', 'n', 'parallel_tool_calls',
  'prediction', 'presence_penalty', 'prompt_cache_key', 'prompt_cache_options', 'prompt_cache_retention',
  'reasoning_effort', 'response_format', 'safety_identifier', 'seed', 'service_tier', 'stop', 'store', 'stream',
  'stream_options', 'temperature', 'tool_choice', 'tools', 'top_logprobs', 'top_p', 'user', 'verbosity',
  'web_search_options',
]);
const OPENAI_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const REASONING_MODEL = /^(o\d|gpt-5)/;

const ANTHROPIC_FIELDS = new Set([
  'model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream', 'thinking', 'tool_choice',
  'tools', 'service_tier', 'output_config', 'container', 'cache_control', 'diagnostics', 'inference_geo', 'speed',
  'temperature', 'top_p', 'top_k', 'mcp_servers', 'context_management',
]);

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { type?: string; param?: string | null; code?: string | null } = {},
  ) {
    super(message);
  }
}

export function validateOpenAI(body: Record<string, unknown>, index: number): FakeRequest {
  for (const field of Object.keys(body)) {
    if (!OPENAI_FIELDS.has(field)) throw invalid(`Unrecognized request argument supplied: ${field}`, field);
  }
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalid(body.model === undefined ? 'you must provide a model parameter' : "Invalid type for 'model': expected a string.", 'model');
  }
  const model = body.model;
  if (!Array.isArray(body.messages)) {
    throw invalid(body.messages === undefined ? "Missing required parameter: 'messages'." : "Invalid type for 'messages': expected an array.", 'messages');
  }
  if (body.messages.length === 0) throw invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages');
  const all = body.messages.map((m, i) => readMessage(m, `messages[${i}]`, OPENAI_ROLES, 'openai'));
  if (body.stream) throw invalid('The fake server does not stream: stream must be false or absent.', 'stream');
  for (const field of ['max_completion_tokens', 'max_tokens'] as const) {
    const v = body[field];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || (v as number) < 1)) {
      throw invalid(`Invalid '${field}': expected an integer >= 1.`, field);
    }
  }
  if (body.temperature !== undefined && body.temperature !== null) {
    const t = body.temperature;
    if (typeof t !== 'number' || t < 0 || t > 2) throw invalid("Invalid 'temperature': expected a number between 0 and 2.", 'temperature');
    if (REASONING_MODEL.test(model) && t !== 1) {
      throw invalid(`Unsupported value: 'temperature' does not support ${t} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
    }
  }
  if (REASONING_MODEL.test(model) && body.max_tokens !== undefined) {
    throw invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  if (body.response_format !== undefined) validateResponseFormat(body.response_format, all);
  const system = all.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content);
  return {
    api: 'openai',
    model,
    system: system.length > 0 ? system.join('\n\n') : undefined,
    messages: all.filter((m) => m.role !== 'system' && m.role !== 'developer'),
    body,
    index,
  };
}

export function validateAnthropic(body: Record<string, unknown>, version: string | undefined, index: number): FakeRequest {
  if (!version) throw invalid('anthropic-version: header is required');
  for (const field of Object.keys(body)) {
    if (!ANTHROPIC_FIELDS.has(field)) throw invalid(`${field}: Extra inputs are not permitted`);
  }
  if (version >= ANTHROPIC_TEMPERATURE_CUTOFF) {
    for (const field of ['temperature', 'top_p', 'top_k']) {
      if (field in body) throw invalid(`${field} is not supported on this API version (anthropic-version ${version})`);
    }
  }
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: Field required');
  if (body.max_tokens === undefined) throw invalid('max_tokens: Field required');
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    throw invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  }
  if (!Array.isArray(body.messages)) throw invalid(body.messages === undefined ? 'messages: Field required' : 'messages: Input should be a valid list');
  if (body.messages.length === 0) throw invalid('messages: at least one message is required');
  const messages = body.messages.map((m, i) => readMessage(m, `messages.${i}`, new Set(['user', 'assistant']), 'anthropic'));
  if (body.output_config !== undefined) validateOutputConfig(body.output_config);
  if (body.stream) throw invalid('stream: the fake server does not stream');
  let system: string | undefined;
  if (body.system !== undefined) {
    if (typeof body.system === 'string') system = body.system;
    else if (Array.isArray(body.system) && body.system.every(isTextBlock)) system = body.system.map((b) => b.text).join('\n');
    else throw invalid('system: Input should be a valid string or a list of text blocks');
  }
  return { api: 'anthropic', model: body.model, system, messages, body, index };
}

const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** OpenAI's `response_format`, checked as the API does (json_object also needs the word "json" in the messages). */
function validateResponseFormat(format: unknown, messages: FakeChatMessage[]): void {
  if (!isObject(format)) throw invalid("Invalid type for 'response_format': expected an object.", 'response_format');
  const { type } = format;
  if (type !== 'text' && type !== 'json_object' && type !== 'json_schema') {
    throw invalid(`Invalid value: '${String(type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'response_format.type', 'invalid_value');
  }
  if (type === 'json_object' && !messages.some((m) => /json/i.test(m.content))) {
    throw invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
  }
  if (type !== 'json_schema') return;
  const schema = format.json_schema;
  if (!isObject(schema)) throw invalid("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema', 'missing_required_parameter');
  if (typeof schema.name !== 'string' || !SCHEMA_NAME.test(schema.name)) {
    throw invalid("Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", 'response_format.json_schema.name', 'invalid_value');
  }
  if (schema.schema !== undefined && !isObject(schema.schema)) throw invalid("Invalid type for 'response_format.json_schema.schema': expected an object.", 'response_format.json_schema.schema');
  if (schema.strict !== undefined && schema.strict !== null && typeof schema.strict !== 'boolean') {
    throw invalid("Invalid type for 'response_format.json_schema.strict': expected a boolean.", 'response_format.json_schema.strict');
  }
}

/** Anthropic's `output_config`: `effort` and `format` (a JSON schema) only. */
function validateOutputConfig(config: unknown): void {
  if (!isObject(config)) throw invalid('output_config: Input should be a valid dictionary');
  for (const key of Object.keys(config)) if (key !== 'effort' && key !== 'format') throw invalid(`output_config.${key}: Extra inputs are not permitted`);
  const format = config.format;
  if (format === undefined || format === null) return;
  if (!isObject(format)) throw invalid('output_config.format: Input should be a valid dictionary');
  for (const key of Object.keys(format)) if (key !== 'type' && key !== 'schema') throw invalid(`output_config.format.${key}: Extra inputs are not permitted`);
  if (format.type !== 'json_schema') throw invalid(`output_config.format.type: Input should be 'json_schema'`);
  if (!isObject(format.schema)) throw invalid('output_config.format.schema: Field required');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMessage(raw: unknown, where: string, roles: Set<string>, api: FakeApi): FakeChatMessage {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${where}: Input should be an object`, where);
  const { role, content } = raw as Record<string, unknown>;
  if (typeof role !== 'string') throw invalid(`${where}.role: Field required`, `${where}.role`);
  if (!roles.has(role)) {
    throw invalid(
      api === 'anthropic' && role === 'system'
        ? `${where}.role: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`
        : `${where}.role: Input should be ${[...roles].map((r) => `'${r}'`).join(' or ')}`,
      `${where}.role`,
    );
  }
  if (typeof content === 'string') return { role, content };
  if (Array.isArray(content) && content.every(isTextBlock)) return { role, content: content.map((b) => b.text).join('\n') };
  throw invalid(`${where}.content: Input should be a valid string or a list of content blocks`, `${where}.content`);
}

function isTextBlock(block: unknown): block is { type: 'text'; text: string } {
  return !!block && typeof block === 'object' && (block as { type?: unknown }).type === 'text' && typeof (block as { text?: unknown }).text === 'string';
}

export function invalid(message: string, param: string | null = null, code: string | null = null): HttpError {
  return new HttpError(400, message, { type: 'invalid_request_error', param, code });
}

export function parseJsonObject(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('We could not parse the JSON body of your request. The body must be valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}
