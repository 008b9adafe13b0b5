import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveEndpoint, untrustedBaseUrl } from '../../src/providers/resolve-endpoint.js';

describe('which base URLs a spec may send a key to', () => {
  it('loopback is 127.0.0.0/8, ::1 and localhost, and nothing that merely starts like them', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['127.0.0.1.example.com', 'localhost.example.com', '10.0.0.1', '0.0.0.0', '[::2]', 'example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(new URL('http://2130706433:8080/v1').hostname).toBe('127.0.0.1'); // numeric forms are normalized by URL first
  });

  it("the provider's own origin, loopback and the environment's base URL pass; anything else names the key and the ways out", () => {
    const env = { OPENAI_BASE_URL: 'https://llm.internal.example/v1' };
    expect(untrustedBaseUrl('openai', 'https://api.openai.com/v1', [], env)).toBeUndefined();
    expect(untrustedBaseUrl('openai', 'http://127.0.0.1:9/v1', [], env)).toBeUndefined();
    expect(untrustedBaseUrl('openai', 'https://llm.internal.example/other/v1', [], env)).toBeUndefined();
    expect(untrustedBaseUrl('anthropic', 'https://api.anthropic.com', [], {})).toBeUndefined();
    expect(untrustedBaseUrl('openai', 'https://api.anthropic.com/v1', [], {})?.message).toBe(
      "a spec may not send OPENAI_API_KEY to https://api.anthropic.com: keys go only to openai's own https://api.openai.com, a loopback address or the base URL in OPENAI_BASE_URL",
    );
    expect(untrustedBaseUrl('openai-compatible', 'https://x.example/v1', ['TEAM_KEY', 'TEAM_KEY_2'], {})).toEqual({
      message: 'a spec may not send TEAM_KEY / TEAM_KEY_2 to https://x.example: keys go only to a loopback address or the base URL in OPENAI_BASE_URL',
      hint: 'if you wrote this spec yourself, pass --trust-spec, or set OPENAI_BASE_URL=https://x.example/v1 in the environment',
    });
  });

  it('resolveEndpoint enforces it (exit 2) for any caller, unless trusted', () => {
    const config = { baseUrl: 'https://x.example/v1', apiKeyEnv: [] };
    const env = { OPENAI_API_KEY: 'k-123456789' };
    expect(() => resolveEndpoint('openai', config, env, 'judge')).toThrow(expect.objectContaining({ code: 'BASE_URL_NOT_TRUSTED', exitCode: 2, location: { path: 'judge.base_url' } }));
    expect(resolveEndpoint('openai', config, env, 'judge', { trustSpec: true }).baseUrl).toBe('https://x.example/v1');
    expect(resolveEndpoint('openai', { apiKeyEnv: [] }, { ...env, OPENAI_BASE_URL: 'https://y.example/v1' }).baseUrl).toBe('https://y.example/v1');
  });
});
