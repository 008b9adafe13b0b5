/**
 * What a Nunjucks template reads, found by walking its parsed tree (nunjucks.parser / nodes) rather
 * than by pattern: the top-level variables, as dotted paths where the lookups are constant
 * (`{{ item.field }}` -> `item.field`, `{{ rows[0].name }}` -> `rows.0.name`). Names the template
 * binds itself are not variables: loop variables (and `loop`), `set` targets, macros and their
 * arguments, `caller`. Filter and test names are not variables either.
 *
 * A variable is `optional` when the template itself shows it may be missing, in one of its reads: the
 * operand of an `is defined` / `is undefined` / `is none` test, the input of a `default` filter, or a
 * bare name (or one under `not`, `and`, `or`) used as a condition (`{% if premium %}...{{ premium }}`).
 * Every other variable is required of every case. (Rendering still fails on an undefined value that
 * is printed: the spec rules render each case once before any call.)
 */
import nunjucks from 'nunjucks';

/** One variable a template reads. */
export interface VariableUse {
  name: string;
  /** True when some read of it is guarded (see above): a case may leave it out. */
  optional: boolean;
}

/** A parse or structure problem, with its 1-based position in the template. */
export interface TemplateSyntaxProblem {
  message: string;
  line?: number;
  column?: number;
}

type AnyNode = {
  typename: string;
  fields: string[];
  lineno: number;
  colno: number;
  [field: string]: unknown;
};

/** Names nunjucks provides without a variable: its globals. */
const GLOBALS = new Set(['range', 'cycler', 'joiner']);
/** Tests whose operand may be missing. */
const PRESENCE_TESTS = new Set(['defined', 'undefined', 'none', 'null']);
const DEFAULT_FILTERS = new Set(['default', 'd']);

/** Parses `template` (throws nunjucks' own error when it does not parse). */
export function parseNunjucks(template: string): AnyNode {
  return (nunjucks as unknown as { parser: { parse(src: string): AnyNode } }).parser.parse(template);
}

/** Every variable the template reads, in order of first appearance. */
export function nunjucksVariableUses(template: string): VariableUse[] {
  const root = parseNunjucks(template);
  const uses = new Map<string, boolean>();
  const record = (name: string, optional: boolean) => {
    const known = uses.get(name);
    uses.set(name, known === undefined ? optional : known || optional);
  };
  walk(root, new Scope(), record, false);
  return [...uses].map(([name, optional]) => ({ name, optional }));
}

/**
 * What would fail in every rendering: a template that does not parse, an unknown filter or test, or
 * `include` / `extends` / `import` (a spec's templates are self-contained: there is no template folder).
 */
export function nunjucksProblem(template: string, known: { filters: ReadonlySet<string>; tests: ReadonlySet<string> }): TemplateSyntaxProblem | undefined {
  let root: AnyNode;
  try {
    root = parseNunjucks(template);
  } catch (error) {
    return describeNunjucksError(error);
  }
  let problem: TemplateSyntaxProblem | undefined;
  const visit = (node: unknown): void => {
    if (problem || !isNode(node)) return;
    const at = { line: node.lineno + 1, column: node.colno + 1 };
    if (node.typename === 'Include' || node.typename === 'Extends' || node.typename === 'Import' || node.typename === 'FromImport') {
      problem = { message: `"${node.typename.toLowerCase()}" is not supported: a spec's templates cannot load other templates`, ...at };
      return;
    }
    if (node.typename === 'Filter' || node.typename === 'FilterAsync') {
      const name = symbolName(node.name);
      if (name !== undefined && !known.filters.has(name)) problem = { message: `unknown filter "${name}"`, ...at };
    }
    if (node.typename === 'Is') {
      const test = node.right as AnyNode | undefined;
      const name = symbolName(test) ?? (isNode(test) && test.typename === 'FunCall' ? symbolName(test.name) : undefined);
      if (name !== undefined && !known.tests.has(name)) problem = { message: `unknown test "${name}"`, ...at };
    }
    for (const child of childrenOf(node)) visit(child);
  };
  visit(root);
  return problem;
}

/** A nunjucks error as a message and, when it says, a line and column (`[Line 2, Column 5]`). */
export function describeNunjucksError(error: unknown): TemplateSyntaxProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(raw);
  const message = raw
    .replace(/^\(unknown path\)\s*/m, '')
    .replace(/\[Line \d+, Column \d+\]\s*/, '')
    .replace(/^Template render error:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { message, ...(position ? { line: Number(position[1]), column: Number(position[2]) } : {}) };
}

class Scope {
  constructor(
    private readonly names: ReadonlySet<string> = new Set(),
    private readonly parent?: Scope,
  ) {}

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }

  with(names: Iterable<string>): Scope {
    return new Scope(new Set(names), this);
  }
}

type Record = (name: string, optional: boolean) => void;

/**
 * Walks `node` in `scope`. `guarded`: the node is in a position where a missing value is allowed (a
 * condition, the operand of a presence test, a default filter's input). `set` targets bind for what
 * follows them in the same list, so a list is walked with a scope that grows.
 */
function walk(node: unknown, scope: Scope, record: Record, guarded: boolean): Scope {
  if (Array.isArray(node)) {
    let current = scope;
    for (const child of node) current = walk(child, current, record, false);
    return scope;
  }
  if (!isNode(node)) return scope;
  switch (node.typename) {
    case 'Root':
    case 'NodeList':
    case 'Output':
    case 'Group':
    case 'Array': {
      // A list's `set` targets are visible to the nodes after them (nunjucks' frames work this way at top level).
      let current = scope;
      for (const child of node.children as unknown[]) current = walkStatement(child, current, record);
      return scope;
    }
    case 'Symbol': {
      const name = node.value as string;
      if (!scope.has(name) && !GLOBALS.has(name)) record(name, guarded);
      return scope;
    }
    case 'LookupVal': {
      const path = constantPath(node);
      if (path) {
        if (!scope.has(path[0]!)) record(path.join('.'), guarded);
        return scope;
      }
      walk(node.target, scope, record, false);
      walk(node.val, scope, record, false);
      return scope;
    }
    case 'If':
    case 'IfAsync':
    case 'InlineIf':
      walk(node.cond, scope, record, true);
      walk(node.body, scope, record, false);
      walk(node.else_, scope, record, false);
      return scope;
    case 'Not':
      walk(node.target, scope, record, guarded);
      return scope;
    case 'And':
    case 'Or':
      walk(node.left, scope, record, guarded);
      walk(node.right, scope, record, guarded);
      return scope;
    case 'Is': {
      const test = symbolName(node.right) ?? (isNode(node.right) && node.right.typename === 'FunCall' ? symbolName(node.right.name) : undefined);
      walk(node.left, scope, record, test !== undefined && PRESENCE_TESTS.has(test));
      if (isNode(node.right) && node.right.typename === 'FunCall') walk(node.right.args, scope, record, false);
      return scope;
    }
    case 'Filter':
    case 'FilterAsync': {
      const name = symbolName(node.name);
      const [input, ...rest] = ((node.args as AnyNode | undefined)?.children as unknown[] | undefined) ?? [];
      walk(input, scope, record, name !== undefined && DEFAULT_FILTERS.has(name));
      for (const arg of rest) walk(arg, scope, record, false);
      return scope;
    }
    case 'FunCall': {
      const name = symbolName(node.name);
      if (name === undefined || !(scope.has(name) || GLOBALS.has(name))) walk(node.name, scope, record, false);
      walk(node.args, scope, record, false);
      return scope;
    }
    case 'KeywordArgs':
    case 'Dict':
      for (const pair of node.children as AnyNode[]) {
        // A key written as a bare name is a string (`{ a: 1 }`), never a variable.
        if (isNode(pair.key) && pair.key.typename !== 'Symbol') walk(pair.key, scope, record, false);
        walk(pair.value, scope, record, false);
      }
      return scope;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll': {
      walk(node.arr, scope, record, false);
      const bound = [...symbolNames(node.name), 'loop'];
      walk(node.body, scope.with(bound), record, false);
      walk(node.else_, scope, record, false);
      return scope;
    }
    case 'Macro':
    case 'Caller': {
      const args = ((node.args as AnyNode | undefined)?.children as AnyNode[] | undefined) ?? [];
      const bound: string[] = ['caller'];
      for (const arg of args) {
        if (arg.typename === 'KeywordArgs') {
          for (const pair of arg.children as AnyNode[]) {
            bound.push(...symbolNames(pair.key));
            walk(pair.value, scope, record, false);
          }
        } else bound.push(...symbolNames(arg));
      }
      walk(node.body, scope.with(bound), record, false);
      return scope;
    }
    default:
      for (const child of childrenOf(node)) walk(child, scope, record, false);
      return scope;
  }
}

/** A statement in a list: a `set` or a macro definition binds its names for the statements after it. */
function walkStatement(node: unknown, scope: Scope, record: Record): Scope {
  if (!isNode(node)) return scope;
  if (node.typename === 'Set') {
    walk(node.value, scope, record, false);
    walk(node.body, scope, record, false);
    return scope.with((node.targets as unknown[]).flatMap(symbolNames));
  }
  if (node.typename === 'Macro') {
    const bound = scope.with(symbolNames(node.name));
    walk(node, bound, record, false);
    return bound;
  }
  walk(node, scope, record, false);
  return scope;
}

/** `a.b[0]['c']` -> ['a', 'b', '0', 'c']; undefined when some lookup is computed. */
function constantPath(node: AnyNode): string[] | undefined {
  if (node.typename === 'Symbol') return [node.value as string];
  if (node.typename !== 'LookupVal') return undefined;
  const target = isNode(node.target) ? constantPath(node.target) : undefined;
  const val = node.val as AnyNode | undefined;
  if (!target || !isNode(val) || val.typename !== 'Literal') return undefined;
  const key = val.value;
  return typeof key === 'string' || typeof key === 'number' ? [...target, String(key)] : undefined;
}

function symbolName(node: unknown): string | undefined {
  return isNode(node) && node.typename === 'Symbol' ? (node.value as string) : undefined;
}

function symbolNames(node: unknown): string[] {
  if (!isNode(node)) return [];
  if (node.typename === 'Symbol') return [node.value as string];
  if (node.typename === 'Array' || node.typename === 'NodeList') return (node.children as unknown[]).flatMap(symbolNames);
  return [];
}

function childrenOf(node: AnyNode): unknown[] {
  const out: unknown[] = [];
  for (const field of node.fields) {
    const value = node[field];
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  // `{% set x %}...{% endset %}` keeps its body outside `fields`.
  if (node.typename === 'Set' && node.body !== undefined) out.push(node.body);
  return out;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { typename?: unknown }).typename === 'string';
}
