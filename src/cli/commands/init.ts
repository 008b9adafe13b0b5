/** `promptopt init [dir]`: scaffold a working task (spec, prompt, cases, a custom assertion). */
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PromptoptError } from '../../errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CommandEnv } from '../program/command-env.js';
import { CHECK_LABEL_JS, PROMPT_MD, TASK_YAML, casesJsonl } from '../init/template-files.js';

export async function initCommand(dir: string | undefined, options: { force?: boolean }, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const target = resolve(dir ?? '.');
  const files: [string, string][] = [
    ['task.yaml', TASK_YAML],
    ['prompt.md', PROMPT_MD],
    ['cases.jsonl', casesJsonl()],
    ['check-label.js', CHECK_LABEL_JS],
  ];
  const existing = [];
  for (const [name] of files) if (await exists(join(target, name))) existing.push(name);
  if (existing.length > 0 && !options.force) {
    throw new PromptoptError('INIT_EXISTS', `${target} already has ${existing.join(', ')}; nothing was written`, {
      hint: 'choose an empty folder, or pass --force to overwrite those files',
    });
  }
  await mkdir(target, { recursive: true });
  for (const [name, text] of files) await writeFileAtomic(join(target, name), text);
  const shown = dir ?? '.';
  io.out(`created a task in ${target}: ${files.map(([n]) => n).join(', ')}`);
  io.out(`next:\n  npx promptopt eval ${join(shown, 'task.yaml')}\n  npx promptopt optimize ${join(shown, 'task.yaml')}`);
  return 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
