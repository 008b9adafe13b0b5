import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRun, listRuns, readCheckpoint, writeCheckpoint } from '../../src/report/checkpoint.js';
import { makeRunState } from './make-run-state.js';

let runsDir: string;
beforeEach(async () => {
  runsDir = await mkdtemp(join(tmpdir(), 'promptopt-runs-'));
});
afterEach(async () => {
  await rm(runsDir, { recursive: true, force: true });
});

describe('checkpoint', () => {
  it('round-trips the run state', async () => {
    const state = makeRunState({ strategyState: { population: ['a', 'b'] } });
    const runDir = join(runsDir, state.runId);
    await writeCheckpoint(runDir, state);
    expect(await readCheckpoint(runDir)).toEqual(state);
  });

  it('fails clearly when missing, corrupt or of an unknown schema', async () => {
    const runDir = join(runsDir, 'r1');
    await expect(readCheckpoint(runDir)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID', exitCode: 2 });
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'checkpoint.json'), '{"schemaVersion": 1, "runId": "r1", "ite');
    await expect(readCheckpoint(runDir)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID', message: expect.stringMatching(/not valid JSON/) });
    await writeFile(join(runDir, 'checkpoint.json'), JSON.stringify({ ...makeRunState(), schemaVersion: 2 }));
    await expect(readCheckpoint(runDir)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID', message: expect.stringMatching(/schema version 2/) });
    const { iterations: _dropped, ...partial } = makeRunState();
    await writeFile(join(runDir, 'checkpoint.json'), JSON.stringify(partial));
    await expect(readCheckpoint(runDir)).rejects.toMatchObject({ message: expect.stringMatching(/iterations is missing/) });
  });
});

describe('findRun', () => {
  it('resolves latest by checkpoint start time, a run id, and a path', async () => {
    await writeCheckpoint(join(runsDir, 'b-older'), makeRunState({ runId: 'b-older', startedAt: '2025-01-01T10:00:00.000Z' }));
    await writeCheckpoint(join(runsDir, 'a-newer'), makeRunState({ runId: 'a-newer', startedAt: '2025-02-01T10:00:00.000Z' }));
    await mkdir(join(runsDir, 'c-not-a-run'));
    await mkdir(join(runsDir, 'compare-20250301-100000'));
    await writeFile(join(runsDir, 'compare-20250301-100000', 'compare.json'), '{}');

    expect(await findRun(runsDir, 'latest')).toBe(join(runsDir, 'a-newer'));
    expect(await findRun(runsDir, 'b-older')).toBe(join(runsDir, 'b-older'));
    expect(await findRun('/elsewhere', join(runsDir, 'b-older'))).toBe(join(runsDir, 'b-older'));
    await expect(findRun(runsDir, 'nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', exitCode: 2 });
    await expect(findRun(join(runsDir, 'missing'), 'latest')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('never skips a newer run whose checkpoint is unreadable: latest is the newest run by start time', async () => {
    await writeCheckpoint(join(runsDir, '20250201-100000-aaaa'), makeRunState({ runId: '20250201-100000-aaaa', startedAt: '2025-02-01T10:00:00.000Z' }));
    await mkdir(join(runsDir, '20250301-100000-bbbb'));
    await writeFile(join(runsDir, '20250301-100000-bbbb', 'checkpoint.json'), '{');
    expect(await findRun(runsDir, 'latest')).toBe(join(runsDir, '20250301-100000-bbbb'));
    const runs = await listRuns(runsDir);
    expect(runs.map((r) => [r.name, r.hasCheckpoint])).toEqual([
      ['20250301-100000-bbbb', false],
      ['20250201-100000-aaaa', true],
    ]);
  });
});
