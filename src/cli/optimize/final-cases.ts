/**
 * The final prompt's case results for the reports, collected at the end of a run without spending
 * anything: train and validation are replayed from the response cache (every case the run scored
 * with that prompt is a hit) through models that answer only from the cache, and the held-out test
 * result is the one the engine just computed, remembered on its way through `evaluate`. A case the
 * cache lacks is left out of the report (one warning with the count); it never stops the replay.
 */
import { createLoopContext, type LoopContext } from '../../optimizer/loop-context.js';
import { readCaseRecords, toCaseRecord, writeCaseRecords } from '../../report/index.js';
import type { CaseRecord } from '../../report/types.js';
import { ProviderError } from '../../errors.js';
import type { ChatModel } from '../../providers/types.js';
import { ModelCaller } from '../../runner/model-caller.js';
import type { ResponseCache } from '../../runner/response-cache.js';
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

/**
 * Case records of the current prompt: train and validation from the cache, then the test result (also
 * from the cache when this process did not score it: a run finished after a kill during its reports).
 */
export async function finalCaseRecords(input: FinalCasesInput): Promise<CaseRecord[]> {
  const { context, cache } = input;
  const prompt = context.state.current.prompt;
  const testInMemory = input.test !== undefined && input.test.prompt === prompt;
  const records: CaseRecord[] = [];
  if (cache) {
    const replay = createLoopContext({
      ...context,
      target: cacheOnly(context.target),
      ...(context.judge ? { judge: cacheOnly(context.judge) } : {}),
      caller: new ModelCaller({ cache }),
    });
    const splits = testInMemory || !context.state.test ? (['train', 'validation'] as const) : (['train', 'validation', 'test'] as const);
    for (const split of splits) {
      let cases;
      try {
        cases = (await replay.evaluate(prompt, split, { phase: 'report' })).cases;
      } catch (error) {
        input.warn(`warning: the ${split} case results for the report could not be collected: ${(error as Error).message}`);
        continue;
      }
      // Every provider error here is a cache miss (nothing else is called).
      const found = cases.filter((c) => !c.providerError);
      records.push(...found.map(toCaseRecord));
      const missing = cases.length - found.length;
      if (missing > 0) input.warn(`warning: the report lists ${found.length} of ${cases.length} ${split} case(s); ${missing} were not in the response cache`);
    }
  }
  if (testInMemory) records.push(...input.test!.result.cases.map(toCaseRecord));
  return records;
}

/** The model as the cache knows it (same identity, so the same cache keys), answering nothing itself. */
function cacheOnly(model: ChatModel): ChatModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    simulated: model.simulated,
    ...(model.baseUrl !== undefined ? { baseUrl: model.baseUrl } : {}),
    complete: () => Promise.reject(new ProviderError(model.provider, 'bad_request', 'not in the response cache')),
  };
}
