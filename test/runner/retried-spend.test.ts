/**
 * A retried attempt the provider may have billed (a 200 whose body was unusable) is paid at its
 * reservation, and the next attempt is a call of its own that must fit in the budget: the budget
 * holds across retries, not only across calls.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { withRetry } from '../../src/providers/middleware/with-retry.js';
import { maxCallCostUsd } from '../../src/runner/call-cost-bound.js';
import { BudgetExhaustedError, ModelCaller } from '../../src/runner/model-caller.js';
import { spendTotals } from '../../src/runner/spend-ledger.js';
import type { ChatRequest, ModelPrice } from '../../src/providers/types.js';
import { recordingModel } from '../support/recording-model.js';

const PRICE: ModelPrice = { inputPerMTok: 1_000, outputPerMTok: 2_000 };
const request: ChatRequest = { messages: [{ role: 'user', content: 'route this ticket' }], maxTokens: 8 };
const reservation = maxCallCostUsd(PRICE, request);
const truncated = () => new ProviderError('sim', 'unparseable_response', 'a 200 whose body is not JSON', { status: 200 });

/** Fails with an unusable 200 on the listed attempts (0-based), answers otherwise. */
function flaky(failOn: number[]) {
  const inner = recordingModel((_r, i) => (failOn.includes(i) ? truncated() : 'billing'), { price: PRICE });
  // The price goes on the outermost model, as create-model puts it (middleware keeps only the identity).
  return { inner, model: { ...withRetry(inner, { maxRetries: 3, sleep: async () => undefined }), price: PRICE } };
}

describe('retried attempts that may have been billed', () => {
  it('are paid at their reservation, on top of the answer that came after them', async () => {
    const { inner, model } = flaky([0, 1]);
    const caller = new ModelCaller({});
    const response = await caller.call(model, request, 'target');
    expect(response.text).toBe('billing');
    expect(inner.requests).toHaveLength(3);
    const totals = spendTotals(caller.ledger.snapshot());
    expect(totals.paidUsd).toBeCloseTo(2 * reservation + response.costUsd!, 12);
    expect(totals.reservedCalls).toBe(2);
  });

  it('never pass the budget: with room for one more reservation only, the retry is refused and nothing more is sent', async () => {
    const { inner, model } = flaky([0, 1, 2]);
    // Room for two reservations: the first attempt, then one retry; the third attempt does not fit.
    const caller = new ModelCaller({ maxCostUsd: 2.5 * reservation });
    await expect(caller.call(model, request, 'target')).rejects.toThrow(BudgetExhaustedError);
    expect(inner.requests).toHaveLength(2);
    expect(caller.ledger.totalCostUsd).toBeLessThanOrEqual(2.5 * reservation);
    expect(caller.ledger.totalCostUsd).toBeCloseTo(2 * reservation, 12);
  });

  it('are not paid when the provider refused them (a 500): only the answer is', async () => {
    const inner = recordingModel((_r, i) => (i === 0 ? new ProviderError('sim', 'server', 'boom', { status: 500 }) : 'billing'), { price: PRICE });
    const caller = new ModelCaller({});
    const response = await caller.call({ ...withRetry(inner, { maxRetries: 3, sleep: async () => undefined }), price: PRICE }, request, 'target');
    expect(spendTotals(caller.ledger.snapshot()).paidUsd).toBeCloseTo(response.costUsd!, 12);
  });
});
