/**
 * Bad input never reaches a model: each mistake gets a message naming the file, the field path, the
 * line and the column, exit 2, no request, and nothing written (no cache folder, no --output, no
 * --junit). With --json the same facts come as `{"schema_version":1,"error":{...}}` on stdout.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
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
    message: /split "test" has 0 cases \(2 cases total: train 2, validation 0, test 0\)/,
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

describe('inputs that used to crash (exit 70) are bad input: exit 2, named, before any request', () => {
  /** A "billion laughs": 10 levels of 10 aliases, 10^10 values once expanded. */
  function aliasBomb(indent = ''): string[] {
    const lines = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
    for (let n = 1; n <= 9; n++) lines.push(`${indent}l${n}: &l${n} [${Array.from({ length: 10 }, () => `*l${n - 1}`).join(', ')}]`);
    return lines;
  }

  async function expectBadInput(args: string[], where: RegExp, message: RegExp): Promise<void> {
    const before = await listFiles(dir);
    const result = await runCli(['eval', 'task.yaml', ...args], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2);
    const errorLine = result.stderr.split('\n').find((line) => line.startsWith('error: '))!;
    expect(errorLine, result.stderr).toMatch(where);
    expect(errorLine).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|bug in promptopt/);
    expect(await listFiles(dir)).toEqual(before);
    expect(fake.server.count).toBe(0);
  }

  it('a YAML alias bomb in the spec: the line of the alias that repeats the most', async () => {
    await writeSpec(dir, `${[...baseLines(fake.server.openaiBaseUrl), 'x-anchors:', ...aliasBomb('  ')].join('\n')}\n`);
    await expectBadInput([], /^error: task\.yaml:25:\d+: /, /aliases expand this document to [\d,]+ values \(alias \*l8 alone repeats [\d,]+\); refused as a YAML alias bomb/);
  });

  it('a YAML alias bomb in a cases file: that file and line', async () => {
    const rows = ['- { input: "good day", expected: positive }', '- input: "bad day"', '  expected: negative', '  bomb:', ...aliasBomb('    ')];
    await writeSpec(dir, `${[...baseLines(fake.server.openaiBaseUrl).slice(0, 7), 'cases: cases.yaml', ...baseLines('').slice(10)].join('\n')}\n`, {
      files: { 'cases.yaml': `${rows.join('\n')}\n` },
    });
    await expectBadInput([], /^error: cases\.yaml:14:\d+: /, /refused as a YAML alias bomb/);
  });

  it('an alias inside the node it names (a cycle), and an alias without an anchor', async () => {
    await writeSpec(dir, `${[...baseLines(fake.server.openaiBaseUrl), 'loop: &loop [1, *loop]'].join('\n')}\n`);
    await expectBadInput([], /^error: task\.yaml:15:\d+: /, /alias \*loop is inside the node it refers to \(a cycle\)/);
    await writeSpec(dir, `${[...baseLines(fake.server.openaiBaseUrl), 'threshold: *nowhere'].join('\n')}\n`);
    await expectBadInput([], /^error: task\.yaml:15:12: /, /alias \*nowhere has no anchor &nowhere before it/);
  });

  it('a cache folder whose path is a file (cache.dir, or the default .promptopt)', async () => {
    await writeSpec(dir, `${[...baseLines(fake.server.openaiBaseUrl), 'cache: { dir: data/cache }'].join('\n')}\n`, { files: { data: 'a file, not a folder\n' } });
    await expectBadInput([], /^error: task\.yaml:15:15: cache\.dir: /, /cache folder data\/cache cannot be used: data \(on its path\) is a file, not a folder/);
    await removeDir(join(dir, 'data'));
    await writeSpec(dir, `${baseLines(fake.server.openaiBaseUrl).join('\n')}\n`, { files: { '.promptopt': 'a file\n' } });
    const result = await runCli(['eval', 'task.yaml'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2); // the runs folder is under .promptopt too: both are named
    expect(result.stderr).toContain('cache.dir: cache folder .promptopt/cache cannot be used: .promptopt (on its path) is a file, not a folder');
    expect(result.stderr).toContain('runs_dir: runs folder .promptopt/runs cannot be used');
    expect(fake.server.count).toBe(0);
  });

  it('--output or --junit naming a folder, or under a file', async () => {
    await writeSpec(dir, `${baseLines(fake.server.openaiBaseUrl).join('\n')}\n`, { files: { 'reports/keep.txt': 'x\n', notes: 'a file\n' } });
    await expectBadInput(['--output', 'reports'], /^error: --output reports is a folder, not a file/, /folder/);
    await expectBadInput(['--junit', 'notes/junit.xml'], /^error: --junit notes\/junit\.xml cannot be written: notes is a file, not a folder/, /notes/);
  });
});
