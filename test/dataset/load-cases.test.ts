import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { readCsvRows } from '../../src/dataset/read-csv.js';
import { describeJsonError } from '../../src/dataset/json-error.js';
import { issueAt, lines, specErrorOf, writeFiles } from '../spec/helpers.js';

/** A check that needs nothing of the cases (a spec without any check is refused). */
const CHECK = 'defaults: { assert: [{ type: latency, threshold: 60000 }] }';

/** A spec whose cases come from `casesFile`, written beside it with `data`. */
function withCases(casesFile: string, data: string, prompt = '"{{input}}"'): { dir: string; file: string; data: string } {
  const dir = writeFiles({
    'task.yaml': lines('name: t', 'description: d', `prompt: ${prompt}`, 'target: { provider: sim, model: sim-classifier }', `cases: ${casesFile}`, CHECK),
    [casesFile.replace(/^file:\/\//, '')]: data,
  });
  return { dir, file: join(dir, 'task.yaml'), data: join(dir, casesFile.replace(/^file:\/\//, '')) };
}

describe('.jsonl cases', () => {
  it('an invalid JSON line names the file, the line and the column', async () => {
    const { file, data } = withCases('cases.jsonl', lines('{"input": "a"}', '', '{"input": "b",}', '{"input": "c"}'));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(issueAt(error, 'cases[1]')).toMatchObject({ file: data, line: 3, column: 15 });
    expect(error.issues[0]!.message).toMatch(/^invalid JSON on line 3: /);
    expect(error.message).toContain(`${data}:3:15: cases[1]: invalid JSON on line 3`);
  });

  it('extra keys (provenance columns) become vars', async () => {
    const { file } = withCases(
      'cases.jsonl',
      lines('{"input": "Emily", "expected": "B-person", "source_split": "test", "source_index": 4, "tokens": ["Emily"], "tags": ["B-person"]}'),
    );
    const spec = await loadSpec(file);
    expect(spec.cases[0]!.vars).toEqual({ input: 'Emily', source_split: 'test', source_index: 4, tokens: ['Emily'], tags: ['B-person'] });
    expect(spec.cases[0]!.expected).toBe('B-person');
  });

  it('a misspelled case key is an error, not a var', async () => {
    const { file, data } = withCases('file://cases.jsonl', lines('{"input": "a", "expected": "x"}', '{"input": "b", "expectd": "y"}'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[1].expectd')).toMatchObject({
      file: data,
      line: 2,
      column: 16,
      message: 'unknown key "expectd" (did you mean "expected"?)',
    });
  });

  it('the same misspelling on many rows is reported once, with a count', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `{"input": "${i}", "expectd": "y"}`);
    const { file } = withCases('cases.jsonl', lines(...rows));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'cases[0].expectd', line: 1, message: 'unknown key "expectd" (did you mean "expected"?) (and 4 more rows)' });
  });

  it('a row with an unknown assertion type', async () => {
    const { file, data } = withCases('cases.jsonl', lines('{"input": "a", "assert": [{"type": "icontain", "value": "a"}]}'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[0].assert[0].type')).toMatchObject({ file: data, line: 1, message: 'unknown assertion type "icontain" (did you mean "icontains"?)' });
  });

  it('a line that is not an object, a bad split, input set twice, a case with no vars', async () => {
    const { file, data } = withCases(
      'cases.jsonl',
      lines('[1, 2]', '{"input": "a", "split": "dev"}', '{"input": "a", "vars": {"input": "b"}}', '{"expected": "x"}'),
    );
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[0]')).toMatchObject({ file: data, line: 1, message: 'a case must be a mapping with `vars` or `input`' });
    expect(issueAt(error, 'cases[1].split')).toMatchObject({ file: data, line: 2, message: 'unknown value "dev"', hint: 'one of: train, validation, test' });
    expect(issueAt(error, 'cases[2].input')).toMatchObject({ file: data, line: 3, message: 'both `input` and `vars.input` are set' });
    expect(issueAt(error, 'cases[3]')).toMatchObject({ file: data, line: 4, message: 'a case needs `vars` or `input`' });
  });

  it('an empty file', async () => {
    const { file } = withCases('cases.jsonl', '\n\n');
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases')).toMatchObject({ file, line: 5, column: 8 });
    expect(issueAt(error, 'cases').message).toMatch(/^cases file has no cases: /);
  });
});

describe('ids', () => {
  it('a duplicate id names both places', async () => {
    const { file, data } = withCases('cases.jsonl', lines('{"id": "a", "input": "1"}', '{"id": "b", "input": "2"}', '{"id": "a", "input": "3"}'));
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[2].id')).toMatchObject({
      file: data,
      line: 3,
      column: 2,
      message: `duplicate case id "a": also used by cases[0] at ${data}:1`,
    });
  });

  it('identical cases without ids get distinct stable ids', async () => {
    const { file } = withCases('cases.jsonl', lines('{"input": "same"}', '{"input": "same"}', '{"input": 3, "id": 7}'));
    const spec = await loadSpec(file);
    const [a, b, c] = spec.cases.map((x) => x.id);
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(b).toBe(`${a}-2`);
    expect(c).toBe('7');
  });
});

describe('.csv cases', () => {
  it('reads a header row, case columns and vars, with the line each row starts on', async () => {
    const { file, data } = withCases(
      'cases.csv',
      lines('id,input,expected,split,topic', 'c1,hello,hi,train,greeting', ',"two', 'lines",,,farewell', 'c3,third,3,,'),
    );
    const spec = await loadSpec(file);
    expect(spec.casesFile).toBe(data);
    expect(spec.cases).toEqual([
      { id: 'c1', vars: { input: 'hello', topic: 'greeting' }, expected: 'hi', split: 'train', assert: [], origin: { file: data, path: 'cases[0]', line: 2, column: 1 } },
      { id: expect.stringMatching(/^[0-9a-f]{12}$/), vars: { input: 'two\nlines', topic: 'farewell' }, assert: [], origin: { file: data, path: 'cases[1]', line: 3, column: 1 } },
      { id: 'c3', vars: { input: 'third', topic: '' }, expected: '3', assert: [], origin: { file: data, path: 'cases[2]', line: 5, column: 1 } },
    ]);
  });

  it('refuses an assert column and a misspelled case column in the header', () => {
    const { issues } = readCsvRows('/data/cases.csv', lines('input,assert,expectd', 'a,b,c'));
    expect(issues).toEqual([
      expect.objectContaining({ file: '/data/cases.csv', line: 1, column: 1, message: 'column "assert" is not supported in CSV files' }),
      expect.objectContaining({ file: '/data/cases.csv', line: 1, column: 1, message: 'unknown column "expectd" (did you mean "expected"?)' }),
    ]);
  });

  it('a row with the wrong number of cells names its line', () => {
    const { issues } = readCsvRows('/data/cases.csv', lines('input,expected', 'a,b', 'c,d,e'));
    expect(issues).toEqual([expect.objectContaining({ file: '/data/cases.csv', line: 3 })]);
    expect(issues[0]!.message).toMatch(/^invalid CSV: /);
  });
});

describe('.yaml and .json cases', () => {
  it('a YAML data file: vars from extra keys, errors at the exact line and column', async () => {
    const good = withCases('cases.yaml', lines('- input: a', '  expected: x', '  difficulty: easy'));
    const spec = await loadSpec(good.file);
    expect(spec.cases[0]).toMatchObject({ vars: { input: 'a', difficulty: 'easy' }, expected: 'x', origin: { file: good.data, path: 'cases[0]', line: 1, column: 3 } });

    const bad = withCases('cases.yml', lines('- input: a', '- input: b', '  assert:', '    - type: regex', '      valu: "^b$"'));
    const error = await specErrorOf(loadSpec(bad.file));
    expect(issueAt(error, 'cases[1].assert[0].valu')).toMatchObject({ file: bad.data, line: 5, column: 7, message: 'unknown key "valu" (did you mean "value"?)' });
  });

  it('a YAML data file that is not a list', async () => {
    const { file, data } = withCases('cases.yaml', lines('input: a'));
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues[0]).toMatchObject({ file: data, line: 1, column: 1, message: 'a YAML cases file must hold a list of cases' });
  });

  it('a JSON data file: rows located by line and column', async () => {
    const { file, data } = withCases('cases.json', '[\n  {"input": "a"},\n  {"input": "b", "split": "tset"}\n]\n');
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'cases[1].split')).toMatchObject({ file: data, line: 3, column: 27, message: 'unknown value "tset" (did you mean "test"?)' });
  });

  it('invalid JSON in a .json file names the line and column', async () => {
    const { file, data } = withCases('cases.json', '[\n  {"input": "a"},\n  {"input": }\n]\n');
    const error = await specErrorOf(loadSpec(file));
    expect(error.issues[0]).toMatchObject({ file: data, line: 3, column: 13 });
    expect(error.issues[0]!.message).toMatch(/^invalid JSON: /);
  });
});

describe('describeJsonError', () => {
  it('finds the offset of every kind of V8 message', () => {
    const offsetOf = (text: string) => {
      try {
        JSON.parse(text);
      } catch (error) {
        return describeJsonError(error, text);
      }
      throw new Error('valid JSON');
    };
    expect(offsetOf('{"a": }')).toEqual({ message: "Unexpected token '}'", offset: 6 });
    expect(offsetOf('{"input": "long enough", "b": }')).toEqual({ message: "Unexpected token '}'", offset: 30 });
    expect(offsetOf('{"input": "long enough", "b": } , "c": 1, "d": 2}').offset).toBe(30);
    expect(offsetOf('{"a": x, "b": "long enough to have context"}').offset).toBe(6);
    expect(offsetOf('{"a": 1,}')).toEqual({ message: expect.any(String), offset: 8 });
  });
});

describe('a list of cases files (what `promptopt import` makes)', () => {
  it('reads every file in order, with inline cases; metadata is not a var; the splits file stays beside the first file', async () => {
    const dir = writeFiles({
      'task.yaml': lines('name: t', 'description: d', 'prompt: "{{input}}"', 'target: { provider: sim, model: sim-classifier }', 'cases: [cases.csv, task.imported.jsonl]', 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }'),
      'cases.csv': lines('input,expected', 'a,x'),
      'task.imported.jsonl': lines('{"id": "imp-1", "vars": {"input": "b"}, "expected": "y", "metadata": {"feedback": "correction", "source": {"line": 3}}}'),
    });
    const spec = await loadSpec(join(dir, 'task.yaml'));
    expect(spec.cases.map((c) => [c.vars, c.expected, c.metadata])).toEqual([
      [{ input: 'a' }, 'x', undefined],
      [{ input: 'b' }, 'y', { feedback: 'correction', source: { line: 3 } }],
    ]);
    expect(spec.casesFile).toBe(join(dir, 'cases.csv'));
    expect(spec.casesFiles).toEqual([join(dir, 'cases.csv'), join(dir, 'task.imported.jsonl')]);
  });

  it('a missing file or a file listed twice points at its item in the list', async () => {
    const dir = writeFiles({
      'task.yaml': lines('name: t', 'description: d', 'prompt: "{{input}}"', 'target: { provider: sim, model: sim-classifier }', 'cases:', '  - input: inline', '  - gone.jsonl', '  - ./gone.jsonl'),
    });
    const error = await specErrorOf(loadSpec(join(dir, 'task.yaml')));
    expect(issueAt(error, 'cases[1]')).toMatchObject({ line: 7, message: expect.stringMatching(/^cases file not found: /) });
    expect(issueAt(error, 'cases[2]')).toMatchObject({ line: 8, message: expect.stringMatching(/^cases file listed twice: /) });
  });
});
