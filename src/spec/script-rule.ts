/**
 * Custom code, loaded or compiled before the first call: `javascript` and `python` assertion scripts
 * (`file://checks.js:fn`, `file://check.py`), inline python, and `file://` transforms. A file that
 * throws while loading, does not parse, or lacks the function it is asked for is refused with the
 * assertion's file, line and field (exit 2), not found out in every case of a paid run. Loading runs
 * the file's top-level code (in a worker thread, or a python3 process), as the run would for its first
 * case; the function is not called. Files outside the project are never loaded (the trust rule refuses
 * them first).
 *
 * Python code needs an interpreter: when `python3` (or `PROMPTOPT_PYTHON`) cannot be run, that is one
 * issue at the first place that needs it, before anything is sent.
 */
import { scriptProblem } from '../assertions/check-script.js';
import { probePython, pythonExecutable } from '../assertions/sandbox/python-pool.js';
import type { SpecIssue } from '../errors.js';
import { withDisplayPath, type ScriptCheck } from './assertion-rules.js';

export async function checkScripts(scripts: readonly ScriptCheck[], env: NodeJS.ProcessEnv = process.env): Promise<SpecIssue[]> {
  const python = scripts.filter((s) => s.language === 'python');
  const issues: SpecIssue[] = [];
  let checked = scripts;
  if (python.length > 0) {
    const probe = await probePython(env);
    if ('problem' in probe) {
      const uses = python.reduce((sum, s) => sum + s.uses, 0);
      const others = uses > 1 ? ` (${uses - 1} other use${uses > 2 ? 's' : ''} of python too)` : '';
      issues.push(python[0]!.at(`python code needs Python 3, but ${probe.problem}${others}`, `install Python 3 so that \`${pythonExecutable(env)}\` runs, or set PROMPTOPT_PYTHON to an interpreter's path`));
      checked = scripts.filter((s) => s.language !== 'python');
    }
  }
  const problems = await Promise.all(checked.map((s) => scriptProblem(s, s.timeoutMs)));
  checked.forEach((s, i) => {
    const problem = problems[i];
    if (problem === undefined) return;
    const others = s.uses > 1 ? ` (used by ${s.uses - 1} other assertion${s.uses > 2 ? 's' : ''} too)` : '';
    const missingExport = /has no (exported|default export)? ?function/.test(problem);
    const hint = missingExport
      ? s.language === 'python'
        ? `define the function in the file, or name one it defines: file://check.py:function_name (the default is ${s.returns === 'data' ? 'get_transform' : 'get_assert'})`
        : 'export the function from the file, or name one it exports: file://checks.js:functionName'
      : s.file !== undefined
        ? 'the file runs when it loads: it must load on its own (see the error, and the files it imports)'
        : 'inline python is an expression using output and context, or a function body with return';
    const shown = s.file !== undefined ? withDisplayPath(problem, s.file) : problem;
    issues.push(s.at(`${s.returns === 'data' ? 'transform' : s.language}: ${shown}${others}`, hint));
  });
  return issues;
}
