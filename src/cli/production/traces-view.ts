/** What `promptopt traces` prints on a terminal: one line per call, or per failed case. Pure. */
import chalk from 'chalk';
import type { RunTraces } from '../../production/run-traces.js';
import type { TraceRecord } from '../../production/trace-record.js';
import type { CallRole } from '../../runner/spend-ledger.js';
import { formatUsd } from '../../util/format-usd.js';

const OUTPUT_CHARS = 48;

export const TRACE_TABLE_HEADER = `${'#'.padStart(5)}  ${'time'.padEnd(8)}  ${'role'.padEnd(9)}  ${'case'.padEnd(14)}  ${'prompt'.padEnd(12)}  ${'verdict'.padEnd(7)}  ${'tokens'.padStart(11)}  ${'cost'.padStart(10)}  ${'ms'.padStart(6)}  output`;

export function recordLine(record: TraceRecord): string {
  const { trace } = record;
  const time = record.timestamp ? record.timestamp.slice(11, 19) : '';
  const tokens = `${record.usage?.input_tokens ?? 0}/${record.usage?.output_tokens ?? 0}`;
  const cost = trace.cache_hit ? 'cache' : record.cost_usd === undefined ? '?' : formatUsd(record.cost_usd);
  const verdict = trace.verdict === 'fail' ? chalk.red('fail') + ' '.repeat(3) : trace.verdict === 'pass' ? chalk.green('pass') + ' '.repeat(3) : ''.padEnd(7);
  const output = trace.error ? chalk.red(`error ${trace.error.code}`) : preview(record.output ?? '');
  return [
    String(trace.call ?? '-').padStart(5),
    time.padEnd(8),
    trace.role.padEnd(9),
    clip(trace.case_id ?? '', 14).padEnd(14),
    clip(record.prompt_version ?? '', 12).padEnd(12),
    verdict,
    tokens.padStart(11),
    cost.padStart(10),
    String(record.latency_ms ?? '').padStart(6),
    output,
  ].join('  ');
}

export function failureLine(record: TraceRecord): string {
  const { trace } = record;
  const call = trace.call === null ? 'no traced call' : `call #${trace.call}${trace.cache_hit ? ' (cache hit)' : ''}`;
  const expected = trace.expected === undefined ? '' : `  expected ${preview(JSON.stringify(trace.expected))}`;
  const lines = [`  ${chalk.bold(trace.case_id ?? '?')}  ${chalk.dim(call)}${expected}  got ${preview(JSON.stringify(record.output ?? ''))}`];
  if (record.feedback?.comment) lines.push(chalk.dim(`    ${clip(record.feedback.comment, 160)}`));
  return lines.join('\n');
}

export function tracesFooter(traces: RunTraces, shown: { listed: number; passing: number; failing: number; role: CallRole | undefined }): string {
  const { calls, modes } = traces.read;
  const total = calls.target + calls.optimizer + calls.judge;
  const byRole = `${calls.target} target, ${calls.optimizer} optimizer, ${calls.judge} judge`;
  const lines = [
    '',
    `run ${traces.runId}: ${total} call(s) traced (${byRole}; trace ${[...new Set(modes)].join(', ') || 'empty'})` +
      (shown.role ? `, ${shown.listed} listed (--role ${shown.role})` : ''),
  ];
  if (traces.cases) {
    lines.push(
      `verdicts: ${shown.passing} pass, ${shown.failing} fail, ${shown.listed - shown.passing - shown.failing} none ` +
        `(from the case results of the final prompt, ${traces.finalPrompt ?? '?'}: a call that gave another output has none)`,
    );
  } else {
    lines.push('no case results (cases.json): verdicts are not known (the run has not finished)');
  }
  if (modes.includes('calls')) lines.push('calls traced with --trace calls have no request texts: their records keep only a digest of the request');
  lines.push(chalk.dim(`export: promptopt traces ${traces.runId} --jsonl > calls.jsonl   (the record shape \`import\` and \`stats\` read; --failed for the final prompt's failures)`));
  return lines.join('\n');
}

function preview(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), OUTPUT_CHARS);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
