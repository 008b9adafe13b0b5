/**
 * YAML aliases checked before a document becomes data: an alias with no anchor before it, an
 * alias inside the node it names (a cycle: the data would never end), and an alias bomb ("billion
 * laughs": a few lines whose aliases expand to millions of values) are spec errors at the alias's
 * line, not a crash or an out-of-memory. Sizes are computed once per anchor, so the check is
 * linear in the document however much the aliases would expand.
 */
import { isAlias, isCollection, isPair, type Document, type Node } from 'yaml';

/** Values that aliases may add to a document; far beyond what sharing a block of settings needs. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

export interface AliasProblem {
  /** Character offset of the alias. */
  offset: number;
  message: string;
  hint: string;
}

export function findAliasProblem(doc: Document): AliasProblem | undefined {
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let literal = 0;
  let problem: AliasProblem | undefined;
  let largest: { offset: number; source: string; size: number } | undefined;

  const sizeOf = (node: unknown): number => {
    if (problem || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      literal++;
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined) {
        problem = { offset, message: `alias *${node.source} has no anchor &${node.source} before it`, hint: 'define the anchor (&name) before any alias (*name) that uses it' };
        return 0;
      }
      if (open.has(target)) {
        problem = { offset, message: `alias *${node.source} is inside the node it refers to (a cycle)`, hint: 'an alias may only repeat a node that is complete before it' };
        return 0;
      }
      const size = sizes.get(target) ?? 0;
      if (!largest || size > largest.size) largest = { offset, source: node.source, size };
      return size;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    let size: number;
    if (isPair(node)) size = sizeOf(node.key) + sizeOf(node.value);
    else {
      literal++;
      size = 1;
      if (isCollection(node)) {
        open.add(node);
        for (const item of node.items) size += sizeOf(item);
        open.delete(node);
      }
    }
    sizes.set(node, size);
    return size;
  };

  const total = sizeOf(doc.contents as Node | null);
  if (problem) return problem;
  if (largest && total - literal > MAX_ALIAS_EXPANSION) {
    return {
      offset: largest.offset,
      message: `aliases expand this document to ${total.toLocaleString('en-US')} values (alias *${largest.source} alone repeats ${largest.size.toLocaleString('en-US')}); refused as a YAML alias bomb`,
      hint: `aliases may add at most ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values; write repeated data out, or put assertions every case shares under defaults.assert`,
    };
  }
  return undefined;
}
