/** The providers stage: the model contract, the factory, middleware, and the key ledger. */
export * from './types.js';
export { createModel, describeModel, type CreateModelOptions, type ModelRole } from './create-model.js';
export { KeyLedger, fingerprintKey, type KeyTally, type KeyLedgerRow } from './key-ledger.js';
export { mapProviderError, parseRetryAfter, classifyHttpFailure } from './map-provider-error.js';
export { withRetry, type RetryOptions, type RetryInfo } from './middleware/with-retry.js';
export { withKeyRotation } from './middleware/with-key-rotation.js';
export {
  withRateLimit,
  AdaptiveLimiter,
  RateLimiterRegistry,
  defaultRateLimiters,
} from './middleware/with-rate-limit.js';
export { withCost } from './middleware/with-cost.js';
export { lookupPrice, costOf, PRICES_AS_OF } from './prices.js';
export { registerSimMode, SIM_MARKERS, type SimModeHandler, type SimContext } from '../sim/index.js';
