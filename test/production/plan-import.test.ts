import { describe, expect, it } from 'vitest';
import { planImport, type PlanImportInput } from '../../src/production/plan-import.js';
import type { ProductionRecord } from '../../src/production/record.js';
import { createPiiRedactor, DEFAULT_REDACT_CONFIG } from '../../src/redact/index.js';
import type { TestCase } from '../../src/spec/types.js';

let line = 0;
const rec = (input: string, feedback: Partial<ProductionRecord['feedback']>, extra: Partial<ProductionRecord> = {}): ProductionRecord => ({
  line: ++line,
  vars: { input },
  feedback: { flags: [], ...feedback },
  ...extra,
});

const plan = (records: PlanImportInput['records'], over: Partial<PlanImportInput> = {}) =>
  planImport({
    records,
    existing: [],
    neededVars: ['input'],
    defaultAssert: [{ type: 'equals', value: '{{expected}}' }],
    flags: { format: [{ type: 'regex', value: '^[a-z]+$' }] },
    sourceFile: 'export.jsonl',
    split: 'auto',
    keepUnlabelled: false,
    redaction: createPiiRedactor(DEFAULT_REDACT_CONFIG),
    ...over,
  });

describe('planImport: each record becomes a case or a skip with its reason', () => {
  it('builds one case per kind', () => {
    line = 0;
    const long = `A long approved answer. ${'More words. '.repeat(12)}`;
    const p = plan([
      rec('a', { correction: 'billing', rating: 'down' }, { output: 'shipping', promptVersion: 'v1', model: 'm', id: 'r1', timestamp: 't1' }),
      rec('b', { rating: 'up' }, { output: 'shipping' }),
      rec('c', { rating: 'up' }, { output: long }),
      rec('d', { rating: 'down', comment: 'too long' }, { output: 'Billing, probably' }),
      rec('e', { flags: ['format', 'moderation:hate'] }, { output: 'X!' }),
      rec('f', { flags: ['json'] }),
      rec('g', { rating: 'down' }),
      rec('h', { flags: ['moderation:hate'] }),
      rec('i', {}),
      rec('j', { comment: 'nice' }),
      rec('k', { rating: 'up' }),
    ]);
    expect(p.cases.map((c) => [c.kind, c.vars.input, c.expected, c.assert.map((a) => a.type)])).toEqual([
      ['correction', 'a', 'billing', []],
      ['thumbs_up', 'b', undefined, ['equals']],
      ['thumbs_up', 'c', undefined, ['llm-rubric']],
      ['comment', 'd', undefined, ['llm-rubric']],
      ['flag', 'e', undefined, ['regex']],
      ['flag', 'f', undefined, ['is-json']],
    ]);
    expect(p.cases[0]!.metadata).toEqual({ feedback: 'correction', source: { file: 'export.jsonl', line: 1, record_id: 'r1', timestamp: 't1', prompt_version: 'v1', model: 'm' } });
    expect(p.cases[1]!.assert).toEqual([{ type: 'equals', value: 'shipping' }]);
    expect(p.cases[2]!.assert[0]!.value).toContain('keeps the substance of this approved answer');
    expect(p.cases[3]!.assert[0]!.value).toMatch(/<comment>\ntoo long\n<\/comment>[\s\S]*<rejected>\nBilling, probably\n<\/rejected>/);
    expect(p.cases[4]!.metadata.flags).toEqual(['format', 'moderation:hate']);
    expect(p.skipped).toEqual([
      { line: 7, reason: 'thumbs_down_without_comment' },
      { line: 8, reason: 'unmapped_flags_only' },
      { line: 9, reason: 'no_feedback' },
      { line: 10, reason: 'comment_without_rating' },
      { line: 11, reason: 'thumbs_up_without_output' },
    ]);
    expect(p.imported).toEqual({ correction: 1, thumbs_up: 2, comment: 1, flag: 2, unlabelled: 0 });
  });

  it('keeps unlabelled records with --keep-unlabelled', () => {
    line = 0;
    const p = plan([rec('g', { rating: 'down' })], { keepUnlabelled: true });
    expect(p.cases).toMatchObject([{ kind: 'unlabelled', assert: [] }]);
  });

  it('without a default comparing {{expected}}, a correction gets its own check', () => {
    line = 0;
    const p = plan([rec('a', { correction: 'billing' })], { defaultAssert: [{ type: 'contains', value: 'x' }] });
    expect(p.cases[0]).toMatchObject({ expected: 'billing', assert: [{ type: 'equals', value: '{{expected}}' }] });
  });

  it('merges records with the same variables: correction > thumbs-up > comment, the latest correction wins', () => {
    line = 0;
    const p = plan([
      rec('same', { rating: 'up' }, { output: 'shipping', time: 1 }),
      rec('same', { correction: 'billing' }, { time: 2 }),
      rec('same', { rating: 'down', comment: 'no' }, { time: 3 }),
      rec('same', { correction: 'account' }, { time: 4 }),
    ]);
    expect(p.cases).toHaveLength(1);
    expect(p.cases[0]).toMatchObject({ kind: 'correction', expected: 'account' });
    expect(p.merged).toEqual([{ line: 1, into: 4 }, { line: 2, into: 4 }, { line: 3, into: 4 }]);
    expect(p.conflicts).toEqual([{ lines: [2, 4], kept: 4 }]);
  });

  it('compares variables before redaction: two addresses are two cases, consistently numbered per record', () => {
    line = 0;
    const p = plan([rec('mail a@x.com', { correction: 'sent to a@x.com' }), rec('mail b@y.com', { correction: 'sent to b@y.com' })]);
    expect(p.cases.map((c) => [c.id.replace(/[0-9a-f]{12}/, 'H'), c.vars.input, c.expected])).toEqual([
      ['imp-H', 'mail <EMAIL_1>', 'sent to <EMAIL_1>'],
      ['imp-H-2', 'mail <EMAIL_1>', 'sent to <EMAIL_1>'],
    ]);
    expect(p.redactions).toEqual({ EMAIL: 4 });
  });

  it('skips records matching an existing case (as logged or as redacted) and reports a conflicting correction', () => {
    line = 0;
    const existing: TestCase[] = [
      { id: 'hand', vars: { input: 'refund please' }, expected: 'billing', assert: [], origin: { file: '', path: '' } },
      { id: 'imp-1', vars: { input: 'mail <EMAIL_1>' }, expected: 'account', assert: [], origin: { file: '', path: '' } },
    ];
    const p = plan([rec('refund please', { correction: 'billing' }), rec('refund please', { correction: 'shipping' }, { time: 9 }), rec('mail a@x.com', { correction: 'account' }), rec('refund please', { rating: 'up' }, { output: 'x' })], { existing });
    expect(p.cases).toEqual([]);
    expect(p.skipped).toEqual([
      { line: 1, reason: 'conflicts_with_existing_case', detail: 'case hand' },
      { line: 2, reason: 'conflicts_with_existing_case', detail: 'case hand' },
      { line: 3, reason: 'duplicate_of_existing_case', detail: 'case imp-1' },
      { line: 4, reason: 'conflicts_with_existing_case', detail: 'case hand' },
    ]);
  });

  it('skips malformed records, missing variables and records before --since', () => {
    line = 2;
    const p = plan(
      [{ line: 1, reason: 'invalid JSON' }, { line: 2, feedback: { flags: [] } }, rec('x', { rating: 'down', comment: 'c' }, { vars: { other: 1 } }), rec('old', { correction: 'a' }, { time: 10 }), rec('new', { correction: 'a' }, { time: 30 }), rec('none', { correction: 'a' })],
      { since: 20 },
    );
    expect(p.skipped).toEqual([
      { line: 1, reason: 'malformed', detail: 'invalid JSON' },
      { line: 2, reason: 'malformed', detail: 'neither input nor vars' },
      { line: 3, reason: 'missing_variable', detail: 'input' },
      { line: 4, reason: 'before_since' },
      { line: 6, reason: 'no_timestamp' },
    ]);
    expect(p.cases.map((c) => c.vars.input)).toEqual(['new']);
  });

  it("redacts what people wrote and record ids, never the system's fields (an epoch timestamp is not a phone number)", () => {
    line = 0;
    const p = plan([rec('call 01748 772000', { rating: 'down', comment: 'use 01748 772000' }, { id: 'jane@example.com-1', timestamp: '1748772000', promptVersion: '01748772000', output: 'ok' })], {
      redaction: createPiiRedactor({ ...DEFAULT_REDACT_CONFIG, phoneRegion: 'GB' }),
    });
    expect(p.cases[0]!.vars).toEqual({ input: 'call <PHONE_1>' });
    expect(p.cases[0]!.metadata).toEqual({
      feedback: 'comment',
      source: { file: 'export.jsonl', line: 1, record_id: '<EMAIL_1>-1', timestamp: '1748772000', prompt_version: '01748772000' },
      comment: 'use <PHONE_1>',
    });
  });
});
