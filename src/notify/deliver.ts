/**
 * One webhook delivery: POST a JSON body, retried with exponential backoff and jitter on network
 * errors, timeouts, 408/425/429 and 5xx; a `Retry-After` the server sends is honoured. Never throws:
 * the outcome says whether it got through, after how many attempts, and why not.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { redactUrl, splitCredentials } from './url.js';

export const DELIVERY_DEFAULTS = {
  attempts: 3,
  baseDelayMs: 200,
  timeoutMs: 5_000,
  /** A server asking for a longer wait than this is given up on rather than waited for. */
  maxRetryAfterMs: 10_000,
} as const;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type SleepLike = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface DeliveryTuning {
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  maxRetryAfterMs?: number;
  /** Injected in unit tests; the global fetch by default. */
  fetch?: FetchLike;
  /** Injected in unit tests; a timer by default. Rejects when `signal` aborts. */
  sleep?: SleepLike;
  /** In [0, 1): the jitter. Math.random by default. */
  random?: () => number;
}

export interface DeliverOptions extends DeliveryTuning {
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Aborting it (Ctrl-C) ends the delivery: the attempt in flight and any retry. */
  signal?: AbortSignal;
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  error?: string;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

const defaultSleep: SleepLike = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

/** Backoff before retry `n` (1-based): base × 2^(n-1), the upper half jittered. */
export function backoffMs(n: number, baseDelayMs: number, random: () => number): number {
  const full = baseDelayMs * 2 ** (n - 1);
  return Math.round(full / 2 + (random() * full) / 2);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export async function deliver(options: DeliverOptions): Promise<DeliveryOutcome> {
  const attempts = Math.max(1, options.attempts ?? DELIVERY_DEFAULTS.attempts);
  const baseDelayMs = options.baseDelayMs ?? DELIVERY_DEFAULTS.baseDelayMs;
  const timeoutMs = options.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DELIVERY_DEFAULTS.maxRetryAfterMs;
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const { signal } = options;
  // `https://user:token@host/hook` is sent as Basic authentication (unless a header says otherwise).
  const target = splitCredentials(options.url);
  const given = options.headers ?? {};
  const hasAuthorization = Object.keys(given).some((name) => name.toLowerCase() === 'authorization');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'promptopt',
    ...(target.authorization && !hasAuthorization ? { authorization: target.authorization } : {}),
    ...given,
  };

  let last: DeliveryOutcome = { ok: false, attempts: 0, error: 'not attempted' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (signal?.aborted) return { ...last, ok: false, error: 'interrupted' };
    const result = await attemptOnce(fetchFn, target.url, { body: options.body, headers, timeoutMs, signal });
    last = { ok: result.ok, attempts: attempt, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error ? { error: result.error } : {}) };
    if (result.ok || !result.retryable || attempt === attempts) return last;
    let waitMs = backoffMs(attempt, baseDelayMs, random);
    if (result.retryAfterMs !== undefined) {
      if (result.retryAfterMs > maxRetryAfterMs) {
        return { ...last, error: `${last.error}; the server asked to retry after ${Math.ceil(result.retryAfterMs / 1000)} s, longer than the ${Math.ceil(maxRetryAfterMs / 1000)} s promptopt waits` };
      }
      waitMs = result.retryAfterMs;
    }
    try {
      await sleep(waitMs, signal);
    } catch {
      return { ...last, error: 'interrupted' };
    }
  }
  return last;
}

interface AttemptResult {
  ok: boolean;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  error?: string;
}

async function attemptOnce(
  fetchFn: FetchLike,
  url: string,
  init: { body: string; headers: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<AttemptResult> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let response: Response;
  try {
    // A webhook is its final address: a redirect is reported, not followed (it could carry the headers elsewhere).
    response = await fetchFn(url, { method: 'POST', body: init.body, headers: init.headers, signal, redirect: 'manual' });
  } catch (error) {
    if (init.signal?.aborted) return { ok: false, retryable: false, error: 'interrupted' };
    if (timeout.aborted) return { ok: false, retryable: true, error: `timed out after ${init.timeoutMs} ms` };
    return { ok: false, retryable: true, error: scrub(describeError(error), url) };
  }
  // The body is not used: release the connection.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, retryable: false, status };
  const retryable = status >= 500 || RETRYABLE_STATUS.has(status);
  const error = status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
  const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return { ok: false, retryable, status, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return typeof cause.message === 'string' ? cause.message : cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** An error message never repeats the raw URL (its query may hold a token). */
function scrub(message: string, url: string): string {
  return message.split(url).join(redactUrl(url));
}
