import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCurrentChain } from '../../src/store/current-version.js';
import { readHistory } from '../../src/store/history.js';
import { promoteVersion, type PromptLocation } from '../../src/store/promote.js';
import { writeVersion } from '../../src/store/write-version.js';

let root: string;
let dir: string;
let location: PromptLocation;
const V1 = 'Classify: {{input}}\n';
const V2 = 'Classify the sentiment.\n\n{{input}}\n';
const V3 = 'Classify the sentiment. One word.\n\n{{input}}\n';

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'promptopt-promote-'));
  dir = join(root, 'prompt-versions');
  location = { file: join(root, 'prompt.md'), inline: false };
  const base = { task: 't', targetModel: 'sim:x', scores: {}, costUsd: 0, hypothesis: '', ext: '.md', source: 'optimize' as const };
  await writeVersion(dir, { ...base, text: V1, source: 'start' });
  await writeVersion(dir, { ...base, text: V2, parent: 1 });
  await writeVersion(dir, { ...base, text: V3, parent: 2 });
  await writeFile(location.file, V1);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('promoteVersion', () => {
  it('writes the version into the prompt file and records from/to', async () => {
    const result = await promoteVersion({ dir, location, event: 'promote', version: 3 });
    expect(result).toMatchObject({ from: 1, to: 3, before: V1, after: V3, changed: true });
    expect(await readFile(location.file, 'utf8')).toBe(V3);
    const last = (await readHistory(dir)).at(-1)!;
    expect(last.fields).toMatchObject({ event: 'promote', version: 3, from: 1, to: 3, prompt_file: '../prompt.md' });
  });

  it('rolls back along the chain, one promotion at a time', async () => {
    await promoteVersion({ dir, location, event: 'promote', version: 2 });
    await promoteVersion({ dir, location, event: 'promote', version: 3 });
    expect(await promoteVersion({ dir, location, event: 'rollback' })).toMatchObject({ from: 3, to: 2 });
    expect(await promoteVersion({ dir, location, event: 'rollback' })).toMatchObject({ from: 2, to: 1 });
    expect(await readFile(location.file, 'utf8')).toBe(V1);
    expect(await readCurrentChain(dir)).toEqual([1]);
    await expect(promoteVersion({ dir, location, event: 'rollback' })).rejects.toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', exitCode: 2 });
  });

  it('does nothing when the version is already current', async () => {
    await promoteVersion({ dir, location, event: 'promote', version: 2 });
    const events = (await readHistory(dir)).length;
    expect(await promoteVersion({ dir, location, event: 'promote', version: 2 })).toMatchObject({ changed: false });
    expect(await readHistory(dir)).toHaveLength(events);
  });

  it('refuses to overwrite hand edits that match no version, unless forced', async () => {
    await writeFile(location.file, 'my own edit\n');
    await expect(promoteVersion({ dir, location, event: 'promote', version: 2 })).rejects.toMatchObject({ code: 'PROMPT_HAND_EDITED', exitCode: 2 });
    expect(await readFile(location.file, 'utf8')).toBe('my own edit\n');
    const forced = await promoteVersion({ dir, location, event: 'promote', version: 2, force: true });
    expect(forced).toMatchObject({ from: null, to: 2 });
    expect((await readHistory(dir)).at(-1)!.fields).toMatchObject({ forced: true, from: null });
    expect(await readFile(location.file, 'utf8')).toBe(V2);
  });
});
