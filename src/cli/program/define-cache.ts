import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { CacheOptions } from '../commands/cache.js';

/** `promptopt cache stats|clear`. */
export function defineCache(program: Command, env: ProgramEnv): void {
  const cache = program.command('cache').description('inspect or clear the response cache');
  cache
    .command('stats')
    .argument('[task.yaml]', 'use the cache folder of this spec')
    .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
    .option('--json', 'JSON output')
    .action(async (file: string | undefined, options: CacheOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { cacheStatsCommand } = await import('../commands/cache.js');
        return cacheStatsCommand(file, options, env);
      });
    });
  cache
    .command('clear')
    .argument('[task.yaml]', 'use the cache folder of this spec')
    .option('--dir <folder>', 'cache folder (default: the spec\'s, or .promptopt/cache)')
    .option('--json', 'JSON output')
    .action(async (file: string | undefined, options: CacheOptions) => {
      await runAction(env, Boolean(options.json), async () => {
        const { cacheClearCommand } = await import('../commands/cache.js');
        return cacheClearCommand(file, options, env);
      });
    });
}
