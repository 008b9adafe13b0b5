import { EXIT, PromptoptError } from '../errors.js';

export class BudgetExhaustedError extends PromptoptError {
  constructor(readonly spentUsd: number, readonly maxUsd: number) {
    super('BUDGET_EXHAUSTED', `budget exhausted: spent $${spentUsd.toFixed(4)} of $${maxUsd.toFixed(2)}`, {
      exitCode: EXIT.providerFailure,
      hint: 'raise budget.max_cost_usd (or --max-cost), or run again: completed calls are served from the cache',
    });
  }
}
