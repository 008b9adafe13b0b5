import { EXIT, PromptoptError } from '../errors.js';

/** What a budget counts: USD (the spend budget, a bench's --budget-per-run) or target calls (a bench's --max-calls). */
export type BudgetUnit = 'usd' | 'target_calls';

export class BudgetExhaustedError extends PromptoptError {
  /** `spentUsd` and `maxUsd` are in `unit` (calls for a call budget). */
  constructor(readonly spentUsd: number, readonly maxUsd: number, readonly unit: BudgetUnit = 'usd') {
    super(
      'BUDGET_EXHAUSTED',
      unit === 'usd' ? `budget exhausted: spent $${spentUsd.toFixed(4)} of $${maxUsd.toFixed(2)}` : `call budget exhausted: ${spentUsd} of ${maxUsd} target calls made`,
      {
        exitCode: EXIT.providerFailure,
        hint:
          unit === 'usd'
            ? 'raise budget.max_cost_usd (or --max-cost), or run again: completed calls are served from the cache'
            : 'raise --max-calls',
      },
    );
  }
}
