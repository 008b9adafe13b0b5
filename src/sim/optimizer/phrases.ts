/**
 * Choosing the phrase of a decision rule `"phrase" -> label` from one failing input, the way a careful
 * prompt engineer would: 1–3 consecutive words of that input, no stopwords at the edges, not a word
 * that names other labels (too generic), and never a phrase found in a shown input of another label
 * (it would flip that case). Phrases also found in other shown inputs of the same label are preferred:
 * they are more likely to generalize.
 */
import { labelWords } from '../noise.js';
import { STOPWORDS } from '../text.js';

/** A word's root, so a rule also matches its inflections: arrival → arriv, declined → declin. */
export function root(word: string): string {
  for (const suffix of ['ation', 'ing', 'al', 'ed', 'es', 's', 'e', 'y']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

export interface LabeledInput {
  input: string;
  label: string;
}

/** Everyday words too common to identify an intent. */
const COMMON = new Set(
  (
    'about again also any anything back been being can cant can\'t did didnt didn\'t does doesnt doesn\'t done dont don\'t ' +
    'each even ever every get gets getting got had help hello hey hi how i\'m im just know last like make many more much ' +
    'need needs new now okay one only please really should some something still sure thank thanks there\'s thing time today ' +
    'try trying use used using very want wanted way well what\'s why yesterday yet'
  ).split(' '),
);

interface Token {
  word: string;
  start: number;
  end: number;
}

function tokens(lower: string): Token[] {
  return [...lower.matchAll(/[a-z0-9]+(?:['’][a-z]+)?/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

const isStop = (w: string) => STOPWORDS.has(w) || COMMON.has(w);
const isContent = (w: string) => !isStop(w) && w.length >= 3 && !/^\d+$/.test(w);

export interface PhraseOptions {
  own: LabeledInput;
  /** The input was cut short: its last word may be partial. */
  truncated?: boolean;
  /** Other shown inputs and their expected labels (failing cases and constraints). */
  others: readonly LabeledInput[];
  /** All labels known, to avoid words that name other labels. */
  labels: readonly string[];
  /** Phrases already used by rules (not proposed again). */
  taken?: ReadonlySet<string>;
}

/** The best phrase, or undefined when every candidate would also match another label's input. */
export function pickPhrase(options: PhraseOptions): string | undefined {
  const lower = options.own.input.toLowerCase();
  const toks = tokens(lower);
  if (options.truncated) toks.pop();
  const ownLabel = options.own.label.toLowerCase();
  const otherLabelWords = new Set(options.labels.filter((l) => l.toLowerCase() !== ownLabel).flatMap(labelWords));
  const ownRoots = new Set(labelWords(options.own.label).map(root));
  const others = options.others.map((o) => ({ input: o.input.toLowerCase(), same: o.label.toLowerCase() === ownLabel }));
  let best: { phrase: string; value: number } | undefined;
  const seen = new Set<string>();
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= toks.length; i++) {
      const words = toks.slice(i, i + n).map((t) => t.word);
      if (n === 1 && !isContent(words[0]!)) continue;
      if (n > 1 && (isStop(words[0]!) || isStop(words[n - 1]!) || !words.some(isContent))) continue;
      const phrase = lower.slice(toks[i]!.start, toks[i + n - 1]!.end);
      if (seen.has(phrase) || options.taken?.has(phrase) || !/^[a-z0-9'’]+(?:[ -][a-z0-9'’]+)*$/.test(phrase)) continue;
      seen.add(phrase);
      let conflict = false;
      let support = 0;
      for (const o of others) {
        if (!o.input.includes(phrase)) continue;
        if (o.same) support++;
        else conflict = true;
      }
      if (conflict) continue;
      const content = words.filter(isContent);
      const generic = content.filter((w) => otherLabelWords.has(w)).length;
      // Evidence it generalizes (same-label inputs) counts most; each extra word costs a little;
      // words naming other labels, short words and unsupported single words risk over-triggering;
      // a word of the label's own name (root) is a natural cue.
      let value = 3 * support - 0.75 * (n - 1) + phrase.length / 100;
      if (n === 1 && generic > 0) value -= 2;
      else if (generic === content.length) value -= 1;
      if (n === 1 && words[0]!.length < 4) value -= 1;
      if (n === 1 && support === 0) value -= 1;
      if (content.some((w) => ownRoots.has(root(w)) && !otherLabelWords.has(w))) value += 2;
      if (!best || value > best.value) best = { phrase, value };
    }
  }
  return best?.phrase;
}
