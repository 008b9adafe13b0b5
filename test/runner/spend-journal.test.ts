import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxCallCostUsd, maxInputTokens } from '../../src/runner/call-cost-bound.js';
import type { CacheEntry } from '../../src/runner/response-cache.js';
import { foldJournal, readJournal, SpendJournal } from '../../src/runner/spend-journal.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const call = (key: string, usd: number) => ({ key, role: 'target' as const, provider: 'openai', model: 'm', usd });

describe('SpendJournal', () => {
  it('folds settled calls at their cost, charged at their reservation, released and queued calls at nothing', async () => {
    const path = join(dir, 'spend.jsonl');
    const journal = await SpendJournal.open(path, { runId: 'r1' });
    const a = journal.reserve(call('a', 0.5));
    journal.sent(a);
    journal.settle(a, { inputTokens: 10, outputTokens: 2 }, 0.1);
    const b = journal.reserve(call('b', 0.5));
    journal.sent(b);
    journal.charge(b, 0.5, 'aborted in flight');
    const c = journal.reserve(call('c', 0.5));
    journal.sent(c);
    journal.release(c, 'PROVIDER_RATE_LIMIT');
    journal.reserve(call('d', 0.5)); // queued: never sent
    journal.hit('target', 'm', true, 0.2);
    journal.hit('target', 'm', false, 0.3);
    journal.close();
    const [line] = foldJournal(readJournal(path).records);
    expect(line).toMatchObject({ calls: 2, reservedCalls: 1, inputTokens: 10, outputTokens: 2, replayedCalls: 1, replayedUsd: 0.2, savedCalls: 1, savedUsd: 0.3, cacheHits: 2 });
    expect(line!.costUsd).toBeCloseTo(0.6, 12);
  });

  it('closes out calls a killed process left open: from the cache when this run paid, else at the reservation if sent', async () => {
    const path = join(dir, 'spend.jsonl');
    const first = await SpendJournal.open(path, { runId: 'r1' });
    first.sent(first.reserve(call('cached', 0.4))); // answered and cached, killed before its settle line
    first.sent(first.reserve(call('lost', 0.4))); // sent, no answer
    first.reserve(call('queued', 0.4)); // never left
    first.close();
    await appendFile(path, '{"t":"settle","call":'); // a line torn by the kill

    const entries: Record<string, CacheEntry> = {
      cached: {
        response: { text: 'x', usage: { inputTokens: 7, outputTokens: 1 }, latencyMs: 1, costUsd: 0.05, model: 'm' },
        paidBy: { by: 'optimize', runId: 'r1', role: 'target', costUsd: 0.05, at: '2026-01-01T00:00:00Z' },
      },
    };
    const second = await SpendJournal.open(path, { runId: 'r1', lookup: async (key) => entries[key] });
    const [line] = second.ledgerLines();
    expect(line).toMatchObject({ calls: 2, reservedCalls: 1, inputTokens: 7 });
    expect(line!.costUsd).toBeCloseTo(0.45, 12);
    const next = second.reserve(call('next', 0.1)); // ids continue
    second.close();
    expect(next).toBe(4);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('{"t":"settle","call":\n'); // the torn line kept on a line of its own
    expect(readJournal(path).records.filter((r) => r.t === 'release')).toEqual([{ t: 'release', call: 3, reason: 'never sent: queued when the process stopped' }]);
  });
});

describe('maxCallCostUsd', () => {
  it('bounds input tokens by UTF-8 bytes plus overhead, and output by max_tokens', () => {
    const request = { system: 'Sé breve.', messages: [{ role: 'user' as const, content: 'héllo' }], maxTokens: 100 };
    expect(maxInputTokens(request)).toBe(10 + 6 + 32 + 2 * 8);
    expect(maxCallCostUsd({ inputPerMTok: 1_000_000, outputPerMTok: 0 }, request)).toBe(64);
    expect(maxCallCostUsd({ inputPerMTok: 0, outputPerMTok: 1_000_000 }, request)).toBe(100);
    expect(maxCallCostUsd(undefined, request)).toBe(0);
  });
});
