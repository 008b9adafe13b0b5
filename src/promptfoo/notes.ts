/**
 * What a mapping could not carry over. A feature promptopt does not run is collected as one item
 * (file, line, what) and all of them become ONE warning; an assertion it cannot run is an error
 * (exit 2 before any call), since running without it would pass cases unchecked.
 */
import { SpecError, type SpecIssue } from '../errors.js';
import { displayPath, sortIssues } from '../spec/issues.js';
import { likelyTypoOf } from '../spec/did-you-mean.js';
import type { Where } from './types.js';

export class MappingNotes {
  private readonly unmapped: { where: Where; what: string }[] = [];
  private readonly errors: SpecIssue[] = [];

  /** A feature not mapped: named in the warning. */
  skip(where: Where, what: string): void {
    this.unmapped.push({ where, what });
  }

  /**
   * A key the mapping does not carry: an error when it reads as a misspelling of a key it knows
   * (`defaultTests`, `asert`, `treshold`, a CSV column `__expectd`), since skipping it would drop the
   * checks it was meant to hold; otherwise a feature named in the warning.
   */
  unknownKey(where: Where, key: string, known: readonly string[], what: string): void {
    const typo = known.includes(key) ? undefined : likelyTypoOf(key, known);
    if (typo === undefined) this.skip(where, what);
    else this.fail(where, `unknown key \`${key}\` (did you mean \`${typo}\`?)`, 'a misspelled key would be skipped with everything under it; correct it, or remove it');
  }

  /** Something that cannot run as promptfoo would run it: an error. */
  fail(where: Where, message: string, hint?: string): void {
    this.errors.push({ file: displayPath(where.file), ...(where.line !== undefined ? { line: where.line, column: 1 } : {}), message, ...(hint ? { hint } : {}) });
  }

  throwIfFailed(): void {
    if (this.errors.length > 0) throw new SpecError(sortIssues(this.errors));
  }

  /** In reading order: files as first named, then by line. */
  private sorted(): { where: Where; what: string }[] {
    const files = [...new Set(this.unmapped.map((u) => u.where.file))];
    return this.unmapped
      .map((item, index) => ({ item, index }))
      .sort((a, b) => files.indexOf(a.item.where.file) - files.indexOf(b.item.where.file) || (a.item.where.line ?? 0) - (b.item.where.line ?? 0) || a.index - b.index)
      .map(({ item }) => item);
  }

  warning(): string | undefined {
    if (this.unmapped.length === 0) return undefined;
    const n = this.unmapped.length;
    return [
      `warning: ${n} promptfoo feature${n === 1 ? ' is' : 's are'} not mapped; promptopt runs without ${n === 1 ? 'it' : 'them'}:`,
      ...this.sorted().map(({ where, what }) => `  - ${formatWhere(where)}: ${what}`),
    ].join('\n');
  }
}

export function formatWhere(where: Where): string {
  return where.line === undefined ? displayPath(where.file) : `${displayPath(where.file)}:${where.line}`;
}
