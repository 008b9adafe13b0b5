/** ReportData -> report.md. Pure. */
import type { CandidateStatus } from '../optimizer/types.js';
import { callsWorth, cell, code, deltaPoints, duration, fenced, integer, iterationCount, moneyBreakdown, oneLine, percent, STOP_REASONS, table, usd } from './format.js';
import { describeGap, gapUnit } from './generalization-gap.js';
import { OBJECTIVE_LABELS } from '../runner/objective.js';
import { figureHeaders, figureRows, metricCellText } from './scores-rows.js';
import { selectionRule } from './selection-rule.js';
import type { ModelRef, ReportData, ScoreCell, TrajectoryRow } from './types.js';

const STATUS_MARKS: Record<CandidateStatus, string> = {
  accepted: '✓',
  rejected: '✗',
  invalid: '⚠',
  breaks_train: '✗',
  hurts_validation: '✗',
  not_significant: '~',
  lateral: '=',
  unscored: '?',
  screened_out: '⊘',
};

export function renderMarkdown(data: ReportData): string {
  const sections = [
    header(data),
    summary(data),
    selection(data),
    figures(data),
    trajectory(data),
    candidates(data),
    categories(data),
    lessons(data),
    cost(data),
    finalPrompt(data),
    diff(data),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(data: ReportData): string {
  const lines = [`# promptopt report: ${oneLine(data.task.name)}`, ''];
  if (data.task.description.trim() !== '') lines.push(oneLine(data.task.description, 1000), '');
  lines.push(
    `Run ${code(data.runId)} · strategy ${code(data.strategy)} · seed ${data.seed} · started ${data.startedAt}` +
      (data.finishedAt ? ` · finished ${data.finishedAt}` : ''),
    '',
    `Target ${modelName(data.target)} · optimizer ${modelName(data.optimizerModel)} · spec ${code(data.task.specFile)}`,
  );
  if (data.simulated) {
    const who = [data.target.simulated && 'target', data.optimizerModel.simulated && 'optimizer'].filter(Boolean).join(' and ');
    lines.push(
      '',
      `> **⚠ SIMULATED** — the ${who} ran on the offline simulator: these scores and costs say nothing about a real model.`,
    );
  }
  return lines.join('\n');
}

function modelName(model: ModelRef): string {
  return `${code(`${model.provider}:${model.model}`)}${model.simulated ? ' (simulated)' : ''}`;
}

function summary(data: ReportData): string {
  const rows = data.summary.map((row) => [
    row.split === 'test' ? 'test (held out)' : row.split,
    scoreCell(row.start),
    row.final ? scoreCell(row.final) : row.split === 'test' ? 'not scored' : '—',
    deltaPoints(row.start?.score, row.final?.score),
  ]);
  const stop = data.stopReason ? `${code(data.stopReason)}: ${STOP_REASONS[data.stopReason]}` : 'not stopped (run in progress)';
  const gap = describeGap(data.generalization);
  const lines = ['## Summary', '', table(['Split', `Start (${OBJECTIVE_LABELS[data.objective]})`, 'Final', 'Change'], rows), ''];
  if (gap) lines.push(`- **Generalization gap** (final version, ${gapUnit(data.generalization)}): ${gap}`);
  if (data.generalization.warning) lines.push(`- **⚠ Warning:** ${data.generalization.warning}.`);
  lines.push(
    `- **Stop reason:** ${stop}`,
    `- **Prompt versions:** start v${data.startVersion} → final v${data.finalVersion.version} (${code(data.finalVersion.file)})`,
  );
  if (data.selection) lines.push(`- **Final version chosen:** ${oneLine(data.selection.reason, 400)}`);
  lines.push(`- **Iterations:** ${iterationCount(data)} · **wall time:** ${duration(data.wallTimeMs)} · **cost:** ${totalCost(data)}`);
  return lines.join('\n');
}

function selection(data: ReportData): string {
  const chosen = data.selection;
  if (!chosen) return '';
  const rows = chosen.entries.map((e) => [
    e.version === chosen.version ? `**v${e.version}** (final)` : `v${e.version}`,
    percent(e.train),
    percent(e.validation),
    e.eligible ? 'yes' : 'no: significantly below the best train score',
    String(e.promptChars),
  ]);
  const rule =
    selectionRule(chosen) + (chosen.by === 'train' ? ' Add validation cases to select on data the optimizer did not train on.' : '');
  return ['## Final selection', '', rule, '', table(['Version', 'Train', 'Validation', 'Eligible', 'Prompt chars'], rows)].join('\n');
}

/** Both figures per split (start → final) and the named metrics. */
function figures(data: ReportData): string {
  const headers = figureHeaders(data);
  const rows = figureRows(data).map((r) => [r.split, r.passRate, r.meanScore, r.unchecked]);
  const lines = ['## Pass rate and mean score', '', table(['Split', headers.passRate, headers.meanScore, 'Unchecked'], rows)];
  if (data.metrics.length > 0) {
    const metricRows = data.metrics.map((m) => [code(m.name), m.split === 'test' ? 'test (held out)' : m.split, m.split === 'test' ? '—' : metricCellText(m.start), metricCellText(m.final)]);
    lines.push('', '### Named metrics', '', table(['Metric', 'Split', 'Start', 'Final'], metricRows));
  }
  return lines.join('\n');
}

function scoreCell(score: ScoreCell | undefined): string {
  return score ? `${percent(score.score)} (${score.passed}/${score.total})` : '—';
}

function trajectory(data: ReportData): string {
  if (data.trajectory.length === 0) return '## Trajectory\n\nNo iterations ran.';
  const rows = data.trajectory.map((row) => [
    String(row.iteration),
    row.phase,
    percent(row.train),
    percent(row.validation),
    row.accepted ? code(row.accepted) : '—',
    row.lateralId ? code(row.lateralId) : row.lateral ? 'yes' : '',
    usd(row.costUsd),
  ]);
  const lines = ['## Trajectory', '', table(['Iteration', 'Phase', 'Train', 'Validation', 'Adopted', 'Lateral', 'Cost'], rows)];
  if (data.screening) {
    const { screened, screenedOut, savedCalls } = data.screening;
    lines.push(
      '',
      `Minibatch screening: ${screened} candidate(s) were tried on a minibatch of train cases first; ${screenedOut} did no better than their parent there and were not scored on the full split (${integer(savedCalls)} target calls saved).`,
    );
  }
  if (data.trajectory.some((row) => row.lateralId)) {
    lines.push('', 'Lateral: the iteration\'s best candidate scored the same as the current prompt on every split; it is recorded here, not adopted (the current prompt stays, no version is written).');
  }
  return lines.join('\n');
}

function candidates(data: ReportData): string {
  const blocks = data.trajectory
    .filter((row) => row.candidates.length > 0)
    .map((row) => [`### Iteration ${row.iteration} (${row.phase})`, '', ...row.candidates.map((c) => candidateLine(row, c))].join('\n'));
  return blocks.length === 0 ? '' : ['## Candidates', '', blocks.join('\n\n')].join('\n');
}

function candidateLine(row: TrajectoryRow, c: TrajectoryRow['candidates'][number]): string {
  const parts = [`${STATUS_MARKS[c.status]} ${code(c.id)} **${c.status}**`, percent(c.score)];
  if (c.minibatch) parts.push(`minibatch ${percent(c.minibatch.score)} vs ${percent(c.minibatch.bar)} on ${c.minibatch.cases} case(s)`);
  if (c.fixed > 0 || c.broken > 0) parts.push(`fixed ${c.fixed}, broke ${c.broken}`);
  parts.push(oneLine(c.hypothesis || '(no hypothesis)', 200));
  const reason = c.status !== 'accepted' && c.reason.trim() !== '' ? ` — ${oneLine(c.reason, 160)}` : '';
  const lateral = c.status === 'accepted' && row.lateral ? ' (lateral move)' : '';
  return `- ${parts.join(' · ')}${reason}${lateral}`;
}

function categories(data: ReportData): string {
  if (data.categories.length === 0) return '';
  const rows = data.categories.map((row) => [row.category, String(row.before), String(row.after)]);
  return ['## Failure categories (train)', '', table(['Category', 'Start', 'Final'], rows)].join('\n');
}

function lessons(data: ReportData): string {
  if (data.lessons.length === 0) return '';
  return ['## Lessons', '', ...data.lessons.map((lesson) => `- ${oneLine(lesson, 400)}`)].join('\n');
}

function cost(data: ReportData): string {
  const rows = data.spend.map((line) => [
    line.role,
    cell(code(line.model)),
    integer(line.calls),
    integer(line.inputTokens),
    integer(line.outputTokens),
    usd(line.costUsd) + (line.unknownCostCalls > 0 ? ` (+${line.unknownCostCalls} unpriced)` : ''),
    callsWorth(line.replayedCalls, line.replayedUsd),
    callsWorth(line.savedCalls, line.savedUsd),
  ]);
  const { totals, calls } = data;
  rows.push([
    '**total**',
    '',
    integer(calls.made),
    integer(totals.inputTokens),
    integer(totals.outputTokens),
    `**${totalCost(data)}**`,
    callsWorth(totals.replayedCalls, totals.replayedUsd),
    callsWorth(totals.savedCalls, totals.savedUsd),
  ]);
  return [
    '## Cost and tokens',
    '',
    table(['Role', 'Model', 'Paid calls', 'Input tokens', 'Output tokens', 'Paid', 'Replayed from cache', 'Saved by cache'], rows),
    '',
    moneyBreakdown(data),
    '',
    `Calls: ${integer(calls.made)} made, ${integer(calls.cacheHits)} served from cache (${percent(calls.hitRate)} hit rate).`,
  ].join('\n');
}

function totalCost(data: ReportData): string {
  const lowerBound = data.totals.unknownCostCalls > 0 ? ' or more (some prices unknown)' : '';
  return `${usd(data.totals.costUsd)}${lowerBound}`;
}

function finalPrompt(data: ReportData): string {
  return [`## Final prompt (v${data.finalVersion.version})`, '', fenced(data.finalPrompt, 'text')].join('\n');
}

function diff(data: ReportData): string {
  const body = data.changed ? fenced(data.diffFromStart, 'diff') : 'No change from the start prompt.';
  return [`## Diff from start (v${data.startVersion} → v${data.finalVersion.version})`, '', body].join('\n');
}
