/**
 * Retries only errors that say they are retryable (ProviderError.retryable), up to maxRetries,
 * with exponential backoff and full jitter (base 500 ms, cap 30 s), waiting at least the
 * server's retry-after. Sets `attempts` on the response.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../../errors.js';
import type { ChatModel } from '../types.js';
import { wrapModel } from './wrap-model.js';

export interface RetryOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A server asking for a longer wait than this is not retried (the error is thrown at once):
   * a daily quota's `retry-after: 86400` should fail the run, not hang it. Default 120 s.
   */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1); Math.random by default. */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
  error: ProviderError;
}

export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** Full jitter: uniform in [0, min(cap, base * 2^retryIndex)). */
export function backoffDelay(retryIndex: number, random: () => number, baseMs: number, capMs: number): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** retryIndex));
}

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal });

export function withRetry(model: ChatModel, options: RetryOptions): ChatModel {
  const baseMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const capMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  return wrapModel(model, async (request, next) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await next.complete(request);
        return { ...response, attempts: attempt };
      } catch (error) {
        if (!(error instanceof ProviderError) || !error.retryable || attempt > options.maxRetries) throw error;
        if (request.signal?.aborted) throw error;
        const asked = error.retryAfterMs ?? 0;
        if (asked > maxRetryAfterMs) throw error;
        const delayMs = Math.max(backoffDelay(attempt - 1, random, baseMs, capMs), asked);
        await request.onRetry?.(error); // the caller's account of the failed attempt; it may stop here
        options.onRetry?.({ attempt, delayMs, error });
        await sleep(delayMs, request.signal);
      }
    }
  });
}
