/**
 * Output transforms end to end: the spec's `transform:` (promptfoo's options.transform) runs on every
 * answer before its assertions, an assertion's own `transform:` on what that assertion sees; inline
 * JavaScript, `file://x.js:fn` and `file://x.py` (get_transform). A transform may return data
 * (`JSON.parse(output)`): javascript/python assertions see the object, the others its JSON. The raw
 * answer stays what the results record. A transform that throws fails its case with the reason; one that
 * does not compile, or names a missing file, is refused before any call.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startFakeLlmServer, type FakeLlmServer, type FakeRequest } from '../support/fake-llm-server.js';

const KEY = 'sk-test-transform-0001';
let server: FakeLlmServer;
let dir: string;
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Answers like a chatty model: the JSON wrapped in a code fence with blank lines around it. */
function answer(request: FakeRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  if (last.includes('garbage')) return 'not json at all';
  const team = /refund/i.test(last) ? 'billing' : 'tech';
  return `\n\`\`\`json\n{"team": "${team}", "confidence": 0.9}\n\`\`\`\n`;
}

beforeAll(async () => {
  server = await startFakeLlmServer({ validKeys: [KEY], respond: answer });
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseUrl });
const CASES = [
  { id: 'refund', input: 'refund please', expected: 'billing' },
  { id: 'crash', input: 'the app crashes', expected: 'tech' },
];

function spec(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'routing',
    description: 'Route a ticket, answering JSON',
    prompt: 'Route this ticket, answering JSON {"team", "confidence"}: {{input}}',
    target: { provider: 'openai', model: 'gpt-4o-mini', max_retries: 0 },
    cases: CASES,
    ...extra,
  };
}

const STRIP_FENCE = "output.replace(/```(json)?/g, '').trim()";

describe('output transforms', () => {
  it('the spec transform runs before every assertion; the raw answer stays in the results', async () => {
    await writeSpec(dir, spec({ transform: STRIP_FENCE, defaults: { assert: [{ type: 'starts-with', value: '{"team"' }, { type: 'is-json' }] } }));
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
    const document = parseJsonOut(result);
    expect(document.score).toBe(1);
    expect(document.cases[0].output).toBe('\n```json\n{"team": "billing", "confidence": 0.9}\n```\n');
  });

  it('a transform returning data: javascript and python see the object, equals compares its JSON; assertion transforms pick a field', async () => {
    const assert = [
      { type: 'javascript', value: "output.team === context.expected && typeof output.confidence === 'number'" },
      { type: 'equals', value: 'billing', transform: 'output.team' },
      { type: 'contains-json', value: { type: 'object', required: ['team'] } },
      ...(hasPython ? [{ type: 'python', value: "output['confidence'] > 0.5 and output['team'] == context['expected']" }] : []),
    ];
    await writeSpec(dir, spec({ transform: `JSON.parse(${STRIP_FENCE})`, defaults: { assert } }));
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    const document = parseJsonOut(result);
    const byId = Object.fromEntries(document.cases.map((c: any) => [c.id, c]));
    expect(byId.refund.pass, JSON.stringify(byId.refund.failures)).toBe(true);
    // "crash": only `equals billing` (on output.team = "tech") fails.
    expect(byId.crash.failures).toEqual([expect.objectContaining({ type: 'equals', expected: 'billing', actual: 'tech' })]);
    expect(result.code).toBe(1);
  });

  it('file://transform.js:fn and file://transform.py (get_transform)', async () => {
    const js = "export function clean(output, context) {\n  return output.replace(/```(json)?/g, '').trim() + ' for ' + context.vars.input;\n}\n";
    await writeSpec(dir, spec({ transform: 'file://transform.js:clean', defaults: { assert: [{ type: 'contains', value: '"team": "{{expected}}", "confidence": 0.9} for {{input}}' }] } }), {
      files: { 'transform.js': js },
    });
    let result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);

    if (!hasPython) return;
    const py = 'import json\n\ndef get_transform(output, context):\n    return json.loads(output.replace("```json", "").replace("```", ""))["team"].upper()\n';
    await writeSpec(dir, spec({ transform: 'file://transform.py', defaults: { assert: [{ type: 'equals', value: '{{expected}}', transform: 'output.toLowerCase()' }, { type: 'regex', value: '^[A-Z]+$' }] } }), {
      files: { 'transform.py': py },
    });
    result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code, result.stderr).toBe(0);
  });

  it('a transform that throws fails its case with the reason; the other cases run', async () => {
    const cases = [...CASES, { id: 'garbage', input: 'garbage in', expected: 'tech' }];
    await writeSpec(dir, spec({ cases, transform: `JSON.parse(${STRIP_FENCE})`, defaults: { assert: [{ type: 'javascript', value: 'output.team === context.expected' }] } }));
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    const document = parseJsonOut(result);
    const garbage = document.cases.find((c: any) => c.id === 'garbage');
    expect(garbage.failures).toEqual([expect.objectContaining({ type: 'transform', category: 'assertion_error', reason: expect.stringMatching(/^transform threw: .*JSON/) })]);
    expect(document.cases.filter((c: any) => c.pass).map((c: any) => c.id).sort()).toEqual(['crash', 'refund']);
  });

  it('a transform that does not compile, or names a missing file, is refused before any call', async () => {
    await writeSpec(dir, spec({ transform: 'output.trim(', defaults: { assert: [{ type: 'is-json' }] } }));
    let result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('transform: transform code does not compile');

    await writeSpec(dir, spec({ defaults: { assert: [{ type: 'is-json', transform: 'file://nowhere.js' }] } }));
    result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('defaults.assert[0].transform: javascript file not found: nowhere.js');
    expect(server.count).toBe(0);
  });
});
