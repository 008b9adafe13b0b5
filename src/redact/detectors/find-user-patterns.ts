/** The spec's own patterns (`redact.patterns`): every match becomes `<NAME_n>`. */
import type { Finding, UserPattern } from '../types.js';

export function compileUserPattern(pattern: UserPattern): RegExp {
  return new RegExp(pattern.regex, pattern.ignoreCase ? 'gi' : 'g');
}

export function findUserPatterns(text: string, patterns: readonly { name: string; regex: RegExp }[]): Finding[] {
  const found: Finding[] = [];
  for (const { name, regex } of patterns) {
    regex.lastIndex = 0;
    for (const match of text.matchAll(regex)) {
      if (match[0] === '') continue;
      found.push({ start: match.index, end: match.index + match[0].length, stem: name, key: match[0] });
    }
  }
  return found;
}
