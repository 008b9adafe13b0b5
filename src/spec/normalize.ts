/**
 * Raw (schema-checked) spec -> Spec: defaults filled in, snake_case to camelCase, paths resolved
 * against the spec's folder, `file://` templates read. Problems found here (a missing prompt file,
 * ratios that do not add up) are returned as issues, never thrown one by one.
 */
import { resolve } from 'node:path';
import type { SpecIssue } from '../errors.js';
import type { AssertionSpec } from '../assertions/types.js';
import type { IssueAt, Locator } from './issues.js';
import { definedOnly, normalizeJudge, normalizeOptimizerModel, normalizeTarget } from './model-config.js';
import type { FileScope } from './file-scope.js';
import { readTemplate } from './read-template.js';
import { readPrompt, readResponseFormat } from './read-prompt.js';
import { TEXT_FORM } from '../template/chat-prompt.js';
import { NOTIFY_EVENTS } from '../notify/types.js';
import { DEFAULT_REDACT_CONFIG, type RedactConfig } from '../redact/types.js';
import type { RawNotify, RawOptimizer, RawRedact, RawSpec } from './schema.js';
import { SPLIT_NAMES, type NotifyConfig, type OptimizerConfig, type Origin, type Spec, type SplitConfig, type TestCase } from './types.js';

export const DEFAULT_SPLITS: SplitConfig = { train: 0.6, validation: 0.2, test: 0.2, seed: 0, stratify: true };
export const DEFAULT_INPUT_VAR = 'input';
export const DEFAULT_CACHE_DIR = '.promptopt/cache';
export const DEFAULT_VERSIONS_DIR = 'prompt-versions';
export const DEFAULT_RUNS_DIR = '.promptopt/runs';
const RATIO_TOLERANCE = 1e-6;

export interface NormalizeContext {
  /** Absolute path of the spec. */
  file: string;
  dir: string;
  locator: Locator;
  issueAt: IssueAt;
  cases: TestCase[];
  casesFile?: string;
  /** Where `file://` templates may be read from. */
  scope?: FileScope;
  casesFiles: string[];
}

export async function normalizeSpec(raw: RawSpec, context: NormalizeContext): Promise<{ spec: Spec; issues: SpecIssue[] }> {
  const { dir, issueAt } = context;
  const issues: SpecIssue[] = [];
  const { scope } = context;
  const prompt = await readPrompt(raw.prompt, dir, issueAt, issues, scope);
  const responseFormat = await readResponseFormat(raw.response_format, dir, issueAt, issues, scope);
  const system = raw.system === undefined ? undefined : await readTemplate(raw.system, 'system', dir, issueAt, issues, scope);
  const user = raw.user === undefined ? undefined : await readTemplate(raw.user, 'user', dir, issueAt, issues, scope);
  const optimizer = normalizeOptimizer(raw.optimizer ?? {}, issueAt, issues);
  const target = normalizeTarget(raw.target);

  const spec: Spec = {
    file: context.file,
    dir,
    name: raw.name,
    description: raw.description,
    prompt: {
      text: prompt?.text ?? '',
      ...definedOnly({ file: prompt?.file }),
      form: prompt?.form ?? TEXT_FORM,
      origin: originOf(context, 'prompt'),
    },
    promptRole: raw.prompt_role ?? 'user',
    ...definedOnly({ system: system?.text, user: user?.text }),
    templateEngine: raw.template ?? 'simple',
    ...definedOnly({ responseFormat, transform: raw.transform }),
    target,
    optimizer,
    judge: normalizeJudge(raw.judge, target, issueAt, issues),
    cases: context.cases,
    ...definedOnly({ casesFile: context.casesFile }),
    casesFiles: context.casesFiles,
    defaultAssert: (raw.defaults?.assert ?? []).map((a) => definedOnly(a) as AssertionSpec),
    ...(raw.defaults?.threshold !== undefined ? { defaultThreshold: raw.defaults.threshold } : {}),
    splits: normalizeSplits(raw.splits, issueAt, issues),
    threshold: raw.threshold ?? 1,
    objective: raw.objective ?? 'pass_rate',
    concurrency: raw.concurrency ?? 50,
    cache: normalizeCache(raw.cache, dir),
    ...(raw.budget ? { budget: { maxCostUsd: raw.budget.max_cost_usd } } : {}),
    repeat: raw.repeat ?? 1,
    versionsDir: resolve(dir, raw.versions_dir ?? DEFAULT_VERSIONS_DIR),
    runsDir: resolve(dir, raw.runs_dir ?? DEFAULT_RUNS_DIR),
    inputVar: raw.input_var ?? DEFAULT_INPUT_VAR,
    ...(raw.notify ? { notify: normalizeNotify(raw.notify) } : {}),
    flags: normalizeFlags(raw.flags),
    redact: normalizeRedact(raw.redact),
    ...(raw.feedback_threshold !== undefined ? { feedbackThreshold: raw.feedback_threshold } : {}),
    ...(raw.retention ? { retention: { days: raw.retention.days } } : {}),
    origins: collectOrigins(raw, context),
  };
  return { spec, issues };
}

function normalizeOptimizer(raw: RawOptimizer, issueAt: IssueAt, issues: SpecIssue[]): OptimizerConfig {
  return {
    ...normalizeOptimizerModel(raw, ['optimizer'], issueAt, issues),
    strategy: raw.strategy ?? 'iterative',
    maxIterations: raw.max_iterations ?? 10,
    candidates: raw.candidates ?? 3,
    patience: raw.patience ?? 3,
    validationIterations: raw.validation_iterations ?? 3,
    strictBelow: raw.strict_below ?? 0.1,
    accept: raw.accept ?? 'score',
    showValidationCases: raw.show_validation_cases ?? false,
    metaPromptTokens: raw.meta_prompt_tokens ?? 12_000,
    seed: raw.seed ?? 0,
    minibatch: raw.minibatch ?? 3,
    merge: raw.merge ?? true,
    showVars: [...new Set(raw.show_vars ?? [])],
    hideVars: [...new Set(raw.hide_vars ?? [])],
  };
}

/**
 * No ratio given: 0.6 / 0.2 / 0.2. Some given: the missing ones share what is left. The three must
 * add up to 1.
 */
function normalizeSplits(raw: RawSpec['splits'], issueAt: IssueAt, issues: SpecIssue[]): SplitConfig {
  const seed = raw?.seed ?? DEFAULT_SPLITS.seed;
  const stratify = raw?.stratify ?? DEFAULT_SPLITS.stratify;
  const given = SPLIT_NAMES.filter((name) => raw?.[name] !== undefined);
  if (given.length === 0) return { ...DEFAULT_SPLITS, seed, stratify };
  const sumGiven = given.reduce((sum, name) => sum + raw![name]!, 0);
  const share = round(Math.max(0, 1 - sumGiven) / (SPLIT_NAMES.length - given.length));
  const ratios = Object.fromEntries(SPLIT_NAMES.map((name) => [name, raw?.[name] ?? share])) as Record<(typeof SPLIT_NAMES)[number], number>;
  const total = ratios.train + ratios.validation + ratios.test;
  if (Math.abs(total - 1) > RATIO_TOLERANCE) {
    issues.push(
      issueAt(['splits'], `ratios must add up to 1, but train ${ratios.train} + validation ${ratios.validation} + test ${ratios.test} = ${round(total)}`, {
        hint: 'e.g. splits: { train: 0.6, validation: 0.2, test: 0.2 }; ratios left out share what is left',
      }),
    );
  }
  return { ...ratios, seed, stratify };
}

/** One webhook or a list, events default to all (listed once each, in the contract's order). */
function normalizeNotify(raw: RawNotify): NotifyConfig {
  const events = raw.events === undefined ? [...NOTIFY_EVENTS] : [raw.events].flat();
  return {
    webhooks: [...new Set([raw.webhooks].flat())],
    events: NOTIFY_EVENTS.filter((event) => events.includes(event)),
    headers: { ...raw.headers_env },
  };
}

// ---- Production data ----

function normalizeFlags(raw: RawSpec['flags']): Record<string, AssertionSpec[]> {
  const flags: Record<string, AssertionSpec[]> = {};
  for (const [flag, value] of Object.entries(raw ?? {})) flags[flag] = [value].flat().map((a) => definedOnly(a) as AssertionSpec);
  return flags;
}

/** `redact: false` turns import redaction off; an object tunes it; absent: every built-in type, on. */
function normalizeRedact(raw: RawRedact | undefined): RedactConfig {
  if (raw === undefined) return { ...DEFAULT_REDACT_CONFIG, types: [...DEFAULT_REDACT_CONFIG.types] };
  if (typeof raw === 'boolean') return { ...DEFAULT_REDACT_CONFIG, types: [...DEFAULT_REDACT_CONFIG.types], enabled: raw };
  return {
    enabled: raw.enabled ?? true,
    types: [...new Set(raw.types ?? DEFAULT_REDACT_CONFIG.types)],
    patterns: (raw.patterns ?? []).map((p) => ({ name: p.name, regex: p.regex, ignoreCase: p.ignore_case ?? false })),
    ...(raw.phone_region !== undefined ? { phoneRegion: raw.phone_region } : {}),
    traces: raw.traces ?? false,
  };
}

function normalizeCache(raw: RawSpec['cache'], dir: string): Spec['cache'] {
  if (raw === undefined || typeof raw === 'boolean') return { enabled: raw ?? true, dir: resolve(dir, DEFAULT_CACHE_DIR) };
  return { enabled: raw.enabled ?? true, dir: resolve(dir, raw.dir ?? DEFAULT_CACHE_DIR) };
}

/** Where each top-level field and its direct children are (their keys), for errors raised after loading. */
function collectOrigins(raw: RawSpec, context: NormalizeContext): Record<string, Origin> {
  const origins: Record<string, Origin> = {};
  const add = (path: string[]) => {
    origins[path.join('.')] = { file: context.file, path: path.join('.'), ...context.locator.locate(path, { key: true }) };
  };
  for (const [key, value] of Object.entries(raw)) {
    add([key]);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const child of Object.keys(value)) add([key, child]);
  }
  return origins;
}

function originOf(context: NormalizeContext, path: string): Origin {
  return { file: context.file, path, ...context.locator.locate([path]) };
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
