/** Version arguments: `v3` or `3` name a version; anything else is a file path (where paths are allowed). */
import { PromptoptError, EXIT } from '../../errors.js';
import { listVersions } from '../../store/list-versions.js';
import { displayPath } from '../../spec/issues.js';

const VERSION_ARG = /^v?([1-9]\d*)$/i;

/** The version number `arg` names, or undefined when it is not a version name. */
export function parseVersionArg(arg: string): number | undefined {
  const match = VERSION_ARG.exec(arg.trim());
  return match ? Number(match[1]) : undefined;
}

/** The committed version `arg` names; exit 2 with the list of existing versions otherwise. */
export async function resolveVersion(dir: string, arg: string): Promise<number> {
  const wanted = parseVersionArg(arg);
  const existing = (await listVersions(dir)).map((m) => m.version);
  if (wanted !== undefined && existing.includes(wanted)) return wanted;
  const what = wanted === undefined ? `"${arg}" is not a version (write v3 or 3)` : `unknown version v${wanted}`;
  const list = existing.length > 0 ? `existing versions: ${existing.map((n) => `v${n}`).join(', ')}` : `no versions yet in ${displayPath(dir)}`;
  throw new PromptoptError('VERSION_NOT_FOUND', `${what}; ${list}`, {
    exitCode: EXIT.badInput,
    hint: existing.length > 0 ? 'promptopt history <task.yaml> lists them' : 'promptopt optimize writes versions; promptopt branch registers one by hand',
  });
}
