/**
 * One line of `trace.jsonl`: one LLM call, in the file's snake_case shape, and the pure conversion
 * from the runner's call event.
 */
import type { CallEvent } from '../runner/model-caller.js';
import type { ChatMessage, ResponseFormat } from '../providers/types.js';
import type { CallRole } from '../runner/spend-ledger.js';

export interface TraceEntry {
  at: string;
  role: CallRole;
  provider: string;
  model: string;
  simulated: boolean;
  iteration?: number;
  /** Candidate index or id within the iteration. */
  candidate?: number | string;
  phase?: string;
  case_id?: string;
  sample: number;
  cache_hit: boolean;
  request: {
    system?: string;
    messages: ChatMessage[];
    temperature?: number;
    max_tokens: number;
    /** The structured-output format the request asked for (the spec's `response_format`). */
    response_format?: ResponseFormat;
  };
  /** The model's text; null when the call failed. */
  output: string | null;
  input_tokens: number;
  output_tokens: number;
  /** USD; null when the price is unknown. 0 for a cache hit. */
  cost_usd: number | null;
  latency_ms: number;
  error?: { code: string; message: string };
}

export function traceEntryFromCall(event: CallEvent): TraceEntry {
  const { request, response, meta } = event;
  const entry: TraceEntry = {
    at: event.at,
    role: event.role,
    provider: event.provider,
    model: event.model,
    simulated: event.simulated,
    sample: event.sample,
    cache_hit: event.cacheHit,
    request: {
      system: request.system,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
    },
    output: response ? response.text : null,
    input_tokens: response?.usage.inputTokens ?? 0,
    output_tokens: response?.usage.outputTokens ?? 0,
    cost_usd: event.cacheHit ? 0 : (response?.costUsd ?? (response ? null : 0)),
    latency_ms: event.cacheHit ? 0 : (response?.latencyMs ?? 0),
  };
  if (meta.iteration !== undefined) entry.iteration = meta.iteration;
  if (meta.candidate !== undefined) entry.candidate = meta.candidate;
  if (meta.phase !== undefined) entry.phase = meta.phase;
  if (meta.caseId !== undefined) entry.case_id = meta.caseId;
  if (event.error) entry.error = { ...event.error };
  return entry;
}
