import { beforeAll, describe, expect, it } from 'vitest';
import { readPrompt, readRules } from '../../src/sim/read-prompt.js';
import { createModel } from '../../src/session/create-model.js';
import { simOptimize } from '../../src/sim/optimizer/index.js';
import { readEvidence } from '../../src/sim/optimizer/evidence.js';
import { formatFocus, formatVars } from '../../src/feedback/vocabulary/index.js';
import { formatConstraints } from '../../src/optimizer/validation-phase.js';
import { buildMetaPrompt, taskContext } from '../../src/optimizer/meta-prompt.js';
import { emptyMemory } from '../../src/optimizer/memory.js';
import { templateVariables } from '../../src/template/template.js';
import type { SplitCase } from '../../src/spec/types.js';
import { config } from '../providers/helpers.js';
import {
  WITHHELD,
  ask,
  casesOf,
  descriptiveFeedback,
  evaluate,
  loadExample,
  manualLoop,
  refine,
  trainFeedback,
  type Task,
} from './sim-loop.js';

const FORMAT = 'Answer with only the label, nothing else.';
let banking: Task;
let train: SplitCase[];
/** The example's starting prompt plus the format line: label errors remain, format errors do not. */
let formatted: string;

beforeAll(async () => {
  banking = await loadExample('banking77');
  train = casesOf(banking, 'train');
  formatted = banking.spec.prompt.text.replace('Query: {{query}}', `${FORMAT}\n\nQuery: {{query}}`);
});

describe('sim optimizer: driven by the failures it is shown', () => {
  it('a proposal fixes the failing cases it was shown (re-run through the sim target)', async () => {
    const before = await evaluate(banking, formatted, train);
    const feedback = trainFeedback(formatted, before.results);
    const shown = [...feedback.matchAll(/^- case (\S+)/gm)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(10);
    const { candidate } = await ask(banking, refine(formatted, feedback, 'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.'));
    expect(candidate).toBeDefined();
    expect(candidate!.hypothesis).toMatch(/decision rules? for misclassified cases/);
    const rules = readRules(candidate!.prompt);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const after = await evaluate(banking, candidate!.prompt, train);
    const fixed = shown.filter((id) => !before.passed.has(id) && after.passed.has(id));
    expect(fixed.length).toBeGreaterThanOrEqual(5);
    expect(after.score).toBeGreaterThan(before.score);
  });

  it('from the weak starting prompt, manual iterations raise the train score every time', async () => {
    const { scores, prompt } = await manualLoop(banking, train, banking.spec.prompt.text, 3);
    expect(scores[0]).toBe(0);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    expect(scores.at(-1)!).toBeGreaterThan(0.45);
    expect(prompt).toContain(FORMAT);
    expect(prompt.trimEnd().endsWith('Query: {{query}}')).toBe(true); // the input stays last
  });

  it('with failure details withheld it only rewords: the score stays the same over 3 iterations', async () => {
    const start = `${formatted.replace('Query: {{query}}', '"pin" -> change_pin\n"arrive" -> card_arrival\n\nQuery: {{query}}')}`;
    const baseline = await evaluate(banking, start, train);
    const { scores, candidates } = await manualLoop(banking, train, start, 3, { feedback: (_, results) => WITHHELD(results) });
    expect(scores).toEqual([baseline.score, baseline.score, baseline.score, baseline.score]);
    expect(candidates.length).toBe(9);
    for (const { prompt, passed } of candidates) {
      expect(prompt).not.toBe(start);
      expect(passed).toEqual(baseline.passed);
      expect(readRules(prompt)).toEqual(readRules(start));
    }
  });

  it('with patterns only (validation feedback) it acts on counts and label names, never on case text', async () => {
    // The held-out cases (validation and test: about two per intent, so some confusions repeat),
    // without the intents whose names are too long to read as labels (over 40 characters: the
    // feedback then reports no confusions at all for the group).
    const validation = banking.cases.filter((c) => c.split !== 'train' && String(c.expected).length <= 40);
    const run = await evaluate(banking, banking.spec.prompt.text, validation);
    const feedback = descriptiveFeedback(run.results);
    const { candidate } = await ask(banking, refine(banking.spec.prompt.text, feedback, formatFocus({ check: 'equals', count: 50, category: 'wrong_answer' })));
    expect(candidate!.prompt).toContain(FORMAT);
    // Rules come from the label names of frequent confusions (roots of their words), not from inputs.
    const rules = readRules(candidate!.prompt);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.label.split(/[^a-z0-9]+/).some((word) => word.startsWith(rule.phrases[0]!))).toBe(true);
    }
    expect((await evaluate(banking, candidate!.prompt, validation)).score).toBeGreaterThan(run.score);
  });

  it('respects the training constraints: no rule phrase occurs in a constrained input of another label', async () => {
    const before = await evaluate(banking, formatted, train);
    const passing = before.results.filter((r) => r.pass).slice(0, 8);
    const constraints = formatConstraints(
      passing.map((r) => ({ caseId: r.caseId, input: formatVars([{ name: 'query', text: String(r.vars.query) }]), expected: String(r.expected), actual: 'x' })),
    );
    expect(readEvidence('', constraints!, 'query').constraints.map((c) => c.id)).toEqual(passing.map((r) => r.caseId));
    const { candidate } = await ask(banking, refine(formatted, trainFeedback(formatted, before.results), 'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.', constraints));
    const rules = readRules(candidate!.prompt);
    for (const r of passing) {
      const input = String(r.vars.query).toLowerCase();
      const fired = rules.find((rule) => rule.phrases.some((p) => input.includes(p.toLowerCase())));
      if (fired) expect(fired.label).toBe(r.expected);
    }
    const after = await evaluate(banking, candidate!.prompt, passing.map((r) => train.find((c) => c.id === r.caseId)!));
    expect(after.score).toBe(1);
  });
});

describe('sim optimizer: request handling', () => {
  it('a crossover merges the rules of both parents', async () => {
    const parentA = formatted.replace('Query: {{query}}', '"apple pay" -> apple_pay_or_google_pay\n"contactless" -> contactless_not_working\n\nQuery: {{query}}');
    const parentB = formatted.replace('Query: {{query}}', '"fiat" -> fiat_currency_support\n"swallowed" -> card_swallowed\n\nQuery: {{query}}');
    const before = await evaluate(banking, parentA, train);
    const { candidate } = await ask(banking, {
      kind: 'crossover',
      parentA,
      scoreA: 'train 40.0%',
      parentB,
      scoreB: 'train 38.0%',
      feedback: trainFeedback(parentA, before.results),
      direction: 'Crossover: keep the instructions that make each parent succeed, drop what makes either fail.',
    });
    expect(candidate!.hypothesis).toMatch(/merged .* parent B into parent A/i);
    const phrases = readRules(candidate!.prompt).flatMap((r) => r.phrases);
    expect(phrases).toEqual(expect.arrayContaining(['apple pay', 'contactless', 'fiat', 'swallowed']));
    expect(candidate!.prompt.match(/Answer with only the label/g)).toHaveLength(1);
  });

  it('keeps every {{variable}} exactly and invents none, for user and system prompts', async () => {
    const prompt = 'Customer {{customer.name}} writes:\n\nQuery: {{query}}\n\nClassify into one of: card_arrival, change_pin.';
    const run = await evaluate(banking, formatted, train.slice(0, 40));
    const feedback = trainFeedback(formatted, run.results);
    for (const role of ['user', 'system'] as const) {
      const task = { ...taskContext(banking.spec), promptRole: role, user: role === 'system' ? 'Query: {{query}}' : undefined, variables: templateVariables(prompt) };
      for (const direction of ['Make the smallest edit that fixes the most failures; leave everything else as it is.', 'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.']) {
        const request = buildMetaPrompt(task, refine(prompt, feedback, direction), 12_000, 8192);
        const reply = (await banking.optimizer.complete(request)).text;
        const out = /<prompt>\n([\s\S]*)\n<\/prompt>/.exec(reply)![1]!;
        expect(templateVariables(out).sort()).toEqual(['customer.name', 'query']);
        expect(out.match(/\{\{/g)).toHaveLength(2);
      }
    }
  });

  it('is deterministic given the request text, across model instances', async () => {
    const run = await evaluate(banking, banking.spec.prompt.text, train.slice(0, 60));
    const request = buildMetaPrompt(
      taskContext(banking.spec),
      refine(banking.spec.prompt.text, trainFeedback(banking.spec.prompt.text, run.results), 'Tighten the output-format instructions: say exactly what the reply must contain and what it must not.'),
      12_000,
      8192,
    );
    const other = createModel(config({ provider: 'sim', model: 'another-sim' }), { role: 'optimizer', env: {} });
    const replies = await Promise.all([banking.optimizer.complete(request), banking.optimizer.complete(request), other.complete(request)]);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies[0]!.text).toMatch(/^<hypothesis>.+<\/hypothesis>\n<prompt>\n[\s\S]+\n<\/prompt>$/);
    expect(simOptimize(request)).toBe(replies[0]!.text);
  });

  it('different directions give different candidates in one iteration', async () => {
    const run = await evaluate(banking, formatted, train);
    const feedback = trainFeedback(formatted, run.results);
    const directions = [
      `${formatFocus({ check: 'equals', count: 90, category: 'wrong_answer' })} Suggested fix from the data: Add decision rules.`,
      'Make the smallest edit that fixes the most failures; leave everything else as it is.',
      'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.',
    ];
    const prompts = await Promise.all(directions.map(async (d) => (await ask(banking, refine(formatted, feedback, d))).candidate!.prompt));
    expect(new Set(prompts).size).toBe(3);
  });

  it('answers a request without a prompt block with an error text (no <prompt>)', () => {
    const reply = simOptimize({ system: '[promptopt:optimizer] x', messages: [{ role: 'user', content: 'improve it' }], maxTokens: 100 });
    expect(reply).toMatch(/sim optimizer\] error/);
    expect(reply).not.toContain('<prompt>');
  });
});

describe('sim optimizer: extraction prompts', () => {
  it('raises the pass rate of the snips example over manual iterations (format, intents, slot lists, rules)', async () => {
    const snips = await loadExample('snips-extraction');
    const cases = casesOf(snips, 'train');
    const { scores, prompt } = await manualLoop(snips, cases, snips.spec.prompt.text, 3);
    expect(scores[0]).toBe(0);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    expect(scores.at(-1)!).toBeGreaterThan(0.3);
    expect(prompt).toContain('Return only the JSON object, with no prose and no code fences.');
    expect(prompt).toMatch(/^Intents: .*PlayMusic/m);
    expect(prompt).toMatch(/^Slots for PlayMusic: .*\bartist\b/m);
    expect(prompt).toMatch(/^slot \w+: /m);
    expect(readPrompt({ messages: [{ role: 'user', content: prompt.replace('{{input}}', 'play some jazz') }], maxTokens: 10 }).input).toBe('play some jazz');
  });

  it('no-feedback requests leave extraction prompts behaviourally unchanged', async () => {
    const snips = await loadExample('snips-extraction');
    const cases = casesOf(snips, 'train', 60);
    const start = snips.spec.prompt.text;
    const baseline = await evaluate(snips, start, cases);
    const { scores } = await manualLoop(snips, cases, start, 3, { feedback: (_, results) => WITHHELD(results) });
    expect(scores).toEqual([baseline.score, baseline.score, baseline.score, baseline.score]);
  });
});

describe('examples', () => {
  it.each([
    ['banking77', 'query'],
    ['snips-extraction', 'input'],
  ])('%s: >= 150 cases, >= 40 in test, sim target and optimizer', async (name, variable) => {
    const task = await loadExample(name);
    expect(task.spec.cases.length).toBeGreaterThanOrEqual(150);
    expect(casesOf(task, 'test').length).toBeGreaterThanOrEqual(40);
    expect(casesOf(task, 'train').length).toBeGreaterThanOrEqual(100);
    expect(task.spec.target.provider).toBe('sim');
    expect(task.spec.optimizer.provider).toBe('sim');
    expect(task.spec.optimizer).toMatchObject({ maxIterations: 8, candidates: 3, patience: 3, validationIterations: 2 });
    expect(templateVariables(task.spec.prompt.text)).toEqual([variable]);
    expect(task.spec.cache.enabled).toBe(true);
  });

  it('the memory block of a request does not change what the optimizer does with the same evidence', async () => {
    const run = await evaluate(banking, formatted, train.slice(0, 50));
    const feedback = trainFeedback(formatted, run.results);
    const direction = 'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.';
    const a = buildMetaPrompt(taskContext(banking.spec), refine(formatted, feedback, direction), 12_000, 8192);
    const memory = { ...emptyMemory(), lessons: ['✓ "pin" -> change_pin helped → train 10%→20%'] };
    const b = buildMetaPrompt(taskContext(banking.spec), { kind: 'refine', current: formatted, feedback, memory, direction }, 12_000, 8192);
    const prompt = (text: string) => /<prompt>\n([\s\S]*)\n<\/prompt>/.exec(text)![1];
    expect(prompt(simOptimize(a))).toBe(prompt(simOptimize(b)));
  });
});
