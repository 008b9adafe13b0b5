/**
 * Damaged files are named, never silently skipped: a `vN.json` that does not parse used to hide its
 * version (history, promote and optimize carried on without it), and a corrupt checkpoint made
 * `--resume latest` say "no runs with a checkpoint". Offline: the simulator is target and optimizer.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';

const CASES = [
  { input: 'I love this phone, the battery lasts for days', expected: 'positive', split: 'train' },
  { input: 'I hate waiting forty minutes for cold food', expected: 'negative', split: 'train' },
  { input: 'Best concert I have been to in years', expected: 'positive', split: 'train' },
  { input: 'Terrible service and rude staff', expected: 'negative', split: 'test' },
  { input: 'Great value, would buy again', expected: 'positive', split: 'test' },
];

const SPEC = {
  name: 'sentiment',
  description: 'Classify review sentiment (damaged files e2e)',
  prompt: 'file://prompt.md',
  target: { provider: 'sim', model: 'sim-classifier' },
  optimizer: { provider: 'sim', model: 'sim-optimizer', max_iterations: 2, candidates: 1, validation_iterations: 0 },
  cases: CASES,
  defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
};

let dir: string;
const cli = (args: string[]) => runCli(args, { cwd: dir });

beforeEach(async () => {
  dir = await makeTempDir('promptopt-damaged-');
  await writeSpec(dir, SPEC, { files: { 'prompt.md': 'Classify the review.\n\nReview: {{input}}\n' } });
  const first = await cli(['optimize', 'task.yaml', '--json']);
  expect(first.code, first.stderr).toBe(0);
});
afterEach(() => removeDir(dir));

const runFolders = async () => (await readdir(join(dir, '.promptopt', 'runs'))).sort();

describe('a damaged vN.json', () => {
  it('history, promote and optimize name it (exit 2) instead of hiding that version', async () => {
    await writeFile(join(dir, 'prompt-versions', 'v1.json'), '<<<<<<< HEAD\n{"schema_version": 1\n');
    for (const args of [['history', 'task.yaml'], ['promote', 'task.yaml', 'v1'], ['optimize', 'task.yaml']]) {
      const runsBefore = await runFolders();
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/error: damaged version file prompt-versions\/v1\.json: not valid JSON/);
      expect(result.stderr).toContain('git checkout -- prompt-versions/v1.json');
      expect(await runFolders()).toEqual(runsBefore); // optimize stopped before starting a run
    }
    const json = await cli(['history', 'task.yaml', '--json']);
    expect(parseJsonOut(json).error).toMatchObject({ code: 'VERSION_FILE_DAMAGED', file: 'prompt-versions/v1.json' });
  });
});

describe('a corrupt checkpoint', () => {
  it('--resume latest and report latest name it, rather than "no runs with a checkpoint"', async () => {
    const [run] = await runFolders();
    const checkpoint = join(dir, '.promptopt', 'runs', run!, 'checkpoint.json');
    await writeFile(checkpoint, '{"schemaVersion": 1, "runId": "trunc');
    for (const args of [['optimize', 'task.yaml', '--resume', 'latest'], ['report', 'latest', 'task.yaml']]) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`corrupt checkpoint ${checkpoint}: not valid JSON`);
      expect(result.stderr).not.toContain('no runs with a checkpoint');
    }
  });

  it('newer than the readable runs: named too, since it may be the latest; an explicit run id still works', async () => {
    const second = await cli(['optimize', 'task.yaml', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const [older, newer] = await runFolders();
    await writeFile(join(dir, '.promptopt', 'runs', newer!, 'checkpoint.json'), 'not json');
    const latest = await cli(['report', 'latest', 'task.yaml']);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toMatch(new RegExp(`corrupt checkpoint .*${newer}.*checkpoint\\.json: not valid JSON`));
    expect(latest.stderr).toContain(`pass a run id instead of latest (e.g. ${older})`);
    const byId = await cli(['report', older!, 'task.yaml']);
    expect(byId.code, byId.stderr).toBe(0);
  });
});
