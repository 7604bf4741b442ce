#!/usr/bin/env python3
"""The real pair's history: what `contracts log` reports against the `ast`
reference (reference.py), commit by commit.

Usage: check_log.py [CONTRACTS [MANIFEST]] [--routes] [--side REPO]
                    [--jobs N] [--keep DIR] [--log-json REPO=FILE]
                    [--verbose] [--quiet] [--self-test]

For each side (the provider proxbox-api, the consumer netbox-proxbox) it runs
`contracts log --format json --side S` over the manifest with
`--repo NAME=$CONTRACTS_REAL_{PROVIDER,CONSUMER}@REF` (a temporary
CONTRACTS_CACHE_DIR), and walks the same first-parent history with the
reference: at every commit, each contract side made of Python readers
(python-enum, python-model, python-literal; python-calls adds only events)
is either built (its shapes, lists and events) or not (a plain path missing,
a file Python does not parse). Then:

- every entry the tool reports (commit C, contract K) must be at a commit
  where the reference builds the side, `first` exactly when no earlier
  commit builds it, and its changes to what the reference covers must be
  exactly the reference's difference between C and the previous commit that
  builds (kinds, subjects, members, pointers, severities);
- every commit where the reference sees a covered change from the previous
  commit that builds must carry an entry (no missed change);
- the entries' times are the commits' committer times (dates their UTC
  days), a merge's `introduced_by` is a commit of the merged branch only,
  fingerprints are 16 hex digits and distinct within an entry.

Covered: `$defs` shapes added or removed (the sides are exact), enum values
(`/$defs/N/enum`, as sets: enum order alone is not a change), model
properties added, removed, turned required or optional
(`/$defs/N/properties/P`), ordered lists (`/x-lists/L`: added, removed, and
as many moved as the items outside a longest common subsequence) and events
(`/x-events`; where python-calls feeds the same side, the enum's part only,
an event the enum gains or loses being checked against `contracts extract`
at the state before or after). Not covered, skipped and counted: rest-routes
(unless --routes), types, defaults, nullability, enums inside properties,
events that only python-calls emits, a model's property order.

With --routes, the rest-routes sides are built at every commit with
rest_reference.py (the route table the served application has, plus the
manifest's dynamic routes and, tagged `module@line`, the routes of other
applications and of routers nothing includes; the consumer's calls) and
their `route-added`/`route-removed` checked too, under the rule diff applies
to two route tables: a route is added (removed) only when no route of the
other version matches it (a `{param}` stands for any segment, `{x:path}`
for the rest, ANY for any method, trailing slashes do not count).

Exit 0 when everything agrees, 1 on any disagreement, 2 on a usage error,
77 when skipped (no Python 3.12+, CONTRACTS_REAL_PROVIDER or
CONTRACTS_REAL_CONSUMER unset).
"""
import argparse
import atexit
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_history as hist  # noqa: E402  (Git, Tree, load_sides, ...)
import reference as ref  # noqa: E402
import rest_reference as rr  # noqa: E402

ROOT = hist.ROOT
HEX16 = re.compile(r"[0-9a-f]{16}\Z")

# Severities of a writer's new version (docs/diff-rules.md, the p→c and
# superset columns; `log` judges a consumer-to-provider side as a writer's).
SEVERITY = {
    "shape-added": ("info", "info"),
    "shape-removed": ("breaking", "breaking"),
    "enum-value-added": ("breaking", "info"),
    "enum-value-removed": ("breaking", "breaking"),
    "property-added": ("info", "info"),
    "required-property-added": ("warning", "warning"),
    "property-removed": ("breaking", "breaking"),
    "property-became-required": ("breaking", "breaking"),
    "property-became-optional": ("warning", "warning"),
    "list-added": ("warning", "warning"),
    "list-removed": ("breaking", "breaking"),
    "list-item-added": ("breaking", "breaking"),
    "list-item-removed": ("breaking", "breaking"),
    "list-item-moved": ("breaking", "breaking"),
    "event-added": ("breaking", "info"),
    "event-removed": ("breaking", "breaking"),
}
ROUTE_READERS = ("fastapi-routes", "http-calls")
SEVERITY["route-added"] = ("info", "info")
SEVERITY["route-removed"] = ("breaking", "breaking")
PROPERTY_KINDS = {"property-added", "required-property-added",
                  "property-removed", "property-became-required",
                  "property-became-optional"}


def esc(s):
    return str(s).replace("~", "~0").replace("/", "~1")


def unesc(s):
    return s.replace("~1", "/").replace("~0", "~")


# ------------------------------------------------------------ the sides --

def log_sides(manifest, routes=False):
    """{(repo, contract): side} for the unlabelled sides `log` walks; a side
    with Python readers carries `sources` (reference.py's) and `parse`: the
    (include, exclude) regexes of its other Python sources, whose files must
    parse for the side to build (python-calls)."""
    sides = {}
    for s in hist.load_sides(manifest):
        sides[(s["repo"], s["contract"])] = s
    for cname, c in manifest["contracts"].items():
        for src in c["sources"]:
            if "label" in src:
                continue
            key = (src["repo"], cname)
            side = sides.setdefault(key, {"contract": cname,
                                          "repo": src["repo"],
                                          "sources": [], "exact": False,
                                          "more_events": False})
            side.setdefault("parse", [])
            side.setdefault("others", [])
            if src["extractor"] in hist.PYTHON_READERS:
                continue
            side["others"].append(src["extractor"])
            if src["extractor"] in hist.NO_SHAPES:
                side["parse"].append(
                    ([ref.glob_re(p) for p in src["paths"]],
                     [ref.glob_re(p) for p in src.get("exclude", [])]))
    for (repo, cname), side in sides.items():
        srcs = [x for x in manifest["contracts"][cname]["sources"]
                if "label" not in x and x["repo"] == repo]
        side["routes"] = srcs[0] if len(srcs) == 1 and \
            srcs[0]["extractor"] in ROUTE_READERS and routes else None
    for side in sides.values():
        side["covered"] = bool(side["sources"]) and side["exact"] or \
            side["routes"] is not None
        side["dirs"] = manifest["contracts"][side["contract"]].get(
            "shape_directions", {})
    return sides


# ------------------------------------------------------ reference walk --

class Built:
    """The reference's view of one side at one commit: `result` (a
    reference Result) when it builds, else `error` (a message)."""

    def __init__(self, result=None, error=None, missing_blob=None):
        self.result, self.error, self.missing_blob = result, error, \
            missing_blob

    @property
    def ok(self):
        return self.result is not None


def ls_tree(git, sha):
    """[(path, blob oid)] of a commit."""
    out = git.run("ls-tree", "-r", "-z", sha)
    rows = []
    for line in out.split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            rows.append((path, parts[2]))
    return rows


def walk_side(git, commits, side, facts_cache, parse_cache):
    """[Built] for every commit (oldest first). The reference runs again
    only where a commit changed a file the previous result depended on, a
    file its globs match, or a file of the parse globs."""
    globs = [ref.glob_re(p) for s in side["sources"] for p in s["paths"]
             if ref.is_glob(p)]
    pglobs = side["parse"]

    def in_parse(p):
        return any(any(rx.match(p) for rx in inc) and
                   not any(rx.match(p) for rx in exc) for inc, exc in pglobs)

    out, deps, last = [], None, None
    for sha, _date, changed in commits:
        if deps is not None and not (changed & deps) and not any(
                rx.match(p) for rx in globs for p in changed) and not any(
                in_parse(p) for p in changed):
            out.append(last)
            continue
        try:
            got = ref.run_side(hist.Tree(git, sha), side["sources"],
                               facts_cache)
            deps = got.deps
            built = Built(result=got)
        except ref.SourceError as e:
            deps = e.deps
            built = Built(error=str(e))
        except hist.BlobMissing as e:
            deps = set()  # run again at the next commit
            built = Built(missing_blob=str(e), error=f"blob {e} missing")
        if built.ok and pglobs:
            for path, oid in ls_tree(git, sha):
                if not in_parse(path):
                    continue
                if oid not in parse_cache:
                    try:
                        ref.parse_facts(path, git.read_blob(oid))
                        parse_cache[oid] = None
                    except ref.SourceError as e:
                        parse_cache[oid] = str(e)
                    except hist.BlobMissing:
                        parse_cache[oid] = None  # cannot tell: as parsed
                if parse_cache[oid]:
                    built = Built(error=parse_cache[oid])
                    break
        out.append(built)
        last = built
    return out


def route_key(member):
    """(METHOD, path, tag) of a `route-*` change's member: `GET /p`, or
    `GET /p (module:name@LINE)` for a route of another application or of a
    router that nothing serves, tagged `module@LINE`."""
    m = re.match(r"(\S+) (\S+)(?: \(([^:]*):.*@(\d+)\))?\Z", member or "")
    if not m:
        return (member, "", "?")
    return (m.group(1), m.group(2),
            f"{m.group(3)}@{m.group(4)}" if m.group(4) else "")


def module_tag(key):
    """`module@LINE` of rest_reference.py's `file.py:LINE`."""
    path, _, line = key.rpartition(":")
    mod = path[:-len("/__init__.py")] if path.endswith("/__init__.py") \
        else path[:-3]
    return mod.replace("/", ".") + "@" + line


def show_route(k):
    return f"{k[0]} {k[1]}" + (f" ({k[2]})" if k[2] else "")


def route_fits(a, b):
    """Whether route `a` is matched by route `b`, the rule diff applies to
    two versions of a route table (docs/diff-rules.md, Routes): the same
    tag, the same method or either one ANY, and path segments equal, a
    `{param}` of b standing for any one segment and `{name:path}` for all
    the rest (at least one); empty segments (trailing slashes) do not
    count."""
    if a[2] != b[2] or not (a[0] == b[0] or "ANY" in (a[0], b[0])):
        return False
    sa = [x for x in a[1].split("/") if x]
    sb = [x for x in b[1].split("/") if x]
    for i in range(max(len(sa), len(sb)) + 1):
        if i >= len(sa) and i >= len(sb):
            return True
        if i < len(sa) and i < len(sb) and len(sb[i]) > 6 and \
                sb[i][0] == "{" and sb[i].endswith(":path}"):
            return True
        if i >= len(sa) or i >= len(sb):
            return False
        if "{" not in sb[i] and sa[i] != sb[i]:
            return False
    return True


def reference_routes(tree, src, facts_cache):
    """The route keys of a rest-routes side at one commit (as
    check_rest.py reads them) and the paths looked up."""
    for g in src["paths"]:
        if ref.is_glob(g) and not any(ref.glob_re(g).match(x)
                                      for x in tree.list()):
            raise ref.SourceError(g, "no file matches")
    opts = src.get("options") or {}
    if src["extractor"] == "http-calls":
        got = rr.calls(tree, src["paths"], opts, facts_cache)
        return {(m, p, "") for m, p in got["calls"]}, got["probed"]
    got = rr.routes(tree, src["paths"], opts, facts_cache)
    out = {(m, p, "") for m, p in got["served"]}
    for d in opts.get("dynamic", []):
        m, _, p = d.partition(" ")
        out.add((m, p, ""))
    for kind in ("apps", "uncalled"):
        for key, routes in got[kind].items():
            tag = module_tag(key)
            out.update((m, p, tag) for m, p in routes)
    return out, got["probed"]


def walk_routes(git, commits, side, facts_cache):
    """[Built] of a rest-routes side at every commit (result: a set of
    route keys), run again where a commit changed a file its globs match
    or a file it looked up."""
    src = side["routes"]
    globs = [ref.glob_re(p) for p in src["paths"]]
    out, deps, last = [], None, None
    for sha, _date, changed in commits:
        if deps is not None and not (changed & deps) and not any(
                rx.match(p) for rx in globs for p in changed):
            out.append(last)
            continue
        try:
            got, deps = reference_routes(hist.Tree(git, sha), src,
                                         facts_cache)
            built = Built(result=got)
        except (LookupError, ref.SourceError, SyntaxError) as e:
            deps = set()
            built = Built(error=str(e))
        except hist.BlobMissing as e:
            deps = set()
            built = Built(missing_blob=str(e), error=f"blob {e} missing")
        out.append(built)
        last = built
    return out


# ------------------------------------------------- the expected changes --

class Expect:
    """The reference's difference between two states of a side: `changes`
    {(kind, pointer, member): severity}, `moved` {list: (count, {items
    that may move})}, `maybe_events` {(kind, event)} (python-calls may
    explain them), `notes` [text] (reorders and unknown enums, not changes).
    """

    def __init__(self):
        self.changes, self.moved, self.notes = {}, {}, []
        self.maybe_events = set()

    def add(self, kind, pointer, member, superset=False):
        self.changes[(kind, pointer, member)] = SEVERITY[kind][
            1 if superset else 0]

    def empty(self):
        return not self.changes and not self.moved and not self.maybe_events


def lcs_len(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def member_text(v):
    return v if isinstance(v, str) else json.dumps(v)


def expect(side, before, after):
    """Expect: the covered changes from Result `before` (None: nothing, the
    first build, diffed against an empty document) to Result `after`."""
    x = Expect()
    if side.get("routes"):
        if before is not None and before != after:
            # a first build reports no route changes
            for k in sorted(after - before):
                by = [o for o in sorted(before) if route_fits(k, o)]
                if by:
                    x.notes.append(f"{show_route(k)} added, matched by "
                                   f"{show_route(by[0])}: not a change")
                else:
                    x.add("route-added", "/x-routes", k)
            for k in sorted(before - after):
                by = [n for n in sorted(after) if route_fits(k, n)]
                if by:
                    x.notes.append(f"{show_route(k)} removed, matched by "
                                   f"{show_route(by[0])}: not a change")
                else:
                    x.add("route-removed", "/x-routes", k)
        return x
    dirs = side["dirs"]
    b_shapes = before.shapes if before else {}
    for name, shape in after.shapes.items():
        sup = dirs.get(name) == "superset"
        ptr = f"/$defs/{esc(name)}"
        old = b_shapes.get(name)
        if old is None or old.kind != shape.kind:
            x.add("shape-added", ptr, None, sup)
            if old is not None:
                x.notes.append(f"{name} changed kind {old.kind} -> "
                               f"{shape.kind}")
            continue
        if shape.kind == "enum":
            if old.value is ref.UNKNOWN or shape.value is ref.UNKNOWN:
                if old.value is not shape.value:
                    x.notes.append(f"{name}: enum values unknown on one side"
                                   " (no enum list to compare)")
                continue
            ov = [member_text(v) for v in old.value]
            nv = [member_text(v) for v in shape.value]
            for v in nv:
                if v not in ov:
                    x.add("enum-value-added", ptr + "/enum", v, sup)
            for v in ov:
                if v not in nv:
                    x.add("enum-value-removed", ptr + "/enum", v, sup)
            if [v for v in ov if v in nv] != [v for v in nv if v in ov]:
                x.notes.append(f"{name}: enum values reordered")
            continue
        ov, nv = old.value, shape.value
        for p, req in nv.items():
            pp = f"{ptr}/properties/{esc(p)}"
            if p not in ov:
                x.add("required-property-added" if req else
                      "property-added", pp, p, sup)
            elif ov[p] != req:
                x.add("property-became-required" if req else
                      "property-became-optional", pp, p, sup)
        for p in ov:
            if p not in nv:
                x.add("property-removed", f"{ptr}/properties/{esc(p)}", p,
                      sup)
        common = [p for p in nv if p in ov]
        if [p for p in ov if p in nv] != common:
            x.notes.append(f"{name}: properties reordered")
    for name, shape in b_shapes.items():
        if name not in after.shapes:
            x.add("shape-removed", f"/$defs/{esc(name)}", None,
                  dirs.get(name) == "superset")
    b_lists = before.lists if before else None
    if b_lists is not None:  # a first build reports no list changes
        for name, items in after.lists.items():
            ptr = f"/x-lists/{esc(name)}"
            old = b_lists.get(name)
            if old is None:
                x.add("list-added", ptr, None)
                continue
            oi = [member_text(v) for v in old]
            ni = [member_text(v) for v in items]
            for v in ni:
                if v not in oi:
                    x.add("list-item-added", ptr, v)
            for v in oi:
                if v not in ni:
                    x.add("list-item-removed", ptr, v)
            a = [v for v in oi if v in ni]
            b = [v for v in ni if v in oi]
            n = len(a) - lcs_len(a, b)
            if n:
                x.moved[ptr] = (n, set(a))
        for name in b_lists:
            if name not in after.lists:
                x.add("list-removed", f"/x-lists/{esc(name)}", None)
    if before is not None and before.events is not None and \
            after.events is not None:
        for v in sorted(after.events - before.events):
            if side["more_events"]:
                x.maybe_events.add(("event-added", v))
            else:
                x.add("event-added", "/x-events", v)
        for v in sorted(before.events - after.events):
            if side["more_events"]:
                x.maybe_events.add(("event-removed", v))
            else:
                x.add("event-removed", "/x-events", v)
    return x


def covered(side, ch, before, after):
    """Whether the reference speaks of tool change `ch` (a dict), given the
    reference states before (None on a first entry) and after."""
    kind, ptr = ch.get("kind", ""), ch.get("pointer", "")
    if side.get("routes"):
        return ptr == "/x-routes" and kind in ("route-added",
                                               "route-removed")
    parts = [unesc(p) for p in ptr.split("/")[1:]]
    if parts[:1] == ["$defs"] and len(parts) >= 2:
        if len(parts) == 2:
            return kind in ("shape-added", "shape-removed")
        if len(parts) == 3 and parts[2] == "enum":
            return kind.startswith("enum-value-")
        if len(parts) == 4 and parts[2] == "properties":
            return kind in PROPERTY_KINDS
        return False
    if parts[:1] == ["x-lists"]:
        return kind.startswith("list-")
    if parts == ["x-events"] and kind in ("event-added", "event-removed"):
        if not side["more_events"]:
            return True
        # python-calls feeds the same list: the reference speaks of the
        # enum's values only
        v = ch.get("member")
        known = (after.events or set()) | ((before.events or set())
                                           if before else set())
        return v in known
    return False


# ------------------------------------------------------------ self-test --

def self_test():
    """expect() and covered() on hand-made reference results."""
    failures = []

    def check(name, got, want):
        if got != want:
            failures.append(f"{name}: got {got!r}, want {want!r}")

    def res(shapes=None, lists=None, events=None):
        r = ref.Result()
        r.shapes = {k: ref.Shape(*v) for k, v in (shapes or {}).items()}
        r.lists, r.events = dict(lists or {}), events
        return r

    side = {"dirs": {"E": "superset"}, "more_events": False}
    a = res({"M": ("model", {"a": True, "b": False, "c": True}),
             "E": ("enum", ["x", "y"]), "F": ("enum", [1, 2]),
             "G": ("enum", ref.UNKNOWN), "Gone": ("model", {})},
            {"l": ["p", "q", "r", "s"]}, {"e1", "e2"})
    b = res({"M": ("model", {"b": True, "c": False, "d": False,
                             "e": True}),
             "E": ("enum", ["y", "x", "z"]), "F": ("enum", [2]),
             "G": ("enum", ["g"]), "New": ("model", {"n": True})},
            {"l": ["q", "p", "t", "r"]}, {"e2", "e3"})
    x = expect(side, a, b)
    check("changes", x.changes, {
        ("property-became-required", "/$defs/M/properties/b", "b"):
            "breaking",
        ("property-became-optional", "/$defs/M/properties/c", "c"):
            "warning",
        ("property-added", "/$defs/M/properties/d", "d"): "info",
        ("required-property-added", "/$defs/M/properties/e", "e"):
            "warning",
        ("property-removed", "/$defs/M/properties/a", "a"): "breaking",
        ("enum-value-added", "/$defs/E/enum", "z"): "info",
        ("enum-value-removed", "/$defs/F/enum", "1"): "breaking",
        ("shape-added", "/$defs/New", None): "info",
        ("shape-removed", "/$defs/Gone", None): "breaking",
        ("list-item-added", "/x-lists/l", "t"): "breaking",
        ("list-item-removed", "/x-lists/l", "s"): "breaking",
        ("event-added", "/x-events", "e3"): "breaking",
        ("event-removed", "/x-events", "e1"): "breaking"})
    check("moved", x.moved, {"/x-lists/l": (1, {"p", "q", "r"})})
    check("notes", sorted(x.notes), [
        "E: enum values reordered",
        "G: enum values unknown on one side (no enum list to compare)"])
    check("first", sorted(expect(side, None, b).changes), sorted(
        (k, f"/$defs/{n}", None) for k, n in
        [("shape-added", n) for n in ("E", "F", "G", "M", "New")]))
    check("same", expect(side, a, a).empty(), True)
    calls = {"dirs": {}, "more_events": True}
    x = expect(calls, a, b)
    check("events with calls", (x.maybe_events, [k for k in x.changes if
                                                  k[1] == "/x-events"]),
          ({("event-added", "e3"), ("event-removed", "e1")}, []))
    check("covered", [covered(calls, {"kind": k, "pointer": p,
                                      "member": m}, a, b) for k, p, m in [
        ("event-added", "/x-events", "e3"),
        ("event-added", "/x-events", "from_calls"),
        ("type-changed", "/$defs/M/properties/b", None),
        ("enum-value-added", "/$defs/M/properties/b/enum", "v"),
        ("route-added", "/x-routes", "GET /"),
        ("property-added", "/$defs/M~1N/properties/d", "d"),
        ("list-item-moved", "/x-lists/l", "p")]],
        [True, False, False, False, False, True, True])
    check("route key", [route_key("GET /a/{x}"),
                        route_key("GET / (pkg.mod:router@27)")],
          [("GET", "/a/{x}", ""), ("GET", "/", "pkg.mod@27")])
    check("module tag", [module_tag("p/m.py:3"),
                         module_tag("p/q/__init__.py:9")],
          ["p.m@3", "p.q@9"])
    check("route fits", [route_fits(a, b) for a, b in [
        (("GET", "/p/storage", ""), ("GET", "/p/{top}", "")),
        (("GET", "/p/{top}", ""), ("GET", "/p/storage", "")),
        (("ANY", "/n/", ""), ("GET", "/n", "")),
        (("GET", "/x/a/b", ""), ("GET", "/x/{rest:path}", "")),
        (("GET", "/x", ""), ("GET", "/x/{rest:path}", "")),
        (("POST", "/x", ""), ("GET", "/x", "")),
        (("GET", "/x", "m@1"), ("GET", "/x", "m@2")),
        (("GET", "/x/y", ""), ("GET", "/x", ""))]],
        [True, False, True, True, False, False, False, False])
    routes = {"routes": {"extractor": "fastapi-routes"}, "dirs": {},
              "more_events": False}
    x = expect(routes, {("GET", "/p/{top}", ""), ("GET", "/old", "")},
               {("GET", "/p/{top}", ""), ("GET", "/p/storage", ""),
                ("GET", "/new", "")})
    check("routes", (sorted(x.changes), len(x.notes)), ([
        ("route-added", "/x-routes", ("GET", "/new", "")),
        ("route-removed", "/x-routes", ("GET", "/old", ""))], 1))
    check("lcs", [lcs_len("abcd", "bacd"), lcs_len("", "ab"),
                  lcs_len("abc", "cab")], [3, 0, 2])
    return failures


# ----------------------------------------------------------------- main --

def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Check `contracts log` against the Python ast "
                    "reference over the real pair's history.")
    ap.add_argument("contracts", nargs="?",
                    default=os.path.join(ROOT, "build", "contracts"))
    ap.add_argument("manifest", nargs="?",
                    default=os.path.join(ROOT, "contracts", "manifest.json"))
    ap.add_argument("--side", action="append", default=[], metavar="REPO",
                    help="only this repository's history (repeatable)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="`contracts log` processes at once (default 1)")
    ap.add_argument("--routes", action="store_true",
                    help="check rest-routes too, against rest_reference.py "
                         "(minutes more: it runs at every commit that "
                         "touched a Python file of the side)")
    ap.add_argument("--keep", metavar="DIR",
                    help="write each side's `log` JSON into DIR")
    ap.add_argument("--log-json", action="append", default=[],
                    metavar="REPO=FILE",
                    help="read REPO's `log --format json` from FILE instead "
                         "of running it (to test this script)")
    ap.add_argument("--verbose", action="store_true",
                    help="list every entry and reference change")
    ap.add_argument("--self-test", action="store_true",
                    help="run the reference's and this script's own tests "
                         "and exit")
    ap.add_argument("--quiet", action="store_true",
                    help="counts and summary only, not each disagreement")
    return ap.parse_args(argv)


def run_log(args, repo, repo_args, cache):
    cmd = [args.contracts, "log", "--format", "json", "--side", repo,
           "--manifest", args.manifest, "--quiet"] + repo_args
    env = dict(os.environ, CONTRACTS_CACHE_DIR=cache)
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr.strip(), time.time() - t


def read_log(path):
    with open(path, encoding="utf-8") as f:
        return 0, f.read(), f"(read from {path})", 0.0


class Checker:
    def __init__(self, args, repo, git, commits, sides):
        self.args, self.repo, self.git = args, repo, git
        self.commits = commits
        self.index = {c[0]: i for i, c in enumerate(commits)}
        self.sides = sides  # contract -> side (this repository's)
        self.states = {}  # contract -> [Built]
        self.findings = []  # (commit, date, contract, what, tool, ref)
        self.n = collections.Counter()
        self.skipped = collections.Counter()  # (contract, kind)
        self.notes = collections.Counter()
        self.times = {}
        self.extracts = {}

    def disagree(self, i, contract, what, tool, reference):
        sha, date = (self.commits[i][0], self.commits[i][1]) if \
            isinstance(i, int) else (i, "?")
        self.findings.append((sha, date, contract, what, tool, reference))

    def extract_events(self, contract, sha):
        """x-events of the side at `sha`, by `contracts extract`."""
        key = (contract, sha)
        if key not in self.extracts:
            side = self.sides[contract]
            rc, out, err = hist.extract(self.args, side, self.git.dir, sha)
            self.extracts[key] = set(json.loads(out).get("x-events", [])) \
                if rc == 0 else None
        return self.extracts[key]

    def check(self, doc):
        if doc.get("side") != self.repo:
            self.disagree("-", "-", "side", str(doc.get("side")), self.repo)
        self.n["walked"] = len(self.commits)
        if doc.get("commits") != len(self.commits):
            self.disagree("-", "-", "commits walked", str(doc.get("commits")),
                          f"{len(self.commits)} first-parent commits")
        by_contract = collections.defaultdict(dict)
        for e in doc.get("entries", []):
            c = e.get("contract")
            i = self.index.get(e.get("commit"))
            if i is None:
                self.disagree(e.get("commit", "?"), c, "entry",
                              "an entry", "not a first-parent commit of "
                              + self.repo)
                continue
            if i in by_contract[c]:
                self.disagree(i, c, "entry", "two entries", "one at most")
            by_contract[c][i] = e
            self.check_common(i, e)
        for c, entries in by_contract.items():
            side = self.sides.get(c)
            if side is None:
                self.disagree("-", c, "contract", "entries",
                              f"no side in {self.repo}")
                continue
            if not side["covered"]:
                self.n["entries skipped"] += len(entries)
                for e in entries.values():
                    for ch in e.get("changes", []):
                        self.skipped[(c, ch.get("kind"))] += 1
                continue
        for c, side in sorted(self.sides.items()):
            if side["covered"]:
                self.check_side(c, side, by_contract.get(c, {}))

    def check_common(self, i, e):
        sha = self.commits[i][0]
        if e.get("time") != self.times.get(sha):
            self.disagree(i, e.get("contract"), "time", str(e.get("time")),
                          f"committer time {self.times.get(sha)}")
        t = e.get("time")
        if isinstance(t, int) and e.get("date") != time.strftime(
                "%Y-%m-%d", time.gmtime(t)):
            self.disagree(i, e.get("contract"), "date", str(e.get("date")),
                          f"{time.strftime('%Y-%m-%d', time.gmtime(t))}"
                          " (UTC, from time)")
        fps = [ch.get("fingerprint", "") for ch in e.get("changes", [])]
        bad = [f for f in fps if not HEX16.match(f)]
        if bad or len(set(fps)) != len(fps):
            self.disagree(i, e.get("contract"), "fingerprints",
                          show(fps), "16 hex digits, distinct")
        parents = self.git.run("rev-list", "--parents", "-n", "1",
                               sha).split()[1:]
        for ch in e.get("changes", []):
            by = ch.get("introduced_by")
            if not by:
                continue
            self.n["introduced_by checked"] += 1
            if len(parents) < 2:
                self.disagree(i, e.get("contract"), "introduced_by",
                              by[:12], "not a merge: no introduced_by")
                continue
            on_branch = any(subprocess.run(
                ["git", "-C", self.git.dir, "merge-base", "--is-ancestor",
                 by, p]).returncode == 0 for p in parents[1:])
            on_main = subprocess.run(
                ["git", "-C", self.git.dir, "merge-base", "--is-ancestor",
                 by, parents[0]]).returncode == 0
            if not on_branch or on_main:
                self.disagree(i, e.get("contract"), "introduced_by",
                              f"{by[:12]} for {ch.get('kind')} "
                              f"{ch.get('member')}",
                              "a commit of the merged branch only")

    def check_side(self, c, side, entries):
        states = self.states[c]
        prev = None  # index of the last commit the reference builds
        for i, st in enumerate(states):
            e = entries.get(i)
            if st.missing_blob:
                self.notes[f"{c}: {self.commits[i][0][:10]}: "
                           f"{st.missing_blob}, skipped"] += 1
                if e is not None:
                    self.n["entries skipped (blob missing)"] += 1
                continue
            if not st.ok:
                if e is not None:
                    self.n["entries checked"] += 1
                    self.disagree(i, c, "entry", "an entry (side built)",
                                  f"side not built: {show(st.error, 120)}")
                continue
            before = states[prev].result if prev is not None else None
            self.n["built commits checked"] += 1
            if prev is not None and states[prev] is st:
                x = Expect()  # nothing the side reads changed
            else:
                x = expect(side, before, st.result)
                for note in x.notes:
                    self.notes[f"{c}: {self.commits[i][0][:10]}: {note}"] += 1
                self.n["transitions compared"] += 1
                if not x.empty():
                    self.n["transitions with a change"] += 1
                    if self.args.verbose:
                        print(f"    reference: {self.commits[i][0][:10]} {c}"
                              f"{' (first)' if prev is None else ''}: "
                              f"{len(x.changes)} changes"
                              + (", entry" if e is not None else ""))
            if e is None:
                if prev is None:
                    self.disagree(i, c, "first entry", "none",
                                  "the side builds here first")
                elif not x.empty():
                    missed = self.explain_events(i, prev, c, x, [])
                    if missed:
                        self.disagree(i, c, "missed change", "no entry",
                                      show(missed))
            else:
                self.n["entries checked"] += 1
                self.check_entry(i, prev, c, side, e, x, before, st.result)
            prev = i

    def explain_events(self, i, prev, c, x, reported):
        """The covered changes of `x` the tool must have reported, less the
        events python-calls may explain (checked with `contracts extract`
        at the state before or after). `reported` [(kind, member)]."""
        out = [describe_key(k) for k in x.changes]
        out += [f"{k} ({n}): some of {show(sorted(items), 80)}"
                for k, (n, items) in x.moved.items()]
        for kind, v in sorted(x.maybe_events):
            if (kind, v) in reported:
                continue
            self.n["events checked with extract"] += 1
            sha = self.commits[prev if kind == "event-added" else i][0]
            got = self.extract_events(c, sha)
            if got is None or v not in got:
                why = "not extracted" if got is None else "lacks it"
                out.append(f"{kind} {v} (x-events at {sha[:10]}: {why})")
        return out

    def check_entry(self, i, prev, c, side, e, x, before, after):
        self.n["first entries checked"] += bool(e.get("first"))
        if bool(e.get("first")) != (prev is None):
            self.disagree(i, c, "first", str(bool(e.get("first"))),
                          "first build" if prev is None else
                          f"built before at {self.commits[prev][0][:10]}")
        if e.get("first") and side.get("routes"):
            if e.get("elements") != len(after):
                self.disagree(i, c, "elements", str(e.get("elements")),
                              f"{len(after)} routes")
        elif e.get("first") and not side["more_events"]:
            want = len(after.shapes) + len(after.lists) + \
                len(after.events or ())
            if e.get("elements") != want:
                self.disagree(i, c, "elements", str(e.get("elements")),
                              f"{want} ({len(after.shapes)} shapes, "
                              f"{len(after.lists)} lists, "
                              f"{len(after.events or ())} events)")
        got, moved, reported = {}, collections.defaultdict(list), []
        for ch in e.get("changes", []):
            if not covered(side, ch, before, after):
                self.skipped[(c, ch.get("kind"))] += 1
                continue
            self.n["changes checked"] += 1
            kind, ptr = ch.get("kind"), ch.get("pointer")
            member = ch.get("member") if kind not in (
                "shape-added", "shape-removed", "list-added",
                "list-removed") else None
            if kind.startswith("route-"):
                member = route_key(member)
            if kind == "list-item-moved":
                moved[ptr].append((member, ch.get("severity")))
                continue
            if side["more_events"] and kind.startswith("event-"):
                reported.append((kind, member))
                if (kind, member) in x.maybe_events:
                    want = SEVERITY[kind][0]
                    if ch.get("severity") != want:
                        self.disagree(i, c, f"{kind} {member}",
                                      f"severity {ch.get('severity')}",
                                      f"severity {want}")
                    continue
                self.disagree(i, c, f"{kind} {member}", "reported",
                              "the enum's values did not change so")
                continue
            got[(kind, ptr, member)] = ch.get("severity")
            if ch.get("subject") is not None and ptr.startswith("/$defs/"):
                name = unesc(ptr.split("/")[2])
                if ch["subject"] != name:
                    self.disagree(i, c, f"{kind} {member}",
                                  f"subject {ch['subject']}",
                                  f"subject {name}")
        for k, sev in sorted(got.items(), key=str):
            if k not in x.changes:
                self.disagree(i, c, describe_key(k), "reported",
                              "no such change")
            elif sev != x.changes[k]:
                self.disagree(i, c, describe_key(k), f"severity {sev}",
                              f"severity {x.changes[k]}")
        for k in sorted(x.changes, key=str):
            if k not in got:
                self.disagree(i, c, describe_key(k), "not reported",
                              "changed")
        for ptr in sorted(set(moved) | set(x.moved)):
            n, items = x.moved.get(ptr, (0, set()))
            ms = moved.get(ptr, [])
            wrong = [m for m, _ in ms if m not in items]
            if len(ms) != n or wrong or any(s != "breaking" for _, s in ms):
                self.disagree(i, c, f"list-item-moved {ptr}",
                              show([f"{m} ({s})" for m, s in ms]),
                              f"{n} of {show(sorted(items), 80)} (breaking)")
        ev = Expect()
        ev.maybe_events = x.maybe_events
        missed = self.explain_events(i, prev, c, ev, reported)
        for m in missed:
            self.disagree(i, c, m, "not reported", "changed")


def show(v, limit=200):
    s = v if isinstance(v, str) else json.dumps(v)
    return s if len(s) <= limit else s[:limit - 3] + "..."


def describe_key(k):
    kind, ptr, member = k
    if isinstance(member, tuple):  # a route key
        member = show_route(member)
    return f"{kind} {ptr}" + (f" {member}" if member is not None else "")


def main(argv):
    args = parse_args(argv)
    print(f"python {sys.version.split()[0]} ({sys.executable})")
    if sys.version_info < (3, 12):
        hist.skip("the reference needs Python 3.12 or newer")
    if args.self_test:
        failures = ref.self_test() + self_test()
        for f in failures:
            print("FAIL", f)
        print(f"self-test: {'failed' if failures else 'ok'}")
        return 1 if failures else 0
    for role, var in hist.ENV.items():
        d = os.environ.get(var)
        if not d:
            hist.skip(f"{var} is not set (the {role}'s bare git directory)")
        bare = subprocess.run(["git", "-C", d, "rev-parse",
                               "--is-bare-repository"], capture_output=True,
                              text=True).stdout.strip()
        if bare != "true":
            hist.skip(f"{var}={d} is not a bare git directory")
    if not os.access(args.contracts, os.X_OK):
        print(f"check_log: no binary '{args.contracts}'", file=sys.stderr)
        return 2
    failures = ref.self_test() + self_test()
    if failures:
        for f in failures:
            print("self-test FAIL", f)
        return 1
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    print(f"contracts {args.contracts}\nmanifest {args.manifest}")
    started = time.time()

    gits, repo_args = {}, []
    for name, r in manifest["repositories"].items():
        var = hist.ENV.get(r.get("role"))
        if var:
            gits[name] = hist.Git(os.environ[var])
            repo_args += ["--repo",
                          f"{name}={os.environ[var]}@{r.get('ref', 'main')}"]
    repos = args.side or list(gits)
    for r in repos:
        if r not in gits:
            print(f"check_log: no repository '{r}' with a role",
                  file=sys.stderr)
            return 2
    all_sides = log_sides(manifest, routes=args.routes)

    # the tool, in the background while the reference walks
    cache = tempfile.mkdtemp(prefix="contracts-real-log-")
    atexit.register(shutil.rmtree, cache, True)  # however this ends
    os.environ["CONTRACTS_CACHE_DIR"] = cache  # `log` and `extract` alike
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    given = dict(spec.split("=", 1) for spec in args.log_json)
    runs = {r: pool.submit(read_log, given[r]) if r in given else
            pool.submit(run_log, args, r, repo_args, cache) for r in repos}

    checkers = []
    facts_cache, parse_cache = {}, {}
    for r in repos:
        git = gits[r]
        commits = git.first_parent(manifest["repositories"][r].get(
            "ref", "main"))
        sides = {c: s for (repo, c), s in all_sides.items() if repo == r}
        ck = Checker(args, r, git, commits, sides)
        for line in git.run("log", "--first-parent", "--format=%H %ct",
                            manifest["repositories"][r].get("ref", "main")
                            ).split("\n"):
            if line:
                sha, t = line.split()
                ck.times[sha] = int(t)
        for c, s in sides.items():
            if s["covered"]:
                ck.states[c] = walk_routes(git, commits, s, facts_cache) \
                    if s["routes"] else walk_side(git, commits, s,
                                                  facts_cache, parse_cache)
        checkers.append(ck)
    ref_time = time.time() - started

    ok = True
    for ck in checkers:
        rc, out, err, took = runs[ck.repo].result()
        print(f"\n{ck.repo}: contracts log: exit {rc}, {took:.0f}s"
              + (f": {show(err)}" if err else ""))
        if rc != 0:
            ck.disagree("-", "-", "log", f"exit {rc}", "exit 0")
            ok = False
            continue
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            with open(os.path.join(args.keep, ck.repo + ".json"), "w") as f:
                f.write(out)
        doc = json.loads(out)
        ck.check(doc)
        entries = doc.get("entries", [])
        per = collections.Counter(e["contract"] for e in entries)
        print(f"  {ck.n['walked']} commits walked; {len(entries)} entries "
              f"({', '.join(f'{k} {v}' for k, v in sorted(per.items()))}); "
              f"{doc.get('failures', 0)} extractions not built")
        unbuilt = sum(1 for c, s in ck.sides.items() if s["covered"]
                      for st in ck.states[c] if not st.ok)
        print(f"  extractions not built: {unbuilt} on the sides checked "
              f"(reference), {doc.get('failures', 0) - unbuilt} on the "
              f"others")
        if doc.get("failures", 0) < unbuilt:
            ck.disagree("-", "-", "failures", str(doc.get("failures")),
                        f"at least {unbuilt}")
        for c, s in sorted(ck.sides.items()):
            if s["covered"]:
                built = sum(1 for st in ck.states[c] if st.ok)
                print(f"  {c}: checked (reference"
                      + (" rest_reference.py" if s["routes"] else "")
                      + f" builds it at {built} of {len(ck.commits)} commits"
                      + (f"; events partly: python-calls feeds them"
                         if s["more_events"] else "") + ")")
            else:
                print(f"  {c}: skipped ({', '.join(s['others'])}: not "
                      f"covered by reference.py"
                      + ("; --routes checks them against rest_reference.py"
                         if any(x in ROUTE_READERS for x in s["others"])
                         else "") + f"), {per.get(c, 0)} entries")
        if args.verbose:
            for e in entries:
                print(f"    {e['commit'][:10]} {e.get('date', '')} "
                      f"{e['contract']}{' first' if e.get('first') else ''}: "
                      f"{len(e.get('changes', []))} changes")
        print("  checked: " + ", ".join(f"{k} {v}" for k, v in
                                        sorted(ck.n.items())))
        if ck.skipped:
            print("  changes skipped (not covered): " + ", ".join(
                f"{c} {k} {v}" for (c, k), v in sorted(ck.skipped.items())))
        for note, v in sorted(ck.notes.items()):
            print(f"  note: {note}" + (f" ({v} times)" if v > 1 else ""))
    pool.shutdown()
    for g in gits.values():
        g.close()

    findings = [(ck.repo,) + f for ck in checkers for f in ck.findings]
    if findings and not args.quiet:
        print("\ndisagreements (commit, contract, change: contracts says | "
              "reference says):")
        for repo, sha, date, c, what, tool, reference in findings:
            print(f"  {repo}@{sha[:10]} {date} {c} {what}: contracts {tool}"
                  f" | reference {reference}")
    entries = sum(ck.n["entries checked"] for ck in checkers)
    walked = sum(ck.n["walked"] for ck in checkers)
    skipped = sum(ck.n["entries skipped"] for ck in checkers)
    verdict = "FAIL" if findings or not ok else "ok"
    print(f"\nreal_log: {verdict}: {walked} commits walked, {entries} "
          f"entries checked ({sum(ck.n['changes checked'] for ck in checkers)}"
          f" changes), {sum(ck.n['transitions compared'] for ck in checkers)}"
          f" reference transitions compared, {skipped} entries skipped "
          f"(not covered), {len(findings)} disagreements "
          f"(reference {ref_time:.0f}s, {time.time() - started:.0f}s in all)")
    return 1 if verdict == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
