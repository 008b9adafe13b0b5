/**
 * Issue 8, point 7: spec mistakes that used to pass validation and `--dry-run`, cost a whole run and
 * end with exit 1 (read by CI as a prompt regression). Each one is now bad input: exit 2, the file,
 * line and field of the mistake, and no request at all, for `eval`, `eval --dry-run`,
 * `optimize --dry-run` and `optimize`. The fake server counts every request it receives.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listFiles, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';
import { startSentimentServer, type E2eServer } from './helpers/sentiment-task.js';

const KEY = 'sk-test-e2e-key-0008';
let fake: E2eServer;
let dir: string;

beforeAll(async () => {
  fake = await startSentimentServer();
});
afterAll(() => fake.server.close());
beforeEach(async () => {
  fake.reset();
  dir = await makeTempDir('promptopt-spec-mistakes-');
});
afterEach(() => removeDir(dir));

/** A valid spec, one line per entry (line numbers in the comments); each mistake edits a few lines. */
function baseLines(url: string): string[] {
  return [
    'name: sentiment', // 1
    'description: spec mistakes fixture', // 2
    'prompt: "Classify the sentiment: {{input}}"', // 3
    'target:', // 4
    '  provider: openai-compatible', // 5
    '  model: local-llama', // 6
    `  base_url: ${url}`, // 7
    'optimizer:', // 8
    '  provider: openai-compatible', // 9
    '  model: local-optimizer', // 10
    `  base_url: ${url}`, // 11
    'cases:', // 12
    '  - { id: a, input: "I love it", expected: positive }', // 13
    '  - { id: b, input: "I hate it", expected: negative }', // 14
    '  - { id: c, input: "It is fine", expected: neutral }', // 15
    '  - { id: d, input: "Best day ever", expected: positive }', // 16
    '  - { id: e, input: "Worst service", expected: negative }', // 17
    'defaults:', // 18
    '  assert:', // 19
    '    - type: equals', // 20
    '      value: "{{expected}}"', // 21
  ];
}

/** Replaces `count` lines from 1-based line `n` with `replacement`. */
const at = (n: number, count: number, ...replacement: string[]) => (l: string[]) => [...l.slice(0, n - 1), ...replacement, ...l.slice(n - 1 + count)];
/** The base spec with `cases:` pointing at a file (lines 12-17 replaced). */
const casesFrom = (file: string) => (l: string[]) => [...l.slice(0, 11), `cases: ${file}`, ...l.slice(17)];
const ROWS = ['{"id": "a", "input": "I love it", "expected": "positive"}', '{"id": "b", "input": "I hate it", "expected": "negative"}', '{"id": "c", "input": "It is fine", "expected": "neutral"}', '{"id": "d", "input": "Best day ever", "expected": "positive"}'];

interface Mistake {
  name: string;
  edit: (lines: string[]) => string[];
  files?: Record<string, string>;
  file: string;
  line: number;
  path: string;
  message: RegExp;
}

const MISTAKES: Mistake[] = [
  {
    name: 'an invalid regex in defaults.assert',
    edit: at(20, 2, '    - type: regex', '      value: "^(positive|negative"'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /invalid regex \/\^\(positive\|negative\/: Unterminated group/,
  },
  {
    name: "an invalid negated regex (not-regex) in an inline case's assert",
    edit: at(13, 1, '  - { id: a, input: "I love it", expected: positive,', '      assert: [{ type: not-regex, value: "[sorry" }] }'),
    file: 'task.yaml', line: 14, path: 'cases[0].assert[0].value',
    message: /invalid regex \/\[sorry\/: Unterminated character class/,
  },
  {
    name: 'an invalid JSON Schema',
    edit: at(20, 2, '    - type: json-schema', '      value: { type: object, required: label }'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /json-schema: invalid JSON schema: schema is invalid: data\/required must be array/,
  },
  {
    name: 'a missing schema file',
    edit: at(20, 2, '    - type: json-schema', '      value: file://schemas/label.json'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /json-schema: schema file not found: schemas\/label\.json/,
  },
  {
    name: 'a missing file://check.js',
    edit: at(20, 2, '    - type: javascript', '      value: file://check.js'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /javascript file not found: check\.js/,
  },
  {
    name: 'a file://check.js that throws while it loads',
    edit: at(20, 2, '    - type: javascript', '      value: file://check.js'),
    files: { 'check.js': "const labels = JSON.parse('not json');\nexport default (output) => labels.includes(output);\n" },
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /javascript: cannot load check\.js: .*JSON/,
  },
  {
    name: 'a file://check.js without the named function',
    edit: at(20, 2, '    - type: javascript', '      value: file://check.js:isLabel'),
    files: { 'check.js': 'export function isLable(output) { return ["positive", "negative", "neutral"].includes(output); }\n' },
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /javascript: check\.js has no exported function "isLabel" \(exports: isLable\)/,
  },
  {
    name: 'inline javascript that does not compile',
    edit: at(20, 2, '    - type: javascript', '      value: "output ==="'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /javascript code does not compile/,
  },
  {
    name: 'a missing prompt file',
    edit: at(3, 1, 'prompt: file://prompts/classify.md'),
    file: 'task.yaml', line: 3, path: 'prompt',
    message: /prompt file not found: prompts\/classify\.md/,
  },
  {
    name: 'value: "{{expectd}}"',
    edit: at(21, 1, '      value: "{{expectd}}"'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /template variable "\{\{expectd\}\}" is not provided by any case \(cases have: input, expected\) \(did you mean "\{\{expected\}\}"\?\)/,
  },
  {
    name: '{{input.txt}} for a nested field no case has (prompt)',
    edit: at(3, 1, 'prompt: "Classify the sentiment: {{input.txt}}"'),
    file: 'task.yaml', line: 3, path: 'prompt',
    message: /template variable "\{\{input\.txt\}\}" is not provided by any case: "input" is a string, with no field "txt"/,
  },
  {
    name: '{{input.text}} in an assertion value (not-icontains), a nested field no case has',
    edit: at(20, 2, '    - type: not-icontains', '      value: "{{input.text}}"'),
    file: 'task.yaml', line: 21, path: 'defaults.assert[0].value',
    message: /template variable "\{\{input\.text\}\}" is not provided by any case: "input" is a string, with no field "text"/,
  },
  {
    name: '{{expected}} in defaults, a JSONL case without expected (named at its line)',
    edit: casesFrom('cases.jsonl'),
    files: { 'cases.jsonl': `${[...ROWS.slice(0, 2), '{"id": "x", "input": "So so"}', ...ROWS.slice(2)].join('\n')}\n` },
    file: 'task.yaml', line: 16, path: 'defaults.assert[0].value',
    message: /the value uses "\{\{expected\}\}", but case "x" \(cases\[2\], cases\.jsonl:3\) has no `expected`/,
  },
  {
    name: "an invalid regex in a JSONL row's assert",
    edit: casesFrom('cases.jsonl'),
    files: { 'cases.jsonl': `${[...ROWS.slice(0, 3), '{"id": "d", "input": "Best day", "expected": "positive", "assert": [{"type": "regex", "value": "pos(itive"}]}'].join('\n')}\n` },
    file: 'cases.jsonl', line: 4, path: 'cases[3].assert[0].value',
    message: /invalid regex \/pos\(itive\/: Unterminated group/,
  },
  {
    name: "an invalid JSON Schema (not-json-schema) in a YAML cases file's assert",
    edit: casesFrom('cases.yaml'),
    files: {
      'cases.yaml': ['- { input: I love it, expected: positive }', '- { input: I hate it, expected: negative }', '- input: Fine', '  expected: neutral', '  assert:', '    - type: not-json-schema', '      value: { type: [object, strnig] }', '- { input: Best, expected: positive }', ''].join('\n'),
    },
    file: 'cases.yaml', line: 7, path: 'cases[2].assert[0].value',
    message: /not-json-schema: invalid JSON schema/,
  },
  {
    name: '{{expected}} in defaults, a CSV row without expected',
    edit: casesFrom('cases.csv'),
    files: { 'cases.csv': 'id,input,expected\na,I love it,positive\nb,I hate it,\nc,Fine,neutral\nd,Best,positive\n' },
    file: 'task.yaml', line: 16, path: 'defaults.assert[0].value',
    message: /case "b" \(cases\[1\], cases\.csv:3\) has no `expected`/,
  },
  {
    name: '`expected` with no assertion anywhere (it used to pass at 100%)',
    edit: (l) => l.slice(0, 17),
    file: 'task.yaml', line: 12, path: 'cases',
    message: /no assertion checks the outputs: the cases have `expected` values, but nothing compares them, so every case would pass at 100%/,
  },
];

const COMMANDS = [['eval'], ['eval', '--dry-run'], ['optimize', '--dry-run'], ['optimize']];

describe('spec mistakes: exit 2, file, line and field, 0 requests (eval, optimize, and their dry runs)', () => {
  it('the base spec is valid: eval calls the server, the dry runs pass validation', async () => {
    await writeSpec(dir, `${baseLines(fake.server.openaiBaseUrl).join('\n')}\n`);
    for (const args of [['eval', '--dry-run'], ['optimize', '--dry-run']]) {
      const result = await runCli([...args, 'task.yaml'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const result = await runCli(['eval', 'task.yaml', '--no-cache'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect([0, 1], result.stderr).toContain(result.code);
    expect(fake.server.count).toBe(5);
  });

  for (const mistake of MISTAKES) {
    it(mistake.name, async () => {
      await writeSpec(dir, `${mistake.edit(baseLines(fake.server.openaiBaseUrl)).join('\n')}\n`, { files: mistake.files });
      const before = await listFiles(dir);
      for (const args of COMMANDS) {
        const result = await runCli([...args, 'task.yaml', '--json'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
        const what = `${args.join(' ')}: ${result.stderr}`;
        expect(result.code, what).toBe(2);
        const errorLine = result.stderr.split('\n').find((line) => line.startsWith('error: '));
        expect(errorLine, what).toMatch(new RegExp(`^error: ${escape(mistake.file)}:${mistake.line}:\\d+: ${escape(mistake.path)}: `));
        expect(errorLine, what).toMatch(mistake.message);
        const { error } = parseJsonOut(result);
        expect(error).toMatchObject({ code: 'SPEC_INVALID', file: mistake.file, line: mistake.line, path: mistake.path });
        expect(fake.server.count, what).toBe(0);
      }
      expect(await listFiles(dir)).toEqual(before); // nothing written: no cache, no run folder, no splits file
    });
  }

  it('no assertion anywhere: the two lines to add are printed under the message', async () => {
    await writeSpec(dir, `${baseLines(fake.server.openaiBaseUrl).slice(0, 17).join('\n')}\n`);
    const result = await runCli(['optimize', 'task.yaml'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      [
        'error: task.yaml:12:1: cases: no assertion checks the outputs: the cases have `expected` values, but nothing compares them, so every case would pass at 100%',
        '    to compare each output with its expected value, add to the spec:',
        '    defaults:',
        '      assert: [{ type: equals, value: "{{expected}}" }]',
      ].join('\n'),
    );
    expect(result.stderr).not.toMatch(/converged/);
    expect(fake.server.count).toBe(0);
  });

  it('several mistakes at once are all listed, still with 0 requests', async () => {
    const lines = at(20, 2, '    - type: regex', '      value: "(("', '    - type: javascript', '      value: file://check.js:isLabel', '    - { type: contains, value: "{{expectd}}" }')(
      baseLines(fake.server.openaiBaseUrl),
    );
    await writeSpec(dir, `${lines.join('\n')}\n`, { files: { 'check.js': 'export default () => true;\n' } });
    const result = await runCli(['eval', 'task.yaml', '--dry-run'], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: 3 problems in the spec:');
    expect(result.stderr).toContain('  - task.yaml:21:14: defaults.assert[0].value: invalid regex /((/');
    expect(result.stderr).toContain('  - task.yaml:23:14: defaults.assert[1].value: javascript: check.js has no exported function "isLabel"');
    expect(result.stderr).toContain('  - task.yaml:24:32: defaults.assert[2].value: template variable "{{expectd}}"');
    expect(fake.server.count).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
