import { describe, expect, it } from 'vitest';
import { didYouMean, likelyTypoOf } from '../../src/spec/did-you-mean.js';
import { looksLikeSecret, isSecretKeyName } from '../../src/spec/secrets.js';
import { allAssertionTypeNames } from '../../src/assertions/names.js';

describe('didYouMean', () => {
  it('suggests close words and nothing for unrelated ones', () => {
    expect(didYouMean('modle', ['provider', 'model'])).toBe('model');
    expect(didYouMean('icontain', allAssertionTypeNames())).toBe('icontains');
    expect(didYouMean('Model', ['model'])).toBe('model');
    expect(didYouMean('model', ['model'])).toBeUndefined();
    expect(didYouMean('xy', ['id'])).toBeUndefined();
    expect(didYouMean('temperature_max', ['provider', 'model'])).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});

describe('likelyTypoOf (extra keys in data files)', () => {
  const keys = ['id', 'vars', 'input', 'expected', 'assert', 'split'];
  it('catches misspelled case keys', () => {
    expect(likelyTypoOf('expectd', keys)).toBe('expected');
    expect(likelyTypoOf('Expected', keys)).toBe('expected');
    expect(likelyTypoOf('inputs', keys)).toBe('input');
    expect(likelyTypoOf('ID', keys)).toBe('id');
  });
  it('leaves provenance columns alone', () => {
    for (const key of ['tags', 'task', 'tokens', 'solution', 'source_split', 'source_index', 'source_id', 'idx', 'label']) {
      expect(likelyTypoOf(key, keys), key).toBeUndefined();
    }
  });
});

describe('secrets', () => {
  it('recognizes key-like names and key-like values', () => {
    expect(['api_key', 'apiKey', 'API-KEY', 'key', 'token'].every(isSecretKeyName)).toBe(true);
    expect(isSecretKeyName('api_key_env')).toBe(false);
    expect(looksLikeSecret('sk-abc')).toBe(true);
    expect(looksLikeSecret('sk_live_abc')).toBe(true);
    expect(looksLikeSecret('OPENAI_API_KEY')).toBe(false);
    expect(looksLikeSecret('MY_SECOND_OPENROUTER_API_KEY_2025')).toBe(false);
  });
});
