import { PromptoptError, EXIT } from '../errors.js';
import { displayPath } from '../spec/issues.js';

/**
 * A `vN.json` that exists but cannot be read as version metadata (a hand edit, a merge conflict).
 * Metadata is written atomically, so this is damage, not a crash mid-write: it is named rather than
 * skipped, since skipping would silently hide the version from history, promote and rollback.
 */
export class VersionFileDamagedError extends PromptoptError {
  constructor(readonly file: string, problem: string) {
    const shown = displayPath(file);
    super('VERSION_FILE_DAMAGED', `damaged version file ${shown}: ${problem}`, {
      exitCode: EXIT.badInput,
      hint: `restore it (e.g. git checkout -- ${shown}) or repair it by hand; the versions are not read while it is damaged`,
      location: { file: shown },
    });
  }
}

/** A version number that has no (valid) metadata in the versions folder. */
export class VersionNotFoundError extends PromptoptError {
  constructor(readonly dir: string, readonly version: number) {
    super('VERSION_NOT_FOUND', `prompt version v${version} not found in ${dir}`, {
      exitCode: EXIT.badInput,
      hint: 'list the versions folder: a version counts once its vN.json metadata file exists and parses',
    });
  }
}
