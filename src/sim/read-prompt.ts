/**
 * Reads a chat request the way the simulator's crude "model" understands it: the input to act on,
 * the allowed labels, rules (`"phrase" -> label`, `phrase => label`), few-shot examples
 * (`Input: ...` / `Output: ...`) and format instructions. Everything but the input is "the prompt".
 */
import type { ChatRequest } from '../providers/types.js';
import { dedupe } from './text.js';

export interface Rule {
  phrases: string[];
  label: string;
}

export interface Example {
  input: string;
  output: string;
}

export type OutputFormat = { shape: 'verbose' | 'bare' | 'json'; letterCase?: 'lower' | 'upper' };

export interface ReadPrompt {
  input: string;
  /** The prompt without the input: where labels, rules, examples and instructions are looked for. */
  instructions: string;
  labels: string[];
  rules: Rule[];
  examples: Example[];
  format: OutputFormat;
}

const INPUT_LINE = /^\s*(?:input|text|query|question|verse|message|sentence)\s*:/i;
const ANSWER_LINE = /^\s*(?:output|label|answer)\s*:\s*(.*)$/i;
const TOKEN = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
/** A label; one joined with `_` may end in `?` (BANKING77 has `reverted_card_payment?`). */
const ANY_CASE_TOKEN = /^[A-Za-z][A-Za-z0-9]*(?:(?:[_-][A-Za-z0-9]+)+\??)?$/;
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/;
/** Words between an introducer and its list: "one of THE FOLLOWING LABELS: a, b". */
const FILLER =
  /^(?:\s*(?:the|these|those|following|list|are|is|allowed|possible|valid|labels?|categories|classes|options|choices|below|exactly|:|-|–))*\s*/i;

export function readPrompt(request: ChatRequest): ReadPrompt {
  const { input, instructions } = splitInput(request);
  return { input, instructions, ...readInstructions(instructions) };
}

type Instructions = Omit<ReadPrompt, 'input' | 'instructions'>;
/** Every case of an eval shares the instructions: read them once (a small cache, oldest out first). */
const instructionCache = new Map<string, Instructions>();
const INSTRUCTION_CACHE_SIZE = 32;

function readInstructions(instructions: string): Instructions {
  const cached = instructionCache.get(instructions);
  if (cached) return cached;
  const rules = readRules(instructions);
  const examples = readExamples(instructions);
  const labels = dedupe([
    ...readLabels(instructions),
    ...rules.map((r) => r.label),
    ...examples.map((e) => e.output).filter((o) => ANY_CASE_TOKEN.test(o)),
  ]);
  const read = { labels, rules, examples, format: readFormat(instructions) };
  if (instructionCache.size >= INSTRUCTION_CACHE_SIZE) instructionCache.delete(instructionCache.keys().next().value!);
  instructionCache.set(instructions, read);
  return read;
}

/**
 * The input is the text after the last line starting with `Input:`/`Text:`/`Query:`/`Question:`/
 * `Verse:`/`Message:`/`Sentence:` in the last user message (to the end of the message, stopping
 * at an `Output:`/`Label:`/`Answer:` line); else the last non-empty paragraph of that message.
 */
function splitInput(request: ChatRequest): { input: string; instructions: string } {
  const lastUser = request.messages.findLastIndex((m) => m.role === 'user');
  const others = [request.system ?? '', ...request.messages.filter((_, i) => i !== lastUser).map((m) => m.content)];
  const message = request.messages[lastUser]?.content ?? '';
  const lines = message.split('\n');
  const at = lines.findLastIndex((line) => INPUT_LINE.test(line));
  if (at >= 0) {
    const rest = lines.slice(at);
    rest[0] = rest[0]!.replace(INPUT_LINE, '');
    const end = rest.findIndex((line, i) => i > 0 && ANSWER_LINE.test(line));
    const inputLines = end > 0 ? rest.slice(0, end) : rest;
    const tail = end > 0 ? rest.slice(end) : [];
    return {
      input: inputLines.join('\n').trim(),
      instructions: [...others, [...lines.slice(0, at), ...tail].join('\n')].join('\n\n'),
    };
  }
  const paragraphs = message.split(/\n\s*\n/).filter((p) => p.trim() !== '');
  const input = paragraphs.pop()?.trim() ?? '';
  return { input, instructions: [...others, paragraphs.join('\n\n')].join('\n\n') };
}

/** Labels: lists after `labels:`/`categories:`/`one of`/..., lowercase bullet items, bare comma lists. */
export function readLabels(text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  const intro = /\b(?:labels?|categories|category|classes|class|intents?|tags?|options|choices|one of)\b/gi;
  lines.forEach((line, i) => {
    if (/->|=>|→/.test(line)) return; // a rule, read elsewhere
    const intros = [...line.matchAll(intro)];
    if (intros.length > 0) {
      intros.forEach((m, k) => {
        const from = m.index + m[0].length;
        const to = intros[k + 1]?.index ?? line.length;
        const raw = line.slice(from, to).split(/\.(?:\s|$)/)[0]!;
        const segment = raw.replace(FILLER, '');
        if (segment.trim() !== '') {
          const tokens = segment
            .split(/,|;|\||\/|\bor\b|\band\b/)
            .map(cleanItem)
            .filter((t) => ANY_CASE_TOKEN.test(t) && !/^(?:the|a|an)$/i.test(t));
          // A list needs a sign it is one: a colon, "one of", or several items ("the label only" is not).
          const colon = raw.slice(0, raw.length - segment.length).includes(':');
          if (colon || /one of/i.test(m[0]) || tokens.length >= 2) found.push(...tokens);
        } else if (k === intros.length - 1) {
          for (const next of lines.slice(i + 1)) {
            const item = BULLET.exec(next);
            if (!item) break;
            const token = cleanItem(item[1]!.replace(/\s*(?::|\s[-–—]\s|\().*$/, ''));
            if (ANY_CASE_TOKEN.test(token)) found.push(token);
          }
        }
      });
      return;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      const token = cleanItem(bullet[1]!.replace(/\s*(?::|\s[-–—]\s|\().*$/, ''));
      if (TOKEN.test(token)) found.push(token);
      return;
    }
    const items = line.split(/[,|]/).map(cleanItem);
    if (items.length >= 2 && items.every((t) => TOKEN.test(t))) found.push(...items);
  });
  return dedupe(found);
}

function cleanItem(raw: string): string {
  const item = raw.trim().replace(/^["'`*_(]+|["'`*_).:;!?]+$/g, '').trim();
  // Keep the `?` that ends a joined label such as `reverted_card_payment?`.
  return /[_-][A-Za-z0-9]+\?["'`*_).:;!]*$/.test(raw.trim()) ? `${item}?` : item;
}

/** `"phrase" -> label`, `"a", "b" -> label`, `phrase => label` (optionally bulleted). */
export function readRules(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:[-*•]\s+)?(.+?)\s*(?:->|=>|→)\s*["'`]?([A-Za-z0-9][A-Za-z0-9_-]*(?:[_-][A-Za-z0-9]+\?)?)["'`]?\s*[.;,]?\s*$/.exec(line);
    if (!m) continue;
    const left = m[1]!;
    const quoted = [...left.matchAll(/"([^"]+)"|“([^”]+)”|'([^']+)'/g)].map((q) => (q[1] ?? q[2] ?? q[3])!.trim());
    const phrases = quoted.length > 0 ? quoted : [left.trim()];
    rules.push({ phrases: phrases.filter((p) => p !== ''), label: m[2]! });
  }
  return rules.filter((r) => r.phrases.length > 0);
}

/** `Input: ...` (one or more lines) followed by `Output:|Label:|Answer: ...`; also both on one line. */
export function readExamples(text: string): Example[] {
  const examples: Example[] = [];
  let pending: string[] | undefined;
  for (const line of text.split('\n')) {
    const oneLine = /^\s*(?:input|text|query|question|verse|message|sentence|example)\s*:\s*(.+?)\s+(?:output|label|answer)\s*:\s*(.+)$/i.exec(line);
    if (oneLine) {
      examples.push({ input: oneLine[1]!.trim(), output: oneLine[2]!.trim() });
      pending = undefined;
      continue;
    }
    const start = /^\s*(?:input|text|query|question|verse|message|sentence|example)\s*:\s*(.*)$/i.exec(line);
    if (start) {
      pending = [start[1]!];
      continue;
    }
    const answer = ANSWER_LINE.exec(line);
    if (answer && pending) {
      const output = answer[1]!.trim();
      if (output) examples.push({ input: pending.join('\n').trim(), output });
      pending = undefined;
      continue;
    }
    if (pending) pending.push(line);
  }
  return examples.filter((e) => e.input !== '');
}

export function readFormat(text: string): OutputFormat {
  const letterCase = /\blower[- ]?case\b/i.test(text)
    ? 'lower'
    : /\bupper[- ]?case\b|\ball caps\b|\bcapital letters\b/i.test(text)
      ? 'upper'
      : undefined;
  if (/\bjson\b/i.test(text)) return { shape: 'json', letterCase };
  const bare = [
    /\bonly (?:(?:output|return|respond with|reply with|answer with|give|with|print|write) )?(?:the |a |one |your )?(?:label|answer|category|class|intent|sentiment|word)\b/i,
    /\bjust (?:the |a |one )?(?:label|answer|category|class|word)\b/i,
    /\b(?:label|answer|category|class) only\b/i,
    /\bnothing else\b/i,
    /\b(?:single|one) (?:word|label|token)\b/i,
    /\bno (?:explanation|other text|extra text|additional text)\b/i,
  ];
  return { shape: bare.some((re) => re.test(text)) ? 'bare' : 'verbose', letterCase };
}
