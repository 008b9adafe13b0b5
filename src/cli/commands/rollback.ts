/** `promptopt rollback <task.yaml> [v]`: return to the previous current version (or to `v`). */
import { ROLLBACK_EVENT } from '../../store/current-version.js';
import { promoteVersion } from '../../store/promote.js';
import type { CommandEnv } from '../program/command-env.js';
import { printPromotion } from '../versions/promotion-output.js';
import { openTaskVersions } from '../versions/task-versions.js';
import { resolveVersion } from '../versions/version-arg.js';

export interface RollbackOptions {
  force?: boolean;
}

export async function rollbackCommand(file: string, version: string | undefined, options: RollbackOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const task = await openTaskVersions(file, ctx);
  const n = version === undefined ? undefined : await resolveVersion(task.dir, version);
  const result = await promoteVersion({ dir: task.dir, location: task.location, event: ROLLBACK_EVENT, version: n, force: options.force });
  printPromotion(task, result, 'rolled back to', io);
  return 0;
}
