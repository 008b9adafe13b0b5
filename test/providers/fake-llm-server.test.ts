/** The loopback fake, exercised through the real SDKs: strict validation, auth, error shapes, records. */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';

let server: FakeLlmServer;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: ['sk-valid'], quotaExhaustedKeys: ['sk-broke'] });
  openai = new OpenAI({ apiKey: 'sk-valid', baseURL: server.openaiBaseUrl, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-valid', baseURL: server.anthropicBaseUrl, maxRetries: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const fail = (p: Promise<unknown>) => p.then(() => expect.fail('expected an error'), (e: unknown) => e as { status: number; error: unknown });

describe('fake server: OpenAI route', () => {
  it('answers with a real chat.completion shape', async () => {
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]!.message.content).toBe('fake openai reply from gpt-4o-mini: hi');
    expect(res.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: expect.any(Number) });
  });

  it('400s unknown fields, empty messages, and temperature on reasoning models, with OpenAI error bodies', async () => {
    const unknown = await fail(openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], bogus: 1 } as never));
    expect(unknown.status).toBe(400);
    expect(unknown.error).toEqual({
      message: 'Unrecognized request argument supplied: bogus',
      type: 'invalid_request_error',
      param: 'bogus',
      code: null,
    });
    expect((await fail(openai.chat.completions.create({ model: 'gpt-4o', messages: [] }))).status).toBe(400);
    const temp = await fail(openai.chat.completions.create({ model: 'o3', messages: [{ role: 'user', content: 'x' }], temperature: 0.2 }));
    expect(temp.error).toMatchObject({ param: 'temperature', code: 'unsupported_value' });
  });

  it('401s a wrong key and 429s (insufficient_quota) an exhausted one', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong-key-1234', baseURL: server.openaiBaseUrl, maxRetries: 0 });
    const auth = await fail(wrong.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }));
    expect(auth.status).toBe(401);
    expect(auth.error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
    const broke = new OpenAI({ apiKey: 'sk-broke', baseURL: server.openaiBaseUrl, maxRetries: 0 });
    const quota = await fail(broke.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }));
    expect(quota.status).toBe(429);
    expect(quota.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(server.requests.map((r) => r.auth)).toEqual(['invalid', 'quota']);
  });

  it('applies an `every` fault plan with retry-after', async () => {
    server.setFaults({ every: 2, status: 429, retryAfterS: 0 });
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `${i}` }] }).then(() => 200, (e: { status: number }) => e.status));
    }
    expect(results).toEqual([200, 429, 200, 429]);
    expect(server.requests[1]!.fault).toMatchObject({ status: 429 });
  });
});

describe('fake server: Anthropic route', () => {
  const message = { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('answers with a real message shape', async () => {
    const res = await anthropic.messages.create(message);
    expect(res.type).toBe('message');
    expect(res.content[0]).toMatchObject({ type: 'text', text: 'fake anthropic reply from claude-haiku-4-5: hi' });
    expect(res.stop_reason).toBe('end_turn');
    expect(res.usage.input_tokens).toBe(1);
  });

  it('400s temperature/top_p/top_k, a system role, a missing max_tokens and unknown fields, with Anthropic error bodies', async () => {
    for (const extra of [{ temperature: 0 }, { top_p: 0.9 }, { top_k: 5 }]) {
      const e = await fail(anthropic.messages.create({ ...message, ...extra } as never));
      expect(e.status).toBe(400);
      expect(e.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('is not supported on this API version') } });
    }
    const system = await fail(anthropic.messages.create({ ...message, messages: [{ role: 'system', content: 'x' }] } as never));
    expect(JSON.stringify(system.error)).toContain('top-level `system` parameter');
    const noMax = await fail(anthropic.messages.create({ model: 'm', messages: message.messages } as never));
    expect(JSON.stringify(noMax.error)).toContain('max_tokens: Field required');
    const unknown = await fail(anthropic.messages.create({ ...message, frobnicate: true } as never));
    expect(JSON.stringify(unknown.error)).toContain('frobnicate');
  });

  it('requires anthropic-version and a key', async () => {
    const noVersion = await fetch(`${server.anthropicBaseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-valid', 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
    const noKey = await fetch(`${server.anthropicBaseUrl}/v1/messages`, { method: 'POST', body: '{}' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('a billing error for an exhausted key; faults in queue order; records without key values', async () => {
    const broke = new Anthropic({ apiKey: 'sk-broke', baseURL: server.anthropicBaseUrl, maxRetries: 0 });
    const billing = await fail(broke.messages.create(message));
    expect(billing).toMatchObject({ status: 400, error: { error: { type: 'billing_error' } } });
    server.setFaults([{ status: 529 }, null, { status: 500 }]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await anthropic.messages.create(message).then(() => 200, (e: { status: number }) => e.status));
    expect(statuses).toEqual([529, 200, 500, 200]);
    expect(server.count).toBe(5);
    expect(JSON.stringify(server.requests)).not.toContain('sk-valid');
    expect(JSON.stringify(server.requests)).not.toContain('sk-broke');
  });
});
