/**
 * An error no code path expected (a bug) is not a provider failure: exit 70, a message that says it
 * is a bug in promptopt and asks for a report, the stack only with PROMPTOPT_DEBUG set, and with
 * --json an INTERNAL error document on stdout. The bug is injected by mocking the module that builds
 * the head of eval's JSON document (used on every eval path) so that it throws a TypeError.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';

const INJECTED = "injected bug: Cannot read properties of undefined (reading 'score')";

vi.mock('../../src/cli/output/eval-json.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/cli/output/eval-json.js')>()),
  evalJsonHead: () => {
    throw new TypeError(INJECTED);
  },
}));

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-internal-');
  await writeSpec(dir, {
    name: 'internal',
    description: 'an injected bug (e2e)',
    prompt: 'Classify: {{input}}',
    target: { provider: 'sim', model: 'sim-classifier' },
    cases: [
      { input: 'good', expected: 'positive' },
      { input: 'bad', expected: 'negative' },
    ],
    defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
  });
});
afterEach(() => removeDir(dir));

describe('an internal error', () => {
  it('exits 70 and asks for a bug report, without a stack trace', async () => {
    const result = await runCli(['eval', 'task.yaml', '--quiet'], { cwd: dir });
    expect(result.code).toBe(70);
    expect(result.stderr).toContain(`error: internal error: ${INJECTED}`);
    expect(result.stderr).toMatch(/hint: this is a bug in promptopt, not in your spec: please report it .*PROMPTOPT_DEBUG=1/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/provider|unexpected failure/);
  });

  it('prints the stack with PROMPTOPT_DEBUG=1', async () => {
    const result = await runCli(['eval', 'task.yaml', '--quiet'], { cwd: dir, env: { PROMPTOPT_DEBUG: '1' } });
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/TypeError: injected bug/);
    expect(result.stderr).toMatch(/^\s+at .*internal-error\.test\.ts/m);
  });

  it('with --json: an INTERNAL error document on stdout', async () => {
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(70);
    expect(parseJsonOut(result)).toEqual({ schema_version: 1, error: { code: 'INTERNAL', message: INJECTED } });
  });
});
