/** A compact word-level diff of expected vs actual, for the failing cases shown to the optimizer. */
import { diffWords } from 'diff';

/** Longer inputs are cut before diffing: the rendering is a few hundred chars at most anyway. */
const MAX_DIFF_INPUT = 2000;
/** Give up on a token-level diff beyond this many edits and show the whole replacement. */
const MAX_EDIT_LENGTH = 300;
/** Unchanged text kept on each side of a change. */
const CONTEXT_CHARS = 24;

interface Part {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

const MARKERS: Record<Part['kind'], [string, string]> = {
  same: ['', ''],
  removed: ['[-', '-]'],
  added: ['{+', '+}'],
};

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ');
}

/** The first `n` chars, cut back to a word boundary when one is near. */
function head(text: string, n: number): string {
  if (text.length <= n) return text;
  const cut = text.slice(0, n);
  const space = cut.lastIndexOf(' ');
  return space > n / 2 ? cut.slice(0, space) : cut;
}

/** The last `n` chars, cut forward to a word boundary when one is near. */
function tail(text: string, n: number): string {
  if (text.length <= n) return text;
  const cut = text.slice(-n);
  const space = cut.indexOf(' ');
  return space >= 0 && space < n / 2 ? cut.slice(space + 1) : cut;
}

/** Keeps the start and end of a long run: `start … end`. */
function elideMiddle(text: string, keep: number): string {
  if (text.length <= 2 * keep + 3) return text;
  return `${head(text, keep)} … ${tail(text, keep)}`;
}

function toParts(expected: string, actual: string): Part[] {
  const changes = diffWords(expected.slice(0, MAX_DIFF_INPUT), actual.slice(0, MAX_DIFF_INPUT), {
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (!changes) {
    return [
      { kind: 'removed', text: expected },
      { kind: 'added', text: actual },
    ];
  }
  return changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

/**
 * `[-removed-]{+added+}` word diff from `expected` to `actual`. Unchanged runs keep a little context
 * next to each change and elide the rest (`…`); long changed runs keep their start and end. Whitespace
 * is collapsed to single spaces. The result never exceeds `maxChars`.
 */
export function compactDiff(expected: string, actual: string, maxChars = 240): string {
  if (maxChars <= 0) return '';
  if (expected === actual) return '(no difference)'.slice(0, maxChars);
  const changedKeep = Math.max(20, Math.floor(maxChars * 0.2));
  const parts = toParts(expected, actual);
  const rendered: string[] = [];
  parts.forEach((part, i) => {
    const text = collapse(part.text);
    if (part.kind !== 'same') {
      const [open, close] = MARKERS[part.kind];
      rendered.push(`${open}${elideMiddle(text, changedKeep)}${close}`);
      return;
    }
    const first = i === 0;
    const last = i === parts.length - 1;
    if (first && last) rendered.push(elideMiddle(text, CONTEXT_CHARS));
    else if (first) rendered.push(text.length > CONTEXT_CHARS + 2 ? `…${tail(text, CONTEXT_CHARS)}` : text);
    else if (last) rendered.push(text.length > CONTEXT_CHARS + 2 ? `${head(text, CONTEXT_CHARS)}…` : text);
    else rendered.push(elideMiddle(text, CONTEXT_CHARS));
  });
  return fitParts(rendered, parts, maxChars);
}

/** Joins rendered parts, cutting the first part that does not fit (keeping its closing marker). */
function fitParts(rendered: string[], parts: Part[], maxChars: number): string {
  const whole = rendered.join('').trim();
  if (whole.length <= maxChars) return whole;
  let out = '';
  for (let i = 0; i < rendered.length; i++) {
    const piece = rendered[i]!;
    const room = maxChars - 1 - out.length;
    if (piece.length <= room) {
      out += piece;
      continue;
    }
    const kind = parts[i]!.kind;
    if (kind === 'same') {
      out += piece.slice(0, room).replace(/…$/u, '');
      break;
    }
    const [open, close] = MARKERS[kind];
    const inner = piece.slice(open.length, piece.length - close.length);
    const innerRoom = room - open.length - close.length - 1;
    if (innerRoom >= 4) out += `${open}${inner.slice(0, innerRoom)}…${close}`;
    break;
  }
  return `${out.trimEnd()}…`;
}
