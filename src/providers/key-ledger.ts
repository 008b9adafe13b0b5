/**
 * Per-API-key tallies (calls, tokens, cost) for the CLI's summary. Keys are known only by a
 * fingerprint: `${envVarName}…${last 4 hex of sha256(key)}`. The key itself, or any part of it,
 * is never stored here.
 */
import { sha256 } from '../util/hash.js';
import type { ChatResponse, ProviderName } from './types.js';

export interface KeyTally {
  fingerprint: string;
  provider: ProviderName;
  envVar: string;
  /** Successful calls. */
  calls: number;
  /** Calls that failed on this key (any error, including the one that rotated away from it). */
  failures: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum over calls with a known price; null when no call had one. */
  costUsd: number | null;
  /** Calls whose model had no known price (costUsd is then a lower bound). */
  unpricedCalls: number;
  /** Error code of the last failure, e.g. PROVIDER_AUTH. */
  lastErrorCode?: string;
}

/**
 * `OPENAI_API_KEY…3f9a`. The hash window is the last 4 hex chars, moved left in the (rare) case
 * those 4 chars happen to occur in the key, so the fingerprint never contains a substring of it.
 */
export function fingerprintKey(envVar: string, key: string): string {
  const digest = sha256(key);
  const lowerKey = key.toLowerCase();
  for (let end = digest.length; end >= 4; end--) {
    const tail = digest.slice(end - 4, end);
    if (!lowerKey.includes(tail)) return `${envVar}…${tail}`;
  }
  return `${envVar}…????`;
}

/** One key's tally as written to JSON documents. */
export interface KeyLedgerRow {
  fingerprint: string;
  provider: ProviderName;
  env_var: string;
  calls: number;
  failures: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  unpriced_calls: number;
  last_error_code?: string;
}

export interface KeyIdentity {
  fingerprint: string;
  provider: ProviderName;
  envVar: string;
}

export class KeyLedger {
  readonly #tallies = new Map<string, KeyTally>();

  recordSuccess(key: KeyIdentity, response: ChatResponse): void {
    const tally = this.#tally(key);
    tally.calls += 1;
    tally.inputTokens += response.usage.inputTokens;
    tally.outputTokens += response.usage.outputTokens;
    if (response.costUsd === null) tally.unpricedCalls += 1;
    else tally.costUsd = (tally.costUsd ?? 0) + response.costUsd;
  }

  recordFailure(key: KeyIdentity, error: unknown): void {
    const tally = this.#tally(key);
    tally.failures += 1;
    const code = (error as { code?: unknown } | null)?.code;
    tally.lastErrorCode = typeof code === 'string' ? code : 'UNKNOWN';
  }

  get(fingerprint: string): KeyTally | undefined {
    const tally = this.#tallies.get(fingerprint);
    return tally && { ...tally };
  }

  /** Copies, in the order keys were first used. */
  entries(): KeyTally[] {
    return [...this.#tallies.values()].map((t) => ({ ...t }));
  }

  /** snake_case rows for JSON documents (`eval --json`, reports). */
  snapshot(): KeyLedgerRow[] {
    return this.entries().map((t) => ({
      fingerprint: t.fingerprint,
      provider: t.provider,
      env_var: t.envVar,
      calls: t.calls,
      failures: t.failures,
      input_tokens: t.inputTokens,
      output_tokens: t.outputTokens,
      cost_usd: t.costUsd,
      unpriced_calls: t.unpricedCalls,
      ...(t.lastErrorCode ? { last_error_code: t.lastErrorCode } : {}),
    }));
  }

  toJSON(): KeyTally[] {
    return this.entries();
  }

  #tally(key: KeyIdentity): KeyTally {
    let tally = this.#tallies.get(key.fingerprint);
    if (!tally) {
      tally = {
        fingerprint: key.fingerprint,
        provider: key.provider,
        envVar: key.envVar,
        calls: 0,
        failures: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: null,
        unpricedCalls: 0,
      };
      this.#tallies.set(key.fingerprint, tally);
    }
    return tally;
  }
}
