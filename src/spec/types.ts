/**
 * The normalized task spec: what `loadSpec` returns after read -> schema -> normalize -> rules.
 * Field names are camelCase here; the YAML uses snake_case (see README "Spec reference").
 */
import type { ModelConfig, ResponseFormat } from '../providers/types.js';
import type { PromptForm } from '../template/chat-prompt.js';
import type { TemplateEngine } from '../template/template.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { NotifyEventType } from '../notify/types.js';
import type { RedactConfig } from '../redact/types.js';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/**
 * What a prompt is judged by (`objective:`): the share of cases that pass, or the mean of the case
 * scores (each the weighted mean of its assertion scores). Both are always reported; this one gates
 * `eval`, drives the optimizer and decides `compare`'s verdicts.
 */
export const OBJECTIVES = ['pass_rate', 'mean_score'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Where a value came from in a YAML file, for error messages. */
export interface Origin {
  file: string;
  path: string;
  line?: number;
  column?: number;
}

export interface TestCase {
  /** Given in the data, or a stable hash of vars + expected. */
  id: string;
  vars: Record<string, unknown>;
  expected?: unknown;
  assert: AssertionSpec[];
  /** Explicit split from the data; the dataset stage fills in the rest. */
  split?: SplitName;
  /** The case passes when its score reaches this, whatever its assertions say (`threshold:`; else `defaults.threshold`). */
  threshold?: number;
  /** Not a var: provenance and notes (`promptopt import` records where the case came from). */
  metadata?: Record<string, unknown>;
  origin: Origin;
}

/** A case after splitting: always has a split. */
export interface SplitCase extends TestCase {
  split: SplitName;
}

export interface PromptSource {
  /**
   * The template text that gets optimized. For a chat prompt, the message list in its own syntax: the
   * file's text, or for an inline list its YAML (see chat-prompt.ts).
   */
  text: string;
  /** One text template, or a list of chat messages (and whether written as YAML or JSON). */
  form: PromptForm;
  /** Absolute path when the spec said `file://...`; undefined for an inline prompt. */
  file?: string;
  /** Where the `prompt` node is in the spec (promote rewrites inline prompts in place). */
  origin: Origin;
}

export interface SplitConfig {
  train: number;
  validation: number;
  test: number;
  seed: number;
  /** Stratify by `expected` when it is a short label (default true). */
  stratify: boolean;
}

export type OptimizerStrategyName = 'iterative' | 'evolutionary' | 'hybrid' | 'pareto' | 'opro';

export interface OptimizerConfig extends ModelConfig {
  strategy: OptimizerStrategyName;
  maxIterations: number;
  candidates: number;
  patience: number;
  /** Validation-phase iterations (0 disables the phase). */
  validationIterations: number;
  /** Score below which acceptance requires strict improvement. */
  strictBelow: number;
  accept: 'score' | 'significant';
  /** Allow raw validation cases to be shown to the optimizer (default false: patterns only). */
  showValidationCases: boolean;
  /** Token budget for one meta-prompt. */
  metaPromptTokens: number;
  seed: number;
  /** `pareto`: train cases a child is screened on (against its parent) before the full split. */
  minibatch: number;
  /** `pareto`: also propose merges of two front members that win different train cases. */
  merge: boolean;
  /**
   * Case variables optimizer requests show besides those the templates use (`show_vars`), and used
   * ones they never show (`hide_vars`, e.g. a gold rationale). The expected value is always shown.
   */
  showVars: string[];
  hideVars: string[];
}

export interface Spec {
  /** Absolute path of the YAML file. */
  file: string;
  /** Folder of the YAML file; relative paths resolve against it. */
  dir: string;
  name: string;
  description: string;
  prompt: PromptSource;
  /**
   * Where the optimized prompt goes: `user` (default) sends it as the user message, with an
   * optional fixed `system`; `system` sends it as the system message, with a fixed `user` template.
   */
  promptRole: 'user' | 'system';
  /** Fixed system template (never optimized). Only with promptRole `user`. */
  system?: string;
  /** Fixed user template (never optimized). Required with promptRole `system`. */
  user?: string;
  /** How every template renders (`template:`): `{{var}}` substitution, or Nunjucks. */
  templateEngine: TemplateEngine;
  /** Structured output asked of the target with every call (`response_format:`). */
  responseFormat?: ResponseFormat;
  /**
   * Output transform (`transform:`): inline JavaScript, or `file://x.js[:fn]` / `file://x.py[:fn]`, run
   * on each answer before its assertions (the raw answer stays in reports and traces).
   */
  transform?: string;
  target: ModelConfig;
  optimizer: OptimizerConfig;
  /** Judge model for `llm-rubric`; defaults to the optimizer model. */
  judge: ModelConfig;
  cases: TestCase[];
  /**
   * The data file the splits file sits beside: the cases file, or the first item of a `cases` list
   * when it is a file. Undefined when the cases start inline in the spec.
   */
  casesFile?: string;
  /** Every data file the cases came from (absolute paths, in the spec's order; empty for inline cases). */
  casesFiles: string[];
  defaultAssert: AssertionSpec[];
  /** `defaults.threshold`: the per-case threshold of cases that set none. */
  defaultThreshold?: number;
  splits: SplitConfig;
  /** `eval` passes when the objective's value reaches this. */
  threshold: number;
  /** What `eval`'s gate, the optimizer and `compare` judge by (default pass_rate). */
  objective: Objective;
  concurrency: number;
  cache: { enabled: boolean; dir: string };
  budget?: { maxCostUsd: number };
  repeat: number;
  /** Folder for versioned prompts (meant to be committed). */
  versionsDir: string;
  /** Folder for run outputs (traces, checkpoints, reports). */
  runsDir: string;
  /** The variable the `input` shorthand of a case fills (default `input`). */
  inputVar?: string;
  /** Webhooks to notify (`notify:`); absent when the spec has none. */
  notify?: NotifyConfig;
  // ---- Production data (`promptopt import`, `stats`) ----
  /** System flag -> the assertions an imported case flagged with it gets (`flags:`; built-in defaults apply on top). */
  flags: Record<string, AssertionSpec[]>;
  /** PII redaction of imports (and optionally traces). */
  redact: RedactConfig;
  /** `stats` posts `feedback_threshold` once this many feedback records arrived since the last optimize run. */
  feedbackThreshold?: number;
  /** `retention: { days }`: what `promptopt prune` deletes when no --older-than is given. */
  retention?: { days: number };
  /**
   * Where each top-level field and its direct children are in the YAML, keyed by YAML path
   * (`splits`, `budget.max_cost_usd`, `target.model`), for errors raised after loading.
   */
  origins?: Record<string, Origin>;
}

export interface NotifyConfig {
  webhooks: string[];
  /** Event types sent (default: all of them). */
  events: NotifyEventType[];
  /** Header name -> name of the environment variable holding its value (read when a message is sent). */
  headers: Record<string, string>;
}
