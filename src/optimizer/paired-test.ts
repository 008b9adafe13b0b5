/** The optimizer's paired test (`accept: significant`): McNemar's exact test, implemented once in src/stats/. */
export { mcnemarExact, pairOutcomes, type PairedOutcome } from '../stats/mcnemar.js';
