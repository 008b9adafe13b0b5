/**
 * A concurrency cap per provider, shared by every model of that provider in the process, that
 * adapts (AIMD): a 429 halves the allowed concurrency (min 1), every `rampEvery` successes add
 * one back (up to the configured cap). Several 429s from requests that were already in flight
 * when the limit dropped count as one signal, so a burst does not collapse the limit to 1.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ProviderError } from '../../errors.js';
import type { ChatModel, ProviderName } from '../types.js';
import { wrapModel } from './wrap-model.js';

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_RAMP_EVERY = 5;

export interface AdaptiveLimiterOptions {
  maxConcurrency: number;
  /** Successes needed to add one slot back after a slow-down. */
  rampEvery?: number;
}

export class AdaptiveLimiter {
  readonly #limit: LimitFunction;
  #max: number;
  readonly #rampEvery: number;
  #epoch = 0;
  #successes = 0;

  constructor(options: AdaptiveLimiterOptions) {
    this.#max = Math.max(1, Math.floor(options.maxConcurrency));
    this.#rampEvery = Math.max(1, options.rampEvery ?? DEFAULT_RAMP_EVERY);
    this.#limit = pLimit(this.#max);
  }

  /** Requests allowed in flight right now. */
  get limit(): number {
    return this.#limit.concurrency;
  }

  /** The configured cap the limit ramps back up to. */
  get maxConcurrency(): number {
    return this.#max;
  }

  get inFlight(): number {
    return this.#limit.activeCount;
  }

  get queued(): number {
    return this.#limit.pendingCount;
  }

  /** Changes the cap; a limit at the old cap follows it, a slowed-down limit stays where it is. */
  setMax(maxConcurrency: number): void {
    const max = Math.max(1, Math.floor(maxConcurrency));
    const atCap = this.#limit.concurrency >= this.#max;
    this.#max = max;
    if (atCap || this.#limit.concurrency > max) this.#limit.concurrency = max;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      const epoch = this.#epoch;
      try {
        const result = await task();
        this.#onSuccess();
        return result;
      } catch (error) {
        if (error instanceof ProviderError && error.kind === 'rate_limit') this.#onRateLimited(epoch);
        throw error;
      }
    });
  }

  #onRateLimited(epoch: number): void {
    if (epoch !== this.#epoch) return; // already slowed down since this request started
    this.#epoch += 1;
    this.#successes = 0;
    this.#limit.concurrency = Math.max(1, Math.floor(this.#limit.concurrency / 2));
  }

  #onSuccess(): void {
    if (this.#limit.concurrency >= this.#max) return;
    this.#successes += 1;
    if (this.#successes >= this.#rampEvery) {
      this.#successes = 0;
      this.#limit.concurrency += 1;
    }
  }
}

/**
 * One limiter per provider. The process-wide registry is `defaultRateLimiters`; tests make their own.
 * Caps: the first explicit `concurrency` replaces the default; among explicit ones the smallest wins.
 */
export class RateLimiterRegistry {
  readonly #limiters = new Map<ProviderName, { limiter: AdaptiveLimiter; explicit: boolean }>();

  constructor(readonly options: { rampEvery?: number } = {}) {}

  get(provider: ProviderName, concurrency?: number): AdaptiveLimiter {
    const entry = this.#limiters.get(provider);
    if (!entry) {
      const limiter = new AdaptiveLimiter({
        maxConcurrency: concurrency ?? DEFAULT_CONCURRENCY,
        rampEvery: this.options.rampEvery,
      });
      this.#limiters.set(provider, { limiter, explicit: concurrency !== undefined });
      return limiter;
    }
    if (concurrency !== undefined && (!entry.explicit || concurrency < entry.limiter.maxConcurrency)) {
      entry.limiter.setMax(concurrency);
      entry.explicit = true;
    }
    return entry.limiter;
  }

  /** The limiter of a provider, if one was made (for the CLI and tests). */
  peek(provider: ProviderName): AdaptiveLimiter | undefined {
    return this.#limiters.get(provider)?.limiter;
  }
}

export const defaultRateLimiters = new RateLimiterRegistry();

export function withRateLimit(model: ChatModel, limiter: AdaptiveLimiter): ChatModel {
  return wrapModel(model, (request, next) => limiter.run(() => next.complete(request)));
}
