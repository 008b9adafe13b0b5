/**
 * The run's abort signal reaches every call, but through a per-call signal: the SDKs add an `abort`
 * listener to each request's signal and never remove it, and on the run's signal those piled up (one
 * per call, each holding its request).
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import type { ChatModel, ChatRequest } from '../../src/providers/types.js';
import { ModelCaller } from '../../src/runner/model-caller.js';

/** A model that, like the SDKs, listens to each request's signal and never stops listening. */
function leakyModel(options: { hang?: boolean } = {}): ChatModel & { seen: AbortSignal[] } {
  const seen: AbortSignal[] = [];
  return {
    provider: 'sim',
    modelId: 'leaky',
    simulated: true,
    seen,
    async complete(request: ChatRequest) {
      const signal = request.signal!;
      seen.push(signal);
      const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      if (options.hang) await aborted;
      return { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 0, costUsd: 0, model: 'leaky' };
    },
  };
}

describe('the run signal and model calls', () => {
  it('leaves no listener on the run signal however many calls listened to theirs', async () => {
    const run = new AbortController();
    const model = leakyModel();
    const caller = new ModelCaller({ signal: run.signal });
    for (let i = 0; i < 500; i++) await caller.call(model, { messages: [{ role: 'user', content: `call ${i}` }], maxTokens: 5 }, 'target');
    expect(model.seen).toHaveLength(500);
    expect(model.seen.every((s) => s !== run.signal)).toBe(true);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('still cancels the calls in flight when the run is aborted, with its reason', async () => {
    const run = new AbortController();
    const model = leakyModel({ hang: true });
    const caller = new ModelCaller({ signal: run.signal });
    const pending = caller.call(model, { messages: [{ role: 'user', content: 'hang' }], maxTokens: 5 }, 'target');
    await new Promise((resolve) => setTimeout(resolve, 10));
    run.abort('SIGTERM');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(model.seen[0]!.aborted).toBe(true);
    expect(model.seen[0]!.reason).toBe('SIGTERM');
  });
});
