import { describe, expect, it } from 'vitest';
import { JUDGE_MARKER } from '../../src/assertions/handlers/llm-rubric.js';
import { FakeJudge, check } from './helpers.js';

const rubric = 'Is polite and mentions the refund policy';

describe('llm-rubric', () => {
  it('sends the marker and the rubric, and passes on the verdict', async () => {
    const judge = new FakeJudge(['{"pass": true, "score": 0.9, "reason": "polite, cites policy"}']);
    const r = await check({ type: 'llm-rubric', value: rubric }, 'Thanks! Our refund policy is 30 days.', { judge });
    expect(r).toMatchObject({ pass: true, score: 0.9, judgeCostUsd: 0.0002 });
    expect(r.reason).toContain('polite, cites policy');
    expect(judge.requests).toHaveLength(1);
    const request = judge.requests[0]!;
    expect(request.system?.startsWith(`${JUDGE_MARKER} You grade an AI output against a rubric.`)).toBe(true);
    expect(request.messages).toEqual([
      { role: 'user', content: `<rubric>${rubric}</rubric>\n<output>Thanks! Our refund policy is 30 days.</output>` },
    ]);
  });

  it('fails as rubric_failed with the judge reason, rubric and output', async () => {
    const judge = new FakeJudge(['Verdict:\n```json\n{"pass": false, "score": 0.2, "reason": "rude"}\n```']);
    const r = await check({ type: 'llm-rubric', value: rubric }, 'Go away.', { judge });
    expect(r).toMatchObject({ pass: false, score: 0.2, category: 'rubric_failed', expected: rubric, actual: 'Go away.' });
    expect(r.reason).toContain('rude');
    expect(r.reason).toContain(`"${rubric}"`);
    expect(r.reason).toContain('"Go away."');
  });

  it('applies the threshold to the score', async () => {
    const judge = new FakeJudge(['{"pass": true, "score": 0.6, "reason": "ok"}', '{"score": 0.7, "reason": "ok"}']);
    const low = await check({ type: 'llm-rubric', value: rubric, threshold: 0.8 }, 'x', { judge });
    expect(low).toMatchObject({ pass: false, category: 'rubric_failed' });
    expect(low.reason).toContain('below threshold 0.8');
    expect((await check({ type: 'llm-rubric', value: rubric, threshold: 0.65 }, 'x', { judge })).pass).toBe(true);
  });

  it('an unparseable reply is an assertion_error with the start of the reply, still costed', async () => {
    const judge = new FakeJudge(['I think it is fine, mostly.']);
    const r = await check({ type: 'llm-rubric', value: rubric }, 'x', { judge });
    expect(r).toMatchObject({ pass: false, category: 'assertion_error', judgeCostUsd: 0.0002 });
    expect(r.reason).toContain('"I think it is fine, mostly."');
  });

  it('without a judge it is an assertion_error telling how to set one', async () => {
    const r = await check({ type: 'llm-rubric', value: rubric }, 'x');
    expect(r).toMatchObject({ category: 'assertion_error', reason: 'llm-rubric needs a judge model: set `judge:` in the spec' });
  });

  it('a failing judge call is an assertion_error, not an exception', async () => {
    const judge = new FakeJudge([]);
    const r = await check({ type: 'llm-rubric', value: rubric }, 'x', { judge });
    expect(r.category).toBe('assertion_error');
    expect(r.reason).toContain('judge call failed');
  });
});
