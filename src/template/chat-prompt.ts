/**
 * Chat-format prompts: a list of `{ role, content }` turns (system, user, assistant), each content a
 * template, written inline in the spec or in a `.yaml`/`.yml`/`.json` file. The prompt's text (what
 * versions store, what promote writes back) is the list in its own syntax: the file's text, or for an
 * inline list its YAML. The optimizer rewrites the contents of the messages it may change and keeps
 * everything else: roles, order, the other messages, and (in YAML) comments and formatting.
 *
 * Which messages it may change: those marked `optimize: true`; with none marked, the system message if
 * there is one, else the last user message.
 */
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, stringify, type Document, type YAMLSeq } from 'yaml';

export const CHAT_ROLES = ['system', 'user', 'assistant'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface ChatPromptMessage {
  role: ChatRole;
  content: string;
  /** `optimize: true`: the optimizer may rewrite this message (see editableMessages). */
  optimize?: boolean;
}

/** How a chat prompt is written: the text versions hold, and what promote writes back. */
export type ChatSyntax = 'yaml' | 'json';

/** What kind of prompt a spec has: one text template, or a list of chat messages. */
export type PromptForm = { kind: 'text' } | { kind: 'chat'; syntax: ChatSyntax };

export const TEXT_FORM: PromptForm = { kind: 'text' };

/** A problem with a message list, at a path relative to the list (`[2, 'role']`). */
export interface ChatProblem {
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** The syntax a prompt file's extension asks for; undefined for a text prompt (`.md`, `.txt`, ...). */
export function chatSyntaxOfFile(file: string): ChatSyntax | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** Rules a list of well-formed messages must follow beyond their shape. */
export function chatListProblems(messages: readonly ChatPromptMessage[]): ChatProblem[] {
  const problems: ChatProblem[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'system' && index > 0) {
      problems.push({
        path: [index, 'role'],
        message: 'a system message must come first (and there can be only one)',
        hint: 'put the system instructions in the first message; both APIs take one system prompt before the conversation',
      });
    }
  });
  if (!messages.some((m) => m.role !== 'system')) {
    problems.push({ path: [], message: 'a chat prompt needs a user message after the system message', hint: 'add e.g. `- role: user` with `content: "{{input}}"`' });
  }
  return problems;
}

/** Indices of the messages the optimizer may rewrite (see the module comment). */
export function editableMessages(messages: readonly ChatPromptMessage[]): number[] {
  const marked = messages.flatMap((m, i) => (m.optimize === true ? [i] : []));
  if (marked.length > 0) return marked;
  const system = messages.findIndex((m) => m.role === 'system');
  if (system >= 0) return [system];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return [i];
  return [];
}

/** A message list as data (`role`, `content`, `optimize` only), from YAML or JSON text; throws ChatPromptError. */
export function parseChatPrompt(text: string, syntax: ChatSyntax): ChatPromptMessage[] {
  const cached = parsed.get(cacheKey(text, syntax));
  if (cached) return cached;
  let value: unknown;
  if (syntax === 'json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ChatPromptError(`not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new ChatPromptError(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    value = doc.toJS();
  }
  const messages = asChatMessages(value);
  if (parsed.size > 500) parsed.clear();
  parsed.set(cacheKey(text, syntax), messages);
  return messages;
}

const parsed = new Map<string, ChatPromptMessage[]>();
const cacheKey = (text: string, syntax: ChatSyntax) => `${syntax}\u0000${text}`;

export class ChatPromptError extends Error {}

/** Checks the shape the schema checks at load time (for texts that did not come through the spec: versions, --prompt). */
function asChatMessages(value: unknown): ChatPromptMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw new ChatPromptError('expected a list of chat messages ({ role, content })');
  const messages = value.map((item, index) => {
    const m = item as Record<string, unknown> | null;
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw new ChatPromptError(`message ${index + 1} is not a mapping with role and content`);
    const extra = Object.keys(m).filter((key) => !['role', 'content', 'optimize'].includes(key));
    if (extra.length > 0) throw new ChatPromptError(`message ${index + 1} has unknown key "${extra[0]}" (allowed: role, content, optimize)`);
    if (!(CHAT_ROLES as readonly unknown[]).includes(m.role)) throw new ChatPromptError(`message ${index + 1} has role ${JSON.stringify(m.role)} (one of: ${CHAT_ROLES.join(', ')})`);
    if (typeof m.content !== 'string') throw new ChatPromptError(`message ${index + 1} has no text content`);
    if (m.optimize !== undefined && typeof m.optimize !== 'boolean') throw new ChatPromptError(`message ${index + 1}: optimize must be true or false`);
    return { role: m.role as ChatRole, content: m.content, ...(m.optimize === undefined ? {} : { optimize: m.optimize }) };
  });
  const problem = chatListProblems(messages)[0];
  if (problem) throw new ChatPromptError(problem.message);
  return messages;
}

/** A message list as text: YAML (multi-line contents as literal blocks) or two-space JSON, with a final newline. */
export function formatChatPrompt(messages: readonly ChatPromptMessage[], syntax: ChatSyntax): string {
  const plain = messages.map((m) => ({ role: m.role, content: m.content, ...(m.optimize === undefined ? {} : { optimize: m.optimize }) }));
  if (syntax === 'json') return `${JSON.stringify(plain, null, 2)}\n`;
  return stringify(plain, { lineWidth: 0, blockQuote: 'literal' });
}

/**
 * `text` with the contents of some messages replaced, everything else kept. A text in the form
 * formatChatPrompt writes (an inline list's YAML) is written in that form again; otherwise, in YAML, through the
 * Document API (comments, quoting and the other messages stay as written; a multi-line content
 * becomes a literal block), in JSON re-serialized with the file's indentation. Throws ChatPromptError
 * when the result would not read back as the intended messages.
 */
export function rewriteChatPrompt(text: string, syntax: ChatSyntax, contents: ReadonlyMap<number, string>): string {
  const messages = parseChatPrompt(text, syntax);
  for (const index of contents.keys()) {
    if (!messages[index]) throw new ChatPromptError(`the prompt has no message ${index + 1}`);
  }
  const expected = messages.map((m, i) => (contents.has(i) ? { ...m, content: contents.get(i)! } : m));
  // A text in the canonical form (an inline list's YAML) stays canonical, so it always reads back the same.
  const canonical = formatChatPrompt(messages, syntax) === text;
  const out = canonical ? formatChatPrompt(expected, syntax) : syntax === 'json' ? rewriteJson(text, expected) : rewriteYaml(text, contents);
  const check = parseChatPrompt(out, syntax);
  if (JSON.stringify(check) !== JSON.stringify(expected)) throw new ChatPromptError('the rewritten prompt would not hold the new messages exactly');
  return out;
}

function rewriteJson(text: string, messages: readonly ChatPromptMessage[]): string {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const list = JSON.parse(text) as Record<string, unknown>[];
  const out = list.map((item, i) => ({ ...item, content: messages[i]!.content }));
  return `${JSON.stringify(out, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}

function rewriteYaml(text: string, contents: ReadonlyMap<number, string>): string {
  const doc = parseDocument(text) as Document;
  const list = doc.contents;
  if (!isSeq(list)) throw new ChatPromptError('expected a list of chat messages');
  setMessageContents(list, contents);
  return doc.toString({ lineWidth: 0 });
}

/**
 * Sets the `content` of some items of a YAML list of messages in place, so comments and the other
 * nodes stay as written; a multi-line content becomes a literal block.
 */
export function setMessageContents(list: YAMLSeq, contents: ReadonlyMap<number, string>): void {
  for (const [index, content] of contents) {
    const item = list.items[index];
    if (!isMap(item)) throw new ChatPromptError(`message ${index + 1} is not a mapping`);
    const node = item.get('content', true);
    if (isScalar(node)) {
      node.value = content;
      if (content.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
      else if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) node.type = Scalar.QUOTE_DOUBLE;
    } else {
      item.set('content', content);
    }
  }
}

/** One message the optimizer may rewrite: its position, role and content. */
export interface EditableMessage {
  index: number;
  role: ChatRole;
  content: string;
}

/** The messages of a chat prompt text that the optimizer may rewrite, in order. */
export function editableContents(text: string, syntax: ChatSyntax): EditableMessage[] {
  const messages = parseChatPrompt(text, syntax);
  return editableMessages(messages).map((index) => ({ index, role: messages[index]!.role, content: messages[index]!.content }));
}

/**
 * The extension of a prompt's version files: the prompt file's own (`.md`, `.yaml`, `.json`...), for an
 * inline prompt `.txt`, or `.yaml` for an inline chat prompt (its text is YAML).
 */
export function promptVersionExt(prompt: { file?: string; form: PromptForm }): string {
  if (prompt.file) return extname(prompt.file) || '.txt';
  return prompt.form.kind === 'chat' ? '.yaml' : '.txt';
}
