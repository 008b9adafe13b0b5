/**
 * The secrets one command must keep out of everything it prints and writes: the key-like variables
 * of its environment, and whatever variables its spec names as keys (`api_key_env`) or webhook
 * header values (`headers_env`), whatever they are called. One list per command, one redactor.
 */
import { createRedactor, knownSecrets, type Redactor } from '../report/redact.js';
import { apiKeyVariables } from '../spec/trust-rules.js';
import type { Spec } from '../spec/types.js';

export function commandSecrets(env: NodeJS.ProcessEnv, spec: Spec | undefined): string[] {
  const names = spec ? [...apiKeyVariables(spec), ...Object.values(spec.notify?.headers ?? {})] : [];
  return knownSecrets(env, names);
}

export function commandRedactor(env: NodeJS.ProcessEnv, spec: Spec | undefined): Redactor {
  return createRedactor(commandSecrets(env, spec));
}
