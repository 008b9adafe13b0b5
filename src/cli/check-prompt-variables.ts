import { SpecError } from '../errors.js';
import { rootVariable, templateVariables } from '../spec/template.js';
import type { Spec } from '../spec/types.js';

/** A prompt given with --prompt must use only variables every case provides, like the spec's own. */
export function checkPromptVariables(prompt: string, file: string, spec: Spec): void {
  const issues = [];
  for (const name of templateVariables(prompt)) {
    const root = rootVariable(name);
    const missing = spec.cases.find((c) => !(root in c.vars));
    if (missing) {
      const available = Object.keys(missing.vars).join(', ') || 'none';
      issues.push({
        file,
        message: `template variable "{{${name}}}" is not provided by case "${missing.id}" (it has: ${available})`,
      });
    }
  }
  if (issues.length > 0) throw new SpecError(issues);
}
