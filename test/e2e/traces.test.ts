/**
 * `promptopt traces` end to end, on optimize runs against the fake server: the export holds every
 * traced call in the record shape `import` reads (vars, the prompt version each call was made with,
 * model, usage, cost, latency, the final prompt's verdict as feedback); `--failed` gives exactly the
 * cases the final prompt failed, and importing that export into another task gives those cases;
 * `--trace calls` runs still tell each call's prompt, without request texts.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { readTrace } from '../../src/report/read-trace.js';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import {
  fixOneShown,
  group,
  optimize,
  optimizeSpec,
  readJson,
  readVersions,
  runDirs,
  START_PROMPT,
  startWorld,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 2),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'validation', 1),
  ...group('alpha', 'test', 1),
  ...group('charlie', 'test', 2),
];
const byId = new Map(CASES.map((c) => [c.id, c]));
// One iteration adding one rule (alpha): bravo and charlie still fail with the final prompt.
const spec = optimizeSpec(CASES, { optimizer: { max_iterations: 1, candidates: 1 } });
const STILL_FAILING = CASES.filter((c) => c.expected !== 'alpha').map((c) => c.id).sort();

let world: OptimizeWorld;
let dir: string;
const traces = (args: string[]) => runCli(['traces', ...args], { cwd: dir, env: world.env() });
const lines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

beforeAll(async () => {
  world = await startWorld({ cases: CASES, optimizer: fixOneShown });
});
afterAll(async () => {
  await world.close();
});
beforeEach(async () => {
  world.server.reset();
  dir = await makeTempDir('promptopt-traces-');
});
afterEach(async () => {
  await removeDir(dir);
});

async function optimizeOnce(args: string[] = []): Promise<{ runDir: string }> {
  await writeTask(dir, spec);
  const result = await optimize(world, dir, ['--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  const [runDir] = await runDirs(dir);
  return { runDir: runDir! };
}

describe('traces --jsonl: every call in the import shape', () => {
  test('target calls carry the case, the prompt version they were made with and the final verdict', async () => {
    const { runDir } = await optimizeOnce();
    const versions = await readVersions(dir);
    expect(versions.map((v) => v.version)).toEqual([1, 2]); // the start, and the prompt with RULE:alpha
    expect(versions[1]!.text).toContain('RULE:alpha');

    const result = await traces(['latest', '--jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const records = lines(result.stdout);
    const { calls } = await readTrace(join(runDir, 'trace.jsonl'));
    expect(records).toHaveLength(calls.length);
    const runId = runDir.split('/').at(-1)!;
    const saved = (await readJson(join(runDir, 'cases.json'))).cases as { case_id: string; pass: boolean; output: string; failures: { reason: string }[] }[];
    let verdicts = 0;

    records.forEach((record, i) => {
      const call = calls[i]!;
      expect(record.id).toBe(`${runId}#${i + 1}`);
      expect(record.timestamp).toBe(call.at);
      expect(record.model).toBe(call.model);
      expect(record.usage).toEqual({ input_tokens: call.input_tokens, output_tokens: call.output_tokens });
      expect(record.latency_ms).toBe(call.latency_ms);
      expect(record.trace).toMatchObject({ run_id: runId, call: i + 1, role: call.role, cache_hit: call.cache_hit });
      if (call.role !== 'target') {
        expect(record.vars).toBeUndefined();
        return;
      }
      const testCase = byId.get(call.case_id!)!;
      expect(record.vars).toEqual({ input: testCase.input });
      expect(record.output).toBe(call.output);
      expect(record.trace.expected).toBe(testCase.expected);
      // The request sent decides the version: with a RULE:alpha line it is v2, else the start prompt v1.
      const sent = (call.request as { messages: { content: string }[] }).messages[0]!.content;
      expect(world.targetRequests().some((r) => r.text === `\n${sent}`)).toBe(true); // what the server received
      expect(record.prompt_version).toBe(sent.split('\n').includes('RULE:alpha') ? 'v2' : 'v1');
      if (call.phase === 'baseline') expect(record.prompt_version).toBe('v1');
      if (call.phase === 'test') expect(record.prompt_version).toBe('v2');
      // The verdict is the final prompt's (v2), on the output it gave: a call of the start prompt has
      // none, even one that gave the same output (the checkpoint does not say what it gave per case).
      const final = saved.find((c) => c.case_id === testCase.id)!;
      if (record.prompt_version !== 'v2' || call.output !== final.output) {
        expect(record.trace.verdict).toBeUndefined();
        expect(record.feedback).toBeUndefined();
        return;
      }
      verdicts += 1;
      expect(record.trace.verdict).toBe(final.pass ? 'pass' : 'fail');
      expect(record.feedback).toEqual(
        final.pass ? { rating: 'up' } : { rating: 'down', correction: testCase.expected, comment: `equals: ${final.failures[0]!.reason}` },
      );
    });
    expect(verdicts).toBeGreaterThanOrEqual(saved.length); // every final case result, some cache hits again
    expect(records.filter((r) => r.trace.verdict === undefined && r.trace.role === 'target').length).toBeGreaterThan(0);
    expect(records.filter((r) => r.trace.role === 'target').every((r) => /^v[12]$/.test(r.prompt_version))).toBe(true);
    expect(records.some((r) => r.trace.role === 'optimizer')).toBe(true);
    // Full traces export the request texts too.
    const first = records.find((r) => r.trace.role === 'target')!;
    expect(first.trace.request.messages[0].content).toContain(byId.get(first.trace.case_id)!.input);
    expect(first.trace.request.messages[0].content).toContain(START_PROMPT.split('\n')[0]);
  });

  test('--role, --json and the listing', async () => {
    await optimizeOnce();
    const optimizerOnly = lines((await traces(['latest', '--role', 'optimizer', '--jsonl'])).stdout);
    expect(optimizerOnly.length).toBeGreaterThan(0);
    expect(optimizerOnly.every((r) => r.trace.role === 'optimizer' && r.vars === undefined && r.feedback === undefined)).toBe(true);

    const doc = parseJsonOut(await traces(['latest', '--json', '--role', 'target']));
    expect(doc.schema_version).toBe(1);
    expect(doc.trace_modes).toEqual(['full']);
    expect(doc.records).toHaveLength(doc.calls.target);
    expect(doc.final_prompt).toBe('v2');
    // Given the task, the run is looked up in its runs folder: the same export.
    expect(parseJsonOut(await traces(['latest', 'task.yaml', '--json', '--role', 'target'])).records).toEqual(doc.records);

    const listing = await traces(['latest']);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain(`${doc.calls.target} target, ${doc.calls.optimizer} optimizer, 0 judge`);
    expect(listing.stdout).toMatch(/tr-bravo-01 +v2 +fail/);
    expect(listing.stdout).toMatch(/tr-bravo-01 +v1 {2,}\d+\/\d+ /); // the start prompt's call: no verdict

    const misuse = await traces(['latest', '--failed', '--role', 'judge']);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('--failed selects target calls');
  });

  test('a run traced with --trace calls: prompts still told apart by the request digest, no texts exported', async () => {
    await optimizeOnce(['--trace', 'calls']);
    const records = lines((await traces(['latest', '--jsonl', '--role', 'target'])).stdout);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(Object.keys(record.trace.request).sort()).toEqual(['hash', 'max_tokens']);
      expect(record.prompt_version).toMatch(/^v[12]$/);
      if (record.trace.phase === 'baseline') expect(record.prompt_version).toBe('v1');
    }
    expect(records.some((r) => r.prompt_version === 'v2')).toBe(true);
  });

  test('a run traced with --trace off has nothing to export: exit 2 naming why', async () => {
    await optimizeOnce(['--trace', 'off']);
    const result = await traces(['latest', '--jsonl']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no trace in');
    expect(result.stderr).toContain('--trace off');
  });
});

describe('traces --failed: the final prompt\'s failures, re-imported as cases', () => {
  test('exactly the failing cases, each with its failing call; importing them into another task gives those cases', async () => {
    const { runDir } = await optimizeOnce();
    const saved = (await readJson(join(runDir, 'cases.json'))).cases as { case_id: string; pass: boolean; output: string }[];
    expect(saved.filter((c) => !c.pass).map((c) => c.case_id).sort()).toEqual(STILL_FAILING);

    const result = await traces(['latest', '--failed', '--jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const failures = lines(result.stdout);
    expect(failures.map((r) => r.trace.case_id).sort()).toEqual(STILL_FAILING);
    for (const record of failures) {
      const testCase = byId.get(record.trace.case_id)!;
      expect(record.vars).toEqual({ input: testCase.input });
      expect(record.output).toBe(saved.find((c) => c.case_id === testCase.id)!.output);
      expect(record.prompt_version).toBe('v2');
      expect(record.feedback).toMatchObject({ rating: 'down', correction: testCase.expected });
      expect(record.trace.call).toEqual(expect.any(Number)); // the traced call that gave that output
      expect(record.model).toBe('fake-target-1');
    }

    // Another task on the same prompt variable, with one case of its own.
    const other = join(dir, 'regressions');
    await writeSpec(other, { ...spec, name: 'ticket-regressions', cases: 'cases.jsonl' }, {
      files: { 'cases.jsonl': `${JSON.stringify({ id: 'own-1', input: 'ticket OWN about the printer problem', expected: 'alpha' })}\n` },
    });
    const exported = join(dir, 'failures.jsonl');
    await writeFile(exported, result.stdout);
    const imported = await runCli(['import', 'task.yaml', exported, '--json'], { cwd: other, env: world.env() });
    expect(imported.code, imported.stderr).toBe(0);
    const summary = parseJsonOut(imported);
    expect(summary.imported).toMatchObject({ correction: STILL_FAILING.length });

    const cases = (await readFile(join(other, 'cases.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(cases).toHaveLength(1 + STILL_FAILING.length);
    const added = cases.slice(1);
    expect(added.map((c) => c.vars.input).sort()).toEqual(STILL_FAILING.map((id) => byId.get(id)!.input).sort());
    for (const c of added) {
      const testCase = CASES.find((t) => t.input === c.vars.input)!;
      expect(c.expected).toBe(testCase.expected);
      expect(c.metadata.feedback).toBe('correction');
      expect(c.metadata.source).toMatchObject({ file: 'failures.jsonl', prompt_version: 'v2', model: 'fake-target-1' });
      expect(c.metadata.source.record_id).toMatch(/#\d+$/);
      expect(c.metadata.comment).toContain('equals: ');
    }

    // Importing the failures into the task they came from adds nothing: they are its own cases.
    const again = await runCli(['import', 'task.yaml', exported, '--json', '--dry-run'], { cwd: dir, env: world.env() });
    expect(parseJsonOut(again).imported).toMatchObject({ correction: 0 });
  });

  test('--failed on a run without case results: exit 2 with how to finish it', async () => {
    const { runDir } = await optimizeOnce();
    await rm(join(runDir, 'cases.json')); // as for a run killed before its reports
    const result = await traces(['latest', '--failed', '--jsonl']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('has no case results');
    expect(result.stderr).toContain('--resume');
  });
});
