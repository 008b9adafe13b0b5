/** The providers stage: the model contract, middleware, and the key ledger (models are built in session/create-model.ts, which knows the simulator). */
export * from './types.js';
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
