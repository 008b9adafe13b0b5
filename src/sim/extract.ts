/**
 * Extraction mode of the simulated target: chosen when the prompt (everything but the input) mentions
 * both "intent" and "slot(s)". The answer is JSON `{"intent": ..., "slots": {...}}` whose quality
 * depends only on the input and on what the prompt says, read with this small grammar:
 *
 *   Intents        a line `Intents: A, B, C` (any line whose text before the colon names "intents"
 *                  and has no arrow), CamelCase names in any label list the classifier would read,
 *                  and the intents named by intent rules.
 *   Intent rules   `"phrase" -> Intent`: the first rule whose phrase occurs in the input decides.
 *   Slot names     `Slots: a, b` or `Slot names: a, b` (every intent), `Slots for Intent: a, b` (one).
 *   Slot rules     `slot <name>: after "cue"`   the span right after the cue in the input
 *                  `slot <name>: before "cue"`  the span right before the cue
 *                  `slot <name>: "v1", "v2"`    one of these values, where it occurs (longest first)
 *                  A span is a run of Capitalized words (joined by "of", "the", "to"...) when it starts
 *                  with a capital, else up to 4 words stopping at a preposition or punctuation.
 *   Format         "only JSON" / "only the JSON" / "no prose" / "nothing else": no words around the
 *                  JSON; "no code fences" / "no markdown": no ```json fence. Without the first, the
 *                  JSON comes inside a sentence; without the second, inside a fence (always when prose
 *                  is allowed, else for half of the inputs).
 *
 * Decisions:
 *   intent  first matching intent rule; else the listed intent whose name shares most (stemmed,
 *           non-stopword) words with the input, a hash pick among ties or among all with no overlap;
 *           with no intents listed, a made-up CamelCase name from the input's first content words.
 *   slots   rules first (per slot name, the first rule that yields a value). Then, for the slot names
 *           listed for the chosen intent (`Slots for <Intent>` if given, else the global list) that no
 *           rule filled, built-in guesses: names with "time"/"date" take a time expression, names with
 *           "number"/"value"/"count" take a number (names with "best"/"max" the last one), and the
 *           other names take the Capitalized spans of the input in order (first span → first such
 *           name listed). Slot names neither listed nor ruled are never produced.
 *   noise   about 5% of inputs get a confusable intent unless an intent rule decided, and about 5%
 *           lose their first guessed (not rule-made) slot (hash of the input, see noise.ts).
 */
import { escapeRegExp } from '../assertions/text.js';
import { confusableLabel, isNoisy, labelWords } from './noise.js';
import { readLabels, readRules, type ReadPrompt, type Rule } from './read-prompt.js';
import { dedupe, pickByHash, stem, stems, STOPWORDS, words } from './text.js';
import { unitHash } from '../util/hash.js';

export type SlotRule =
  | { slot: string; kind: 'after' | 'before'; cue: string }
  | { slot: string; kind: 'values'; values: string[] };

export interface ExtractionPrompt {
  intents: string[];
  intentRules: Rule[];
  /** Slot names for every intent. */
  slots: string[];
  /** Slot names per intent (`Slots for X: ...`). */
  slotsByIntent: Map<string, string[]>;
  slotRules: SlotRule[];
  /** No words around the JSON. */
  jsonOnly: boolean;
  /** No code fence around the JSON. */
  noFence: boolean;
}

export interface Extraction {
  intent: string;
  slots: Record<string, string>;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const CAMEL = /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/;
const SLOT_LIST = /^\s*(?:[-*•]\s+)?slots?(?:\s+names?)?(?:\s+for\s+([A-Za-z][A-Za-z0-9_]*))?\s*:\s*(.+)$/i;
const SLOT_RULE = /^\s*(?:[-*•]\s+)?slot\s+([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.+)$/i;
const INTENT_LIST = /^\s*(?:[-*•]\s+)?([^:\n]*\bintents?\b[^:\n]*):\s*(.+)$/i;
const JSON_ONLY =
  /\bonly (?:return |output |reply with |respond with |give |write )?(?:the |a |one |a single |valid )?json\b|\bjson only\b|\bno prose\b|\bnothing else\b|\bno (?:other|extra|additional) text\b|\bno explanations?\b|\bwithout (?:any )?(?:prose|explanation|commentary)\b/i;
const NO_FENCE =
  /\bno (?:code )?fences?\b|\bno markdown\b|\bno code blocks?\b|\bno backticks\b|\bwithout (?:code )?fences?\b|\bwithout markdown\b|\bno prose (?:or|and|nor) (?:code )?fences?\b/i;

export function isExtractionPrompt(instructions: string): boolean {
  return /\bintents?\b/i.test(instructions) && /\bslots?\b/i.test(instructions);
}

function listItems(text: string): string[] {
  return text
    .split(/,|;|\||\bor\b|\band\b/)
    .map((item) => item.trim().replace(/^["'`*_(]+|["'`*_).:;!?]+$/g, '').trim())
    .filter((item) => NAME.test(item));
}

function quotedStrings(text: string): string[] {
  return [...text.matchAll(/"([^"]+)"|“([^”]+)”/g)].map((m) => (m[1] ?? m[2])!.trim()).filter(Boolean);
}

const cache = new Map<string, ExtractionPrompt>();
const CACHE_SIZE = 32;

/** Reads the prompt (cached: every case of an eval shares it). Treat the result as read-only. */
export function readExtractionPrompt(instructions: string): ExtractionPrompt {
  const cached = cache.get(instructions);
  if (cached) return cached;
  const read = parseExtractionPrompt(instructions);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(instructions, read);
  return read;
}

function parseExtractionPrompt(instructions: string): ExtractionPrompt {
  const slots: string[] = [];
  const slotsByIntent = new Map<string, string[]>();
  const slotRules: SlotRule[] = [];
  const listed: string[] = [];
  for (const line of instructions.split('\n')) {
    if (/->|=>|→/.test(line)) continue; // intent rules are read by readRules
    const rule = SLOT_RULE.exec(line);
    if (rule && !/^(?:names?|for)$/i.test(rule[1]!)) {
      const slot = rule[1]!;
      const body = rule[2]!.trim();
      const how = /^(after|before)\b\s*(.*)$/i.exec(body);
      if (how) {
        const cue = quotedStrings(how[2]!)[0];
        if (cue) slotRules.push({ slot, kind: how[1]!.toLowerCase() as 'after' | 'before', cue });
      } else {
        const values = quotedStrings(body);
        if (values.length > 0) slotRules.push({ slot, kind: 'values', values });
      }
      continue;
    }
    const list = SLOT_LIST.exec(line);
    if (list) {
      const names = listItems(list[2]!);
      if (list[1]) slotsByIntent.set(list[1], dedupe([...(slotsByIntent.get(list[1]) ?? []), ...names]));
      else slots.push(...names);
      continue;
    }
    const intents = INTENT_LIST.exec(line);
    if (intents && !/\bslots?\b/i.test(intents[1]!)) listed.push(...listItems(intents[2]!));
  }
  const intentRules = readRules(instructions);
  const slotNames = new Set([...slots, ...[...slotsByIntent.values()].flat(), ...slotRules.map((r) => r.slot)].map((s) => s.toLowerCase()));
  const intents = dedupe([
    ...listed,
    ...readLabels(instructions).filter((l) => CAMEL.test(l)),
    ...slotsByIntent.keys(),
    ...intentRules.map((r) => r.label),
  ]).filter((i) => !slotNames.has(i.toLowerCase()));
  return {
    intents,
    intentRules,
    slots: dedupe(slots),
    slotsByIntent,
    slotRules,
    jsonOnly: JSON_ONLY.test(instructions),
    noFence: NO_FENCE.test(instructions),
  };
}

/** The simulated answer to an extraction prompt. */
export function extract(prompt: ReadPrompt): string {
  const spec = readExtractionPrompt(prompt.instructions);
  const result = extractFrom(prompt.input, spec);
  return renderExtraction(result, spec, prompt.input);
}

export function renderExtraction(result: Extraction, spec: Pick<ExtractionPrompt, 'jsonOnly' | 'noFence'>, input: string): string {
  const json = JSON.stringify(result);
  const fence = !spec.noFence && (!spec.jsonOnly || unitHash('promptopt-sim-fence', input) < 0.5);
  const body = fence ? `\`\`\`json\n${json}\n\`\`\`` : json;
  return spec.jsonOnly ? body : `Here is the extracted information:\n${body}`;
}

export function extractFrom(input: string, spec: ExtractionPrompt): Extraction {
  const intent = decideIntent(input, spec);
  const slots: Record<string, string> = {};
  for (const rule of spec.slotRules) {
    if (slots[rule.slot] !== undefined) continue;
    const value = applySlotRule(rule, input);
    if (value !== undefined) slots[rule.slot] = value;
  }
  const listedForIntent = spec.slotsByIntent.get(intent) ?? spec.slots;
  const guessed = guessSlots(input, listedForIntent.filter((name) => slots[name] === undefined));
  const guessedNames = Object.keys(guessed);
  if (guessedNames.length > 0 && isNoisy(input, 'slot')) delete guessed[guessedNames[0]!];
  return { intent, slots: { ...slots, ...guessed } };
}

export function decideIntent(input: string, spec: Pick<ExtractionPrompt, 'intents' | 'intentRules'>): string {
  const lower = input.toLowerCase();
  for (const rule of spec.intentRules) {
    if (rule.phrases.some((p) => lower.includes(p.toLowerCase()))) return rule.label;
  }
  if (spec.intents.length === 0) {
    const content = words(input).filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w)).slice(0, 2);
    return content.length > 0 ? content.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') : 'Unknown';
  }
  const inputStems = stems(input);
  let top: string[] = [];
  let topScore = 0;
  for (const intent of spec.intents) {
    const score = labelWords(intent).filter((w) => !STOPWORDS.has(w) && inputStems.has(stem(w))).length;
    if (score > topScore) [top, topScore] = [[intent], score];
    else if (score === topScore && score > 0) top.push(intent);
  }
  const intent = pickByHash(input, topScore > 0 ? top : spec.intents);
  return spec.intents.length > 1 && isNoisy(input, 'intent') ? confusableLabel(intent, spec.intents, input) : intent;
}

// ---------------------------------------------------------------------------------------------
// Spans

interface Token {
  /** The word without surrounding quotes/punctuation. */
  core: string;
  start: number;
  end: number;
  /** Punctuation followed the word: a span never runs past it. */
  stop: boolean;
}

/** Words that end a lowercase span, and may join Capitalized words inside a name. */
const BOUNDARY = new Set(
  ('in on at for to from by with and or that that\'s which please the a an this these my your me i is are be ' +
    'will can could would of about into near around').split(' '),
);
const CONNECTORS = new Set('of the a an and to in on for de la del le von van da'.split(' '));
const MAX_PLAIN_WORDS = 4;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  for (const m of input.matchAll(/\S+/g)) {
    const raw = m[0];
    const lead = /^["'(“‘]*/.exec(raw)![0].length;
    const trail = /["')”’.,!?;:]*$/.exec(raw.slice(lead))![0].length;
    const core = raw.slice(lead, raw.length - trail);
    if (core === '') continue;
    const start = m.index + lead;
    tokens.push({ core, start, end: start + core.length, stop: trail > 0 });
  }
  return tokens;
}

const isCapital = (t: Token) => /^\p{Lu}/u.test(t.core);
const isCapitalOrDigit = (t: Token) => /^[\p{Lu}\d]/u.test(t.core);

/** Capitalized run starting at `from` (forward) or ending at `from` (backward). */
function capitalRun(tokens: Token[], from: number, forward: boolean): [number, number] | undefined {
  if (!tokens[from] || !isCapital(tokens[from]!)) return undefined;
  if (forward) {
    let end = from;
    while (!tokens[end]!.stop && end + 1 < tokens.length) {
      const next = tokens[end + 1]!;
      if (isCapitalOrDigit(next)) end++;
      else if (CONNECTORS.has(next.core.toLowerCase()) && !next.stop && tokens[end + 2] && isCapital(tokens[end + 2]!)) end += 2;
      else break;
    }
    return [from, end];
  }
  let start = from;
  while (start > 0 && !tokens[start - 1]!.stop) {
    const prev = tokens[start - 1]!;
    if (isCapitalOrDigit(prev)) start--;
    else if (CONNECTORS.has(prev.core.toLowerCase()) && start > 1 && !tokens[start - 2]!.stop && isCapital(tokens[start - 2]!)) start -= 2;
    else break;
  }
  return [start, from];
}

function plainRun(tokens: Token[], from: number, forward: boolean): [number, number] | undefined {
  const first = tokens[from];
  if (!first || BOUNDARY.has(first.core.toLowerCase())) return undefined;
  let a = from;
  let b = from;
  if (forward) {
    while (!tokens[b]!.stop && b + 1 < tokens.length && b - a + 1 < MAX_PLAIN_WORDS && !BOUNDARY.has(tokens[b + 1]!.core.toLowerCase())) b++;
  } else {
    while (a > 0 && !tokens[a - 1]!.stop && b - a + 1 < MAX_PLAIN_WORDS - 1 && !BOUNDARY.has(tokens[a - 1]!.core.toLowerCase())) a--;
  }
  return [a, b];
}

function findCue(tokens: Token[], cue: string): number[] {
  const cueWords = cue.toLowerCase().split(/\s+/).filter(Boolean);
  const found: number[] = [];
  if (cueWords.length === 0) return found;
  for (let i = 0; i + cueWords.length <= tokens.length; i++) {
    if (cueWords.every((w, k) => tokens[i + k]!.core.toLowerCase() === w)) found.push(i);
  }
  return found;
}

/** The value a slot rule gives for this input (an exact substring of it), or undefined. */
export function applySlotRule(rule: SlotRule, input: string): string | undefined {
  if (rule.kind === 'values') {
    const values = [...rule.values].sort((a, b) => b.length - a.length);
    for (const value of values) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'iu');
      const m = re.exec(input);
      if (m) return m[0];
    }
    return undefined;
  }
  const tokens = tokenize(input);
  const cueLength = rule.cue.split(/\s+/).filter(Boolean).length;
  for (const at of findCue(tokens, rule.cue)) {
    let span: [number, number] | undefined;
    if (rule.kind === 'after') {
      if (tokens[at + cueLength - 1]!.stop) continue;
      const from = at + cueLength;
      span = tokens[from] && isCapital(tokens[from]!) ? capitalRun(tokens, from, true) : plainRun(tokens, from, true);
    } else {
      const from = at - 1;
      if (from < 0 || tokens[from]!.stop) continue;
      span = isCapital(tokens[from]!) ? capitalRun(tokens, from, false) : plainRun(tokens, from, false);
    }
    if (span) return input.slice(tokens[span[0]]!.start, tokens[span[1]]!.end);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Built-in guesses for listed slot names

const NUMBER_WORDS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
const NUMBER = new RegExp(`^(?:\\d+|${NUMBER_WORDS.split(' ').join('|')})$`, 'i');
const TIME = new RegExp(
  [
    'today|tonight|tomorrow|now|noon|midnight',
    '(?:this|next|last) (?:week(?:end)?|month|year|morning|afternoon|evening|night|\\w+day)',
    `in (?:a|an|${NUMBER_WORDS.split(' ').join('|')}|\\d+) (?:hours?|minutes?|days?|weeks?|months?|years?)`,
    '\\d{1,2}(?::\\d{2})? ?(?:am|pm)',
    '(?:mon|tues|wednes|thurs|fri|satur|sun)day',
    '(?:january|february|march|april|may|june|july|august|september|october|november|december) (?:the )?\\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?',
  ]
    .map((alt) => `(?:${alt})`)
    .join('|'),
  'i',
);

function guessSlots(input: string, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const tokens = tokenize(input);
  const numbers = tokens.filter((t) => NUMBER.test(t.core)).map((t) => t.core);
  const spans = capitalSpans(input, tokens);
  let nextSpan = 0;
  for (const name of names) {
    if (/time|date/i.test(name)) {
      const m = new RegExp(`(?<![\\p{L}\\p{N}])(?:${TIME.source})(?![\\p{L}\\p{N}])`, 'iu').exec(input);
      if (m) out[name] = m[0];
    } else if (/number|value|count|best|max/i.test(name)) {
      const n = /best|max/i.test(name) ? numbers.at(-1) : numbers[0];
      if (n !== undefined) out[name] = n;
    } else if (nextSpan < spans.length) {
      out[name] = spans[nextSpan++]!;
    }
  }
  return out;
}

/** Capitalized runs, leaving out the sentence-initial word and a lone "I". */
function capitalSpans(input: string, tokens: Token[]): string[] {
  const spans: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const run = capitalRun(tokens, i, true);
    if (!run) {
      i++;
      continue;
    }
    let [a, b] = run;
    if (a === 0) a = 1;
    while (a <= b && CONNECTORS.has(tokens[a]!.core.toLowerCase())) a++;
    if (a <= b && !(a === b && tokens[a]!.core === 'I')) spans.push(input.slice(tokens[a]!.start, tokens[b]!.end));
    i = b + 1;
  }
  return spans;
}
