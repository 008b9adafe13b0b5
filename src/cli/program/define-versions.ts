import type { Command } from 'commander';
import { runAction } from '../run-command.js';
import type { ProgramEnv } from './command-env.js';
import type { HistoryOptions } from '../commands/history.js';
import type { PromoteOptions } from '../commands/promote.js';
import type { RollbackOptions } from '../commands/rollback.js';
import type { BranchOptions } from '../commands/branch.js';
import type { CherryPickOptions } from '../commands/cherry-pick.js';

const VERSION_HELP = 'a version: v3 or 3';

/** `promptopt history | diff | promote | rollback | branch | cherry-pick`: the prompt versions by hand. */
export function defineVersions(program: Command, env: ProgramEnv): void {
  const run = (json: boolean, body: () => Promise<number>) => runAction(env, json, body);

  program
    .command('history')
    .description('list the prompt versions, newest first, with the current one marked')
    .argument('<task.yaml>', 'task spec')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .action((file: string, options: HistoryOptions) =>
      run(Boolean(options.json), async () => (await import('../commands/history.js')).historyCommand(file, options, env)),
    );

  program
    .command('diff')
    .description('coloured unified diff between two versions or files (default: a version against its parent)')
    .argument('<task.yaml>', 'task spec')
    .argument('<a>', `${VERSION_HELP}, or a file path`)
    .argument('[b]', `${VERSION_HELP}, or a file path`)
    .action((file: string, a: string, b: string | undefined) =>
      run(false, async () => (await import('../commands/diff.js')).diffCommand(file, a, b, env)),
    );

  program
    .command('promote')
    .description('make a version the prompt the task uses (its prompt file or inline prompt), showing the diff')
    .argument('<task.yaml>', 'task spec')
    .argument('<v>', VERSION_HELP)
    .option('--force', 'overwrite a prompt whose hand edits match no version')
    .action((file: string, version: string, options: PromoteOptions) =>
      run(false, async () => (await import('../commands/promote.js')).promoteCommand(file, version, options, env)),
    );

  program
    .command('rollback')
    .description('return to the previous current version (or to v)')
    .argument('<task.yaml>', 'task spec')
    .argument('[v]', VERSION_HELP)
    .option('--force', 'overwrite a prompt whose hand edits match no version')
    .action((file: string, version: string | undefined, options: RollbackOptions) =>
      run(false, async () => (await import('../commands/rollback.js')).rollbackCommand(file, version, options, env)),
    );

  program
    .command('branch')
    .description('register a hand-written variant as a version on a named branch (parent v, source manual)')
    .argument('<task.yaml>', 'task spec')
    .argument('<v>', `the parent, ${VERSION_HELP}`)
    .argument('<name>', 'branch name, e.g. terse or exp/few-shot')
    .option('--from-file <path>', 'the variant\'s text (default: a copy of v to edit)')
    .option('-m, --message <text>', 'what the variant tries (stored as its hypothesis)')
    .action((file: string, version: string, name: string, options: BranchOptions) =>
      run(false, async () => (await import('../commands/branch.js')).branchCommand(file, version, name, options, env)),
    );

  program
    .command('cherry-pick')
    .description('apply the change a version made to its parent onto another version, as a new version; exit 1 on conflicts')
    .argument('<task.yaml>', 'task spec')
    .argument('<vX>', `the change to pick, ${VERSION_HELP}`)
    .requiredOption('--onto <vY>', `where to apply it, ${VERSION_HELP}`)
    .option('--dry-run', 'show the result; write nothing')
    .action((file: string, version: string, options: CherryPickOptions) =>
      run(false, async () => (await import('../commands/cherry-pick.js')).cherryPickCommand(file, version, options, env)),
    );
}
