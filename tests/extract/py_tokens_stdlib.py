#!/usr/bin/env python3
"""Differential test: `contracts py tokens FILE` must print exactly what
`python3 -m tokenize FILE` prints, for every .py file of this Python's
standard library, and fail exactly where it fails.

Usage: py_tokens_stdlib.py CONTRACTS_BINARY [DIR]
Python's side runs in this process (the same code as tokenize's main()),
so the test costs one Python start, not one per file.
"""
import io
import os
import subprocess
import sys
import sysconfig
import tokenize
from concurrent.futures import ThreadPoolExecutor
from token import tok_name


def python_tokens(path):
    """Returns (ok, text) as `python3 -m tokenize path` would print."""
    out = io.StringIO()
    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(f.readline))
        for t in tokens:
            rng = "%d,%d-%d,%d:" % (t.start + t.end)
            out.write("%-20s%-15s%-15r\n" % (rng, tok_name[t.type], t.string))
        return True, out.getvalue()
    except Exception as e:  # tokenize's main() turns every error into exit 1
        return False, repr(e)


def ours(binary, path):
    r = subprocess.run([binary, "py", "tokens", path], capture_output=True)
    return r.returncode, r.stdout.decode("utf-8", "surrogateescape"), r.stderr


def check(binary, path):
    ok, want = python_tokens(path)
    code, got, err = ours(binary, path)
    if ok and code == 0 and got == want:
        return None
    if not ok and code == 2 and got == "":
        return None
    if ok and code != 0:
        return f"{path}: python tokenizes it, contracts failed: {err.decode(errors='replace').strip()}"
    if not ok:
        return f"{path}: python failed ({want}), contracts exit {code}"
    w, g = want.splitlines(), got.splitlines()
    for i, (a, b) in enumerate(zip(w, g)):
        if a != b:
            return f"{path}: line {i + 1} differs\n  python:    {a}\n  contracts: {b}"
    return f"{path}: {len(w)} lines from python, {len(g)} from contracts"


def main():
    if sys.version_info[:2] != (3, 11):
        print(f"py-tokens: skipped: python3 is {sys.version.split()[0]}, "
              "and contracts mirrors the tokenize module of 3.11")
        return 77
    binary = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    if not files:
        print(f"py-tokens: no .py files under {root}")
        return 1
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        problems = [p for p in pool.map(lambda f: check(binary, f), files) if p]
    for p in problems[:20]:
        print(p)
    passed = len(files) - len(problems)
    print(f"py-tokens ({root}): {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
