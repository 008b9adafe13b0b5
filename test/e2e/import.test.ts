/**
 * `promptopt import` end to end: a realistic mixed export (every feedback kind, duplicates, a
 * conflict, malformed lines, personal data planted in inputs, outputs, comments and corrections) in
 * the default shape (JSONL) and in a foreign shape through --map (CSV), imported into an offline
 * task. The resulting cases file is checked exactly; every planted literal is absent from every file
 * under the task folder afterwards, while a false-positive fixture survives; --dry-run writes
 * nothing; a second import adds nothing; eval and optimize then run on the imported task.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashValue } from '../../src/util/hash.js';
import { listFiles, makeTempDir, parseJsonOut, readAllFiles, removeDir, REPO_ROOT, runCli } from './helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/production');
const FALSE_POSITIVE =
  'Natalia sold clips to 48 of her friends in April, and then half as many in May: 48/2 = <<48/2=24>>24, so 48+24 = <<48+24=72>>72 in all. Order 112-4456789-1234567, $1,234.56 on 2024-03-15 at 10:30:45, ref 4000-1234-5678, tracking 1Z999AA10123456784.';

/** Every personal value planted in export.jsonl, as written there (and in compact forms). */
const PLANTED_JSONL = [
  'jane.doe@example.com',
  'j.doe@oldmail.org',
  '+44 20 7946 0958',
  '442079460958',
  '7946 0958',
  '4111 1111 1111 1111',
  '4111111111111111',
  'mark@example.org',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013000',
  '10.20.30.40',
  '+1 (415) 555-2671',
  '555-2671',
  'sk-proj-Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7y',
  '2001:db8::42',
  'bob.smith@example.net',
  '+33 6 12 34 56 78',
  '612345678',
];
const PLANTED_CSV = ['anna.k@example.com', '+49 30 901820', '4930901820', '5555 5555 5555 4444', '5555555555554444', '0044 20 7946 0958', '7946 0958'];

const CSV_MAP = ['timestamp=when', 'input=user_msg', 'output=bot_reply', 'feedback.rating=thumbs', 'feedback.correction=fix', 'feedback.comment=note', 'feedback.flags=tags', 'prompt_version=ver', 'model=llm', 'latency_ms=ms'].flatMap((m) => ['--map', m]);

let root: string;
let task: string;
const cli = (args: string[]) => runCli(args, { cwd: task, timeoutMs: 60_000 });
const id = (vars: Record<string, unknown>) => `imp-${hashValue(vars).slice(0, 12)}`;

async function readJsonl(file: string): Promise<Record<string, any>[]> {
  return (await readFile(join(task, file), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
}

async function snapshot(): Promise<Record<string, string>> {
  return Object.fromEntries((await readAllFiles(task)).map((f) => [f.path, f.text]));
}

async function expectNoPlantedValue(literals: string[]): Promise<void> {
  for (const { path, text } of await readAllFiles(task)) {
    for (const literal of literals) expect(text.includes(literal), `${literal} found in ${path}`).toBe(false);
  }
}

beforeEach(async () => {
  root = await makeTempDir('promptopt-import-');
  task = join(root, 'task');
  await cp(join(FIXTURES, 'contact-task'), task, { recursive: true });
  // The exports live outside the task folder: only what import writes can be inside it.
  await cp(join(FIXTURES, 'export.jsonl'), join(root, 'exports/export.jsonl'));
  await cp(join(FIXTURES, 'support-log.csv'), join(root, 'exports/support-log.csv'));
});

afterEach(async () => {
  await removeDir(root);
});

describe('import: the default shape (JSONL) into a task whose cases file is JSONL', () => {
  const source = (line: number, recordId: string, timestamp: string, version?: string) => ({
    file: 'export.jsonl',
    line,
    record_id: recordId,
    timestamp,
    ...(version ? { prompt_version: version, model: 'gpt-4o-mini' } : {}),
  });
  const EXPECTED = [
    {
      vars: { message: "Hi, I'm Jane. Reach me at <EMAIL_1>, not at my old address <EMAIL_2>." },
      expected: '<EMAIL_1>',
      metadata: {
        feedback: 'correction',
        source: source(1, 'r-001', '2025-06-02T09:00:00Z', 'v1'),
        comment: 'It picked my old address <EMAIL_2>',
        merged: [{ line: 15, record_id: 'r-015', timestamp: '2025-06-01T08:00:00Z', feedback: 'correction' }],
      },
    },
    {
      vars: { message: 'Call me on <PHONE_1> after 5pm' },
      assert: [{ type: 'equals', value: '<PHONE_1>' }],
      metadata: { feedback: 'thumbs_up', source: source(2, 'r-002', '2025-06-02T10:00:00Z', 'v1'), merged: [{ line: 3, record_id: 'r-003', timestamp: '2025-06-02T11:00:00Z', feedback: 'unlabelled' }] },
    },
    {
      vars: { message: 'My card <CARD_1> was charged twice, email me at <EMAIL_1>' },
      assert: [
        {
          type: 'llm-rubric',
          value:
            'A user rejected an earlier answer to this input and said what was wrong:\n<comment>\nNever repeat my card number <CARD_1> back to me\n</comment>\nThe rejected answer was:\n<rejected>\n<CARD_1>\n</rejected>\nPass only if the output does not have the problem the user described.',
        },
      ],
      metadata: { feedback: 'comment', source: source(4, 'r-004', '2025-06-03T09:00:00Z', 'v2'), comment: 'Never repeat my card number <CARD_1> back to me' },
    },
    {
      vars: { message: 'Wire it to <IBAN_1> and ping me at <IP_1>' },
      assert: [{ type: 'regex', value: '^\\S+$' }],
      metadata: { feedback: 'flag', source: source(5, 'r-005', '2025-06-03T10:00:00Z', 'v2'), flags: ['format'] },
    },
    {
      vars: { message: 'Text me: <PHONE_1>' },
      assert: [{ type: 'is-json' }],
      metadata: { feedback: 'flag', source: source(6, 'r-006', '2025-06-03T11:00:00Z', 'v2'), flags: ['json', 'moderation:none'] },
    },
    {
      vars: { message: 'My API key is <SECRET_1>, is it leaked? I am on <IP_1>' },
      expected: 'none',
      metadata: { feedback: 'correction', source: source(11, 'r-011', '2025-06-04T09:00:00Z', 'v2') },
    },
    {
      vars: { message: FALSE_POSITIVE },
      assert: [{ type: 'equals', value: 'none' }],
      metadata: { feedback: 'thumbs_up', source: source(12, 'r-012', '2025-06-04T10:00:00Z', 'v2') },
    },
    {
      vars: { message: 'Please use <EMAIL_1> or <PHONE_1>' },
      expected: '<PHONE_1>',
      metadata: { feedback: 'correction', source: source(16, 'r-016', '2025-06-05T09:00:00Z', 'v2'), comment: 'I said the phone <PHONE_1> is better' },
    },
  ].map((c) => ({ id: id(c.vars), ...c }));

  it('writes exactly the expected cases, splits and summary; redacts every planted value; a false positive survives', async () => {
    const before = await readFile(join(task, 'cases.jsonl'), 'utf8');
    const splitsBefore = parseJsonOut(await cli(['eval', 'task.yaml', '--json'])).cases.map((c: { id: string; split: string }) => [c.id, c.split]);
    const result = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);

    // The hand-written cases are untouched; the imported ones are appended, exactly.
    const text = await readFile(join(task, 'cases.jsonl'), 'utf8');
    expect(text.startsWith(before)).toBe(true);
    expect(await readJsonl('cases.jsonl')).toEqual([...before.trim().split('\n').map((l) => JSON.parse(l)), ...EXPECTED]);
    expect(await readFile(join(task, 'task.yaml'), 'utf8')).toBe(await readFile(join(FIXTURES, 'contact-task/task.yaml'), 'utf8'));

    expect(summary).toMatchObject({
      records: 16,
      imported: { correction: 3, thumbs_up: 2, comment: 1, flag: 2, unlabelled: 0 },
      merged: [{ line: 3, into: 2 }, { line: 15, into: 1 }],
      conflicts: [{ lines: [1, 15], kept: 1 }],
      skipped: [
        { line: 7, reason: 'unmapped_flags_only', detail: null },
        { line: 8, reason: 'malformed', detail: expect.stringMatching(/^invalid JSON/) },
        { line: 9, reason: 'missing_variable', detail: 'message' },
        { line: 10, reason: 'thumbs_down_without_comment', detail: null },
        { line: 13, reason: 'duplicate_of_existing_case', detail: 'case no-contact' },
        { line: 14, reason: 'conflicts_with_existing_case', detail: 'case post' },
      ],
      redaction: { EMAIL: 6, PHONE: 6, CARD: 4, IP: 2, IBAN: 1, SECRET: 1 },
      spec_edited: false,
    });

    // Splits: every existing case kept where eval put it; the new ones recorded as the summary says.
    const splits = JSON.parse(await readFile(join(task, 'cases.jsonl.splits.json'), 'utf8')).splits as Record<string, string>;
    for (const [caseId, split] of splitsBefore) expect(splits[caseId]).toBe(split);
    for (const c of summary.cases) expect(splits[c.id]).toBe(c.split);
    expect(Object.keys(splits).sort()).toEqual([...splitsBefore.map(([caseId]: string[]) => caseId), ...EXPECTED.map((c) => c.id)].sort());
    const after = parseJsonOut(await cli(['eval', 'task.yaml', '--json'])).cases as { id: string; split: string }[];
    expect(Object.fromEntries(after.map((c) => [c.id, c.split]))).toEqual(splits);

    await expectNoPlantedValue(PLANTED_JSONL);
    expect(result.stdout + result.stderr).not.toContain('example.com');
  });

  it('--dry-run prints the same summary and writes nothing; a second import adds nothing', async () => {
    const untouched = await snapshot();
    const dry = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(await snapshot()).toEqual(untouched);

    const real = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--json']);
    const { dry_run: _d, wrote: _w, ...dryRest } = parseJsonOut(dry);
    const { dry_run: _d2, wrote: _w2, ...realRest } = parseJsonOut(real);
    expect(realRest).toEqual(dryRest);

    const imported = await snapshot();
    const again = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const summary = parseJsonOut(again);
    expect(summary.cases).toEqual([]);
    expect(summary.skipped.filter((s: { reason: string }) => s.reason === 'duplicate_of_existing_case').map((s: { line: number }) => s.line)).toEqual([1, 2, 3, 4, 5, 6, 11, 12, 13, 15, 16]);
    expect(await snapshot()).toEqual(imported);
  });

  it('--keep-unlabelled, --split and --since', async () => {
    const result = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--keep-unlabelled', '--split', 'test', '--since', '2025-06-03', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.skipped.filter((s: { reason: string }) => s.reason === 'before_since').map((s: { line: number }) => s.line)).toEqual([1, 2, 3, 15]);
    expect(summary.cases.map((c: { kind: string }) => c.kind)).toEqual(['comment', 'flag', 'flag', 'unlabelled', 'unlabelled', 'correction', 'thumbs_up', 'correction']);
    expect(summary.cases.every((c: { split: string }) => c.split === 'test')).toBe(true);
    const cases = await readJsonl('cases.jsonl');
    expect(cases.filter((c) => c.metadata?.feedback === 'unlabelled').map((c) => [c.vars.message, c.assert, c.split])).toEqual([
      ['You are all useless', undefined, 'test'],
      ['Reach me wherever', undefined, 'test'],
    ]);
  });

  it('eval and optimize run on the imported task', async () => {
    expect((await cli(['import', 'task.yaml', '../exports/export.jsonl'])).code).toBe(0);
    const evaluated = await cli(['eval', 'task.yaml', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(parseJsonOut(evaluated).cases).toHaveLength(13);
    const optimized = await cli(['optimize', 'task.yaml', '--json', '--quiet']);
    expect(optimized.code, optimized.stderr).toBe(0);
    expect(parseJsonOut(optimized).stop_reason).toBeDefined();
    await expectNoPlantedValue(PLANTED_JSONL);
  });
});

describe('import: a foreign shape through --map (CSV) into a task whose cases are CSV', () => {
  beforeEach(async () => {
    const spec = await readFile(join(task, 'task.yaml'), 'utf8');
    await writeFile(join(task, 'task.yaml'), spec.replace('cases: cases.jsonl   # hand-written cases', 'cases: cases.csv   # hand-written cases'));
  });

  it('writes <spec>.imported.jsonl, lists it in the spec (comments kept), and redacts every planted value', async () => {
    const specBefore = await readFile(join(task, 'task.yaml'), 'utf8');
    const result = await cli(['import', 'task.yaml', '../exports/support-log.csv', ...CSV_MAP]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('imported 4 cases: correction 1, thumbs_up 2, comment 1');
    expect(result.stdout).toContain('malformed (1): line 5 (11 cells, but the header has 10 columns)');
    expect(result.stdout).toContain('no_feedback (1): line 7');
    expect(result.stdout).toContain('redacted: CARD 4, PHONE 4, EMAIL 3');
    expect(await readFile(join(task, 'task.yaml'), 'utf8')).toBe(specBefore.replace('cases: cases.csv   #', 'cases: [cases.csv, task.imported.jsonl]   #'));

    const source = (line: number, timestamp: string) => ({ file: 'support-log.csv', line, timestamp, prompt_version: '3', model: 'gpt-4o-mini' });
    const expected = [
      { vars: { message: 'Email me at <EMAIL_1>, thanks' }, assert: [{ type: 'equals', value: '<EMAIL_1>' }], metadata: { feedback: 'thumbs_up', source: source(2, '2025-06-10T09:00:00Z') } },
      { vars: { message: 'Ring <PHONE_1>, or write to <EMAIL_1>' }, expected: '<PHONE_1>', metadata: { feedback: 'correction', source: source(3, '2025-06-10T10:00:00Z'), comment: 'I asked for a call on <PHONE_1>' } },
      {
        vars: { message: 'Refund to card <CARD_1> please, call <PHONE_1>' },
        assert: [
          { type: 'llm-rubric', value: 'A user rejected an earlier answer to this input and said what was wrong:\n<comment>\nDo not echo <CARD_1>\n</comment>\nThe rejected answer was:\n<rejected>\n<CARD_1>\n</rejected>\nPass only if the output does not have the problem the user described.' },
          { type: 'regex', value: '^\\S+$' },
        ],
        metadata: { feedback: 'comment', source: source(4, '2025-06-10T11:00:00Z'), flags: ['format'], comment: 'Do not echo <CARD_1>' },
      },
      { vars: { message: 'Order 12345678901234 arrived, total $45.10 (2 x 22.55 = 45.10)' }, assert: [{ type: 'equals', value: 'none' }], metadata: { feedback: 'thumbs_up', source: source(6, '2025-06-10T13:00:00Z') } },
    ].map((c) => ({ id: id(c.vars), ...c }));
    expect(await readJsonl('task.imported.jsonl')).toEqual(expected);
    const splits = JSON.parse(await readFile(join(task, 'cases.csv.splits.json'), 'utf8')).splits as Record<string, string>;
    expect(Object.keys(splits)).toHaveLength(3 + 4);

    const again = await cli(['import', 'task.yaml', '../exports/support-log.csv', ...CSV_MAP, '--json']);
    expect(parseJsonOut(again).cases).toEqual([]);
    expect((await readJsonl('task.imported.jsonl')).length).toBe(4);

    expect((await cli(['eval', 'task.yaml', '--quiet'])).code).toBe(0);
    await expectNoPlantedValue(PLANTED_CSV);
    expect(await listFiles(task)).toContain('task.imported.jsonl');
  });

  it('--no-redact writes the data as logged, and says so', async () => {
    const result = await cli(['import', 'task.yaml', '../exports/support-log.csv', ...CSV_MAP, '--no-redact']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('redaction: off');
    expect(await readFile(join(task, 'task.imported.jsonl'), 'utf8')).toContain('anna.k@example.com');
  });
});

describe('import: a foreign shape in a .json array, into a spec with inline cases', () => {
  it('maps nested paths, lists the imported file after the inline cases, and reports non-objects by line', async () => {
    await writeFile(
      join(task, 'task.yaml'),
      (await readFile(join(task, 'task.yaml'), 'utf8')).replace('cases: cases.jsonl   # hand-written cases', 'cases:\n  - input: Call me at the office   # inline\n    expected: none'),
    );
    const log = [
      { request: { messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'Mail me: a.b@example.com' }] }, response: { choices: [{ message: { content: 'a.b@example.com' } }] }, thumbs: true, created: 1748772000 },
      { request: { messages: [{ role: 'user', content: 'Bye' }] }, response: { choices: [{ message: { content: 'ciao' } }] }, thumbs: false, note: 'Answer in English' },
      42,
    ];
    await writeFile(join(root, 'exports/log.json'), JSON.stringify(log, null, 2));
    const map = ['input=request.messages.-1.content', 'output=response.choices.0.message.content', 'feedback.rating=thumbs', 'timestamp=created', 'feedback.comment=note'].flatMap((m) => ['--map', m]);
    const result = await cli(['import', 'task.yaml', '../exports/log.json', ...map, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result)).toMatchObject({ imported: { thumbs_up: 1, comment: 1 }, skipped: [{ line: 48, reason: 'malformed', detail: 'not a JSON object' }], spec_edited: true });
    expect(await readFile(join(task, 'task.yaml'), 'utf8')).toContain('cases:\n  - input: Call me at the office   # inline\n    expected: none\n  - task.imported.jsonl\n');
    expect((await readJsonl('task.imported.jsonl')).map((c) => [c.vars.message, c.assert[0].type, c.metadata.source])).toEqual([
      ['Mail me: <EMAIL_1>', 'equals', { file: 'log.json', line: 2, timestamp: '1748772000' }],
      ['Bye', 'llm-rubric', { file: 'log.json', line: 27 }],
    ]);
    await expectNoPlantedValue(['a.b@example.com']);
  });
});

describe('import: bad input', () => {
  it('an unknown --map field or file type is exit 2 before anything is written', async () => {
    const untouched = await snapshot();
    const map = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--map', 'feedbak.rating=x']);
    expect(map.code).toBe(2);
    expect(map.stderr).toContain('unknown field "feedbak.rating" (did you mean "feedback.rating"?)');
    await writeFile(join(root, 'exports/log.txt'), 'x');
    const type = await cli(['import', 'task.yaml', '../exports/log.txt']);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('unsupported export file type ".txt"');
    const since = await cli(['import', 'task.yaml', '../exports/export.jsonl', '--since', 'last week']);
    expect(since.code).toBe(2);
    expect(await snapshot()).toEqual(untouched);
  });

  it('an unknown phone_region is exit 2 naming the spec line, before anything is written', async () => {
    const spec = await readFile(join(task, 'task.yaml'), 'utf8');
    await writeFile(join(task, 'task.yaml'), `${spec}redact: { phone_region: XX }\n`);
    const untouched = await snapshot();
    const result = await cli(['import', 'task.yaml', '../exports/export.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/task\.yaml:\d+:\d+: redact\.phone_region: "XX" is not a region libphonenumber knows/);
    expect(await snapshot()).toEqual(untouched);
  });

  it('a bad redact pattern in the spec is exit 2 naming the spec line', async () => {
    const spec = await readFile(join(task, 'task.yaml'), 'utf8');
    await writeFile(join(task, 'task.yaml'), `${spec}redact:\n  patterns:\n    - { name: EMPLOYEE_ID, regex: "EMP-(\\\\d{6}" }\n`);
    const result = await cli(['import', 'task.yaml', '../exports/export.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/task\.yaml:\d+:\d+: redact\.patterns\[0\]\.regex: not a valid regular expression/);
  });
});
