/** `latency`: the call took at most `threshold` (or `value`) ms. A cache hit has latency 0. */
import { assertionError, failed, numericLimit, passed } from '../outcome.js';
import type { AssertionHandler } from '../types.js';

export const latency: AssertionHandler = ({ value, threshold }, { latencyMs }) => {
  const max = numericLimit(threshold, value);
  if (max === undefined) return assertionError('latency needs a maximum in ms as its threshold (or value)');
  const shown = { expected: `<= ${max} ms`, actual: `${Math.round(latencyMs)} ms` };
  if (latencyMs <= max) return passed(`latency ${Math.round(latencyMs)} ms is within ${max} ms`, shown);
  return failed('latency_exceeded', `latency ${Math.round(latencyMs)} ms exceeds the maximum ${max} ms`, shown);
};
