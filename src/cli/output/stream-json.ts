/**
 * Writes `{...head, [key]: [...items]}` piece by piece, byte for byte what JSON.stringify would give
 * for the whole object (compact, or indented by 2 like `JSON.stringify(doc, null, 2)`), with the
 * array last. The items are serialized one at a time, so the document is never in memory whole.
 */
import type { TextSink } from './text-sink.js';

export async function writeJsonDocument(
  sink: TextSink,
  head: Record<string, unknown>,
  key: string,
  items: Iterable<unknown>,
  options: { pretty: boolean },
): Promise<void> {
  const { pretty } = options;
  const opening = JSON.stringify(head, null, pretty ? 2 : undefined);
  // `{}` or `{...}` (compact), `{}` or `{\n...\n}` (pretty): drop the closing brace to append the array.
  const empty = opening === '{}';
  const body = opening.slice(0, opening.length - (pretty && !empty ? 2 : 1));
  const separator = empty ? '' : ',';
  await sink.write(pretty ? `${body}${separator}\n  ${JSON.stringify(key)}: [` : `${body}${separator}${JSON.stringify(key)}:[`);
  let count = 0;
  for (const item of items) {
    const text = JSON.stringify(item, null, pretty ? 2 : undefined);
    if (text === undefined) throw new TypeError(`writeJsonDocument: item ${count} of "${key}" is not JSON`);
    if (pretty) await sink.write(`${count === 0 ? '' : ','}\n    ${text.replace(/\n/g, '\n    ')}`);
    else await sink.write(`${count === 0 ? '' : ','}${text}`);
    count += 1;
  }
  if (pretty) await sink.write(count === 0 ? ']\n}' : '\n  ]\n}');
  else await sink.write(']}');
}
