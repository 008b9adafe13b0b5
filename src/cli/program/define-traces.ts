import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { TracesOptions } from '../commands/traces.js';

/** `promptopt traces` (the command body is loaded only when it runs). */
export function defineTraces(program: Command, env: ProgramEnv): void {
  program
    .command('traces')
    .description("list or export a run's traced LLM calls, in the record shape `import` reads; no model call")
    .argument('<run>', 'a run id, a path to a run folder, or "latest"')
    .argument('[task.yaml]', "find the run in this spec's runs folder and take the cases from it (default: ./.promptopt/runs and the run's own spec)")
    .addOption(new Option('--role <role>', 'only the calls of this role').choices(['target', 'optimizer', 'judge']))
    .option('--failed', "the cases the run's final prompt failed, each with the call that gave the failing output")
    .option('--json', 'print one JSON document on stdout')
    .addOption(new Option('--jsonl', 'print one record per line (ready for `promptopt import`)').conflicts('json'))
    .action(async (run: string, file: string | undefined, options: TracesOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { tracesCommand } = await import('../commands/traces.js');
        return tracesCommand(run, file, options, env);
      });
    });
}
