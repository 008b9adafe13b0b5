/** The human summary `promptopt eval` prints: a table per split, then the failing cases. */
import chalk from 'chalk';
import { spendTotals, type SpendLine } from '../../runner/spend-ledger.js';
import type { EvalResult } from '../../runner/types.js';
import { excerpt, formatPercent, formatUsd } from '../terminal.js';

export function evalTable(result: EvalResult): string {
  const header = ['split', 'passed', 'score', 'cost', 'tokens in/out', 'cache hits', 'errors'];
  const rows = result.summaries.map((s) => [
    s.split,
    `${s.passed}/${s.total}`,
    formatPercent(s.score),
    formatUsd(s.costUsd, s.costIncomplete),
    `${s.inputTokens}/${s.outputTokens}`,
    `${s.cacheHits}/${s.cacheHits + s.calls}`,
    String(s.providerErrors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [chalk.bold(line(header)), ...rows.map(line)].join('\n');
}

export function failingCasesText(result: EvalResult, limit = 10): string {
  const failing = result.cases.filter((c) => !c.pass);
  if (failing.length === 0) return '';
  const lines = [chalk.bold(`Failing cases (${failing.length}):`)];
  for (const c of failing.slice(0, limit)) {
    if (c.providerError) {
      lines.push(`  ${chalk.red('✗')} ${c.caseId} [${c.split}] provider_error: ${excerpt(c.providerError.message, 120)}`);
      continue;
    }
    const first = c.failures[0];
    lines.push(`  ${chalk.red('✗')} ${c.caseId} [${c.split}] ${first ? `${first.type} — ${first.category}: ${excerpt(first.reason, 120)}` : 'failed'}`);
    for (const more of c.failures.slice(1, 3)) lines.push(`      also ${more.type} — ${more.category}: ${excerpt(more.reason, 100)}`);
  }
  if (failing.length > limit) lines.push(chalk.dim(`  … ${failing.length - limit} more (use --json or --output for all)`));
  return lines.join('\n');
}

/** `spend: paid $0.0123 for 40 call(s) · saved $0.0040 (12 call(s) served from the cache)`. */
export function spendLine(lines: SpendLine[]): string {
  const t = spendTotals(lines);
  const paid = formatUsd(t.paidUsd, t.unknownCostCalls > 0);
  return `spend: paid ${paid} for ${t.paidCalls} call(s) · saved ${formatUsd(t.savedUsd + t.replayedUsd)} (${t.savedCalls + t.replayedCalls} call(s) served from the cache)`;
}
