/** `promptopt history <task.yaml>`: the prompt versions, newest first, the current one marked. */
import { readHistory } from '../../store/history.js';
import { listVersions } from '../../store/list-versions.js';
import { currentChain, pointerEvents, versionOnDisk } from '../../store/current-version.js';
import { readPrompt } from '../../store/promote.js';
import { displayPath } from '../../spec/issues.js';
import type { CommandEnv } from '../program/command-env.js';
import { historyJson, historyTable } from '../versions/history-view.js';
import { openTaskVersions } from '../versions/task-versions.js';

export interface HistoryOptions {
  json?: boolean;
}

export async function historyCommand(file: string, options: HistoryOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const { spec, dir, location } = await openTaskVersions(file, ctx);
  const [versions, events] = await Promise.all([listVersions(dir), readHistory(dir)]);
  const current = await versionOnDisk(dir, await readPrompt(location), currentChain(events).at(-1));
  const view = {
    task: spec.name,
    versionsDir: displayPath(dir),
    promptFile: displayPath(location.file),
    inline: location.inline,
    versions,
    current,
    events: pointerEvents(events),
  };
  io.out(options.json ? JSON.stringify(historyJson(view)) : historyTable(view));
  return 0;
}
