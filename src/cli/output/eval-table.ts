/** The human summary `promptopt eval` prints: a table per split, then the failing cases. */
import chalk from 'chalk';
import { spendTotals, type SpendLine } from '../../runner/spend-ledger.js';
import type { SplitSummary } from '../../runner/types.js';
import type { CaseJson } from './eval-json.js';
import { excerpt, formatPercent, formatUsd } from '../terminal.js';

export function evalTable(summaries: SplitSummary[]): string {
  const header = ['split', 'passed', 'score', 'cost', 'tokens in/out', 'cache hits', 'errors'];
  const rows = summaries.map((s) => [
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

/** The failing cases it lists at most. */
export const TABLE_FAILING = 10;

/** `failing`: the first failing case records in the cases' order; `count`: how many cases failed in all. */
export function failingCasesText(failing: readonly CaseJson[], count: number, limit = TABLE_FAILING): string {
  if (count === 0) return '';
  const lines = [chalk.bold(`Failing cases (${count}):`)];
  for (const c of failing.slice(0, limit)) {
    if (c.provider_error) {
      lines.push(`  ${chalk.red('✗')} ${c.id} [${c.split}] provider_error: ${excerpt(c.provider_error.message, 120)}`);
      continue;
    }
    const first = c.failures[0];
    lines.push(`  ${chalk.red('✗')} ${c.id} [${c.split}] ${first ? `${first.type} — ${first.category}: ${excerpt(first.reason, 120)}` : 'failed'}`);
    for (const more of c.failures.slice(1, 3)) lines.push(`      also ${more.type} — ${more.category}: ${excerpt(more.reason, 100)}`);
  }
  if (count > limit) lines.push(chalk.dim(`  … ${count - limit} more (use --json or --output for all)`));
  return lines.join('\n');
}

/** `spend: paid $0.0123 for 40 call(s) · saved $0.0040 (12 call(s) served from the cache)`. */
export function spendLine(lines: SpendLine[]): string {
  const t = spendTotals(lines);
  const paid = formatUsd(t.paidUsd, t.unknownCostCalls > 0);
  return `spend: paid ${paid} for ${t.paidCalls} call(s) · saved ${formatUsd(t.savedUsd + t.replayedUsd)} (${t.savedCalls + t.replayedCalls} call(s) served from the cache)`;
}
