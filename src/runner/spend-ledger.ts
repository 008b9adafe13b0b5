/**
 * Tokens, cost and calls per role and model: what the budget checks, what the terminal shows as
 * "cost so far", and what reports break down. Three kinds of money are kept apart:
 *
 * - paid: calls this run (or eval) sent to a provider, at their actual cost, or at their reservation
 *   when the provider may have billed a call whose answer never arrived (cut off by a kill, aborted,
 *   an unusable 200);
 * - replayed: cache hits on answers this same run paid for earlier (before a kill): no new spend,
 *   already counted as paid;
 * - saved: cache hits on answers someone else paid for (an earlier run, an eval): money not spent.
 */
export type CallRole = 'target' | 'optimizer' | 'judge';

export interface SpendLine {
  role: CallRole;
  model: string;
  /** Paid calls (every call sent to a provider). */
  calls: number;
  /** Calls served from the cache (replayedCalls + savedCalls). */
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  /** USD paid. */
  costUsd: number;
  /** Paid calls whose price was unknown: costUsd is then a lower bound. */
  unknownCostCalls: number;
  /** Paid calls counted at their reservation (no usage came back: cut off by a kill, aborted, unusable body). */
  reservedCalls: number;
  /** Cache hits this run had paid for itself, and what they cost then. */
  replayedCalls: number;
  replayedUsd: number;
  /** Cache hits paid for by someone else, and what they would have cost. */
  savedCalls: number;
  savedUsd: number;
}

export interface PaidCall {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** True when costUsd is the call's reservation (no usage known). */
  atReservation?: boolean;
}

export interface CacheHitRecord {
  /** True when this run paid for the answer earlier. */
  replayed: boolean;
  /** What the answer cost when it was paid for (null: unknown price). */
  costUsd: number | null;
}

export class SpendLedger {
  private readonly lines = new Map<string, SpendLine>();

  recordPaid(role: CallRole, model: string, call: PaidCall): void {
    const line = this.line(role, model);
    line.calls += 1;
    line.inputTokens += call.inputTokens;
    line.outputTokens += call.outputTokens;
    if (call.atReservation) line.reservedCalls += 1;
    if (call.costUsd === null) line.unknownCostCalls += 1;
    else line.costUsd += call.costUsd;
  }

  recordHit(role: CallRole, model: string, hit: CacheHitRecord): void {
    const line = this.line(role, model);
    line.cacheHits += 1;
    if (hit.replayed) {
      line.replayedCalls += 1;
      line.replayedUsd += hit.costUsd ?? 0;
    } else {
      line.savedCalls += 1;
      line.savedUsd += hit.costUsd ?? 0;
    }
  }

  /** USD paid (cache hits excluded). */
  get totalCostUsd(): number {
    let total = 0;
    for (const line of this.lines.values()) total += line.costUsd;
    return total;
  }

  get costIncomplete(): boolean {
    return [...this.lines.values()].some((l) => l.unknownCostCalls > 0);
  }

  /** Continues from an earlier snapshot (lines written before these fields existed get zeros). */
  restore(lines: Partial<SpendLine>[]): void {
    this.lines.clear();
    for (const line of lines) {
      if (!line.role || line.model === undefined) continue;
      const full = { ...emptyLine(line.role, line.model), ...line };
      this.lines.set(lineKey(full.role, full.model), full);
    }
  }

  snapshot(): SpendLine[] {
    return [...this.lines.values()].map((l) => ({ ...l }));
  }

  private line(role: CallRole, model: string): SpendLine {
    const key = lineKey(role, model);
    let line = this.lines.get(key);
    if (!line) {
      line = emptyLine(role, model);
      this.lines.set(key, line);
    }
    return line;
  }
}

/** Totals over spend lines: paid, replayed and saved, each with its calls. */
export function spendTotals(lines: Partial<SpendLine>[]): {
  paidUsd: number;
  paidCalls: number;
  reservedCalls: number;
  unknownCostCalls: number;
  replayedUsd: number;
  replayedCalls: number;
  savedUsd: number;
  savedCalls: number;
} {
  const sum = (pick: (l: Partial<SpendLine>) => number | undefined) => lines.reduce((n, l) => n + (pick(l) ?? 0), 0);
  return {
    paidUsd: sum((l) => l.costUsd),
    paidCalls: sum((l) => l.calls),
    reservedCalls: sum((l) => l.reservedCalls),
    unknownCostCalls: sum((l) => l.unknownCostCalls),
    replayedUsd: sum((l) => l.replayedUsd),
    replayedCalls: sum((l) => l.replayedCalls),
    savedUsd: sum((l) => l.savedUsd),
    savedCalls: sum((l) => l.savedCalls),
  };
}

function emptyLine(role: CallRole, model: string): SpendLine {
  return {
    role,
    model,
    calls: 0,
    cacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unknownCostCalls: 0,
    reservedCalls: 0,
    replayedCalls: 0,
    replayedUsd: 0,
    savedCalls: 0,
    savedUsd: 0,
  };
}

function lineKey(role: CallRole, model: string): string {
  return `${role}\u0000${model}`;
}
