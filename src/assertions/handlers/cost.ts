/** `cost`: the call cost at most `threshold` (or `value`) USD. Unknown cost is an error, never a pass. */
import { assertionError, failed, numericLimit, passed } from '../outcome.js';
import type { AssertionHandler } from '../types.js';
import { formatUsd } from '../../util/format-usd.js';


export const cost: AssertionHandler = ({ value, threshold }, { costUsd }) => {
  const max = numericLimit(threshold, value);
  if (max === undefined) return assertionError('cost needs a maximum in USD as its threshold (or value)');
  if (costUsd === null) return assertionError('cost unknown for this model; set a price in the spec to check cost');
  const shown = { expected: `<= ${formatUsd(max)}`, actual: formatUsd(costUsd) };
  if (costUsd <= max) return passed(`cost ${formatUsd(costUsd)} is within ${formatUsd(max)}`, shown);
  return failed('cost_exceeded', `cost ${formatUsd(costUsd)} exceeds the maximum ${formatUsd(max)}`, shown);
};
