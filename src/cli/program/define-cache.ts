import type { Command } from 'commander';
import { runCommand } from '../run-command.js';
import type { CommandEnv } from './command-env.js';
import type { CacheOptions } from '../commands/cache.js';

/** `promptopt cache stats|clear`. */
export function defineCache(program: Command, env: CommandEnv): void {
  const cache = program.command('cache').description('inspect or clear the response cache');
  cache
    .command('stats')
    .argument('[task.yaml]', 'use the cache folder of this spec')
    .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
    .option('--json', 'JSON output')
    .action(async (file: string | undefined, options: CacheOptions) => {
      process.exitCode = await runCommand({ json: Boolean(options.json), io: env.io }, async () => {
        const { cacheStatsCommand } = await import('../commands/cache.js');
        return cacheStatsCommand(file, options, env.io);
      });
    });
  cache
    .command('clear')
    .argument('[task.yaml]', 'use the cache folder of this spec')
    .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
    .option('--json', 'JSON output')
    .action(async (file: string | undefined, options: CacheOptions) => {
      process.exitCode = await runCommand({ json: Boolean(options.json), io: env.io }, async () => {
        const { cacheClearCommand } = await import('../commands/cache.js');
        return cacheClearCommand(file, options, env.io);
      });
    });
}
