/** `promptopt promote <task.yaml> <v>`: make a version the prompt the task uses, showing its diff. */
import { PROMOTE_EVENT } from '../../store/current-version.js';
import { promoteVersion } from '../../store/promote.js';
import type { CommandEnv } from '../program/command-env.js';
import { printPromotion } from '../versions/promotion-output.js';
import { openTaskVersions } from '../versions/task-versions.js';
import { resolveVersion } from '../versions/version-arg.js';

export interface PromoteOptions {
  force?: boolean;
}

export async function promoteCommand(file: string, version: string, options: PromoteOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const task = await openTaskVersions(file, ctx);
  const n = await resolveVersion(task.dir, version);
  const result = await promoteVersion({ dir: task.dir, location: task.location, event: PROMOTE_EVENT, version: n, force: options.force });
  printPromotion(task, result, 'promoted', io);
  return 0;
}
