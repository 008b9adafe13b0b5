import type { ModelConfig } from '../../src/providers/types.js';
import { RateLimiterRegistry } from '../../src/providers/middleware/with-rate-limit.js';

export function config(overrides: Partial<ModelConfig> & Pick<ModelConfig, 'provider' | 'model'>): ModelConfig {
  return { maxTokens: 256, apiKeyEnv: [], timeoutMs: 5_000, maxRetries: 3, ...overrides };
}

/** A sleep that returns at once and remembers how long it was asked to wait. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Options every createModel call in these tests shares: no real waits, an isolated limiter. */
export function testOptions(extra: { env?: NodeJS.ProcessEnv } = {}) {
  const { sleep, waits } = fakeSleep();
  const warnings: string[] = [];
  return {
    waits,
    warnings,
    options: {
      env: extra.env ?? {},
      warn: (m: string) => void warnings.push(m),
      rateLimiters: new RateLimiterRegistry(),
      sleep,
      random: () => 0.5,
    },
  };
}

export const ask = (content: string, system?: string) => ({
  ...(system ? { system } : {}),
  messages: [{ role: 'user' as const, content }],
  maxTokens: 64,
});
