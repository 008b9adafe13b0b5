/**
 * `optimize --dry-run`: what the configured run is expected to cost, with a range, from the task's own
 * numbers and no call made. The calls come from the loop's structure (optimizer/project-loop.ts: low,
 * expected and high runs); their sizes from the task: target requests rendered for every case
 * (workflows/case-calls.ts), the meta-prompt built from made-up train results
 * (optimizer/estimate-meta-prompt.ts), one judge call per llm-rubric assertion and sample. The
 * starting prompt's calls already in the cache are not counted.
 *
 * Sizes that change over a run: candidate prompts grow (×1.5 expected, ×2 high: the added tokens
 * go into every target request and the meta-prompt); optimizer replies hold the new prompt and a
 * hypothesis (REPLY_OVERHEAD tokens), up to the optimizer's max_tokens; the meta-prompt carries the
 * memory of earlier iterations (MEMORY_TOKENS expected, twice that high), up to its token budget.
 * Target answers are as long as the expected ones (twice that high); judge calls of right answers
 * shared by several cases are served from the cache after the first (low and expected; high counts
 * every one). The range low–high is the span of runs this configuration makes: low stops after its
 * first iteration, high runs every iteration with every candidate on both splits. `worst` is the
 * ceiling, not a forecast: high with every output at its max_tokens, every meta-prompt at its
 * budget and every optimizer reply asked for twice. A budget caps the run: the budget gate refuses
 * any call that could take spend past it.
 */
import type { ChatModel, ModelPrice } from '../providers/types.js';
import { costOf } from '../providers/prices.js';
import { estimateTokens } from '../feedback/case-text.js';
import type { LoopSettings } from '../optimizer/loop-context.js';
import { estimateMetaPromptTokens, type MetaPromptTokens } from '../optimizer/estimate-meta-prompt.js';
import { projectLoop, SCENARIOS, type LoopRun, type ScenarioName, type SplitSizes } from '../optimizer/project-loop.js';
import type { ModelCaller } from '../runner/model-caller.js';
import { requestShape } from '../runner/render-request.js';
import type { OptimizerStrategyName, Spec, SplitCase, SplitName } from '../spec/types.js';
import { caseCalls, sharedAnswers, sharedJudgeCalls, sumCalls, JUDGE_MAX_TOKENS, MIN_VERDICT_TOKENS, VERDICT_TOKENS, type CallTokens, type CaseCalls } from './case-calls.js';

export const REPLY_OVERHEAD = 50;
export const MEMORY_TOKENS = 300;
const GROWTH: Record<ScenarioName, number> = { low: 1, expected: 1.5, high: 2, worst: 2 };
const OUTPUTS = { low: 'expected', expected: 'expected', high: 'double', worst: 'cap' } as const;
const VERDICT: Record<ScenarioName, number> = { low: MIN_VERDICT_TOKENS, expected: VERDICT_TOKENS, high: VERDICT_TOKENS, worst: JUDGE_MAX_TOKENS };
const MEMORY: Record<ScenarioName, number> = { low: 0, expected: MEMORY_TOKENS, high: 2 * MEMORY_TOKENS, worst: 0 };

export type ProjectedRole = 'optimizer' | 'target' | 'judge';

export interface RoleProjection extends CallTokens {
  /** Null when the model has no known price. */
  costUsd: number | null;
}

export interface ScenarioProjection {
  run: LoopRun;
  roles: Record<ProjectedRole, RoleProjection>;
  /** The calls of the roles with a known price. */
  costUsd: number;
  /** Of which the starting prompt's baseline on train and validation. */
  baselineUsd: number;
}

export interface OptimizeProjection {
  strategy: OptimizerStrategyName;
  settings: Pick<LoopSettings, 'candidates' | 'maxIterations' | 'validationIterations' | 'patience' | 'repeat' | 'metaPromptTokens' | 'optimizerMaxTokens'>;
  splits: SplitSizes;
  scenarios: Record<ScenarioName, ScenarioProjection>;
  /** The starting prompt's baseline calls found in the cache (not counted). */
  cached: { target: number; judge: number };
  /** The sizes used, in tokens (averages per call). */
  sizes: {
    targetInput: number;
    answer: number;
    targetMaxTokens: number;
    promptTokens: number;
    metaPrompt: MetaPromptTokens;
    reply: Record<ScenarioName, number>;
    judgeInput: number;
    verdict: number;
    judgeMaxTokens: number;
  };
  models: { role: ProjectedRole; model: string; price?: ModelPrice; simulated?: true }[];
  /** Roles whose calls are projected but have no price: their cost is left out. */
  unknownPrices: ProjectedRole[];
}

export interface ProjectInput {
  spec: Spec;
  cases: SplitCase[];
  settings: LoopSettings & { strategy: OptimizerStrategyName };
  target: ChatModel;
  optimizer: ChatModel;
  judge?: ChatModel;
  caller: ModelCaller;
}

export async function projectOptimize(input: ProjectInput): Promise<OptimizeProjection> {
  const { spec, settings } = input;
  const repeat = settings.repeat;
  const bySplit = (split: SplitName) => input.cases.filter((c) => c.split === split);
  const splits: SplitSizes = { train: bySplit('train').length, validation: bySplit('validation').length, test: bySplit('test').length };
  const shape = requestShape(spec);
  const shared = sharedAnswers(input.cases);
  const measure = (split: SplitName, withCache: boolean) =>
    caseCalls({
      cases: bySplit(split),
      prompt: spec.prompt.text,
      shape,
      defaultAssert: spec.defaultAssert,
      repeat,
      sharedAnswers: shared,
      ...(withCache ? { cache: { caller: input.caller, target: input.target, ...(input.judge ? { judge: input.judge } : {}) } } : {}),
    });
  // Only the starting prompt's calls can be in the cache: its baseline on train and validation.
  const calls = { train: await measure('train', true), validation: await measure('validation', true), test: await measure('test', false) };
  const promptTokens = estimateTokens(spec.prompt.text);
  const metaPrompt = estimateMetaPromptTokens(spec, bySplit('train'), settings);
  const replyOf = (name: ScenarioName) =>
    name === 'worst' ? settings.optimizerMaxTokens : Math.min(settings.optimizerMaxTokens, Math.ceil(promptTokens * GROWTH[name]) + REPLY_OVERHEAD);
  const reply = { low: replyOf('low'), expected: replyOf('expected'), high: replyOf('high'), worst: replyOf('worst') };
  const runs = projectLoop(settings.strategy, settings, splits);
  const prices = { target: input.target.price, optimizer: input.optimizer.price, judge: input.judge?.price };

  const scenario = (name: ScenarioName): ScenarioProjection => {
    const run = runs[name];
    const outputs = OUTPUTS[name];
    const extraInput = Math.round(promptTokens * (GROWTH[name] - 1));
    const perRunSharedJudge = name === 'low' || name === 'expected';
    const sum = (of: CaseCalls[], extra: number, uncachedOnly = false) =>
      sumCalls(of, { repeat, outputs, targetMaxTokens: spec.target.maxTokens, extraInput: extra, uncachedOnly, perRunSharedJudge, verdictTokens: VERDICT[name] });
    const parts = [
      times(sum(calls.train, 0, true), run.baselineEvaluations.train),
      times(sum(calls.validation, 0, true), run.baselineEvaluations.validation),
      times(sum(calls.train, extraInput), run.candidateEvaluations.train),
      times(sum(calls.validation, extraInput), run.candidateEvaluations.validation),
      times(perCase(sum(calls.train, extraInput), splits.train * repeat), run.screenedCases * repeat),
      times(sum(calls.test, extraInput), run.testEvaluations),
    ];
    const target = add(parts.map((p) => p.target));
    const judge = add([...parts.map((p) => p.judge), ...(perRunSharedJudge ? [sharedJudgeCalls(all, name === 'expected', VERDICT[name])] : [])]);
    const metaInput = name === 'worst' ? metaPrompt.worst : Math.min(metaPrompt.worst, metaPrompt[name] + extraInput + MEMORY[name]);
    const optimizer: CallTokens = { calls: run.optimizerCalls, input: run.optimizerCalls * metaInput, output: run.optimizerCalls * reply[name] };
    const roles = { optimizer: priced(optimizer, prices.optimizer), target: priced(target, prices.target), judge: priced(judge, prices.judge) };
    const costUsd = Object.values(roles).reduce((n, r) => n + (r.costUsd ?? 0), 0);
    // The starting prompt's evaluations alone: what a run the budget stops at its first optimizer call spends.
    const baseline = parts.slice(0, 2);
    const baselineUsd = [costOf(prices.target, ...tokens(add(baseline.map((p) => p.target)))), costOf(prices.judge, ...tokens(add(baseline.map((p) => p.judge))))].reduce<number>((n, c) => n + (c ?? 0), 0);
    return { run, roles, costUsd, baselineUsd };
  };

  const all = [...calls.train, ...calls.validation, ...calls.test];
  const scenarios = Object.fromEntries(SCENARIOS.map((name) => [name, scenario(name)])) as Record<ScenarioName, ScenarioProjection>;
  const judged = all.flatMap((c) => c.judgeInputs);
  const models: OptimizeProjection['models'] = [
    { role: 'target', model: `${input.target.provider}:${input.target.modelId}`, ...(prices.target ? { price: prices.target } : {}), ...(input.target.simulated ? { simulated: true as const } : {}) },
    { role: 'optimizer', model: `${input.optimizer.provider}:${input.optimizer.modelId}`, ...(prices.optimizer ? { price: prices.optimizer } : {}), ...(input.optimizer.simulated ? { simulated: true as const } : {}) },
    ...(input.judge
      ? [{ role: 'judge' as const, model: `${input.judge.provider}:${input.judge.modelId}`, ...(prices.judge ? { price: prices.judge } : {}), ...(input.judge.simulated ? { simulated: true as const } : {}) }]
      : []),
  ];
  return {
    strategy: settings.strategy,
    settings: {
      candidates: settings.candidates,
      maxIterations: settings.maxIterations,
      validationIterations: splits.validation > 0 ? settings.validationIterations : 0,
      patience: settings.patience,
      repeat,
      metaPromptTokens: settings.metaPromptTokens,
      optimizerMaxTokens: settings.optimizerMaxTokens,
    },
    splits,
    scenarios,
    cached: {
      target: [...calls.train, ...calls.validation].reduce((n, c) => n + c.cachedSamples, 0),
      judge: [...calls.train, ...calls.validation].reduce((n, c) => n + c.cachedJudgeCalls, 0),
    },
    sizes: {
      targetInput: average(all.map((c) => c.targetInput)),
      answer: average(all.map((c) => c.answer)),
      targetMaxTokens: spec.target.maxTokens,
      promptTokens,
      metaPrompt,
      reply,
      judgeInput: judged.length ? average(judged) + average(all.filter((c) => c.judgeInputs.length).map((c) => c.answer)) : 0,
      verdict: VERDICT_TOKENS,
      judgeMaxTokens: JUDGE_MAX_TOKENS,
    },
    models,
    unknownPrices: models.filter((m) => !m.price && scenarios.worst.roles[m.role].calls > 0).map((m) => m.role),
  };
}

type Calls = { target: CallTokens; judge: CallTokens };

const tokens = (c: CallTokens): [number, number] => [c.input, c.output];

export interface CostRange {
  min: number;
  expected: number;
  max: number;
  worst: number;
  /** True when the gate may stop a run before the low run's end, so `min` is the baseline's cost. */
  budgetMayStop: boolean;
}

/**
 * The cost range a run can land in, with a budget: no figure above it (the budget gate refuses any
 * call that could take spend past it). The gate reserves every call at its caps (max_tokens), so when
 * the low run, its calls priced at their caps, does not fit in the budget, the gate may stop a run
 * before that run's end: the low end is then the baseline's cost (a stop at the first optimizer call).
 */
export function costRange(p: OptimizeProjection, budget?: number): CostRange {
  const { low, expected, high, worst } = p.scenarios;
  const cap = (usd: number) => (budget !== undefined ? Math.min(usd, budget) : usd);
  const budgetMayStop = budget !== undefined && budget < reservedFor(low, worst);
  return {
    min: cap(budgetMayStop ? Math.min(low.costUsd, low.baselineUsd) : low.costUsd),
    expected: cap(expected.costUsd),
    max: cap(high.costUsd),
    worst: cap(worst.costUsd),
    budgetMayStop,
  };
}

/** What the calls of `run` cost at the per-call cost of `caps` (each role's calls at their max_tokens). */
function reservedFor(run: ScenarioProjection, caps: ScenarioProjection): number {
  const roles: ProjectedRole[] = ['optimizer', 'target', 'judge'];
  return roles.reduce((n, role) => {
    const per = caps.roles[role].calls > 0 ? (caps.roles[role].costUsd ?? 0) / caps.roles[role].calls : 0;
    return n + run.roles[role].calls * per;
  }, 0);
}

function times(calls: Calls, k: number): Calls {
  const scale = (c: CallTokens) => ({ calls: c.calls * k, input: c.input * k, output: c.output * k });
  return { target: scale(calls.target), judge: scale(calls.judge) };
}

/** One call's share of an evaluation of `n` calls (for screening, counted per case). */
function perCase(calls: Calls, n: number): Calls {
  return n > 0 ? times(calls, 1 / n) : times(calls, 0);
}

function add(list: CallTokens[]): CallTokens {
  return list.reduce((a, b) => ({ calls: a.calls + b.calls, input: a.input + b.input, output: a.output + b.output }), { calls: 0, input: 0, output: 0 });
}

function priced(calls: CallTokens, price: ModelPrice | undefined): RoleProjection {
  const rounded = { calls: Math.round(calls.calls), input: Math.round(calls.input), output: Math.round(calls.output) };
  return { ...rounded, costUsd: calls.calls === 0 ? 0 : costOf(price, calls.input, calls.output) };
}

function average(values: number[]): number {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0;
}
