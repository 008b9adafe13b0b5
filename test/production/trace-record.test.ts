import { describe, expect, it } from 'vitest';
import { makeRunState, START_PROMPT, FINAL_PROMPT } from '../report/make-run-state.js';
import type { TraceCall } from '../../src/report/read-trace.js';
import { feedbackOf, traceRecord, type RecordContext } from '../../src/production/trace-record.js';
import { promptLabels, runPrompts } from '../../src/production/trace-prompts.js';
import { renderRequest, type RequestShape } from '../../src/runner/render-request.js';
import { createRedactor, redactWith } from '../../src/report/redact.js';
import { requestDigest } from '../../src/report/trace-format.js';
import { sha256 } from '../../src/util/hash.js';

const call = (overrides: Partial<TraceCall> = {}): TraceCall => ({
  at: '2025-06-01T10:00:00.000Z',
  role: 'target',
  provider: 'openai',
  model: 'gpt-4o-mini',
  simulated: false,
  sample: 0,
  cache_hit: false,
  case_id: 'c1',
  request: { messages: [{ role: 'user', content: 'Classify the sentiment of: fine\n' }], max_tokens: 10 },
  output: 'positive',
  input_tokens: 12,
  output_tokens: 1,
  cost_usd: 0.00001,
  latency_ms: 320,
  ...overrides,
});

const context = (overrides: Partial<RecordContext> = {}): RecordContext => ({
  runId: 'r1',
  caseOf: (id) => (id === 'c1' ? { vars: { text: 'fine' }, expected: 'neutral' } : undefined),
  verdictOf: (id, output) => (id === 'c1' && output === 'positive' ? { pass: false, expected: 'neutral', failures: [{ type: 'equals', category: 'wrong_answer', reason: 'expected "neutral", got "positive"' }] } : undefined),
  promptOf: () => 'v3',
  ...overrides,
});

describe('traceRecord', () => {
  it('a target call with a verdict: the import shape, the failure as a correction with its reasons', () => {
    const record = traceRecord(call(), 7, context());
    expect(record).toMatchObject({
      id: 'r1#7',
      timestamp: '2025-06-01T10:00:00.000Z',
      vars: { text: 'fine' },
      output: 'positive',
      prompt_version: 'v3',
      model: 'gpt-4o-mini',
      latency_ms: 320,
      usage: { input_tokens: 12, output_tokens: 1 },
      cost_usd: 0.00001,
      feedback: { rating: 'down', correction: 'neutral', comment: 'equals: expected "neutral", got "positive"' },
      trace: { run_id: 'r1', call: 7, role: 'target', case_id: 'c1', expected: 'neutral', verdict: 'fail', cache_hit: false },
    });
  });

  it('an output the run recorded no verdict on has no feedback; a failed call has no output; a judge call no vars', () => {
    expect(traceRecord(call({ output: 'negative' }), 1, context()).feedback).toBeUndefined();
    const failed = traceRecord(call({ output: null, cost_usd: null, error: { code: 'TIMEOUT', message: 'timed out' } }), 2, context());
    expect(failed.output).toBeUndefined();
    expect(failed.cost_usd).toBeUndefined();
    expect(failed.trace.error).toEqual({ code: 'TIMEOUT', message: 'timed out' });
    const judge = traceRecord(call({ role: 'judge', case_id: undefined }), 3, context({ promptOf: () => undefined }));
    expect(judge.vars).toBeUndefined();
    expect(judge.prompt_version).toBeUndefined();
    expect(judge.trace.role).toBe('judge');
  });

  it('feedbackOf: a pass is a thumbs-up; a failure without expected value keeps only its reasons', () => {
    expect(feedbackOf({ pass: true, failures: [] })).toEqual({ rating: 'up' });
    expect(feedbackOf({ pass: false, failures: [{ type: 'is-json', category: 'format_violation', reason: 'not JSON' }] })).toEqual({ rating: 'down', comment: 'is-json: not JSON' });
  });
});

describe('promptLabels', () => {
  const state = makeRunState();
  const shape: RequestShape = { promptRole: 'user', maxTokens: 10 };
  const versions = [{ version: 1, promptSha256: sha256(START_PROMPT) }];
  const digestOf = (prompt: string, vars: Record<string, unknown>, secrets: string[] = []) => {
    const request = redactWith(renderRequest(shape, prompt, vars), createRedactor(secrets));
    return requestDigest(request.system, request.messages);
  };

  it('tells the prompt of a call from its request or its digest; a version by number, another prompt by its hash', () => {
    expect(runPrompts(state)).toContain(FINAL_PROMPT);
    const labels = promptLabels({ state, shape, versions, varsOf: () => ({ text: 'fine' }), secrets: [] });
    const rendered = renderRequest(shape, START_PROMPT, { text: 'fine' });
    const full = call({ request: { messages: rendered.messages, max_tokens: 10 } });
    expect(labels.of(full)).toBe('v1');
    const hashed = call({ request: { hash: digestOf(FINAL_PROMPT, { text: 'fine' }), max_tokens: 10 } });
    expect(labels.of(hashed)).toBe(sha256(FINAL_PROMPT).slice(0, 12));
    expect(labels.of(call({ request: { hash: 'not-a-known-one', max_tokens: 10 } }))).toBeUndefined();
    expect(labels.of(call({ role: 'optimizer' }))).toBeUndefined();
  });

  it('a case holding a known secret: the trace redacted it, so the digest is compared after the same redaction', () => {
    const secret = 'tok-0123456789abcdef';
    const vars = { text: `my token is ${secret}` };
    const labels = promptLabels({ state, shape, versions, varsOf: () => vars, secrets: [secret] });
    expect(labels.of(call({ request: { hash: digestOf(START_PROMPT, vars, [secret]), max_tokens: 10 } }))).toBe('v1');
  });
});
