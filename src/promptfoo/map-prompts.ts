/**
 * `prompts:` -> one MappedPrompt per prompt, never concatenated: a string (a template), `file://x.txt`
 * (several prompts separated by a line `---`), `file://x.json|yaml|yml` (a chat message list),
 * `file://x.jsonl` (one message list a line), an object `{ id, label, raw, config }` (config's
 * `response_format`, `temperature`, `max_tokens` carried over), or a map `{ file://x.txt: label }`.
 * Prompt functions (.js/.py) and globs cannot be mapped: errors.
 */
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { CHAT_ROLES, type ChatPromptMessage, type ChatRole } from '../template/chat-prompt.js';
import type { FileScope } from '../spec/file-scope.js';
import { displayPath, type PathSegment } from '../spec/issues.js';
import { positionOfOffset } from '../spec/issues.js';
import type { MappingNotes } from './notes.js';
import { configPath, FILE_PREFIX, readConfigFile, uniqueSlug } from './read-file.js';
import type { YamlSource } from './read-config.js';
import type { MappedPrompt, Where } from './types.js';

interface PromptItem {
  value: string;
  label?: string;
  config?: Record<string, unknown>;
  path: PathSegment[];
}

/** `name`: what the slug (file name) is made of: the label, the file's base name, or `prompt-N`. */
type PromptBody = Pick<MappedPrompt, 'text' | 'messages'> & { label: string; name: string; where: Where };

const FUNCTION_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.py'];
const CHAT_EXTENSIONS = ['.json', '.yaml', '.yml'];
/** promptfoo's separator of prompts in one text file: a line holding `---`. */
const SEPARATOR = /^---[ \t]*$/m;

export async function mapPrompts(source: YamlSource, dir: string, scope: FileScope, notes: MappingNotes): Promise<MappedPrompt[]> {
  const raw = (source.value as Record<string, unknown>).prompts;
  if (raw === undefined) {
    notes.fail(source.at([]), 'the config has no prompts', 'add prompts: [...] (promptfoo requires it too)');
    return [];
  }
  const items = promptItems(raw, source, notes);
  const taken = new Set<string>();
  const prompts: MappedPrompt[] = [];
  for (const [index, item] of items.entries()) {
    const where = source.at(item.path);
    const bodies = await promptBodies(item, index, where, dir, scope, notes);
    const config = promptConfig(item, (key) => source.at([...item.path, 'config', key], { key: true }), notes);
    for (const { name, ...body } of bodies) prompts.push({ ...body, slug: uniqueSlug(name, taken), ...config });
  }
  return prompts;
}

function promptItems(raw: unknown, source: YamlSource, notes: MappingNotes): PromptItem[] {
  if (typeof raw === 'string') return [{ value: raw, path: ['prompts'] }];
  if (Array.isArray(raw)) {
    const items: PromptItem[] = [];
    raw.forEach((entry, index) => {
      const path = ['prompts', index];
      if (typeof entry === 'string') items.push({ value: entry, path });
      else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        const object = entry as Record<string, unknown>;
        const value = typeof object.raw === 'string' ? object.raw : typeof object.id === 'string' ? object.id : undefined;
        if (value === undefined) {
          notes.fail(source.at(path), 'a prompt object needs `raw` (the template) or `id` (a file://)');
          return;
        }
        for (const key of Object.keys(object)) if (!['id', 'label', 'raw', 'config'].includes(key)) notes.skip(source.at([...path, key], { key: true }), `prompt \`${key}\``);
        const config = object.config && typeof object.config === 'object' ? (object.config as Record<string, unknown>) : undefined;
        items.push({ value, path, ...(typeof object.label === 'string' ? { label: object.label } : {}), ...(config ? { config } : {}) });
      } else notes.fail(source.at(path), 'a prompt is a string or a { raw, label, config } object');
    });
    return items;
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([value, label]) => ({ value, path: ['prompts', value], ...(typeof label === 'string' ? { label } : {}) }));
  }
  notes.fail(source.at(['prompts']), 'prompts must be a list of prompts');
  return [];
}

function promptConfig(item: PromptItem, at: (key: string) => Where, notes: MappingNotes): Pick<MappedPrompt, 'responseFormat' | 'modelConfig'> {
  const modelConfig: Record<string, unknown> = {};
  let responseFormat: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(item.config ?? {})) {
    if (key === 'response_format' && value && typeof value === 'object') responseFormat = value as Record<string, unknown>;
    else if (key === 'temperature' || key === 'max_tokens') modelConfig[key] = value;
    else notes.skip(at(key), `prompt config \`${key}\``);
  }
  return { modelConfig, ...(responseFormat ? { responseFormat } : {}) };
}

async function promptBodies(item: PromptItem, position: number, where: Where, dir: string, scope: FileScope, notes: MappingNotes): Promise<PromptBody[]> {
  if (!item.value.startsWith(FILE_PREFIX)) {
    const messages = inlineChat(item.value);
    const label = item.label ?? shortLabel(item.value);
    const name = item.label ?? `prompt-${position + 1}`;
    return [messages ? { label, name, messages, where } : { label, name, text: item.value, where }];
  }
  const ref = item.value.slice(FILE_PREFIX.length);
  if (/[*?{[]/.test(ref)) {
    notes.fail(where, `prompt files given by a pattern cannot be mapped: ${item.value}`, 'list each prompt file');
    return [];
  }
  const ext = extname(ref.replace(/:[A-Za-z_$][\w$]*$/, '')).toLowerCase();
  if (FUNCTION_EXTENSIONS.includes(ext)) {
    notes.fail(where, `prompt functions cannot be mapped: ${item.value}`, 'write the prompt as a text template or a chat message list (YAML/JSON)');
    return [];
  }
  const file = configPath(dir, ref);
  const text = await readConfigFile(file, 'prompt file', where, scope, notes);
  if (text === undefined) return [];
  const baseLabel = item.label ?? displayPath(file);
  const baseName = item.label ?? basename(file, ext);
  const numbered = (count: number, index: number) => ({ label: count > 1 ? `${baseLabel}#${index + 1}` : baseLabel, name: count > 1 ? `${baseName}-${index + 1}` : baseName });
  if (CHAT_EXTENSIONS.includes(ext) || ext === '.jsonl') {
    const lists = ext === '.jsonl' ? jsonLines(text) : [{ text, line: 1 }];
    const bodies: PromptBody[] = [];
    for (const [index, list] of lists.entries()) {
      const at = { file, line: list.line };
      const messages = chatMessages(parseData(list.text, at, notes), at, notes);
      if (messages) bodies.push({ ...numbered(lists.length, index), messages, where: at });
    }
    return bodies;
  }
  const parts = splitPrompts(text);
  return parts.map((part, index) => ({ ...numbered(parts.length, index), text: part.text, where: { file, line: part.line } }));
}

/** The prompts of a text file, split at lines `---`, each trimmed, with the line it starts on. */
export function splitPrompts(text: string): { text: string; line: number }[] {
  const parts: { text: string; line: number }[] = [];
  const separators = new RegExp(SEPARATOR.source, 'gm');
  let start = 0;
  const take = (end: number) => {
    const chunk = text.slice(start, end);
    const lead = chunk.length - chunk.trimStart().length;
    if (chunk.trim() !== '') parts.push({ text: chunk.trim(), line: positionOfOffset(text, start + lead).line });
  };
  for (let match = separators.exec(text); match; match = separators.exec(text)) {
    take(match.index);
    start = match.index + match[0].length;
  }
  take(text.length);
  return parts;
}

function jsonLines(text: string): { text: string; line: number }[] {
  return text.split('\n').map((line, index) => ({ text: line, line: index + 1 })).filter((l) => l.text.trim() !== '');
}

function parseData(text: string, where: Where, notes: MappingNotes): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    notes.fail(where, `chat prompt is not valid JSON/YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    return undefined;
  }
  return doc.toJS();
}

/** A message list -> native messages; extra keys are named, other roles and non-text contents are errors. */
function chatMessages(value: unknown, where: Where, notes: MappingNotes): ChatPromptMessage[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    notes.fail(where, 'a .json/.yaml prompt file must hold a list of chat messages ({ role, content })');
    return undefined;
  }
  const messages: ChatPromptMessage[] = [];
  for (const [index, entry] of value.entries()) {
    const m = entry as Record<string, unknown> | null;
    if (!m || typeof m !== 'object' || !(CHAT_ROLES as readonly unknown[]).includes(m.role) || typeof m.content !== 'string') {
      notes.fail(where, `message ${index + 1} cannot be mapped: it needs a role (${CHAT_ROLES.join(', ')}) and a text content`, 'image parts, tool messages and other roles are not supported');
      return undefined;
    }
    for (const key of Object.keys(m)) if (key !== 'role' && key !== 'content') notes.skip(where, `message ${index + 1} \`${key}\``);
    messages.push({ role: m.role as ChatRole, content: m.content });
  }
  return messages;
}

/** promptfoo reads an inline prompt that is a JSON message list as a chat prompt. */
function inlineChat(text: string): ChatPromptMessage[] | undefined {
  if (!text.trim().startsWith('[')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const ok = value.every((m) => m && typeof m === 'object' && (CHAT_ROLES as readonly unknown[]).includes(m.role) && typeof m.content === 'string');
    return ok ? value.map((m: { role: ChatRole; content: string }) => ({ role: m.role, content: m.content })) : undefined;
  } catch {
    return undefined;
  }
}

function shortLabel(text: string): string {
  const line = text.trim().split('\n')[0]!;
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}
