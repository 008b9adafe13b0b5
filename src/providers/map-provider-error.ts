/**
 * The one place that turns whatever a provider SDK throws into a `ProviderError` with a kind
 * (and so whether it is retryable or rotates the key) and the wait the server asked for.
 * Both SDKs (Anthropic, OpenAI) are Stainless-generated, so their errors share a shape:
 * `status`, `headers`, `error` (the parsed body). We read that shape, not the classes, except for
 * the connection and timeout classes, which carry no status.
 */
import { ProviderError, type ProviderErrorKind } from '../errors.js';

/** Body codes/types that mean "out of credit" rather than "slow down". */
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_error', 'billing_hard_limit_reached']);
const CREDIT_MESSAGE = /credit balance|insufficient (?:credit|funds|quota)|billing|purchase credits|exceeded your current quota/i;

/** What a provider told us about a failed HTTP call, after unwrapping the SDK error. */
export interface HttpFailure {
  status: number;
  /** `error.type` (Anthropic, OpenAI) of the body, if any. */
  type?: string;
  /** `error.code` (OpenAI) of the body, if any. */
  code?: string;
  message: string;
}

/** Status + body → kind. Pure; the table the brief asked for. */
export function classifyHttpFailure({ status, type, code, message }: HttpFailure): ProviderErrorKind {
  const quotaBody = QUOTA_CODES.has(code ?? '') || QUOTA_CODES.has(type ?? '');
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429) return quotaBody ? 'quota' : 'rate_limit';
  if (status === 400 && (quotaBody || CREDIT_MESSAGE.test(message))) return 'quota';
  if (status === 408) return 'timeout';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/**
 * Milliseconds the server asked us to wait: `retry-after-ms` (float ms) wins over `retry-after`
 * (seconds, or an HTTP date). Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = readHeader(headers, 'retry-after');
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A 2xx whose JSON body lacks what we need (no text, no usage): asking again will not help. */
export function malformedResponse(provider: string, detail: string, cause?: unknown): ProviderError {
  return new ProviderError(provider, 'malformed_response', `malformed response: ${detail}`, { cause });
}

/**
 * A 2xx whose body is not JSON at all: cut off on the way (truncated), or a proxy's HTML page in
 * place of the API's answer. A transport accident, retried like a 5xx.
 */
export function unparseableResponse(provider: string, detail: string, cause?: unknown): ProviderError {
  return new ProviderError(provider, 'unparseable_response', `unparseable response: ${detail}`, { cause });
}

export interface MapErrorOptions {
  /** Secrets (API keys) to scrub from messages: they must never reach logs or reports. */
  secrets?: string[];
}

/** Any error thrown while calling a provider → a ProviderError. Already-mapped errors pass through. */
export function mapProviderError(provider: string, error: unknown, options: MapErrorOptions = {}): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string) => redactSecrets(text, options.secrets ?? []);

  if (isInstanceOfNamed(error, 'APIConnectionTimeoutError')) {
    return new ProviderError(provider, 'timeout', 'request timed out', { cause: error });
  }
  if (isInstanceOfNamed(error, 'APIConnectionError')) {
    // fetch wraps the reason: TypeError('fetch failed') caused by Error('connect ECONNREFUSED 127.0.0.1:9').
    let cause = (error as { cause?: unknown }).cause;
    while (cause instanceof Error && cause.cause instanceof Error && cause.cause.message) cause = cause.cause;
    const detail = cause instanceof Error && cause.message ? `: ${scrub(cause.message)}` : '';
    return new ProviderError(provider, 'connection', `connection failed${detail}`, { cause: error });
  }
  // The SDKs parse a 2xx body with response.json(); invalid JSON surfaces as a SyntaxError.
  if (error instanceof SyntaxError) {
    return unparseableResponse(provider, `body is not valid JSON (${scrub(error.message)})`, error);
  }
  // A connection closed while the body was being read: fetch (undici) throws TypeError('terminated').
  if (isBodyCutOff(error)) {
    return new ProviderError(provider, 'connection', 'connection closed while reading the response body', { cause: error });
  }

  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    const body = readErrorBody((error as { error?: unknown }).error);
    const fallback = error instanceof Error ? error.message : String(error);
    const message = scrub(body.message ?? fallback);
    const kind = classifyHttpFailure({ status, type: body.type, code: body.code, message });
    const retryAfterMs = parseRetryAfter((error as { headers?: HeaderSource }).headers);
    const label = [body.type, body.code].filter((s, i, all) => s && all.indexOf(s) === i).join('/');
    return new ProviderError(provider, kind, `${status}${label ? ` ${label}` : ''}: ${message}`, {
      status,
      retryAfterMs,
      cause: error,
    });
  }

  // Anything else (an SDK precondition, a bug in a compatible server's shape, ...) is not worth retrying.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(provider, 'bad_request', scrub(message), { cause: error });
}

/** undici's error for a body stream that ended early: TypeError('terminated'), caused by a socket error. */
function isBodyCutOff(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return error.message === 'terminated' || (typeof code === 'string' && code.startsWith('UND_ERR_'));
}

/**
 * True when `error` is an instance of a class with this name, in either SDK. Checked by name along the
 * prototype chain so this module does not load the SDKs: a run loads only the SDK it uses.
 */
function isInstanceOfNamed(error: unknown, name: string): boolean {
  for (let proto = error === null || typeof error !== 'object' ? null : Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

/**
 * The error body as the two SDKs store it: Anthropic keeps the whole body
 * (`{type:'error', error:{type, message}}`), OpenAI keeps the inner object (`{message, type, code}`).
 */
function readErrorBody(raw: unknown): { type?: string; code?: string; message?: string } {
  if (!raw || typeof raw !== 'object') return {};
  const outer = raw as Record<string, unknown>;
  const inner = (outer.error && typeof outer.error === 'object' ? outer.error : outer) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { type: str(inner.type), code: str(inner.code), message: str(inner.message) };
}

/** Removes each secret and any masked key echo (OpenAI says "Incorrect API key provided: sk-ab***yz12"). */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/\S*\*{3,}\S*/g, '[redacted]');
}
