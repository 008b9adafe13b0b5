import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createModel } from '../../src/session/create-model.js';
import { KeyLedger, fingerprintKey } from '../../src/providers/key-ledger.js';
import { sha256 } from '../../src/util/hash.js';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { ask, config, testOptions } from './helpers.js';

const BAD = 'sk-QWRTZXCVBNMP-one';
const GOOD = 'sk-LKJHGPOIUYTR-two';
const BROKE = 'sk-MNBVRTYUXWQZ-three';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [GOOD, BROKE], quotaExhaustedKeys: [BROKE] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Every 4-character piece of the key: none may appear in anything we log or report. */
function expectNoKeyPiece(text: string, key: string) {
  for (let i = 0; i + 4 <= key.length; i++) expect(text, `leaks "${key.slice(i, i + 4)}"`).not.toContain(key.slice(i, i + 4));
}

function setup(provider: 'openai' | 'anthropic', keys: Record<string, string>) {
  const baseEnv = provider === 'openai' ? { OPENAI_BASE_URL: server.openaiBaseUrl } : { ANTHROPIC_BASE_URL: server.anthropicBaseUrl };
  const t = testOptions({ env: { ...baseEnv, ...keys } });
  const ledger = new KeyLedger();
  const model = createModel(
    config({ provider, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', apiKeyEnv: Object.keys(keys) }),
    { role: 'target', ...t.options, ledger },
  );
  return { model, ledger, waits: t.waits };
}

describe('key rotation', () => {
  it('401 on the first key → the second key, sticky for later calls; ledger per fingerprint', async () => {
    const { model, ledger } = setup('openai', { KEY_A: BAD, KEY_B: GOOD });
    const first = await model.complete(ask('one'));
    const second = await model.complete(ask('two'));
    expect(server.requests.map((r) => r.auth)).toEqual(['invalid', 'valid', 'valid']);
    expect(first.attempts).toBe(1); // rotation is not a retry
    expect(first.keyFingerprint).toBe(`KEY_B…${sha256(GOOD).slice(-4)}`);
    expect(second.keyFingerprint).toBe(first.keyFingerprint);

    const [a, b] = ledger.entries();
    expect(a).toMatchObject({ fingerprint: fingerprintKey('KEY_A', BAD), envVar: 'KEY_A', calls: 0, failures: 1, lastErrorCode: 'PROVIDER_AUTH' });
    expect(b).toMatchObject({ fingerprint: fingerprintKey('KEY_B', GOOD), calls: 2, failures: 0 });
    expect(b!.inputTokens).toBe(first.usage.inputTokens + second.usage.inputTokens);
    expect(b!.outputTokens).toBe(first.usage.outputTokens + second.usage.outputTokens);
    expect(b!.costUsd).toBeCloseTo(first.costUsd! + second.costUsd!, 12);
    expect(ledger.snapshot()[1]).toMatchObject({ calls: 2, input_tokens: b!.inputTokens, cost_usd: b!.costUsd });

    const everything = JSON.stringify({ ledger, snapshot: ledger.snapshot(), first, second });
    expectNoKeyPiece(everything, BAD);
    expectNoKeyPiece(everything, GOOD);
  });

  it('an OpenAI quota error (429 insufficient_quota) rotates instead of retrying', async () => {
    const { model, ledger, waits } = setup('openai', { KEY_A: BROKE, KEY_B: GOOD });
    const res = await model.complete(ask('x'));
    expect(server.requests.map((r) => [r.auth, r.status])).toEqual([
      ['quota', 429],
      ['valid', 200],
    ]);
    expect(waits).toEqual([]);
    expect(res.keyFingerprint).toMatch(/^KEY_B…/);
    expect(ledger.entries()[0]).toMatchObject({ failures: 1, lastErrorCode: 'PROVIDER_QUOTA' });
  });

  it('an Anthropic billing error (400 billing_error) rotates', async () => {
    const { model } = setup('anthropic', { ANTHROPIC_API_KEY: BROKE, ANTHROPIC_API_KEY_2: GOOD });
    const res = await model.complete(ask('x'));
    expect(server.requests.map((r) => [r.auth, r.status])).toEqual([
      ['quota', 400],
      ['valid', 200],
    ]);
    expect(res.keyFingerprint).toMatch(/^ANTHROPIC_API_KEY_2…[0-9a-f]{4}$/);
  });

  it('a rate limit does not rotate: the same key is retried', async () => {
    const { model } = setup('openai', { KEY_A: GOOD, KEY_B: BROKE });
    server.setFaults([{ status: 429, retryAfterS: 0 }]);
    const res = await model.complete(ask('x'));
    expect(res.attempts).toBe(2);
    expect(server.requests.map((r) => r.auth)).toEqual(['valid', 'valid']);
  });

  it('all keys bad → the last auth error, and later calls fail fast; messages leak no key', async () => {
    const { model, ledger } = setup('openai', { KEY_A: BAD, KEY_B: 'sk-ZZZZYYYYXXXX-four' });
    const error = await model.complete(ask('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(server.count).toBe(2);
    expectNoKeyPiece((error as Error).message, BAD);
    expectNoKeyPiece((error as Error).message, 'sk-ZZZZYYYYXXXX-four');
    await expect(model.complete(ask('y'))).rejects.toBe(error);
    expect(server.count).toBe(2);
    expect(ledger.entries().map((e) => e.failures)).toEqual([1, 1]);
  });

  it('only variables that are set count, duplicates once, in priority order', async () => {
    const { model } = setup('openai', { KEY_A: '', KEY_B: GOOD, KEY_C: GOOD });
    const res = await model.complete(ask('x'));
    expect(res.keyFingerprint).toMatch(/^KEY_B…/);
  });
});

describe('fingerprintKey', () => {
  it('is the env var name and the last 4 hex of sha256(key)', () => {
    expect(fingerprintKey('OPENAI_API_KEY', 'abc')).toBe(`OPENAI_API_KEY…${sha256('abc').slice(-4)}`);
  });

  it('never contains a piece of the key, even when the hash tail happens to occur in it', () => {
    const key = '001b30'; // sha256('001b30') ends in '001b', which occurs in the key
    expect(sha256(key).slice(-4)).toBe('001b');
    const fp = fingerprintKey('K', key);
    expect(fp).toBe(`K…${sha256(key).slice(-5, -1)}`);
    expect(key).not.toContain(fp.slice(-4));
  });
});
