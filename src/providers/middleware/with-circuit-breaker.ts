/**
 * The circuit breaker: when every attempt to reach a model fails with a connection error or a
 * timeout, and nothing has answered for `windowMs`, the endpoint is down (a dead port, a hung
 * server). The breaker then opens: calls in flight are cancelled (their backoff sleeps too), every
 * later call fails at once, and each with the same EndpointUnreachableError, which stops the run
 * with one message instead of N cases × retries × timeouts.
 *
 * Any answer from the server (a 200, a 429, a 500...) closes the count: only silence trips it.
 * The window is measured from when the first failing attempt of the streak was SENT (never before
 * the last answer), so a hung endpoint trips on its first round of timeouts, a dead one after
 * `windowMs` of refused connections, and a blip after an idle spell (no request for longer than
 * the window) starts a new count instead of adding to an old one.
 *
 *   withCircuitBreaker( withRetry( withRateLimit( withBreakerWatch( keys/adapter ) ) ), breaker )
 */
import { setMaxListeners } from 'node:events';
import { EndpointUnreachableError, ProviderError } from '../../errors.js';
import type { ChatModel } from '../types.js';
import { wrapModel } from './wrap-model.js';

export const DEFAULT_UNREACHABLE_AFTER_MS = 20_000;
/** Silent failures in a row needed as well: one slow request that times out is not an outage. */
export const MIN_FAILURES_TO_TRIP = 2;

export interface CircuitBreakerOptions {
  provider: string;
  /** The endpoint, for the message. */
  endpoint: string;
  windowMs?: number;
  minFailures?: number;
  now?: () => number;
}

export class CircuitBreaker {
  readonly #controller = new AbortController();
  readonly #windowMs: number;
  readonly #minFailures: number;
  readonly #now: () => number;
  #lastAnswerAt: number;
  #lastSilenceAt = -Infinity;
  #streakStartedAt: number | undefined;
  #failures = 0;
  #lastFailure = '';
  #error: EndpointUnreachableError | undefined;

  constructor(private readonly options: CircuitBreakerOptions) {
    setMaxListeners(0, this.#controller.signal); // every call in flight listens to it
    this.#windowMs = options.windowMs ?? DEFAULT_UNREACHABLE_AFTER_MS;
    this.#minFailures = options.minFailures ?? MIN_FAILURES_TO_TRIP;
    this.#now = options.now ?? (() => performance.now());
    this.#lastAnswerAt = this.#now();
  }

  /** Aborted when the breaker opens. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The error every call gets once the breaker is open; undefined while it is closed. */
  get error(): EndpointUnreachableError | undefined {
    return this.#error;
  }

  now(): number {
    return this.#now();
  }

  /** The server answered (any status): the endpoint is alive. */
  recordAnswer(): void {
    this.#lastAnswerAt = this.#now();
    this.#streakStartedAt = undefined;
    this.#failures = 0;
  }

  /** An attempt sent at `sentAt` got no answer (connection error or timeout). */
  recordSilence(sentAt: number, message: string): void {
    if (this.#error) return;
    // Sent long after the last failure came back (nothing was asked in between): a new streak.
    if (sentAt - this.#lastSilenceAt > this.#windowMs) [this.#failures, this.#streakStartedAt] = [0, undefined];
    this.#lastSilenceAt = this.#now();
    this.#failures += 1;
    this.#lastFailure = message;
    this.#streakStartedAt = Math.min(this.#streakStartedAt ?? sentAt, sentAt);
    const since = Math.max(this.#streakStartedAt, this.#lastAnswerAt);
    const silentMs = this.#now() - since;
    if (this.#failures >= this.#minFailures && silentMs >= this.#windowMs) this.#open(silentMs);
  }

  #open(silentMs: number): void {
    const { provider, endpoint } = this.options;
    this.#error = new EndpointUnreachableError(provider, endpoint, {
      silentMs,
      failures: this.#failures,
      lastFailure: this.#lastFailure,
      windowMs: this.#windowMs,
    });
    this.#controller.abort(this.#error);
  }
}

/** True for a failure that means "no answer at all": a connection error or a client-side timeout. */
export function isSilence(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.status === undefined && (error.kind === 'connection' || error.kind === 'timeout');
}

/**
 * Around each attempt (inside retries): records answers and silences; refuses to start an attempt
 * once the breaker is open.
 */
export function withBreakerWatch(model: ChatModel, breaker: CircuitBreaker): ChatModel {
  return wrapModel(model, async (request, next) => {
    if (breaker.error) throw breaker.error;
    const sentAt = breaker.now();
    try {
      const response = await next.complete(request);
      breaker.recordAnswer();
      return response;
    } catch (error) {
      if (isSilence(error)) breaker.recordSilence(sentAt, error.message);
      else if (error instanceof ProviderError) breaker.recordAnswer();
      throw error;
    }
  });
}

/**
 * Around the whole call (outside retries): the breaker's signal joins the request's, so an open
 * breaker cancels attempts and backoff sleeps in flight; what they then throw becomes the breaker's
 * error. An interrupt (the request's own signal) is passed through untouched.
 */
export function withCircuitBreaker(model: ChatModel, breaker: CircuitBreaker): ChatModel {
  return wrapModel(model, async (request, next) => {
    if (breaker.error) throw breaker.error;
    // One controller per call, unhooked when it ends (long-lived signals must not collect listeners).
    const joined = new AbortController();
    // The SDKs add an abort listener per attempt and keep it: more than 10 under many retries is no leak.
    setMaxListeners(0, joined.signal);
    const abort = () => joined.abort(request.signal?.aborted ? request.signal.reason : breaker.signal.reason);
    const sources = [breaker.signal, ...(request.signal ? [request.signal] : [])];
    for (const source of sources) source.addEventListener('abort', abort, { once: true });
    if (request.signal?.aborted) abort();
    try {
      return await next.complete({ ...request, signal: joined.signal });
    } catch (error) {
      if (breaker.error && !request.signal?.aborted) throw breaker.error;
      throw error;
    } finally {
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  });
}
