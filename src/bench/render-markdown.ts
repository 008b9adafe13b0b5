/** bench.md (and what `promptopt bench` prints): per task, the table, the paired verdicts, and what the figures mean. */
import { cell, table } from '../report/format.js';
import { budgetWords, columnNotes, columns, countsCalls, PAIR_HEADERS, pairCells } from './bench-format.js';
import type { TaskSummary } from './summarize.js';
import type { BenchSettings } from './types.js';

export interface BenchHeader {
  generatedAt: Date;
  /** `2 cores, Linux x64, Node 20.19` */
  machine: string;
  dir: string;
}

export function renderBenchMarkdown(summaries: readonly TaskSummary[], settings: BenchSettings, header: BenchHeader): string {
  const seeds = `${settings.runs} seed${settings.runs === 1 ? '' : 's'} per strategy (${settings.seed}–${settings.seed + settings.runs - 1})`;
  const out = [
    `# promptopt bench`,
    '',
    `${header.generatedAt.toISOString().slice(0, 10)} · ${header.machine} · strategies ${settings.strategies.join(', ')} · ${seeds} · α = ${settings.alpha}`,
  ];
  if (summaries.some((s) => s.status === 'ran' && (s.task.simulated.target || s.task.simulated.optimizer))) {
    out.push(
      '',
      '**SIMULATED.** Tasks marked so ran on the offline simulator: their tables measure promptopt\'s machinery (budgets, caching, statistics), not the strategies. They draw no conclusion about strategies on real models.',
    );
  }
  for (const summary of summaries) out.push('', ...taskMarkdown(summary, settings));
  return `${out.join('\n')}\n`;
}

function taskMarkdown(summary: TaskSummary, settings: BenchSettings): string[] {
  const { task } = summary;
  const lines = [`## ${task.id}`, ''];
  if (summary.status === 'needs_real_model') {
    lines.push(`Not run: needs a real model (${task.needsRealModel}). The spec's target is \`${task.models.target}\`: give it a real model to bench this task.`);
    return lines;
  }
  const simulated = task.simulated.target || task.simulated.optimizer;
  lines.push(
    `${simulated ? '**SIMULATED** · ' : ''}target \`${task.models.target}\` · optimizer \`${task.models.optimizer}\` · budget ${budgetWords(summary)}${countsCalls(summary) ? ' (calls, not dollars: the simulator is free)' : ''}`,
    '',
  );
  const cols = columns(summary);
  lines.push(table(cols.map((c) => c.header), summary.rows.map((row) => cols.map((c) => cell(c.cell(row))))), '');
  for (const note of columnNotes(summary)) lines.push(`- ${note}`);
  lines.push(
    '',
    `Paired comparisons on the held-out test (two-level bootstrap: seeds resampled, then cases within each; ${settings.alpha} significance; no correction for the number of comparisons):`,
    '',
    table([...PAIR_HEADERS], summary.pairs.map((pair) => pairCells(pair).map((c) => cell(c)))),
  );
  return lines;
}
