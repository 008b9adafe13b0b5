/**
 * `promptopt init`: the scaffold and the commands it prints, in-process. The commands name promptopt
 * the way it was started (test/cli/invocation.test.ts covers each way); install.test.ts runs them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, makeTempDir, removeDir, runCli } from './helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-init-');
});
afterEach(async () => {
  await removeDir(dir);
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
