/** What every evaluation of a spec's prompts shares: how requests are laid out and how answers are checked. */
import type { Spec } from '../spec/types.js';
import { requestShape } from './render-request.js';
import type { RunEvalOptions } from './run-eval.js';

export type SpecChecks = Pick<RunEvalOptions, 'shape' | 'defaultAssert' | 'defaultThreshold' | 'baseDir'>;

export function specChecks(spec: Spec): SpecChecks {
  return {
    shape: requestShape(spec),
    defaultAssert: spec.defaultAssert,
    ...(spec.defaultThreshold !== undefined ? { defaultThreshold: spec.defaultThreshold } : {}),
    baseDir: spec.dir,
  };
}
