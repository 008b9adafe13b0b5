/**
 * The metadata file of one prompt version (`vN.json`): its camelCase shape in memory, the
 * snake_case shape on disk, the conversions between them, and the file names of a version.
 * The metadata is written last, so a version counts only once its `vN.json` parses.
 */
import { PromptoptError, EXIT } from '../errors.js';
import type { Objective } from '../spec/types.js';

export const VERSION_SCHEMA = 1;

export type VersionSource = 'optimize' | 'start' | 'manual';

export interface VersionScores {
  train?: number;
  validation?: number;
  test?: number;
}

export interface VersionMeta {
  schemaVersion: 1;
  version: number;
  parent: number | null;
  branch: string;
  /** ISO timestamp. */
  created: string;
  runId: string | null;
  task: string;
  /** `provider:model`. */
  targetModel: string;
  scores: VersionScores;
  /**
   * The figure `scores` are in (the spec's objective of the run that scored the version); absent
   * when there are no scores, and in metadata written before objectives, whose scores are pass rates.
   */
  objective?: Objective;
  costUsd: number;
  hypothesis: string;
  /** File name of the prompt text, relative to the versions folder (`v3.txt`). */
  promptFile: string;
  promptSha256: string;
  source: VersionSource;
}

/** `vN.json` as written: snake_case. */
export function toMetaJson(meta: VersionMeta): Record<string, unknown> {
  return {
    schema_version: meta.schemaVersion,
    version: meta.version,
    parent: meta.parent,
    branch: meta.branch,
    created: meta.created,
    run_id: meta.runId,
    task: meta.task,
    target_model: meta.targetModel,
    scores: meta.scores,
    ...(meta.objective ? { objective: meta.objective } : {}),
    cost_usd: meta.costUsd,
    hypothesis: meta.hypothesis,
    prompt_file: meta.promptFile,
    prompt_sha256: meta.promptSha256,
    source: meta.source,
  };
}

const SOURCES: readonly VersionSource[] = ['optimize', 'start', 'manual'];
const OBJECTIVES: readonly Objective[] = ['pass_rate', 'mean_score'];

/** The figure a version's scores are in: its own `objective`, the pass rate for older metadata with scores, none without scores. */
export function scoresObjective(meta: Pick<VersionMeta, 'scores' | 'objective'>): Objective | undefined {
  if (meta.objective) return meta.objective;
  return Object.keys(meta.scores).length > 0 ? 'pass_rate' : undefined;
}

/**
 * A parsed `vN.json`, or undefined when it is not valid version metadata for `expectedVersion`.
 * Lenient where a hand edit is harmless (missing branch, scores, cost), strict on what identifies
 * the version (schema, number, prompt file, hash).
 */
export function parseVersionMeta(raw: unknown, expectedVersion: number): VersionMeta | undefined {
  if (!isRecord(raw) || versionMetaProblem(raw, expectedVersion) !== undefined) return undefined;
  const promptFile = raw.prompt_file as string;
  const sha = raw.prompt_sha256 as string;
  const parent = raw.parent;
  return {
    schemaVersion: VERSION_SCHEMA,
    version: expectedVersion,
    parent: (parent as number | null | undefined) ?? null,
    branch: typeof raw.branch === 'string' && raw.branch !== '' ? raw.branch : 'main',
    created: typeof raw.created === 'string' ? raw.created : '',
    runId: typeof raw.run_id === 'string' ? raw.run_id : null,
    task: typeof raw.task === 'string' ? raw.task : '',
    targetModel: typeof raw.target_model === 'string' ? raw.target_model : '',
    scores: parseScores(raw.scores),
    ...(OBJECTIVES.includes(raw.objective as Objective) ? { objective: raw.objective as Objective } : {}),
    costUsd: typeof raw.cost_usd === 'number' ? raw.cost_usd : 0,
    hypothesis: typeof raw.hypothesis === 'string' ? raw.hypothesis : '',
    promptFile,
    promptSha256: sha,
    source: SOURCES.includes(raw.source as VersionSource) ? (raw.source as VersionSource) : 'manual',
  };
}

/** Why `raw` is not valid metadata for version `expectedVersion` (for naming a damaged file), or undefined. */
export function versionMetaProblem(raw: unknown, expectedVersion: number): string | undefined {
  if (!isRecord(raw)) return 'not a JSON object';
  if (raw.schema_version !== VERSION_SCHEMA) return `schema_version is ${JSON.stringify(raw.schema_version)}, expected ${VERSION_SCHEMA}`;
  if (raw.version !== expectedVersion) return `version is ${JSON.stringify(raw.version)}, but the file is ${metaFileName(expectedVersion)}`;
  if (typeof raw.prompt_file !== 'string' || !isPlainFileName(raw.prompt_file)) return 'prompt_file is missing or not a file name';
  if (typeof raw.prompt_sha256 !== 'string') return 'prompt_sha256 is missing';
  const parent = raw.parent;
  if (parent !== null && parent !== undefined && !(Number.isInteger(parent) && (parent as number) > 0)) return `parent is ${JSON.stringify(parent)}, not a version number`;
  return undefined;
}

function parseScores(raw: unknown): VersionScores {
  const scores: VersionScores = {};
  if (!isRecord(raw)) return scores;
  for (const split of ['train', 'validation', 'test'] as const) {
    const value = raw[split];
    if (typeof value === 'number' && Number.isFinite(value)) scores[split] = value;
  }
  return scores;
}

/** Scores with undefined entries dropped, so merging never erases a score. */
export function definedScores(scores: VersionScores): VersionScores {
  return parseScores(scores);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainFileName(name: string): boolean {
  return name !== '' && !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..';
}

export const metaFileName = (version: number): string => `v${version}.json`;
export const diffFileName = (version: number): string => `v${version}.diff`;
export const promptFileName = (version: number, ext: string): string => `v${version}${ext}`;

/** `vN.json` only: what marks a committed version. */
export const META_FILE = /^v([1-9]\d*)\.json$/;
/** Any file of version N (prompt, diff, metadata), committed or not. */
export const ANY_VERSION_FILE = /^v([1-9]\d*)(?:\.|$)/;

/**
 * The prompt file extension for a version: the user's own (`.md`, `.txt`...), `.txt` when there is
 * none. `.json` and `.diff` would collide with the metadata and diff files, so they get a `.prompt`
 * infix (`v3.prompt.json`).
 */
export function normalizeExt(ext: string): string {
  const trimmed = ext.trim();
  if (trimmed === '' || trimmed === '.') return '.txt';
  const dotted = trimmed.startsWith('.') ? trimmed : `.${trimmed}`;
  if (/[/\\]/.test(dotted) || dotted.includes('..')) {
    throw new PromptoptError('VERSION_EXT_INVALID', `invalid prompt file extension "${ext}"`, { exitCode: EXIT.badInput });
  }
  if (dotted === '.json' || dotted === '.diff') return `.prompt${dotted}`;
  return dotted;
}
