/**
 * Adds a cases file to the spec's `cases:`, editing only that node's text so every comment and the
 * formatting of the rest of the file stay byte for byte: `cases: cases.csv` becomes
 * `cases: [cases.csv, task.imported.jsonl]`, a flow list gets `, file` before its `]`, and a block
 * list gets one more `- file` line after its last item. The yaml Document API finds where the node
 * is; the result must read back as the same spec plus that file, or nothing is written.
 */
import { isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { PromptoptError } from '../errors.js';
import { canonicalJson } from '../util/hash.js';

export function addCasesFile(yamlText: string, entry: string): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) throw rewriteError(`the spec is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const node = doc.get('cases', true) as Node | undefined;
  const item = /^[A-Za-z0-9_./-]+$/.test(entry) ? entry : JSON.stringify(entry);
  const out = node?.range ? splice(yamlText, node, item) : undefined;
  if (out === undefined) throw rewriteError('the spec has no `cases:` file or list to add the imported cases to');
  const before = doc.toJS() as Record<string, unknown>;
  const check = parseDocument(out);
  const expected = { ...before, cases: [...[before.cases].flat(), entry] };
  if (check.errors.length > 0 || canonicalJson(check.toJS()) !== canonicalJson(expected)) {
    throw rewriteError('the edited spec would not read back as the same spec plus the imported file; nothing was written');
  }
  return out;
}

function splice(text: string, node: Node, item: string): string | undefined {
  const [start, end] = node.range!;
  if (isScalar(node)) return `${text.slice(0, start)}[${text.slice(start, end)}, ${item}]${text.slice(end)}`;
  if (!isSeq(node)) return undefined;
  if (node.flow) {
    const close = text.lastIndexOf(']', end - 1);
    if (close < start) return undefined;
    const inside = text.slice(start + 1, close).trim();
    const before = text.slice(0, close).replace(/\s+$/, '');
    return `${before}${inside === '' ? '' : ', '}${item}${text.slice(close)}`;
  }
  const last = node.items[node.items.length - 1] as Node | undefined;
  if (!last?.range) return undefined;
  const indent = ' '.repeat(start - (text.lastIndexOf('\n', start - 1) + 1));
  const lineEnd = text.indexOf('\n', last.range[1] - 1);
  if (lineEnd === -1) return `${text}\n${indent}- ${item}\n`;
  return `${text.slice(0, lineEnd + 1)}${indent}- ${item}\n${text.slice(lineEnd + 1)}`;
}

function rewriteError(message: string): PromptoptError {
  return new PromptoptError('SPEC_REWRITE_FAILED', message, {
    hint: 'list the imported file under `cases:` yourself (cases: [your-cases-file, <name>.imported.jsonl]) and import again',
  });
}
