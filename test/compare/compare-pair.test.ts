import { describe, expect, test } from 'vitest';
import { comparePair } from '../../src/compare/compare-pair.js';
import { modelConfigFor, parseModelRef } from '../../src/compare/resolve-models.js';
import { planPairs } from '../../src/compare/plan-pairs.js';
import type { CompareSettings, PairRun, PromptVersion, CompareModel } from '../../src/compare/types.js';
import type { CaseResult } from '../../src/runner/types.js';
import type { ModelConfig } from '../../src/providers/types.js';

const SETTINGS: CompareSettings = { objective: 'pass_rate', alpha: 0.05, minCases: 20, resamples: 2000, seed: 0, repeat: 1 };
const version = (label: string): PromptVersion => ({ label, kind: 'file', text: label });
const model = (label: string): CompareModel => ({ label, config: { provider: 'sim', model: label, maxTokens: 10, apiKeyEnv: [], timeoutMs: 1, maxRetries: 0 } });

function run(id: string, scores: number[], errors: number[] = []): PairRun {
  const cases = scores.map((score, i): CaseResult => ({
    caseId: `c${i}`,
    split: 'test',
    vars: {},
    output: '',
    pass: score === 1,
    passRate: score,
    score,
    samples: [],
    failures: [],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    cacheHit: false,
    ...(errors.includes(i) ? { providerError: { code: 'PROVIDER_SERVER', message: 'boom' } } : {}),
  }));
  return { pair: { id, version: version(id), model: model('m') }, simulated: true, result: { cases, summaries: [], wallTimeMs: 0 } };
}

describe('comparePair', () => {
  test('repeat 1: McNemar on the flipped cases decides', () => {
    const base = run('base', [...Array(12).fill(1), ...Array(12).fill(0)]);
    const cand = run('cand', [0, ...Array(11).fill(1), ...Array(8).fill(1), ...Array(4).fill(0)]);
    const c = comparePair(cand, base, SETTINGS);
    expect(c).toMatchObject({ n: 24, test: 'mcnemar_exact', verdict: 'better', broken: ['c0'] });
    expect(c.fixed).toHaveLength(8);
    expect(c.pValue).toBeCloseTo(0.0390625, 12);
    expect(comparePair(base, cand, SETTINGS)).toMatchObject({ verdict: 'worse', fixed: ['c0'] });
    expect(comparePair(cand, base, { ...SETTINGS, minCases: 25 })).toMatchObject({ verdict: 'too_few_cases', verdictText: expect.stringMatching(/^too few cases \(n = \d+ < 25\)$/) });
    expect(comparePair(cand, base, { ...SETTINGS, alpha: 0.01 }).verdict).toBe('no_significant_difference');
  });

  test('repeat > 1: the paired bootstrap on case scores decides', () => {
    const base = run('base', Array(30).fill(1 / 3));
    const cand = run('cand', Array.from({ length: 30 }, (_, i) => (i % 5 === 0 ? 1 / 3 : 2 / 3)));
    const c = comparePair(cand, base, { ...SETTINGS, repeat: 3 });
    expect(c.test).toBe('paired_bootstrap');
    expect(c.fixed).toEqual([]); // no case passes every sample on either side...
    expect(c.mcnemar.pValue).toBe(1);
    expect(c.verdict).toBe('better'); // ...but the scores moved
    expect(c.scoreDifference).toBeCloseTo(0.2667, 3);
  });

  test('cases with a provider error on either side are left out', () => {
    const base = run('base', Array(22).fill(1), [3]);
    const cand = run('cand', Array(22).fill(0), [5]);
    const c = comparePair(cand, base, SETTINGS);
    expect(c.excluded).toEqual(['c3', 'c5']);
    expect(c.n).toBe(20);
    expect(c.broken).toHaveLength(20);
  });
});

describe('models and baseline', () => {
  const target: ModelConfig = {
    provider: 'openai-compatible',
    model: 'model-a',
    maxTokens: 64,
    temperature: 0,
    baseUrl: 'http://127.0.0.1:1/v1',
    apiKeyEnv: ['MY_KEY'],
    timeoutMs: 5000,
    maxRetries: 2,
    concurrency: 4,
    price: { inputPerMTok: 1, outputPerMTok: 2 },
  };

  test('the target settings carry over; provider-bound ones only to the same provider, the price only to the same model', () => {
    expect(modelConfigFor(target, 'openai-compatible', 'model-b')).toEqual({ ...target, model: 'model-b', price: undefined });
    expect(modelConfigFor(target, 'openai-compatible', 'model-a')).toEqual(target);
    expect(modelConfigFor(target, 'anthropic', 'claude-haiku-4-5')).toEqual({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      maxTokens: 64,
      temperature: 0,
      apiKeyEnv: ['ANTHROPIC_API_KEY'],
      timeoutMs: 5000,
      maxRetries: 2,
    });
  });

  test('provider:model parsing: the first colon splits; unknown providers get a suggestion', () => {
    expect(parseModelRef('openrouter:meta/llama:free')).toEqual({ provider: 'openrouter', model: 'meta/llama:free' });
    expect(() => parseModelRef('anthropc:claude')).toThrow(/did you mean "anthropic"/);
    expect(() => parseModelRef('gpt-4o')).toThrow(/not provider:model/);
  });

  test('the baseline: first pair by default, or version[@model]', () => {
    const versions = [version('v1'), version('v2')];
    const models = [model('sim:a'), model('sim:b')];
    expect(planPairs(versions, models).baseline.id).toBe('v1@sim:a');
    expect(planPairs(versions, models, '2').baseline.id).toBe('v2@sim:a');
    expect(planPairs(versions, models, 'v2@sim:b').baseline.id).toBe('v2@sim:b');
    expect(() => planPairs(versions, models, 'v2@sim:c')).toThrow(/model "sim:c" is not one of --models/);
    expect(() => planPairs([version('v1')], [model('sim:a')])).toThrow(/at least two pairs/);
  });
});
