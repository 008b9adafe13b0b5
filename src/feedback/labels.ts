/**
 * Reading labels out of outputs, and finding the expected answer inside a longer output.
 * Pure functions; `analyze-failures.ts` turns them into per-group counts.
 */

const MAX_LABEL_CHARS = 40;
const MAX_LABEL_WORDS = 4;
const MAX_AFFIX_CHARS = 40;
/** Characters that end a word, for matching labels on word boundaries. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Quotes, markdown emphasis and end punctuation trimmed from a short answer before comparing. */
const EDGE_NOISE = /^[\s"'`*_([{]+|[\s"'`*_)\]}.,;:!?]+$/gu;

/** A short single-line value (at most 40 chars and 4 words): a class label rather than free text. */
export function isLabelLike(text: string | undefined): text is string {
  if (text === undefined) return false;
  const t = text.trim();
  return t !== '' && t.length <= MAX_LABEL_CHARS && !/[\r\n]/u.test(t) && t.split(/\s+/u).length <= MAX_LABEL_WORDS;
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
  private readonly needles: { normal: string; label: string }[];

  constructor(labels: Iterable<string>) {
    this.byNormal = new Map();
    for (const label of labels) {
      const normal = normalizeLabel(label);
      if (normal !== '' && !this.byNormal.has(normal)) this.byNormal.set(normal, label.trim());
    }
    this.needles = [...this.byNormal]
      .map(([normal, label]) => ({ normal, label }))
      .sort((a, b) => b.normal.length - a.normal.length || (a.normal < b.normal ? -1 : 1));
  }

  get labels(): string[] {
    return [...this.byNormal.values()];
  }

  /** The vocabulary label equal to `text` after normalisation, if any. */
  lookup(text: string): string | undefined {
    return this.byNormal.get(normalizeLabel(text));
  }

  /**
   * The label an output gives, in this order: the output itself when it is a vocabulary label
   * (ignoring case, quotes, end punctuation); else the vocabulary label found earliest in the output
   * on word boundaries (longest on ties); else the normalised output when it is short; else "(other)".
   */
  extract(output: string): string {
    const exact = this.lookup(output);
    if (exact !== undefined) return exact;
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
