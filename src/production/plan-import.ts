/**
 * The import, as a pure function: records read from an export -> the cases to append, and for
 * every other record why not. In order:
 *   1. malformed lines, records outside --since, and records lacking a variable the prompt needs
 *      are skipped with their line;
 *   2. records with the same variables (compared BEFORE redaction: two messages that differ only
 *      in an e-mail address are different inputs) are merged: a correction wins over a thumbs-up,
 *      which wins over a comment, then a flag; among equals the latest record wins, and differing
 *      corrections are reported as a conflict;
 *   3. each merged group becomes one case, redacted with one placeholder scope (so a correction
 *      and its input still match);
 *   4. a case whose variables match an existing case (as logged, or as redacted: a re-import of
 *      the same file) is skipped; a correction that disagrees with the existing case's expected is
 *      reported as a conflict and never applied.
 */
import type { AssertionSpec } from '../assertions/types.js';
import type { RedactionScope } from '../redact/redactor.js';
import type { RedactionCounts } from '../redact/types.js';
import type { SplitName, TestCase } from '../spec/types.js';
import { canonicalJson, hashValue } from '../util/hash.js';
import { buildCase, type CaseDraft } from './build-case.js';
import { classify, FEEDBACK_KINDS, type Classified, type FeedbackKind, type UnlabelledReason } from './classify.js';
import type { MalformedRecord, ProductionRecord } from './record.js';
import { isMalformed } from './to-record.js';

export const IMPORTED_ID_PREFIX = 'imp-';

export type SkipReason =
  | 'malformed'
  | 'missing_variable'
  | 'before_since'
  | 'no_timestamp'
  | 'thumbs_up_without_output'
  | UnlabelledReason
  | 'duplicate_of_existing_case'
  | 'conflicts_with_existing_case';

export interface Skipped {
  line: number;
  reason: SkipReason;
  /** A field, a variable name or a case id: never a logged value. */
  detail?: string;
}

export interface ImportedCase extends CaseDraft {
  id: string;
  kind: FeedbackKind;
  split?: SplitName;
}

export interface ImportPlan {
  cases: ImportedCase[];
  /** Records read (malformed lines included). */
  records: number;
  imported: Record<FeedbackKind, number>;
  /** Records folded into another record's case (same variables). */
  merged: { line: number; into: number }[];
  /** Records of the same input with different corrections: the latest was kept. */
  conflicts: { lines: number[]; kept: number }[];
  skipped: Skipped[];
  /** Placeholders written into the imported cases, by type (empty without redaction). */
  redactions: RedactionCounts;
}

export interface PlanImportInput {
  records: (ProductionRecord | MalformedRecord)[];
  existing: TestCase[];
  /** Root variables the prompt (and the fixed system/user templates) use. */
  neededVars: string[];
  defaultAssert: AssertionSpec[];
  flags: Readonly<Record<string, AssertionSpec[]>>;
  sourceFile: string;
  split: 'auto' | SplitName;
  /** Only records at or after this time (ms since the epoch). */
  since?: number;
  keepUnlabelled: boolean;
  /** A fresh placeholder scope per case; undefined: no redaction. */
  redaction?: { scope(): RedactionScope };
}

interface Candidate {
  record: ProductionRecord;
  classified: Classified;
}

export function planImport(input: PlanImportInput): ImportPlan {
  const plan: ImportPlan = {
    cases: [],
    records: input.records.length,
    imported: Object.fromEntries(FEEDBACK_KINDS.map((k) => [k, 0])) as Record<FeedbackKind, number>,
    merged: [],
    conflicts: [],
    skipped: [],
    redactions: {},
  };
  const skip = (line: number, reason: SkipReason, detail?: string) => plan.skipped.push({ line, reason, ...(detail !== undefined ? { detail } : {}) });

  const groups = new Map<string, Candidate[]>();
  for (const record of input.records) {
    if (isMalformed(record)) {
      skip(record.line, 'malformed', record.reason);
      continue;
    }
    if (!record.vars) {
      skip(record.line, 'malformed', 'neither input nor vars');
      continue;
    }
    const missing = input.neededVars.find((name) => record.vars![name] === undefined);
    if (missing !== undefined) {
      skip(record.line, 'missing_variable', missing);
      continue;
    }
    if (input.since !== undefined) {
      if (record.time === undefined) {
        skip(record.line, 'no_timestamp');
        continue;
      }
      if (record.time < input.since) {
        skip(record.line, 'before_since');
        continue;
      }
    }
    const classified = classify(record, input.flags);
    if (classified.kind === 'thumbs_up' && record.output === undefined) {
      skip(record.line, 'thumbs_up_without_output');
      continue;
    }
    const key = canonicalJson(record.vars);
    groups.set(key, [...(groups.get(key) ?? []), { record, classified }]);
  }

  const existing = indexByVars(input.existing);
  const ids = new Set(input.existing.map((c) => c.id));
  for (const group of groups.values()) {
    const [winner, ...others] = [...group].sort(byPrecedence);
    const lines = group.map((c) => c.record.line).sort((a, b) => a - b);
    if (winner!.classified.kind === 'unlabelled' && !input.keepUnlabelled) {
      for (const c of group) skip(c.record.line, c.classified.unlabelled!);
      continue;
    }
    const corrections = group.filter((c) => c.classified.kind === 'correction');
    if (new Set(corrections.map((c) => canonicalJson(c.record.feedback.correction))).size > 1) {
      plan.conflicts.push({ lines: corrections.map((c) => c.record.line).sort((a, b) => a - b), kept: winner!.record.line });
    }
    const draft = buildCase(
      winner!.record,
      winner!.classified,
      others.map((c) => ({ record: c.record, kind: c.classified.kind })),
      { defaultAssert: input.defaultAssert, sourceFile: input.sourceFile },
    );
    const scope = input.redaction?.scope();
    const redacted = redactDraft(draft, scope);
    const match = findExisting(existing, draft, redacted);
    if (match) {
      for (const line of lines) skip(line, match.reason, `case ${match.id}`);
      continue;
    }
    for (const c of others) plan.merged.push({ line: c.record.line, into: winner!.record.line });
    const id = uniqueId(`${IMPORTED_ID_PREFIX}${hashValue(redacted.vars).slice(0, 12)}`, ids);
    plan.cases.push({ id, ...redacted, kind: winner!.classified.kind, ...(input.split !== 'auto' ? { split: input.split } : {}) });
    plan.imported[winner!.classified.kind]++;
    for (const [stem, n] of Object.entries(scope?.counts() ?? {})) plan.redactions[stem] = (plan.redactions[stem] ?? 0) + n;
  }
  plan.skipped.sort((a, b) => a.line - b.line);
  plan.merged.sort((a, b) => a.line - b.line);
  return plan;
}

/** Kind precedence first, then the latest record (by timestamp, then line). */
function byPrecedence(a: Candidate, b: Candidate): number {
  const kind = FEEDBACK_KINDS.indexOf(a.classified.kind) - FEEDBACK_KINDS.indexOf(b.classified.kind);
  if (kind !== 0) return kind;
  const time = (b.record.time ?? -Infinity) - (a.record.time ?? -Infinity);
  if (time !== 0 && !Number.isNaN(time)) return time;
  return b.record.line - a.record.line;
}

/**
 * What the user wrote (variables, correction, comment, the logged output in assertions) and record
 * ids are redacted, in one scope; the system's own fields (file, line, timestamp, prompt version,
 * model, flags) are kept as logged: an epoch timestamp is not a phone number.
 */
function redactDraft(draft: CaseDraft, scope: RedactionScope | undefined): CaseDraft {
  if (!scope) return draft;
  const { comment, source, merged, ...rest } = draft.metadata as { comment?: string; source: Provenance; merged?: Provenance[] };
  const [vars, expected, assert, redactedComment, ids] = scope.value([
    draft.vars,
    draft.expected,
    draft.assert,
    comment,
    [source, ...(merged ?? [])].map((p) => p.record_id),
  ] as const);
  const withId = (p: Provenance, id: string | undefined): Provenance => (id === undefined ? p : { ...p, record_id: id });
  const redacted: Record<string, unknown> = { ...rest, source: withId(source, ids[0]), comment: redactedComment, merged: merged?.map((p, i) => withId(p, ids[i + 1])) };
  // The keys in their original order.
  const metadata = Object.fromEntries(Object.keys(draft.metadata).map((key) => [key, redacted[key]]));
  return { vars, ...(draft.expected !== undefined ? { expected } : {}), assert, metadata };
}

type Provenance = Record<string, unknown> & { record_id?: string };

function indexByVars(cases: TestCase[]): Map<string, TestCase[]> {
  const index = new Map<string, TestCase[]>();
  for (const c of cases) {
    const key = canonicalJson(c.vars);
    index.set(key, [...(index.get(key) ?? []), c]);
  }
  return index;
}

/** The existing case(s) with these variables (as logged, or as redacted), and whether a correction disagrees with them. */
function findExisting(existing: Map<string, TestCase[]>, raw: CaseDraft, redacted: CaseDraft): { reason: SkipReason; id: string } | undefined {
  const matches = [...new Set([...(existing.get(canonicalJson(raw.vars)) ?? []), ...(existing.get(canonicalJson(redacted.vars)) ?? [])])];
  if (matches.length === 0) return undefined;
  if (raw.expected !== undefined) {
    const answers = new Set([canonicalJson(raw.expected), canonicalJson(redacted.expected)]);
    const agrees = matches.find((c) => answers.has(canonicalJson(c.expected)));
    if (!agrees) return { reason: 'conflicts_with_existing_case', id: matches[0]!.id };
    return { reason: 'duplicate_of_existing_case', id: agrees.id };
  }
  return { reason: 'duplicate_of_existing_case', id: matches[0]!.id };
}

function uniqueId(base: string, ids: Set<string>): string {
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  ids.add(id);
  return id;
}
