/**
 * The PII redactor: finds personal data in text with every enabled detector, keeps one finding
 * where several overlap (the first to start, then the longest, then the first in REDACTION_TYPES
 * order, then user patterns), and replaces each with a typed placeholder. A `RedactionScope` numbers placeholders:
 * within one scope (one imported record) the same value always gets the same placeholder, so an
 * input and its correction still match; counts by type are kept for the report, values never are.
 */
import { findCards } from './detectors/find-cards.js';
import { findEmails } from './detectors/find-emails.js';
import { findIbans } from './detectors/find-ibans.js';
import { findIps } from './detectors/find-ips.js';
import { findPhones } from './detectors/find-phones.js';
import { findSecrets } from './detectors/find-secrets.js';
import { compileUserPattern, findUserPatterns } from './detectors/find-user-patterns.js';
import { REDACTION_TYPES, type Finding, type RedactConfig, type RedactionCounts, type RedactionType } from './types.js';

const DETECTORS: Record<RedactionType, (text: string, config: RedactConfig) => Finding[]> = {
  secret: (text) => findSecrets(text),
  email: (text) => findEmails(text),
  iban: (text) => findIbans(text),
  card: (text) => findCards(text),
  ip: (text) => findIps(text),
  phone: (text, config) => findPhones(text, config.phoneRegion),
};

export interface PiiRedactor {
  /** A fresh numbering scope: one per record. */
  scope(): RedactionScope;
  /** Occurrences replaced so far by every scope of this redactor, by placeholder stem. */
  counts(): RedactionCounts;
}

export interface RedactionScope {
  text(text: string): string;
  /** A deep copy with every string redacted (object keys kept). */
  value<T>(value: T): T;
  /** Occurrences replaced in this scope, by placeholder stem. */
  counts(): RedactionCounts;
}

export function createPiiRedactor(config: RedactConfig): PiiRedactor {
  const patterns = config.patterns.map((p) => ({ name: p.name, regex: compileUserPattern(p) }));
  const rank = new Map<string, number>(REDACTION_TYPES.map((type, i) => [type.toUpperCase(), i]));
  const totals: RedactionCounts = {};
  const find = (text: string): Finding[] => {
    const all = [...config.types.flatMap((type) => DETECTORS[type](text, config)), ...findUserPatterns(text, patterns)];
    return pickNonOverlapping(all, (stem) => rank.get(stem) ?? REDACTION_TYPES.length);
  };

  return {
    counts: () => ({ ...totals }),
    scope() {
      const numbers = new Map<string, Map<string, number>>();
      const counts: RedactionCounts = {};
      /** Every value seen in this scope, as patterns that find its other spellings. */
      const sweeps: { stem: string; key: string; pattern: RegExp }[] = [];
      const register = (finding: Finding): number => {
        const byKey = numbers.get(finding.stem) ?? new Map<string, number>();
        numbers.set(finding.stem, byKey);
        let n = byKey.get(finding.key);
        if (n === undefined) {
          byKey.set(finding.key, (n = byKey.size + 1));
          for (const pattern of sweepPatterns(finding)) sweeps.push({ stem: finding.stem, key: finding.key, pattern });
        }
        return n;
      };
      const detect = (input: string): Finding[] => {
        const found = find(input);
        for (const finding of found) register(finding);
        return found;
      };
      /** The findings plus other spellings of values seen in this scope, replaced left to right. */
      const replace = (input: string, found: Finding[]): string => {
        const swept = sweeps.flatMap(({ stem, key, pattern }) => [...input.matchAll(pattern)].map((m): Finding => ({ start: m.index, end: m.index + m[0].length, stem, key })));
        const findings = pickNonOverlapping([...found, ...swept], (stem) => rank.get(stem) ?? REDACTION_TYPES.length);
        if (findings.length === 0) return input;
        let out = '';
        let at = 0;
        for (const finding of findings) {
          totals[finding.stem] = (totals[finding.stem] ?? 0) + 1;
          counts[finding.stem] = (counts[finding.stem] ?? 0) + 1;
          out += `${input.slice(at, finding.start)}<${finding.stem}_${register(finding)}>`;
          at = finding.end;
        }
        return out + input.slice(at);
      };
      const text = (input: string): string => replace(input, detect(input));
      // Two passes: every value of the record is known before any string is replaced, so an output
      // that spells a number of the request differently is caught wherever it comes in the record.
      const value = <T>(input: T): T => {
        const found = new Map<string, Finding[]>();
        redactDeep(input, (s) => {
          if (!found.has(s)) found.set(s, detect(s));
          return s;
        });
        return redactDeep(input, (s) => replace(s, found.get(s) ?? detect(s))) as T;
      };
      return { text, value, counts: () => ({ ...counts }) };
    },
  };
}

/** The value itself (e-mail case-insensitively), and its variants with any separators between characters. */
function sweepPatterns(finding: Finding): RegExp[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [new RegExp(escape(finding.key), finding.stem === 'EMAIL' ? 'gi' : 'g')];
  for (const variant of finding.variants ?? []) {
    if (variant.length < 7) continue;
    patterns.push(new RegExp(`(?<![A-Za-z0-9])${[...variant].map(escape).join('[\\s().\\/-]*')}(?![A-Za-z0-9])`, 'g'));
  }
  return patterns;
}

/** Left to right; at one position the longest finding wins, then the better-ranked type; overlaps are dropped. */
function pickNonOverlapping(findings: Finding[], rankOf: (stem: string) => number): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || rankOf(a.stem) - rankOf(b.stem));
  const kept: Finding[] = [];
  let end = 0;
  for (const finding of sorted) {
    if (finding.start < end) continue;
    kept.push(finding);
    end = finding.end;
  }
  return kept;
}

function redactDeep(value: unknown, text: (input: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, text));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, text)]));
  }
  return value;
}
