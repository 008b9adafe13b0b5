import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';

/** `promptopt init`. */
export function defineInit(program: Command, env: ProgramEnv): void {
  program
    .command('init')
    .description('scaffold a working task (spec, prompt, cases, a custom assertion) that runs offline')
    .argument('[dir]', 'folder to create it in', '.')
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, options: { force?: boolean }) => {
      await runAction(env, false, async () => {
        const { initCommand } = await import('../commands/init.js');
        return initCommand(dir, options, env);
      });
    });
}
