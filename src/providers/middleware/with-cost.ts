/**
 * The one place cost is computed: costUsd = costOf(price override ?? lookupPrice(provider, model), tokens),
 * null when the model has no known price (never 0 for unknown). Being innermost (below retries, rate
 * limits and key rotation), it is also where a request's `onSend` hook learns that an attempt leaves.
 */
import { costOf, lookupPrice } from '../prices.js';
import type { ChatModel, ModelPrice } from '../types.js';
import { wrapModel } from './wrap-model.js';

export function withCost(model: ChatModel, priceOverride?: ModelPrice): ChatModel {
  const price = priceOverride ?? lookupPrice(model.provider, model.modelId);
  return wrapModel(model, async (request, next) => {
    request.onSend?.(); // the innermost layer: this attempt is about to be sent (and may be billed)
    const response = await next.complete(request);
    return { ...response, costUsd: costOf(price, response.usage.inputTokens, response.usage.outputTokens) };
  });
}
