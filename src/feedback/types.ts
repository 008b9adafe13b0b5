/**
 * What the feedback stage produces from eval results: failures grouped by the check that failed
 * (assertion type + metric + category, and a javascript check's reason), each with the facts that
 * kind of check yields (label confusions, missing text or patterns, schema errors, what a function
 * or judge said) and patterns measured on the data. The formatters in `format-feedback.ts` turn this
 * into the text the optimizer model reads.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CheckFamily } from './check-kind.js';
import type { VarFact } from './vocabulary/case-block.js';

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

/** A text a check looked for (or forbade), and in how many failing cases. */
export interface NeedleCount {
  /** The needle as shown: `/pattern/` or a quoted text. */
  text: string;
  count: number;
}

/** One kind of schema error (path + keyword + field) and in how many failing cases. */
export interface SchemaErrorCount {
  /** JSON Pointer with array indices as `*`; '' for the root. */
  path: string;
  keyword: string;
  field?: string;
  count: number;
}

/** A distinct reason a function or judge gave, and how often. */
export interface ReasonCount {
  text: string;
  count: number;
}

/** Facts only some checks yield; empty for the others. */
export interface CheckFacts {
  /** text checks: needles missing (or present, when `forbidden`). */
  needles: NeedleCount[];
  forbidden: boolean;
  /** json checks: schema errors by path and keyword; JSON diff paths by kind. */
  schemaErrors: SchemaErrorCount[];
  /** json checks: fields required but missing, present but not allowed, present with a wrong value. */
  missingFields: TokenCount[];
  unexpectedFields: TokenCount[];
  wrongFields: TokenCount[];
  /** function and judge checks: the reasons given (raw), most frequent first. */
  reasons: ReasonCount[];
  /** function and judge checks: mean score of the failed check (null when none was given). */
  meanScore: number | null;
  /** levenshtein: mean edit distance and the most allowed. */
  distance: { mean: number; max: number } | null;
}

/** One concrete failing case, compact. Raw case text: never used by descriptive feedback. */
export interface FailureExample {
  caseId: string;
  /** The variables shown (long values shortened). */
  vars: VarFact[];
  expected?: string;
  actual: string;
  reason: string;
}

export interface FailureGroup {
  /** Grouping key (title + category). */
  key: string;
  /** The check's title: `regex [final-answer]`, `javascript "has # bullet points, needs #"`. */
  title: string;
  /** The assertion type (with `not-`) and `metric:` name of the check. */
  type: string;
  metric?: string;
  family: CheckFamily;
  category: FailureCategory;
  /** Cases failing this check (a case counts once per group it failed in). */
  count: number;
  caseIds: string[];
  /** True for `equals` against short labels (family `label`, see `isLabelLike`). */
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
  facts: CheckFacts;
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
  /**
   * The pass rate as eval and the optimizer compute it: the mean over the checked cases of the share
   * of their samples that passed (passed / total without repeat; 0 when there are no cases).
   */
  passRate: number;
  /** Mean case score, 0..1 (partial credit makes it differ from passRate). */
  score: number;
  /** Groups for prompt feedback: count desc, then severity desc, then title. No provider_error. */
  groups: FailureGroup[];
  /** Cases whose model call failed: not the prompt's fault, kept out of `groups`. */
  providerErrors: ExcludedFailures;
  /** Short expected values of `equals` checks (all cases), used to read labels out of outputs. */
  labels: string[];
}
