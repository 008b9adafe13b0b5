import { SpecError, type SpecIssue } from '../errors.js';
import { chatSyntaxOfFile } from '../template/chat-prompt.js';
import { displayPath, formatPath, type IssueAt } from '../spec/issues.js';
import { chatFileIssues } from '../spec/read-prompt.js';
import { checkTemplateVariables } from '../spec/template-vars-rule.js';
import type { Spec } from '../spec/types.js';

/**
 * A prompt given in place of the spec's (--prompt, a compare version file) is checked like the spec's
 * own: the same form (a chat prompt file for a chat spec, text for a text spec), a valid template, and
 * only variables every case provides.
 */
export function checkPromptVariables(prompt: string, file: string, spec: Spec): void {
  const form = spec.prompt.form;
  const issueAt: IssueAt = (path, message, options = {}) => ({
    file: displayPath(file),
    ...(path.length > 0 ? { path: formatPath(path) } : {}),
    message,
    ...(options.hint !== undefined ? { hint: options.hint } : {}),
  });
  // The spec's own inline prompt (compare's `current`) comes with the spec's path: its form is the spec's.
  const fileSyntax = file === spec.file ? (form.kind === 'chat' ? form.syntax : undefined) : chatSyntaxOfFile(file);
  if (form.kind === 'text' && fileSyntax !== undefined) {
    throw new SpecError([issueAt([], `the task's prompt is text, but ${displayPath(file)} would be a chat prompt (a .yaml/.json prompt holds messages)`, { hint: 'give a text prompt file (.md, .txt), or make the spec\'s prompt a chat prompt' })]);
  }
  if (form.kind === 'chat' && fileSyntax === undefined) {
    throw new SpecError([issueAt([], `the task's prompt is a chat prompt (a list of messages), but ${displayPath(file)} is not a .yaml or .json message list`, { hint: 'give a chat prompt file (a version such as prompt-versions/v3.yaml, or a .yaml/.json list of { role, content })' })]);
  }
  if (form.kind === 'chat') {
    const issues: SpecIssue[] = file === spec.file ? [] : chatFileIssues(file, prompt);
    if (issues.length === 0 && form.syntax === 'json' && fileSyntax !== 'json') {
      issues.push(issueAt([], `the task's chat prompt is JSON, so a prompt given in its place must be a .json message list`));
    }
    if (issues.length > 0) throw new SpecError(issues);
  }
  const issues = checkTemplateVariables(spec, issueAt, { text: prompt, form, file });
  if (issues.length > 0) throw new SpecError(issues);
}
