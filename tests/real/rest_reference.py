"""Reference readers of REST routes and calls (tests/real/check_history.py).

Independent of `contracts`: Python's `ast` over the files of one commit,
names resolved with reference.Resolver. What it computes:

fastapi-routes  the route table of the served application. Routers are the
                values of `FastAPI(...)` and `APIRouter(prefix=...)` calls
                bound to a name, at module level or inside a function (one
                router per call site). Routes come from the decorators get,
                post, put, patch, delete, head, options, trace, websocket,
                api_route(methods=[...]) and the calls add_api_route(path,
                ..., methods=[...]) and add_api_websocket_route(path, ...),
                with a string literal path. `parent.include_router(child,
                prefix=...)` links routers. Scopes are read as a tiny
                interpreter: a call of a function of the repository
                (`register_cache_routes(app)`, `create_app()`) reads that
                function's body with its parameters bound to the routers
                given, and its `return NAME` is the call's value; local
                imports bind names in the function. The application is
                `module:name` (option `app`); other FastAPI applications of
                the files read and APIRouters that nobody includes are kept
                apart. The full path is the include prefixes, the router's
                prefix and the route's path, with `{name:conv}` written
                `{name}` except `{name:path}`.
http-calls      see calls() below.
"""
import ast
import re

from reference import Resolver, expand_paths

VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


class Router:
    def __init__(self, path, line, name, prefix, app):
        self.path, self.line, self.name = path, line, name
        self.prefix, self.app = prefix, app
        self.routes = {}  # (METHOD, path) -> line
        self.includes = []  # (child, prefix)
        self.included = False


def str_value(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def call_last_name(node):
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def keyword(call, name):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def normal(path):
    out = re.sub(r"\{([^}:]*)(:([^}]*))?\}",
                 lambda m: "{%s:path}" % m.group(1) if m.group(3) == "path"
                 else "{%s}" % m.group(1), path)
    if not out.startswith("/"):
        out = "/" + out
    return out


class Scope:
    def __init__(self, path, parent, env):
        self.path, self.parent, self.env = path, parent, env


class RouteReader:
    def __init__(self, res):
        self.res = res
        self.routers = {}
        self.module_envs = {}
        self.busy = set()
        self.done_calls = {}

    # module level ---------------------------------------------------
    def module_env(self, path):
        if path in self.module_envs:
            return self.module_envs[path]
        env = {}
        self.module_envs[path] = env
        f = self.res.facts(path)
        if f is None:
            return env
        self.run_body(f.tree.body, Scope(path, None, env))
        return env

    def lookup(self, scope, name):
        s = scope
        while s is not None:
            if name in s.env:
                return s.env[name]
            s = s.parent
        # a module-level name, maybe imported
        return self.module_name(scope.path, name, set())

    def module_name(self, path, name, seen):
        if (path, name) in seen:
            return None
        seen.add((path, name))
        env = self.module_env(path)
        if name in env:
            return env[name]
        f = self.res.facts(path)
        if f is None:
            return None
        b = f.bindings.get(name)
        if b is None:
            return None
        if b[0] == "def":
            return ("def", path, b[1])
        if b[0] == "from":
            mod = self.res.absolute(path, b[1], b[2])
            p = self.res.module_path(mod) if mod is not None else None
            if p is None:
                return None
            got = self.module_name(p, b[3], seen)
            if got is not None:
                return got
            sub = self.res.module_path(mod + "." + b[3])
            return ("module", sub) if sub else None
        if b[0] == "import":
            p = self.res.module_path(b[1])
            return ("module", p) if p else None
        return None

    def value(self, scope, node):
        if isinstance(node, ast.Name):
            return self.lookup(scope, node.id)
        if isinstance(node, ast.Attribute):
            base = self.value(scope, node.value)
            if isinstance(base, tuple) and base[0] == "module":
                got = self.module_name(base[1], node.attr, set())
                if got is not None:
                    return got
                dotted = base[1][:-len("/__init__.py")] \
                    if base[1].endswith("/__init__.py") else base[1][:-3]
                sub = self.res.module_path(dotted.replace("/", ".") + "." +
                                           node.attr)
                return ("module", sub) if sub else None
            return None
        if isinstance(node, ast.Call):
            name = call_last_name(node)
            if name in ("FastAPI", "APIRouter"):
                key = (scope.path, node.lineno, node.col_offset)
                r = self.routers.get(key)
                if r is None:
                    pre = keyword(node, "prefix")
                    r = Router(scope.path, node.lineno, None,
                               str_value(pre) or "" if pre is not None
                               else "", name == "FastAPI")
                    self.routers[key] = r
                return r
            fn = self.value(scope, node.func)
            if isinstance(fn, tuple) and fn[0] == "def":
                return self.call(scope, fn, node)
        return None

    # functions ------------------------------------------------------
    def call(self, scope, fn, node):
        _, path, d = fn
        args = [self.value(scope, a) for a in node.args]
        bound = {}
        params = [a.arg for a in d.args.posonlyargs + d.args.args]
        for p, v in zip(params, args):
            if isinstance(v, Router):
                bound[p] = v
        for k in node.keywords:
            if k.arg:
                v = self.value(scope, k.value)
                if isinstance(v, Router):
                    bound[k.arg] = v
        key = (id(d), tuple(sorted((k, id(v)) for k, v in bound.items())))
        if key in self.done_calls:
            return self.done_calls[key]
        if key in self.busy or len(self.busy) > 32:
            return None
        self.busy.add(key)
        inner = Scope(path, Scope(path, None, {}) if False else None,
                      dict(bound))
        ret = self.run_body(d.body, inner)
        self.busy.discard(key)
        self.done_calls[key] = ret
        return ret

    def run_body(self, body, scope):
        ret = None
        for st in body:
            r = self.stmt(st, scope)
            if ret is None and r is not None:
                ret = r
        return ret

    def stmt(self, st, scope):
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in st.decorator_list:
                self.decorator(scope, dec)
            if scope.parent is not None or scope.env is not \
                    self.module_envs.get(scope.path):
                # a nested def: its name shadows
                scope.env.pop(st.name, None)
            return None
        if isinstance(st, ast.ClassDef):
            return None
        if isinstance(st, (ast.Assign, ast.AnnAssign)):
            targets = st.targets if isinstance(st, ast.Assign) else \
                [st.target]
            if st.value is None:
                return None
            self.effects(scope, st.value)
            v = self.value(scope, st.value)
            for t in targets:
                if isinstance(t, ast.Name):
                    if isinstance(v, Router):
                        if v.name is None:
                            v.name = t.id
                        scope.env[t.id] = v
                    else:
                        scope.env.pop(t.id, None)
            return None
        if isinstance(st, ast.ImportFrom) and self.is_local(scope):
            mod = self.res.absolute(scope.path, st.level, st.module or "")
            p = self.res.module_path(mod) if mod is not None else None
            for a in st.names:
                v = self.module_name(p, a.name, set()) if p else None
                if v is not None:
                    scope.env[a.asname or a.name] = v
            return None
        if isinstance(st, ast.Return):
            if st.value is not None:
                self.effects(scope, st.value)
                v = self.value(scope, st.value)
                return v if isinstance(v, Router) else None
            return None
        if isinstance(st, ast.Expr):
            self.effects(scope, st.value)
            return None
        ret = None
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(st, field, None)
            if isinstance(sub, list):
                r = self.run_body(sub, scope)
                ret = ret or r
        for h in getattr(st, "handlers", []) or []:
            r = self.run_body(h.body, scope)
            ret = ret or r
        for c in getattr(st, "cases", []) or []:
            r = self.run_body(c.body, scope)
            ret = ret or r
        for item in getattr(st, "items", []) or []:
            if isinstance(item, ast.withitem):
                self.effects(scope, item.context_expr)
        return ret

    def is_local(self, scope):
        return scope.env is not self.module_envs.get(scope.path)

    # registrations --------------------------------------------------
    def decorator(self, scope, dec):
        if not isinstance(dec, ast.Call) or \
                not isinstance(dec.func, ast.Attribute):
            return
        r = self.value(scope, dec.func.value)
        if not isinstance(r, Router):
            return
        verb = dec.func.attr
        path = dec.args[0] if dec.args else keyword(dec, "path")
        path = str_value(path) if path is not None else None
        if path is None:
            return
        if verb in VERBS:
            self.add(r, verb.upper(), path, dec.lineno)
        elif verb == "websocket":
            self.add(r, "WEBSOCKET", path, dec.lineno)
        elif verb == "api_route":
            self.methods(r, dec, path)

    def methods(self, r, call, path):
        ms = keyword(call, "methods")
        if ms is None:
            self.add(r, "GET", path, call.lineno)
        elif isinstance(ms, (ast.List, ast.Tuple, ast.Set)):
            for m in ms.elts:
                s = str_value(m)
                if s:
                    self.add(r, s.upper(), path, call.lineno)

    def add(self, r, method, path, line):
        r.routes.setdefault((method, path), line)

    def effects(self, scope, expr):
        for node in ast.walk(expr):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in (
                    "include_router", "add_api_route",
                    "add_api_websocket_route"):
                r = self.value(scope, f.value)
                if not isinstance(r, Router):
                    continue
                if f.attr == "include_router":
                    child = node.args[0] if node.args else \
                        keyword(node, "router")
                    c = self.value(scope, child) if child is not None \
                        else None
                    if isinstance(c, Router):
                        pre = keyword(node, "prefix")
                        pre = str_value(pre) if pre is not None else ""
                        if pre is None:
                            continue
                        if (c, pre) not in r.includes:
                            r.includes.append((c, pre))
                        c.included = True
                    continue
                path = node.args[0] if node.args else keyword(node, "path")
                path = str_value(path) if path is not None else None
                if path is None:
                    continue
                if f.attr == "add_api_websocket_route":
                    self.add(r, "WEBSOCKET", path, node.lineno)
                else:
                    self.methods(r, node, path)
            elif node is expr or True:
                fn = self.value(scope, f) if isinstance(
                    f, (ast.Name, ast.Attribute)) else None
                if isinstance(fn, tuple) and fn[0] == "def" and any(
                        isinstance(self.value(scope, a), Router)
                        for a in list(node.args) +
                        [k.value for k in node.keywords]):
                    self.call(scope, fn, node)

    # whole files ----------------------------------------------------
    def read_defs(self, path):
        """Every function of the file, read on its own (its parameters
        unbound), so routers made and filled inside functions count."""
        f = self.res.facts(path)
        if f is None:
            return

        def walk(body, scope):
            for st in body:
                if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    inner = Scope(path, None, {})
                    self.run_body(st.body, inner)
                    walk(st.body, inner)
                elif isinstance(st, ast.ClassDef):
                    walk(st.body, scope)
                else:
                    for field in ("body", "orelse", "finalbody"):
                        sub = getattr(st, field, None)
                        if isinstance(sub, list):
                            walk(sub, scope)
                    for h in getattr(st, "handlers", []) or []:
                        walk(h.body, scope)
        walk(f.tree.body, None)


def flatten(r, acc, out, depth=0, seen=None):
    seen = seen if seen is not None else set()
    if depth > 16:
        return
    base = acc + r.prefix
    for (m, p), line in r.routes.items():
        out.setdefault((m, normal(base + p)), (r.path, line))
    for c, pre in r.includes:
        flatten(c, base + pre, out, depth + 1, seen)


def routes(tree, paths, options, facts_cache=None):
    """{"served": {(METHOD, path): (file, line)}, "apps": {name: {...}},
    "uncalled": {...}, "probed": set of paths looked up}."""
    res = Resolver(tree, facts_cache)
    files = [p for p in expand_paths(tree, paths) if p.endswith(".py")]
    rd = RouteReader(res)
    for p in files:
        rd.module_env(p)
    for p in files:
        rd.read_defs(p)
    apps = [r for r in rd.routers.values() if r.app and r.path in files]
    served = None
    spec = (options or {}).get("app")
    if spec:
        mod, _, name = spec.partition(":")
        mp = res.module_path(mod)
        if mp is None:
            raise LookupError(f"no module {mod}")
        v = rd.module_name(mp, name, set())
        if not isinstance(v, Router):
            raise LookupError(f"{spec} is not an application")
        served = v
    elif len(apps) == 1:
        served = apps[0]
    elif apps:
        raise LookupError("several applications")
    out = {"served": {}, "apps": {}, "uncalled": {}}
    if served is not None:
        flatten(served, "", out["served"])
    for a in apps:
        if a is served:
            continue
        got = {}
        flatten(a, "", got)
        out["apps"]["%s:%d" % (a.path, a.line)] = got
    reach = set()

    def mark(r, d=0):
        if id(r) in reach or d > 16:
            return
        reach.add(id(r))
        for c, _ in r.includes:
            mark(c, d + 1)
    for r in rd.routers.values():
        if r.app:
            mark(r)
    for r in rd.routers.values():
        if id(r) in reach or r.included or r.path not in files:
            continue
        got = {}
        flatten(r, "", got)
        if got:
            out["uncalled"]["%s:%d" % (r.path, r.line)] = got
    out["probed"] = set(res.probed)
    return out


if __name__ == "__main__":
    import subprocess
    import sys
    from collections import Counter

    class GitTree:
        def __init__(self, gitdir, rev):
            self.gitdir, self.rev = gitdir, rev
            ls = subprocess.run(["git", "-C", gitdir, "ls-tree", "-r",
                                 rev], capture_output=True, text=True,
                                check=True).stdout
            self.ids = {}
            for line in ls.splitlines():
                meta, path = line.split("\t", 1)
                self.ids[path] = meta.split()[2]

        def blob_id(self, path):
            return self.ids.get(path)

        def read_blob(self, oid):
            return subprocess.run(["git", "-C", self.gitdir, "cat-file",
                                   "blob", oid], capture_output=True,
                                  check=True).stdout

        def list(self):
            return sorted(self.ids)

    t = GitTree(sys.argv[1], sys.argv[2])
    got = routes(t, sys.argv[3].split(","),
                 {"app": sys.argv[4]} if len(sys.argv) > 4 else {})
    s = got["served"]
    print(len(s), Counter(m for m, _ in s), len({p for _, p in s}))
    for k, v in got["apps"].items():
        print("app", k, len(v))
    for k, v in got["uncalled"].items():
        print("uncalled", k, len(v), sorted(v))
    if "-v" in sys.argv:
        for m, p in sorted(s, key=lambda x: (x[1], x[0])):
            print(m, p)


# ---------------------------------------------------------------- calls --

def _fstring(node):
    out = ""
    for v in node.values:
        if isinstance(v, ast.Constant):
            out += v.value
        elif isinstance(v, ast.FormattedValue) and \
                isinstance(v.value, ast.Name):
            out += "{%s}" % v.value.id
        else:
            out += "{param}"
    return out


class CallReader:
    """http-calls: see the C extractor's header (src/extract/http_calls.c)
    for the rules this mirrors."""

    VERBS = ("delete", "patch", "post", "put", "get")

    def __init__(self, res, options):
        self.res, self.o = res, options or {}
        self.calls = {}

    def constant(self, path, name, depth):
        f = self.res.facts(path)
        if f is None:
            return None
        for st in reversed(f.tree.body):
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and \
                    isinstance(st.targets[0], ast.Name) and \
                    st.targets[0].id == name:
                return self.fold(path, st.value, depth + 1)
            if isinstance(st, ast.AnnAssign) and st.value is not None and \
                    isinstance(st.target, ast.Name) and st.target.id == name:
                return self.fold(path, st.value, depth + 1)
        b = f.bindings.get(name)
        if b and b[0] == "from":
            mod = self.res.absolute(path, b[1], b[2])
            p = self.res.module_path(mod) if mod is not None else None
            if p and p != path:
                return self.constant(p, b[3], depth + 1)
        return None

    def fold(self, path, node, depth=0):
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return _fstring(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a = self.fold(path, node.left, depth + 1)
            b = self.fold(path, node.right, depth + 1) if a is not None \
                else None
            return a + b if b is not None else None
        if isinstance(node, ast.Name):
            return self.constant(path, node.id, depth)
        return None

    def normal(self, s, bare):
        m = re.match(r"\{[^}]*\}/", s)
        if m:
            s = s[m.end() - 1:]
        s = re.split(r"[?#]", s, maxsplit=1)[0]
        if not s.startswith("/") and not bare:
            return None
        if not s.startswith("/"):
            s = "/" + s
        seg = s[1:].split("/")[0]
        roots = self.o.get("roots")
        ok = seg in roots if roots is not None else bool(seg)
        if not ok or " " in s or "//" in s:
            return None
        return s

    def method(self, fn, call):
        kw = keyword(call, "method") if call is not None else None
        if kw is not None and str_value(kw) is not None:
            return str_value(kw).upper()
        ms = self.o.get("methods", {})
        if fn in ms:
            return ms[fn].upper()
        low = fn.lower()
        for v in self.VERBS:
            if v in low:
                return v.upper()
        return "ANY"

    def add(self, path, line, method, s, bare):
        p = self.normal(s, bare) if s is not None else None
        if p is not None:
            self.calls.setdefault((method, p), (path, line))

    def read(self, path):
        f = self.res.facts(path)
        if f is None:
            return
        funcs = self.o.get("functions", [])
        kws = self.o.get("keywords", ["path", "route"])
        for node in ast.walk(f.tree):
            if isinstance(node, ast.Call):
                fn = node.func.attr if isinstance(node.func, ast.Attribute) \
                    else node.func.id if isinstance(node.func, ast.Name) \
                    else ""
                at = funcs.get(fn, -1) if isinstance(funcs, dict) else \
                    (0 if fn in funcs else -1)
                bare = "bare" not in self.o or fn in self.o["bare"]
                arg = node.args[at] if 0 <= at < len(node.args) and \
                    not isinstance(node.args[at], ast.Starred) else None
                if arg is None:
                    for k in node.keywords:
                        if k.arg in kws:
                            arg, bare = k.value, False
                            break
                if arg is None:
                    continue
                self.add(path, node.lineno, self.method(fn, node),
                         self.fold(path, arg), bare)
            elif isinstance(node, ast.Return) and node.value is not None:
                self.add(path, node.lineno, "ANY",
                         self.fold(path, node.value), False)


def calls(tree, paths, options, facts_cache=None):
    """{(METHOD, path): (file, line)} and the paths looked up."""
    res = Resolver(tree, facts_cache)
    rd = CallReader(res, options)
    for p in expand_paths(tree, paths):
        if p.endswith(".py"):
            rd.read(p)
    return {"calls": rd.calls, "probed": set(res.probed)}
