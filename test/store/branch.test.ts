import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { branchVersion, checkBranchName } from '../../src/store/branch.js';
import { writeVersion } from '../../src/store/write-version.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'promptopt-branch-')), 'v');
  await writeVersion(dir, { text: 'A\n', task: 't', targetModel: 'sim:x', scores: { train: 0.5 }, costUsd: 0.1, hypothesis: '', ext: '.md', source: 'start' });
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('branchVersion', () => {
  it('registers a variant on a branch, unscored, source manual', async () => {
    const v = await branchVersion(dir, { from: 1, name: 'exp/terse', text: 'B\n', task: 't', targetModel: 'sim:x', ext: '.md' });
    expect(v).toMatchObject({ version: 2, parent: 1, branch: 'exp/terse', source: 'manual', scores: {}, costUsd: 0, runId: null, promptFile: 'v2.md' });
    expect(await readFile(v.file, 'utf8')).toBe('B\n');
    expect(await readFile(v.diffFile!, 'utf8')).toContain('+B');
  });

  it('copies the parent when no text is given', async () => {
    const v = await branchVersion(dir, { from: 1, name: 'copy', task: 't', targetModel: 'sim:x', ext: '.md' });
    expect(await readFile(v.file, 'utf8')).toBe('A\n');
    expect(v.hypothesis).toMatch(/copy of v1/);
  });

  it('checks branch names', () => {
    for (const good of ['main', 'terse', 'exp/few-shot', 'v2.1_b']) expect(checkBranchName(good)).toBe(good);
    for (const bad of ['', '-x', 'a b', 'a/../b', '/a', 'a/']) expect(() => checkBranchName(bad)).toThrow(/invalid branch name/);
  });
});
