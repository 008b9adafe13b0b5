import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createModel } from '../../src/session/create-model.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, config, testOptions } from './helpers.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({
    validKeys: ['sk-ant-good-0001', 'sk-oai-good-0001'],
    respond: (req) =>
      req.model.startsWith('think') ? { text: 'final answer', thinking: 'let me think' } : `echo[${req.system ?? ''}] ${req.messages.at(-1)?.content}`,
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const anthropicEnv = () => ({ ANTHROPIC_API_KEY: 'sk-ant-good-0001', ANTHROPIC_BASE_URL: server.anthropicBaseUrl });
const openaiEnv = () => ({ OPENAI_API_KEY: 'sk-oai-good-0001', OPENAI_BASE_URL: server.openaiBaseUrl });

describe('anthropic adapter (real SDK against the fake server)', () => {
  it('returns text, usage and cost, with system as the top-level field', async () => {
    const { options } = testOptions({ env: anthropicEnv() });
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5' }), { role: 'target', ...options });
    const res = await model.complete(ask('hello there', 'be brief'));
    expect(res.text).toBe('echo[be brief] hello there');
    expect(res.usage.inputTokens).toBeGreaterThan(0);
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(res.costUsd).toBeCloseTo((res.usage.inputTokens * 1 + res.usage.outputTokens * 5) / 1e6, 12);
    expect(res.attempts).toBe(1);
    expect(res.finishReason).toBe('end_turn');
    expect(res.keyFingerprint).toMatch(/^ANTHROPIC_API_KEY…[0-9a-f]{4}$/);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body.system).toBe('be brief');
    expect(body.max_tokens).toBe(64);
    expect(server.requests[0]!.headers['anthropic-version']).toBe('2026-10-21');
    expect(server.requests[0]!.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(server.requests)).not.toContain('sk-ant-good-0001');
  });

  it('never sends temperature, and warns once per model', async () => {
    const { options, warnings } = testOptions({ env: anthropicEnv() });
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5', temperature: 0.7 }), {
      role: 'target',
      ...options,
    });
    await model.complete(ask('one'));
    await model.complete({ ...ask('two'), temperature: 0.2 });
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
    for (const r of server.requests) expect(r.body).not.toHaveProperty('temperature');
    expect(warnings).toEqual([
      'warning: anthropic API 2026-10-21 does not accept temperature; ignoring target.temperature=0.7 for claude-haiku-4-5',
    ]);
  });

  it('keeps only text blocks (thinking blocks are ignored)', async () => {
    const { options } = testOptions({ env: anthropicEnv() });
    const model = createModel(config({ provider: 'anthropic', model: 'think-model' }), { role: 'target', ...options });
    const res = await model.complete(ask('q'));
    expect(res.text).toBe('final answer');
    expect(res.costUsd).toBeNull(); // unknown model: unknown cost, never 0
  });

  it('spec base_url wins over ANTHROPIC_BASE_URL', async () => {
    const { options } = testOptions({ env: { ...anthropicEnv(), ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/unused' } });
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: server.anthropicBaseUrl }), {
      role: 'target',
      ...options,
    });
    expect((await model.complete(ask('hi'))).text).toContain('hi');
  });
});

describe('openai adapter (real SDK against the fake server)', () => {
  it('returns text, usage and cost, with max_completion_tokens and a system message', async () => {
    const { options } = testOptions({ env: openaiEnv() });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.3 }), { role: 'target', ...options });
    const res = await model.complete(ask('hello', 'sys'));
    expect(res.text).toBe('echo[sys] hello');
    expect(res.costUsd).toBeCloseTo((res.usage.inputTokens * 0.15 + res.usage.outputTokens * 0.6) / 1e6, 12);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 64, temperature: 0.3 });
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hello' },
    ]);
  });

  it('does not send temperature to reasoning models, and warns once', async () => {
    const { options, warnings } = testOptions({ env: openaiEnv() });
    const model = createModel(config({ provider: 'openai', model: 'gpt-5-mini', temperature: 0.7 }), { role: 'optimizer', ...options });
    await model.complete(ask('a'));
    await model.complete(ask('b'));
    for (const r of server.requests) expect(r.body).not.toHaveProperty('temperature');
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(warnings).toHaveLength(1);
    expect(warnings).toEqual([
      'warning: openai reasoning models (o-series, gpt-5) do not accept temperature; ignoring optimizer.temperature=0.7 for gpt-5-mini',
    ]);
  });

  it('openrouter and openai-compatible reuse the adapter with their base URL', async () => {
    const { options } = testOptions({
      env: { OPENROUTER_API_KEY: 'sk-oai-good-0001', OPENAI_API_KEY: 'sk-oai-good-0001', OPENAI_BASE_URL: server.openaiBaseUrl },
    });
    const router = createModel(config({ provider: 'openrouter', model: 'openai/gpt-4o-mini', baseUrl: server.openaiBaseUrl }), {
      role: 'target',
      ...options,
    });
    const compatible = createModel(config({ provider: 'openai-compatible', model: 'llama-3' }), { role: 'target', ...options });
    const a = await router.complete(ask('x'));
    const b = await compatible.complete(ask('y'));
    expect(a.costUsd).not.toBeNull(); // openrouter ids use the vendor's price
    expect(b.costUsd).toBeNull(); // compatible servers: unknown price
    expect(server.requests.map((r) => r.model)).toEqual(['openai/gpt-4o-mini', 'llama-3']);
  });

  it('maps a 2xx body without the answer to malformed_response, without retrying', async () => {
    const { options } = testOptions({ env: openaiEnv() });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 3 }), { role: 'target', ...options });
    for (const malformed of ['missing-content', 'missing-usage'] as const) {
      server.setFaults([{ malformed }]);
      const error = await model.complete(ask('x')).catch((e: unknown) => e);
      expect(error, malformed).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind, malformed).toBe('malformed_response');
    }
    expect(server.count).toBe(2);
  });

  it('retries a 2xx body that is not JSON (truncated, cut off mid-body, an HTML page) like a 5xx', async () => {
    const { options, waits } = testOptions({ env: openaiEnv() });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 4 }), { role: 'target', ...options });
    server.setFaults([{ malformed: 'invalid-json' }, { malformed: 'truncated' }, { malformed: 'cut' }, { malformed: 'html' }]);
    const res = await model.complete(ask('x'));
    expect(res).toMatchObject({ text: 'echo[] x', attempts: 5 });
    expect(waits).toHaveLength(4);
    expect(server.count).toBe(5);

    const once = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', maxRetries: 0 }), { role: 'target', ...options });
    for (const [malformed, kind] of [['truncated', 'unparseable_response'], ['html', 'unparseable_response'], ['cut', 'connection']] as const) {
      server.setFaults([{ malformed }]);
      await expect(once.complete(ask('x')), malformed).rejects.toMatchObject({ kind, retryable: true });
    }
  });

  it('retries a truncated Anthropic body too; a body without content is malformed_response', async () => {
    const { options } = testOptions({ env: anthropicEnv() });
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5', maxRetries: 2 }), { role: 'target', ...options });
    server.setFaults([{ malformed: 'truncated' }, { malformed: 'cut' }]);
    await expect(model.complete(ask('x'))).resolves.toMatchObject({ attempts: 3 });
    server.setFaults([{ malformed: 'missing-content' }]);
    await expect(model.complete(ask('x'))).rejects.toMatchObject({ kind: 'malformed_response' });
  });

  it('a timeout maps to a retryable timeout error', async () => {
    const { options, waits } = testOptions({ env: openaiEnv() });
    const model = createModel(config({ provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 100, maxRetries: 1 }), {
      role: 'target',
      ...options,
    });
    server.setFaults([{ delayMs: 400 }]);
    const res = await model.complete(ask('slow'));
    expect(res.attempts).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('a dropped connection maps to connection and is retried', async () => {
    const { options } = testOptions({ env: anthropicEnv() });
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5', maxRetries: 0 }), { role: 'target', ...options });
    server.setFaults([{ disconnect: true }]);
    await expect(model.complete(ask('x'))).rejects.toMatchObject({ kind: 'connection', retryable: true });
  });
});
