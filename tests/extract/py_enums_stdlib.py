#!/usr/bin/env python3
"""Differential test: for every string-valued enum class in this Python's
standard library, `contracts py enums FILE` must list the values that
Python's own `ast` module finds, in the same order.

Usage: py_enums_stdlib.py CONTRACTS_BINARY [DIR]
The reference rules are python-enum's (docs/py.md): classes deriving from
Enum, StrEnum, IntEnum, Flag, IntFlag, or an enum class of the same file;
members are single-name assignments with a value, not _sunder_, __dunder__,
private or listed in _ignore_; a value seen twice is kept once.
"""
import ast
import json
import os
import subprocess
import sys
import sysconfig
import warnings
from concurrent.futures import ThreadPoolExecutor

ENUM_BASES = {"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"}


def base_name(node):
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def classes(body):
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield node
            yield from classes(node.body)
        elif isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try,
                               ast.AsyncFor, ast.AsyncWith)):
            for field in ("body", "orelse", "finalbody"):
                yield from classes(getattr(node, field, []))
            for h in getattr(node, "handlers", []):
                yield from classes(h.body)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield from classes(case.body)


def ignored_names(cls):
    for node in cls.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "_ignore_"):
            try:
                v = ast.literal_eval(node.value)
            except ValueError:
                return set()
            if isinstance(v, str):
                return set(v.replace(",", " ").split())
            return set(v)
    return set()


def string_enums(tree):
    """{class name: [values]} for enums whose values are all strings or
    all integers (the string-valued ones are what the issue asks for)."""
    found = list(classes(tree.body))
    by_name = {}
    for c in found:
        by_name.setdefault(c.name, []).append(c)

    def is_enum(c, depth=0):
        if depth > 32:
            return False
        for b in c.bases:
            n = base_name(b)
            if n in ENUM_BASES:
                return True
            parent = by_name.get(n, [None])[0]
            if parent is not None and parent is not c and is_enum(parent, depth + 1):
                return True
        return False

    out = {}
    for c in found:
        if len(by_name[c.name]) != 1 or not is_enum(c):
            continue
        skip = ignored_names(c)
        values, ok = [], True
        for node in c.body:
            if isinstance(node, ast.Assign):
                if len(node.targets) != 1:
                    continue
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            if (len(name) > 1 and name[0] == "_" and name[-1] == "_") or \
                    name.startswith("__") or name in skip:
                continue
            try:
                v = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                ok = False
                break
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                ok = False
                break
            if v not in values:
                values.append(v)
        if ok and values and len({type(v) for v in values}) == 1:
            out[c.name] = values
    return out


def check(binary, path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(open(path, "rb").read())
    except (SyntaxError, ValueError):
        return 0, None
    want = string_enums(tree)
    if not want:
        return 0, None
    r = subprocess.run([binary, "py", "enums", path], capture_output=True)
    if r.returncode != 0:
        return len(want), f"{path}: contracts failed: {r.stderr.decode(errors='replace').strip()}"
    defs = json.loads(r.stdout)["$defs"]
    for name, values in want.items():
        got = defs.get(name, {}).get("enum")
        if got != values:
            return len(want), f"{path}: {name}: python {values}, contracts {got}"
    return len(want), None


def main():
    if sys.version_info[:2] != (3, 11):
        print(f"py-enums: skipped: python3 is {sys.version.split()[0]}, not 3.11")
        return 77
    binary = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda f: check(binary, f), files))
    enums = sum(n for n, _ in results)
    problems = [p for _, p in results if p]
    for p in problems[:20]:
        print(p)
    print(f"py-enums ({enums} string- or int-valued enums in {len(files)} files): "
          f"{len(files) - len(problems)} passed, {len(problems)} failed")
    return 1 if problems or not enums else 0


if __name__ == "__main__":
    sys.exit(main())
