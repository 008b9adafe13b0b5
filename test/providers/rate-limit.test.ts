import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createModel } from '../../src/session/create-model.js';
import { AdaptiveLimiter, RateLimiterRegistry } from '../../src/providers/middleware/with-rate-limit.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, config, fakeSleep } from './helpers.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ latencyMs: 15 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function model(registry: RateLimiterRegistry, concurrency: number, modelId = 'gpt-4o-mini') {
  return createModel(config({ provider: 'openai', model: modelId, concurrency, maxRetries: 3 }), {
    role: 'target',
    env: { OPENAI_API_KEY: 'sk-any', OPENAI_BASE_URL: server.openaiBaseUrl },
    rateLimiters: registry,
    sleep: fakeSleep().sleep,
    random: () => 0,
  });
}

describe('withRateLimit against the fake server', () => {
  it('caps requests in flight, shared by every model of the provider', async () => {
    const registry = new RateLimiterRegistry();
    const a = model(registry, 3, 'gpt-4o-mini');
    const b = model(registry, 3, 'gpt-4.1-mini');
    await Promise.all([...Array(6)].flatMap((_, i) => [a.complete(ask(`a${i}`)), b.complete(ask(`b${i}`))]));
    expect(server.count).toBe(12);
    expect(server.maxInFlight).toBe(3);
  });

  it('halves the allowed concurrency on a 429, and the server then sees no more than that', async () => {
    const registry = new RateLimiterRegistry({ rampEvery: 1000 });
    const m = model(registry, 4);
    server.setFaults([{ status: 429, retryAfterS: 0 }]);
    await m.complete(ask('first'));
    const limiter = registry.peek('openai')!;
    expect(limiter.limit).toBe(2);
    expect(limiter.maxConcurrency).toBe(4);
    server.reset();
    await Promise.all([...Array(8)].map((_, i) => m.complete(ask(`x${i}`))));
    expect(server.maxInFlight).toBe(2);
  });
});

describe('AdaptiveLimiter (AIMD)', () => {
  const rateLimited = () => Promise.reject(new ProviderError('openai', 'rate_limit', '429'));
  const ok = () => Promise.resolve('ok');

  it('halves on 429 (min 1) and ramps back by one per N successes up to the cap', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, rampEvery: 2 });
    await limiter.run(rateLimited).catch(() => {});
    expect(limiter.limit).toBe(4);
    await limiter.run(rateLimited).catch(() => {});
    await limiter.run(rateLimited).catch(() => {});
    await limiter.run(rateLimited).catch(() => {});
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 4; i++) await limiter.run(ok);
    expect(limiter.limit).toBe(3);
    for (let i = 0; i < 20; i++) await limiter.run(ok);
    expect(limiter.limit).toBe(8);
  });

  it('a burst of 429s from requests already in flight counts once', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8 });
    await Promise.allSettled([...Array(6)].map(() => limiter.run(rateLimited)));
    expect(limiter.limit).toBe(4);
  });

  it('other errors do not slow down', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 4 });
    await limiter.run(() => Promise.reject(new ProviderError('openai', 'server', '500'))).catch(() => {});
    expect(limiter.limit).toBe(4);
  });

  it('registry: the first explicit cap replaces the default, then the smallest wins', () => {
    const registry = new RateLimiterRegistry();
    expect(registry.get('anthropic').maxConcurrency).toBe(8);
    expect(registry.get('anthropic', 20).maxConcurrency).toBe(20);
    expect(registry.get('anthropic', 5).maxConcurrency).toBe(5);
    expect(registry.get('anthropic', 10).maxConcurrency).toBe(5);
    expect(registry.get('anthropic').maxConcurrency).toBe(5);
    expect(registry.get('openai', 2)).not.toBe(registry.get('anthropic'));
  });
});
