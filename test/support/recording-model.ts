/** A ChatModel that records every request and answers from a function: for unit tests of the runner. */
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/providers/types.js';

export interface RecordingModel extends ChatModel {
  requests: ChatRequest[];
  inFlight: number;
  maxInFlight: number;
}

export function recordingModel(
  answer: (request: ChatRequest, callIndex: number) => string | Error,
  options: { latencyMs?: number; costPerCall?: number | null; modelId?: string } = {},
): RecordingModel {
  const model: RecordingModel = {
    provider: 'sim',
    modelId: options.modelId ?? 'recording',
    simulated: true,
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const index = model.requests.length;
      model.requests.push(request);
      model.inFlight += 1;
      model.maxInFlight = Math.max(model.maxInFlight, model.inFlight);
      try {
        if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
        const text = answer(request, index);
        if (text instanceof Error) throw text;
        return {
          text,
          usage: { inputTokens: 10, outputTokens: 2 },
          latencyMs: options.latencyMs ?? 0,
          costUsd: options.costPerCall === undefined ? 0.001 : options.costPerCall,
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
