/**
 * `promptopt traces <run|latest> [task.yaml] [--role target|optimizer|judge] [--failed] [--json|--jsonl]`:
 * lists a run's traced LLM calls, or exports them as records in the shape `import` reads (`--jsonl`,
 * one per line, streamed; `--json`, one document). `--failed` gives the cases the run's final prompt
 * failed, each with the call that gave the failing output, ready to import as cases elsewhere.
 * Nothing is called and nothing is written.
 */
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, PromptoptError, UsageError } from '../../errors.js';
import { openRunTraces, type RunTraces } from '../../production/run-traces.js';
import type { TraceRecord } from '../../production/trace-record.js';
import { findRun, readCheckpoint } from '../../report/index.js';
import type { CallRole } from '../../runner/spend-ledger.js';
import { loadSpec } from '../../session/load-spec.js';
import { DEFAULT_RUNS_DIR } from '../../spec/normalize.js';
import type { Spec } from '../../spec/types.js';
import { commandSecrets } from '../../session/command-secrets.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import type { CommandEnv } from '../program/command-env.js';
import { failureLine, recordLine, TRACE_TABLE_HEADER, tracesFooter } from '../production/traces-view.js';

export const TRACE_ROLES: readonly CallRole[] = ['target', 'optimizer', 'judge'];

export interface TracesOptions {
  role?: string;
  failed?: boolean;
  json?: boolean;
  jsonl?: boolean;
}

export async function tracesCommand(run: string, file: string | undefined, options: TracesOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const role = parseRole(options.role);
  if (options.failed && role !== undefined && role !== 'target') {
    throw new UsageError(`--failed selects target calls (a case the final prompt failed); --role ${role} calls have no case`, 'drop --role, or use --role target');
  }
  const given = file ? await loadSpec(file, { env: offlineEnv(ctx.env), trustSpec: ctx.trustSpec, checkAssertions: false }) : undefined;
  const runDir = await findRun(given?.runsDir ?? resolve(DEFAULT_RUNS_DIR), run);
  const spec = given ?? (await runSpec(runDir, ctx));
  const traces = await openRunTraces({ runDir, ...(spec ? { spec } : {}), secrets: commandSecrets(ctx.env, spec) });
  const note = (message: string) => io.err(chalk.yellow(`note: ${message}`));
  if (!spec) note('the run\'s task spec could not be loaded: variables come from its case results only (pass the task.yaml to use its cases)');
  for (const message of traces.notes) note(message);

  if (options.failed) {
    if (!traces.cases) {
      throw new PromptoptError('CASES_NOT_FOUND', `run ${traces.runId} has no case results (cases.json): which cases its final prompt failed is not known`, {
        exitCode: EXIT.badInput,
        hint: `a run saves them when it finishes: \`promptopt optimize <task.yaml> --resume ${traces.runId}\` finishes it`,
      });
    }
    const records = await traces.failures();
    if (options.jsonl) await writeLines(io, records);
    else if (options.json) io.out(JSON.stringify(document(traces, records, true)));
    else {
      io.out(`run ${traces.runId}: ${records.length} of ${traces.cases.length} case(s) failed with the final prompt (${traces.finalPrompt ?? 'unknown version'})`);
      for (const record of records) io.out(failureLine(record));
      io.out(chalk.dim(`\nre-import them as cases: promptopt traces ${traces.runId} --failed --jsonl > failures.jsonl && promptopt import <task.yaml> failures.jsonl`));
    }
    warnUnreadable(traces, note);
    return EXIT.ok;
  }

  if (options.jsonl) {
    await writeLines(io, traces.records(role ? { role } : {}));
  } else if (options.json) {
    const records: TraceRecord[] = [];
    for await (const record of traces.records(role ? { role } : {})) records.push(record);
    io.out(JSON.stringify(document(traces, records, false)));
  } else {
    io.out(chalk.bold(TRACE_TABLE_HEADER));
    const shown = { listed: 0, passing: 0, failing: 0, role };
    for await (const record of traces.records(role ? { role } : {})) {
      shown.listed += 1;
      if (record.trace.verdict === 'fail') shown.failing += 1;
      if (record.trace.verdict === 'pass') shown.passing += 1;
      io.out(recordLine(record));
    }
    io.out(tracesFooter(traces, shown));
  }
  warnUnreadable(traces, note);
  return EXIT.ok;
}

function document(traces: RunTraces, records: TraceRecord[], failed: boolean): Record<string, unknown> {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    run_id: traces.runId,
    final_prompt: traces.finalPrompt ?? null,
    trace_modes: [...new Set(traces.read.modes)],
    calls: traces.read.calls,
    unreadable_lines: traces.read.unreadable,
    ...(failed ? { failed_cases: records.length, cases: traces.cases?.length ?? 0 } : {}),
    records,
  };
}

/** One record per line on stdout, with backpressure when the terminal layer offers it. */
async function writeLines(io: CommandEnv['io'], records: Iterable<TraceRecord> | AsyncIterable<TraceRecord>): Promise<void> {
  for await (const record of records) {
    const line = `${JSON.stringify(record)}\n`;
    if (io.write) await io.write(line);
    else io.out(line);
  }
}

function warnUnreadable(traces: RunTraces, note: (message: string) => void): void {
  if (traces.read.unreadable > 0) note(`${traces.read.unreadable} trace line(s) were not JSON (a line cut short by a crash) and were skipped`);
}

function parseRole(value: string | undefined): CallRole | undefined {
  if (value === undefined) return undefined;
  if (!(TRACE_ROLES as readonly string[]).includes(value)) throw new UsageError(`--role must be one of ${TRACE_ROLES.join(', ')} (got "${value}")`);
  return value as CallRole;
}

/** The spec the run recorded, when it is still there and loads; undefined otherwise (the export goes on without it). */
async function runSpec(runDir: string, ctx: CommandEnv): Promise<Spec | undefined> {
  const state = await readCheckpoint(runDir).catch(() => undefined);
  if (!state) return undefined;
  return loadSpec(state.specFile, { env: offlineEnv(ctx.env), trustSpec: ctx.trustSpec, checkAssertions: false }).catch(() => undefined);
}

/** Listing calls needs no endpoint: a spec that names one through OPENAI_BASE_URL still loads. */
function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, OPENAI_BASE_URL: env.OPENAI_BASE_URL || 'unused-by-traces' };
}
