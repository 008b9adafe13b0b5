/**
 * `promptopt import` as a library call: read the export, plan the cases, and (unless dry-run)
 * append them and record their splits. The task's existing cases are recorded first, where every
 * command already places them, so none of them moves; the new cases are then placed as every
 * command places new cases (stratified per label). A dry run computes the same placement in memory.
 * The whole read-plan-write holds a lock beside the spec, so two imports at once never both append
 * the same records.
 */
import { basename, relative, sep } from 'node:path';
import { SpecError } from '../errors.js';
import { planSplits } from '../dataset/split-cases.js';
import { readSplitsFile, splitsFilePath } from '../dataset/splits-file.js';
import { resolveSplits } from '../dataset/resolve-splits.js';
import { displayPath } from '../spec/issues.js';
import { loadSpec } from '../session/load-spec.js';
import { requestRootVariables } from '../spec/prompt-templates.js';
import type { Spec, SplitName } from '../spec/types.js';
import type { PiiRedactor } from '../redact/redactor.js';
import { withFileLock } from '../util/file-lock.js';
import type { FieldMap } from './field-map.js';
import { planImport, type ImportPlan } from './plan-import.js';
import { readExport } from './read-export.js';
import { toRecord } from './to-record.js';
import { importTarget, readUnlistedCases, writeImport, type ImportTarget } from './write-import.js';

export interface ImportOptions {
  map: FieldMap;
  split: 'auto' | SplitName;
  since?: number;
  keepUnlabelled: boolean;
  /** Overrides the spec's `redact.enabled` (--redact / --no-redact). */
  redact?: boolean;
  dryRun: boolean;
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

export interface ImportResult {
  spec: Spec;
  plan: ImportPlan;
  target: ImportTarget;
  redacted: boolean;
  /** Split of each imported case (as recorded, or as it would be). */
  splits: Record<string, SplitName>;
  dryRun: boolean;
  /** False on a dry run, or when there was nothing to import. */
  wrote: boolean;
  specEdited: boolean;
  splitsFile: string;
}

export async function importTask(specFile: string, exportFile: string, options: ImportOptions): Promise<ImportResult> {
  const run = () => importLocked(specFile, exportFile, options);
  if (options.dryRun) return run();
  const spec = await loadSpec(specFile, { env: options.env }); // fail on a bad spec before taking the lock
  return withFileLock(`${spec.file}.lock`, run);
}

async function importLocked(specFile: string, exportFile: string, options: ImportOptions): Promise<ImportResult> {
  const spec = await loadSpec(specFile, { env: options.env });
  const redacted = options.redact ?? spec.redact.enabled;
  // The detectors load libphonenumber's metadata and validator: only when redacting.
  const redactor = redacted ? await createRedactor(spec) : undefined;
  const read = await readExport(exportFile);
  const inputVar = spec.inputVar ?? 'input';
  const records = [...read.malformed, ...read.items.map((item) => toRecord(item, options.map, inputVar))].sort((a, b) => a.line - b.line);
  const target = importTarget(spec);
  const existing = [...spec.cases, ...(await readUnlistedCases(target, inputVar))];
  const plan = planImport({
    records,
    existing,
    neededVars: neededVariables(spec),
    defaultAssert: spec.defaultAssert,
    flags: spec.flags,
    sourceFile: sourceName(spec.dir, exportFile),
    split: options.split,
    ...(options.since !== undefined ? { since: options.since } : {}),
    keepUnlabelled: options.keepUnlabelled,
    ...(redactor ? { redaction: redactor } : {}),
  });
  const base = { spec, plan, target, redacted, dryRun: options.dryRun, splitsFile: splitsFilePath(spec) };
  if (options.dryRun || plan.cases.length === 0) return { ...base, splits: await placeInMemory(spec, plan), wrote: false, specEdited: false };

  // Existing cases first: a case the task already placed (even only in memory) never moves.
  await resolveSplits(spec, { record: true, ...(options.warn ? { warn: options.warn } : {}) });
  const written = await writeImport(spec, target, plan.cases);
  const updated = await loadSpec(spec.file, { env: options.env });
  const resolved = await resolveSplits(updated, { record: true, ...(options.warn ? { warn: options.warn } : {}) });
  const ids = new Set(plan.cases.map((c) => c.id));
  const splits = Object.fromEntries(resolved.cases.filter((c) => ids.has(c.id)).map((c) => [c.id, c.split]));
  return { ...base, spec: updated, splits, wrote: true, specEdited: written.specEdited, splitsFile: resolved.file };
}

/** What the import records, computed without writing: the existing cases' splits first, then the new ones. */
async function placeInMemory(spec: Spec, plan: ImportPlan): Promise<Record<string, SplitName>> {
  const recorded = planSplits(spec.cases, spec.splits, (await readSplitsFile(splitsFilePath(spec)))?.record.splits).assignment;
  const added = plan.cases.map((c) => ({ id: c.id, vars: c.vars, assert: c.assert, ...(c.expected !== undefined ? { expected: c.expected } : {}), ...(c.split ? { split: c.split } : {}), origin: { file: '', path: '' } }));
  const placed = planSplits([...spec.cases, ...added], spec.splits, recorded).cases;
  const ids = new Set(plan.cases.map((c) => c.id));
  return Object.fromEntries(placed.filter((c) => ids.has(c.id)).map((c) => [c.id, c.split]));
}

/** Root variables of the prompt and the fixed templates (`expected` is never one). */
export function neededVariables(spec: Pick<Spec, 'prompt' | 'system' | 'user' | 'templateEngine'>): string[] {
  return requestRootVariables(spec).filter((name) => name !== 'expected');
}

/** The export as provenance names it: relative to the spec's folder when inside it, else its file name. */
function sourceName(specDir: string, file: string): string {
  const rel = relative(specDir, file);
  return rel.startsWith('..') || rel === '' ? basename(file) : rel.split(sep).join('/');
}

async function createRedactor(spec: Spec): Promise<PiiRedactor> {
  const [{ isSupportedCountry }, { createPiiRedactor }] = await Promise.all([import('libphonenumber-js/max'), import('../redact/redactor.js')]);
  const region = spec.redact.phoneRegion;
  if (region === undefined || isSupportedCountry(region)) return createPiiRedactor(spec.redact);
  const origin = spec.origins?.['redact.phone_region'] ?? spec.origins?.['redact'];
  throw new SpecError([
    {
      file: displayPath(spec.file),
      path: 'redact.phone_region',
      ...(origin?.line !== undefined ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message: `"${region}" is not a region libphonenumber knows`,
      hint: 'an ISO 3166 alpha-2 country code such as US, GB or DE; or leave it out to find international numbers only',
    },
  ]);
}
