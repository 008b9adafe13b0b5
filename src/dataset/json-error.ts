/**
 * `JSON.parse` errors -> a short message and the character offset they point at. V8 says "at
 * position N" for most errors, but "Unexpected token" errors quote up to 10 characters of context
 * on each side instead; the offset is recovered from that context.
 */
const CONTEXT_CHARS = 10;

export function describeJsonError(error: unknown, text: string): { message: string; offset?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const positioned = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (positioned) return { message: message.replace(positioned[0], '').trim(), offset: Number(positioned[1]) };
  const unexpected = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!unexpected) return { message };
  const [, token, before, context, after] = unexpected as unknown as [string, string, string | undefined, string, string | undefined];
  let offset: number;
  if (before) offset = text.indexOf(context) + CONTEXT_CHARS;
  else if (after) offset = context.length - CONTEXT_CHARS;
  else offset = text.indexOf(token);
  return { message: `Unexpected token '${token}'`, offset: offset >= 0 ? offset : undefined };
}
