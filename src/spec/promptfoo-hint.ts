/**
 * Telling a promptfoo config from a spec: top-level `prompts`, `providers` (or `targets`) or `tests`,
 * and neither `prompt:` nor `target:`. The spec loader refuses one with what to run instead.
 */
import { SpecError } from '../errors.js';
import { displayPath } from './issues.js';

const PROMPTFOO_KEYS = ['prompts', 'providers', 'targets', 'tests'];

export function looksLikePromptfooConfig(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const keys = Object.keys(raw);
  return keys.some((key) => PROMPTFOO_KEYS.includes(key)) && !keys.includes('prompt') && !keys.includes('target');
}

/** A promptfoo config given where a spec was expected: `eval` catches it and reads the config instead. */
export class PromptfooConfigError extends SpecError {}

export function promptfooConfigError(file: string): PromptfooConfigError {
  const shown = displayPath(file);
  return new PromptfooConfigError([{
    file: shown,
    message: 'this is a promptfoo config, not a promptopt spec (it has prompts/providers/tests, no prompt/target)',
    hint: `\`promptopt eval ${shown}\` runs it as it is; \`promptopt import promptfoo ${shown} -o task.yaml\` converts it into a spec that optimize, compare and the version commands take`,
  }]);
}
