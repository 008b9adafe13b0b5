import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { CacheOptions } from '../commands/cache.js';

const DIR_HELP = "cache folder (default: the spec's, or .promptopt/cache)";

/** `promptopt cache stats|clear|verify`. */
export function defineCache(program: Command, env: ProgramEnv): void {
  const cache = program.command('cache').description('inspect, clear or verify the response cache');
  const subcommand = (name: string, description: string, run: (file: string | undefined, options: CacheOptions) => Promise<number>) =>
    cache
      .command(name)
      .description(description)
      .argument('[task.yaml]', 'use the cache folder of this spec')
      .option('--dir <folder>', DIR_HELP)
      .option('--json', 'JSON output')
      .action(async (file: string | undefined, options: CacheOptions) => {
        await runAction(env, Boolean(options.json), () => run(file, options));
      });
  subcommand('stats', 'entries and size', async (file, options) => (await import('../commands/cache.js')).cacheStatsCommand(file, options, env));
  subcommand('clear', 'delete every entry, whatever state the files are in', async (file, options) =>
    (await import('../commands/cache.js')).cacheClearCommand(file, options, env),
  );
  subcommand('verify', 'read every entry and report damage (exit 1 when damaged)', async (file, options) =>
    (await import('../commands/cache.js')).cacheVerifyCommand(file, options, env),
  );
}
