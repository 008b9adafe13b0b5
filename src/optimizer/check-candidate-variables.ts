import { templateVariables } from '../spec/template.js';

/**
 * A candidate must use exactly the template variables of the prompt it replaces: dropping one loses
 * the input, inventing one renders as literal braces. Returns the reason to reject it, or undefined.
 */
export function checkCandidateVariables(original: string, candidate: string): string | undefined {
  const expected = new Set(templateVariables(original));
  const actual = new Set(templateVariables(candidate));
  const dropped = [...expected].filter((v) => !actual.has(v));
  const invented = [...actual].filter((v) => !expected.has(v));
  const problems = [
    ...(dropped.length ? [`drops ${dropped.map((v) => `{{${v}}}`).join(', ')}`] : []),
    ...(invented.length ? [`invents ${invented.map((v) => `{{${v}}}`).join(', ')}`] : []),
  ];
  return problems.length ? `template variables: ${problems.join('; ')}` : undefined;
}
