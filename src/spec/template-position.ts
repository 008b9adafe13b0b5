/**
 * Where a line and column of a prompt template sit in the file that holds it: a text prompt file is
 * the template itself (give or take surrounding blank lines); a chat prompt file (YAML or JSON) holds
 * each message's template as the `content` of its entry. For a Nunjucks syntax error, this turns
 * "template line 3, column 5" into the file's own line and column, so an editor can jump there.
 */
import { isScalar, parseDocument, Scalar } from 'yaml';
import { positionOfOffset } from './issues.js';

export interface FilePosition {
  line: number;
  column: number;
}

/** Where the template's first character is in `fileText`, and how its later lines are indented. */
interface TemplateStart extends FilePosition {
  /** Columns before a later line's text: a YAML block scalar's indentation, else 0. */
  indent: number;
}

/** `at` (1-based, within the template) as a position in the file; the template's start when `at` is not known. */
export function positionInFile(fileText: string, template: { text: string; index?: number }, at?: { line?: number; column?: number }): FilePosition {
  const start = templateStart(fileText, template) ?? { line: 1, column: 1, indent: 0 };
  if (at?.line === undefined) return { line: start.line, column: start.column };
  const column = at.column ?? 1;
  if (at.line <= 1) return { line: start.line, column: start.column + column - 1 };
  return { line: start.line + at.line - 1, column: start.indent + column };
}

function templateStart(fileText: string, template: { text: string; index?: number }): TemplateStart | undefined {
  if (template.index === undefined) {
    const at = [template.text, template.text.trim()].map((text) => (text === '' ? -1 : fileText.indexOf(text))).find((offset) => offset >= 0);
    return at === undefined ? undefined : { ...positionOfOffset(fileText, at), indent: 0 };
  }
  let node: unknown;
  try {
    node = parseDocument(fileText).getIn([template.index, 'content'], true);
  } catch {
    return undefined;
  }
  if (!isScalar(node) || !node.range) return undefined;
  const begin = node.range[0];
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // The text starts on the line after the `|` / `>` header, at the block's indentation.
    const nextLine = fileText.indexOf('\n', begin) + 1;
    if (nextLine === 0) return undefined;
    const indent = /^[ ]*/.exec(fileText.slice(nextLine))![0].length;
    return { ...positionOfOffset(fileText, nextLine + indent), indent };
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  return { ...positionOfOffset(fileText, begin + (quoted ? 1 : 0)), indent: 0 };
}
