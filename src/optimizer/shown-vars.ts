/**
 * The case variables an optimizer request may show: those the prompt and the fixed system/user
 * templates use (read through templateVariables, the one static extraction), plus the spec's
 * `optimizer.show_vars`, minus its `optimizer.hide_vars`. The expected value is shown apart from these.
 */
import { rootVariable, templateVariables } from '../spec/template.js';
import type { Spec } from '../spec/types.js';

export function shownVarNames(spec: Pick<Spec, 'prompt' | 'system' | 'user' | 'optimizer'>): string[] {
  const names = new Set<string>();
  for (const template of [spec.prompt.text, spec.system, spec.user]) {
    if (template !== undefined) for (const name of templateVariables(template)) names.add(name);
  }
  for (const name of spec.optimizer.showVars) names.add(name);
  const hidden = new Set(spec.optimizer.hideVars);
  return [...names].filter((name) => !hidden.has(name) && !hidden.has(rootVariable(name)));
}
