/**
 * The spec's `prompt:` (and `response_format:`) read into what the runner sends. A prompt is one of:
 * - text, inline or `file://prompt.md` (any extension but .yaml/.yml/.json): one template;
 * - a list of `{ role, content }` messages written in the spec: a chat prompt whose text is its YAML;
 * - `file://prompt.yaml` / `.yml` / `.json`: a chat prompt, the file holding such a list. A file of that
 *   extension that is not a message list is an error, never sent as literal YAML or JSON text.
 * Problems are issues at the field (for an inline list) or at their line in the prompt file.
 */
import { readFile } from 'node:fs/promises';
import type { SpecIssue } from '../errors.js';
import type { ResponseFormat } from '../providers/types.js';
import { chatListProblems, chatSyntaxOfFile, formatChatPrompt, TEXT_FORM, type ChatPromptMessage, type ChatProblem, type PromptForm } from '../template/chat-prompt.js';
import type { FileScope } from './file-scope.js';
import { outsideScope } from './file-scope.js';
import { displayPath, issueFactory, type IssueAt } from './issues.js';
import { readTemplate, resolveSpecPath, FILE_PREFIX } from './read-template.js';
import { parseYaml, TO_JS_OPTIONS } from './read-yaml.js';
import { chatMessagesSchema, responseFormatSchema, type RawSpec } from './schema.js';
import { zodIssuesToSpecIssues } from './zod-issues.js';

export interface ReadPrompt {
  text: string;
  file?: string;
  form: PromptForm;
}

const LIST_HINT = 'a chat prompt file holds a list such as:\n- role: system\n  content: You are ...\n- role: user\n  content: "{{input}}"';

export async function readPrompt(raw: RawSpec['prompt'], dir: string, issueAt: IssueAt, issues: SpecIssue[], scope?: FileScope): Promise<ReadPrompt | undefined> {
  if (Array.isArray(raw)) {
    const messages = raw as ChatPromptMessage[];
    const problems = chatListProblems(messages);
    if (problems.length > 0) {
      issues.push(...problems.map((p) => problemIssue(p, (path, message, options) => issueAt(['prompt', ...path], message, options))));
      return undefined;
    }
    return { text: formatChatPrompt(messages, 'yaml'), form: { kind: 'chat', syntax: 'yaml' } };
  }
  const template = await readTemplate(raw, 'prompt', dir, issueAt, issues, scope);
  if (!template) return undefined;
  const syntax = template.file ? chatSyntaxOfFile(template.file) : undefined;
  if (!template.file || !syntax) return { text: template.text, ...(template.file ? { file: template.file } : {}), form: TEXT_FORM };
  const fileIssues = chatFileIssues(template.file, template.text);
  if (fileIssues.length > 0) {
    issues.push(...fileIssues);
    return undefined;
  }
  return { text: template.text, file: template.file, form: { kind: 'chat', syntax } };
}

/** Why a `.yaml`/`.json` prompt file is not a usable message list, at its lines. */
export function chatFileIssues(file: string, text: string): SpecIssue[] {
  const parsed = parseYaml(file, text); // JSON is YAML: one parser gives positions for both
  if (parsed.issues.length > 0) return parsed.issues;
  // Paths inside the file are shown as the prompt's (`prompt[1].role`).
  const at = issueFactory(parsed.locator, [], ['prompt']);
  const value: unknown = parsed.doc.toJS(TO_JS_OPTIONS);
  if (!Array.isArray(value)) {
    return [
      at([], `a ${chatSyntaxOfFile(file) === 'json' ? '.json' : '.yaml'} prompt file must hold a list of chat messages ({ role, content }), not ${describe(value)}`, {
        hint: `${LIST_HINT}\n(for a plain text prompt, use a .md or .txt file)`,
      }),
    ];
  }
  const checked = chatMessagesSchema.safeParse(value);
  if (!checked.success) return zodIssuesToSpecIssues(checked.error.issues, { schema: chatMessagesSchema, root: value, issueAt: at });
  return chatListProblems(checked.data).map((p) => problemIssue(p, at));
}

/** `response_format:` inline, or `file://format.json` / `.yaml` holding the same mapping. */
export async function readResponseFormat(raw: RawSpec['response_format'], dir: string, issueAt: IssueAt, issues: SpecIssue[], scope?: FileScope): Promise<ResponseFormat | undefined> {
  if (raw === undefined || typeof raw !== 'string') return raw as ResponseFormat | undefined;
  const file = resolveSpecPath(dir, raw);
  const outside = outsideScope(file, 'response_format file', scope);
  if (outside) {
    issues.push(issueAt(['response_format'], outside.message, { hint: outside.hint }));
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    issues.push(issueAt(['response_format'], `response_format file not found: ${displayPath(file)}`, { hint: `${FILE_PREFIX} paths are relative to the spec's folder (${displayPath(dir)})` }));
    return undefined;
  }
  const parsed = parseYaml(file, text);
  if (parsed.issues.length > 0) {
    issues.push(...parsed.issues);
    return undefined;
  }
  const value: unknown = parsed.doc.toJS(TO_JS_OPTIONS);
  const checked = responseFormatSchema.safeParse(value);
  if (!checked.success) {
    issues.push(...zodIssuesToSpecIssues(checked.error.issues, { schema: responseFormatSchema, root: value, issueAt: issueFactory(parsed.locator, [], ['response_format']) }));
    return undefined;
  }
  return checked.data as ResponseFormat;
}

function problemIssue(problem: ChatProblem, at: IssueAt): SpecIssue {
  return at(problem.path, problem.message, problem.hint === undefined ? {} : { hint: problem.hint });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document';
  if (typeof value === 'string') return 'a text';
  return typeof value === 'object' ? 'a mapping (YAML reads a line such as `Ticket: {{input}}` as one)' : `a ${typeof value}`;
}
