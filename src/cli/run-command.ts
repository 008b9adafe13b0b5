/**
 * The one place that turns errors into exit codes and friendly messages. Commands throw typed
 * errors; this prints `error: ...` with the file/field/line and a hint on stderr, and with --json a
 * `{"error": {...}}` document on stdout, then sets the exit code.
 */
import chalk from 'chalk';
import { EXIT, PromptoptError, SpecError, formatSpecIssue } from '../errors.js';
import { IncompleteEvalError } from '../runner/run-eval.js';
import { JSON_SCHEMA_VERSION } from './output/json-schema-version.js';
import type { Io } from './terminal.js';
import type { ProgramEnv } from './program/command-env.js';

/** Problems printed on a terminal; the JSON error document always has all of them. */
const MAX_ISSUES_SHOWN = 10;

export interface CommandContext {
  json: boolean;
  io: Io;
  /** Read for PROMPTOPT_DEBUG (a stack with internal errors). */
  env?: NodeJS.ProcessEnv;
  /** Renders `promptopt <command>` in the JSON error's message and hint as the user started promptopt (stderr's io does it itself). */
  rewrite?: (text: string) => string;
}

/** A command definition's action: runs the body and hands its exit code to the program. */
export async function runAction(env: ProgramEnv, json: boolean, body: () => Promise<number>): Promise<void> {
  env.setExitCode(await runCommand({ json, io: env.io, env: env.env, rewrite: env.invocation.rewrite }, body));
}

/** Runs a command body and returns the exit code it should end with. */
export async function runCommand(context: CommandContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    return reportError(context, error);
  }
}

export function reportError(context: CommandContext, error: unknown): number {
  const known = error instanceof IncompleteEvalError ? error.cause : error;
  if (known instanceof PromptoptError) {
    if (known instanceof SpecError && known.issues.length > 1) {
      context.io.err(`${chalk.red('error:')} ${known.issues.length} problems in the spec:`);
      for (const issue of known.issues.slice(0, MAX_ISSUES_SHOWN)) context.io.err(`  - ${formatSpecIssue(issue)}`);
      if (known.issues.length > MAX_ISSUES_SHOWN) {
        context.io.err(`  … and ${known.issues.length - MAX_ISSUES_SHOWN} more (--json lists them all)`);
      }
      // A cases file given where the spec goes: its problems are about the spec's own keys, not `cases[n]`.
      const file = known.issues[0]?.file ?? '';
      const aboutCases = known.issues.some((issue) => issue.path?.startsWith('cases'));
      if (/\.(jsonl|json|csv)$/i.test(file) && !aboutCases) context.io.err(`${chalk.dim('hint:')} ${file} looks like a cases file; pass the task YAML that references it`);
    } else {
      context.io.err(`${chalk.red('error:')} ${known.message}`);
      if (known.hint && !(known instanceof SpecError)) context.io.err(`${chalk.dim('hint:')} ${known.hint}`);
    }
    if (context.json) context.io.out(JSON.stringify(errorJson(known, context.rewrite ?? ((text) => text))));
    return known.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.io.err(`${chalk.red('error:')} internal error: ${message}`);
  context.io.err(
    `${chalk.dim('hint:')} this is a bug in promptopt, not in your spec: please report it with the command you ran` +
      ` (set PROMPTOPT_DEBUG=1 to print the stack trace)`,
  );
  if ((context.env ?? process.env).PROMPTOPT_DEBUG && error instanceof Error && error.stack) context.io.err(error.stack);
  if (context.json) {
    context.io.out(JSON.stringify({ schema_version: JSON_SCHEMA_VERSION, error: { code: 'INTERNAL', message } }));
  }
  return EXIT.internal;
}

function errorJson(error: PromptoptError, rewrite: (text: string) => string): unknown {
  const issues = error instanceof SpecError ? error.issues : undefined;
  return {
    schema_version: JSON_SCHEMA_VERSION,
    error: {
      code: error.code,
      message: rewrite(error.message),
      file: error.location.file ?? null,
      path: error.location.path ?? null,
      line: error.location.line ?? null,
      column: error.location.column ?? null,
      hint: error.hint === undefined ? null : rewrite(error.hint),
      ...(issues && issues.length > 1
        ? {
            issues: issues.map((i) => ({
              message: i.message,
              file: i.file ?? null,
              path: i.path ?? null,
              line: i.line ?? null,
              column: i.column ?? null,
              hint: i.hint ?? null,
            })),
          }
        : {}),
    },
  };
}
