/**
 * A budget over one run's calls, for comparing runs on equal terms (`promptopt bench`): at most so
 * many target calls and/or so many USD, enforced where every call passes (the ModelCaller).
 *
 * Unlike the spend budget (budget-gate.ts behind `max_cost_usd`, which counts what was paid), it
 * charges every call the run asks for, however it is served: a cache hit as if it had been paid (at
 * the cost recorded with the entry), a call that failed, a validation call, all alike, so a cache
 * shared between runs never buys one of them extra budget. Calls of the measurement phases (the
 * held-out test, the final version re-scored for the reports) are exempt: they are tallied apart and
 * never refused, so a budget stop never leaves a run without its test score.
 *
 * It also counts the requests that actually left for a provider (every attempt, retries included):
 * what the server received, whatever the cache served.
 */
import type { ChatResponse } from '../providers/types.js';
import { BudgetGate } from './budget-gate.js';
import type { CallRole } from './spend-ledger.js';

export interface CallBudgetLimits {
  /** Target calls at most (cache hits and failed calls included). */
  maxTargetCalls?: number;
  /** USD at most over every role (cache hits at their recorded cost; failed calls at what they may have been billed). */
  maxUsd?: number;
}

/** The phases whose calls measure the run rather than optimize it (see engine.ts: runTest, finalResults). */
export const MEASUREMENT_PHASES: readonly string[] = ['test', 'report'];

export interface CallTally {
  /** Calls asked for and answered or failed (cache hits included). */
  calls: number;
  /** Of those, served from the cache. */
  cacheHits: number;
  /** Of those, failed after retries. */
  failed: number;
  inputTokens: number;
  outputTokens: number;
  /** USD, cache hits at their recorded cost. */
  costUsd: number;
  /** Calls whose cost is unknown (an unknown price): costUsd is then a lower bound. */
  unknownCostCalls: number;
}

export interface CallBudgetUsage {
  /** Calls inside the budget, per role. */
  charged: Record<CallRole, CallTally>;
  /** Calls of the measurement phases (outside the budget), per role. */
  measurement: Record<CallRole, CallTally>;
  /** Requests that left for a provider, per role (retries included; none for cache hits). */
  sent: Record<CallRole, number>;
}

/** A call admitted by the budget, to settle (or release) once it is over. */
export interface CallTicket {
  role: CallRole;
  exempt: boolean;
  reservedUsd: number;
  countsCalls: boolean;
}

/** How an admitted call ended. */
export interface CallOutcome {
  cacheHit: boolean;
  /** What it cost (or may have been billed); null when unknown. */
  costUsd: number | null;
  usage?: ChatResponse['usage'];
  failed?: boolean;
}

const ROLES: readonly CallRole[] = ['target', 'optimizer', 'judge'];

export class CallBudget {
  private readonly tallies = { charged: emptyTallies(), measurement: emptyTallies() };
  private readonly sentCounts: Record<CallRole, number> = { target: 0, optimizer: 0, judge: 0 };
  private readonly callGate: BudgetGate;
  private readonly usdGate: BudgetGate;
  private readonly exemptPhases: ReadonlySet<string>;

  constructor(
    readonly limits: CallBudgetLimits = {},
    options: { exemptPhases?: readonly string[] } = {},
  ) {
    this.exemptPhases = new Set(options.exemptPhases ?? MEASUREMENT_PHASES);
    this.callGate = new BudgetGate(() => limits.maxTargetCalls, () => this.tallies.charged.target.calls, 'target_calls');
    this.usdGate = new BudgetGate(() => limits.maxUsd, () => sumCost(this.tallies.charged));
  }

  get exhausted(): boolean {
    return this.callGate.isExhausted || this.usdGate.isExhausted;
  }

  /**
   * Admits a call of `role` that may cost up to `reservedUsd` (a cache hit: exactly its recorded
   * cost), waiting for calls in flight when it does not fit yet; throws BudgetExhaustedError when it
   * cannot fit. Calls of a measurement phase are always admitted.
   */
  async admit(role: CallRole, phase: string | undefined, reservedUsd: number, signal?: AbortSignal): Promise<CallTicket> {
    const exempt = phase !== undefined && this.exemptPhases.has(phase);
    const ticket: CallTicket = { role, exempt, reservedUsd: exempt ? 0 : reservedUsd, countsCalls: !exempt && role === 'target' };
    if (exempt) return ticket;
    if (ticket.countsCalls) await this.callGate.admit(1, signal);
    try {
      await this.usdGate.admit(ticket.reservedUsd, signal);
    } catch (error) {
      if (ticket.countsCalls) this.callGate.release(1);
      throw error;
    }
    return ticket;
  }

  /** The call is over: it is charged (or tallied as measurement), then its reservation is given back. */
  settle(ticket: CallTicket, outcome: CallOutcome): void {
    const tally = (ticket.exempt ? this.tallies.measurement : this.tallies.charged)[ticket.role];
    tally.calls += 1;
    if (outcome.cacheHit) tally.cacheHits += 1;
    if (outcome.failed) tally.failed += 1;
    tally.inputTokens += outcome.usage?.inputTokens ?? 0;
    tally.outputTokens += outcome.usage?.outputTokens ?? 0;
    if (outcome.costUsd === null) tally.unknownCostCalls += 1;
    else tally.costUsd += outcome.costUsd;
    this.releaseGates(ticket);
  }

  /** The call never left (interrupted before it was sent): nothing is charged. */
  release(ticket: CallTicket): void {
    this.releaseGates(ticket);
  }

  /** One request left for the provider (called per attempt). */
  sent(role: CallRole): void {
    this.sentCounts[role] += 1;
  }

  usage(): CallBudgetUsage {
    const copy = (tallies: Record<CallRole, CallTally>) => Object.fromEntries(ROLES.map((role) => [role, { ...tallies[role] }])) as Record<CallRole, CallTally>;
    return { charged: copy(this.tallies.charged), measurement: copy(this.tallies.measurement), sent: { ...this.sentCounts } };
  }

  private releaseGates(ticket: CallTicket): void {
    if (ticket.exempt) return;
    this.usdGate.release(ticket.reservedUsd);
    if (ticket.countsCalls) this.callGate.release(1);
  }
}

function emptyTallies(): Record<CallRole, CallTally> {
  const empty = (): CallTally => ({ calls: 0, cacheHits: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unknownCostCalls: 0 });
  return { target: empty(), optimizer: empty(), judge: empty() };
}

function sumCost(tallies: Record<CallRole, CallTally>): number {
  return ROLES.reduce((sum, role) => sum + tallies[role].costUsd, 0);
}
