import { hashValue } from '../util/hash.js';
import type { ChatModel, ChatRequest } from '../providers/types.js';

/**
 * Everything that determines a response: provider, model, every sampling parameter, the exact
 * rendered messages, the sample index, and a namespace (e.g. an optimize run's id, so `--resume`
 * replays optimizer calls while a fresh run gets fresh ones). The base URL is included so two
 * OpenAI-compatible servers serving the same model name never share entries.
 */
export function cacheKey(
  model: Pick<ChatModel, 'provider' | 'modelId'> & { baseUrl?: string },
  request: ChatRequest,
  sample: number,
  namespace = '',
): string {
  return hashValue({
    v: 1,
    provider: model.provider,
    model: model.modelId,
    baseUrl: model.baseUrl ?? null,
    system: request.system ?? null,
    messages: request.messages,
    temperature: request.temperature ?? null,
    maxTokens: request.maxTokens,
    // Only when set, so the keys of requests without one stay what they were.
    ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
    sample,
    namespace,
  });
}
