import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentChain, pointerEvents, rollbackTarget, versionOnDisk } from '../../src/store/current-version.js';
import type { HistoryEvent } from '../../src/store/history.js';
import { writeVersion } from '../../src/store/write-version.js';

const event = (name: string, from: number | null, to: number): HistoryEvent => ({
  at: 't',
  event: name,
  version: to,
  fields: { at: 't', event: name, version: to, from, to },
});
const promote = (from: number | null, to: number) => event('promote', from, to);
const rollback = (from: number | null, to: number) => event('rollback', from, to);

describe('currentChain', () => {
  it('is empty without promotions and ignores other events', () => {
    expect(currentChain([{ at: 't', event: 'created', version: 1, fields: {} }])).toEqual([]);
  });

  it('pushes promotions and unwinds rollbacks', () => {
    const events = [promote(1, 2), promote(2, 3)];
    expect(currentChain(events)).toEqual([1, 2, 3]);
    expect(currentChain([...events, rollback(3, 2)])).toEqual([1, 2]);
    expect(currentChain([...events, rollback(3, 2), rollback(2, 1)])).toEqual([1]);
  });

  it('keeps a promotion back to an earlier version as a new link', () => {
    expect(currentChain([promote(1, 2), promote(2, 1), promote(1, 3), rollback(3, 1)])).toEqual([1, 2, 1]);
  });

  it('records where the prompt was when it had moved since the last event', () => {
    expect(currentChain([promote(1, 2), promote(4, 3)])).toEqual([1, 2, 4, 3]);
    expect(currentChain([promote(null, 2)])).toEqual([2]);
  });

  it('skips malformed events', () => {
    const bad: HistoryEvent = { at: 't', event: 'promote', fields: { to: 'v2' } };
    expect(pointerEvents([bad, promote(1, 2)])).toEqual([{ at: 't', event: 'promote', from: 1, to: 2 }]);
  });
});

describe('rollbackTarget', () => {
  it('is the link before the current one', () => {
    expect(rollbackTarget([1, 2, 3], 3)).toBe(2);
    expect(rollbackTarget([3], 3)).toBeUndefined();
    expect(rollbackTarget([], 1)).toBeUndefined();
  });

  it('is the pointer when the prompt was moved away from it by hand', () => {
    expect(rollbackTarget([1, 3], 2)).toBe(3);
  });
});

describe('versionOnDisk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'promptopt-current-')), 'v');
    const base = { task: 't', targetModel: 'sim:x', scores: {}, costUsd: 0, hypothesis: '', ext: '.txt', source: 'manual' as const };
    await writeVersion(dir, { ...base, text: 'A\n' });
    await writeVersion(dir, { ...base, text: 'B\n', parent: 1 });
    await writeVersion(dir, { ...base, text: 'A\n', parent: 2 });
  });
  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('prefers the pointer among equal texts, else the lowest', async () => {
    expect(await versionOnDisk(dir, 'A\n')).toBe(1);
    expect(await versionOnDisk(dir, 'A\n', 3)).toBe(3);
    expect(await versionOnDisk(dir, 'A\n', 2)).toBe(1);
    expect(await versionOnDisk(dir, 'C\n')).toBeNull();
  });

  it('compares the version files as they are now', async () => {
    await writeFile(join(dir, 'v2.txt'), 'B, edited\n');
    expect(await versionOnDisk(dir, 'B, edited\n')).toBe(2);
  });
});
