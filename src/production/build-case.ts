/**
 * A logged record (and the records merged into it) -> the case it teaches, before redaction:
 *   - correction: `expected` = the correction, checked by the task's default assertions (or, when
 *     no default compares with {{expected}}, by `equals` / an llm-rubric on it);
 *   - thumbs-up: the approved output must keep passing: `equals` it when short, else an llm-rubric
 *     "keeps the substance of this approved answer";
 *   - comment (thumbs-down with a comment): an llm-rubric built from the comment: the problem the
 *     user described must not recur;
 *   - flag: the assertions the spec's `flags:` map gives the record's flags;
 *   - unlabelled: no assertion of its own (kept only with --keep-unlabelled).
 * Every case keeps its provenance under `metadata`.
 */
import { assertionUsesExpected } from '../assertions/run-assertions.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { Classified, FeedbackKind } from './classify.js';
import type { ProductionRecord } from './record.js';

/** An output at most this long, on one line, is checked with `equals`; a longer one by a judge. */
export const SHORT_OUTPUT_CHARS = 100;
/** Longest rejected output quoted in a comment rubric. */
const QUOTE_CHARS = 1_000;

export interface CaseDraft {
  vars: Record<string, unknown>;
  expected?: unknown;
  assert: AssertionSpec[];
  metadata: Record<string, unknown>;
}

export interface BuildContext {
  /** The spec's default assertions (does one of them compare with {{expected}}?). */
  defaultAssert: AssertionSpec[];
  /** The export file as provenance shows it (relative to the spec's folder when inside it). */
  sourceFile: string;
}

export function buildCase(record: ProductionRecord, classified: Classified, merged: { record: ProductionRecord; kind: FeedbackKind }[], context: BuildContext): CaseDraft {
  const { correction, comment, flags } = record.feedback;
  const metadata: Record<string, unknown> = {
    feedback: classified.kind,
    source: provenance(record, context.sourceFile),
    ...(flags.length > 0 ? { flags } : {}),
    ...(comment !== undefined ? { comment } : {}),
    ...(merged.length > 0 ? { merged: merged.map((m) => ({ ...provenanceOf(m.record), feedback: m.kind })) } : {}),
  };
  const draft: CaseDraft = { vars: record.vars ?? {}, assert: [], metadata };
  switch (classified.kind) {
    case 'correction':
      draft.expected = correction;
      if (!defaultsCheckExpected(context.defaultAssert)) draft.assert.push(checkOfAnswer('{{expected}}', correction, 'corrected'));
      draft.assert.push(...classified.flagAssertions);
      break;
    case 'thumbs_up': {
      const approved = asJsonIfStructured(record.output!);
      draft.assert.push(checkOfAnswer(approved, approved, 'approved'));
      break;
    }
    case 'comment':
      draft.assert.push({ type: 'llm-rubric', value: commentRubric(comment!, record.output) }, ...classified.flagAssertions);
      break;
    case 'flag':
      draft.assert.push(...classified.flagAssertions);
      break;
    case 'unlabelled':
      break;
  }
  return draft;
}

/** A default that templates {{expected}}, or a custom function (which may read context.expected), checks the expected answer. */
export function defaultsCheckExpected(defaults: AssertionSpec[]): boolean {
  return defaults.some((a) => assertionUsesExpected(a) || ['javascript', 'python'].includes(a.type.replace(/^not-/, '')));
}

/** `equals` for a short answer, an llm-rubric on its substance for a long one. */
function checkOfAnswer(value: unknown, answer: unknown, how: 'approved' | 'corrected'): AssertionSpec {
  const text = typeof answer === 'string' ? answer.trim() : JSON.stringify(answer);
  const short = (typeof answer !== 'string' && answer !== null && typeof answer === 'object') || (text.length <= SHORT_OUTPUT_CHARS && !text.includes('\n'));
  if (short) return { type: 'equals', value };
  return { type: 'llm-rubric', value: `The output keeps the substance of this ${how} answer (the wording may differ):\n<answer>\n${typeof value === 'string' ? value : text}\n</answer>` };
}

/** A JSON object or array output is compared as JSON (key order and spacing aside). */
function asJsonIfStructured(output: string): unknown {
  const trimmed = output.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return output;
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    return parsed !== null && typeof parsed === 'object' ? parsed : output;
  } catch {
    return output;
  }
}

function commentRubric(comment: string, rejected: string | undefined): string {
  const quoted = rejected === undefined ? '' : `\nThe rejected answer was:\n<rejected>\n${rejected.length > QUOTE_CHARS ? `${rejected.slice(0, QUOTE_CHARS)}…` : rejected}\n</rejected>`;
  return `A user rejected an earlier answer to this input and said what was wrong:\n<comment>\n${comment}\n</comment>${quoted}\nPass only if the output does not have the problem the user described.`;
}

function provenance(record: ProductionRecord, sourceFile: string): Record<string, unknown> {
  return {
    file: sourceFile,
    ...provenanceOf(record),
    ...(record.promptVersion !== undefined ? { prompt_version: record.promptVersion } : {}),
    ...(record.model !== undefined ? { model: record.model } : {}),
  };
}

function provenanceOf(record: ProductionRecord): Record<string, unknown> {
  return {
    line: record.line,
    ...(record.id !== undefined ? { record_id: record.id } : {}),
    ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
  };
}
