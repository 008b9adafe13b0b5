import { afterEach, describe, expect, it } from 'vitest';
import { createModel, describeModel } from '../../src/session/create-model.js';
import { registerSimMode, SIM_MARKERS } from '../../src/sim/index.js';
import { readPrompt } from '../../src/sim/read-prompt.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { config } from '../providers/helpers.js';

const sim = createModel(config({ provider: 'sim', model: 'sim-classifier' }), { role: 'target', env: {} });
const LABELS = 'Labels: positive, negative, mixed, no_impact.';
const req = (system: string, user: string): ChatRequest => ({ system, messages: [{ role: 'user', content: user }], maxTokens: 256 });
const answer = async (system: string, user: string) => (await sim.complete(req(system, user))).text;

describe('sim classifier: quality depends on the prompt', () => {
  it('is clearly a simulator with a known zero cost and ceil(chars/4) usage', async () => {
    const res = await sim.complete(req('abcd', 'Text: 12345'));
    expect(sim.simulated).toBe(true);
    expect(describeModel(sim)).toBe('sim:sim-classifier (simulated)');
    expect(res.model).toBe('sim-classifier');
    expect(res.costUsd).toBe(0);
    expect(res.usage.inputTokens).toBe(Math.ceil('abcdText: 12345'.length / 4));
    expect(res.usage.outputTokens).toBe(Math.ceil(res.text.length / 4));
  });

  it('an unoptimized prompt gets a verbose answer (fails equals on format)', async () => {
    const text = await answer(`Classify the sentiment of the verse. ${LABELS}`, 'Verse: with peace and soft rapture shall teach life to glow,');
    expect(text).toMatch(/^The answer is: (Positive|Negative|Mixed|No_impact)\.$/);
  });

  it('"only the label" with a label list gives the bare label', async () => {
    const text = await answer(`Classify the sentiment of the verse. ${LABELS} Respond with only the label.`, 'Verse: among the sources of thy glorious streams,');
    expect(['positive', 'negative', 'mixed', 'no_impact']).toContain(text);
  });

  it('labels can come as a bullet list; JSON and case instructions shape the answer', async () => {
    const system = 'Classify the message.\nCategories:\n- billing: money matters\n- shipping\n- other';
    const user = 'Message: where is my shipping label';
    expect(await answer(system, user)).toBe('The answer is: Shipping.');
    expect(await answer(`${system}\nReply in JSON.`, user)).toBe('{"label": "shipping"}');
    expect(await answer(`${system}\nAnswer with the label in UPPERCASE and nothing else.`, user)).toBe('SHIPPING');
    expect(await answer(`${system}\nWrite it in lowercase.`, user)).toBe('The answer is: shipping.');
  });

  it('rules change the answer', async () => {
    const base = `Classify the sentiment. ${LABELS} Respond with only the label.`;
    const verse = 'Verse: with peace and soft rapture shall teach life to glow,';
    expect(await answer(`${base}\n"rapture" -> negative`, verse)).toBe('negative');
    expect(await answer(`${base}\n"rapture" -> positive`, verse)).toBe('positive');
    expect(await answer(`${base}\n- soft => mixed\n"rapture" -> positive`, verse)).toBe('mixed'); // first matching rule wins
    expect(await answer(`${base}\n"thunder" -> negative`, verse)).not.toBe('The answer is: Negative.');
  });

  it('few-shot examples change the answer (nearest example, Jaccard >= 0.5)', async () => {
    const examples = 'Examples:\nInput: with peace and soft rapture\nOutput: no_impact\n\nInput: dark and cold the night\nOutput: negative';
    const system = `Classify the sentiment. ${LABELS} Respond with only the label.\n${examples}`;
    expect(await answer(system, 'Input: with peace and soft rapture shall glow')).toBe('no_impact');
    expect(await answer(system, 'Input: the night is dark and cold')).toBe('negative');
  });

  it('without rules or examples, the label sharing most words with the input wins', async () => {
    const system = 'Classify the banking query into one of: card_arrival, change_pin, exchange_rate. Answer with only the label.';
    expect(await answer(system, 'Query: In what ATM can I change my pin?')).toBe('change_pin');
    expect(await answer(system, 'Query: when will my card arrive? it has not arrived')).toBe('card_arrival');
  });

  it('the input is the last marked line to the end, or the last paragraph', () => {
    const a = readPrompt(req('s', 'Examples:\nText: a\nLabel: x\n\nText: the real\ninput here\nAnswer:'));
    expect(a.input).toBe('the real\ninput here');
    expect(a.examples).toEqual([{ input: 'a', output: 'x' }]);
    const b = readPrompt(req('s', 'Classify this.\n\nthe last paragraph'));
    expect(b.input).toBe('the last paragraph');
    expect(b.instructions).toContain('Classify this.');
  });

  it('with no labels at all, echoes the input in a short sentence', async () => {
    expect(await answer('Summarize.', 'Text: the quick brown fox jumps over the lazy dog')).toBe(
      'Here is my response to "the quick brown fox jumps over".',
    );
  });

  it('is deterministic across calls and instances', async () => {
    const other = createModel(config({ provider: 'sim', model: 'sim-classifier' }), { role: 'target', env: {} });
    const r = req(`Pick one. ${LABELS}`, 'Verse: she listening sate');
    const texts = await Promise.all([sim.complete(r), sim.complete(r), other.complete(r)]);
    expect(new Set(texts.map((t) => t.text)).size).toBe(1);
  });

  it('simLatencyMs delays the answer', async () => {
    const slow = createModel(config({ provider: 'sim', model: 's', simLatencyMs: 30 }), { role: 'target', env: {} });
    const started = Date.now();
    const res = await slow.complete(req('x', 'y'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(res.latencyMs).toBeGreaterThanOrEqual(25);
  });
});

describe('sim judge mode', () => {
  const judge = createModel(config({ provider: 'sim', model: 'sim-judge' }), { role: 'judge', env: {} });
  const grade = async (rubric: string, output: string) => {
    const res = await judge.complete({
      system: `${SIM_MARKERS.judge} You grade an AI output against a rubric.`,
      messages: [{ role: 'user', content: `<rubric>${rubric}</rubric>\n<output>${output}</output>` }],
      maxTokens: 256,
    });
    return JSON.parse(res.text) as { pass: boolean; score: number; reason: string };
  };

  it('passes when every quoted phrase occurs in the output', async () => {
    expect(await grade('Must mention "refund" and "7 days".', 'Your REFUND arrives within 7 days.')).toMatchObject({ pass: true, score: 1 });
    const fail = await grade('Must mention "refund" and "7 days".', 'Your refund is coming.');
    expect(fail).toMatchObject({ pass: false, score: 0.5 });
    expect(fail.reason).toContain('"7 days"');
  });

  it('without quotes, needs half of the rubric content words', async () => {
    expect((await grade('The answer should apologize and offer a refund', 'We apologize; here is a refund.')).pass).toBe(true);
    expect((await grade('The answer should apologize and offer a refund', 'No.')).pass).toBe(false);
  });

  it('reads Rubric:/Output: sections too', async () => {
    const res = await judge.complete({
      system: SIM_MARKERS.judge,
      messages: [{ role: 'user', content: 'Rubric: mentions "blue"\nOutput: the sky is blue' }],
      maxTokens: 256,
    });
    expect(JSON.parse(res.text)).toMatchObject({ pass: true });
  });
});

describe('sim modes seam', () => {
  let unregister: (() => void) | undefined;
  afterEach(() => unregister?.());

  it('the optimizer marker is answered by the built-in sim optimizer', async () => {
    const text = await answer(`${SIM_MARKERS.optimizer} improve this prompt`, 'prompt: x');
    expect(text).toMatch(/\[sim optimizer\] error: the request has no <current_prompt>/);
    const edited = await answer(
      `${SIM_MARKERS.optimizer} improve`,
      '# Current prompt\n<current_prompt>\nClassify: a_b, c_d.\n\nText: {{text}}\n</current_prompt>\n\n# Evaluation feedback\nTraining results: 0/2 passed (0.0%). (Failure details withheld: --no-feedback.)',
    );
    expect(edited).toMatch(/^<hypothesis>[^<]*withheld[^<]*<\/hypothesis>\n<prompt>\n[\s\S]*Text: \{\{text\}\}\n<\/prompt>$/);
  });

  it('registerSimMode routes requests with the marker to the handler, and unregistering restores the previous one', async () => {
    const seen: string[] = [];
    unregister = registerSimMode(SIM_MARKERS.optimizer, (request, context) => {
      seen.push(context.modelId);
      return `improved: ${request.messages[0]!.content}`;
    });
    expect(await answer(`${SIM_MARKERS.optimizer} go`, 'old prompt')).toBe('improved: old prompt');
    expect(seen).toEqual(['sim-classifier']);
    unregister();
    expect(await answer(`${SIM_MARKERS.optimizer} go`, 'old prompt')).toMatch(/\[sim optimizer\] error/);
    const off = registerSimMode('[custom-marker]', () => 'custom');
    expect(await answer('[custom-marker] x', 'y')).toBe('custom');
    off();
    expect(await answer('[custom-marker] x', 'Text: y')).not.toBe('custom');
  });
});
