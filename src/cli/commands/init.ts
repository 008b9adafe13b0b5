/** `promptopt init [dir]`: scaffold a working task (spec, prompt, cases, a custom assertion). */
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PromptoptError } from '../../errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CommandEnv } from '../program/command-env.js';
import { CHECK_LABEL_JS, PROMPT_MD, casesJsonl, taskYaml } from '../init/template-files.js';

export async function initCommand(dir: string | undefined, options: { force?: boolean }, ctx: CommandEnv): Promise<number> {
  const { io, invocation } = ctx;
  const target = resolve(invocation.cwd, dir ?? '.');
  // The commands are written as they work in the task's folder (the spec) and here (the next: lines).
  const inTask = { eval: invocation.command(['eval', 'task.yaml'], target), optimize: invocation.command(['optimize', 'task.yaml'], target) };
  const files: [string, string][] = [
    ['task.yaml', taskYaml(inTask)],
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
  const spec = invocation.path(join(target, 'task.yaml'));
  io.out(`created a task in ${target}: ${files.map(([n]) => n).join(', ')}`);
  io.out(`next:\n  ${invocation.command(['eval', spec])}\n  ${invocation.command(['optimize', spec])}`);
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
