/**
 * Strategies, unit and through the engine with in-memory models: the target answers a case right iff
 * the prompt has a `RULE:<label>` line for it; the optimizer adds a rule for the first failing label
 * it is shown, plus a line naming its direction (so candidates differ).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { splitCases } from '../../src/dataset/split-cases.js';
import { initialState, runOptimization } from '../../src/optimizer/engine.js';
import { createLoopContext, type LoopSettings } from '../../src/optimizer/loop-context.js';
import { taskContext } from '../../src/optimizer/meta-prompt.js';
import { EvolutionaryStrategy } from '../../src/optimizer/strategies/evolutionary/evolutionary-strategy.js';
import { HybridStrategy } from '../../src/optimizer/strategies/hybrid/hybrid-strategy.js';
import type { ProposalContext, Strategy } from '../../src/optimizer/strategies/types.js';
import type { CandidateRecord, CurrentPrompt } from '../../src/optimizer/types.js';
import { OproStrategy } from '../../src/optimizer/strategies/opro/opro-strategy.js';
import { ParetoStrategy } from '../../src/optimizer/strategies/pareto/pareto-strategy.js';
import type { CaseResult } from '../../src/runner/types.js';
import { makeCase } from '../feedback/make-case.js';
import type { OptimizerStrategyName } from '../../src/spec/types.js';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { ModelCaller } from '../../src/runner/model-caller.js';
import { loadSpec } from '../../src/session/load-spec.js';
import { emptyMemory } from '../../src/optimizer/memory.js';
import { recordingModel, lastUserMessage } from '../support/recording-model.js';

const LABELS = ['alpha', 'bravo', 'charlie', 'delta'];
const START = 'Route the ticket.\nTicket: {{input}}';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptopt-strategies-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function settings(overrides: Partial<LoopSettings> = {}): LoopSettings {
  return {
    maxIterations: 4,
    candidates: 3,
    patience: 10,
    validationIterations: 0,
    strictBelow: 0.1,
    accept: 'score',
    alpha: 0.05,
    concurrency: 8,
    repeat: 1,
    seed: 0,
    metaPromptTokens: 12_000,
    optimizerMaxTokens: 2000,
    showValidationCases: false,
    feedback: true,
    minibatch: 3,
    merge: true,
    ...overrides,
  };
}

const hasRule = (text: string, label: string) => text.split('\n').some((l) => l.trim() === `RULE:${label}`);

/** Runs the engine on a 4-label task with the given strategy; returns the optimizer's requests and the state. */
async function run(strategy: Strategy, name: OptimizerStrategyName, loop: Partial<LoopSettings> = {}) {
  const cases = LABELS.flatMap((label) => [1, 2].map((n) => ({ id: `${label}-${n}`, input: `ticket ${label.toUpperCase()} number ${n}`, expected: label, split: 'train' })));
  cases.push({ id: 'test-1', input: 'ticket ALPHA test', expected: 'alpha', split: 'test' });
  const file = join(dir, 'task.yaml');
  await writeFile(
    file,
    stringify({
      name: 'strategies',
      description: 'strategy unit fixture',
      prompt: START,
      target: { provider: 'sim', model: 'sim-classifier' },
      optimizer: { provider: 'sim', model: 'sim-optimizer' },
      cases,
      defaults: { assert: [{ type: 'equals', value: '{{expected}}' }] },
    }),
  );
  const spec = await loadSpec(file, { env: {} });
  const splitted = splitCases(spec.cases, spec.splits);
  const target = recordingModel((request) => {
    const text = lastUserMessage(request);
    const label = LABELS.find((l) => text.includes(`ticket ${l.toUpperCase()}`))!;
    return hasRule(text, label) ? label : 'unsure';
  });
  const optimizer = recordingModel((request) => {
    const text = lastUserMessage(request);
    const current = (/<current_prompt>\n([\s\S]*?)\n<\/current_prompt>/.exec(text) ?? /<parent_a>\n([\s\S]*?)\n<\/parent_a>/.exec(text))![1]!;
    const shown = [...text.matchAll(/^\s*expected: "([^"]+)"/gm)].map((m) => m[1]!).sort();
    const direction = /# Your direction for this \w+\n([^\n]*)/.exec(text)?.[1] ?? '';
    const lines = current.split('\n').filter((l) => !l.startsWith('Direction:'));
    const label = shown.find((l) => !hasRule(current, l));
    if (label) lines.splice(lines.length - 1, 0, `RULE:${label}`);
    return `<hypothesis>rule for ${label ?? 'nothing'}</hypothesis><prompt>\nDirection: ${direction.slice(0, 40)}\n${lines.join('\n')}\n</prompt>`;
  });
  const versions: string[] = [];
  const loopSettings = settings(loop);
  const state = initialState({ spec, cases: splitted, settings: loopSettings }, 'run-1', name);
  const context = createLoopContext({
    spec,
    cases: splitted,
    task: taskContext(spec),
    target,
    optimizer,
    caller: new ModelCaller(),
    strategy,
    settings: loopSettings,
    hooks: {
      emit: () => undefined,
      checkpoint: async () => undefined,
      writeVersion: async ({ prompt }) => versions.push(prompt),
      recordTestScore: async () => undefined,
    },
    state,
  });
  const { state: final } = await runOptimization(context);
  return { final, requests: optimizer.requests.map(lastUserMessage), versions };
}

describe('evolutionary strategy', () => {
  test('a crossover request carries both parents, and its candidate names both', async () => {
    const { final, requests } = await run(new EvolutionaryStrategy(3, 0), 'evolutionary', { maxIterations: 3 });
    const crossovers = requests.filter((r) => r.includes('<parent_a>'));
    expect(crossovers.length).toBeGreaterThan(0);
    const records = final.iterations.flatMap((it) => it.candidates);
    const prompts = new Map<string, string>([['start', START], ...records.map((r) => [r.candidate.id, r.candidate.prompt] as [string, string])]);
    const children = records.filter((r) => r.candidate.origin === 'crossover');
    expect(children.length).toBe(crossovers.length);
    for (const child of children) {
      expect(child.candidate.parents).toHaveLength(2);
      const [a, b] = child.candidate.parents.map((id) => prompts.get(id)!);
      expect(a).not.toBe(b);
      // The request that made this child held both parents' full prompts.
      expect(crossovers.some((r) => r.includes(`<parent_a>\n${a}\n</parent_a>`) && r.includes(`<parent_b>\n${b}\n</parent_b>`))).toBe(true);
    }
    // Iteration 1 has a population of one (the start): mutations only.
    expect(final.iterations[0]!.candidates.every((c) => c.candidate.origin === 'mutation')).toBe(true);
  });

  test('the population keeps the best N (elitism) and survives a snapshot', () => {
    const strategy = new EvolutionaryStrategy(2, 0);
    const current: CurrentPrompt = { candidateId: 'start', prompt: 's', version: 1, train: { split: 'train', passed: 1, total: 4, score: 0.25, categories: {}, passedIds: [] } };
    const scored = (id: string, score: number, status: 'rejected' | 'invalid' = 'rejected') => ({
      candidate: { id, prompt: `p-${id}`, hypothesis: '', origin: 'mutation' as const, parents: ['start'] },
      status,
      reason: '',
      train: { ...current.train, score },
      fixed: [],
      broken: [],
    });
    strategy.observe([scored('a', 0.5), scored('b', 0.75), scored('c', 1, 'invalid')], current);
    expect(strategy.members().map((m) => m.id)).toEqual(['b', 'a']);
    const copy = new EvolutionaryStrategy(2, 0);
    copy.restore(JSON.parse(JSON.stringify(strategy.snapshot())));
    expect(copy.members()).toEqual(strategy.members());
  });
});

describe('hybrid strategy', () => {
  test('explores in iteration 1, then refines: it switches exactly once', async () => {
    const strategy = new HybridStrategy();
    const { final, requests } = await run(strategy, 'hybrid', { maxIterations: 4, candidates: 2 });
    expect(final.iterations.length).toBeGreaterThanOrEqual(3);
    const kinds = requests.map((r) => (r.includes('# Starting prompt') ? 'explore' : r.includes('# Current prompt') ? 'refine' : 'other'));
    expect(kinds).not.toContain('other');
    const switches = kinds.filter((k, i) => i > 0 && k !== kinds[i - 1]).length;
    expect(switches).toBe(1);
    expect(kinds.slice(0, 2)).toEqual(['explore', 'explore']);
    expect(final.iterations[0]!.candidates.every((c) => c.candidate.origin === 'initial')).toBe(true);
    expect(final.iterations.slice(1).every((it) => it.candidates.every((c) => c.candidate.origin === 'refine'))).toBe(true);
    expect(strategy.phase).toBe('refine');
    expect(final.strategyState).toEqual({ explored: true });
  });

  test('the switch survives a checkpoint (restore), and never goes back', () => {
    const strategy = new HybridStrategy();
    const current: CurrentPrompt = { candidateId: 'start', prompt: START, version: 1, train: { split: 'train', passed: 0, total: 1, score: 0, categories: {}, passedIds: [] } };
    const context: ProposalContext = {
      iteration: 1,
      candidates: 2,
      current,
      results: { cases: [], summaries: [], wallTimeMs: 0 } as unknown as ProposalContext['results'],
      analysis: analyzeFailures([]),
      feedback: 'fb',
      memory: emptyMemory(),
      feedbackFor: () => undefined,
      seed: 0,
      evaluateTrainCases: async () => ({ cases: [], summaries: [], wallTimeMs: 0 }),
      feedbackOn: () => ({ feedback: '', passing: undefined }),
      showable: (cases) => [...cases],
      minibatch: 3,
      merge: true,
    };
    expect(strategy.phase).toBe('explore');
    expect(strategy.propose(context).map((p) => p.request.kind)).toEqual(['initial', 'initial']);
    strategy.observe();
    expect(strategy.propose({ ...context, iteration: 2 }).map((p) => p.request.kind)).toEqual(['refine', 'refine']);
    strategy.observe();
    expect(strategy.phase).toBe('refine');
    const restored = new HybridStrategy();
    restored.restore(strategy.snapshot());
    expect(restored.phase).toBe('refine');
    const fresh = new HybridStrategy();
    fresh.restore(null);
    expect(fresh.phase).toBe('explore');
  });
});

/** A ProposalContext over `cases` (train results of the current prompt), with minibatch evaluations from `outcomes`. */
function stubContext(cases: CaseResult[], outcomes: Record<string, Set<string>>, overrides: Partial<ProposalContext> = {}) {
  const evaluated: { prompt: string; caseIds: string[] }[] = [];
  const passes = cases.filter((c) => c.pass).length;
  const current: CurrentPrompt = {
    candidateId: 'start',
    prompt: 'P0',
    version: 1,
    train: { split: 'train', passed: passes, total: cases.length, score: passes / cases.length, categories: {}, passedIds: cases.filter((c) => c.pass).map((c) => c.caseId) },
  };
  const context: ProposalContext = {
    iteration: 1,
    candidates: 2,
    current,
    results: { cases, summaries: [], wallTimeMs: 0 },
    analysis: analyzeFailures(cases),
    feedback: 'fb',
    memory: emptyMemory(),
    feedbackFor: () => undefined,
    seed: 0,
    async evaluateTrainCases(prompt, caseIds) {
      evaluated.push({ prompt, caseIds: [...caseIds] });
      const passing = outcomes[prompt] ?? new Set();
      const results = caseIds.map((id) => makeCase({ id, expected: 'x', output: passing.has(id) ? 'x' : 'no', ...(passing.has(id) ? {} : { fail: 'wrong_answer' as const }) }));
      return { cases: results, summaries: [], wallTimeMs: 0 };
    },
    feedbackOn: (shown, title) => ({ feedback: `${title}: ${shown.filter((c) => !c.pass).map((c) => c.caseId).join(',')}`, passing: undefined }),
    showable: (shown) => [...shown],
    minibatch: 3,
    merge: true,
    ...overrides,
  };
  return { context, evaluated };
}

const trainCases = (passing: string[]) =>
  ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'].map((id) => makeCase({ id, expected: 'x', output: passing.includes(id) ? 'x' : 'no', ...(passing.includes(id) ? {} : { fail: 'wrong_answer' as const }) }));

describe('pareto strategy', () => {
  test('proposals reflect on a parent from the front, over a minibatch with one of its failures, gated on beating it there', async () => {
    const strategy = new ParetoStrategy();
    const { context, evaluated } = stubContext(trainCases(['a1', 'a2']), { P0: new Set(['a1', 'a2']) });
    const proposals = await strategy.propose(context);
    expect(proposals).toHaveLength(2); // one member on the front yet: no merge pair, two reflections
    for (const p of proposals) {
      expect(p.request.kind).toBe('reflect');
      expect(p.origin).toBe('reflection');
      expect(p.parents).toEqual(['start']);
      expect(p.gate!.caseIds).toHaveLength(3);
      expect(p.gate!.caseIds.some((id) => !['a1', 'a2'].includes(id))).toBe(true); // a failure of the parent
      expect(p.gate!.rule).toBe('better');
      const passed = p.gate!.caseIds.filter((id) => ['a1', 'a2'].includes(id)).length;
      expect(p.gate!.bar).toBeCloseTo(passed / 3);
    }
    expect(evaluated.map((e) => e.prompt)).toEqual(['P0', 'P0']); // the parent on each minibatch
    expect(strategy.paretoFront.members.map((m) => m.id)).toEqual(['start']);
  });

  test('observe keeps candidates best on some case; the next proposals sample parents from that front and merge two of them', async () => {
    const strategy = new ParetoStrategy();
    const { context } = stubContext(trainCases(['a1']), { P0: new Set(['a1']), PB: new Set(['b1', 'b2']), PC: new Set(['a1', 'c1']) });
    await strategy.propose(context);
    const record = (id: string, prompt: string, passing: string[], status: CandidateRecord['status'] = 'rejected'): CandidateRecord => ({
      candidate: { id, prompt, hypothesis: '', origin: 'reflection', parents: ['start'] },
      status,
      reason: '',
      train: { split: 'train', passed: passing.length, total: 6, score: passing.length / 6, categories: {}, passedIds: passing },
      fixed: [],
      broken: [],
    });
    const scores = (passing: string[]) => new Map(['a1', 'a2', 'b1', 'b2', 'c1', 'c2'].map((id) => [id, passing.includes(id) ? 1 : 0]));
    const byId: Record<string, Map<string, number>> = { i1c1: scores(['b1', 'b2']), i1c2: scores(['a1', 'c1']), i1c3: scores(['b1']) };
    strategy.observe(
      [record('i1c1', 'PB', ['b1', 'b2'], 'accepted'), record('i1c2', 'PC', ['a1', 'c1']), record('i1c3', 'PX', ['b1'], 'screened_out')],
      context.current,
      (id) => byId[id],
    );
    // start (a1) is now tied with i1c2 on a1 only: dominated but kept as best on a case; i1c3 was screened out.
    expect(strategy.paretoFront.members.map((m) => m.id)).toEqual(['start', 'i1c1', 'i1c2']);
    expect(strategy.paretoFront.nonDominated().map((m) => m.id)).toEqual(['i1c1', 'i1c2']);
    const next = await strategy.propose({ ...context, iteration: 2, candidates: 3 });
    const kinds = next.map((p) => p.request.kind);
    expect(kinds).toEqual(['reflect', 'reflect', 'merge']);
    for (const p of next.slice(0, 2)) expect(['i1c1', 'i1c2']).toContain(p.parents[0]);
    const merge = next[2]!;
    expect(new Set(merge.parents)).toEqual(new Set(['i1c1', 'i1c2']));
    expect(merge.gate!.rule).toBe('at_least');
    // The merge is screened where the parents differ: cases one of them wins and the other does not.
    for (const id of merge.gate!.caseIds) expect(['b1', 'b2', 'a1', 'c1']).toContain(id);
    // The front survives a checkpoint exactly.
    const copy = new ParetoStrategy();
    copy.restore(JSON.parse(JSON.stringify(strategy.snapshot())));
    expect(copy.snapshot()).toEqual(strategy.snapshot());
    const again = await copy.propose({ ...context, iteration: 2, candidates: 3 });
    expect(again.map((p) => [p.parents, p.gate?.caseIds])).toEqual(next.map((p) => [p.parents, p.gate?.caseIds]));
  });
});

describe('opro strategy', () => {
  test('N samples of one meta-prompt: earlier prompts ascending by train score, three train exemplars, a temperature', () => {
    const strategy = new OproStrategy();
    const { context } = stubContext(trainCases(['a1']), {}, { candidates: 3 });
    const record = (id: string, prompt: string, score: number, status: CandidateRecord['status'] = 'rejected'): CandidateRecord => ({
      candidate: { id, prompt, hypothesis: '', origin: 'sample', parents: [] },
      status,
      reason: '',
      train: { split: 'train', passed: 0, total: 6, score, categories: {}, passedIds: [] },
      fixed: [],
      broken: [],
    });
    strategy.propose(context);
    strategy.observe([record('i1c1', 'PA', 0.5), record('i1c2', 'PB', 1 / 6), record('i1c3', 'PH', 0.9, 'hurts_validation'), record('i1c4', 'PS', 0.8, 'screened_out')]);
    strategy.observe([record('i2c1', 'PC', 0.5)]);
    const proposals = strategy.propose({ ...context, iteration: 3 });
    expect(proposals).toHaveLength(3);
    const request = proposals[0]!.request;
    for (const p of proposals) expect(p.request).toBe(request); // the same meta-prompt, sampled three times
    expect(proposals.map((p) => p.origin)).toEqual(['sample', 'sample', 'sample']);
    if (request.kind !== 'opro') throw new Error('expected an opro request');
    // Ascending; equal scores keep their age (PA before the newer PC); left out: a prompt that hurt validation, one never fully scored.
    expect(request.history.map((h) => [h.prompt, h.score])).toEqual([
      ['P0', 1 / 6],
      ['PB', 1 / 6],
      ['PA', 0.5],
      ['PC', 0.5],
    ]);
    expect(request.temperature).toBe(1);
    expect(request.exemplars).toHaveLength(3);
    for (const e of request.exemplars) expect(e).toMatch(/^- case (a|b|c)[12]\n {2}input: .*\n {2}expected: "x"$/);
    expect(strategy.propose({ ...context, iteration: 3, temperature: 0.3 })[0]!.request).toMatchObject({ temperature: 0.3 });
    // --no-feedback: no exemplars
    expect(strategy.propose({ ...context, iteration: 3, showable: () => undefined })[0]!.request).toMatchObject({ exemplars: [] });
    const copy = new OproStrategy();
    copy.restore(JSON.parse(JSON.stringify(strategy.snapshot())));
    expect(copy.ascending()).toEqual(strategy.ascending());
  });

  test('the history keeps the best twenty', () => {
    const strategy = new OproStrategy();
    const records: CandidateRecord[] = Array.from({ length: 30 }, (_, i) => ({
      candidate: { id: `c${i}`, prompt: `P${i}`, hypothesis: '', origin: 'sample', parents: [] },
      status: 'rejected',
      reason: '',
      train: { split: 'train', passed: 0, total: 30, score: i / 30, categories: {}, passedIds: [] },
      fixed: [],
      broken: [],
    }));
    strategy.observe(records);
    expect(strategy.ascending().map((h) => h.prompt)).toEqual(Array.from({ length: 20 }, (_, i) => `P${i + 10}`));
  });
});
