/** A ChatModel that records every request and answers from a function: for unit tests of the runner. */
import { setTimeout as delay } from 'node:timers/promises';
import { costOf } from '../../src/providers/prices.js';
import type { ChatModel, ChatRequest, ChatResponse, ModelPrice } from '../../src/providers/types.js';

export interface RecordingModel extends ChatModel {
  requests: ChatRequest[];
  inFlight: number;
  maxInFlight: number;
}

export function recordingModel(
  answer: (request: ChatRequest, callIndex: number) => string | Error,
  /** `price`: the model's price (what budget reservations use); each call then costs its 10 input + 2 output tokens at it. */
  options: { latencyMs?: number; costPerCall?: number | null; modelId?: string; price?: ModelPrice } = {},
): RecordingModel {
  const model: RecordingModel = {
    provider: 'sim',
    modelId: options.modelId ?? 'recording',
    simulated: true,
    ...(options.price ? { price: options.price } : {}),
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      request.onSend?.();
      const index = model.requests.length;
      model.requests.push(request);
      model.inFlight += 1;
      model.maxInFlight = Math.max(model.maxInFlight, model.inFlight);
      try {
        if (options.latencyMs) await delay(options.latencyMs, undefined, { signal: request.signal }); // an abort cancels the call, like the SDKs
        const text = answer(request, index);
        if (text instanceof Error) throw text;
        return {
          text,
          usage: { inputTokens: 10, outputTokens: 2 },
          latencyMs: options.latencyMs ?? 0,
          costUsd: options.price ? costOf(options.price, 10, 2) : options.costPerCall === undefined ? 0.001 : options.costPerCall,
          model: model.modelId,
        };
      } finally {
        model.inFlight -= 1;
      }
    },
  };
  return model;
}

export function lastUserMessage(request: ChatRequest): string {
  return request.messages[request.messages.length - 1]?.content ?? '';
}
