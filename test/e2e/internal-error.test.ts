/**
 * An error no code path expected (a bug) is not a provider failure: exit 70, a message that says it
 * is a bug in promptopt and asks for a report, the stack only with PROMPTOPT_DEBUG set, and with
 * --json an INTERNAL error document on stdout. The bug is planted in stdout itself: its first write
 * (the summary of `eval`, or the head of eval's streamed JSON document) throws a TypeError, as a
 * bug in the code that builds them would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';

const INJECTED = "injected bug: Cannot read properties of undefined (reading 'score')";
/** Throws on the first stdout write of a run, then lets the error report through. */
function bugOnFirstWrite(): (text: string) => void {
  let thrown = false;
  return function plantedBug() {
    if (thrown) return;
    thrown = true;
    throw new TypeError(INJECTED);
  };
}

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
    const result = await runCli(['eval', 'task.yaml', '--quiet'], { cwd: dir, tapStdout: bugOnFirstWrite() });
    expect(result.code).toBe(70);
    expect(result.stderr).toContain(`error: internal error: ${INJECTED}`);
    expect(result.stderr).toMatch(/hint: this is a bug in promptopt, not in your spec: please report it .*PROMPTOPT_DEBUG=1/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/provider|unexpected failure/);
  });

  it('prints the stack with PROMPTOPT_DEBUG=1', async () => {
    const result = await runCli(['eval', 'task.yaml', '--quiet'], { cwd: dir, env: { PROMPTOPT_DEBUG: '1' }, tapStdout: bugOnFirstWrite() });
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/TypeError: injected bug/);
    expect(result.stderr).toMatch(/^\s+at .*internal-error\.test\.ts/m);
  });

  it('with --json: an INTERNAL error document on stdout', async () => {
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, tapStdout: bugOnFirstWrite() });
    expect(result.code).toBe(70);
    expect(parseJsonOut(result)).toEqual({ schema_version: 1, error: { code: 'INTERNAL', message: INJECTED } });
  });
});
