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
import type { CurrentPrompt } from '../../src/optimizer/types.js';
import type { OptimizerStrategyName } from '../../src/spec/types.js';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { ModelCaller } from '../../src/runner/model-caller.js';
import { loadSpec } from '../../src/spec/load-spec.js';
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
