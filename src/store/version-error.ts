import { PromptoptError, EXIT } from '../errors.js';

/** A version number that has no (valid) metadata in the versions folder. */
export class VersionNotFoundError extends PromptoptError {
  constructor(readonly dir: string, readonly version: number) {
    super('VERSION_NOT_FOUND', `prompt version v${version} not found in ${dir}`, {
      exitCode: EXIT.badInput,
      hint: 'list the versions folder: a version counts once its vN.json metadata file exists and parses',
    });
  }
}
