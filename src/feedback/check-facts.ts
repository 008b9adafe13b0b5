/**
 * The facts a group's check yields, counted over its failing cases from the assertions' structured
 * details: the texts or patterns missing (or forbidden and present), schema errors by path and
 * keyword with the fields they name, JSON diff paths, what a function or judge said and its score,
 * the edit distance. Each fact counts a case once.
 */
import type { CaseFailure } from '../runner/types.js';
import type { Entry } from './analyze-failures.js';
import type { CheckIdentity } from './check-kind.js';
import { describeNeedles } from './check-kind.js';
import { mean, topCounts } from './text-stats.js';
import type { CheckFacts, NeedleCount, ReasonCount, SchemaErrorCount, TokenCount } from './types.js';

const TOP_NEEDLES = 5;
const TOP_SCHEMA_ERRORS = 6;
const TOP_FIELDS = 6;
const TOP_REASONS = 3;

export function emptyFacts(): CheckFacts {
  return {
    needles: [],
    forbidden: false,
    schemaErrors: [],
    missingFields: [],
    unexpectedFields: [],
    wrongFields: [],
    reasons: [],
    meanScore: null,
    distance: null,
  };
}

/** Counts each key once per case. */
class CaseCounter {
  private readonly counts = new Map<string, number>();
  private seen = new Set<string>();

  nextCase(): void {
    this.seen = new Set();
  }

  add(key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  top(limit: number): [string, number][] {
    return topCounts(this.counts, limit);
  }
}

export function checkFacts(check: CheckIdentity, entries: readonly Entry[]): CheckFacts {
  const facts = emptyFacts();
  const failures = (e: Entry): CaseFailure[] => e.failures;
  switch (check.family) {
    case 'text': {
      const needles = new CaseCounter();
      for (const e of entries) {
        needles.nextCase();
        for (const f of failures(e)) {
          const d = f.details;
          if (d?.kind !== 'text') continue;
          if (d.negated) facts.forbidden = true;
          const shown = d.negated ? d.needles.filter((n) => !d.missing.includes(n)) : d.missing;
          for (const n of shown) needles.add(describeNeedles(d.check, [n]));
        }
      }
      facts.needles = needles.top(TOP_NEEDLES).map(([text, count]): NeedleCount => ({ text, count }));
      break;
    }
    case 'json':
      jsonFacts(entries, facts);
      break;
    case 'function':
    case 'judge': {
      const reasons = new CaseCounter();
      const scores: number[] = [];
      for (const e of entries) {
        reasons.nextCase();
        for (const f of failures(e)) {
          const d = f.details;
          if (d?.kind === 'function' || d?.kind === 'judge') {
            if (d.said !== undefined && d.said !== '') reasons.add(d.said);
            if (d.score !== undefined) scores.push(d.score);
          }
        }
      }
      facts.reasons = reasons.top(TOP_REASONS).map(([text, count]): ReasonCount => ({ text, count }));
      facts.meanScore = mean(scores);
      break;
    }
    case 'exact': {
      const distances = entries.flatMap((e) => failures(e).flatMap((f) => (f.details?.kind === 'distance' ? [f.details] : [])));
      if (distances.length > 0) {
        facts.distance = { mean: mean(distances.map((d) => d.distance)) ?? 0, max: Math.max(...distances.map((d) => d.max)) };
      }
      break;
    }
    default:
      break;
  }
  return facts;
}

/** `/items/3/name` -> `/items/*\/name`: one kind of error, whatever the array position. */
function genericPath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/*').replace(/\[\d+\]/g, '[*]');
}

/** The property a path ends in (`/slots/artist` -> `artist`, `$.slots.artist` -> `artist`). */
function lastSegment(path: string): string {
  const parts = path.split(/[/.]/).filter((p) => p !== '' && p !== '$' && p !== '*' && p !== '[*]');
  return parts.at(-1)?.replace(/\[\*\]$/, '') ?? '(root)';
}

function jsonFacts(entries: readonly Entry[], facts: CheckFacts): void {
  const errors = new CaseCounter();
  const missing = new CaseCounter();
  const unexpected = new CaseCounter();
  const wrong = new CaseCounter();
  const byKey = new Map<string, Omit<SchemaErrorCount, 'count'>>();
  for (const e of entries) {
    for (const counter of [errors, missing, unexpected, wrong]) counter.nextCase();
    for (const f of e.failures) {
      const d = f.details;
      if (d?.kind === 'json') {
        for (const err of d.errors) {
          const path = genericPath(err.path);
          const key = `${path}\u0000${err.keyword}\u0000${err.field ?? ''}`;
          byKey.set(key, { path, keyword: err.keyword, ...(err.field !== undefined ? { field: err.field } : {}) });
          errors.add(key);
          if (err.keyword === 'required' || err.keyword === 'dependentRequired') missing.add(err.field ?? lastSegment(path));
          else if (err.keyword === 'additionalProperties' || err.keyword === 'unevaluatedProperties') unexpected.add(err.field ?? lastSegment(path));
          else if (!['anyOf', 'oneOf', 'allOf', 'if', 'not'].includes(err.keyword)) wrong.add(lastSegment(path));
        }
      } else if (d?.kind === 'json_diff') {
        for (const diff of d.diffs) {
          const path = genericPath(diff.path);
          const counter = diff.kind === 'missing' ? missing : diff.kind === 'unexpected' ? unexpected : wrong;
          counter.add(lastSegment(path));
        }
      }
    }
  }
  facts.schemaErrors = errors.top(TOP_SCHEMA_ERRORS).map(([key, count]) => ({ ...byKey.get(key)!, count }));
  const tokens = (counter: CaseCounter): TokenCount[] => counter.top(TOP_FIELDS).map(([token, count]) => ({ token, count }));
  facts.missingFields = tokens(missing);
  facts.unexpectedFields = tokens(unexpected);
  facts.wrongFields = tokens(wrong);
}
