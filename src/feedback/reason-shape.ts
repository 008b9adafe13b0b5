/**
 * The shape of what a custom check said: its reason with the case-specific parts blanked (quoted
 * text, numbers, `name=value` pairs, lists after a colon), so reasons of one kind fall into one group:
 * "has 3 bullet points, needs 5" and "has 1 bullet points, needs 4" are both
 * "has # bullet points, needs #".
 */

const MAX_SHAPE_CHARS = 120;
const BLANK = '…';

export function reasonShape(said: string): string {
  let text = said.replace(/\s+/g, ' ').trim();
  // Quoted text: "…", '…' (not an apostrophe inside a word), “…”, `…`.
  text = text.replace(/"(?:[^"\\]|\\.)*"|“[^”]*”|`[^`]*`|(?<![\p{L}\p{N}])'[^']*'(?![\p{L}\p{N}])/gu, `"${BLANK}"`);
  // name=value and name: value pairs whose value was quoted or numeric.
  text = text.replace(/[\p{L}_][\p{L}\p{N}_.-]*\s*[=:]\s*(?:"…"|-?\d[\d,.]*)/gu, BLANK);
  // Numbers.
  text = text.replace(/(?<![\p{L}\p{N}_])-?\d+(?:[.,]\d+)*%?/gu, '#');
  // A list of names after a colon, up to the next clause: "missing: intent, slots" -> "missing: …".
  text = text.replace(/: (?:[\p{L}\p{N}_-]+|…|"…")(?:, (?:[\p{L}\p{N}_-]+|…|"…"))*(?=\s*(?:$|[;(])|\.(?:\s|$))/gu, `: ${BLANK}`);
  // Runs of blanks: "…, …" -> "…"; "#, #" -> "#".
  text = text.replace(/(?:"…"|…)(?:,? (?:and |or )?(?:"…"|…))+/g, BLANK).replace(/#(?:,? (?:and |or )?#)+/g, '#');
  text = text.replace(/"…"/g, BLANK);
  return text.length > MAX_SHAPE_CHARS ? `${text.slice(0, MAX_SHAPE_CHARS - 1)}${BLANK}` : text;
}
