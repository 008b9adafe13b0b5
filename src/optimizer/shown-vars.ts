/**
 * The case variables an optimizer request may show: those the prompt (every message of a chat prompt)
 * and the fixed system/user templates read (spec/prompt-templates.ts, the one static extraction), plus
 * the spec's `optimizer.show_vars`, minus its `optimizer.hide_vars`. The expected value is shown apart
 * from these.
 */
import { requestVariables } from '../spec/prompt-templates.js';
import { rootVariable } from '../template/template.js';
import type { Spec } from '../spec/types.js';

export function shownVarNames(spec: Pick<Spec, 'prompt' | 'system' | 'user' | 'optimizer' | 'templateEngine'>): string[] {
  const names = new Set(requestVariables(spec));
  for (const name of spec.optimizer.showVars) names.add(name);
  const hidden = new Set(spec.optimizer.hideVars);
  return [...names].filter((name) => !hidden.has(name) && !hidden.has(rootVariable(name)));
}
