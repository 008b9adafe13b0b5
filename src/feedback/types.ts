/**
 * What the feedback stage produces from eval results: failures grouped by category, each with
 * patterns measured on the data (tokens, lengths, label confusions, text added around the answer).
 * The formatters in `format-feedback.ts` turn this into the text the optimizer model reads.
 */
import type { FailureCategory } from '../assertions/types.js';

/** A token and the number of failing cases whose text contains it (document frequency). */
export interface TokenCount {
  token: string;
  count: number;
}

/** `expected` label answered as `actual` (normalised, see `extractLabel`), in `count` cases. */
export interface ConfusionPair {
  expected: string;
  actual: string;
  count: number;
}

/** Text found before (prefix) or after (suffix) the expected answer inside an output. */
export interface AffixCount {
  /** Whitespace-collapsed; long affixes are shortened with `…` on the side away from the answer. */
  text: string;
  words: number;
  count: number;
}

/** Character and word lengths; the expected side covers only cases with an expected value. */
export interface LengthStats {
  meanOutputChars: number;
  medianOutputChars: number;
  meanOutputWords: number;
  medianOutputWords: number;
  /** null when no case in the group has an expected value. */
  meanExpectedChars: number | null;
  medianExpectedChars: number | null;
  meanExpectedWords: number | null;
  medianExpectedWords: number | null;
  /** Mean of (output words - expected words) over cases with an expected value. */
  meanExtraWords: number | null;
}

/** The answer found inside a longer output: how often, and what was added around it. */
export interface WrappingStats {
  /** Outputs that contain the expected text (ignoring case) but are not exactly it. */
  wrapped: number;
  /** Outputs that are the expected text apart from letter case. */
  caseOnly: number;
  /** Outputs whose expected text differs only in letter case (standalone or wrapped). */
  caseMismatch: number;
  prefixes: AffixCount[];
  suffixes: AffixCount[];
}

/** Output shape counts, mostly useful for JSON tasks. */
export interface ShapeStats {
  empty: number;
  /** Outputs containing a ``` code fence. */
  codeFenced: number;
  /** Outputs with a `{`/`[` block plus other text before or after it. */
  textAroundJson: number;
}

/** One concrete failing case, compact. Raw case text: never used by descriptive feedback. */
export interface FailureExample {
  caseId: string;
  /** `key="value", …` with long values shortened. */
  vars: string;
  expected?: string;
  actual: string;
  reason: string;
}

export interface FailureGroup {
  category: FailureCategory;
  /** Cases failing in this category (a case counts once per category it failed). */
  count: number;
  caseIds: string[];
  /** True when every expected value in the group is a short label (see `isLabelLike`). */
  labelLike: boolean;
  expectedTokens: TokenCount[];
  actualTokens: TokenCount[];
  /** Tokens of the expected value absent from the output, by number of cases. */
  missingTokens: TokenCount[];
  lengths: LengthStats;
  /** Label groups only; pairs where the extracted label differs from the expected one. */
  confusions: ConfusionPair[];
  /** Label groups only: outputs whose extracted label equals the expected one. */
  correctLabel: number;
  wrapping: WrappingStats;
  shape: ShapeStats;
  example: FailureExample;
  /** One paragraph with concrete numbers; may quote short affixes such as "The answer is:". */
  description: string;
  suggestedFix: string;
}

export interface ExcludedFailures {
  count: number;
  caseIds: string[];
  /** Error code -> number of cases. */
  codes: Record<string, number>;
}

export interface FailureAnalysis {
  total: number;
  passed: number;
  failed: number;
  /** passed / total (0 when there are no cases). */
  passRate: number;
  /** Mean case score, 0..1 (repeat makes it differ from passRate). */
  score: number;
  /** Groups for prompt feedback: count desc, then severity desc, then name. No provider_error. */
  groups: FailureGroup[];
  /** Cases whose model call failed: not the prompt's fault, kept out of `groups`. */
  providerErrors: ExcludedFailures;
  /** Short expected values seen in the results (all cases), used to read labels out of outputs. */
  labels: string[];
}
