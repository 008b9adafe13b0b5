/**
 * Admits paid calls against a budget. Each call reserves an upper bound of its cost before it is
 * sent (see call-cost-bound.ts) and gives the reservation back once its actual cost is in the
 * ledger, so `spent + reserved` never goes past the budget and neither can the provider's bill.
 * A call that does not fit while others are in flight waits for them (their actual cost is usually
 * far below their reservation); one that does not fit with nothing in flight exhausts the budget,
 * and from then on no call is admitted.
 */
import { BudgetExhaustedError, type BudgetUnit } from './budget-exhausted-error.js';

export class BudgetGate {
  private reserved = 0;
  private inFlight = 0;
  private exhausted = false;
  private waiting: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Amounts are USD unless `unit` says target calls (a bench's call budget, see call-budget.ts). */
  constructor(
    private readonly maxUsd: () => number | undefined,
    private readonly spentUsd: () => number,
    private readonly unit: BudgetUnit = 'usd',
  ) {}

  get isExhausted(): boolean {
    return this.exhausted;
  }

  /** Admits a call reserving `amountUsd`, waiting for calls in flight when it does not fit yet. */
  async admit(amountUsd: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const max = this.maxUsd();
      if (max === undefined) break;
      const spent = this.spentUsd();
      if (this.exhausted) throw new BudgetExhaustedError(spent, max, this.unit);
      if (spent < max && spent + this.reserved + amountUsd <= max) break;
      if (this.inFlight === 0 || spent >= max || signal?.aborted) {
        this.exhausted = true;
        throw new BudgetExhaustedError(spent, max, this.unit);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.reserved += amountUsd;
    this.inFlight += 1;
  }

  /** The call admitted with `amountUsd` is over and its cost (if any) is in the ledger. */
  release(amountUsd: number): void {
    this.reserved -= amountUsd;
    this.inFlight -= 1;
    if (this.inFlight === 0) this.reserved = 0; // no float drift left behind
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
    if (this.inFlight === 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const done of idle) done();
    }
  }

  /** Resolves once no admitted call is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
