/**
 * A spec's cases with their splits, from the splits file beside the cases: recorded cases keep
 * their split, new ones are placed (balancing each stratum). Every command computes the same
 * result from the same file; only `record: true` (optimize) writes it: atomically (a reader never
 * sees half a file) and under a lock, so processes recording at once all use the splits it keeps.
 */
import { PromptoptError, SpecError } from '../errors.js';
import { displayPath } from '../spec/issues.js';
import type { Spec, SplitCase, SplitConfig } from '../spec/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { withFileLock } from '../util/file-lock.js';
import { planSplits } from './split-cases.js';
import { casesFileNameOf, formatSplitsFile, readSplitsFile, splitsFilePath } from './splits-file.js';

export interface ResolveSplitsOptions {
  /** Write the file when it lacks some cases (optimize); otherwise only read it. */
  record: boolean;
  /** Told when the file cannot be written (the splits are then only in memory). */
  warn?: (message: string) => void;
}

export interface ResolvedSplits {
  cases: SplitCase[];
  /** The splits file (it may not exist yet). */
  file: string;
  /** Cases that have no split in the file (placed in memory, or just recorded). */
  added: number;
  /** True when this call wrote the file. */
  wrote: boolean;
}

export async function resolveSplits(spec: Pick<Spec, 'file' | 'casesFile' | 'cases' | 'splits' | 'origins'>, options: ResolveSplitsOptions): Promise<ResolvedSplits> {
  const file = splitsFilePath(spec);
  const resolve = async (write: boolean): Promise<ResolvedSplits> => {
    const current = await readSplitsFile(file);
    if (current) assertSameSettings(spec, file, current.record.settings);
    const plan = planSplits(spec.cases, spec.splits, current?.record.splits);
    const resolved = { cases: plan.cases, file, added: plan.added.length, wrote: false };
    if (!write) return resolved;
    const text = formatSplitsFile({ settings: spec.splits, splits: plan.assignment }, casesFileNameOf(file));
    if (text === current?.text) return resolved;
    await writeFileAtomic(file, text);
    return { ...resolved, wrote: true };
  };
  if (!options.record) return resolve(false);
  try {
    // Under the lock, each writer places its new cases on top of the last writer's file: every
    // process ends up using splits the file keeps.
    return await withFileLock(`${file}.lock`, () => resolve(true), { timeoutMs: 30_000 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const lockTimeout = error instanceof PromptoptError && error.code === 'LOCK_TIMEOUT';
    const fileSystemProblem = lockTimeout || (!(error instanceof PromptoptError) && typeof code === 'string');
    if (!fileSystemProblem) throw error;
    const reason = lockTimeout ? `${displayPath(`${file}.lock`)} is held by another process` : code;
    options.warn?.(`could not record the splits in ${displayPath(file)} (${reason}); they hold for this run only, and cases added later may move them`);
    return resolve(false);
  }
}

/** A file made with other ratios, seed or stratify would put cases in other splits: refuse rather than move them. */
function assertSameSettings(spec: Pick<Spec, 'file' | 'splits' | 'origins'>, file: string, recorded: SplitConfig): void {
  const asked = spec.splits;
  const same = recorded.train === asked.train && recorded.validation === asked.validation && recorded.test === asked.test && recorded.seed === asked.seed && recorded.stratify === asked.stratify;
  if (same) return;
  const origin = spec.origins?.['splits'];
  throw new SpecError([
    {
      file: displayPath(spec.file),
      path: 'splits',
      ...(origin?.line !== undefined ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message: `${displayPath(file)} holds splits made with ${describeSettings(recorded)}, but the spec asks for ${describeSettings(asked)}`,
      hint: `cases keep their split so that cases an optimizer trained on never move into test: set splits back to those settings, or delete ${displayPath(file)} to split every case afresh`,
    },
  ]);
}

export function describeSettings(s: SplitConfig): string {
  return `train ${s.train}, validation ${s.validation}, test ${s.test}, seed ${s.seed}${s.stratify ? '' : ', stratify false'}`;
}
