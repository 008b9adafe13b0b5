/**
 * The one place cost is computed: costUsd = costOf(price override ?? lookupPrice(provider, model), tokens),
 * null when the model has no known price (never 0 for unknown).
 */
import { costOf, lookupPrice } from '../prices.js';
import type { ChatModel, ModelPrice } from '../types.js';
import { wrapModel } from './wrap-model.js';

export function withCost(model: ChatModel, priceOverride?: ModelPrice): ChatModel {
  const price = priceOverride ?? lookupPrice(model.provider, model.modelId);
  return wrapModel(model, async (request, next) => {
    const response = await next.complete(request);
    return { ...response, costUsd: costOf(price, response.usage.inputTokens, response.usage.outputTokens) };
  });
}
