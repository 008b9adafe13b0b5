import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { ReportOptions } from '../commands/report.js';

/** `promptopt report`. */
export function defineReport(program: Command, env: ProgramEnv): void {
  program
    .command('report')
    .description("re-render a run's reports (markdown, json, html) from its checkpoint and saved case results; no model call")
    .argument('<run>', 'a run id, a path to a run folder, or "latest"')
    .argument('[task.yaml]', "find the run in this spec's runs folder (default: ./.promptopt/runs; the run's own spec names the task)")
    .option('--open', "open report.html in the desktop's browser (prints its path when there is no browser to open)")
    .addOption(new Option('--path', 'print only the path of report.html (for scripts)').conflicts('open'))
    .action(async (run: string, file: string | undefined, options: ReportOptions) => {
      await runAction(env, false, async () => {
        const { reportCommand } = await import('../commands/report.js');
        return reportCommand(run, file, options, env);
      });
    });
}
