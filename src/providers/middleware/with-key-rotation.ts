/**
 * Several API keys in priority order, one inner model per key. An error that rotates the key
 * (auth, quota) moves to the next key for this call and every later one (sticky); when every key
 * has failed, the last error is thrown (and later calls fail fast with it). Other errors pass
 * through untouched for withRetry to judge. Each response carries its key's fingerprint.
 */
import { ProviderError } from '../../errors.js';
import { fingerprintKey, type KeyIdentity, type KeyLedger } from '../key-ledger.js';
export { KeyLedger, fingerprintKey, type KeyTally, type KeyLedgerRow } from '../key-ledger.js';

import type { ApiKeySource } from '../resolve-endpoint.js';
import type { ChatModel, ChatRequest, ChatResponse, ProviderName } from '../types.js';

export interface KeyRotationOptions {
  provider: ProviderName;
  modelId: string;
  keys: ApiKeySource[];
  /** Builds the model that uses one key. */
  createModel: (key: ApiKeySource) => ChatModel;
  ledger?: KeyLedger;
}

export interface KeyRotatingModel extends ChatModel {
  /** Fingerprint of the key calls go to now (undefined once all have failed). */
  readonly activeKey: string | undefined;
}

export function withKeyRotation(options: KeyRotationOptions): KeyRotatingModel {
  if (options.keys.length === 0) throw new Error('withKeyRotation needs at least one key');
  const slots = options.keys.map((key) => ({
    identity: {
      fingerprint: fingerprintKey(key.envVar, key.key),
      provider: options.provider,
      envVar: key.envVar,
    } satisfies KeyIdentity,
    model: options.createModel(key),
  }));
  let current = 0;
  let exhausted: ProviderError | undefined;

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    let index = current;
    while (index < slots.length) {
      const slot = slots[index]!;
      try {
        const response = await slot.model.complete(request);
        options.ledger?.recordSuccess(slot.identity, response);
        return { ...response, keyFingerprint: slot.identity.fingerprint };
      } catch (error) {
        options.ledger?.recordFailure(slot.identity, error);
        if (!(error instanceof ProviderError) || !error.rotatesKey) throw error;
        // Concurrent calls may fail on the same key: advance past it once, never skip a key.
        current = Math.max(current, index + 1);
        index = current;
        if (index >= slots.length) {
          exhausted ??= error;
          throw error;
        }
      }
    }
    throw exhausted!;
  }

  return {
    provider: options.provider,
    modelId: options.modelId,
    simulated: false,
    get activeKey() {
      return slots[current]?.identity.fingerprint;
    },
    complete,
  };
}
