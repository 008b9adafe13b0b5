import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { StatsCommandOptions } from '../commands/stats.js';

const collect = (value: string, all: string[] = []) => [...all, value];

/** `promptopt stats` (the command body is loaded only when it runs). */
export function defineStats(program: Command, env: ProgramEnv): void {
  program
    .command('stats')
    .description('production figures per prompt version from logged interactions: thumbs-up rate, corrections, flags, latency, tokens, cost; nothing is imported')
    .argument('<task.yaml>', 'task spec')
    .argument('<file>', 'the export: .jsonl, .json or .csv (the record shape of `import`)')
    .option('--by <keys>', 'group by prompt_version, model or day (comma-separated for several)', 'prompt_version')
    .option('--map <field=path>', 'where a field of the record shape is in this export (repeatable; as for import)', collect)
    .option('--alpha <p>', 'significance level of the version comparisons', '0.05')
    .option('--json', 'print one JSON document on stdout')
    .option('--notify <url>', "also post notifications to this webhook (repeatable; added to the spec's notify.webhooks)", collect)
    .action(async (file: string, exportFile: string, options: StatsCommandOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { statsCommand } = await import('../commands/stats.js');
        return statsCommand(file, exportFile, options, env);
      });
    });
}
