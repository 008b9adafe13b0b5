import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createModel } from '../../src/session/create-model.js';
import { backoffDelay, withRetry } from '../../src/providers/middleware/with-retry.js';
import type { ChatModel } from '../../src/providers/types.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, config, fakeSleep, testOptions } from './helpers.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: ['sk-good'] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function openai(maxRetries = 3) {
  const t = testOptions({ env: { OPENAI_API_KEY: 'sk-good', OPENAI_BASE_URL: server.openaiBaseUrl } });
  const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries }), { role: 'target', ...t.options });
  return { model, waits: t.waits };
}

function anthropic(maxRetries = 3) {
  const t = testOptions({ env: { ANTHROPIC_API_KEY: 'sk-good', ANTHROPIC_BASE_URL: server.anthropicBaseUrl } });
  const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5', maxRetries }), { role: 'target', ...t.options });
  return { model, waits: t.waits };
}

describe('withRetry through the SDKs', () => {
  it('429 with retry-after: waits at least that long, then succeeds', async () => {
    const { model, waits } = openai();
    server.setFaults([{ status: 429, retryAfterS: 2 }]);
    const res = await model.complete(ask('hi'));
    expect(res.attempts).toBe(2);
    expect(waits).toEqual([2000]); // jitter would have been 250 ms
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('honours retry-after-ms and an HTTP-date retry-after', async () => {
    const { model, waits } = anthropic();
    server.setFaults([
      { status: 429, retryAfterMs: 1500 },
      { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
    ]);
    const res = await model.complete(ask('hi'));
    expect(res.attempts).toBe(3);
    expect(waits[0]).toBe(1500);
    expect(waits[1]).toBeGreaterThan(55_000);
  });

  it('retries 500 and 529 with exponential, jittered backoff', async () => {
    const { model, waits } = anthropic();
    server.setFaults([{ status: 500 }, { status: 529 }]);
    const res = await model.complete(ask('hi'));
    expect(res.attempts).toBe(3);
    expect(waits).toEqual([250, 500]); // random() = 0.5 of 500 ms, 1000 ms
  });

  it('503 is overloaded and retried; gives up after maxRetries with the last error', async () => {
    const { model, waits } = openai(2);
    server.setFaults({ every: 1, status: 503 });
    const error = await model.complete(ask('hi')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'overloaded', status: 503, retryable: true });
    expect(server.count).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('does not retry a 400', async () => {
    const { model, waits } = openai();
    server.setFaults([{ status: 400, message: 'bad thing' }]);
    await expect(model.complete(ask('hi'))).rejects.toMatchObject({ kind: 'bad_request', status: 400, retryable: false });
    expect(server.count).toBe(1);
    expect(waits).toEqual([]);
  });

  it('a request the API rejects (temperature on 2026-10-21) is a bad_request, not retried', async () => {
    const anthropicSdk = (await import('@anthropic-ai/sdk')).default;
    const client = new anthropicSdk({ apiKey: 'sk-good', baseURL: server.anthropicBaseUrl, maxRetries: 0 });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], temperature: 0.5 } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(String((error as Error).message)).toContain('temperature is not supported on this API version');
  });
});

describe('withRetry unit', () => {
  const failing = (errors: unknown[]): ChatModel & { calls: number } => {
    const model = {
      provider: 'openai' as const,
      modelId: 'm',
      simulated: false,
      calls: 0,
      async complete() {
        const error = errors[model.calls++];
        if (error) throw error;
        return { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, costUsd: null, model: 'm' };
      },
    };
    return model;
  };

  it('backoff is capped at 30 s', () => {
    expect(backoffDelay(20, () => 0.999999, 500, 30_000)).toBe(30_000);
    expect(backoffDelay(0, () => 0, 500, 30_000)).toBe(0);
  });

  it('does not retry non-ProviderErrors or auth errors', async () => {
    const { sleep, waits } = fakeSleep();
    const a = failing([new Error('boom')]);
    await expect(withRetry(a, { maxRetries: 3, sleep }).complete(ask('x'))).rejects.toThrow('boom');
    const b = failing([new ProviderError('openai', 'auth', '401')]);
    await expect(withRetry(b, { maxRetries: 3, sleep }).complete(ask('x'))).rejects.toMatchObject({ kind: 'auth' });
    expect(a.calls + b.calls).toBe(2);
    expect(waits).toEqual([]);
  });

  it('gives up at once when the server asks for a wait beyond maxRetryAfterMs', async () => {
    const { sleep, waits } = fakeSleep();
    const m = failing([new ProviderError('openai', 'rate_limit', '429', { retryAfterMs: 86_400_000 })]);
    await expect(withRetry(m, { maxRetries: 3, sleep }).complete(ask('x'))).rejects.toMatchObject({ kind: 'rate_limit' });
    expect(waits).toEqual([]);
  });

  it('reports each retry', async () => {
    const seen: number[] = [];
    const m = failing([new ProviderError('openai', 'server', '500'), new ProviderError('openai', 'timeout', 't')]);
    const res = await withRetry(m, {
      maxRetries: 5,
      sleep: fakeSleep().sleep,
      random: () => 1,
      onRetry: (i) => seen.push(i.delayMs),
    }).complete(ask('x'));
    expect(res.attempts).toBe(3);
    expect(seen).toEqual([500, 1000]);
  });
});
