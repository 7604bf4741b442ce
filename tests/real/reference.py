"""Reference readers for the real-pair check (tests/real/check_history.py).

Independent of `contracts`: Python's own `ast` (3.12 or newer, for PEP 695
syntax) over the files of one commit, read through a `Tree` that finds a
file by path. What it computes, per manifest source:

python-enum    the values of each enum, in order. An enum is a class whose
               bases include Enum, StrEnum, IntEnum, Flag or IntFlag (from
               the `enum` module or any module outside the repository), or an
               enum class of the repository, followed across modules.
               Members are the class-level `NAME = value` (and `NAME: T =
               value`) assignments whose name does not start with `_`, not
               listed in `_ignore_`; a value seen twice is an alias, kept
               once. Values are str or int literals (`-1` included). When any
               member's value is something else (`auto()`, a call, a name, a
               float, a tuple), the enum's values are UNKNOWN: the document
               must then carry no `enum` list for it (python-enum's rule,
               docs/py.md), and the reference does not guess what Python
               would compute.
python-model   the fields of each pydantic model in order, with
               required/optional. A model is a class with `BaseModel` (or a
               name of the `bases` option) among its resolved ancestors
               outside the repository. Fields come from the ancestors in
               reverse MRO order with dict semantics (a field redefined in a
               subclass keeps its first position; the subclass decides
               whether it is required). Without `classes`, every model
               defined in the files read is a shape; models and enums named
               in field annotations are shapes too, transitively.
python-literal the module-level literal `name`, items picked by `select`.

Names are resolved as Python would bind them: classes, `import a.b as c`,
`from a import b as c`, relative imports, re-exports through `__init__.py`,
`X = Y` aliases. Every path looked up (found or not) is recorded, so that
the caller knows which files a result depends on.
"""
import ast
import hashlib
import re

ENUM_ROOTS = {"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag", "ReprEnum"}
MODEL_ROOTS = {"BaseModel"}


class SourceError(Exception):
    """A file that Python does not parse, or a plain path not there."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path


class Unknown:
    """Marker: an enum whose values are not all str/int literals."""

    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = Unknown()


# ---------------------------------------------------------------- facts --

class Facts:
    """What one module binds at its top level, from its bytes alone:
    name -> ("class", ClassDef) | ("from", level, module, name) |
    ("import", dotted, bound_is_full) | ("assign", expr). Later bindings
    override earlier ones, as at run time."""

    def __init__(self, tree):
        self.tree = tree
        self.bindings = {}
        self.assigns = {}
        self._walk(tree.body)

    def _walk(self, body):
        for node in body:
            if isinstance(node, ast.ClassDef):
                self.bindings[node.name] = ("class", node)
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if a.name == "*":
                        continue
                    self.bindings[a.asname or a.name] = (
                        "from", node.level, node.module or "", a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.bindings[a.asname] = ("import", a.name, True)
                    else:
                        top = a.name.split(".")[0]
                        self.bindings[top] = ("import", top, True)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.bindings[t.id] = ("assign", node.value)
                        self.assigns[t.id] = node.value
            elif isinstance(node, ast.AnnAssign):
                if isinstance(node.target, ast.Name) and node.value is not None:
                    self.bindings[node.target.id] = ("assign", node.value)
                    self.assigns[node.target.id] = node.value
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                # `if TYPE_CHECKING:` and `try: import … except …` blocks
                # bind names too; the first branch is the one that runs.
                self._walk(node.body)
                if isinstance(node, ast.Try):
                    self._walk(node.orelse)  # handlers: the try body wins
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.bindings[node.name] = ("def", node)
            elif hasattr(ast, "TypeAlias") and isinstance(node, ast.TypeAlias):
                self.bindings[node.name.id] = ("alias", node.value)


def parse_facts(path, data):
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        tree = ast.parse(text, filename=path, feature_version=None)
    except (SyntaxError, ValueError, UnicodeDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise SourceError(path, f"line {line}: {e.__class__.__name__}: "
                          f"{getattr(e, 'msg', e)}") from None
    return Facts(tree)


# ----------------------------------------------------------------- tree --

class DictTree:
    """A commit as a dict path -> bytes (self-tests). A tree offers
    blob_id(path), read_blob(oid) and list()."""

    def __init__(self, files):
        self.files = files

    def blob_id(self, path):
        """A key for the file's bytes, or None when there is no such file."""
        data = self.files.get(path)
        return None if data is None else hashlib.sha1(data).hexdigest()

    def read_blob(self, oid):
        for data in self.files.values():
            if hashlib.sha1(data).hexdigest() == oid:
                return data
        raise KeyError(oid)

    def list(self):
        return sorted(self.files)


def glob_re(pattern):
    """`*` within one name, `**` across folders (`a/**/b` matches `a/b`)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:[^/]+/)*"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def is_glob(p):
    return any(c in p for c in "*?")


def expand_paths(tree, patterns):
    """The files of `tree` the patterns name, in pattern order, each once.
    A plain path that is not there is an error (SourceError), as for
    `contracts`; a glob may match nothing."""
    out = []
    listing = None
    for p in patterns:
        if not is_glob(p):
            # A plain path must exist (docs/manifest.md: paths or globs).
            if tree.blob_id(p) is None:
                raise SourceError(p, "no such file")
            if p not in out:
                out.append(p)
            continue
        if listing is None:
            listing = tree.list()
        rx = glob_re(p)
        out.extend(f for f in listing if rx.match(f) and f not in out)
    return out


# ------------------------------------------------------------- resolver --

class Resolver:
    """Resolves names of one commit's modules. `probed` collects every path
    looked up; `read` every file parsed."""

    def __init__(self, tree, facts_cache=None):
        self.tree = tree
        self.cache = facts_cache if facts_cache is not None else {}
        self.probed = set()
        self.mods = {}

    def facts(self, path):
        self.probed.add(path)
        if path in self.mods:
            return self.mods[path]
        oid = self.tree.blob_id(path)
        if oid is None:
            self.mods[path] = None
            return None
        # A module's facts depend only on its bytes: parse each blob once.
        key = (path, oid)
        f = self.cache.get(key)
        if f is None:
            f = parse_facts(path, self.tree.read_blob(oid))
            self.cache[key] = f
        self.mods[path] = f
        return f

    def module_path(self, dotted):
        """The file of module `dotted` in the repository, or None."""
        base = dotted.replace(".", "/")
        for p in (base + ".py", base + "/__init__.py"):
            if self.facts(p) is not None:
                return p
        return None

    @staticmethod
    def package_of(path):
        parts = path.split("/")[:-1]
        return ".".join(parts)

    def absolute(self, path, level, module):
        if level == 0:
            return module
        pkg = self.package_of(path).split(".") if self.package_of(path) else []
        if level - 1 > len(pkg):
            return None
        base = pkg[:len(pkg) - (level - 1)]
        return ".".join(base + ([module] if module else []))

    def resolve_name(self, path, name, seen=None):
        """What `name` means at the top level of module file `path`:
        ("class", path, ClassDef), ("module", path), ("external", dotted)
        or None."""
        seen = seen if seen is not None else set()
        if (path, name) in seen:
            return None
        seen.add((path, name))
        f = self.facts(path)
        if f is None:
            return None
        b = f.bindings.get(name)
        if b is None:
            return None
        kind = b[0]
        if kind == "class":
            return ("class", path, b[1])
        if kind == "import":
            p = self.module_path(b[1])
            return ("module", p) if p else ("external", b[1])
        if kind == "from":
            mod = self.absolute(path, b[1], b[2])
            if mod is None:
                return None
            p = self.module_path(mod)
            if p is None:
                return ("external", mod + "." + b[3])
            r = self.resolve_name(p, b[3], seen)
            if r is not None:
                return r
            sub = self.module_path(mod + "." + b[3])
            return ("module", sub) if sub else None
        if kind == "assign" and isinstance(b[1], (ast.Name, ast.Attribute)):
            return self.resolve_expr(path, b[1], seen)
        return None

    def resolve_expr(self, path, node, seen=None):
        if isinstance(node, ast.Subscript):  # Generic[T], etc.
            node = node.value
        if isinstance(node, ast.Name):
            r = self.resolve_name(path, node.id, seen)
            if r is None and self.facts(path) is not None and \
                    node.id not in self.facts(path).bindings:
                return ("external", "builtins." + node.id)
            return r
        if isinstance(node, ast.Attribute):
            r = self.resolve_expr(path, node.value, seen)
            if r is None:
                return None
            if r[0] == "external":
                # a namespace package (no __init__.py) may hold modules
                sub = self.module_path(r[1] + "." + node.attr)
                return ("module", sub) if sub else \
                    ("external", r[1] + "." + node.attr)
            if r[0] == "module":
                got = self.resolve_name(r[1], node.attr, seen)
                if got is not None:
                    return got
                dotted = r[1][:-len("/__init__.py")] if \
                    r[1].endswith("/__init__.py") else r[1][:-3]
                sub = self.module_path(dotted.replace("/", ".") + "." +
                                       node.attr)
                return ("module", sub) if sub else None
            return None  # an attribute of a class
        return None

    # ------------------------------------------------------- classes --

    def bases(self, path, cls):
        """Resolved bases of `cls` (defined in `path`)."""
        return [self.resolve_expr(path, b) for b in cls.bases]

    def ancestry(self, path, cls, roots):
        """True when some ancestor outside the repository is named in
        `roots` (last component of its dotted name)."""
        todo, seen = [(path, cls)], set()
        while todo:
            p, c = todo.pop()
            if id(c) in seen:
                continue
            seen.add(id(c))
            for r in self.bases(p, c):
                if r is None:
                    continue
                if r[0] == "external" and r[1].rsplit(".", 1)[-1] in roots:
                    return True
                if r[0] == "class":
                    todo.append((r[1], r[2]))
        return False

    def is_enum(self, path, cls):
        return self.ancestry(path, cls, ENUM_ROOTS)

    def is_model(self, path, cls, roots=MODEL_ROOTS):
        return self.ancestry(path, cls, roots)

    def mro(self, path, cls):
        """C3 linearization over the repository's classes (external bases
        have no fields and are left out)."""
        def lin(p, c, depth=0):
            if depth > 64:
                return [(p, c)]
            seqs = []
            for r in self.bases(p, c):
                if r is not None and r[0] == "class":
                    seqs.append(lin(r[1], r[2], depth + 1))
            direct = [(r[1], r[2]) for r in self.bases(p, c)
                      if r is not None and r[0] == "class"]
            return [(p, c)] + merge(seqs + [direct])

        def merge(seqs):
            out = []
            seqs = [list(s) for s in seqs if s]
            while seqs:
                for s in seqs:
                    head = s[0]
                    if not any(id(head[1]) in [id(x[1]) for x in t[1:]]
                               for t in seqs):
                        break
                else:  # inconsistent: fall back to depth-first order
                    head = seqs[0][0]
                out.append(head)
                seqs = [[x for x in t if id(x[1]) != id(head[1])]
                        for t in seqs]
                seqs = [t for t in seqs if t]
            return out
        return lin(path, cls)


# ---------------------------------------------------------------- enums --

def literal_value(node):
    if isinstance(node, ast.Constant) and type(node.value) in (str, int):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) is int):
        return -node.operand.value
    return UNKNOWN


def enum_values(cls):
    """The values of enum class `cls`, in order, or UNKNOWN."""
    ignore = set()
    for node in cls.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "_ignore_"):
            try:
                v = ast.literal_eval(node.value)
                ignore = set(v.replace(",", " ").split()) if \
                    isinstance(v, str) else set(v)
            except ValueError:
                pass
    values, unknown = [], False
    for node in cls.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for t in targets:
            if not isinstance(t, ast.Name) or t.id.startswith("_") \
                    or t.id in ignore:
                continue
            v = literal_value(value)
            if v is UNKNOWN:
                unknown = True
            elif v not in values:
                values.append(v)
    return UNKNOWN if unknown else values


# --------------------------------------------------------------- models --

def call_name(node):
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def is_ellipsis(node):
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def field_call_info(call):
    """(has_default, alias) of a `Field(...)` call."""
    has_default, alias = False, None
    if call.args and not is_ellipsis(call.args[0]):
        has_default = True
    for kw in call.keywords:
        if kw.arg == "default" and not is_ellipsis(kw.value):
            has_default = True
        elif kw.arg == "default_factory":
            has_default = True
        elif kw.arg == "alias" and isinstance(kw.value, ast.Constant) \
                and isinstance(kw.value.value, str):
            alias = kw.value.value
    return has_default, alias


def annotation_head(node):
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return annotation_head(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return ""
    return ""


def own_fields(cls):
    """[(name, required, alias, annotation)] declared in `cls` itself."""
    out = []
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or \
                not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        # pydantic never makes `model_config` a field
        if name.startswith("_") or name == "model_config" or \
                annotation_head(node.annotation) == "ClassVar":
            continue
        required, alias = True, None
        ann = node.annotation
        if isinstance(ann, ast.Subscript) and annotation_head(ann) == \
                "Annotated" and isinstance(ann.slice, ast.Tuple):
            for meta in ann.slice.elts[1:]:
                if isinstance(meta, ast.Call) and call_name(meta) == "Field":
                    d, a = field_call_info(meta)
                    required = not d
                    alias = a or alias
        v = node.value
        if v is not None:
            if isinstance(v, ast.Call) and call_name(v) == "Field":
                d, a = field_call_info(v)
                required = not d
                alias = a or alias
            elif is_ellipsis(v):
                required = True
            else:
                required = False
        out.append((name, required, alias, ann))
    return out


def annotation_names(node):
    """Name/Attribute nodes of an annotation that may name a shape."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return
    if isinstance(node, (ast.Name, ast.Attribute)):
        yield node
        return
    if isinstance(node, ast.Subscript):
        head = annotation_head(node)
        yield from annotation_names(node.value)
        if head == "Literal":
            return
        s = node.slice
        if head == "Annotated":
            s = s.elts[0] if isinstance(s, ast.Tuple) else s
            yield from annotation_names(s)
            return
        for e in (s.elts if isinstance(s, ast.Tuple) else [s]):
            yield from annotation_names(e)
        return
    if isinstance(node, ast.BinOp):
        yield from annotation_names(node.left)
        yield from annotation_names(node.right)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for e in node.elts:
            yield from annotation_names(e)


def model_fields(res, path, cls):
    """{property: required} in order, and [(path, annotation)] of the
    fields that made it."""
    fields, anns = {}, {}
    for p, c in reversed(res.mro(path, cls)):
        for name, required, alias, ann in own_fields(c):
            key = alias or name
            fields[key] = required
            anns[key] = (p, ann)
    return fields, anns


# --------------------------------------------------------------- sources --

class Shape:
    def __init__(self, kind, value):
        self.kind = kind  # "enum" or "model"
        self.value = value  # [values] | UNKNOWN, or {prop: required}

    def __eq__(self, other):
        if not isinstance(other, Shape):
            return NotImplemented
        return (self.kind, self.value) == (other.kind, other.value)

    def __repr__(self):
        return f"Shape({self.kind}, {self.value!r})"


class Result:
    """What one side's Python sources yield: shapes by (renamed) name,
    lists by name, events; `deps` the paths the result depends on."""

    def __init__(self):
        self.shapes = {}
        self.lists = {}
        self.events = None
        self.events_unknown = False
        self.missing = []  # classes the options name but the files lack
        self.deps = set()


def top_classes(facts):
    """Classes of a module in source order, nested ones included (as the
    extractors see the classes of the files read)."""
    out = []

    def walk(body):
        for node in body:
            if isinstance(node, ast.ClassDef):
                out.append(node)
                walk(node.body)
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                walk(node.body)
                walk(getattr(node, "orelse", []))
    walk(facts.tree.body)
    return out


def run_enum(res, files, options, result):
    rename = options.get("rename", {})
    found = {}
    for p in files:
        f = res.facts(p)
        for c in top_classes(f):
            if c.name not in found and res.is_enum(p, c):
                found[c.name] = c
    if "events" in options:
        c = found.get(options["events"])
        if c is None:
            # no list at all would compare as nothing to say: the tool
            # makes it an error of the side, so does the reference
            raise SourceError(files[0] if files else "",
                              f"no enum class {options['events']} in the files read")
        else:
            v = enum_values(c)
            if v is UNKNOWN:  # nothing to compare
                result.events_unknown = True
            else:
                result.events = (result.events or set()) | \
                    {str(x) for x in v}
        return
    names = options.get("classes") or list(found)
    result.missing.extend(n for n in names if n not in found)
    for n in names:
        if n in found:
            result.shapes[rename.get(n, n)] = Shape("enum", enum_values(found[n]))


def run_model(res, files, options, result):
    rename = options.get("rename", {})
    roots = MODEL_ROOTS | set(options.get("bases", []))
    defined = {}
    for p in files:
        f = res.facts(p)
        for c in top_classes(f):
            defined.setdefault(c.name, (p, c))
    if "model" in options:
        got = defined.get(options["model"])
        if got is None:
            result.missing.append(options["model"])
        else:
            fields, _ = model_fields(res, got[0], got[1])
            result.lists[options.get("list", options["model"])] = list(fields)
        return
    if options.get("classes"):
        result.missing.extend(n for n in options["classes"]
                              if n not in defined
                              or not res.is_model(*defined[n], roots))
        todo = [defined[n] for n in options["classes"] if n in defined
                and res.is_model(*defined[n], roots)]
    else:
        todo = [pc for pc in defined.values() if res.is_model(*pc, roots)]
    done = set()
    while todo:
        p, c = todo.pop(0)
        if id(c) in done:
            continue
        done.add(id(c))
        fields, anns = model_fields(res, p, c)
        result.shapes[rename.get(c.name, c.name)] = Shape("model", fields)
        for ap, ann in anns.values():
            for node in annotation_names(ann):
                r = res.resolve_expr(ap, node)
                if r is None or r[0] != "class":
                    continue
                if res.is_enum(r[1], r[2]):
                    result.shapes.setdefault(rename.get(r[2].name, r[2].name),
                                             Shape("enum", enum_values(r[2])))
                elif res.is_model(r[1], r[2], roots):
                    todo.append((r[1], r[2]))


def select(value, steps):
    if not steps:
        return [value]
    s, rest = steps[0], steps[1:]
    if isinstance(value, dict):
        items = list(value.values()) if s == "*" else \
            ([value[s]] if s in value else [])
    elif isinstance(value, (list, tuple)):
        if s == "*":
            items = list(value)
        else:
            try:
                items = [value[int(s)]]
            except (ValueError, IndexError):
                items = []
    else:
        items = []
    out = []
    for it in items:
        out.extend(select(it, rest))
    return out


def run_literal(res, files, options, result):
    name = options["name"]
    for p in files:
        f = res.facts(p)
        if name in f.assigns:
            try:
                value = ast.literal_eval(f.assigns[name])
            except (ValueError, TypeError, SyntaxError, MemoryError,
                    RecursionError):
                raise SourceError(p, f"{name} is not a literal") from None
            sel = options.get("select", "")
            steps = [s for s in sel.split("/")[1:]] if sel else []
            picked = select(value, steps)
            result.lists[options.get("list", name)] = picked
            return


RUNNERS = {"python-enum": run_enum, "python-model": run_model,
           "python-literal": run_literal}


def run_side(tree, sources, facts_cache=None):
    """Runs every Python source of one side. Raises SourceError when a file
    read does not parse; the Result's deps are filled either way (on the
    exception's `deps`)."""
    res = Resolver(tree, facts_cache)
    result = Result()
    try:
        for src in sources:
            res.probed.update(p for p in src["paths"] if not is_glob(p))
            files = expand_paths(tree, src["paths"])
            for p in files:
                res.facts(p)  # parse errors surface for every file read
            RUNNERS[src["extractor"]](res, files, src.get("options", {}),
                                      result)
    except SourceError as e:
        e.deps = set(res.probed)
        raise
    result.deps = set(res.probed)
    return result


# ------------------------------------------------------------ self-test --

def self_test():
    """Unit tests of the resolver and readers on inline snippets."""
    import textwrap
    failures = []

    def check(name, got, want):
        if got != want:
            failures.append(f"{name}: got {got!r}, want {want!r}")

    def tree(files):
        return DictTree({k: textwrap.dedent(v).encode() for k, v in
                         files.items()})

    def side(files, sources):
        return run_side(tree(files), sources)

    def model(paths, **opt):
        return {"extractor": "python-model", "paths": paths, "options": opt}

    def enum(paths, **opt):
        return {"extractor": "python-enum", "paths": paths, "options": opt}

    # 1. base class in another module, absolute import
    r = side({"pkg/__init__.py": "",
              "pkg/_base.py": """
                 from pydantic import BaseModel
                 class B(BaseModel):
                     model_config = {}
                     base_field: int = 0
                 """,
              "pkg/m.py": """
                 from pydantic import Field
                 from pkg._base import B
                 class M(B):
                     a: int
                     b: int = Field(description="x")
                     c: int = Field(...)
                     d: int = Field(default=1)
                     e: list = Field(default_factory=list)
                     f: int = Field(3, description="y")
                     g: int | None = None
                     h: int = Field(alias="H")
                     _p: int = 1
                     k: "ClassVar[int]" = 1
                 """}, [model(["pkg/m.py"], classes=["M"])])
    check("cross-module base", r.shapes.get("M"), Shape("model", {
        "base_field": False, "a": True, "b": True, "c": True, "d": False,
        "e": False, "f": False, "g": False, "H": True}))
    check("deps", {"pkg/_base.py", "pkg/m.py"} <= r.deps, True)

    # 2. relative import, alias, re-export through __init__
    r = side({"pkg/__init__.py": "from .inner import Base as Exported\n",
              "pkg/inner.py": """
                 import pydantic
                 class Base(pydantic.BaseModel):
                     x: int
                 """,
              "pkg/sub/__init__.py": "",
              "pkg/sub/m.py": """
                 from .. import Exported as E
                 from typing import ClassVar
                 class M(E):
                     y: str = "a"
                     x: int = 5
                     z: ClassVar[int] = 3
                 """}, [model(["pkg/sub/m.py"])])
    check("relative + re-export", r.shapes.get("M"),
          Shape("model", {"x": False, "y": False}))
    check("re-export deps", {"pkg/__init__.py", "pkg/inner.py"} <= r.deps,
          True)

    # 2b. `import a.b` through a namespace package; model_config annotated
    r = side({"ns/sub/base.py": """
                 from pydantic import BaseModel, ConfigDict
                 class B(BaseModel):
                     model_config: ConfigDict = ConfigDict()
                     b: int
                 """,
              "m.py": """
                 import ns.sub.base
                 class M(ns.sub.base.B):
                     m: int = 1
                 """}, [model(["m.py"])])
    check("namespace package", r.shapes.get("M"),
          Shape("model", {"b": True, "m": False}))

    # 3. not a model: no BaseModel ancestor
    r = side({"m.py": """
                 class Plain:
                     a: int
                 class M(Plain):
                     b: int
                 """}, [model(["m.py"])])
    check("plain classes", r.shapes, {})

    # 4. enums: (str, Enum), StrEnum, enum-derived, aliases, auto, module attr
    r = side({"e.py": """
                 import enum
                 from enum import Enum, StrEnum, auto
                 class A(str, Enum):
                     X = "x"
                     Y = "y"
                     Z = "x"
                     _hidden = "h"
                     def f(self): return 1
                 class B(enum.IntEnum):
                     ONE = 1
                     MINUS = -1
                 class C(StrEnum):
                     P = auto()
                 class D(A):
                     pass
                 class NotEnum:
                     Q = "q"
                 """}, [enum(["e.py"])])
    check("enum A", r.shapes.get("A"), Shape("enum", ["x", "y"]))
    check("enum B", r.shapes.get("B"), Shape("enum", [1, -1]))
    check("enum auto", r.shapes.get("C"), Shape("enum", UNKNOWN))
    check("enum derived", r.shapes.get("D"), Shape("enum", []))
    check("not enum", "NotEnum" in r.shapes, False)
    r = side({"e.py": "from enum import Enum\nclass A(Enum):\n    X = 1\n"},
             [enum(["e.py"], classes=["A", "Gone"])])
    check("missing class", r.missing, ["Gone"])

    # 5. enum base imported from another module; rename; events
    files = {"a/__init__.py": "",
             "a/base.py": "from enum import Enum\nclass Base(str, Enum):\n"
                          "    pass\n",
             "a/e.py": "from a.base import Base as BB\n"
                       "class Ev(BB):\n    ONE = 'one'\n    TWO = 'two'\n"}
    r = side(files, [enum(["a/e.py"], classes=["Ev"], rename={"Ev": "E2"})])
    check("enum across modules + rename", r.shapes,
          {"E2": Shape("enum", ["one", "two"])})
    r = side(files, [enum(["a/*.py"], events="Ev")])
    check("events + glob", r.events, {"one", "two"})

    # 6. redefined field keeps position; subclass decides requiredness;
    #    diamond MRO
    r = side({"m.py": """
                 from pydantic import BaseModel
                 class A(BaseModel):
                     a: int = 1
                     b: int = 2
                 class L(A):
                     l: int
                 class R(A):
                     r: int
                     a: int
                 class M(L, R):
                     m: int = 0
                     b: int
                 """}, [model(["m.py"], classes=["M"])])
    check("mro", r.shapes.get("M"), Shape("model", {
        "a": True, "b": True, "r": True, "l": True, "m": False}))

    # 7. referenced models and enums become shapes; model + list
    r = side({"m.py": """
                 from enum import Enum
                 from pydantic import BaseModel
                 from typing import Optional, Literal, Annotated
                 class Kind(str, Enum):
                     A = "a"
                 class Item(BaseModel):
                     n: str
                 class Other(BaseModel):
                     o: int
                 class M(BaseModel):
                     kind: Kind
                     items: list["Item"] = []
                     lit: Literal["Other"] = "Other"
                     opt: Optional[Annotated[int, "meta"]] = None
                 """}, [model(["m.py"], classes=["M"], rename={"Kind": "K"})])
    check("references", sorted(r.shapes), ["Item", "K", "M"])
    r = side({"m.py": """
                 from pydantic import BaseModel
                 class F(BaseModel):
                     overwrite_a: bool = True
                     overwrite_b: bool = True
                 """}, [model(["m.py"], model="F", list="flags")])
    check("model list", r.lists, {"flags": ["overwrite_a", "overwrite_b"]})

    # 8. literal select
    r = side({"c.py": """
                 GROUPS: tuple = (
                     ("Device", ("a", "b")),
                     ("VM", ("c",)),
                 )
                 """}, [{"extractor": "python-literal", "paths": ["c.py"],
                         "options": {"name": "GROUPS", "select": "/*/1/*",
                                     "list": "l"}}])
    check("literal select", r.lists, {"l": ["a", "b", "c"]})

    # 9. 3.12 syntax parses; a syntax error names the file
    r = side({"m.py": "type X = int\nfrom pydantic import BaseModel\n"
                      "class M[T](BaseModel):\n    a: T\n"},
             [model(["m.py"])])
    check("pep 695", r.shapes.get("M"), Shape("model", {"a": True}))
    try:
        side({"ok.py": "", "bad.py": "class (:\n"}, [model(["*.py"])])
        check("syntax error", "no error", "SourceError")
    except SourceError as e:
        check("syntax error path", e.path, "bad.py")

    # 9b. a plain path must exist; a glob may match nothing
    try:
        side({"a.py": ""}, [model(["a.py", "b.py"])])
        check("missing plain path", "no error", "SourceError")
    except SourceError as e:
        check("missing plain path", (e.path, "b.py" in e.deps), ("b.py", True))
    check("empty glob", side({"a.py": ""}, [model(["x/*.py"])]).shapes, {})

    # 10. globs
    rx = glob_re("a/**/*.py")
    check("glob **", [bool(rx.match(p)) for p in
                      ("a/x.py", "a/b/c/x.py", "b/x.py", "a/x.pyc")],
          [True, True, False, False])
    check("glob *", bool(glob_re("a/*.py").match("a/b/x.py")), False)

    # 11. a missing module is probed, so adding it later counts as a change
    r = side({"m.py": "from pkg.base import B\nclass M(B):\n    a: int\n"},
             [model(["m.py"])])
    check("probe missing", {"pkg/base.py", "pkg/base/__init__.py"} <= r.deps,
          True)
    check("unresolved base", r.shapes, {})
    return failures
