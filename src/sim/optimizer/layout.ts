/**
 * Where the simulated optimizer puts its edits in a prompt. The lines it manages (rules, label and
 * slot lists, its output-format sentence, its headers) are taken out of the prompt and written back
 * as one block, merged with the new ones; every other line of the prompt stays as written. The block
 * goes just before the paragraph holding the input variable (prompt sent as the user message), so
 * the input stays last, or at the end (prompt sent as the system message).
 */
import { readRules } from '../read-prompt.js';

export const LABEL_FORMAT_LINE = 'Answer with only the label, nothing else.';
export const JSON_FORMAT_LINE = 'Return only the JSON object, with no prose and no code fences.';
export const RULES_HEADER = 'Decision rules (use the first rule whose phrase appears in the text):';
export const INTENT_RULES_HEADER = 'Intent rules (the first rule whose phrase appears in the request decides the intent):';
export const SLOT_RULES_HEADER = 'Slot rules (copy each slot value exactly from the request):';
export const EXTRA_LABELS_PREFIX = 'Also allowed labels:';

const MANAGED = [
  (line: string) => readRules(line).length > 0,
  (line: string) => line.trim() === LABEL_FORMAT_LINE || line.trim() === JSON_FORMAT_LINE,
  (line: string) => [RULES_HEADER, INTENT_RULES_HEADER, SLOT_RULES_HEADER].includes(line.trim()),
  (line: string) => line.trim().startsWith(EXTRA_LABELS_PREFIX),
  (line: string) => /^\s*Intents:/.test(line),
  (line: string) => /^\s*slot\s+[A-Za-z][A-Za-z0-9_]*\s*:/i.test(line),
  (line: string) => /^\s*Slots?(?:\s+names?)?(?:\s+for\s+[A-Za-z][A-Za-z0-9_]*)?\s*:/i.test(line),
];

export function isManagedLine(line: string): boolean {
  return MANAGED.some((test) => test(line));
}

/** The prompt without the managed lines (blank-line runs collapsed). */
export function stripManaged(prompt: string): string {
  const kept = prompt.split('\n').filter((line) => !isManagedLine(line));
  return collapse(kept.join('\n'));
}

function collapse(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n+$/, '');
}

/** Puts `block` (lines) into `base` (a prompt without managed lines). */
export function insertBlock(base: string, block: string[], role: 'user' | 'system'): string {
  const body = block.join('\n').trim();
  if (body === '') return base;
  const lines = base.split('\n');
  const varLine = lines.findLastIndex((line) => /\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/.test(line));
  if (role === 'system' || varLine < 0) return collapse(`${base}\n\n${body}`);
  let start = varLine;
  while (start > 0 && lines[start - 1]!.trim() !== '') start--;
  if (varLine - start > 2) start = varLine; // a long paragraph: go right before the variable's line
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(start).join('\n');
  return collapse(`${before}\n\n${body}\n\n${after}`);
}
