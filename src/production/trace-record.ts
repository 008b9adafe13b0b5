/**
 * One traced LLM call -> a record in the shape `import` and `stats` read (record.ts), plus a `trace`
 * object they ignore (the call as the trace knows it). Pure.
 *
 *   - `vars`: the case's variables, for a target call whose case is known (judge and optimizer calls
 *     have no case: no `vars`, so `import` skips them as malformed);
 *   - `feedback`: the run's verdict on this call, when the run recorded one (see Verdict): a failure
 *     is `rating: "down"` with the case's expected value as `correction` and the failed checks as
 *     `comment`; a pass is `rating: "up"`. It is the run's checks speaking, not a user;
 *   - `prompt_version`: `vN` when the call's prompt is a version of the task, else the first 12 hex
 *     digits of its SHA-256 (what `import` and `stats` read as "the version with that prompt").
 */
import type { TraceCall } from '../report/read-trace.js';
import type { CaseRecord } from '../report/types.js';
import type { ProductionRecordJson } from './record.js';

/** The call as the trace recorded it, beside the record fields. */
export interface TraceInfo {
  run_id: string;
  /** 1-based position among the trace's calls; null for a case result the trace has no call for. */
  call: number | null;
  role: TraceCall['role'];
  provider?: string;
  case_id?: string;
  phase?: string;
  iteration?: number;
  candidate?: number | string;
  sample?: number;
  cache_hit?: boolean;
  /** The case's expected value (also the correction of a failed record). */
  expected?: unknown;
  /** pass / fail when the run recorded a verdict on this output for this case. */
  verdict?: 'pass' | 'fail';
  error?: { code: string; message: string };
  /** The request's texts (`--trace full`); with `--trace calls` only their digest. */
  request?: TraceCall['request'];
}

export type TraceRecord = ProductionRecordJson & { trace: TraceInfo };

/** What the run recorded about one output of one case (`cases.json`: the final prompt's results). */
export interface Verdict {
  pass: boolean;
  expected?: unknown;
  failures: CaseRecord['failures'];
}

export interface RecordContext {
  runId: string;
  /** The case's variables and expected value, by case id. */
  caseOf(caseId: string): { vars: Record<string, unknown>; expected?: unknown } | undefined;
  /** The verdict on `output` for the case, given by the prompt labelled `prompt`, when the run recorded one. */
  verdictOf(caseId: string, output: string, prompt: string | undefined): Verdict | undefined;
  /** The label of the prompt the call was made with, when it can be told. */
  promptOf(call: TraceCall): string | undefined;
}

export function traceRecord(call: TraceCall, index: number, context: RecordContext): TraceRecord {
  const known = call.case_id !== undefined ? context.caseOf(call.case_id) : undefined;
  const prompt = context.promptOf(call);
  const verdict = call.case_id !== undefined && call.output !== null ? context.verdictOf(call.case_id, call.output, prompt) : undefined;
  const record: TraceRecord = {
    id: `${context.runId}#${index}`,
    timestamp: call.at,
    ...(known ? { vars: known.vars } : {}),
    ...(call.output !== null ? { output: call.output } : {}),
    ...(prompt !== undefined ? { prompt_version: prompt } : {}),
    model: call.model,
    latency_ms: call.latency_ms,
    usage: { input_tokens: call.input_tokens, output_tokens: call.output_tokens },
    ...(call.cost_usd !== null ? { cost_usd: call.cost_usd } : {}),
    ...(verdict ? { feedback: feedbackOf(verdict) } : {}),
    trace: {
      run_id: context.runId,
      call: index,
      role: call.role,
      provider: call.provider,
      ...defined('case_id', call.case_id),
      ...defined('phase', call.phase),
      ...defined('iteration', call.iteration),
      ...defined('candidate', call.candidate),
      sample: call.sample,
      cache_hit: call.cache_hit,
      ...(known && known.expected !== undefined ? { expected: known.expected } : {}),
      ...(verdict ? { verdict: verdict.pass ? 'pass' : 'fail' } : {}),
      ...defined('error', call.error),
      request: call.request,
    },
  };
  return record;
}

/**
 * A case result of the run that no traced call matches (a trace written with `redact: { traces: true }`
 * changed the output, or the call was never traced): the record the case result alone gives.
 */
export function caseResultRecord(result: CaseRecord, runId: string, promptVersion: string): TraceRecord {
  return {
    id: `${runId}#case:${result.caseId}`,
    vars: result.vars,
    output: result.output,
    prompt_version: promptVersion,
    feedback: feedbackOf(result),
    trace: {
      run_id: runId,
      call: null,
      role: 'target',
      case_id: result.caseId,
      ...(result.expected !== undefined ? { expected: result.expected } : {}),
      verdict: result.pass ? 'pass' : 'fail',
    },
  };
}

/** The run's verdict as feedback: a pass is a thumbs-up; a failure a thumbs-down with the expected value and the failed checks. */
export function feedbackOf(verdict: Verdict): NonNullable<ProductionRecordJson['feedback']> {
  if (verdict.pass) return { rating: 'up' };
  const comment = verdict.failures.map((f) => `${f.type}: ${f.reason}`).join('; ');
  return {
    rating: 'down',
    ...(verdict.expected !== undefined ? { correction: verdict.expected } : {}),
    ...(comment !== '' ? { comment } : {}),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
