/**
 * The Python side of `python` assertions and `.py` transforms: a small script run as
 * `python3 -u -c <script>`, reading one JSON task per line on stdin and writing one JSON reply per line
 * on stdout (the same shapes as the JavaScript worker's, see protocol.ts). What user code prints goes
 * to stderr, never into the replies. Files are imported once per process and kept; inline code is
 * compiled once and kept.
 *
 * Inline code is an expression (`'refund' in output.lower()`) or, when it is not one, the body of a
 * function of (output, context) that returns (promptfoo's multi-line form); `json`, `re` and `math` are
 * imported for it. A file is `file://check.py` (calls `get_assert(output, context)`, or
 * `get_transform` for a transform) or `file://check.py:fn`.
 */
export const PYTHON_RUNNER = String.raw`
import importlib.util, json, math, os, re, sys, textwrap, traceback

_out = sys.stdout
sys.stdout = sys.stderr
_modules = {}
_inline = {}
VERDICT_FIELDS = ("pass", "score", "reason", "category", "actual", "expected")

def _load(path):
    if path not in _modules:
        folder = os.path.dirname(path)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        spec = importlib.util.spec_from_file_location("promptopt_check_%d" % len(_modules), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[path] = module
    return _modules[path]

def _compile_inline(code):
    if code in _inline:
        return _inline[code]
    scope = {"json": json, "re": re, "math": math}
    try:
        expression = compile(code.strip(), "<python assertion>", "eval")
        fn = lambda output, context: eval(expression, scope, {"output": output, "context": context})
    except SyntaxError:
        body = "def __promptopt_check(output, context):\n" + textwrap.indent(textwrap.dedent(code), "    ")
        exec(compile(body, "<python assertion>", "exec"), scope)
        fn = scope["__promptopt_check"]
    _inline[code] = fn
    return fn

def _message(error):
    text = str(error)
    return "%s: %s" % (type(error).__name__, text) if text else type(error).__name__

def _encode(result, returns):
    if returns == "data":
        if result is None:
            return {"kind": "value", "value": None}
        return {"kind": "data", "value": json.loads(json.dumps(result, default=str))}
    if isinstance(result, bool) or result is None or isinstance(result, str):
        return {"kind": "value", "value": result}
    if isinstance(result, (int, float)):
        return {"kind": "value", "value": float(result) if isinstance(result, float) else result}
    if isinstance(result, dict):
        fields = {}
        for key in VERDICT_FIELDS:
            value = result.get(key, result.get("pass_") if key == "pass" else None)
            if value is None:
                continue
            fields[key] = value if isinstance(value, (bool, int, float, str)) else str(value)
        return {"kind": "object", "fields": fields}
    if hasattr(result, "pass_") or hasattr(result, "score"):
        return _encode({k: getattr(result, k if k != "pass" else "pass_", None) for k in VERDICT_FIELDS}, returns)
    return {"kind": "typeof", "type": "function" if callable(result) else "symbol"}

def _run(task):
    source = task["source"]
    default_name = "get_transform" if task.get("returns") == "data" else "get_assert"
    if source["kind"] == "inline":
        try:
            fn = _compile_inline(source["code"])
        except SyntaxError as error:
            return {"ok": False, "compile": "%s (line %s)" % (error.msg, error.lineno)}
    else:
        path = source["file"]
        if not os.path.exists(path):
            return {"ok": False, "unusable": "python file not found: %s" % path}
        try:
            module = _load(path)
        except BaseException as error:
            return {"ok": False, "unusable": "cannot load %s: %s" % (path, _message(error))}
        name = source.get("name") or default_name
        fn = getattr(module, name, None)
        if not callable(fn):
            names = ", ".join(n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))) or "none"
            return {"ok": False, "unusable": "%s has no function \"%s\" (functions: %s)" % (path, name, names)}
    if task.get("loadOnly"):
        return {"ok": True, "value": {"kind": "value", "value": True}}
    try:
        result = fn(task["output"], task["context"])
    except BaseException as error:
        return {"ok": False, "threw": _message(error)}
    try:
        return {"ok": True, "value": _encode(result, task.get("returns"))}
    except BaseException as error:
        return {"ok": False, "threw": "the result cannot be read: %s" % _message(error)}

_out.write(json.dumps({"ready": True}) + "\n")
_out.flush()
for line in sys.stdin:
    if not line.strip():
        continue
    task = json.loads(line)
    try:
        reply = _run(task)
    except BaseException as error:
        reply = {"ok": False, "threw": _message(error)}
    reply["id"] = task["id"]
    _out.write(json.dumps(reply) + "\n")
    _out.flush()
`;
