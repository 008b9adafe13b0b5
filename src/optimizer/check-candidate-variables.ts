import { ChatPromptError } from '../template/chat-prompt.js';
import { promptTemplates, variablesOf } from '../spec/prompt-templates.js';
import { templateProblem } from '../template/template.js';
import type { PromptLayout } from './meta-prompt.js';

/**
 * A candidate must use exactly the template variables of the prompt it replaces: dropping one loses
 * the input, inventing one renders as literal braces (or, with Nunjucks, fails). With Nunjucks it must
 * also still parse, with known filters and tests. Returns the reason to reject it, or undefined.
 */
export function checkCandidateVariables(original: string, candidate: string, layout?: PromptLayout): string | undefined {
  const form = layout?.form ?? { kind: 'text' as const };
  const engine = layout?.engine ?? 'simple';
  let templates;
  try {
    templates = { original: promptTemplates({ text: original, form }), candidate: promptTemplates({ text: candidate, form }) };
  } catch (error) {
    if (error instanceof ChatPromptError) return `not a chat prompt of the task's shape: ${error.message}`;
    throw error;
  }
  for (const template of templates.candidate) {
    const problem = templateProblem(template.text, engine);
    if (problem) return `not a valid Nunjucks template: ${problem.message}`;
  }
  const expected = new Set(variablesOf(templates.original, engine).map((use) => use.name));
  const actual = new Set(variablesOf(templates.candidate, engine).map((use) => use.name));
  const dropped = [...expected].filter((v) => !actual.has(v));
  const invented = [...actual].filter((v) => !expected.has(v));
  const problems = [
    ...(dropped.length ? [`drops ${dropped.map((v) => `{{${v}}}`).join(', ')}`] : []),
    ...(invented.length ? [`invents ${invented.map((v) => `{{${v}}}`).join(', ')}`] : []),
  ];
  return problems.length ? `template variables: ${problems.join('; ')}` : undefined;
}
