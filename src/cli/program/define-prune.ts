import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { PruneOptions } from '../commands/prune.js';

/** `promptopt prune` (the command body is loaded only when it runs). */
export function definePrune(program: Command, env: ProgramEnv): void {
  program
    .command('prune')
    .description('delete runs, traces, compare reports and cache entries older than an age (they can hold user data); versions stay')
    .argument('[task.yaml]', "the task: its runs folder, cache and versions, and its retention.days (default: ./.promptopt and ./prompt-versions)")
    .option('--older-than <age>', "delete what is older than this: 30d, 36h, 2w (default: the spec's retention.days)")
    .option('--dry-run', 'say what would go and how much space would come back; delete nothing')
    .option('--version-reports', 'also delete the reports and checkpoint of old runs that made a version (kept by default)')
    .addOption(new Option('--compact', 'afterwards, rewrite the cache file to hold only its live entries (LMDB does not shrink it on delete)').conflicts('dryRun'))
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string | undefined, options: PruneOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { pruneCommand } = await import('../commands/prune.js');
        return pruneCommand(file, options, env);
      });
    });
}
