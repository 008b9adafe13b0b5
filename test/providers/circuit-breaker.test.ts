import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EndpointUnreachableError, ProviderError } from '../../src/errors.js';
import { createModel } from '../../src/session/create-model.js';
import { CircuitBreaker } from '../../src/providers/middleware/with-circuit-breaker.js';
import { closedPortUrl, startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, config, testOptions } from './helpers.js';

describe('CircuitBreaker', () => {
  function breaker(windowMs = 1000) {
    let clock = 0;
    const b = new CircuitBreaker({ provider: 'openai', endpoint: 'http://127.0.0.1:1/v1', windowMs, now: () => clock });
    return { b, at: (ms: number) => void (clock = ms) };
  }

  it('opens after the window of silence, with at least two failures, and aborts its signal', () => {
    const { b, at } = breaker();
    at(100);
    b.recordSilence(0, 'connection failed');
    expect(b.error).toBeUndefined(); // one failure: not yet
    at(900);
    b.recordSilence(800, 'connection failed');
    expect(b.error).toBeUndefined(); // 900 ms of silence < 1000
    at(1000);
    b.recordSilence(990, 'connection failed: ECONNREFUSED');
    expect(b.error).toBeInstanceOf(EndpointUnreachableError);
    expect(b.error!.message).toMatch(/openai at http:\/\/127\.0\.0\.1:1\/v1 is unreachable: no answer for 1\.0 s, 3 request\(s\) in a row failed \(last: connection failed: ECONNREFUSED\)/);
    expect(b.signal.aborted).toBe(true);
  });

  it('a hung endpoint trips on its first round of timeouts (the window counts from when they were sent)', () => {
    const { b, at } = breaker(500);
    at(2000);
    b.recordSilence(0, 'request timed out');
    b.recordSilence(0, 'request timed out');
    expect(b.error).toBeDefined();
  });

  it('any answer resets the count; silence after an idle spell counts from the failing requests', () => {
    const { b, at } = breaker(1000);
    b.recordSilence(0, 'x');
    at(1500);
    b.recordAnswer();
    b.recordSilence(1400, 'x'); // sent before the answer: the silence counts from the answer
    at(1600);
    b.recordSilence(1590, 'x');
    expect(b.error).toBeUndefined();
    at(60_000); // an idle minute, then a short blip
    b.recordSilence(59_990, 'x');
    b.recordSilence(59_995, 'x');
    expect(b.error).toBeUndefined();
  });
});

describe('createModel with the breaker', () => {
  let server: FakeLlmServer;
  beforeAll(async () => {
    server = await startFakeLlmServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('a dead endpoint: calls stop with EndpointUnreachableError once the window has passed', async () => {
    const url = await closedPortUrl();
    const { options } = testOptions({ env: { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: `${url}/v1` } });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 1_000_000, unreachableAfterMs: 150 }), {
      role: 'target',
      ...options,
      sleep: (ms, signal) => new Promise((resolve) => (signal?.aborted ? resolve() : setTimeout(resolve, 5))),
    });
    const errors = await Promise.all([1, 2, 3].map(() => model.complete(ask('x')).catch((e: unknown) => e)));
    for (const error of errors) expect(error).toBeInstanceOf(EndpointUnreachableError);
    expect(errors[0]).toBe(errors[1]); // one error, one message
    await expect(model.complete(ask('later'))).rejects.toBe(errors[0]); // stays open
  });

  it('a hung endpoint: the first round of timeouts opens it, no retry goes out after that', async () => {
    server.setFaults({ every: 1, hang: true });
    const { options } = testOptions({ env: { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: server.openaiBaseUrl } });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 4, timeoutMs: 100, unreachableAfterMs: 50 }), {
      role: 'target',
      ...options,
    });
    const errors = await Promise.all([1, 2, 3].map(() => model.complete(ask('x')).catch((e: unknown) => e)));
    for (const error of errors) expect(error).toBeInstanceOf(EndpointUnreachableError);
    expect(server.count).toBeLessThanOrEqual(4); // 3 hung requests (+ at most one retry sent before it opened), not 15
  });

  it('HTTP errors are answers: 500s never open it', async () => {
    server.setFaults({ every: 1, status: 500 });
    const { options } = testOptions({ env: { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: server.openaiBaseUrl } });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 3, unreachableAfterMs: 1 }), { role: 'target', ...options });
    await expect(model.complete(ask('only 500s'))).rejects.toSatisfy((e) => e instanceof ProviderError && e.kind === 'server');
    // Counted by content: a request the hung test above left in flight may land after the reset.
    expect(server.requests.filter((r) => JSON.stringify(r.body).includes('only 500s'))).toHaveLength(4);
  });
});
