/**
 * The templates a spec renders into each request (the prompt, or each message of a chat prompt, and the
 * fixed `system` / `user` templates), and the variables they read: the one place that answers "which
 * variables does the prompt use" for the spec rules, the optimizer, imports and warnings.
 */
import { editableMessages, parseChatPrompt, type ChatRole, type PromptForm } from '../template/chat-prompt.js';
import type { PathSegment } from './issues.js';
import { rootVariable, templateVariableUses, type TemplateEngine, type VariableUse } from '../template/template.js';
import type { Spec } from './types.js';

/** One template of a request, and where it is written. */
export interface RequestTemplate {
  /** The spec field it is written in (`prompt`, `system`, `user`). */
  field: 'prompt' | 'system' | 'user';
  /** Where in the spec (or in the prompt file, for a chat prompt file) to point at it. */
  path: PathSegment[];
  text: string;
  /** Set for the messages of a chat prompt. */
  role?: ChatRole;
  index?: number;
  /** True for what the optimizer may rewrite (the prompt, or its editable messages). */
  editable: boolean;
}

/** The templates of a prompt text in its form: one for a text prompt, one per message of a chat prompt. */
export function promptTemplates(prompt: { text: string; form: PromptForm }): RequestTemplate[] {
  if (prompt.form.kind === 'text') return [{ field: 'prompt', path: ['prompt'], text: prompt.text, editable: true }];
  const messages = parseChatPrompt(prompt.text, prompt.form.syntax);
  const editable = new Set(editableMessages(messages));
  return messages.map((message, index) => ({
    field: 'prompt',
    path: ['prompt', index, 'content'],
    text: message.content,
    role: message.role,
    index,
    editable: editable.has(index),
  }));
}

/** Every template a spec's request is made of. */
export function requestTemplates(spec: Pick<Spec, 'prompt' | 'system' | 'user'>, prompt: { text: string; form: PromptForm } = spec.prompt): RequestTemplate[] {
  return [
    ...promptTemplates(prompt),
    ...(spec.system !== undefined ? [{ field: 'system' as const, path: ['system'], text: spec.system, editable: false }] : []),
    ...(spec.user !== undefined ? [{ field: 'user' as const, path: ['user'], text: spec.user, editable: false }] : []),
  ];
}

/** The variables some templates read, each once (optional only if optional wherever it is read). */
export function variablesOf(templates: readonly RequestTemplate[], engine: TemplateEngine): VariableUse[] {
  const uses = new Map<string, boolean>();
  for (const template of templates) {
    for (const use of templateVariableUses(template.text, engine)) uses.set(use.name, (uses.get(use.name) ?? true) && use.optional);
  }
  return [...uses].map(([name, optional]) => ({ name, optional }));
}

/** The variable names (as written: `customer.name`) the request templates of a spec read. */
export function requestVariables(spec: Pick<Spec, 'prompt' | 'system' | 'user' | 'templateEngine'>, prompt?: { text: string; form: PromptForm }): string[] {
  return variablesOf(requestTemplates(spec, prompt), spec.templateEngine).map((use) => use.name);
}

/** The top-level variables the request templates read (`customer`, not `customer.name`). */
export function requestRootVariables(spec: Pick<Spec, 'prompt' | 'system' | 'user' | 'templateEngine'>): string[] {
  return [...new Set(requestVariables(spec).map(rootVariable))];
}
