/**
 * The library API: the same stages the CLI wires together, for programs that embed promptopt.
 *
 *   const spec = await loadSpec('task.yaml');
 *   const { cases } = await resolveSplits(spec, { record: false });   // or splitCases(spec.cases, spec.splits), ignoring the splits file
 *   const target = createModel(spec.target, { role: 'target' });
 *   const result = await runEval({ cases, prompt: spec.prompt.text, shape: requestShape(spec), defaultAssert: spec.defaultAssert,
 *     baseDir: spec.dir, target, caller: new ModelCaller({ cache: new ResponseCache(spec.cache.dir) }),
 *     concurrency: spec.concurrency, repeat: spec.repeat });
 *
 *   const outcome = await optimizeTask('task.yaml', { maxIterations: 4 }, { onEvent: (e) => console.log(e.type) });
 *   // outcome.state.current (the final version), outcome.results.test (its held-out case results), outcome.reportPaths
 */
export * from './errors.js';
export { loadSpec } from './session/load-spec.js';
export { renderTemplate, templateVariables } from './template/template.js';
export { splitCases, planSplits, stratumOf, type SplitAssignment, type SplitPlan } from './dataset/split-cases.js';
export { resolveSplits, type ResolvedSplits, type ResolveSplitsOptions } from './dataset/resolve-splits.js';
export { splitsFilePath } from './dataset/splits-file.js';
export { selectSplit, assertSplitsNonEmpty } from './dataset/select-split.js';
export { createModel, describeModel } from './session/create-model.js';
export { lookupPrice, PRICES_AS_OF } from './providers/prices.js';
export { runAssertions } from './assertions/run-assertions.js';
export { ASSERTION_TYPES } from './assertions/names.js';
export { runEval, IncompleteEvalError, type RunEvalOptions } from './runner/run-eval.js';
export { renderRequest, requestShape, type RequestShape } from './runner/render-request.js';
export { ModelCaller, BudgetExhaustedError } from './runner/model-caller.js';
export { ResponseCache } from './runner/response-cache.js';
export { summarizeResults } from './runner/summarize.js';
export { objectiveValue, OBJECTIVE_LABELS } from './runner/objective.js';
export { gradeSample } from './assertions/summarize.js';
export { pairedSignificance, type PairedSignificance } from './optimizer/paired-test.js';
export { analyzeFailures } from './feedback/analyze-failures.js';
export { formatTrainFeedback, formatDescriptiveFeedback } from './feedback/format-feedback.js';
export { mcnemarExact, pairedBootstrap, wilsonInterval, twoProportionTest, nearestRankPercentile } from './stats/index.js';
// Optimize a task end to end (session, run folder, engine, versions, reports): what `promptopt optimize` runs.
export {
  optimizeTask,
  openOptimizeTask,
  type OptimizeTask,
  type OptimizeTaskOptions,
  type OptimizeTaskHooks,
  type OptimizeTaskEvent,
  type OptimizeOutcome,
} from './workflows/optimize-task.js';
export { openTaskSession, openSpecSession, type TaskSession, type SpecSession } from './session/task-session.js';
export { runOptimization, type FinalResults, type OptimizationOutcome } from './optimizer/engine.js';
// Production data: import logged interactions as cases, redact personal data, stats per version.
export { importTask, type ImportOptions, type ImportResult } from './production/import-task.js';
export { statsTask, type StatsOptions, type StatsResult } from './production/stats-task.js';
export { parseFieldMap, RECORD_FIELDS, type FieldMap } from './production/field-map.js';
export type { ProductionRecord, ProductionRecordJson } from './production/record.js';
export type { RedactConfig } from './redact/types.js';
export type * from './spec/types.js';
export type * from './providers/types.js';
export type * from './assertions/types.js';
export type * from './runner/types.js';
export type * from './optimizer/types.js';
