/**
 * Where a real provider lives and which keys reach it: spec `base_url` wins over the environment,
 * the environment wins over the default. Keys come from `apiKeyEnv` names that are set, in order.
 */
import { EXIT, PromptoptError } from '../errors.js';
import type { ModelConfig, ProviderName } from './types.js';

export type RealProvider = Exclude<ProviderName, 'sim'>;

interface ProviderDefaults {
  /** Which wire API the adapter speaks. */
  api: 'anthropic' | 'openai';
  keyEnv: string[];
  baseUrlEnv?: string;
  defaultBaseUrl?: string;
}

export const PROVIDER_DEFAULTS: Record<RealProvider, ProviderDefaults> = {
  anthropic: {
    api: 'anthropic',
    keyEnv: ['ANTHROPIC_API_KEY'],
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    defaultBaseUrl: 'https://api.anthropic.com',
  },
  openai: {
    api: 'openai',
    keyEnv: ['OPENAI_API_KEY'],
    baseUrlEnv: 'OPENAI_BASE_URL',
    defaultBaseUrl: 'https://api.openai.com/v1',
  },
  openrouter: {
    api: 'openai',
    keyEnv: ['OPENROUTER_API_KEY'],
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
  },
  'openai-compatible': { api: 'openai', keyEnv: ['OPENAI_API_KEY'], baseUrlEnv: 'OPENAI_BASE_URL' },
};

/** One API key, known by the variable that held it. */
export interface ApiKeySource {
  envVar: string;
  key: string;
}

export interface Endpoint {
  baseUrl: string;
  /** Every variable we looked at, in priority order (for the missing-key message). */
  keyEnv: string[];
  /** Keys that are set, in priority order, duplicates (same value) removed. */
  keys: ApiKeySource[];
}

export function resolveEndpoint(
  provider: RealProvider,
  config: Pick<ModelConfig, 'baseUrl' | 'apiKeyEnv'>,
  env: NodeJS.ProcessEnv,
  role = 'target',
): Endpoint {
  const defaults = PROVIDER_DEFAULTS[provider];
  const fromEnv = defaults.baseUrlEnv ? nonEmpty(env[defaults.baseUrlEnv]) : undefined;
  const baseUrl = nonEmpty(config.baseUrl) ?? fromEnv ?? defaults.defaultBaseUrl;
  if (!baseUrl) {
    throw new PromptoptError('MISSING_BASE_URL', `provider "${provider}" needs a base URL`, {
      exitCode: EXIT.badInput,
      hint: `set ${role}.base_url in the spec or ${defaults.baseUrlEnv} in the environment`,
      location: { path: `${role}.base_url` },
    });
  }
  const keyEnv = config.apiKeyEnv.length > 0 ? config.apiKeyEnv : defaults.keyEnv;
  const keys: ApiKeySource[] = [];
  for (const envVar of keyEnv) {
    const key = nonEmpty(env[envVar]);
    if (key && !keys.some((k) => k.key === key)) keys.push({ envVar, key });
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), keyEnv, keys };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
