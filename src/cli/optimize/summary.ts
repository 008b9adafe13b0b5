/** The closing summary of an optimize run: a few lines for people, one JSON document for machines. */
import chalk from 'chalk';
import { describeGap, gapUnit } from '../../report/generalization-gap.js';
import { iterationCount } from '../../report/format.js';
import type { MetricCell, ReportData, ScoreCell } from '../../report/types.js';
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import type { Invocation } from '../invocation.js';
import { formatPercent, formatUsd } from '../terminal.js';

export interface RunOutcome {
  data: ReportData;
  iterations: number;
  reportPaths: { markdown: string; json: string; html: string };
  finalFile: string;
  exitCode: number;
}

export function summaryJson(outcome: RunOutcome): Record<string, unknown> {
  const { data } = outcome;
  const cell = (c?: ScoreCell) =>
    c
      ? {
          score: c.score,
          passed: c.passed,
          total: c.total,
          pass_rate: c.passRate ?? null,
          mean_score: c.meanScore ?? null,
          unchecked: c.unchecked ?? 0,
        }
      : null;
  const metricCell = (m?: MetricCell) => (m ? { cases: m.cases, passed: m.passed, score: m.score } : null);
  return {
    schema_version: JSON_SCHEMA_VERSION,
    run_id: data.runId,
    task: data.task.name,
    strategy: data.strategy,
    simulated: data.simulated,
    iterations: outcome.iterations,
    iterations_by_phase: { train: data.iterations.train, validation: data.iterations.validation },
    lateral_moves: data.iterations.lateral,
    screening: data.screening ? { screened: data.screening.screened, screened_out: data.screening.screenedOut, saved_calls: data.screening.savedCalls } : null,
    stop_reason: data.stopReason ?? null,
    start_version: data.startVersion,
    best_version: data.finalVersion.version,
    best_version_file: outcome.finalFile,
    objective: data.objective,
    scores: {
      start: { train: cell(data.baseline.train), validation: cell(data.baseline.validation) },
      final: { train: cell(data.final.train), validation: cell(data.final.validation), test: cell(data.final.test) },
    },
    metrics: data.metrics.map((m) => ({ name: m.name, split: m.split, start: metricCell(m.start), final: metricCell(m.final) })),
    generalization: {
      objective: data.generalization.objective,
      gap_validation_points: data.generalization.validationPoints ?? null,
      gap_test_points: data.generalization.testPoints ?? null,
      warning: data.generalization.warning ?? null,
    },
    selection: data.selection ? { by: data.selection.by, version: data.selection.version, reason: data.selection.reason } : null,
    cost_usd: data.totals.costUsd,
    cost_incomplete: data.totals.unknownCostCalls > 0,
    spend: {
      paid_usd: data.totals.costUsd,
      paid_calls: data.calls.made,
      calls_at_reservation: data.totals.reservedCalls,
      replayed_usd: data.totals.replayedUsd,
      replayed_calls: data.totals.replayedCalls,
      saved_usd: data.totals.savedUsd,
      saved_calls: data.totals.savedCalls,
    },
    calls_made: data.calls.made,
    cache_hits: data.calls.cacheHits,
    cache_hit_rate: data.calls.hitRate,
    wall_time_ms: Math.round(data.wallTimeMs),
    run_dir: data.runDir,
    reports: { markdown: outcome.reportPaths.markdown, json: outcome.reportPaths.json, html: outcome.reportPaths.html },
    exit_code: outcome.exitCode,
  };
}

/** `commands` renders the next: line as the user started promptopt (see invocation.ts). */
export function summaryText(outcome: RunOutcome, commands: Pick<Invocation, 'command' | 'path'>): string {
  const { data } = outcome;
  // The objective's figure; under mean_score the passed count says "passed" (it is not that figure's numerator).
  const passed = data.objective === 'mean_score' ? ' passed' : '';
  const pct = (c?: ScoreCell) => (c ? `${formatPercent(c.score)} (${c.passed}/${c.total}${passed})` : '–');
  const gap = describeGap(data.generalization);
  const lines = [
    '',
    chalk.bold(`promptopt optimize · ${data.task.name} · run ${data.runId}`) + (data.simulated ? chalk.yellow('  [SIMULATED models: offline demo, not real LLM results]') : ''),
    `  stopped: ${data.stopReason ?? 'unknown'} after ${iterationCount(data)}`,
    `  train       ${pct(data.baseline.train)} → ${pct(data.final.train)}`,
    `  validation  ${pct(data.baseline.validation)} → ${pct(data.final.validation)}`,
    `  test        ${pct(data.final.test)}  (held out; never shown to the optimizer)`,
    ...otherFigureLines(data),
    ...(gap ? [`  gap         ${gap} (${gapUnit(data.generalization)})`] : []),
    ...(data.generalization.warning ? [chalk.yellow(`  ⚠ ${data.generalization.warning}`)] : []),
    ...(data.selection ? [`  final version ${data.selection.reason}`] : []),
    `  cost ${formatUsd(data.totals.costUsd, data.totals.unknownCostCalls > 0)} paid for ${data.calls.made} call(s) · cache: ${cacheLine(data)} · ${(data.wallTimeMs / 1000).toFixed(1)} s`,
    `  best prompt: v${data.finalVersion.version} → ${outcome.finalFile}`,
    `  report:      ${outcome.reportPaths.markdown}`,
    `  html:        ${outcome.reportPaths.html}`,
  ];
  if (data.finalVersion.version !== data.startVersion) {
    const spec = commands.path(data.task.specFile);
    const diff = commands.command(['diff', spec, `v${data.startVersion}`, `v${data.finalVersion.version}`]);
    lines.push(`  next: review it with \`${diff}\`, adopt it with \`${commands.command(['promote', spec, `v${data.finalVersion.version}`])}\``);
  }
  return lines.join('\n');
}

/**
 * The figure that is not the objective, per split (`mean score: train 70.0% → 81.5% · ...`), the
 * unchecked cases, and each named metric: both figures are always reported.
 */
function otherFigureLines(data: ReportData): string[] {
  const other = data.objective === 'mean_score' ? 'passRate' : 'meanScore';
  const label = data.objective === 'mean_score' ? 'pass rate' : 'mean score';
  const value = (c?: ScoreCell) => (c?.[other] === undefined ? '–' : formatPercent(c[other]));
  const lines = [
    `  ${label}: train ${value(data.baseline.train)} → ${value(data.final.train)} · validation ${value(data.baseline.validation)} → ${value(data.final.validation)} · test ${value(data.final.test)}  (${OBJECTIVE_LABELS[data.objective]} is the objective)`,
  ];
  const unchecked = (data.final.train.unchecked ?? 0) + (data.final.validation?.unchecked ?? 0) + (data.final.test?.unchecked ?? 0);
  if (unchecked > 0) lines.push(chalk.yellow(`  ${unchecked} case(s) unchecked: no assertion applies to them; they are in no pass rate or score`));
  for (const name of [...new Set(data.metrics.map((m) => m.name))]) {
    const parts = data.metrics
      .filter((m) => m.name === name)
      .map((m) => `${m.split} ${m.start ? `${formatPercent(m.start.score)} → ` : ''}${m.final ? formatPercent(m.final.score) : '–'}`);
    lines.push(`  metric ${name}: ${parts.join(' · ')}`);
  }
  return lines;
}

/** `12 replayed ($0.0100, paid by this run before), 30 saved ($0.0200 not spent)`; `no hits`. */
function cacheLine(data: ReportData): string {
  const t = data.totals;
  const parts: string[] = [];
  if (t.replayedCalls > 0) parts.push(`${t.replayedCalls} replayed (${formatUsd(t.replayedUsd)}, paid by this run before)`);
  if (t.savedCalls > 0) parts.push(`${t.savedCalls} saved (${formatUsd(t.savedUsd)} not spent)`);
  return parts.length ? parts.join(', ') : 'no hits';
}
