/**
 * A suite file (`evals/bench/suite.yaml`): the bench's tasks, with what only the bench needs to know
 * about each: its per-run budget, and whether the simulator can play it at all.
 *
 *   tasks:
 *     - spec: banking77-payments/task.yaml
 *       max_calls: 1500                  # target calls per run (--max-calls overrides)
 *     - spec: gsm8k/task.yaml
 *       needs_real_model: the simulator does no arithmetic
 *
 * A YAML file given to `bench` is a suite when it has `tasks:` and no `prompt:`. A spec named alone
 * keeps what the nearest suite file that lists it says (in its folder or the two above).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { SpecError } from '../errors.js';
import { issueFactory } from '../spec/issues.js';
import { parseYaml, TO_JS_OPTIONS } from '../spec/read-yaml.js';
import { zodIssuesToSpecIssues } from '../spec/zod-issues.js';

const entrySchema = z.strictObject({
  spec: z.string().min(1),
  max_calls: z.number().int().min(1).optional(),
  budget_per_run: z.number().positive().optional(),
  needs_real_model: z.string().min(1).optional(),
});

const suiteSchema = z.strictObject({
  suite: z.string().min(1).optional(),
  description: z.string().optional(),
  tasks: z.array(entrySchema).min(1),
});

export interface SuiteEntry {
  /** Absolute path of the task spec. */
  specFile: string;
  maxTargetCalls?: number;
  maxUsd?: number;
  needsRealModel?: string;
  /** The suite file that lists it. */
  suiteFile: string;
}

/** True when the YAML text is a suite file rather than a task spec. */
export function looksLikeSuite(text: string): boolean {
  return /^tasks\s*:/m.test(text) && !/^prompt\s*:/m.test(text);
}

export async function readSuiteFile(file: string): Promise<SuiteEntry[]> {
  const path = resolve(file);
  const text = await readFile(path, 'utf8');
  const parsed = parseYaml(path, text);
  if (parsed.issues.length > 0) throw new SpecError(parsed.issues);
  const issueAt = issueFactory(parsed.locator);
  const raw: unknown = parsed.doc.toJS(TO_JS_OPTIONS);
  const checked = suiteSchema.safeParse(raw);
  if (!checked.success) throw new SpecError(zodIssuesToSpecIssues(checked.error.issues, { schema: suiteSchema, root: raw, issueAt }));
  // A listed spec that is not there is named at its line here, not as a bare path later.
  const missing = checked.data.tasks
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => !existsSync(resolve(dirname(path), entry.spec)))
    .map(({ entry, index }) => issueAt(['tasks', index, 'spec'], `spec file ${entry.spec} not found (relative to the suite file's folder)`));
  if (missing.length > 0) throw new SpecError(missing);
  return checked.data.tasks.map((entry) => ({
    specFile: resolve(dirname(path), entry.spec),
    ...(entry.max_calls !== undefined ? { maxTargetCalls: entry.max_calls } : {}),
    ...(entry.budget_per_run !== undefined ? { maxUsd: entry.budget_per_run } : {}),
    ...(entry.needs_real_model !== undefined ? { needsRealModel: entry.needs_real_model } : {}),
    suiteFile: path,
  }));
}

/** What the nearest suite file listing `specFile` says about it (its folder, then up to two folders above). */
export async function suiteEntryFor(specFile: string): Promise<SuiteEntry | undefined> {
  const spec = resolve(specFile);
  let dir = dirname(spec);
  for (let level = 0; level < 3; level++, dir = dirname(dir)) {
    const candidate = join(dir, 'suite.yaml');
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text === undefined || !looksLikeSuite(text)) continue;
    // A suite the user did not name is only consulted: one that does not read is passed over.
    const entries = await readSuiteFile(candidate).catch(() => undefined);
    const entry = entries?.find((e) => e.specFile === spec);
    if (entry) return entry;
  }
  return undefined;
}
