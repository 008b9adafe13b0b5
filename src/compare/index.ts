/** The compare stage: prompt versions × models on the same cases, side by side, with paired tests. */
export type * from './types.js';
export { resolveVersions, parseVersionRef, versionLabel } from './resolve-versions.js';
export { resolveModels, parseModelRef, modelConfigFor, modelLabel } from './resolve-models.js';
export { planPairs, pairId } from './plan-pairs.js';
export { runPairs, type RunPairsOptions } from './run-pairs.js';
export { buildComparison, CONFIDENCE } from './build-comparison.js';
export { comparePair, decideVerdict, verdictText } from './compare-pair.js';
export { summarizePair } from './summarize-pair.js';
export { renderCompareText } from './render-text.js';
export { compareJson, type CompareJsonExtras } from './render-json.js';
export { renderCompareHtml } from './render-html.js';
export { compareDegradationEvent } from './degradation-event.js';
export { claimCompareDir, compareFilePaths, writeCompareFiles, COMPARE_FILES } from './write-compare-files.js';
