/**
 * What a logged record teaches: its feedback kind, and for system flags the assertions the spec's
 * `flags:` map gives them (flags with no assertion stay as metadata). A record that carries nothing
 * checkable is unlabelled, with the reason; `--keep-unlabelled` keeps those as cases anyway.
 */
import type { AssertionSpec } from '../assertions/types.js';
import type { ProductionRecord } from './record.js';

/** In merge precedence: when records of the same input are merged, the first kind here wins. */
export const FEEDBACK_KINDS = ['correction', 'thumbs_up', 'comment', 'flag', 'unlabelled'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Why a record is unlabelled (it becomes a case only with --keep-unlabelled). */
export type UnlabelledReason = 'thumbs_down_without_comment' | 'comment_without_rating' | 'unmapped_flags_only' | 'no_feedback';

/** Flags every task understands; the spec's `flags:` overrides them. */
export const BUILT_IN_FLAGS: Readonly<Record<string, AssertionSpec[]>> = {
  json: [{ type: 'is-json' }],
};

export interface Classified {
  kind: FeedbackKind;
  /** Assertions from the record's mapped flags (not used for a thumbs-up: the user approved that output). */
  flagAssertions: AssertionSpec[];
  /** Flags the spec maps to nothing: kept as metadata only. */
  unmappedFlags: string[];
  unlabelled?: UnlabelledReason;
}

/** The assertions for one flag: the spec's entry for it, else for its prefix (`moderation` for `moderation:hate`), else a built-in. */
export function assertionsForFlag(flag: string, specFlags: Readonly<Record<string, AssertionSpec[]>>): AssertionSpec[] | undefined {
  const prefix = flag.includes(':') ? flag.slice(0, flag.indexOf(':')) : undefined;
  for (const table of [specFlags, BUILT_IN_FLAGS]) {
    if (Object.hasOwn(table, flag)) return table[flag];
    if (prefix !== undefined && Object.hasOwn(table, prefix)) return table[prefix];
  }
  return undefined;
}

export function classify(record: ProductionRecord, specFlags: Readonly<Record<string, AssertionSpec[]>>): Classified {
  const { rating, correction, comment, flags } = record.feedback;
  const flagAssertions: AssertionSpec[] = [];
  const unmappedFlags: string[] = [];
  for (const flag of flags) {
    const assertions = assertionsForFlag(flag, specFlags);
    if (assertions) flagAssertions.push(...assertions.filter((a) => !flagAssertions.some((b) => JSON.stringify(a) === JSON.stringify(b))));
    else unmappedFlags.push(flag);
  }
  const base = { flagAssertions, unmappedFlags };
  if (correction !== undefined) return { kind: 'correction', ...base };
  if (rating === 'up') return { kind: 'thumbs_up', flagAssertions: [], unmappedFlags };
  if (rating === 'down' && comment !== undefined) return { kind: 'comment', ...base };
  if (flagAssertions.length > 0) return { kind: 'flag', ...base };
  const unlabelled: UnlabelledReason =
    rating === 'down' ? 'thumbs_down_without_comment' : comment !== undefined ? 'comment_without_rating' : flags.length > 0 ? 'unmapped_flags_only' : 'no_feedback';
  return { kind: 'unlabelled', ...base, unlabelled };
}
