import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { ModelCaller, BudgetExhaustedError } from '../../src/runner/model-caller.js';
import { ResponseCache } from '../../src/runner/response-cache.js';
import { maxCallCostUsd } from '../../src/runner/call-cost-bound.js';
import { IncompleteEvalError, runEval, type RunEvalOptions } from '../../src/runner/run-eval.js';
import type { SplitCase } from '../../src/spec/types.js';
import type { ChatModel, ChatRequest } from '../../src/providers/types.js';
import { lastUserMessage, recordingModel } from '../support/recording-model.js';

const origin = { file: 'task.yaml', path: 'cases' };
const cases: SplitCase[] = ['alpha', 'beta', 'gamma', 'delta'].map((word, i) => ({
  id: `c${i}`,
  vars: { word },
  expected: word.toUpperCase(),
  assert: [],
  split: i < 3 ? 'train' : 'test',
  origin,
}));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-runner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<RunEvalOptions>): RunEvalOptions {
  return {
    cases,
    prompt: 'Shout {{word}}',
    shape: { promptRole: 'user', maxTokens: 16 },
    defaultAssert: [{ type: 'equals', value: '{{expected}}' }],
    baseDir: dir,
    target: recordingModel((r) => lastUserMessage(r).replace('Shout ', '').toUpperCase()),
    caller: new ModelCaller(),
    concurrency: 4,
    repeat: 1,
    ...overrides,
  };
}

describe('runEval', () => {
  it('renders each case, asserts, and summarizes per split and overall', async () => {
    const result = await runEval(options({}));
    expect(result.cases.map((c) => [c.caseId, c.pass, c.output])).toEqual([
      ['c0', true, 'ALPHA'],
      ['c1', true, 'BETA'],
      ['c2', true, 'GAMMA'],
      ['c3', true, 'DELTA'],
    ]);
    expect(result.summaries.map((s) => [s.split, s.passed, s.total])).toEqual([
      ['train', 3, 3],
      ['test', 1, 1],
      ['all', 4, 4],
    ]);
  });

  it('records a failing assertion with its category and reason', async () => {
    const target = recordingModel((r) => `The answer is: ${lastUserMessage(r).replace('Shout ', '')}.`);
    const result = await runEval(options({ target }));
    const failure = result.cases[0]!.failures[0]!;
    expect(result.cases[0]!.pass).toBe(false);
    expect(failure.type).toBe('equals');
    expect(failure.category).toBe('format_violation');
    expect(failure.reason).toContain('ALPHA');
  });

  it('bounds concurrency', async () => {
    const target = recordingModel(() => 'x', { latencyMs: 20 });
    const many = Array.from({ length: 20 }, (_, i) => ({ ...cases[0]!, id: `m${i}`, vars: { word: `w${i}` } }));
    await runEval(options({ target, cases: many, concurrency: 5 }));
    expect(target.maxInFlight).toBe(5);
    expect(target.requests).toHaveLength(20);
  });

  it('turns a provider error into a failed case, not a crash', async () => {
    const target = recordingModel((r, i) => (i === 1 ? new ProviderError('sim', 'server', 'HTTP 500 after 4 retries') : 'ALPHA'));
    const result = await runEval(options({ target, concurrency: 1 }));
    const broken = result.cases[1]!;
    expect(broken.pass).toBe(false);
    expect(broken.providerError?.message).toContain('HTTP 500');
    expect(broken.failures[0]!.category).toBe('provider_error');
    expect(result.summaries.at(-1)!.providerErrors).toBe(1);
  });

  it('a case threshold, its own or the default one, decides on the weighted mean score', async () => {
    // Each output is right (1) and never contains "zzz" (0): weights 3 and 1 give 0.75.
    const defaultAssert = [
      { type: 'equals', value: '{{expected}}', weight: 3 },
      { type: 'contains', value: 'zzz' },
    ];
    const withOwn = cases.map((c, i) => (i === 0 ? { ...c, threshold: 0.9 } : c));
    const result = await runEval(options({ cases: withOwn, defaultAssert, defaultThreshold: 0.7 }));
    expect(result.cases.map((c) => [c.caseId, c.score, c.pass])).toEqual([
      ['c0', 0.75, false], // its own threshold, 0.9
      ['c1', 0.75, true], // the default one, 0.7: passes though `contains` failed
      ['c2', 0.75, true],
      ['c3', 0.75, true],
    ]);
    expect(result.cases[0]!.failures.map((f) => f.type)).toEqual(['contains']);
    expect(result.cases[0]!.samples[0]!.threshold).toBe(0.9);
    // Without a threshold every assertion must pass.
    const strict = await runEval(options({ defaultAssert }));
    expect(strict.cases.every((c) => !c.pass && c.score === 0.75)).toBe(true);
    expect(strict.summaries.at(-1)).toMatchObject({ passRate: 0, meanScore: 0.75, unchecked: 0 });
  });

  it('gives repeat samples distinct cache entries and scores the mean over samples', async () => {
    const cache = new ResponseCache(join(dir, 'cache'));
    let n = 0;
    const flaky = recordingModel((r) => (n++ % 2 === 0 ? lastUserMessage(r).replace('Shout ', '').toUpperCase() : 'nope'));
    const first = await runEval(options({ target: flaky, caller: new ModelCaller({ cache }), repeat: 2, concurrency: 1 }));
    expect(flaky.requests).toHaveLength(8);
    expect(first.cases[0]!.score).toBe(0.5);
    expect(first.cases[0]!.pass).toBe(false);
    expect(first.summaries.at(-1)!.passRate).toBe(0.5);
    expect(first.summaries.at(-1)!.meanScore).toBe(0.5);

    const again = recordingModel(() => 'should not be called');
    const second = await runEval(options({ target: again, caller: new ModelCaller({ cache }), repeat: 2 }));
    expect(again.requests).toHaveLength(0);
    expect(second.cases.map((c) => c.score)).toEqual(first.cases.map((c) => c.score));
    expect(second.summaries.at(-1)!.cacheHits).toBe(8);
  });

  it('re-runs assertions on cached outputs', async () => {
    const cache = new ResponseCache(join(dir, 'cache'));
    await runEval(options({ caller: new ModelCaller({ cache }) }));
    const stricter = await runEval(
      options({ caller: new ModelCaller({ cache }), defaultAssert: [{ type: 'equals', value: 'ALPHA' }] }),
    );
    expect(stricter.cases.map((c) => c.pass)).toEqual([true, false, false, false]);
    expect(stricter.cases.every((c) => c.cacheHit)).toBe(true);
  });

  it('stops at the budget after calls in flight and reports the cases it scored', async () => {
    const target = recordingModel((r) => lastUserMessage(r).replace('Shout ', '').toUpperCase(), { costPerCall: 0.01 });
    const caller = new ModelCaller({ maxCostUsd: 0.02 });
    const error = await runEval(options({ target, caller, concurrency: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteEvalError);
    const incomplete = error as IncompleteEvalError;
    expect(incomplete.cause).toBeInstanceOf(BudgetExhaustedError);
    expect(incomplete.partial.cases).toHaveLength(2);
    expect(target.requests).toHaveLength(2);
  });

  it('streams each case to onCase (with its index) and, with keepCases false, holds none; summaries are the same', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...cases[i % 4]!, id: `s${i}`, vars: { word: `w${i}` } }));
    const n = (r: ChatRequest) => Number(lastUserMessage(r).replace('Shout w', ''));
    const answers = recordingModel((r) => (n(r) % 3 === 0 ? 'wrong' : `W${n(r)}`));
    // Latency that varies per case: results complete out of order.
    const target: ChatModel = { ...answers, complete: async (r) => (await sleep((n(r) * 7) % 11), answers.complete(r)) };
    const kept = await runEval(options({ target, cases: many, concurrency: 7, repeat: 2 }));
    const streamed: { index: number; id: string; pass: boolean }[] = [];
    const lean = await runEval(
      options({ target, cases: many, concurrency: 7, repeat: 2, keepCases: false, onCase: (c, index) => streamed.push({ index, id: c.caseId, pass: c.pass }) }),
    );
    expect(lean.cases).toEqual([]);
    expect(lean.summaries).toEqual(kept.summaries);
    expect(streamed).toHaveLength(many.length);
    expect(streamed.map((c) => c.index)).not.toEqual(streamed.map((c) => c.index).sort((a, b) => a - b));
    expect([...streamed].sort((a, b) => a.index - b.index)).toEqual(kept.cases.map((c, index) => ({ index, id: c.caseId, pass: c.pass })));
    expect(kept.cases.map((c) => c.caseId)).toEqual(many.map((c) => c.id)); // kept results in the cases' order
  });

  it('shares one call between identical requests in flight', async () => {
    const target = recordingModel(() => 'ALPHA', { latencyMs: 10 });
    const twins = [cases[0]!, { ...cases[0]!, id: 'twin' }];
    await runEval(options({ target, cases: twins, concurrency: 2 }));
    expect(target.requests).toHaveLength(1);
  });
});

describe('budget reservations', () => {
  // $0.01 per call (12 tokens at $833.33 per million); a call reserves its upper bound, about $0.05.
  const price = { inputPerMTok: 10_000 / 12, outputPerMTok: 10_000 / 12 };

  it('never lets calls in flight together overshoot the budget, and uses it up to one reservation', async () => {
    const priced = recordingModel(() => 'ALPHA', { latencyMs: 5, price });
    const many = Array.from({ length: 120 }, (_, i) => ({ ...cases[0]!, id: `b${i}`, vars: { word: `w${i}` } }));
    const caller = new ModelCaller({ maxCostUsd: 1 });
    const error = await runEval(options({ target: priced, caller, cases: many, concurrency: 20 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteEvalError);
    const reservation = maxCallCostUsd(price, renderRequestFor('w100'));
    expect(reservation).toBeGreaterThan(0.01); // an upper bound, far above the actual cost
    expect(caller.ledger.totalCostUsd).toBeLessThanOrEqual(1 + 1e-9);
    expect(caller.ledger.totalCostUsd).toBeGreaterThanOrEqual(1 - reservation - 0.01);
    expect(priced.maxInFlight).toBeGreaterThan(1); // reservations, not a queue of one
  });

  it('counts a call aborted in flight at its reservation (the provider may bill it)', async () => {
    const controller = new AbortController();
    const slow = recordingModel(() => 'ALPHA', { latencyMs: 200, price });
    const caller = new ModelCaller({ maxCostUsd: 1, signal: controller.signal });
    setTimeout(() => controller.abort('SIGINT'), 20);
    await runEval(options({ target: slow, caller, cases: [cases[0]!], concurrency: 1 })).catch(() => undefined);
    const [line] = caller.ledger.snapshot();
    expect(line).toMatchObject({ calls: 1, reservedCalls: 1 });
    expect(line!.costUsd).toBeCloseTo(maxCallCostUsd(price, renderRequestFor('alpha')), 12);
  });

  function renderRequestFor(word: string) {
    return { messages: [{ role: 'user' as const, content: `Shout ${word}` }], maxTokens: 16 };
  }
});
