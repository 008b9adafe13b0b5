/**
 * A data file's bytes -> text. Bytes that are not UTF-8 (a file saved as Latin-1 or Windows-1252)
 * become U+FFFD, as Node's own decoding does, but the lines they were on are reported, so a
 * silently mangled case (`café` read as `caf�`) is seen before a run pays for it.
 */
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export interface DecodedText {
  text: string;
  /** 1-based numbers of the lines holding bytes that are not UTF-8 (empty when the file is valid UTF-8). */
  invalidLines: number[];
}

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: strict.decode(bytes), invalidLines: [] };
  } catch {
    return { text: lenient.decode(bytes), invalidLines: invalidLinesOf(bytes) };
  }
}

function invalidLinesOf(bytes: Uint8Array): number[] {
  const lines: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      strict.decode(bytes.subarray(start, i));
    } catch {
      lines.push(line);
    }
    start = i + 1;
    line++;
  }
  return lines;
}

/** `line 3`, `lines 3, 7, 9`, `lines 3, 7, 9 and 12 more`. */
export function describeLines(lines: readonly number[], shown = 3): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  const more = lines.length > shown ? ` and ${lines.length - shown} more` : '';
  return `lines ${lines.slice(0, shown).join(', ')}${more}`;
}
