/** The feedback stage: eval results -> what the optimizer model reads (and reads back). Pure functions only. */
export { analyzeFailures } from './analyze-failures.js';
export { CATEGORY_SEVERITY, bySeverityDesc, mostSevere } from './severity.js';
export { compactDiff } from './diff-outputs.js';
export { sampleFailures, type FailureSample, type SampledFailure } from './sample-failures.js';
export {
  formatDescriptiveFeedback,
  formatRegressionConstraints,
  formatTrainFeedback,
  type DescriptiveFeedbackOptions,
  type TrainFeedbackOptions,
} from './format-feedback.js';
export { estimateTokens } from './case-text.js';
export { findVerbatimLeaks, type VerbatimCheckOptions } from './verbatim.js';
export { withVarsOnly } from './visible-vars.js';
export { identifyCheck, type CheckFamily, type CheckIdentity } from './check-kind.js';
export { readFeedback, type FeedbackFacts } from './vocabulary/index.js';
export type * from './types.js';
