/**
 * Every model call promptopt makes goes through one ModelCaller: it serves and fills the on-disk
 * cache, shares identical requests already in flight, records spend per role and model, enforces
 * the budget before a paid call, and reports each call to the trace. Retries, key rotation and
 * rate limits live below it, in the provider middleware.
 */
import { PromptoptError, EXIT, InterruptedError, stopSignalOf } from '../errors.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../providers/types.js';
import { cacheKey } from './cache-key.js';
import { completeWithin } from './call-signal.js';
import type { ResponseCache } from './response-cache.js';
import { SpendLedger, type CallRole } from './spend-ledger.js';

export interface CallMeta {
  caseId?: string;
  iteration?: number;
  candidate?: number;
  phase?: string;
}

export interface CallEvent {
  role: CallRole;
  provider: string;
  model: string;
  simulated: boolean;
  request: ChatRequest;
  response?: ChatResponse;
  error?: { code: string; message: string };
  sample: number;
  cacheHit: boolean;
  meta: CallMeta;
  at: string;
}

export class BudgetExhaustedError extends PromptoptError {
  constructor(readonly spentUsd: number, readonly maxUsd: number) {
    super('BUDGET_EXHAUSTED', `budget exhausted: spent $${spentUsd.toFixed(4)} of $${maxUsd.toFixed(2)}`, {
      exitCode: EXIT.providerFailure,
      hint: 'raise budget.max_cost_usd (or --max-cost), or run again: completed calls are served from the cache',
    });
  }
}

export interface ModelCallerOptions {
  cache?: ResponseCache;
  /** Namespace mixed into cache keys for this role (optimizer calls use the run id). */
  namespaces?: Partial<Record<CallRole, string>>;
  maxCostUsd?: number;
  onCall?: (event: CallEvent) => void;
  /** Called once when spend first crosses 80% of the budget. */
  onBudgetWarning?: (spentUsd: number, maxUsd: number) => void;
  /**
   * Ctrl-C / SIGTERM: once aborted no call starts (InterruptedError), and the signal goes into every
   * request so the SDKs cancel the calls in flight.
   */
  signal?: AbortSignal;
}

export class ModelCaller {
  readonly ledger = new SpendLedger();
  private readonly inFlight = new Map<string, Promise<ChatResponse>>();
  private warned = false;
  /** Expected cost of paid calls in flight (see reserve). */
  private reserved = 0;
  /** Actual cost of paid calls so far, per model: the basis of reservations. */
  private readonly observed = new Map<string, { sum: number; calls: number }>();
  /** A model's first paid call in flight: its other calls wait for it when a budget is set. */
  private readonly probes = new Map<string, Promise<void>>();
  private exhausted = false;

  constructor(private options: ModelCallerOptions = {}) {}

  /** Sets options known only after the caller was made (a run's id, a budget from a flag, hooks). */
  configure(options: Omit<ModelCallerOptions, 'cache'>): void {
    this.options = { ...this.options, ...options };
  }

  get budgetExhausted(): boolean {
    return this.exhausted;
  }

  async call(model: ChatModel, request: ChatRequest, role: CallRole, sample = 0, meta: CallMeta = {}): Promise<ChatResponse> {
    const key = cacheKey(model, request, sample, this.options.namespaces?.[role] ?? '');
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = this.callOnce(model, request, role, sample, meta, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async callOnce(
    model: ChatModel,
    request: ChatRequest,
    role: CallRole,
    sample: number,
    meta: CallMeta,
    key: string,
  ): Promise<ChatResponse> {
    const cache = this.options.cache;
    const base = { role, provider: model.provider, model: model.modelId, simulated: model.simulated, request, sample, meta };
    const cached = cache ? await cache.get(key) : undefined;
    if (cached) {
      this.ledger.record(role, model.modelId, { cached: true, inputTokens: 0, outputTokens: 0, costUsd: 0 });
      this.options.onCall?.({ ...base, response: cached, cacheHit: true, at: new Date().toISOString() });
      return cached;
    }
    const signal = this.options.signal;
    if (signal?.aborted) throw new InterruptedError(undefined, stopSignalOf(signal));
    const reservation = await this.reserve(model);
    let response: ChatResponse;
    try {
      if (signal?.aborted) throw new InterruptedError(undefined, stopSignalOf(signal));
      response = await completeWithin(model, request, signal);
    } catch (error) {
      reservation.release(null);
      if (signal?.aborted) {
        this.options.onCall?.({ ...base, error: { code: 'ABORTED', message: 'cancelled by an interrupt' }, cacheHit: false, at: new Date().toISOString() });
        throw new InterruptedError(undefined, stopSignalOf(signal));
      }
      const err = error as { code?: string; message?: string };
      this.options.onCall?.({
        ...base,
        error: { code: err.code ?? 'ERROR', message: err.message ?? String(error) },
        cacheHit: false,
        at: new Date().toISOString(),
      });
      throw error;
    }
    reservation.release(response.costUsd);
    this.ledger.record(role, model.modelId, {
      cached: false,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: response.costUsd,
    });
    if (cache) await cache.put(key, response);
    this.options.onCall?.({ ...base, response, cacheHit: false, at: new Date().toISOString() });
    this.noteSpend();
    return { ...response, cached: false };
  }

  /**
   * Sets aside the expected cost of a paid call before it starts (the mean actual cost of this model's
   * calls so far), so calls in flight together stop short of the budget instead of overshooting it.
   * Until a model's first paid call has completed, its other calls wait for it (one probe), so even
   * the first burst cannot overshoot by more than one call. Returns the reservation and a release.
   */
  private async reserve(model: ChatModel): Promise<{ amount: number; release: (actualCost: number | null) => void }> {
    const max = this.options.maxCostUsd;
    if (max === undefined) return { amount: 0, release: () => {} };
    const key = `${model.provider}:${model.modelId}`;
    while (!this.observed.has(key) && this.probes.has(key)) await this.probes.get(key);
    const observed = this.observed.get(key);
    const amount = observed ? observed.sum / observed.calls : 0;
    const spent = this.ledger.totalCostUsd;
    if (spent >= max || spent + this.reserved + amount > max) {
      this.exhausted = true;
      throw new BudgetExhaustedError(spent, max);
    }
    this.reserved += amount;
    let endProbe: (() => void) | undefined;
    if (!observed) this.probes.set(key, new Promise<void>((resolve) => (endProbe = resolve)));
    return {
      amount,
      release: (actualCost) => {
        this.reserved -= amount;
        if (actualCost !== null) {
          const seen = this.observed.get(key) ?? { sum: 0, calls: 0 };
          this.observed.set(key, { sum: seen.sum + actualCost, calls: seen.calls + 1 });
        }
        if (endProbe) {
          this.probes.delete(key);
          endProbe();
        }
      },
    };
  }

  private noteSpend(): void {
    const max = this.options.maxCostUsd;
    if (max === undefined || this.warned) return;
    const spent = this.ledger.totalCostUsd;
    if (spent >= 0.8 * max) {
      this.warned = true;
      this.options.onBudgetWarning?.(spent, max);
    }
  }

  /** A ChatModel view of `model` whose calls go through this caller (used to hand a judge to assertions). */
  bind(model: ChatModel, role: CallRole, meta: CallMeta = {}): ChatModel {
    return {
      provider: model.provider,
      modelId: model.modelId,
      simulated: model.simulated,
      complete: (request) => this.call(model, request, role, 0, meta),
    };
  }

  /** True when this exact call would be served from the cache (for --dry-run). */
  async isCached(model: ChatModel, request: ChatRequest, role: CallRole, sample = 0): Promise<boolean> {
    const cache = this.options.cache;
    if (!cache) return false;
    return cache.has(cacheKey(model, request, sample, this.options.namespaces?.[role] ?? ''));
  }
}
