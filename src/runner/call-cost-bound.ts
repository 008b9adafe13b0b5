/**
 * The most a call can cost, known before it is sent: what the budget reserves for it.
 *
 * Input: providers tokenize with byte-level BPE, where every token stands for at least one byte of
 * text, so the UTF-8 size of the system prompt and messages bounds their tokens; the chat template
 * adds a few tokens per message and a few per request (OVERHEAD_*, generous). Output: `max_tokens`
 * bounds what the model may write (reasoning tokens included, for models that reason).
 *
 * The trade-off: a reservation is far above a typical call's cost (a classifier answers in 3
 * tokens but reserves max_tokens), so near the end of a budget fewer calls run at once and the run
 * stops while up to one call's bound is left unspent. In exchange the budget is a hard limit: the
 * calls in flight together can never take the provider's bill past it, whatever they return. A
 * realistic `max_tokens` keeps reservations tight.
 */
import type { ChatRequest, ModelPrice } from '../providers/types.js';

export const OVERHEAD_TOKENS_PER_REQUEST = 32;
export const OVERHEAD_TOKENS_PER_MESSAGE = 8;

/** An upper bound of the input tokens of `request`. */
export function maxInputTokens(request: Pick<ChatRequest, 'system' | 'messages' | 'responseFormat'>): number {
  let bytes = request.system ? Buffer.byteLength(request.system, 'utf8') : 0;
  // A structured-output schema is read by the model too (the provider adds it to the prompt).
  if (request.responseFormat) bytes += Buffer.byteLength(JSON.stringify(request.responseFormat), 'utf8') + OVERHEAD_TOKENS_PER_REQUEST;
  for (const message of request.messages) bytes += Buffer.byteLength(message.content, 'utf8');
  const messages = request.messages.length + (request.system ? 1 : 0);
  return bytes + OVERHEAD_TOKENS_PER_REQUEST + OVERHEAD_TOKENS_PER_MESSAGE * messages;
}

/** An upper bound of the USD cost of `request` at `price`; 0 when the price is unknown (nothing to bound). */
export function maxCallCostUsd(price: ModelPrice | undefined, request: Pick<ChatRequest, 'system' | 'messages' | 'maxTokens' | 'responseFormat'>): number {
  if (!price) return 0;
  return (maxInputTokens(request) * price.inputPerMTok + request.maxTokens * price.outputPerMTok) / 1_000_000;
}
