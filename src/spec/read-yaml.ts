/**
 * YAML text -> document with positions. Syntax errors, and aliases that cannot become data (a
 * bomb, a cycle, no anchor), become issues with line and column; a locator maps a path to where
 * it is, falling back to the nearest part of the path that exists.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { SpecIssue } from '../errors.js';
import { displayPath, type Locator, type PathSegment, type Position } from './issues.js';
import { findAliasProblem } from './yaml-aliases.js';

export interface ParsedYaml {
  doc: Document;
  locator: Locator;
  /** Syntax errors and alias problems; when non-empty, the document is not usable. */
  issues: SpecIssue[];
}

/**
 * Options for `doc.toJS()` once parseYaml found no issue: the aliases were checked (see
 * yaml-aliases.ts), so the yaml package's own cruder alias limit, which would throw, is off.
 */
export const TO_JS_OPTIONS = { maxAliasCount: -1 } as const;

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues = doc.errors.map((error): SpecIssue => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return {
      file: displayPath(file),
      line,
      column: col,
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
      hint: 'check the indentation and quoting on this line and the one before it',
    };
  });
  const aliasProblem = issues.length === 0 ? findAliasProblem(doc) : undefined;
  if (aliasProblem) {
    const { line, col } = lineCounter.linePos(aliasProblem.offset);
    issues.push({ file: displayPath(file), line, column: col, message: aliasProblem.message, hint: aliasProblem.hint });
  }
  return { doc, locator: yamlLocator(file, doc, lineCounter), issues };
}

export function yamlLocator(file: string, doc: Document, lineCounter: LineCounter): Locator {
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate(path, options = {}) {
      for (let n = path.length; n >= 0; n--) {
        const prefix = path.slice(0, n);
        // A missing field points at its nearest existing parent's key (`target:` for `target.base_url`).
        if (n > 0 && (options.key === true || n < path.length)) {
          const keyOffset = keyOffsetOf(doc, prefix);
          if (keyOffset !== undefined) return at(keyOffset);
        }
        const node = n === 0 ? doc.contents : doc.getIn(prefix, true);
        if (isNode(node) && node.range) return at(node.range[0]);
      }
      return {};
    },
  };
}

/** Offset of the key of the last segment (or of the item itself, in a sequence). */
function keyOffsetOf(doc: Document, path: readonly PathSegment[]): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
    return pair && isNode(pair.key) ? pair.key.range?.[0] : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last];
    return isNode(item) ? item.range?.[0] : undefined;
  }
  return undefined;
}
