/**
 * Where a real provider lives and which keys reach it: spec `base_url` wins over the environment,
 * the environment wins over the default. Keys come from `apiKeyEnv` names that are set, in order.
 *
 * A spec may be written by someone else (a pull request), so a key goes only where whoever runs
 * the command sends it: the provider's own host, a loopback address, or the base URL set in the
 * environment (OPENAI_BASE_URL...). A spec `base_url` anywhere else needs --trust-spec.
 */
import { isIPv4 } from 'node:net';
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
  options: { trustSpec?: boolean } = {},
): Endpoint {
  const defaults = PROVIDER_DEFAULTS[provider];
  const specBaseUrl = nonEmpty(config.baseUrl);
  const refused = specBaseUrl && !options.trustSpec ? untrustedBaseUrl(provider, specBaseUrl, config.apiKeyEnv, env) : undefined;
  if (refused) {
    throw new PromptoptError('BASE_URL_NOT_TRUSTED', `${role}.base_url: ${refused.message}`, {
      exitCode: EXIT.badInput,
      hint: refused.hint,
      location: { path: `${role}.base_url` },
    });
  }
  const fromEnv = defaults.baseUrlEnv ? nonEmpty(env[defaults.baseUrlEnv]) : undefined;
  const baseUrl = specBaseUrl ?? fromEnv ?? defaults.defaultBaseUrl;
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

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * Why a spec's `base_url` may not receive this provider's keys (without --trust-spec), or undefined
 * when it may: the provider's default origin, a loopback host, or the origin of the base URL the
 * environment sets for this provider.
 */
export function untrustedBaseUrl(
  provider: RealProvider,
  baseUrl: string,
  apiKeyEnv: readonly string[],
  env: NodeJS.ProcessEnv,
): { message: string; hint: string } | undefined {
  const url = parseUrl(baseUrl);
  if (!url) return undefined; // not a URL: the schema reports it
  if (isLoopbackHost(url.hostname)) return undefined;
  const defaults = PROVIDER_DEFAULTS[provider];
  const envUrl = defaults.baseUrlEnv ? nonEmpty(env[defaults.baseUrlEnv]) : undefined;
  const trusted = [defaults.defaultBaseUrl, envUrl].flatMap((u) => (u ? [parseUrl(u)?.origin] : [])).filter((o): o is string => o !== undefined);
  if (trusted.includes(url.origin)) return undefined;
  const keys = (apiKeyEnv.length > 0 ? apiKeyEnv : defaults.keyEnv).join(' / ');
  const allowed = [
    defaults.defaultBaseUrl ? `${provider}'s own ${parseUrl(defaults.defaultBaseUrl)?.origin}` : undefined,
    'a loopback address',
    defaults.baseUrlEnv ? `the base URL in ${defaults.baseUrlEnv}${envUrl ? ` (${parseUrl(envUrl)?.origin})` : ''}` : undefined,
  ].filter((place): place is string => place !== undefined);
  const places = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  return {
    message: `a spec may not send ${keys} to ${url.origin}: keys go only to ${places}`,
    hint: `if you wrote this spec yourself, pass --trust-spec${defaults.baseUrlEnv ? `, or set ${defaults.baseUrlEnv}=${baseUrl} in the environment` : ''}`,
  };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
