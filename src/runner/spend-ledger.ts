/**
 * Tokens, cost and calls per role and model for one process: what the budget checks, what the
 * terminal shows as "cost so far", and what reports break down. Cache hits cost nothing now.
 */
export type CallRole = 'target' | 'optimizer' | 'judge';

export interface SpendLine {
  role: CallRole;
  model: string;
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose price was unknown: costUsd is then a lower bound. */
  unknownCostCalls: number;
}

export class SpendLedger {
  private readonly lines = new Map<string, SpendLine>();

  record(role: CallRole, model: string, entry: { cached: boolean; inputTokens: number; outputTokens: number; costUsd: number | null }): void {
    const key = `${role}\u0000${model}`;
    let line = this.lines.get(key);
    if (!line) {
      line = { role, model, calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unknownCostCalls: 0 };
      this.lines.set(key, line);
    }
    if (entry.cached) {
      line.cacheHits += 1;
      return;
    }
    line.calls += 1;
    line.inputTokens += entry.inputTokens;
    line.outputTokens += entry.outputTokens;
    if (entry.costUsd === null) line.unknownCostCalls += 1;
    else line.costUsd += entry.costUsd;
  }

  /** USD spent by calls actually made (cache hits excluded). */
  get totalCostUsd(): number {
    let total = 0;
    for (const line of this.lines.values()) total += line.costUsd;
    return total;
  }

  get costIncomplete(): boolean {
    return [...this.lines.values()].some((l) => l.unknownCostCalls > 0);
  }

  /** Continues from an earlier snapshot (a resumed run counts what it already spent). */
  restore(lines: SpendLine[]): void {
    this.lines.clear();
    for (const line of lines) this.lines.set(`${line.role}\u0000${line.model}`, { ...line });
  }

  snapshot(): SpendLine[] {
    return [...this.lines.values()].map((l) => ({ ...l }));
  }
}
