/**
 * The first hour, in-process: the commands `init` prints (named the way promptopt was started;
 * test/cli/invocation.test.ts covers each way, install.test.ts runs them from an install), what a
 * second optimize run says about the versions it reuses, version files that end with a newline, and
 * what a suite too small for its splits is told to do.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, makeTempDir, removeDir, runCli, writeSpec } from './helpers/cli.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await makeTempDir('promptopt-init-');
  // Three levels down: far from the checkout wherever it sits (a checkout beside the temp folders,
  // as in /tmp/checkout, would otherwise be named by a shorter relative path).
  dir = join(root, 'a', 'b', 'c');
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  await removeDir(root);
});

describe('promptopt init', () => {
  it('prints next: commands that start this promptopt the way it was started, and writes the same into the spec', async () => {
    // Started as `node <checkout>/bin/promptopt.js` from a folder far from the checkout, no promptopt on PATH.
    const result = await runCli(['init', 'demo'], { cwd: dir, script: CLI_BIN, env: { PATH: '/usr/bin:/bin' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`next:\n  node ${CLI_BIN} eval demo/task.yaml\n  node ${CLI_BIN} optimize demo/task.yaml\n`);
    const spec = await readFile(join(dir, 'demo', 'task.yaml'), 'utf8');
    expect(spec).toContain(`#   node ${CLI_BIN} eval task.yaml `);
    expect(spec).toContain(`#   node ${CLI_BIN} optimize task.yaml `);
    expect(spec).not.toContain('npx');
  });

  it('says promptopt when it cannot tell how it was started', async () => {
    const result = await runCli(['init', 'my task'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`next:\n  promptopt eval 'my task/task.yaml'\n  promptopt optimize 'my task/task.yaml'\n`);
    expect(await readFile(join(dir, 'my task', 'task.yaml'), 'utf8')).toContain('#   promptopt eval task.yaml ');
  });
});

describe('optimize on the scaffold, twice', () => {
  it('the second run says it reused the versions the first wrote; every version file ends with a newline and diffs cleanly', async () => {
    expect((await runCli(['init', 'demo'], { cwd: dir })).code).toBe(0);
    const first = await runCli(['optimize', 'demo/task.yaml'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const wrote = [...first.stderr.matchAll(/ wrote v(\d+) → /g)].map((m) => Number(m[1]));
    expect(wrote.length).toBeGreaterThan(1);
    expect(first.stderr).not.toContain('reused');
    // The scaffold's validation split is small (8 cases), and the run says what that means.
    expect(first.stderr).toContain('warning: few held-out cases (validation 8): one case moves a score there by up to 13 points');

    const second = await runCli(['optimize', 'demo/task.yaml'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    const reused = [...second.stderr.matchAll(/ reused v(\d+) \(the same prompt\) → /g)].map((m) => Number(m[1]));
    expect(reused).toEqual(wrote); // the simulator is deterministic: the same prompts, found again
    expect(second.stderr).not.toMatch(/ wrote v\d+/);

    const versions = join(dir, 'demo', 'prompt-versions');
    const files = (await readdir(versions)).filter((name) => /^v\d+\.(md|diff)$/.test(name));
    for (const name of files) expect((await readFile(join(versions, name), 'utf8')).endsWith('\n'), name).toBe(true);
    for (const name of files.filter((f) => f.endsWith('.diff'))) expect(await readFile(join(versions, name), 'utf8'), name).not.toContain('No newline at end of file');
    const last = Math.max(...wrote);
    const diff = await runCli(['diff', 'demo/task.yaml', 'v1', `v${last}`], { cwd: dir });
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).not.toContain('No newline at end of file');
    // promote writes the version's text, byte for byte, into the prompt file
    expect((await runCli(['promote', 'demo/task.yaml', `v${last}`], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'demo', 'prompt.md'), 'utf8')).toBe(await readFile(join(versions, `v${last}.md`), 'utf8'));
  }, 60_000);
});

describe('a suite too small for its splits', () => {
  const twoCases = {
    name: 'getting-started',
    description: 'Two cases, as in a first try.',
    prompt: 'Answer: {{input}}',
    target: { provider: 'sim', model: 'sim-classifier' },
    optimizer: { provider: 'sim', model: 'sim-optimizer' },
    cases: [
      { input: 'I love it', expected: 'positive' },
      { input: 'I hate it', expected: 'negative' },
    ],
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
  };

  it('optimize says why it needs a test split and what to do: how many cases would do, mark cases, or eval the suite', async () => {
    await writeSpec(dir, twoCases);
    const result = await runCli(['optimize', 'task.yaml'], { cwd: dir, script: CLI_BIN, env: { PATH: '/usr/bin:/bin' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('split "test" has 0 cases (2 cases total: train 2, validation 0, test 0); optimize tunes the prompt on train and scores it once on the held-out test split');
    expect(result.stderr).toContain('add cases (with the ratios train 0.6, validation 0.2, test 0.2, 5 or more give each of train, test at least one)');
    expect(result.stderr).toContain('mark some cases `split: test` in the cases file');
    expect(result.stderr).toContain(`\`node ${CLI_BIN} eval <task.yaml>\` scores a suite of any size`); // named as it was started
  });

  it('eval --split test points at --split all', async () => {
    await writeSpec(dir, twoCases);
    const result = await runCli(['eval', 'task.yaml', '--split', 'test'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`--split all` runs every case');
    expect((await runCli(['eval', 'task.yaml', '--split', 'all'], { cwd: dir })).code).toBe(1); // runs: 2 cases, below the threshold
  });
});

