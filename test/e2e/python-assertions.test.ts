/**
 * `python` assertions end to end: run with the machine's python3 (inline expressions, inline function
 * bodies, `file://check.py` calling get_assert, `file://check.py:fn`), with the same inputs as
 * `javascript` ones (`output`, `context` with vars and expected) and the same time limit; what they print
 * never breaks the protocol. When python3 is missing, validation says so before any call.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-python-0001';
let server: FakeLlmServer;
let dir: string;

const hasPython = spawnSync('python3', ['--version']).status === 0;

function route(request: FakeRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  return /refund|charge/i.test(last) ? 'billing' : 'tech';
}

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond: route });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl });

const CHECK_PY = [
  'import sys',
  '',
  'def get_assert(output, context):',
  '    print("checking", context["caseId"])  # printed output goes to stderr, not into the protocol',
  '    print("to stderr too", file=sys.stderr)',
  '    return 1.0 if output == context["expected"] else 0.0',
  '',
  'def mentions_team(output, context):',
  '    return {"pass": output in ("billing", "tech"), "score": 1, "reason": "team named: " + output}',
  '',
  'def never_returns(output, context):',
  '    while True:',
  '        pass',
  '',
].join('\n');

function spec(assert: unknown[], cases?: unknown[]): Record<string, unknown> {
  return {
    name: 'routing',
    description: 'Route a ticket',
    prompt: 'Route this ticket: {{input}}',
    target: { provider: 'openai', model: 'gpt-4o-mini', max_retries: 0 },
    cases: cases ?? [
      { id: 'refund', input: 'refund please', expected: 'billing' },
      { id: 'crash', input: 'the app crashes', expected: 'tech' },
      { id: 'wrong', input: 'charge me twice', expected: 'tech' },
    ],
    defaults: { assert },
  };
}

describe.runIf(hasPython)('python assertions with python3 present', () => {
  it('inline expressions and function bodies, file://check.py (get_assert) and file://check.py:fn, with output and context', async () => {
    const body = [
      "if context['vars']['input'].startswith('refund'):",
      "    return {'pass': output == 'billing', 'reason': 'refunds go to billing'}",
      "return {'pass': output == context['expected'], 'score': 0.25 if output != context['expected'] else 1, 'reason': 'expected ' + context['expected']}",
    ].join('\n');
    await writeSpec(
      dir,
      spec([
        { type: 'python', value: "output in ('billing', 'tech') and len(context['vars']['input']) > 3" },
        { type: 'python', value: body, metric: 'routing' },
        { type: 'python', value: 'file://checks/check.py' },
        { type: 'python', value: 'file://checks/check.py:mentions_team' },
      ]),
      { files: { 'checks/check.py': CHECK_PY } },
    );
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(1); // "wrong": the model says billing, expected tech
    const document = parseJsonOut(result);
    const byId = Object.fromEntries(document.cases.map((c: any) => [c.id, c]));
    expect(byId.refund.pass).toBe(true);
    expect(byId.crash.pass).toBe(true);
    expect(byId.wrong.pass).toBe(false);
    expect(byId.wrong.failures).toEqual([
      expect.objectContaining({ type: 'python', category: 'wrong_answer', reason: 'expected tech; got "billing"' }),
      expect.objectContaining({ type: 'python', reason: expect.stringContaining('get_assert in checks/check.py scored 0') }),
    ]);
    expect(result.stdout).not.toContain('checking'); // user prints never reach the JSON document
  });

  it('a function that never returns is an assertion_error at the time limit; the run goes on', async () => {
    await writeSpec(dir, spec([{ type: 'python', value: 'file://check.py:never_returns', timeout_ms: 400 }], [{ id: 'one', input: 'refund', expected: 'billing' }]), {
      files: { 'check.py': CHECK_PY },
    });
    const started = Date.now();
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    expect(parseJsonOut(result).cases[0].failures[0]).toMatchObject({ category: 'assertion_error', reason: expect.stringContaining('did not return within 400 ms') });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('inline code that does not compile, a missing function and a missing file are refused before any call', async () => {
    await writeSpec(dir, spec([{ type: 'python', value: 'return output ==' }]));
    let result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/defaults\.assert\[0\]\.value: python: the code does not compile: invalid syntax/);

    await writeSpec(dir, spec([{ type: 'python', value: 'file://check.py:nope' }]), { files: { 'check.py': CHECK_PY } });
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no function "nope" (functions: get_assert, mentions_team, never_returns)');

    await writeSpec(dir, spec([{ type: 'python', value: 'file://missing.py' }]));
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('python file not found: missing.py');
    expect(server.count).toBe(0);
  });
});

describe('python assertions without python3', () => {
  it('validation says python3 is missing, at the assertion, before any call', async () => {
    const emptyBin = join(dir, 'empty-bin');
    await mkdir(emptyBin);
    await writeFile(join(dir, 'check.py'), CHECK_PY);
    await writeSpec(dir, spec([{ type: 'equals', value: '{{expected}}' }, { type: 'python', value: 'file://check.py' }, { type: 'python', value: "output != ''" }]));
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: { ...env(), PATH: emptyBin } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('defaults.assert[1].value: python code needs Python 3, but python3 was not found on PATH (1 other use of python too)');
    expect(result.stderr).toContain('PROMPTOPT_PYTHON');
    expect(server.count).toBe(0);
  });

  it('PROMPTOPT_PYTHON naming a missing interpreter is reported the same way', async () => {
    await writeSpec(dir, spec([{ type: 'python', value: "output != ''" }]));
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: { ...env(), PROMPTOPT_PYTHON: join(dir, 'no-such-python') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-python was not found');
    expect(server.count).toBe(0);
  });
});
