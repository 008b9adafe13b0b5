/**
 * Inline `javascript` code as a function of (output, context), or its syntax error. Compiling runs
 * none of the code, so the spec stage uses this to refuse code that does not compile before any
 * call; the worker (js-worker.ts) compiles with it too. No imports: the worker loads it in a fresh
 * thread.
 */
export type UserFunction = (...args: unknown[]) => unknown;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => UserFunction;

/**
 * Code is first tried as an expression (`return (<code>)`); when that does not compile it is used as
 * a function body, so `return` inside a string literal does not confuse it.
 */
export function compileInline(code: string): UserFunction | { error: string } {
  const trimmed = code.trim();
  try {
    return new AsyncFunction('output', 'context', `return (\n${trimmed.replace(/;+\s*$/, '')}\n);`);
  } catch {
    try {
      return new AsyncFunction('output', 'context', trimmed);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
