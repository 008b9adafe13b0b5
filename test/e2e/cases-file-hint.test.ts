/** The "looks like a cases file" hint: given when a cases file is passed where the spec goes, not when the spec's own cases file has problems. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempDir, removeDir, runCli } from './helpers/cli.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-cases-hint-');
  await writeFile(join(dir, 'task.yaml'), 'name: t\ndescription: d\nprompt: "Say {{input}}"\ntarget: { provider: sim, model: sim-classifier }\ncases: cases.jsonl\ndefaults:\n  assert: [{ type: equals, value: "{{expected}}" }]\n');
  await writeFile(join(dir, 'cases.jsonl'), '{"input":"a","expected":"x","threshold":"high"}\n{"input":"b","expectd":"y"}\n');
});
afterEach(() => removeDir(dir));

const HINT = 'looks like a cases file; pass the task YAML that references it';

it('names the problems of the spec\'s cases file without telling the user to pass the spec they passed', async () => {
  const result = await runCli(['eval', 'task.yaml'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('cases.jsonl:1:');
  expect(result.stderr).toContain('cases[1].expectd');
  expect(result.stderr).not.toContain(HINT);
});

it('says to pass the task YAML when the cases file is given in its place', async () => {
  const result = await runCli(['eval', 'cases.jsonl'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`cases.jsonl ${HINT}`);
});
