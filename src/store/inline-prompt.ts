/**
 * The inline `prompt:` of a spec, read and rewritten through the yaml Document API so every comment
 * and the formatting of the rest of the file survive. A multi-line prompt is written as a literal
 * block scalar (`|`, `|-` or `|+` as its trailing newlines need). Pure: text in, text out.
 */
import { isScalar, parseDocument, Scalar, type Document } from 'yaml';
import { PromptoptError, EXIT } from '../errors.js';

const KEY = 'prompt';

/** The value of the top-level `prompt` scalar. */
export function readInlinePrompt(yamlText: string): string {
  return promptNode(parse(yamlText)).value as string;
}

/** `yamlText` with its top-level `prompt` set to `text`; throws when the result would not read back as `text`. */
export function rewriteInlinePrompt(yamlText: string, text: string): string {
  const doc = parse(yamlText);
  const node = promptNode(doc);
  node.value = text;
  if (text.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
  else if (node.type === Scalar.BLOCK_FOLDED) node.type = Scalar.BLOCK_LITERAL;
  // lineWidth 0: never fold long lines, so scalars elsewhere keep their shape.
  const out = doc.toString({ lineWidth: 0 });
  const check = parseDocument(out);
  if (check.errors.length > 0 || check.get(KEY) !== text) {
    throw new PromptoptError('PROMPT_REWRITE_FAILED', 'the rewritten spec would not hold the prompt exactly; nothing was written', {
      exitCode: EXIT.badInput,
      hint: 'move the prompt to a file (prompt: file://prompt.md) and promote again',
    });
  }
  return out;
}

function parse(yamlText: string): Document {
  const doc = parseDocument(yamlText, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new PromptoptError('SPEC_INVALID', `the spec is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { exitCode: EXIT.badInput });
  }
  return doc;
}

function promptNode(doc: Document): Scalar {
  const node = doc.get(KEY, true);
  if (!isScalar(node) || typeof node.value !== 'string') {
    throw new PromptoptError('PROMPT_NOT_INLINE', 'the spec has no inline `prompt:` text to rewrite', {
      exitCode: EXIT.badInput,
      location: { path: KEY },
    });
  }
  return node;
}
