import type { Command } from 'commander';
import { runCommand } from '../run-command.js';
import type { CommandEnv } from './command-env.js';

/** `promptopt init`. */
export function defineInit(program: Command, env: CommandEnv): void {
  program
    .command('init')
    .description('scaffold a working task (spec, prompt, cases, a custom assertion) that runs offline')
    .argument('[dir]', 'folder to create it in', '.')
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, options: { force?: boolean }) => {
      process.exitCode = await runCommand({ json: false, io: env.io }, async () => {
        const { initCommand } = await import('../commands/init.js');
        return initCommand(dir, options, env.io);
      });
    });
}
