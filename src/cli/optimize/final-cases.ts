/**
 * The final prompt's case results for the reports, collected at the end of a run without spending
 * anything: train and validation are replayed from the response cache (every case the run scored
 * with that prompt is a hit) through a caller that may make no real call, and the held-out test
 * result is the one the engine just computed, remembered on its way through `evaluate`.
 */
import { createLoopContext, type LoopContext } from '../../optimizer/loop-context.js';
import { readCaseRecords, toCaseRecord, writeCaseRecords } from '../../report/index.js';
import type { CaseRecord } from '../../report/types.js';
import { ModelCaller } from '../../runner/model-caller.js';
import type { ResponseCache } from '../../runner/response-cache.js';
import { IncompleteEvalError } from '../../runner/run-eval.js';
import type { EvalResult } from '../../runner/types.js';

/** Wraps `context.evaluate` to remember the last test-split result; returns a getter for it. */
export function rememberTestResult(context: LoopContext): () => { prompt: string; result: EvalResult } | undefined {
  const evaluate = context.evaluate.bind(context);
  let last: { prompt: string; result: EvalResult } | undefined;
  context.evaluate = async (prompt, split, meta) => {
    const result = await evaluate(prompt, split, meta);
    if (split === 'test') last = { prompt, result };
    return result;
  };
  return () => last;
}

export interface FinalCasesInput {
  context: LoopContext;
  /** The run's response cache; without one (--no-cache) train and validation are not collected. */
  cache: ResponseCache | undefined;
  test: { prompt: string; result: EvalResult } | undefined;
  warn: (message: string) => void;
  /** Known secret values, redacted from cases.json (see command-secrets.ts). */
  secrets?: readonly string[];
}

/**
 * Collects the final prompt's case results and saves them as `cases.json` (redacted); returns them
 * as read back, so this run's reports and a later `promptopt report` render the same records.
 */
export async function saveFinalCases(runDir: string, input: FinalCasesInput): Promise<CaseRecord[]> {
  const cases = await finalCaseRecords(input);
  const { state } = input.context;
  await writeCaseRecords(runDir, { runId: state.runId, promptVersion: state.current.version, cases }, input.secrets);
  return (await readCaseRecords(runDir)) ?? [];
}

/** Case records of the current prompt: train and validation from the cache, then the test result. */
export async function finalCaseRecords(input: FinalCasesInput): Promise<CaseRecord[]> {
  const { context, cache } = input;
  const prompt = context.state.current.prompt;
  const records: CaseRecord[] = [];
  if (cache) {
    // maxCostUsd 0: a cache miss halts the replay instead of calling a model.
    const replay = createLoopContext({ ...context, caller: new ModelCaller({ cache, maxCostUsd: 0 }) });
    for (const split of ['train', 'validation'] as const) {
      try {
        records.push(...(await replay.evaluate(prompt, split, { phase: 'report' })).cases.map(toCaseRecord));
      } catch (error) {
        if (!(error instanceof IncompleteEvalError)) {
          input.warn(`warning: the ${split} case results for the report could not be collected: ${(error as Error).message}`);
          continue;
        }
        records.push(...error.partial.cases.map(toCaseRecord));
        const missing = context.cases.filter((c) => c.split === split).length - error.partial.cases.length;
        if (missing > 0) input.warn(`warning: the report lists ${error.partial.cases.length} ${split} case(s); ${missing} were not in the response cache`);
      }
    }
  }
  if (input.test && input.test.prompt === prompt) records.push(...input.test.result.cases.map(toCaseRecord));
  return records;
}
