/**
 * What `promptopt eval` leaves behind for CI: `--output` (the JSON document), `--junit` (valid XML,
 * one testcase per case, failures and errors), the Markdown appended to $GITHUB_STEP_SUMMARY; and
 * that no API key, nor any 12-character piece of one, appears in any of it, even when a bad first
 * key forces a rotation or every key is refused.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, readAllFiles, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { CASES, caseOf, overall, sentimentSpec, startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';
import { findAll, parseXml } from './helpers/xml.js';

const GOOD_KEY = 'sk-test-SECRET-abcdef1234567890XYZ';
const BAD_KEY = 'sk-bad-SECRET-0000111122223333QQQ';
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer({ validKeys: [GOOD_KEY] });
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const spec = () => sentimentSpec({ provider: 'openai-compatible', model: 'local-llama', base_url: fake.server.openaiBaseUrl });

describe('report files', () => {
  it('--output writes the JSON document, --junit valid XML (one testcase per case, failure and error), and the step summary is appended', async () => {
    fake.server.setFaults((request) => (caseOf(request)?.id === 'hate' ? { malformed: 'missing-usage' } : null));
    await writeSpec(dir, spec());
    const summaryFile = join(dir, 'step-summary.md');
    await writeFile(summaryFile, '## an earlier step\n\n');
    const result = await runCli(['eval', 'task.yaml', '--json', '--output', 'reports/eval.json', '--junit', 'reports/junit.xml'], {
      cwd: dir,
      env: { OPENAI_API_KEY: GOOD_KEY, GITHUB_STEP_SUMMARY: summaryFile },
    });
    expect(result.code, result.stderr).toBe(3); // `hate` is a provider error

    // --output: the same document as stdout (pretty-printed).
    const written = JSON.parse(await readFile(join(dir, 'reports/eval.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toEqual(parseJsonOut(result));
    expect(written).toMatchObject({ schema_version: 1, task: 'sentiment', exit_code: 3 });

    // --junit
    const xml = await readFile(join(dir, 'reports/junit.xml'), 'utf8');
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ name: 'promptopt sentiment', tests: '4', failures: '1', errors: '1' });
    const testcases = findAll(root, 'testcase');
    // Named by the case id and the start of its input.
    expect(testcases.map((t) => t.attributes.name).sort()).toEqual(CASES.map((c) => `${c.id}: ${c.input}`).sort());
    const byName = Object.fromEntries(testcases.map((t) => [t.attributes.name!.split(':')[0]!, t]));
    expect(byName.love!.children).toEqual([]);
    expect(byName.best!.children).toEqual([]);
    const failure = byName.fine!.children;
    expect(failure.map((c) => c.name)).toEqual(['failure']);
    expect(failure[0]!.attributes.type).toBe('wrong_answer');
    expect(failure[0]!.attributes.message).toContain('expected "neutral", got "positive"');
    expect(failure[0]!.text).toContain('output:\npositive');
    const error = byName.hate!.children;
    expect(error.map((c) => c.name)).toEqual(['error']);
    expect(error[0]!.attributes.type).toBe('PROVIDER_MALFORMED_RESPONSE');
    const suites = findAll(root, 'testsuite');
    expect(suites.reduce((n, s) => n + Number(s.attributes.tests), 0)).toBe(4);
    // Each suite carries the gate: the exit code is the verdict, not the count of failed cases.
    const properties = Object.fromEntries(findAll(suites[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
    expect(properties).toMatchObject({ 'promptopt.objective': 'pass_rate', 'promptopt.verdict': 'fail', 'promptopt.exit_code': '3' });
    expect(Number(properties['promptopt.score'])).toBeCloseTo(0.5, 6);
    expect(failure[0]!.text).toContain('score: 0\n');

    // $GITHUB_STEP_SUMMARY: appended, not replaced.
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary.startsWith('## an earlier step\n\n### promptopt eval: sentiment')).toBe(true);
    expect(summary).toContain('| split | passed | pass rate | mean score | unchecked | cost | cache hits |');
    expect(summary).toMatch(/\| all \| 2\/4 \| 50\.0% \|/);
    expect(summary).toMatch(/\| fine \| \w+ \| wrong_answer: expected "neutral", got "positive"/);
    expect(summary).toMatch(/\| hate \| \w+ \| .*malformed response/);
  });

  it('a passing run: junit has no failure, the step summary says passed', async () => {
    const lines = CASES.filter((c) => c.id !== 'fine').map((c) => ({ id: c.id, input: c.input, expected: c.expected }));
    await writeSpec(dir, { ...spec(), cases: lines });
    const summaryFile = join(dir, 'summary.md');
    const result = await runCli(['eval', 'task.yaml', '--quiet', '--junit', 'junit.xml'], {
      cwd: dir,
      env: { OPENAI_API_KEY: GOOD_KEY, GITHUB_STEP_SUMMARY: summaryFile },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(''); // --quiet
    const root = parseXml(await readFile(join(dir, 'junit.xml'), 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '3', failures: '0', errors: '0' });
    expect(findAll(root, 'testcase').every((t) => t.children.length === 0)).toBe(true);
    expect(await readFile(summaryFile, 'utf8')).toMatch(/^### promptopt eval: sentiment ✅ passed\n/);
  });

  it('markup, quotes and control characters in a model output still give well-formed JUnit', async () => {
    const nasty = 'positive <b a="1">&amp; &nbsp; R&D ]]> \u0007\u001b[31m red';
    fake.setRespond((request) => (caseOf(request)?.id === 'fine' ? nasty : 'positive'));
    await writeSpec(dir, spec());
    const result = await runCli(['eval', 'task.yaml', '--quiet', '--junit', 'junit.xml'], { cwd: dir, env: { OPENAI_API_KEY: GOOD_KEY } });
    expect(result.code, result.stderr).toBe(1); // 2 of 4 pass
    const root = parseXml(await readFile(join(dir, 'junit.xml'), 'utf8'));
    const fine = findAll(root, 'testcase').find((t) => t.attributes.name!.startsWith('fine: '))!;
    expect(fine.children[0]!.name).toBe('failure');
    // Text reads back as the model wrote it (an `&nbsp;` is text, not an undefined entity);
    // characters XML cannot hold become U+FFFD.
    expect(fine.children[0]!.text).toContain('output:\npositive <b a="1">&amp; &nbsp; R&D ]]> \uFFFD\uFFFD[31m red');
    expect(fine.children[0]!.attributes.message).toContain('&amp; &nbsp; R&D');
  });
});

describe('stdout', () => {
  it('a large --json document reaches a slow pipe reader whole: the CLI does not exit with output still queued', async () => {
    // 150 cases x ~3.5 kB outputs: a ~550 kB document, far beyond the 64 KiB a pipe holds.
    const filler = 'positive ' + 'lorem ipsum dolor sit amet '.repeat(130);
    fake.setRespond(() => filler);
    const rows = Array.from({ length: 150 }, (_, i) => JSON.stringify({ id: `row-${i}`, input: `review number ${i}`, expected: 'positive' }));
    await writeSpec(
      dir,
      { ...spec(), cases: 'cases.jsonl', defaults: { assert: [{ type: 'contains', value: '{{expected}}' }] } },
      { files: { 'cases.jsonl': `${rows.join('\n')}\n` } },
    );
    const result = await runCli(['eval', 'task.yaml', '--json'], {
      cwd: dir,
      env: { OPENAI_API_KEY: GOOD_KEY },
      // Progress reaches 150/150 on stderr just before the document is written to stdout.
      holdStdout: { untilStderr: /150\/150/, thenMs: 400 },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(300_000);
    const document = parseJsonOut(result);
    expect(document.cases).toHaveLength(150);
    expect(document.cases.every((c: any) => c.output === filler.trim() || c.output === filler)).toBe(true);
  });
});

describe('API keys never leak', () => {
  /** Every 12-character window of each key. */
  const pieces = [GOOD_KEY, BAD_KEY].flatMap((key) => Array.from({ length: key.length - 11 }, (_, i) => key.slice(i, i + 12)));

  function expectNoKey(where: string, text: string): void {
    for (const piece of pieces) {
      if (text.includes(piece)) throw new Error(`${where} contains "${piece}", a piece of an API key`);
    }
  }

  it('a bad first key rotates to a good second one; no key or 12-char piece of one in stdout, stderr, reports or the cache', async () => {
    await writeSpec(dir, { ...spec(), target: { ...spec().target as object, api_key_env: ['E2E_KEY_PRIMARY', 'E2E_KEY_BACKUP'] } });
    const summaryFile = join(dir, 'summary.md');
    const env = { E2E_KEY_PRIMARY: BAD_KEY, E2E_KEY_BACKUP: GOOD_KEY, GITHUB_STEP_SUMMARY: summaryFile };
    const args = ['eval', 'task.yaml', '--output', 'eval.json', '--junit', 'junit.xml'];

    const json = await runCli([...args, '--json'], { cwd: dir, env });
    expect(json.code, json.stderr).toBe(0);
    expect(fake.server.requests.some((r) => r.auth === 'invalid')).toBe(true); // the bad key was tried...
    expect(fake.server.requests.filter((r) => r.auth === 'valid')).toHaveLength(CASES.length); // ...then the good one served every case
    const document = parseJsonOut(json);
    expect(overall(document)).toMatchObject({ total: 4, passed: 3, provider_errors: 0 });
    expect(document.keys).toEqual([
      expect.objectContaining({ env_var: 'E2E_KEY_PRIMARY', calls: 0, failures: expect.any(Number), last_error_code: 'PROVIDER_AUTH' }),
      expect.objectContaining({ env_var: 'E2E_KEY_BACKUP', calls: 4 }),
    ]);

    // The human output, rotating again (no cache).
    const human = await runCli([...args, '--no-cache'], { cwd: dir, env });
    expect(human.code, human.stderr).toBe(0);

    // Every key refused: the 401 body echoes a masked key; the run fails with exit 3.
    const refused = await runCli([...args, '--json', '--no-cache'], { cwd: dir, env: { ...env, E2E_KEY_BACKUP: `${BAD_KEY}-2` } });
    expect(refused.code).toBe(3);
    expect(parseJsonOut(refused).cases.every((c: any) => c.provider_error?.code === 'PROVIDER_AUTH')).toBe(true);

    for (const [name, run] of Object.entries({ json, human, refused })) {
      expectNoKey(`${name} stdout`, run.stdout);
      expectNoKey(`${name} stderr`, run.stderr);
    }
    const files = await readAllFiles(dir);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['eval.json', 'junit.xml', 'summary.md', 'task.yaml']));
    expect(files.filter((f) => f.path.startsWith('.promptopt/cache/')).length).toBeGreaterThan(0);
    for (const file of files) expectNoKey(file.path, file.text);
  });
});
