/**
 * Reading labels out of outputs, and finding the expected answer inside a longer output.
 * Pure functions; `analyze-failures.ts` turns them into per-group counts.
 */
import { isOptionSet, optionLetter, readChoice } from '../assertions/read-choice.js';
import { escapeRegExp } from '../assertions/text.js';

const MAX_LABEL_CHARS = 40;
const MAX_LABEL_WORDS = 4;
/** A single token (`balance_not_updated_after_cheque_or_cash_deposit`) may be longer. */
const MAX_TOKEN_LABEL_CHARS = 64;
const MAX_AFFIX_CHARS = 40;
/** Characters that end a word, for matching labels on word boundaries. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Quotes, markdown emphasis and end punctuation trimmed from a short answer before comparing. */
const EDGE_NOISE = /^[\s"'`*_([{]+|[\s"'`*_)\]}.,;:!?]+$/gu;

/**
 * A class label rather than free text: a short single-line value (at most 40 chars and 4 words), or
 * one token of at most 64 chars. A number is an answer, not a class label.
 */
export function isLabelLike(text: string | undefined): text is string {
  if (text === undefined) return false;
  const t = text.trim();
  if (t === '' || /^[-+]?[\d,]*\.?\d+%?$/u.test(t)) return false;
  if (!/\s/u.test(t)) return t.length <= MAX_TOKEN_LABEL_CHARS;
  return t.length <= MAX_LABEL_CHARS && !/[\r\n]/u.test(t) && t.split(/\s+/u).length <= MAX_LABEL_WORDS;
}

/** Lowercased, trimmed, with surrounding quotes, emphasis and end punctuation removed. */
export function normalizeLabel(text: string): string {
  return text.replace(EDGE_NOISE, '').trim().toLowerCase();
}

function isBoundary(text: string, index: number): boolean {
  const ch = text[index];
  return ch === undefined || !WORD_CHAR.test(ch);
}

/**
 * Reads labels out of outputs, given the label vocabulary (the short expected values of the run).
 * Built once per analysis; `extract` is cheap enough for thousands of outputs.
 */
export class LabelReader {
  private readonly byNormal: Map<string, string>;
  /** Longest first, so `refund_request` wins over `refund` at the same position. */
  private readonly needles: { normal: string; label: string; marked: RegExp }[];
  /** Multiple choice (every label is `(A)`, `B)`...): option letter -> label. */
  private readonly options: Map<string, string> | undefined;

  constructor(labels: Iterable<string>) {
    this.byNormal = new Map();
    const list = [...labels].map((l) => l.trim()).filter((l) => l !== '');
    for (const label of list) {
      const normal = normalizeLabel(label);
      if (normal !== '' && !this.byNormal.has(normal)) this.byNormal.set(normal, label);
    }
    this.needles = [...this.byNormal]
      .map(([normal, label]) => ({ normal, label, marked: answerMarker(normal) }))
      .sort((a, b) => b.normal.length - a.normal.length || (a.normal < b.normal ? -1 : 1));
    this.options = isOptionSet(list) ? new Map(list.map((l) => [optionLetter(l)!, l])) : undefined;
  }

  get labels(): string[] {
    return [...this.byNormal.values()];
  }

  /** The vocabulary label equal to `text` after normalisation, if any. */
  lookup(text: string): string | undefined {
    return this.byNormal.get(normalizeLabel(text));
  }

  /**
   * The label an output gives. Multiple choice: the option the reply ends on (read-choice.ts), else
   * "(other)". Otherwise, in this order: the output itself when it is a vocabulary label (ignoring
   * case, quotes, end punctuation); the label after the last answer marker ("Answer: x", "the answer
   * is x"); the vocabulary label found earliest in the output on word boundaries (longest on ties);
   * the normalised output when it is short; "(other)".
   */
  extract(output: string): string {
    if (this.options) {
      const letter = readChoice(output, this.options.keys());
      return letter === undefined ? '(other)' : this.options.get(letter)!;
    }
    const exact = this.lookup(output);
    if (exact !== undefined) return exact;
    const marked = this.afterAnswerMarker(output);
    if (marked !== undefined) return marked;
    const lower = output.toLowerCase();
    let best: { at: number; label: string } | undefined;
    for (const { normal, label } of this.needles) {
      let at = lower.indexOf(normal);
      while (at >= 0 && !(isBoundary(lower, at - 1) && isBoundary(lower, at + normal.length))) {
        at = lower.indexOf(normal, at + 1);
      }
      if (at >= 0 && (best === undefined || at < best.at)) best = { at, label };
    }
    if (best) return best.label;
    const normal = normalizeLabel(output);
    return isLabelLike(normal) ? normal : '(other)';
  }

  /** The label right after the last answer marker ("Answer: x", "the final answer is x"). */
  private afterAnswerMarker(output: string): string | undefined {
    const lower = output.toLowerCase();
    if (!lower.includes('answer')) return undefined; // every marker starts with the word
    let best: { at: number; label: string } | undefined;
    for (const { label, marked } of this.needles) {
      for (const m of lower.matchAll(marked)) if (!best || m.index > best.at) best = { at: m.index, label };
    }
    return best?.label;
  }
}

/** `answer is <label>`, `Answer: <label>`, in lowercased text. */
function answerMarker(normal: string): RegExp {
  return new RegExp(`\\banswer\\b[*_\\s]*(?:is|would be|=|:)?[*_\\s:"'\`(]*${escapeRegExp(normal)}(?![\\p{L}\\p{N}_])`, 'gu');
}

/** How an output contains the expected text, when it does. */
export interface Wrapping {
  /** Output is the expected text apart from letter case (and surrounding whitespace). */
  caseOnly: boolean;
  /** Output contains the expected text plus other text. */
  wrapped: boolean;
  /** The matched text differs from the expected in letter case. */
  caseMismatch: boolean;
  prefix: string;
  suffix: string;
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Shortens a prefix keeping its end (next to the answer), a suffix keeping its start. */
function shortenAffix(text: string, side: 'prefix' | 'suffix'): string {
  if (text.length <= MAX_AFFIX_CHARS) return text;
  return side === 'prefix' ? `…${text.slice(-MAX_AFFIX_CHARS).trimStart()}` : `${text.slice(0, MAX_AFFIX_CHARS).trimEnd()}…`;
}

/** Finds `expected` inside `output` (ignoring case); undefined when absent or when they are identical. */
export function findWrapping(expected: string, output: string): Wrapping | undefined {
  const exp = expected.trim();
  const out = output.trim();
  if (exp === '' || out === exp) return undefined;
  const at = out.toLowerCase().indexOf(exp.toLowerCase());
  if (at < 0) return undefined;
  const matched = out.slice(at, at + exp.length);
  const prefix = shortenAffix(collapse(out.slice(0, at)), 'prefix');
  const suffix = shortenAffix(collapse(out.slice(at + exp.length)), 'suffix');
  const caseOnly = prefix === '' && suffix === '';
  return { caseOnly, wrapped: !caseOnly, caseMismatch: matched !== exp, prefix, suffix };
}
