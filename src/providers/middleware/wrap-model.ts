import type { ChatModel, ChatRequest, ChatResponse } from '../types.js';

/** A middleware's view of a call: the request and the next model in the chain. */
export type CompleteFn = (request: ChatRequest, next: ChatModel) => Promise<ChatResponse>;

/** Wraps a model, keeping its identity (provider, model id, simulated, endpoint). */
export function wrapModel(inner: ChatModel, complete: CompleteFn): ChatModel {
  return {
    provider: inner.provider,
    modelId: inner.modelId,
    simulated: inner.simulated,
    ...(inner.baseUrl !== undefined ? { baseUrl: inner.baseUrl } : {}),
    complete: (request) => complete(request, inner),
  };
}
