/**
 * `cases.json`: the final prompt's case results, compact (no requests, samples or token counts) and
 * redacted, so `promptopt report <run>` can re-render the reports without a model call. Keys are
 * snake_case like report.json; `vars` and `expected` are kept exactly as the cases hold them.
 */
import { readFile } from 'node:fs/promises';
import { EXIT, PromptoptError } from '../errors.js';
import type { CaseResult } from '../runner/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { redact } from './redact.js';
import { runFile } from './run-files.js';
import type { CaseRecord } from './types.js';

export const CASES_SCHEMA = 1;

interface CaseLine {
  case_id: string;
  split: CaseRecord['split'];
  vars: Record<string, unknown>;
  expected?: unknown;
  output: string;
  pass: boolean;
  score?: number;
  unchecked?: boolean;
  failures: CaseRecord['failures'];
}

/** What the report keeps of one case result. Pure. */
export function toCaseRecord(result: CaseResult): CaseRecord {
  return {
    caseId: result.caseId,
    split: result.split,
    vars: result.vars,
    ...(result.expected === undefined ? {} : { expected: result.expected }),
    output: result.output,
    pass: result.pass,
    score: result.score,
    ...(result.unchecked ? { unchecked: true } : {}),
    failures: result.failures.map((f) => ({ type: f.type, category: f.category, reason: f.reason })),
  };
}

/** Writes `cases.json` (every string redacted: `secrets` and key shapes) atomically; returns its path. */
export async function writeCaseRecords(
  runDir: string,
  input: { runId: string; promptVersion: number; cases: CaseRecord[] },
  secrets: readonly string[] = [],
): Promise<string> {
  const file = runFile(runDir, 'cases');
  const lines: CaseLine[] = input.cases.map((c) => ({
    case_id: c.caseId,
    split: c.split,
    vars: c.vars,
    ...(c.expected === undefined ? {} : { expected: c.expected }),
    output: c.output,
    pass: c.pass,
    ...(c.score === undefined ? {} : { score: c.score }),
    ...(c.unchecked ? { unchecked: true } : {}),
    failures: c.failures,
  }));
  const doc = redact({ schema_version: CASES_SCHEMA, run_id: input.runId, prompt_version: input.promptVersion, cases: lines }, secrets);
  await writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

/** The saved case results; undefined when the run has no `cases.json`; CASES_INVALID (exit 2) when it is unreadable. */
export async function readCaseRecords(runDir: string): Promise<CaseRecord[] | undefined> {
  const file = runFile(runDir, 'cases');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw casesError(`corrupt ${file}: not valid JSON`, error);
  }
  const doc = raw as { schema_version?: unknown; cases?: unknown };
  if (typeof raw !== 'object' || raw === null || doc.schema_version !== CASES_SCHEMA || !Array.isArray(doc.cases)) {
    throw casesError(`invalid ${file}: expected schema_version ${CASES_SCHEMA} and a cases array`);
  }
  return doc.cases.map((line: unknown, i: number) => fromLine(line, `${file}: cases[${i}]`));
}

function fromLine(raw: unknown, where: string): CaseRecord {
  const line = raw as Partial<CaseLine> | null;
  if (
    typeof line !== 'object' ||
    line === null ||
    typeof line.case_id !== 'string' ||
    (line.split !== 'train' && line.split !== 'validation' && line.split !== 'test') ||
    typeof line.output !== 'string' ||
    typeof line.pass !== 'boolean' ||
    !Array.isArray(line.failures)
  ) {
    throw casesError(`invalid ${where}: needs case_id, split, output, pass and failures`);
  }
  return {
    caseId: line.case_id,
    split: line.split,
    vars: typeof line.vars === 'object' && line.vars !== null ? line.vars : {},
    ...(line.expected === undefined ? {} : { expected: line.expected }),
    output: line.output,
    pass: line.pass,
    ...(typeof line.score === 'number' ? { score: line.score } : {}),
    ...(line.unchecked === true ? { unchecked: true } : {}),
    failures: line.failures.map((f) => ({ type: String(f.type), category: f.category, reason: String(f.reason) })),
  };
}

function casesError(message: string, cause?: unknown): PromptoptError {
  return new PromptoptError('CASES_INVALID', message, {
    exitCode: EXIT.badInput,
    hint: 'delete cases.json to render the reports without the case table',
    cause,
  });
}
