import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { CallBudget } from '../../src/runner/call-budget.js';
import { BudgetExhaustedError, ModelCaller } from '../../src/runner/model-caller.js';
import { ResponseCache } from '../../src/runner/response-cache.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { lastUserMessage, recordingModel } from '../support/recording-model.js';

const request = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }], maxTokens: 8 });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-call-budget-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CallBudget in the ModelCaller', () => {
  it('refuses the target call past --max-calls, counting cache hits as calls', async () => {
    const cache = new ResponseCache(join(dir, 'cache'));
    const model = recordingModel((r) => lastUserMessage(r).toUpperCase());
    // Another run fills the cache with two answers.
    const other = new ModelCaller({ cache });
    await other.call(model, request('a'), 'target');
    await other.call(model, request('b'), 'target');
    expect(model.requests).toHaveLength(2);

    const budget = new CallBudget({ maxTargetCalls: 3 });
    const caller = new ModelCaller({ cache, callBudget: budget });
    await caller.call(model, request('a'), 'target'); // hit
    await caller.call(model, request('b'), 'target'); // hit
    await caller.call(model, request('c'), 'target'); // paid
    await expect(caller.call(model, request('a'), 'target', 1)).rejects.toThrow(BudgetExhaustedError);
    await expect(caller.call(model, request('d'), 'target')).rejects.toThrow(/call budget exhausted: 3 of 3 target calls/);
    expect(model.requests).toHaveLength(3);
    const usage = budget.usage();
    expect(usage.charged.target).toMatchObject({ calls: 3, cacheHits: 2 });
    expect(usage.sent.target).toBe(1);
    // Optimizer calls are not target calls: a call budget does not limit them.
    await caller.call(model, request('proposal'), 'optimizer');
    expect(budget.usage().charged.optimizer.calls).toBe(1);
    await cache.close();
  });

  it('charges failed calls and counts every attempt the provider received', async () => {
    let attempts = 0;
    const flaky = recordingModel(() => {
      attempts += 1;
      return new ProviderError('sim', 'server', 'boom', { status: 500 });
    });
    const budget = new CallBudget({ maxTargetCalls: 2 });
    const caller = new ModelCaller({ callBudget: budget });
    await expect(caller.call(flaky, request('x'), 'target')).rejects.toThrow(ProviderError);
    await expect(caller.call(flaky, request('y'), 'target')).rejects.toThrow(ProviderError);
    await expect(caller.call(flaky, request('z'), 'target')).rejects.toThrow(BudgetExhaustedError);
    expect(attempts).toBe(2);
    expect(budget.usage().charged.target).toMatchObject({ calls: 2, failed: 2 });
    expect(budget.usage().sent.target).toBe(2);
  });

  it('never refuses nor charges the measurement phases (test, report)', async () => {
    const model = recordingModel(() => 'ok');
    const budget = new CallBudget({ maxTargetCalls: 1 });
    const caller = new ModelCaller({ callBudget: budget });
    await caller.call(model, request('train'), 'target', 0, { phase: 'train' });
    await expect(caller.call(model, request('train 2'), 'target', 0, { phase: 'train' })).rejects.toThrow(BudgetExhaustedError);
    await caller.call(model, request('held-out 1'), 'target', 0, { phase: 'test' });
    await caller.call(model, request('held-out 2'), 'target', 0, { phase: 'test' });
    await caller.call(model, request('final'), 'target', 0, { phase: 'report' });
    const usage = budget.usage();
    expect(usage.charged.target.calls).toBe(1);
    expect(usage.measurement.target.calls).toBe(3);
    expect(usage.sent.target).toBe(4);
  });

  it('holds a USD cap: hits at their recorded cost, paid calls reserved before they are sent', async () => {
    const cache = new ResponseCache(join(dir, 'cache'));
    const price = { inputPerMTok: 1000, outputPerMTok: 1000 }; // 10 in + 2 out tokens = $0.012 a call
    const model = recordingModel((r) => lastUserMessage(r), { price });
    await new ModelCaller({ cache }).call(model, request('a'), 'target');
    const budget = new CallBudget({ maxUsd: 0.07 });
    const caller = new ModelCaller({ cache, callBudget: budget });
    await caller.call(model, request('a'), 'target'); // hit: $0.012
    await caller.call(model, request('b'), 'target'); // paid: $0.012
    // A paid call reserves its bound, $0.049 (41 input tokens at most, 8 output): after $0.024 it no longer fits $0.07.
    await expect(caller.call(model, request('c'), 'target')).rejects.toThrow(/budget exhausted: spent \$0\.0240 of \$0\.07/);
    expect(budget.usage().charged.target.costUsd).toBeCloseTo(0.024, 10);
    expect(budget.usage().charged.target.costUsd).toBeLessThanOrEqual(0.07);
    await cache.close();
  });
});
