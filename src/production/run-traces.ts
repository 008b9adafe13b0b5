/**
 * `promptopt traces` as a library call: a run's traced LLM calls as records in the shape `import`
 * reads (trace-record.ts), streamed from `trace.jsonl` (read through readTrace's item reader, so
 * long texts stored once come back whole), and the final prompt's failures with their calls.
 *
 * What a record can hold depends on what the run kept:
 *   - the case's variables and expected value: from the run's case results (`cases.json`, as the run
 *     saw them), else from the task's current cases by id (when the spec is given or still there);
 *   - the verdict: only for the final prompt's calls that gave the output its case results judged;
 *     the checkpoint keeps other prompts' scores, not which output each case got, so their calls (and
 *     calls whose prompt cannot be told) carry no feedback, which keeps a pass rate computed from the
 *     export exact for the prompts it is given for;
 *   - the prompt version: from the request (`--trace full`) or its digest (`--trace calls`), see
 *     trace-prompts.ts; with `--trace calls` the request texts themselves are not exported.
 */
import { access } from 'node:fs/promises';
import { EXIT, PromptoptError } from '../errors.js';
import type { RunState } from '../optimizer/types.js';
import { readCaseRecords } from '../report/case-records.js';
import { readCheckpoint } from '../report/checkpoint.js';
import { traceItems, type TraceCall } from '../report/read-trace.js';
import { createRedactor, redactWith } from '../report/redact.js';
import { runFile } from '../report/run-files.js';
import type { TraceMode } from '../report/trace-format.js';
import type { CaseRecord } from '../report/types.js';
import { requestShape } from '../runner/render-request.js';
import type { CallRole } from '../runner/spend-ledger.js';
import type { Spec } from '../spec/types.js';
import { listVersions } from '../store/list-versions.js';
import type { VersionMeta } from '../store/version-meta.js';
import { sha256 } from '../util/hash.js';
import { promptLabel, promptLabels, type PromptLabels } from './trace-prompts.js';
import { caseResultRecord, feedbackOf, traceRecord, type RecordContext, type TraceRecord, type Verdict } from './trace-record.js';

export interface RunTracesInput {
  runDir: string;
  /** The run's task: variables of cases missing from `cases.json`, the request shape, the versions. */
  spec?: Spec;
  /** Known secret values: redacted from every record (the trace already is; the task's cases are not). */
  secrets: readonly string[];
}

export interface RunTraces {
  runId: string;
  /** The run's checkpoint; undefined when it has none (killed before its first one). */
  state: RunState | undefined;
  /** The final prompt's case results; undefined when the run saved none (not finished). */
  cases: CaseRecord[] | undefined;
  /** The final prompt's label (`v4`), when the run has a checkpoint. */
  finalPrompt: string | undefined;
  /** Every traced call as a record, in trace order (the trace is read as they are consumed). */
  records(filter?: { role?: CallRole }): AsyncGenerator<TraceRecord>;
  /** One record per case the final prompt failed, with the traced call that gave that output when there is one. */
  failures(): Promise<TraceRecord[]>;
  /** What the export lacks and why (no checkpoint...). */
  notes: string[];
  /** Read so far: trace sessions' modes, calls per role, lines that were not JSON. */
  readonly read: { modes: Exclude<TraceMode, 'off'>[]; calls: Record<CallRole, number>; unreadable: number };
}

export async function openRunTraces(input: RunTracesInput): Promise<RunTraces> {
  const { runDir, spec } = input;
  const traceFile = runFile(runDir, 'trace');
  if (!(await access(traceFile).then(() => true, () => false))) {
    throw new PromptoptError('TRACE_NOT_FOUND', `no trace in ${runDir}`, {
      exitCode: EXIT.badInput,
      hint: 'the run was made with --trace off, or stopped before its first call; its final case results (if any) are in cases.json (`promptopt report`)',
    });
  }
  const notes: string[] = [];
  const state = await readCheckpoint(runDir).catch((error: unknown) => {
    if (!(error instanceof PromptoptError)) throw error;
    notes.push(`${error.message}: the prompts of the calls are not known`);
    return undefined;
  });
  const cases = await readCaseRecords(runDir);
  const runId = state?.runId ?? runDir.split(/[/\\]/).filter(Boolean).at(-1)!;
  const versions: Pick<VersionMeta, 'version' | 'promptSha256'>[] = spec ? await listVersions(spec.versionsDir) : [];
  // The checkpoint knows the versions of its start and final prompts even without the versions folder.
  for (const prompt of state ? [state.start, state.current] : []) {
    if (prompt.version > 0) versions.push({ version: prompt.version, promptSha256: sha256(prompt.prompt) });
  }
  const finalPrompt = state ? promptLabel(state.current.prompt, versions) : undefined;

  const fromRun = new Map((cases ?? []).map((c) => [c.caseId, c]));
  const fromTask = new Map((spec?.cases ?? []).map((c) => [c.id, c]));
  const caseOf: RecordContext['caseOf'] = (id) => {
    const found = fromRun.get(id) ?? fromTask.get(id);
    return found ? { vars: found.vars, ...(found.expected !== undefined ? { expected: found.expected } : {}) } : undefined;
  };
  const verdicts = new Map((cases ?? []).map((c) => [verdictKey(c.caseId, c.output), c]));
  const labels: PromptLabels | undefined = state
    ? promptLabels({ state, shape: spec ? requestShape(spec) : undefined, versions, varsOf: (id) => caseOf(id)?.vars, secrets: input.secrets })
    : undefined;
  const context: RecordContext = {
    runId,
    caseOf,
    verdictOf: (id, output, prompt): Verdict | undefined => (prompt !== undefined && prompt === finalPrompt ? verdicts.get(verdictKey(id, output)) : undefined),
    promptOf: (call) => labels?.of(call),
  };
  const scrub = createRedactor(input.secrets);
  const read: RunTraces['read'] = { modes: [], calls: { target: 0, optimizer: 0, judge: 0 }, unreadable: 0 };

  async function* calls(): AsyncGenerator<{ call: TraceCall; index: number }> {
    read.modes = [];
    read.calls = { target: 0, optimizer: 0, judge: 0 };
    read.unreadable = 0;
    let index = 0;
    for await (const item of traceItems(traceFile)) {
      if (item.kind === 'session') read.modes.push(item.session.mode);
      else if (item.kind === 'unreadable') read.unreadable += 1;
      else {
        index += 1;
        read.calls[item.call.role] += 1;
        yield { call: item.call, index };
      }
    }
  }

  return {
    runId,
    state,
    cases,
    finalPrompt,
    notes,
    read,
    async *records(filter = {}) {
      for await (const { call, index } of calls()) {
        if (filter.role === undefined || call.role === filter.role) yield redactWith(traceRecord(call, index, context), scrub);
      }
    },
    async failures() {
      const failing = (cases ?? []).filter((c) => !c.pass);
      const wanted = new Map(failing.map((c) => [verdictKey(c.caseId, c.output), c]));
      const best = new Map<string, { call: TraceCall; index: number; rank: number }>();
      for await (const { call, index } of calls()) {
        if (call.role !== 'target' || call.case_id === undefined || call.output === null) continue;
        const key = verdictKey(call.case_id, call.output);
        if (!wanted.has(key)) continue;
        // The final prompt's own call first, then a call that was made rather than replayed, then the latest.
        const rank = (labels?.of(call) === finalPrompt ? 2 : 0) + (call.cache_hit ? 0 : 1);
        const held = best.get(key);
        if (!held || rank >= held.rank) best.set(key, { call, index, rank });
      }
      const version = finalPrompt ?? 'final';
      return failing.map((result) => {
        const found = best.get(verdictKey(result.caseId, result.output));
        if (!found) return redactWith(caseResultRecord(result, runId, version), scrub);
        // The case result is the verdict, whichever prompt the call that gave the same output is labelled with.
        const record = traceRecord(found.call, found.index, context);
        return redactWith({ ...record, prompt_version: version, feedback: feedbackOf(result), trace: { ...record.trace, verdict: 'fail' as const } }, scrub);
      });
    },
  };
}

function verdictKey(caseId: string, output: string): string {
  return `${caseId}\u0000${output}`;
}
