import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuardedDatabase } from '../../../src/runner/cache/guarded-database.js';
import { ageCacheEntries, deleteCacheEntries, writtenAt } from '../../../src/runner/cache/prune-entries.js';
import { ResponseCache } from '../../../src/runner/response-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-prune-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const response = { text: 'x'.repeat(2000), usage: { inputTokens: 3, outputTokens: 1 }, latencyMs: 12, costUsd: 0.5, model: 'm' };
const paid = (at: string) => ({ by: 'eval' as const, role: 'target' as const, costUsd: 0.5, at });
const OLD = '2024-01-01T00:00:00.000Z';
const NEW = '2025-06-01T00:00:00.000Z';
const CUTOFF = Date.parse('2025-01-01T00:00:00.000Z');

describe('cache retention', () => {
  it('ages entries by their write time; undated entries and in-flight markers are not old', async () => {
    const cache = new ResponseCache(join(dir, 'cache'));
    for (let i = 0; i < 30; i++) await cache.put(`old-${i}`, response, paid(OLD));
    for (let i = 0; i < 5; i++) await cache.put(`new-${i}`, response, paid(NEW));
    await cache.put('undated', response);
    const claim = await cache.claim('in-flight-one'); // leaves a marker while held
    await cache.close();
    const db = new GuardedDatabase(join(dir, 'cache'), () => {});
    const age = (await ageCacheEntries(db, CUTOFF))!;
    expect(age.entries).toBe(36);
    expect(age.old.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `old-${i}`).sort());
    expect(age.undated).toBe(1);
    expect(age.oldBytes).toBeGreaterThan(30 * 2000);
    expect(age.space.fileBytes).toBeGreaterThan(0);
    expect(age.space.usedBytes).toBeLessThanOrEqual(age.space.fileBytes);

    // An old entry rewritten between the scan and the delete is new now: it stays.
    const writer = new ResponseCache(join(dir, 'cache'));
    await writer.put('old-3', response, paid(NEW));
    await writer.close();
    const gone = await deleteCacheEntries(db, age.old, CUTOFF);
    expect(gone.deleted).toBe(29);
    const after = (await ageCacheEntries(db, CUTOFF))!;
    expect(after).toMatchObject({ entries: 7, old: [], undated: 1 });
    expect(after.space.usedBytes).toBeLessThan(age.space.usedBytes);
    await db.close();
    await claim.release();
    const reader = new ResponseCache(join(dir, 'cache'));
    expect((await reader.keys()).sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4', 'old-3', 'undated']);
    await reader.close();
  });

  it('reading a missing cache creates nothing', async () => {
    const db = new GuardedDatabase(join(dir, 'none'), () => {});
    expect(await ageCacheEntries(db, CUTOFF)).toBeUndefined();
    await db.close();
  });

  it('writtenAt reads paidBy.at, and nothing else', () => {
    expect(writtenAt(JSON.stringify({ paidBy: { at: OLD } }))).toBe(Date.parse(OLD));
    expect(writtenAt(JSON.stringify({ text: 'no payer' }))).toBeUndefined();
    expect(writtenAt('not json')).toBeUndefined();
    expect(writtenAt(JSON.stringify({ paidBy: { at: 'yesterday' } }))).toBeUndefined();
  });
});
