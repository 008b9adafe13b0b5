/**
 * Careless inputs that are still valid get a warning before anything is spent (shown by --dry-run,
 * which calls nothing), and the command goes on: bytes that are not UTF-8 in a cases file (file and
 * lines), a case of megabytes, a prompt that uses no variable. Offline, on the simulator.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';

const spec = (extra: Record<string, unknown> = {}) => ({
  name: 'warnings',
  description: 'careless inputs (e2e)',
  prompt: 'Classify the sentiment as positive or negative: {{input}}',
  target: { provider: 'sim', model: 'sim-classifier' },
  cases: 'cases.jsonl',
  defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
  ...extra,
});
const row = (input: string, expected: string) => Buffer.from(`${JSON.stringify({ input, expected })}\n`);
const latin1Row = (input: string, expected: string) => Buffer.from(`${JSON.stringify({ input, expected })}\n`, 'latin1');

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-warnings-');
});
afterEach(() => removeDir(dir));

const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('warning: '));

describe('warnings before spending', () => {
  it('bytes that are not UTF-8 in a cases file: the file and the lines, and the run goes on', async () => {
    // Lines 2 and 4 were saved as Latin-1: "é" is the single byte 0xE9.
    const bytes = Buffer.concat([row('good day', 'positive'), latin1Row('un café terrible', 'negative'), row('bad day', 'negative'), latin1Row('très bien', 'positive')]);
    await writeSpec(dir, spec());
    await writeFile(join(dir, 'cases.jsonl'), bytes);
    const dryRun = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir });
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(warnings(dryRun.stderr)).toEqual([
      'warning: cases.jsonl: lines 2, 4 hold bytes that are not UTF-8; they were replaced with "\uFFFD" (save the file as UTF-8 to keep those characters)',
    ]);
    const run = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir });
    expect(run.code).not.toBe(2);
    expect(parseJsonOut(run).cases).toHaveLength(4);
    expect(warnings(run.stderr)).toHaveLength(1);
  });

  it('a case of 5 MB: named with its file and line, size and token estimate', async () => {
    await writeSpec(dir, spec());
    await writeFile(join(dir, 'cases.jsonl'), Buffer.concat([row('good day', 'positive'), row(`a long review ${'x'.repeat(5_000_000)}`, 'negative'), row('bad day', 'negative')]));
    const result = await runCli(['eval', 'task.yaml', '--dry-run', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result)).toHaveProperty('schema_version', 1); // stdout stays one JSON document
    const [warning, ...rest] = warnings(result.stderr);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^warning: case "[0-9a-f]+" \(cases\.jsonl:2\) sends 5\.0 MB of text \(~1,250,00\d tokens\): more than most models accept, and paid for on every call$/);
  });

  it('a prompt with no template variable: every case would send the same request', async () => {
    await writeSpec(dir, spec({ prompt: 'Classify the sentiment as positive or negative.' }));
    await writeFile(join(dir, 'cases.jsonl'), Buffer.concat([row('good day', 'positive'), row('bad day', 'negative')]));
    const result = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(warnings(result.stderr)).toEqual([
      'warning: task.yaml (prompt): the prompt uses no template variable, so all 2 cases send the same request (cases have: input; e.g. add {{input}})',
    ]);
    // The same for a prompt file given with --prompt (the spec's own prompt is fine here).
    await writeSpec(dir, spec(), { files: { 'fixed.md': 'Say positive.\n' } });
    const flag = await runCli(['eval', 'task.yaml', '--prompt', 'fixed.md', '--dry-run'], { cwd: dir });
    expect(flag.code, flag.stderr).toBe(0);
    expect(warnings(flag.stderr)).toEqual([expect.stringMatching(/^warning: fixed\.md: the prompt uses no template variable, so all 2 cases send the same request/)]);
  });

  it('none of them for a clean task, nor for a system prompt whose fixed user message carries the variable', async () => {
    await writeFile(join(dir, 'cases.jsonl'), Buffer.concat([row('good day', 'positive'), row('bad day', 'negative')]));
    await writeSpec(dir, spec());
    expect(warnings((await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir })).stderr)).toEqual([]);
    await writeSpec(dir, spec({ prompt: 'You classify sentiment.', prompt_role: 'system', user: '{{input}}' }));
    const system = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir });
    expect(system.code, system.stderr).toBe(0);
    expect(warnings(system.stderr)).toEqual([]);
  });
});
