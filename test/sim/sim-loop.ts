/**
 * A hand-driven optimization loop for the simulator tests: evaluate a prompt on a case set through
 * the sim target, build the optimizer request exactly as the engine does (src/feedback +
 * src/optimizer/meta-prompt.ts), ask the sim optimizer, parse its reply.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitCases } from '../../src/dataset/split-cases.js';
import { analyzeFailures } from '../../src/feedback/analyze-failures.js';
import { WITHHELD_NOTE } from '../../src/feedback/vocabulary/index.js';
import { formatDescriptiveFeedback, formatTrainFeedback } from '../../src/feedback/format-feedback.js';
import { candidateDirections } from '../../src/optimizer/directions.js';
import { emptyMemory } from '../../src/optimizer/memory.js';
import { buildMetaPrompt, feedbackBudgetChars, taskContext, type MetaPromptRequest } from '../../src/optimizer/meta-prompt.js';
import { parseCandidate, type ParsedCandidate } from '../../src/optimizer/parse-candidate.js';
import { createModel } from '../../src/session/create-model.js';
import type { ChatModel } from '../../src/providers/types.js';
import { ModelCaller } from '../../src/runner/model-caller.js';
import { runEval } from '../../src/runner/run-eval.js';
import type { CaseResult } from '../../src/runner/types.js';
import { loadSpec } from '../../src/session/load-spec.js';
import type { Spec, SplitCase, SplitName } from '../../src/spec/types.js';
import { config } from '../providers/helpers.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));
export const BUDGET_TOKENS = 12_000;

export interface Task {
  spec: Spec;
  cases: SplitCase[];
  target: ChatModel;
  optimizer: ChatModel;
}

export async function loadExample(name: string): Promise<Task> {
  const spec = await loadSpec(path.join(EXAMPLES, name, 'task.yaml'), { env: {} });
  return {
    spec,
    cases: splitCases(spec.cases, spec.splits),
    target: createModel(config({ provider: 'sim', model: spec.target.model, maxTokens: spec.target.maxTokens }), { role: 'target', env: {} }),
    optimizer: createModel(config({ provider: 'sim', model: 'sim-optimizer', maxTokens: 8192 }), { role: 'optimizer', env: {} }),
  };
}

export function casesOf(task: Task, split: SplitName, limit = Infinity): SplitCase[] {
  return task.cases.filter((c) => c.split === split).slice(0, limit);
}

export async function evaluate(task: Task, prompt: string, cases: SplitCase[]): Promise<{ results: CaseResult[]; score: number; passed: Set<string> }> {
  const { spec } = task;
  const result = await runEval({
    cases,
    prompt,
    shape: { promptRole: spec.promptRole, system: spec.system, user: spec.user, maxTokens: spec.target.maxTokens },
    defaultAssert: spec.defaultAssert,
    baseDir: spec.dir,
    target: task.target,
    caller: new ModelCaller(),
    concurrency: 64,
    repeat: 1,
  });
  const passed = new Set(result.cases.filter((c) => c.pass).map((c) => c.caseId));
  return { results: result.cases, score: passed.size / Math.max(1, cases.length), passed };
}

export function trainFeedback(prompt: string, results: CaseResult[]): string {
  return formatTrainFeedback(analyzeFailures(results), results, { budgetChars: feedbackBudgetChars(BUDGET_TOKENS, prompt.length), seed: 7 });
}

export function descriptiveFeedback(results: CaseResult[]): string {
  return formatDescriptiveFeedback(analyzeFailures(results), { title: 'Validation patterns' });
}

export const WITHHELD = (results: CaseResult[]) => {
  const passed = results.filter((r) => r.pass).length;
  return `Training results: ${passed}/${results.length} passed (${((100 * passed) / Math.max(1, results.length)).toFixed(1)}%). ${WITHHELD_NOTE}`;
};

export async function ask(task: Task, request: MetaPromptRequest): Promise<{ reply: string; candidate: ParsedCandidate | undefined }> {
  const chat = buildMetaPrompt(taskContext(task.spec), request, BUDGET_TOKENS, 8192);
  const reply = (await task.optimizer.complete(chat)).text;
  return { reply, candidate: parseCandidate(reply) };
}

export function refine(current: string, feedback: string, direction: string, constraints?: string): MetaPromptRequest {
  return { kind: 'refine', current, feedback, memory: emptyMemory(), direction, ...(constraints ? { constraints } : {}) };
}

/**
 * `iterations` rounds of: evaluate the current prompt, ask for `candidates` refinements (the engine's
 * directions), keep the best if it scores higher. Returns the train score after each round.
 */
export async function manualLoop(
  task: Task,
  cases: SplitCase[],
  start: string,
  iterations: number,
  options: { candidates?: number; feedback?: (prompt: string, results: CaseResult[]) => string } = {},
): Promise<{ scores: number[]; prompt: string; candidates: { prompt: string; passed: Set<string> }[] }> {
  const feedbackOf = options.feedback ?? trainFeedback;
  let prompt = start;
  let current = await evaluate(task, prompt, cases);
  const scores = [current.score];
  const candidates: { prompt: string; passed: Set<string> }[] = [];
  for (let iteration = 1; iteration <= iterations; iteration++) {
    const analysis = analyzeFailures(current.results);
    const feedback = feedbackOf(prompt, current.results);
    const directions = candidateDirections(analysis, options.candidates ?? 3, iteration, { descriptive: false });
    let best: { prompt: string; run: typeof current } | undefined;
    for (const direction of directions) {
      const { candidate } = await ask(task, refine(prompt, feedback, direction));
      if (!candidate) throw new Error('the sim optimizer reply did not parse');
      const run = await evaluate(task, candidate.prompt, cases);
      candidates.push({ prompt: candidate.prompt, passed: run.passed });
      if (!best || run.score > best.run.score) best = { prompt: candidate.prompt, run };
    }
    if (best && best.run.score > current.score) {
      prompt = best.prompt;
      current = best.run;
    }
    scores.push(current.score);
  }
  return { scores, prompt, candidates };
}
