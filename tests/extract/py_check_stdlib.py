#!/usr/bin/env python3
"""Differential test: `contracts py check` accepts exactly the files that
Python 3.13's parser accepts (ast.parse(src, path), which is compile()
short of its later passes: those refuse a misplaced `from __future__`
import, `return` outside a function and the like, which are no syntax and
which the parser does not look for), over the standard library of each
Python 3.11, 3.12 and 3.13 found.

Usage: py_check_stdlib.py CONTRACTS_BINARY [DIR]

The parser follows one grammar, the newest (3.13, which takes in what 3.11
and 3.12 accept). So every standard library is judged by the 3.13
interpreter: the older libraries add files written for older grammars (and
their test files of bad syntax), and the verdict that counts for them is
still 3.13's. Without a Python 3.13 the test is skipped (77); a missing
3.11 or 3.12 only removes its library, and the test says which it read.
With DIR, only the .py files under DIR are read.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pythons  # noqa: E402

JUDGE = r'''
import ast, sys, warnings
from concurrent.futures import ProcessPoolExecutor
def verdict(path):
    warnings.simplefilter("ignore")
    try:
        with open(path, "rb") as f:
            ast.parse(f.read(), path)
        return "ok"
    except (SyntaxError, ValueError, UnicodeDecodeError) as e:
        return "no " + type(e).__name__ + ": " + str(e).replace("\n", " ")
if __name__ == "__main__":
    files = sys.stdin.read().splitlines()
    with ProcessPoolExecutor() as pool:
        for f, v in zip(files, pool.map(verdict, files, chunksize=32)):
            print(v)
'''


def py_files(root):
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    return files


def judge(cmd, env, files):
    r = subprocess.run(cmd + ["-c", JUDGE], input="\n".join(files), capture_output=True,
                       text=True, env=env)
    out = r.stdout.splitlines()
    if r.returncode != 0 or len(out) != len(files):
        sys.exit(f"py-check: the 3.13 judge failed: {r.stderr[-2000:]}")
    return dict(zip(files, out))


def ours(binary, paths):
    r = subprocess.run([binary, "py", "check", "--keep-going", *paths], capture_output=True)
    errs = [e[len("contracts: "):] for e in r.stderr.decode("utf-8", "replace").splitlines()]
    result, ei = {}, 0
    for p in paths:
        if ei < len(errs) and errs[ei].startswith(p + ":"):
            result[p] = "no " + errs[ei]
            ei += 1
        else:
            result[p] = "ok"
    return result


def main():
    binary = sys.argv[1]
    installed = pythons.pyenv_versions()
    judge13 = pythons.find("3.13", installed)
    if not judge13:
        print("py-check: skipped: no Python 3.13 to judge with")
        return 77
    roots, skipped = [], []
    if len(sys.argv) > 2:
        roots.append(("given", sys.argv[2]))
    else:
        for v in pythons.VERSIONS:
            py = pythons.find(v, installed)
            if not py:
                skipped.append(v)
                continue
            r = subprocess.run(py[1] + ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                               capture_output=True, text=True, env=py[2])
            roots.append((v, r.stdout.strip()))
    bad = 0
    for v, root in roots:
        files = py_files(root)
        want = judge(judge13[1], judge13[2], files)
        got = {}
        size = 200
        for i in range(0, len(files), size):
            got.update(ours(binary, files[i:i + size]))
        problems = [f for f in files if (want[f] == "ok") != (got[f] == "ok")]
        for f in problems[:20]:
            print(f"{f}:\n  python 3.13: {want[f]}\n  contracts:   {got[f]}")
        refused = sum(1 for f in files if want[f] != "ok")
        print(f"py-check {v} library ({root}): {len(files)} files ({refused} that 3.13 "
              f"refuses), {len(files) - len(problems)} agree, {len(problems)} differ")
        bad += len(problems)
    print(f"judged by {judge13[0]}; libraries read: {', '.join(v for v, _ in roots) or 'none'}; "
          f"skipped: {', '.join(skipped) or 'none'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
