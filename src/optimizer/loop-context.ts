/**
 * What the phases of an optimization share: the evaluation function (one limiter for every
 * candidate scored at once, so N candidates run in parallel within the concurrency), the models,
 * settings, the mutable run state and the hooks that write versions and checkpoints.
 */
import pLimit from 'p-limit';
import { selectSplit } from '../dataset/select-split.js';
import { analyzeFailures } from '../feedback/analyze-failures.js';
import { formatTrainFeedback, scoreLine } from '../feedback/format-feedback.js';
import { withVarsOnly } from '../feedback/visible-vars.js';
import { WITHHELD_NOTE } from '../feedback/vocabulary/markers.js';
import type { ChatModel } from '../providers/types.js';
import type { CallMeta, ModelCaller } from '../runner/model-caller.js';
import { runEval } from '../runner/run-eval.js';
import { caseTally, summarizeResults } from '../runner/summarize.js';
import { specChecks } from '../runner/spec-checks.js';
import type { CaseResult, EvalResult } from '../runner/types.js';
import type { OptimizerConfig, Spec, SplitCase, SplitName } from '../spec/types.js';
import { HeldResults } from './held-results.js';
import type { TaskContext } from './meta-prompt.js';
import { feedbackBudgetChars } from './meta-prompt.js';
import { shownVarNames } from './shown-vars.js';
import type { Strategy } from './strategies/types.js';
import type { OptimizerEvent, Phase, RunState, SplitScore } from './types.js';

/** The loop's settings: the spec's `optimizer:` section as flags override it, plus run-wide values. */
export interface LoopSettings
  extends Pick<
    OptimizerConfig,
    | 'maxIterations'
    | 'candidates'
    | 'patience'
    | 'validationIterations'
    | 'strictBelow'
    | 'accept'
    | 'seed'
    | 'metaPromptTokens'
    | 'showValidationCases'
    | 'minibatch'
    | 'merge'
  > {
  /** Significance level for `accept: significant`. */
  alpha: number;
  concurrency: number;
  repeat: number;
  optimizerMaxTokens: number;
  /** Ablation: false hides failure details from the optimizer (it sees only pass counts). */
  feedback: boolean;
  /** The spec's `optimizer.temperature`, for requests that sample at a temperature of their own (opro). */
  optimizerTemperature?: number;
}

export interface LoopHooks {
  emit(event: OptimizerEvent): void;
  checkpoint(state: RunState): Promise<void>;
  /** Writes an accepted prompt as the next version; returns its number. */
  writeVersion(input: { prompt: string; parent: number; hypothesis: string; train: SplitScore; validation?: SplitScore }): Promise<number>;
  recordTestScore(version: number, test: SplitScore): Promise<void>;
}

export interface LoopContext {
  spec: Spec;
  cases: SplitCase[];
  task: TaskContext;
  target: ChatModel;
  judge?: ChatModel;
  optimizer: ChatModel;
  caller: ModelCaller;
  strategy: Strategy;
  settings: LoopSettings;
  hooks: LoopHooks;
  signal?: AbortSignal;
  state: RunState;
  /** How many completed evaluations, and case results in all, stay in memory (REMEMBERED by default). */
  memory?: RememberLimits;
  evaluate(prompt: string, split: SplitName, meta?: CallMeta): Promise<EvalResult>;
  /**
   * A prompt's results on some cases of a split (a pareto minibatch): cut from its whole-split results
   * when they are at hand, else evaluated, and kept, so that a later evaluation of the whole split by
   * the same prompt calls the model only for the other cases.
   */
  evaluateCases(prompt: string, split: SplitName, caseIds: readonly string[], meta?: CallMeta): Promise<EvalResult>;
  /** The results the engine holds on to (the current prompt's, the provisional final version's). */
  held: HeldResults;
  /** A prompt's results on a split: held ones first, else evaluated (and held when that prompt is). */
  resultsOf(prompt: string, split: SplitName, meta?: CallMeta): Promise<EvalResult>;
  /** True when the split has cases. */
  hasSplit(split: SplitName): boolean;
  /** Train feedback text for a scored prompt, remembered by candidate id (evolutionary parents). */
  feedbackById: Map<string, string>;
  trainFeedback(result: EvalResult): string;
  /**
   * Case results as optimizer requests may show them: only the variables the templates use (plus
   * `show_vars`, minus `hide_vars`). Everything that feeds an optimizer request goes through this.
   */
  forOptimizer(cases: readonly CaseResult[]): CaseResult[];
}

/** Starts `phase` unless the run is already in it (a resumed run): counters reset, the start announced. */
export function enterPhase({ state, hooks }: LoopContext, phase: Phase): void {
  if (state.phase === phase) return;
  state.phase = phase;
  state.iteration = 0;
  state.stale = 0;
  hooks.emit({ type: 'phase_started', phase });
}

/**
 * Completed evaluations kept in memory, least recently used dropped first, and never the current
 * prompt's: at most 32, and at most 20k case results in all (about 0.7 KB each), so a task with 5k
 * train cases keeps the current prompt and the last candidates (what the next iteration may ask for
 * again). A dropped evaluation asked for again is scored again (from the response cache, if any).
 */
export interface RememberLimits {
  evaluations: number;
  caseResults: number;
}
const REMEMBERED: RememberLimits = { evaluations: 32, caseResults: 20_000 };
/** Prompts whose minibatch results are kept for their whole-split evaluation (a few per iteration). */
const MAX_PARTIAL_PROMPTS = 64;

/** The results of `cases` (those among `results`), in the order of `cases`, with their summaries. */
function inSplitOrder(cases: readonly SplitCase[], results: readonly CaseResult[], wallTimeMs: number): EvalResult {
  const byId = new Map(results.map((r) => [r.caseId, r]));
  const ordered = cases.map((c) => byId.get(c.id)).filter((r): r is CaseResult => r !== undefined);
  return { cases: ordered, summaries: summarizeResults(ordered.map(caseTally)), wallTimeMs };
}

export function createLoopContext(
  input: Omit<LoopContext, 'evaluate' | 'evaluateCases' | 'feedbackById' | 'trainFeedback' | 'forOptimizer' | 'held' | 'resultsOf' | 'hasSplit'>,
): LoopContext {
  const limit = pLimit(Math.max(1, input.settings.concurrency));
  const { spec, settings } = input;
  const checks = specChecks(spec);
  const scored = new Map<string, { prompt: string; result: EvalResult }>();
  const memory = input.memory ?? REMEMBERED;
  let rememberedCases = 0;
  const remember = (key: string, prompt: string, result: EvalResult) => {
    scored.set(key, { prompt, result });
    rememberedCases += result.cases.length;
    for (const [oldKey, old] of scored) {
      if (scored.size <= memory.evaluations && rememberedCases <= memory.caseResults) break;
      if (oldKey === key || old.prompt === context.state.current.prompt) continue;
      scored.delete(oldKey);
      rememberedCases -= old.result.cases.length;
    }
  };
  // Evaluations under way, so a candidate whose scoring started early (run-iteration.ts) is not scored twice.
  const running = new Map<string, Promise<EvalResult>>();
  // Results of prompts on some cases only (minibatches), by split and prompt; the oldest go first.
  const partials = new Map<string, Map<string, CaseResult>>();
  const runCases = (cases: SplitCase[], prompt: string, meta: CallMeta | undefined, split: SplitName) =>
    runEval({
      cases,
      prompt,
      ...checks,
      target: input.target,
      judge: input.judge,
      caller: input.caller,
      concurrency: settings.concurrency,
      limit,
      repeat: settings.repeat,
      signal: input.signal,
      meta: { ...meta, phase: meta?.phase ?? split },
    });
  const shownVars = shownVarNames(spec);
  const splits = new Set(input.cases.map((c) => c.split));
  const context: LoopContext = {
    ...input,
    feedbackById: new Map(),
    held: new HeldResults(),
    hasSplit: (split) => splits.has(split),
    async resultsOf(prompt, split, meta) {
      const held = context.held.get(prompt, split);
      if (held) return held;
      const result = await context.evaluate(prompt, split, meta);
      if (!result.cases.some((c) => c.providerError)) context.held.offer(prompt, split, result);
      return result;
    },
    forOptimizer: (cases) => withVarsOnly(cases, shownVars),
    async evaluate(prompt, split, meta) {
      // The same prompt on the same split is scored once per process: the current prompt is looked at
      // every iteration, and re-scoring it would cost calls under --no-cache and, at temperature > 0,
      // give the optimizer different samples than the ones acceptance compared.
      const key = `${split}\u0000${prompt}`;
      const known = scored.get(key);
      if (known) {
        scored.delete(key); // most recently used: last to be dropped
        scored.set(key, known);
        return known.result;
      }
      const pending = running.get(key);
      if (pending) return pending;
      const evaluation = (async () => {
        // Cases a minibatch already scored are not asked again.
        const partial = partials.get(key);
        const all = selectSplit(input.cases, split);
        const fresh = await runCases(partial ? all.filter((c) => !partial.has(c.id)) : all, prompt, meta, split);
        return partial ? inSplitOrder(all, [...partial.values(), ...fresh.cases], fresh.wallTimeMs) : fresh;
      })();
      running.set(key, evaluation);
      let result: EvalResult;
      try {
        result = await evaluation;
      } finally {
        running.delete(key);
      }
      partials.delete(key);
      // A result with provider errors is no score: the next look at this prompt asks again.
      if (result.cases.some((c) => c.providerError)) return result;
      remember(key, prompt, result);
      return result;
    },
    async evaluateCases(prompt, split, caseIds, meta) {
      const wanted = new Set(caseIds);
      const cases = selectSplit(input.cases, split).filter((c) => wanted.has(c.id));
      const key = `${split}\u0000${prompt}`;
      const whole = context.held.get(prompt, split) ?? scored.get(key)?.result;
      if (whole) return inSplitOrder(cases, whole.cases, 0);
      const known = partials.get(key) ?? new Map<string, CaseResult>();
      const fresh = await runCases(cases.filter((c) => !known.has(c.id)), prompt, meta, split);
      for (const c of fresh.cases) if (!c.providerError) known.set(c.caseId, c);
      partials.delete(key);
      partials.set(key, known);
      if (partials.size > MAX_PARTIAL_PROMPTS) partials.delete(partials.keys().next().value!);
      return inSplitOrder(cases, [...known.values(), ...fresh.cases.filter((c) => c.providerError)], fresh.wallTimeMs);
    },
    trainFeedback(result) {
      const cases = context.forOptimizer(result.cases);
      const analysis = analyzeFailures(cases);
      if (!settings.feedback) {
        return `${scoreLine('Training results', analysis, spec.objective)}. ${WITHHELD_NOTE}`;
      }
      const budgetChars = feedbackBudgetChars(settings.metaPromptTokens, context.state.current.prompt.length);
      return formatTrainFeedback(analysis, cases, { budgetChars, seed: settings.seed, objective: spec.objective });
    },
  };
  return context;
}
