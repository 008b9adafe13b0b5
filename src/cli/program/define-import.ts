import { Option, type Command } from 'commander';
import { runAction } from '../run-command.js';
import { UsageError } from '../../errors.js';
import type { ProgramEnv } from './command-env.js';
import type { ImportCommandOptions } from '../commands/import.js';

const collect = (value: string, all: string[] = []) => [...all, value];

/** `promptopt import` (the command body is loaded only when it runs). */
export function defineImport(program: Command, env: ProgramEnv): void {
  program
    .command('import')
    .description('turn logged interactions and user feedback (JSONL, JSON or CSV) into cases of a task, redacting personal data; `import promptfoo <promptfooconfig.yaml> [-o task.yaml]` converts a promptfoo config into a spec')
    .argument('<task.yaml>', 'task spec (or the word promptfoo)')
    .argument('<file>', 'the export: .jsonl, .json or .csv (or the promptfoo config)')
    .option('--map <field=path>', 'where a field of the record shape is in this export, e.g. input=request.messages.-1.content (repeatable)', collect)
    .addOption(new Option('--split <split>', 'split of the imported cases (auto: placed like every new case)').choices(['auto', 'train', 'validation', 'test']).default('auto'))
    .option('--since <date>', 'only records at or after this date (ISO 8601, e.g. 2025-06-01)')
    .option('--keep-unlabelled', 'keep records without usable feedback (a bare thumbs-down) as cases without assertions')
    .option('--redact', 'redact personal data (the default unless the spec says redact: false)')
    .option('--no-redact', 'write personal data as logged')
    .option('--dry-run', 'print the summary; write nothing')
    .option('--json', 'print one JSON summary on stdout')
    .option('-o, --output <task.yaml>', 'import promptfoo: the spec to write (default: task.yaml beside the config)')
    .option('--force', 'import promptfoo: overwrite the spec, cases and prompt files if they exist')
    .action(async (file: string, exportFile: string, options: ImportCommandOptions & { output?: string; force?: boolean }) => {
      await runAction(env, Boolean(options.json), async () => {
        if (file === 'promptfoo') {
          const { importPromptfooCommand } = await import('../commands/import-promptfoo.js');
          return importPromptfooCommand(exportFile, options, env);
        }
        if (options.output !== undefined || options.force) {
          throw new UsageError('-o/--output and --force belong to `promptopt import promptfoo <config>`', 'an import of logs adds cases to the spec named first');
        }
        const { importCommand } = await import('../commands/import.js');
        return importCommand(file, exportFile, options, env);
      });
    });
}
