/** What `promptopt history` prints: the versions newest first (the current one marked), then promotions. */
import chalk from 'chalk';
import type { PointerEvent } from '../../store/current-version.js';
import { scoresObjective, type VersionMeta } from '../../store/version-meta.js';
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import { formatPercent, formatUsd } from '../terminal.js';

export interface HistoryView {
  task: string;
  versionsDir: string;
  /** The prompt file, or the spec for an inline prompt (as shown to the user). */
  promptFile: string;
  inline: boolean;
  /** Oldest first, as listed. */
  versions: VersionMeta[];
  current: number | null;
  /** Oldest first. */
  events: PointerEvent[];
}

export function historyTable(view: HistoryView): string {
  if (view.versions.length === 0) return `no versions yet in ${view.versionsDir}`;
  const header = ['', 'version', 'parent', 'branch', 'created', 'run', 'target model', 'train', 'validation', 'test', 'scores are', 'cost'];
  const score = (value: number | undefined) => (value === undefined ? '-' : formatPercent(value));
  const rows = [...view.versions].reverse().map((m) => [
    m.version === view.current ? '*' : '',
    `v${m.version}`,
    m.parent === null ? '-' : `v${m.parent}`,
    m.branch,
    shortTime(m.created),
    m.runId ?? `(${m.source})`,
    m.targetModel || '-',
    score(m.scores.train),
    score(m.scores.validation),
    score(m.scores.test),
    objectiveLabel(m),
    formatUsd(m.costUsd),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [chalk.bold(line(header)), ...rows.map((r) => (r[0] === '*' ? chalk.green(line(r)) : line(r)))];
  const where = view.inline ? `the inline prompt of ${view.promptFile}` : view.promptFile;
  lines.push('');
  lines.push(view.current === null ? chalk.yellow(`${where} matches no version (hand edits?)`) : `* current: v${view.current} (${where})`);
  if (view.events.length > 0) {
    lines.push('', chalk.bold('promotions'));
    for (const e of [...view.events].reverse()) {
      lines.push(`  ${shortTime(e.at)}  ${e.event.padEnd(8)}  ${e.from === null ? '(hand edits)' : `v${e.from}`} → v${e.to}`);
    }
  }
  return lines.join('\n');
}

export function historyJson(view: HistoryView): unknown {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task: view.task,
    versions_dir: view.versionsDir,
    prompt: { file: view.promptFile, inline: view.inline },
    current: view.current,
    versions: [...view.versions].reverse().map((m) => ({
      version: m.version,
      current: m.version === view.current,
      parent: m.parent,
      branch: m.branch,
      created: m.created,
      run_id: m.runId,
      source: m.source,
      target_model: m.targetModel,
      scores: { train: m.scores.train ?? null, validation: m.scores.validation ?? null, test: m.scores.test ?? null },
      objective: scoresObjective(m) ?? null,
      cost_usd: m.costUsd,
      hypothesis: m.hypothesis,
      prompt_file: m.promptFile,
    })),
    events: [...view.events].reverse().map((e) => ({ at: e.at, event: e.event, from: e.from, to: e.to })),
  };
}

/** Which figure the version's scores are (`pass rate`, `mean score`); `-` without scores. */
function objectiveLabel(meta: VersionMeta): string {
  const objective = scoresObjective(meta);
  return objective ? OBJECTIVE_LABELS[objective] : '-';
}

/** `2025-01-02T03:04:05.678Z` -> `2025-01-02 03:04` (UTC). */
function shortTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? iso.slice(0, 16).replace('T', ' ') : iso || '-';
}
