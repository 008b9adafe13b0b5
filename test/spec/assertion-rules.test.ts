/**
 * Assertion mistakes are found when the spec loads, before any call: each names the file, the line and
 * the field of the assertion (in the spec or in the cases file), and says what is wrong for which case.
 * (Files are named relative to the working folder; these temp folders are outside it, so absolute.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSpecIssue } from '../../src/errors.js';
import { loadSpec } from '../../src/session/load-spec.js';
import { jsWorkerPool } from '../../src/assertions/sandbox/worker-pool.js';
import { issueAt, lines, specErrorOf, writeFiles } from './helpers.js';

afterAll(() => jsWorkerPool().close());

const HEAD = ['name: t', 'description: d', 'prompt: "Classify: {{input}}"', 'target: { provider: sim, model: sim-classifier }'];
const TWO_CASES = ['cases:', '  - { id: a, input: good, expected: positive }', '  - { id: b, input: bad, expected: negative }'];

/** A spec (HEAD + rows) and its files; returns the spec's path. */
function spec(rows: string[], files: Record<string, string> = {}): string {
  return join(writeFiles({ 'task.yaml': lines(...HEAD, ...rows), ...files }), 'task.yaml');
}

describe('template variables in assertion values', () => {
  it('{{expectd}} in defaults: no case provides it, with did-you-mean, at the value', async () => {
    const file = spec([...TWO_CASES, 'defaults:', '  assert:', '    - type: equals', '      value: "{{expectd}}"']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value')).toMatchObject({
      file,
      line: 11,
      column: 14,
      message: 'template variable "{{expectd}}" is not provided by any case (cases have: input, expected) (did you mean "{{expected}}"?)',
    });
  });

  it('{{expected}} in defaults on a case without one names that case, its line, and how many more', async () => {
    const file = spec(['cases:', '  - { id: a, input: x, expected: positive }', '  - { id: b, input: y }', '  - { id: c, input: z }', 'defaults: { assert: [{ type: contains, value: "{{expected}}" }] }']);
    const error = await specErrorOf(loadSpec(file));
    const issue = issueAt(error, 'defaults.assert[0].value');
    expect(issue.line).toBe(9);
    expect(issue.message).toMatch(/^the value uses "\{\{expected\}\}", but case "b" \(cases\[1\], .*task\.yaml:7\) and 1 other case have no `expected`$/);
  });

  it('{{expected}} where no case has one', async () => {
    const file = spec(['cases:', '  - { input: x }', 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toBe('the value uses "{{expected}}", but no case has an `expected` value');
  });

  it('a nested path no case has: where the path breaks', async () => {
    const file = spec([
      'cases:',
      '  - { input: x, vars: { customer: { name: Ann } }, expected: p }',
      'defaults:',
      '  assert:',
      '    - { type: icontains, value: "{{customer.nmae}}" }',
      '    - { type: icontains, value: "{{input.txt}}" }',
    ]);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toBe(
      'template variable "{{customer.nmae}}" is not provided by any case: "customer" has no field "nmae" (did you mean "customer.name"? it has fields: name)',
    );
    expect(issueAt(error, 'defaults.assert[1].value').message).toBe('template variable "{{input.txt}}" is not provided by any case: "input" is a string, with no field "txt"');
  });

  it('a nested path in the prompt that no case has', async () => {
    const file = join(writeFiles({ 'task.yaml': lines('name: t', 'description: d', 'prompt: "Classify: {{input.txt}}"', 'target: { provider: sim, model: sim-classifier }', ...TWO_CASES, 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }') }), 'task.yaml');
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'prompt')).toMatchObject({ line: 3, message: 'template variable "{{input.txt}}" is not provided by any case: "input" is a string, with no field "txt"' });
  });

  it('nested paths that every case has are fine, in the prompt and in values', async () => {
    const file = join(
      writeFiles({
        'task.yaml': lines('name: t', 'description: d', 'prompt: "Hi {{customer.name}}"', 'target: { provider: sim, model: sim-classifier }', 'cases:', '  - { vars: { customer: { name: Ann } }, expected: { label: p } }', 'defaults: { assert: [{ type: contains, value: "{{expected.label}}" }] }'),
      }),
      'task.yaml',
    );
    await expect(loadSpec(file)).resolves.toBeDefined();
  });

  it("a case's own assertion: the case's vars, with did-you-mean, at its line in the spec", async () => {
    const file = spec(['cases:', '  - input: x', '    expected: p', '    assert:', '      - type: equals', '        value: "{{expectd}}"']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[0].assert[0].value')).toMatchObject({
      file,
      line: 10,
      message: 'template variable "{{expectd}}" is not provided by this case (it has: input, expected) (did you mean "{{expected}}"?)',
    });
  });
});

describe('values that cannot be evaluated', () => {
  it('an invalid regex, also negated, in defaults and in a case', async () => {
    const file = spec([
      'cases:',
      '  - input: x',
      '    expected: p',
      '    assert: [{ type: not-regex, value: "[a-" }]',
      'defaults: { assert: [{ type: regex, value: "((" }] }',
    ]);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value')).toMatchObject({ line: 9, message: 'invalid regex /((/: Unterminated group' });
    expect(issueAt(error, 'cases[0].assert[0].value')).toMatchObject({ line: 8, message: 'invalid regex /[a-/: Unterminated character class' });
  });

  it('a regex that only some cases render invalid names the first of them', async () => {
    const file = spec(['cases:', '  - { id: a, input: x, expected: ok }', '  - { id: b, input: y, expected: "a(b" }', 'defaults: { assert: [{ type: regex, value: "^{{expected}}$" }] }']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/^for case "b" \(cases\[1\], .*task\.yaml:7\): invalid regex \/\^a\(b\$\/: Unterminated group$/);
  });

  it('JSON schemas: invalid inline, a missing file, a file that is not JSON, a file ajv refuses', async () => {
    const file = spec(
      [
        ...TWO_CASES,
        'defaults:',
        '  assert:',
        '    - { type: json-schema, value: { type: objekt } }',
        '    - { type: json-schema, value: file://schemas/missing.json }',
        '    - { type: is-json, value: file://schemas/broken.json }',
        '    - { type: not-contains-json, value: file://schemas/invalid.json }',
        '    - { type: json-schema, value: file://schemas/good.yaml }',
      ],
      {
        'schemas/broken.json': '{"type": "object",',
        'schemas/invalid.json': '{"type": "object", "required": "name"}',
        'schemas/good.yaml': 'type: object\nrequired: [label]\n',
      },
    );
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(4);
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/^json-schema: invalid JSON schema: schema is invalid: data\/type must be equal to one of the allowed values/);
    expect(issueAt(error, 'defaults.assert[1].value').message).toMatch(/^json-schema: schema file not found: \S*schemas\/missing\.json$/);
    expect(issueAt(error, 'defaults.assert[2].value').message).toMatch(/^is-json: schema file \S*schemas\/broken\.json is not valid JSON: /);
    expect(issueAt(error, 'defaults.assert[3].value').message).toMatch(/^not-contains-json: invalid JSON schema: schema is invalid: data\/required must be array/);
  });

  it('a type that needs a value given none, and cost without a maximum', async () => {
    const file = spec([...TWO_CASES, 'defaults:', '  assert:', '    - type: equals', '    - type: contains-any', '      value: []', '    - type: cost']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value')).toMatchObject({ line: 10, message: 'equals needs a value to compare with' });
    expect(issueAt(error, 'defaults.assert[1].value').message).toBe('contains-any needs a list of values');
    expect(issueAt(error, 'defaults.assert[2].threshold')).toMatchObject({ line: 13, message: 'cost needs a maximum (USD) as its threshold' });
  });
});

describe('javascript assertions', () => {
  const js = (value: string) => [...TWO_CASES, 'defaults:', '  assert:', '    - type: javascript', `      value: ${value}`];

  it('inline code that does not compile', async () => {
    const error = await specErrorOf(loadSpec(spec(js('"output.length <"'))));
    expect(issueAt(error, 'defaults.assert[0].value')).toMatchObject({ line: 11, message: expect.stringMatching(/^javascript code does not compile: /) });
  });

  it('a missing file, a file:// that names no script', async () => {
    const missing = await specErrorOf(loadSpec(spec(js('file://checks/missing.js'))));
    expect(issueAt(missing, 'defaults.assert[0].value').message).toMatch(/^javascript file not found: \S*checks\/missing\.js$/);
    const python = await specErrorOf(loadSpec(spec(js('file://checks.py'))));
    expect(issueAt(python, 'defaults.assert[0].value').message).toBe('javascript: "file://checks.py" does not name a .js, .mjs, .cjs or .ts file');
  });

  it('a file that fails to load, and one that lacks the function: loaded, never called', async () => {
    const files = {
      'checks/broken.js': "import './nope.js';\nexport const ok = () => true;\n",
      'checks/ok.mjs':
        "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./loaded.txt', import.meta.url), 'top-level code ran');\n" +
        "export function isShort(output) { writeFileSync(new URL('./called.txt', import.meta.url), 'called'); return output.length < 9; }\n",
    };
    const broken = await specErrorOf(loadSpec(spec(js('file://checks/broken.js:ok'), files)));
    expect(issueAt(broken, 'defaults.assert[0].value').message).toMatch(/^javascript: cannot load \S*checks\/broken\.js: Cannot find module '\.\/nope\.js'/);

    const lacking = spec(js('file://checks/ok.mjs:isLong'), files);
    const error = await specErrorOf(loadSpec(lacking));
    expect(issueAt(error, 'defaults.assert[0].value')).toMatchObject({
      line: 11,
      message: expect.stringMatching(/^javascript: \S*checks\/ok\.mjs has no exported function "isLong" \(exports: isShort\)$/),
      hint: expect.stringContaining('file://checks.js:functionName'),
    });
    const dir = join(lacking, '..');
    expect(existsSync(join(dir, 'checks', 'loaded.txt'))).toBe(true);
    expect(existsSync(join(dir, 'checks', 'called.txt'))).toBe(false);

    const good = spec(js('file://checks/ok.mjs:isShort'), files);
    await expect(loadSpec(good)).resolves.toBeDefined();
    expect(existsSync(join(good, '..', 'checks', 'called.txt'))).toBe(false);
  });

  it('a file whose top-level code never ends: refused after timeout_ms', async () => {
    const file = spec([...TWO_CASES, 'defaults:', '  assert:', '    - { type: javascript, value: "file://spin.js", timeout_ms: 300 }'], { 'spin.js': 'while (true) {}\nexport default () => true;\n' });
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/^javascript: \S*spin\.js did not finish loading within 300 ms \(its top-level code runs when it loads\)$/);
  });

  it('a file outside the project is refused by the trust rule and never loaded', async () => {
    const root = writeFiles({ 'outside.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran.txt', import.meta.url), 'x');\nexport default () => true;\n" });
    const project = writeFiles({ '.git/HEAD': 'ref: refs/heads/main\n' });
    const file = join(project, 'task.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, lines(...HEAD, ...TWO_CASES, `defaults: { assert: [{ type: javascript, value: "file://${join(root, 'outside.mjs')}" }] }`));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/^assertion file .*outside\.mjs is outside the project/);
    expect(existsSync(join(root, 'ran.txt'))).toBe(false);
  });
});

describe('cases files: the assertion is named at its line in that file', () => {
  it('YAML: the line of the value', async () => {
    const file = spec(['cases: cases.yaml', 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }'], {
      'cases.yaml': lines('- input: a', '  expected: p', '- input: b', '  expected: n', '  assert:', '    - type: not-regex', '      value: "(("'),
    });
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[1].assert[0].value')).toMatchObject({ file: join(file, '..', 'cases.yaml'), line: 7, column: 14, message: 'invalid regex /((/: Unterminated group' });
  });

  it('JSONL: the row\'s line; the same mistake on many rows is one issue with a count', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => JSON.stringify({ input: `r${i}`, expected: 'p', assert: [{ type: 'regex', value: '((' }] }));
    const file = spec(['cases: cases.jsonl'], { 'cases.jsonl': lines('{"input": "ok", "expected": "p", "assert": [{"type": "equals", "value": "p"}]}', ...rows) });
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ file: join(file, '..', 'cases.jsonl'), line: 2, path: 'cases[1].assert[0].value', message: 'invalid regex /((/: Unterminated group (and 4 more rows)' });
  });

  it('CSV: a default that needs `expected` names the row without one', async () => {
    const file = spec(['cases: cases.csv', 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }'], { 'cases.csv': lines('input,expected', 'good,positive', 'bad,') });
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/case "[0-9a-f]{12}" \(cases\[1\], .*cases\.csv:3\) has no `expected`/);
  });
});

describe('cases that no assertion checks', () => {
  it('`expected` and no assertion anywhere: refused, with the two lines to add', async () => {
    const file = spec(TWO_CASES);
    const error = await specErrorOf(loadSpec(file));
    const issue = issueAt(error, 'cases');
    expect(issue).toMatchObject({
      line: 5,
      message: 'no assertion checks the outputs: the cases have `expected` values, but nothing compares them, so every case would pass at 100%',
      hint: 'to compare each output with its expected value, add to the spec:\ndefaults:\n  assert: [{ type: equals, value: "{{expected}}" }]',
    });
    expect(formatSpecIssue(issue).split('\n').slice(1)).toEqual([
      '    to compare each output with its expected value, add to the spec:',
      '    defaults:',
      '      assert: [{ type: equals, value: "{{expected}}" }]',
    ]);
  });

  it('some cases checked and one not: that case is named', async () => {
    const file = spec(['cases:', '  - { id: a, input: x, assert: [{ type: contains, value: x }] }', '  - { id: b, input: y }']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[1]')).toMatchObject({ line: 7, message: expect.stringMatching(/^case "b" has no assertion/) });
  });

  it('an assertion of weight 0 is reported only: it checks nothing', async () => {
    const everywhere = spec([...TWO_CASES, 'defaults: { assert: [{ type: equals, value: "{{expected}}", weight: 0 }] }']);
    expect(issueAt(await specErrorOf(loadSpec(everywhere)), 'cases').message).toMatch(/^no assertion checks the outputs/);
    const one = spec([
      'cases:',
      '  - { id: a, input: x, assert: [{ type: contains, value: x }] }',
      '  - { id: b, input: y, assert: [{ type: contains, value: y, weight: 0, metric: tone }] }',
    ]);
    expect(issueAt(await specErrorOf(loadSpec(one)), 'cases[1]').message).toMatch(/^case "b" has only assertions of weight 0 \(reported only, they check nothing\)/);
  });

  it('weights, case thresholds, defaults.threshold and the objective are read; out-of-range values are refused', async () => {
    const good = spec([
      'cases:',
      '  - { id: a, input: x, expected: p, threshold: 0.5, assert: [{ type: contains, value: x, weight: 2.5, metric: m }] }',
      '  - { id: b, input: y, expected: q }',
      'defaults: { assert: [{ type: equals, value: "{{expected}}" }], threshold: 0.75 }',
      'objective: mean_score',
    ]);
    const loaded = await loadSpec(good);
    expect(loaded.objective).toBe('mean_score');
    expect(loaded.defaultThreshold).toBe(0.75);
    expect(loaded.cases[0]).toMatchObject({ threshold: 0.5, assert: [{ type: 'contains', value: 'x', weight: 2.5, metric: 'm' }] });
    expect(loaded.cases[1]!.threshold).toBeUndefined();
    expect((await loadSpec(spec([...TWO_CASES, 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }']))).objective).toBe('pass_rate');

    const bad = spec([
      'cases:',
      '  - { id: a, input: x, expected: p, threshold: 1.5, assert: [{ type: contains, value: x, weight: -1 }] }',
      'defaults: { assert: [{ type: equals, value: "{{expected}}" }], threshold: 2 }',
    ]);
    const error = await specErrorOf(loadSpec(bad));
    expect(issueAt(error, 'defaults.threshold').line).toBe(7);
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['cases[0].threshold', 'cases[0].assert[0].weight']));
  });

  it('commands that run no assertion (history, report, cache) load the spec without these checks', async () => {
    const file = spec([...TWO_CASES, 'defaults: { assert: [{ type: regex, value: "((" }] }']);
    await expect(loadSpec(file, { checkAssertions: false })).resolves.toBeDefined();
    await expect(loadSpec(spec(TWO_CASES), { checkAssertions: false })).resolves.toBeDefined();
  });
});

describe('a file:// value with variables', () => {
  it('is held to the project as each case renders it, and never read when outside', async () => {
    const file = spec(['cases:', '  - { input: x, expected: p, vars: { schema: /etc/passwd } }', 'defaults: { assert: [{ type: json-schema, value: "file://{{schema}}" }] }']);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'defaults.assert[0].value').message).toMatch(/^for case "[0-9a-f]{12}" \(cases\[0\], .*task\.yaml:6\): assertion file \/etc\/passwd is outside the project/);
  });
});
