/** Small statistics used to compare prompts and models honestly: intervals and paired tests. */
export { wilsonInterval, Z_95, type Interval } from './wilson.js';
export { mcnemarExact, pairOutcomes, type PairedOutcome } from './mcnemar.js';
export { pairedBootstrap, DEFAULT_RESAMPLES, type PairedBootstrapOptions, type PairedBootstrapResult } from './paired-bootstrap.js';
export { twoProportionTest, fisherExact, MIN_EXPECTED_COUNT, type TwoProportionResult } from './two-proportion.js';
export { nearestRankPercentile } from './percentile.js';
export { normalUpperTail } from './normal.js';
export { twoLevelBootstrap, TWO_LEVEL_RESAMPLES, type TwoLevelBootstrapOptions, type TwoLevelBootstrapResult } from './two-level-bootstrap.js';
