/**
 * Finds JSON objects and arrays embedded in free text ("Here you go: ```json {...} ```"): scans for
 * balanced braces/brackets, respecting strings and escapes, and keeps the spans that parse.
 */

/** At most this many embedded values are returned (enough for any sane output, bounded for huge ones). */
const MAX_VALUES = 20;

/** End index (exclusive) of the balanced span opening at `start`, or -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** Every top-level JSON object/array embedded in `text`, in order of appearance. */
export function extractJsonValues(text: string, limit = MAX_VALUES): unknown[] {
  const found: unknown[] = [];
  let i = 0;
  while (i < text.length && found.length < limit) {
    const ch = text[i];
    if (ch !== '{' && ch !== '[') {
      i++;
      continue;
    }
    const end = balancedEnd(text, i);
    if (end > 0) {
      try {
        found.push(JSON.parse(text.slice(i, end)));
        i = end;
        continue;
      } catch {
        // Not JSON (prose like "[sic]"): try from the next character.
      }
    }
    i++;
  }
  return found;
}

/** The first JSON object/array embedded in `text`, or undefined. */
export function extractFirstJson(text: string): unknown {
  return extractJsonValues(text, 1)[0];
}

/** `JSON.parse` that reports failure as a value instead of throwing. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
