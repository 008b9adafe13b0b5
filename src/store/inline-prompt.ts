/**
 * The inline `prompt:` of a spec, read and rewritten through the yaml Document API so every comment
 * and the formatting of the rest of the file survive. A multi-line prompt is written as a literal
 * block scalar (`|`, `|-` or `|+` as its trailing newlines need). An inline chat prompt (a list of
 * messages) reads as its YAML text, as the spec stage gives it (spec/chat-prompt.ts), and is rewritten
 * as a list again, its multi-line contents as literal blocks. Pure: text in, text out.
 */
import { isScalar, isSeq, parseDocument, Scalar, visit, type Document } from 'yaml';
import { PromptoptError, EXIT } from '../errors.js';
import { ChatPromptError, formatChatPrompt, parseChatPrompt, setMessageContents, type ChatPromptMessage } from '../template/chat-prompt.js';

const KEY = 'prompt';

/** The value of the top-level `prompt`: its text, or for a list of messages, their YAML. */
export function readInlinePrompt(yamlText: string): string {
  const node = promptNode(parse(yamlText));
  if (isSeq(node)) return formatChatPrompt(node.toJSON() as ChatPromptMessage[], 'yaml');
  return node.value as string;
}

/** `yamlText` with its top-level `prompt` set to `text`; throws when the result would not read back as `text`. */
export function rewriteInlinePrompt(yamlText: string, text: string): string {
  const doc = parse(yamlText);
  const node = promptNode(doc);
  let messages: ChatPromptMessage[] | undefined;
  if (isSeq(node)) {
    const turns = chatMessages(text);
    messages = turns;
    const before = node.toJSON() as ChatPromptMessage[];
    // The same turns with new contents (what optimize makes): edited in place, comments kept.
    if (before.length === turns.length && before.every((m, i) => m.role === turns[i]!.role && m.optimize === turns[i]!.optimize)) {
      setMessageContents(node, new Map(turns.map((m, i) => [i, m.content])));
    } else {
      doc.set(KEY, chatNode(doc, turns));
    }
  } else {
    node.value = text;
    if (text.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    else if (node.type === Scalar.BLOCK_FOLDED) node.type = Scalar.BLOCK_LITERAL;
  }
  // lineWidth 0: never fold long lines, so scalars elsewhere keep their shape.
  const whole = doc.toString({ lineWidth: 0 });
  // Only the prompt's own lines change: the rest of the spec stays byte for byte (the whole document
  // re-stringified would re-space comments and flow collections); the whole text is the fallback.
  const out = [spliceNode(yamlText, whole), whole].find((candidate) => candidate !== undefined && readsBack(candidate, text, messages));
  if (out === undefined) {
    throw new PromptoptError('PROMPT_REWRITE_FAILED', 'the rewritten spec would not hold the prompt exactly; nothing was written', {
      exitCode: EXIT.badInput,
      hint: 'move the prompt to a file (prompt: file://prompt.md, or file://prompt.yaml for a chat prompt) and promote again',
    });
  }
  return out;
}

function readsBack(out: string, text: string, messages: ChatPromptMessage[] | undefined): boolean {
  return parseDocument(out).errors.length === 0 && holds(out, text, messages);
}

/** `original` with its `prompt` node's text replaced by that node's text in `rewritten`; undefined when either has no range. */
function spliceNode(original: string, rewritten: string): string | undefined {
  const before = parseDocument(original).get(KEY, true) as { range?: [number, number, number] } | undefined;
  const after = parseDocument(rewritten).get(KEY, true) as { range?: [number, number, number] } | undefined;
  if (!before?.range || !after?.range) return undefined;
  return original.slice(0, before.range[0]) + rewritten.slice(after.range[0], after.range[2]) + original.slice(before.range[2]);
}

/** Whether the rewritten spec reads back as the prompt: the same text, or for a chat prompt the same messages (a version file's YAML may be laid out differently from the list the spec holds). */
function holds(out: string, text: string, messages: ChatPromptMessage[] | undefined): boolean {
  if (messages === undefined) return readInlinePrompt(out) === text;
  const node = promptNode(parseDocument(out));
  return isSeq(node) && JSON.stringify(node.toJSON()) === JSON.stringify(messages);
}

/** A version of an inline chat prompt (its YAML) as messages; refused when it is not one. */
function chatMessages(text: string): ChatPromptMessage[] {
  try {
    return parseChatPrompt(text, 'yaml');
  } catch (error) {
    if (!(error instanceof ChatPromptError)) throw error;
    throw new PromptoptError('PROMPT_REWRITE_FAILED', `the version is not a chat prompt (${error.message}); nothing was written`, { exitCode: EXIT.badInput, location: { path: KEY } });
  }
}

/** A message list as a new list node, multi-line contents as literal blocks. */
function chatNode(doc: Document, messages: ChatPromptMessage[]) {
  const node = doc.createNode(messages.map((m) => ({ ...m })));
  visit(node, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string' && scalar.value.includes('\n')) scalar.type = Scalar.BLOCK_LITERAL;
    },
  });
  return node;
}

function parse(yamlText: string): Document {
  const doc = parseDocument(yamlText, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new PromptoptError('SPEC_INVALID', `the spec is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { exitCode: EXIT.badInput });
  }
  return doc;
}

function promptNode(doc: Document) {
  const node = doc.get(KEY, true);
  if (isSeq(node)) return node;
  if (!isScalar(node) || typeof node.value !== 'string') {
    throw new PromptoptError('PROMPT_NOT_INLINE', 'the spec has no inline `prompt:` text to rewrite', {
      exitCode: EXIT.badInput,
      location: { path: KEY },
    });
  }
  return node;
}
