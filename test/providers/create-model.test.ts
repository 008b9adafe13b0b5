import { describe, expect, it } from 'vitest';
import { MissingApiKeyError, PromptoptError } from '../../src/errors.js';
import { createModel, describeModel } from '../../src/session/create-model.js';
import { RateLimiterRegistry } from '../../src/providers/middleware/with-rate-limit.js';
import { config } from './helpers.js';

describe('createModel', () => {
  it('throws MissingApiKeyError (exit 2) naming the variable, with a hint to use sim — never falls back', () => {
    let error: unknown;
    try {
      createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5' }), { role: 'target', env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingApiKeyError);
    const e = error as MissingApiKeyError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('ANTHROPIC_API_KEY');
    expect(e.hint).toMatch(/provider: sim/);
  });

  it('lists every variable it looked at; empty values count as unset', () => {
    expect(() =>
      createModel(config({ provider: 'openai', model: 'gpt-4o', apiKeyEnv: ['KEY_ONE', 'KEY_TWO'] }), {
        role: 'judge',
        env: { KEY_ONE: '', KEY_TWO: '   ', OPENAI_API_KEY: 'not-listed' },
      }),
    ).toThrow(/set KEY_ONE or KEY_TWO/);
  });

  it('uses each provider’s default key variable when apiKeyEnv is empty', () => {
    expect(() => createModel(config({ provider: 'openrouter', model: 'x/y' }), { role: 'target', env: {} })).toThrow(/OPENROUTER_API_KEY/);
  });

  it('openai-compatible needs a base URL (spec or OPENAI_BASE_URL)', () => {
    const make = (env: NodeJS.ProcessEnv, baseUrl?: string) =>
      createModel(config({ provider: 'openai-compatible', model: 'local', baseUrl }), { role: 'target', env, rateLimiters: new RateLimiterRegistry() });
    let error: unknown;
    try {
      make({ OPENAI_API_KEY: 'k' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PromptoptError);
    expect(error).toMatchObject({ code: 'MISSING_BASE_URL', exitCode: 2 });
    expect(make({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).provider).toBe('openai-compatible');
    expect(make({ OPENAI_API_KEY: 'k' }, 'http://127.0.0.1:1/v1').modelId).toBe('local');
  });

  it('does not need keys for sim, and says it is simulated', () => {
    const model = createModel(config({ provider: 'sim', model: 'sim-classifier' }), { role: 'target', env: {} });
    expect(model.simulated).toBe(true);
    expect(describeModel(model)).toBe('sim:sim-classifier (simulated)');
  });

  it('describes real models without the simulated tag', () => {
    const model = createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5' }), {
      role: 'target',
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' },
      rateLimiters: new RateLimiterRegistry(),
    });
    expect(model.simulated).toBe(false);
    expect(describeModel(model)).toBe('anthropic:claude-haiku-4-5');
  });

  it('warns nothing when the temperature is accepted or unset', () => {
    const warnings: string[] = [];
    const env = { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' };
    const options = { role: 'target' as const, env, warn: (m: string) => void warnings.push(m), rateLimiters: new RateLimiterRegistry() };
    createModel(config({ provider: 'openai', model: 'gpt-4o', temperature: 0.2 }), options);
    createModel(config({ provider: 'openai', model: 'o3' }), options);
    createModel(config({ provider: 'anthropic', model: 'claude-haiku-4-5' }), options);
    expect(warnings).toEqual([]);
    createModel(config({ provider: 'openrouter', model: 'openai/o4-mini', temperature: 1 }), { ...options, env: { OPENROUTER_API_KEY: 'k' } });
    expect(warnings).toHaveLength(1);
  });
});
