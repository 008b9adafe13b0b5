import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_FILE, readHistory } from '../../src/store/history.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('history', () => {
  it('is empty without a file', async () => {
    expect(await readHistory(dir)).toEqual([]);
  });

  it('keeps unknown events and skips lines that do not parse', async () => {
    const lines = [
      '{"at":"2025-01-01T00:00:00.000Z","event":"created","version":1,"run_id":"r1"}',
      '{"at":"2025-01-02T00:00:00.000Z","event":"promoted","version":1,"target":"prompt.txt"}',
      'not json',
      '{"no_event":true}',
      '{"at":"2025-01-03T00:00:00.000Z","event":"crea',
    ];
    await writeFile(join(dir, HISTORY_FILE), lines.join('\n'));
    const events = await readHistory(dir);
    expect(events.map((e) => e.event)).toEqual(['created', 'promoted']);
    expect(events[0]).toMatchObject({ version: 1, runId: 'r1' });
    expect(events[1]!.fields.target).toBe('prompt.txt');
  });

  it('appends lines with extra fields', async () => {
    await appendHistory(dir, { event: 'rolled_back', version: 2, at: 'now', extra: { from: 3 } });
    expect(await readHistory(dir)).toEqual([
      { at: 'now', event: 'rolled_back', version: 2, fields: { at: 'now', event: 'rolled_back', version: 2, from: 3 } },
    ]);
  });
});
