/**
 * Every model call promptopt makes goes through one ModelCaller: it serves and fills the on-disk
 * cache, shares identical requests already in flight, records spend per role and model, enforces
 * the budget before a paid call, and reports each call to the trace. Retries, key rotation and
 * rate limits live below it, in the provider middleware.
 *
 * The money path of a paid call: reserve an upper bound of its cost (the budget gate), journal the
 * reservation and, when the request leaves (after any wait for a rate-limit slot), that it was sent
 * (optimize runs); then journal and ledger the actual cost, and only then cache the answer, marked
 * with who paid for it. A call that fails after it was sent, in a way the provider may bill, is
 * counted at its reservation; one that never left costs nothing.
 */
import { InterruptedError, ProviderError, stopSignalOf } from '../errors.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../providers/types.js';
import { BudgetExhaustedError } from './budget-exhausted-error.js';
import { BudgetGate } from './budget-gate.js';
import type { CallBudget } from './call-budget.js';
import { cacheKey } from './cache-key.js';
import { completeWithin } from './call-signal.js';
import { maxCallCostUsd } from './call-cost-bound.js';
import type { CacheEntry, PaidBy, ResponseCache } from './response-cache.js';
import type { SpendJournal } from './spend-journal.js';
import { SpendLedger, type CallRole } from './spend-ledger.js';

export { BudgetExhaustedError };

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

export interface ModelCallerOptions {
  cache?: ResponseCache;
  /** Namespace mixed into cache keys for this role (optimizer calls use the run id). */
  namespaces?: Partial<Record<CallRole, string>>;
  maxCostUsd?: number;
  /** Who pays for this caller's calls (written into the cache entries it fills); `library` by default. */
  payer?: { by: PaidBy['by']; runId?: string };
  /** An optimize run's spend journal: every paid call is recorded there before it is sent. */
  journal?: SpendJournal;
  onCall?: (event: CallEvent) => void;
  /**
   * A budget over this run's calls that charges cache hits and failed calls too (a bench run; see
   * call-budget.ts). Checked before the spend budget.
   */
  callBudget?: CallBudget;
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
  private readonly gate = new BudgetGate(
    () => this.options.maxCostUsd,
    () => this.ledger.totalCostUsd,
  );
  /** Calls announced to other processes sharing the cache, released once settled (see claimCall). */
  private readonly claims = new Map<string, () => Promise<void>>();
  private warned = false;

  constructor(private options: ModelCallerOptions = {}) {}

  /** Sets options known only after the caller was made (a run's id, a budget from a flag, hooks). */
  configure(options: Omit<ModelCallerOptions, 'cache'>): void {
    this.options = { ...this.options, ...options };
  }

  get budgetExhausted(): boolean {
    return this.gate.isExhausted;
  }

  /** Resolves once no paid call is in flight (so the ledger holds every call that was sent). */
  idle(): Promise<void> {
    return this.gate.idle();
  }

  async call(model: ChatModel, request: ChatRequest, role: CallRole, sample = 0, meta: CallMeta = {}): Promise<ChatResponse> {
    const key = cacheKey(model, request, sample, this.options.namespaces?.[role] ?? '');
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = this.callOnce(model, request, role, sample, meta, key).finally(() => this.settle(key));
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
    const { cache, journal, signal, callBudget } = this.options;
    const base = { role, provider: model.provider, model: model.modelId, simulated: model.simulated, request, sample, meta };
    const entry = cache ? ((await cache.lookup(key)) ?? (await this.claimCall(cache, key, model))) : undefined;
    if (entry) {
      const runId = this.options.payer?.runId;
      const replayed = runId !== undefined && entry.paidBy?.runId === runId;
      const value = entry.paidBy ? entry.paidBy.costUsd : entry.response.costUsd;
      // A bench run is charged for a hit as if it had paid for it (a shared cache buys no budget).
      const ticket = await callBudget?.admit(role, meta.phase, value ?? 0, signal);
      if (ticket) callBudget!.settle(ticket, { cacheHit: true, costUsd: value, usage: entry.response.usage });
      this.ledger.recordHit(role, model.modelId, { replayed, costUsd: value });
      journal?.hit(role, model.modelId, replayed, value);
      this.options.onCall?.({ ...base, response: entry.response, cacheHit: true, at: new Date().toISOString() });
      return entry.response;
    }
    if (signal?.aborted) throw new InterruptedError(undefined, stopSignalOf(signal));
    const reservation = maxCallCostUsd(model.price, request);
    const ticket = await callBudget?.admit(role, meta.phase, reservation, signal);
    try {
      await this.gate.admit(reservation, signal);
    } catch (error) {
      if (ticket) callBudget!.release(ticket);
      throw error;
    }
    const reservedUsd = model.price ? reservation : null;
    let call: number | undefined;
    let sent = false;
    // Whether this call holds an admitted reservation (a retry gives it back and asks again).
    let admitted = true;
    // Earlier attempts the provider may have billed (retried after an unusable 200, a timeout...), at their reservations.
    let retriedUsd = 0;
    const onSend = () => {
      callBudget?.sent(role); // every attempt: what the provider receives
      if (!sent && call !== undefined) journal?.sent(call);
      sent = true;
    };
    // A failed attempt about to be retried: if the provider may have billed it, it is paid (at its
    // reservation, like a call cut off), and the next attempt is a call of its own that must fit in the budget.
    const onRetry = async (error: unknown) => {
      const billed = sent ? mayHaveBeenBilled(error, signal) : undefined;
      if (!billed) return;
      this.ledger.recordPaid(role, model.modelId, { inputTokens: 0, outputTokens: 0, costUsd: reservedUsd, atReservation: true });
      if (call !== undefined) journal?.charge(call, reservedUsd, `${billed}, retried`);
      retriedUsd += reservedUsd ?? 0;
      this.gate.release(reservation);
      admitted = false;
      this.noteSpend();
      sent = false;
      call = undefined;
      await this.gate.admit(reservation, signal);
      admitted = true;
      call = journal?.reserve({ key, role, provider: model.provider, model: model.modelId, usd: reservedUsd });
    };
    let response: ChatResponse;
    try {
      if (signal?.aborted) throw new InterruptedError(undefined, stopSignalOf(signal));
      call = journal?.reserve({ key, role, provider: model.provider, model: model.modelId, usd: reservedUsd });
      response = await completeWithin(model, { ...request, onSend, onRetry }, signal);
    } catch (error) {
      const billed = sent ? mayHaveBeenBilled(error, signal) : undefined;
      if (billed) {
        this.ledger.recordPaid(role, model.modelId, { inputTokens: 0, outputTokens: 0, costUsd: reservedUsd, atReservation: true });
        if (call !== undefined) journal?.charge(call, reservedUsd, billed);
      } else if (call !== undefined) {
        journal?.release(call, errorCode(error));
      }
      if (admitted) this.gate.release(reservation);
      if (ticket && (sent || retriedUsd > 0)) callBudget!.settle(ticket, { cacheHit: false, costUsd: (billed ? reservedUsd ?? 0 : 0) + retriedUsd, failed: true });
      else if (ticket) callBudget!.release(ticket);
      if (billed) this.noteSpend();
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
    if (call !== undefined) journal!.settle(call, response.usage, response.costUsd);
    this.ledger.recordPaid(role, model.modelId, {
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: response.costUsd,
    });
    this.gate.release(reservation);
    if (ticket) callBudget!.settle(ticket, { cacheHit: false, costUsd: response.costUsd === null ? null : response.costUsd + retriedUsd, usage: response.usage });
    this.noteSpend();
    if (cache) {
      const payer = this.options.payer ?? { by: 'library' as const };
      await cache.put(key, response, { ...payer, role, costUsd: response.costUsd, at: new Date().toISOString() });
    }
    this.options.onCall?.({ ...base, response, cacheHit: false, at: new Date().toISOString() });
    return { ...response, cached: false };
  }

  /**
   * On a cache miss, announces a paid call to other processes sharing the cache; when one of them is
   * making it already, waits and returns its entry (so concurrent runs pay for a call once: for this
   * run it is a hit, saved money, paid by the other process).
   */
  private async claimCall(cache: ResponseCache, key: string, model: ChatModel): Promise<CacheEntry | undefined> {
    if (model.simulated) return undefined; // free: nothing to share
    const claim = await cache.claim(key, this.options.signal);
    this.claims.set(key, claim.release);
    return claim.landed;
  }

  private settle(key: string): void {
    this.inFlight.delete(key);
    // The response (if any) is stored already; the marker's removal need not hold up the worker.
    void this.claims.get(key)?.();
    this.claims.delete(key);
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

  /** The cached answer to this exact call, if any (for --dry-run: a cached target answer decides its judge's request). */
  async cachedResponse(model: ChatModel, request: ChatRequest, role: CallRole, sample = 0): Promise<ChatResponse | undefined> {
    const cache = this.options.cache;
    if (!cache) return undefined;
    return cache.get(cacheKey(model, request, sample, this.options.namespaces?.[role] ?? ''));
  }

  /** True when this exact call would be served from the cache (for --dry-run). */
  async isCached(model: ChatModel, request: ChatRequest, role: CallRole, sample = 0): Promise<boolean> {
    const cache = this.options.cache;
    if (!cache) return false;
    return cache.has(cacheKey(model, request, sample, this.options.namespaces?.[role] ?? ''));
  }
}

/** Network errors that mean the request never reached the provider. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Why a failed call may still be on the provider's bill, or undefined when it cannot be: the request
 * was cut off while the provider worked on it (an interrupt, a timeout, a dropped connection), or a
 * 200 came back whose body was unusable. Error statuses (4xx, 429, 5xx) and refused connections
 * are not billed.
 */
function mayHaveBeenBilled(error: unknown, signal: AbortSignal | undefined): string | undefined {
  if (signal?.aborted || error instanceof InterruptedError) return 'aborted in flight';
  if (!(error instanceof ProviderError)) return `failed in flight (${errorCode(error)})`;
  if (error.kind === 'malformed_response' || error.kind === 'unparseable_response') return 'a 200 with an unusable body';
  if (error.kind === 'timeout') return 'timed out in flight';
  if (error.kind === 'connection' && !NOT_SENT.has(causeCode(error) ?? '')) return 'connection lost in flight';
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? 'ERROR';
}

/** The first `code` down the cause chain that looks like a system error code (ECONNREFUSED...). */
function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}
