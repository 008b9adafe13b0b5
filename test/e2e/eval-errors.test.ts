/**
 * Bad input never reaches a model: each mistake gets a message naming the file, the field path, the
 * line and the column, exit 2, no request, and nothing written (no cache folder, no --output, no
 * --junit). With --json the same facts come as `{"schema_version":1,"error":{...}}` on stdout.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listFiles, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';

const KEY = 'sk-test-e2e-key-0003';
const LITERAL_KEY = 'sk-test-SECRET-abcdef1234567890XYZ';
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

/** A valid spec, one line per array entry; each bad case edits a few lines (line numbers matter). */
function baseLines(baseUrl: string): string[] {
  return [
    'name: sentiment', // 1
    'description: bad-input fixture', // 2
    'prompt: "Classify: {{input}}"', // 3
    'target:', // 4
    '  provider: openai-compatible', // 5
    '  model: local-llama', // 6
    `  base_url: ${baseUrl}`, // 7
    'cases:', // 8
    '  - { id: a, input: "good day", expected: positive }', // 9
    '  - { id: b, input: "bad day", expected: negative }', // 10
    'defaults:', // 11
    '  assert:', // 12
    '    - type: equals', // 13
    '      value: "{{expected}}"', // 14
  ];
}

interface BadInput {
  name: string;
  /** Edits the base lines (1-based line numbers in comments above). */
  edit: (lines: string[]) => string[];
  files?: Record<string, string>;
  args?: string[];
  file: string;
  path: string;
  line: number;
  column: number;
  message: RegExp;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'unknown key, with did-you-mean',
    edit: (l) => [...l, 'threshhold: 0.5'],
    file: 'task.yaml',
    path: 'threshhold',
    line: 15,
    column: 1,
    message: /unknown key "threshhold" \(did you mean "threshold"\?\)/,
  },
  {
    name: 'wrong type',
    edit: (l) => [...l.slice(0, 6), '  max_tokens: lots', ...l.slice(6)],
    file: 'task.yaml',
    path: 'target.max_tokens',
    line: 7,
    column: 15,
    message: /expected a number, got a string/,
  },
  {
    name: 'missing prompt file',
    edit: (l) => l.map((line, i) => (i === 2 ? 'prompt: file://prompts/missing.txt' : line)),
    file: 'task.yaml',
    path: 'prompt',
    line: 3,
    column: 9,
    message: /prompt file not found: prompts\/missing\.txt/,
  },
  {
    name: 'missing cases file',
    edit: (l) => [...l.slice(0, 7), 'cases: data/missing.jsonl', ...l.slice(10)],
    file: 'task.yaml',
    path: 'cases',
    line: 8,
    column: 8,
    message: /cases file not found: data\/missing\.jsonl/,
  },
  {
    name: 'template variable no case provides (inline prompt)',
    edit: (l) => l.map((line, i) => (i === 2 ? 'prompt: "Classify: {{text}}"' : line)),
    file: 'task.yaml',
    path: 'prompt',
    line: 3,
    column: 9,
    message: /template variable "\{\{text\}\}" is not provided by any case \(cases have: input\)/,
  },
  {
    name: 'template variable no case provides (prompt file: located in that file)',
    edit: (l) => l.map((line, i) => (i === 2 ? 'prompt: file://prompts/classify.txt' : line)),
    files: { 'prompts/classify.txt': 'Classify the sentiment.\n\nReview: {{text}}\n' },
    file: 'prompts/classify.txt',
    path: 'prompt',
    line: 3,
    column: 9,
    message: /template variable "\{\{text\}\}" is not provided by any case/,
  },
  {
    name: 'unknown assertion type, with did-you-mean',
    edit: (l) => l.map((line, i) => (i === 12 ? '    - type: equal' : line)),
    file: 'task.yaml',
    path: 'defaults.assert[0].type',
    line: 13,
    column: 13,
    message: /unknown assertion type "equal" \(did you mean "equals"\?\)/,
  },
  {
    name: 'literal API key in the spec',
    edit: (l) => [...l.slice(0, 7), `  api_key: ${LITERAL_KEY}`, ...l.slice(7)],
    file: 'task.yaml',
    path: 'target.api_key',
    line: 8,
    column: 3,
    message: /literal API keys are not allowed in a spec/,
  },
  {
    name: '--split test when the test split has zero cases',
    edit: (l) => [...l, 'splits: { train: 1, validation: 0, test: 0 }'],
    args: ['--split', 'test'],
    file: 'task.yaml',
    path: 'splits',
    line: 15,
    column: 1,
    message: /split "test" has 0 cases \(2 cases total\)/,
  },
  {
    name: 'budget with a model of unknown price',
    edit: (l) => [...l, 'budget:', '  max_cost_usd: 1'],
    file: 'task.yaml',
    path: 'budget.max_cost_usd',
    line: 16,
    column: 17,
    message: /a budget needs known prices, but target model "local-llama" \(openai-compatible\) has no known price/,
  },
  {
    name: 'a broken row in a JSONL cases file (located in that file)',
    edit: (l) => [...l.slice(0, 7), 'cases: data/cases.jsonl', ...l.slice(10)],
    files: { 'data/cases.jsonl': '{"input": "good day", "expected": "positive"}\n{"input": "bad day", "expected": }\n' },
    file: 'data/cases.jsonl',
    path: 'cases[1]',
    line: 2,
    column: 34,
    message: /invalid JSON on line 2/,
  },
];

describe('bad input: exit 2, file:line:column and field path, nothing written, no request', () => {
  for (const bad of BAD_INPUTS) {
    it(bad.name, async () => {
      await writeSpec(dir, `${bad.edit(baseLines(fake.server.openaiBaseUrl)).join('\n')}\n`, { files: bad.files });
      const before = await listFiles(dir);
      const result = await runCli(['eval', 'task.yaml', '--json', '--output', 'out.json', '--junit', 'out.xml', ...(bad.args ?? [])], {
        cwd: dir,
        env: { OPENAI_API_KEY: KEY },
      });
      expect(result.code, result.stderr).toBe(2);

      // stderr: `error: FILE:LINE:COL: PATH: message`
      const where = `${bad.file}:${bad.line}:${bad.column}: ${bad.path}: `;
      const errorLine = result.stderr.split('\n').find((line) => line.startsWith('error: '));
      expect(errorLine).toBeDefined();
      expect(errorLine!.startsWith(`error: ${where}`), `stderr: ${result.stderr}`).toBe(true);
      expect(errorLine).toMatch(bad.message);

      // stdout (--json): the same facts as fields.
      const document = parseJsonOut(result);
      expect(document).toEqual({
        schema_version: 1,
        error: expect.objectContaining({ code: 'SPEC_INVALID', file: bad.file, path: bad.path, line: bad.line, column: bad.column }),
      });
      expect(document.error.message).toMatch(bad.message);
      expect(Object.keys(document.error)).toEqual(expect.arrayContaining(['code', 'message', 'file', 'path', 'line', 'column', 'hint']));

      expect(await listFiles(dir)).toEqual(before); // no cache folder, no out.json, no out.xml
      expect(fake.server.count).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(LITERAL_KEY.slice(8, 20));
    });
  }

  it('several problems at once: each listed on stderr, and as `issues` in the JSON error', async () => {
    const lines = baseLines(fake.server.openaiBaseUrl);
    lines[12] = '    - type: equal';
    await writeSpec(dir, `${[...lines, 'threshhold: 0.5'].join('\n')}\n`);
    const before = await listFiles(dir);
    const result = await runCli(['eval', 'task.yaml', '--json'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: 2 problems in the spec:');
    expect(result.stderr).toContain('  - task.yaml:13:13: defaults.assert[0].type: unknown assertion type "equal"');
    expect(result.stderr).toContain('  - task.yaml:15:1: threshhold: unknown key "threshhold"');
    const { error } = parseJsonOut(result);
    expect(error).toMatchObject({ code: 'SPEC_INVALID', file: 'task.yaml', path: 'defaults.assert[0].type', line: 13, column: 13 });
    expect(error.issues).toEqual([
      expect.objectContaining({ file: 'task.yaml', path: 'defaults.assert[0].type', line: 13, column: 13 }),
      expect.objectContaining({ file: 'task.yaml', path: 'threshhold', line: 15, column: 1 }),
    ]);
    expect(await listFiles(dir)).toEqual(before);
    expect(fake.server.count).toBe(0);
  });

  it('bad flag values are usage errors (exit 2) before anything runs', async () => {
    await writeSpec(dir, `${baseLines(fake.server.openaiBaseUrl).join('\n')}\n`);
    const before = await listFiles(dir);
    const threshold = await runCli(['eval', 'task.yaml', '--json', '--threshold', '1.5'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(threshold.code).toBe(2);
    expect(parseJsonOut(threshold)).toMatchObject({ schema_version: 1, error: { code: 'USAGE', message: expect.stringContaining('--threshold') } });
    const missing = await runCli(['eval', 'nope.yaml', '--json'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(missing.code).toBe(2);
    expect(parseJsonOut(missing)).toMatchObject({ error: { file: 'nope.yaml', message: expect.stringContaining('spec file not found') } });
    expect(await listFiles(dir)).toEqual(before);
    expect(fake.server.count).toBe(0);
  });
});
