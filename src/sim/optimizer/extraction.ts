/**
 * Edits for intent + slots extraction prompts (the grammar the simulated target reads is in
 * ../extract.ts), each driven by the failing cases shown (input, expected JSON, actual output):
 *  - JSON wrapped in prose or a code fence → "Return only the JSON object, with no prose and no code fences.";
 *  - expected intents the prompt does not list → "Intents: ...";
 *  - expected slot names the prompt does not list for that intent → "Slots for <Intent>: ..." (most
 *    frequent first, which is the one the target gives the first capitalized span);
 *  - wrong intents → intent rules `"phrase" -> Intent` (phrases.ts);
 *  - missed or wrong slot values → slot rules (`slot <name>: "value"` for short lowercase values,
 *    else `after "cue"` / `before "cue"` with the word(s) next to the value), each checked to give the
 *    expected value on its own case and never a different expected value on another shown case.
 */
import { extractFirstJson } from '../../assertions/extract-json.js';
import { applySlotRule, readExtractionPrompt, tokenize, type SlotRule } from '../extract.js';
import { readRules, type Rule } from '../read-prompt.js';
import { dedupe, dedupeBy } from '../text.js';
import type { Evidence, ShownCase } from './evidence.js';
import { firstRule, renderRule, type Edit } from './classification.js';
import { INTENT_RULES_HEADER, JSON_FORMAT_LINE, SLOT_RULES_HEADER, insertBlock, stripManaged } from './layout.js';
import type { OptimizerRequest } from './parse-request.js';
import { pickPhrase } from './phrases.js';
import { rotate, type Variant } from './variant.js';

export const MAX_INTENT_RULES = 20;
export const MAX_SLOT_RULES = 40;
/** Values one `slot <name>: "a", "b"` rule keeps (the oldest go first). */
export const MAX_VALUES = 12;
const WEAK_CUES = new Set(['the', 'a', 'an']);

interface Parsed {
  intent?: string;
  slots: Record<string, string>;
}

interface ExtractionCase {
  shown: ShownCase;
  expected: Parsed;
  actual?: Parsed;
  wrapped: boolean;
}

export function editExtraction(prompt: string, request: OptimizerRequest, evidence: Evidence, variant: Variant): Edit {
  const changes: string[] = [];
  const spec = readExtractionPrompt(prompt);
  const base = stripManaged(prompt);
  const baseSpec = readExtractionPrompt(base);
  const cases = evidence.cases.map(toCase).filter((c): c is ExtractionCase => c !== undefined);
  const constraints = evidence.constraints.map(toCase).filter((c): c is ExtractionCase => c !== undefined);
  const reference = [...cases, ...constraints];

  // Format.
  const shownWrapped = cases.filter((c) => c.wrapped).length;
  const wrapped = Math.max(shownWrapped, evidence.wrappedJson);
  const addFormat = !(spec.jsonOnly && spec.noFence) && wrapped > 0;
  const hadFormat = prompt.split('\n').some((l) => l.trim() === JSON_FORMAT_LINE);
  if (addFormat) {
    const what = shownWrapped > 0 ? `${shownWrapped} of the failing outputs shown` : `${wrapped} failing outputs`;
    changes.push(`added "${JSON_FORMAT_LINE}" because ${what} wrap the JSON in prose or a code fence`);
  }
  const smallestDone = variant.smallest && addFormat;

  // Intents.
  const lineIntents = prompt
    .split('\n')
    .filter((l) => /^\s*Intents:/.test(l))
    .flatMap((l) => readExtractionPrompt(l).intents);
  const listed = new Set([...baseSpec.intents, ...lineIntents].map((i) => i.toLowerCase()));
  const seenIntents = dedupe(reference.map((c) => c.expected.intent).filter((i): i is string => typeof i === 'string' && /^[A-Za-z]\w*$/.test(i)));
  const missingIntents = smallestDone ? [] : seenIntents.filter((i) => !listed.has(i.toLowerCase()));
  if (missingIntents.length > 0) changes.push(`listed the intents the failures expect (${missingIntents.join(', ')})`);
  const intents = dedupe([...spec.intents, ...seenIntents]);

  // Slot names per intent.
  const slotsByIntent = new Map([...spec.slotsByIntent].map(([k, v]) => [k, [...v]]));
  const newNames: string[] = [];
  if (!smallestDone) {
    const byIntent = new Map<string, Map<string, number>>();
    for (const c of reference) {
      if (!c.expected.intent) continue;
      const counts = byIntent.get(c.expected.intent) ?? new Map<string, number>();
      for (const name of Object.keys(c.expected.slots)) counts.set(name, (counts.get(name) ?? 0) + 1);
      byIntent.set(c.expected.intent, counts);
    }
    for (const [intent, counts] of byIntent) {
      const list = slotsByIntent.get(intent) ?? [];
      const ordered = [...counts].sort((a, b) => b[1] - a[1]).map(([name]) => name);
      const missing = ordered.filter((name) => !list.includes(name));
      if (missing.length === 0) continue;
      slotsByIntent.set(intent, [...list, ...missing]);
      newNames.push(...missing.map((m) => `${intent}.${m}`));
    }
    if (newNames.length > 0) {
      changes.push(`listed ${newNames.length} expected slot names per intent, most frequent first (e.g. ${newNames.slice(0, 3).join(', ')})`);
    }
  }

  // Rules.
  let intentRules = dedupeBy(readRules(prompt), (r) => r.phrases.join('\u0000').toLowerCase());
  let slotRules = dedupeBy(spec.slotRules, renderSlotRule);
  const budget = smallestDone ? 0 : variant.budget + 4;
  const addedIntent = new Set<Rule>();
  const addedSlot = new Set<SlotRule>();
  const order = rotate(cases, variant.rotation, (c) => variant.focus !== undefined && c.shown.categories.includes(variant.focus));
  const taken = new Set(intentRules.flatMap((r) => r.phrases.map((p) => p.toLowerCase())));
  const examples: string[] = [];
  for (const c of order) {
    if (addedIntent.size + addedSlot.size >= budget) break;
    const input = c.shown.input;
    const expectedIntent = c.expected.intent;
    if (expectedIntent && c.actual?.intent !== expectedIntent && firstRule(intentRules, input)?.label !== expectedIntent) {
      const phrase = pickPhrase({
        own: { input, label: expectedIntent },
        truncated: c.shown.truncated,
        others: reference.filter((r) => r !== c && r.expected.intent).map((r) => ({ input: r.shown.input, label: r.expected.intent! })),
        labels: intents,
        taken,
      });
      if (phrase) {
        const rule: Rule = { phrases: [phrase], label: expectedIntent };
        const blocking = intentRules.findIndex((r) => r.phrases.some((p) => input.toLowerCase().includes(p.toLowerCase())));
        if (blocking >= 0) intentRules.splice(blocking, 0, rule);
        else intentRules.push(rule);
        addedIntent.add(rule);
        taken.add(phrase);
        if (examples.length < 4) examples.push(renderRule(rule));
      }
    }
    if (c.shown.truncated) continue;
    for (const [name, value] of Object.entries(c.expected.slots)) {
      if (addedIntent.size + addedSlot.size >= budget) break;
      if (c.actual && same(c.actual.slots[name], value)) continue;
      if (same(slotValue(slotRules, name, input), value)) continue; // already fixed by a rule added here
      const rule = proposeSlotRule(name, value, c, reference);
      if (!rule) continue;
      slotRules = placeSlotRule(slotRules, rule, input);
      addedSlot.add(rule);
      if (examples.length < 4) examples.push(renderSlotRule(rule));
    }
  }
  if (addedIntent.size + addedSlot.size > 0) {
    changes.push(
      `added ${addedIntent.size} intent rule${addedIntent.size === 1 ? '' : 's'} and ${addedSlot.size} slot rule${addedSlot.size === 1 ? '' : 's'} ` +
        `from failing requests, each checked against the other shown requests (e.g. ${examples.join('; ')})`,
    );
  }
  intentRules = cap(intentRules, MAX_INTENT_RULES, addedIntent);
  slotRules = cap(slotRules, MAX_SLOT_RULES, addedSlot);

  const block: string[] = [];
  if (intents.length > 0 && (lineIntents.length > 0 || missingIntents.length > 0)) {
    const shownIntents = dedupe([...lineIntents, ...missingIntents]);
    block.push(`Intents: ${shownIntents.join(', ')}`);
  }
  if (spec.slots.length > 0) block.push(`Slots: ${spec.slots.join(', ')}`);
  for (const [intent, names] of slotsByIntent) if (names.length > 0) block.push(`Slots for ${intent}: ${names.join(', ')}`);
  if (hadFormat || addFormat) block.push(JSON_FORMAT_LINE);
  if (intentRules.length > 0) block.push('', INTENT_RULES_HEADER, ...intentRules.map(renderRule));
  if (slotRules.length > 0) block.push('', SLOT_RULES_HEADER, ...slotRules.map(renderSlotRule));
  return { prompt: insertBlock(base, block, request.promptRole), changes };
}

export function renderSlotRule(rule: SlotRule): string {
  if (rule.kind === 'values') return `slot ${rule.slot}: ${rule.values.map((v) => `"${v}"`).join(', ')}`;
  return `slot ${rule.slot}: ${rule.kind} "${rule.cue}"`;
}

function toCase(shown: ShownCase): ExtractionCase | undefined {
  const expected = parseObject(shown.expected);
  if (!expected) return undefined;
  const strict = parseObject(shown.actual);
  const loose = strict ?? toParsed(shown.actual === undefined ? undefined : extractFirstJson(shown.actual));
  return { shown, expected, actual: loose, wrapped: strict === undefined && shown.actual !== undefined };
}

function parseObject(text: string | undefined): Parsed | undefined {
  if (text === undefined) return undefined;
  try {
    return toParsed(JSON.parse(text.trim()));
  } catch {
    return undefined;
  }
}

function toParsed(value: unknown): Parsed | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const slots: Record<string, string> = {};
  if (v.slots && typeof v.slots === 'object') {
    for (const [k, s] of Object.entries(v.slots as Record<string, unknown>)) if (typeof s === 'string') slots[k] = s;
  }
  return { ...(typeof v.intent === 'string' ? { intent: v.intent } : {}), slots };
}

const same = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The value the slot rules give `name` on `input` (first rule yielding one). */
function slotValue(rules: readonly SlotRule[], name: string, input: string): string | undefined {
  for (const rule of rules) {
    if (rule.slot !== name) continue;
    const value = applySlotRule(rule, input);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A slot rule giving `value` for `name` on this case and no different expected value on another. */
function proposeSlotRule(name: string, value: string, c: ExtractionCase, reference: readonly ExtractionCase[]): SlotRule | undefined {
  if (/["\n]/.test(value)) return undefined;
  const input = c.shown.input;
  const candidates: SlotRule[] = [];
  if (/^[a-z0-9][a-z0-9 '’-]*$/.test(value) && value.split(/\s+/).length <= 3) candidates.push({ slot: name, kind: 'values', values: [value] });
  const tokens = tokenize(input);
  const at = tokens.findIndex((t) => input.slice(t.start, t.start + value.length).toLowerCase() === value.toLowerCase());
  if (at >= 0) {
    const endAt = tokens.findIndex((t) => t.end >= tokens[at]!.start + value.length);
    for (const n of [1, 2]) {
      const before = tokens.slice(Math.max(0, at - n), at).map((t) => t.core.toLowerCase());
      if (before.length === n && !WEAK_CUES.has(before[n - 1]!)) candidates.push({ slot: name, kind: 'after', cue: before.join(' ') });
      const after = endAt >= 0 ? tokens.slice(endAt + 1, endAt + 1 + n).map((t) => t.core.toLowerCase()) : [];
      if (after.length === n && !WEAK_CUES.has(after[0]!)) candidates.push({ slot: name, kind: 'before', cue: after.join(' ') });
    }
  }
  let best: { rule: SlotRule; support: number; rank: number } | undefined;
  candidates.forEach((rule, rank) => {
    if (rule.kind !== 'values' && /["\n]/.test(rule.cue)) return;
    if (!same(applySlotRule(rule, input), value)) return;
    let support = 0;
    for (const other of reference) {
      if (other === c || other.shown.truncated) continue;
      const wanted = other.expected.slots[name];
      if (wanted === undefined) continue;
      const got = applySlotRule(rule, other.shown.input);
      if (got === undefined) continue;
      if (!same(got, wanted)) return; // would give another case a wrong value
      support++;
    }
    if (!best || support > best.support || (support === best.support && rank < best.rank)) best = { rule, support, rank };
  });
  return best?.rule;
}

/** Adds a rule where it takes effect on `input`: merged into a values rule, or before a rule that gives a wrong value. */
function placeSlotRule(rules: SlotRule[], rule: SlotRule, input: string): SlotRule[] {
  const out = [...rules];
  const blocking = out.findIndex((r) => r.slot === rule.slot && applySlotRule(r, input) !== undefined);
  if (rule.kind === 'values' && blocking < 0) {
    const merge = out.findIndex((r) => r.slot === rule.slot && r.kind === 'values');
    if (merge >= 0) {
      const existing = out[merge] as Extract<SlotRule, { kind: 'values' }>;
      out[merge] = { ...existing, values: dedupe([...existing.values, ...rule.values]).slice(-MAX_VALUES) };
      return out;
    }
  }
  if (blocking >= 0) out.splice(blocking, 0, rule);
  else out.push(rule);
  return out;
}

function cap<T>(items: T[], max: number, keep: Set<T>): T[] {
  const out = [...items];
  while (out.length > max) {
    const oldest = out.findIndex((r) => !keep.has(r));
    out.splice(oldest >= 0 ? oldest : 0, 1);
  }
  return out;
}
