#!/usr/bin/env python3
"""Differential test: `contracts py tokens --python X.Y FILE` must print
exactly what `python3 -m tokenize FILE` prints with this Python X.Y, for
every .py file of this Python's standard library (or of DIR), and fail
exactly where it fails, with the same message at the same place.

Usage: py_tokens_stdlib.py CONTRACTS_BINARY [DIR]
Run it with the interpreter to compare against (tests/extract/pythons.py
runs it once for each Python found). Python's side runs in this process
and a few workers (the same code as tokenize's main()); contracts reads
many files per process, so the test costs a few process starts, not one
per file.
"""
import io
import os
import subprocess
import sys
import sysconfig
import tokenize
from concurrent.futures import ProcessPoolExecutor
from token import tok_name

VERSION = "%d.%d" % sys.version_info[:2]


def python_tokens(path):
    """(ok, text): what `python3 -m tokenize path` prints on stdout, or
    its error line (without the 'error: ' tokenize puts there)."""
    out = io.StringIO()
    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(f.readline))
        for t in tokens:
            rng = "%d,%d-%d,%d:" % (t.start + t.end)
            out.write("%-20s%-15s%-15r\n" % (rng, tok_name[t.type], t.string))
        return True, out.getvalue()
    except IndentationError as e:  # as tokenize's main()
        return False, where(path, e.args[1][1:3], e.args[0])
    except tokenize.TokenError as e:
        return False, where(path, e.args[1], e.args[0])
    except Exception as e:  # SyntaxError without a place, decoding errors
        return False, "%s: %r" % (path, e)


def where(path, loc, msg):
    line, col = loc
    # contracts prints no column 0 (unknown) and Python's columns here
    # count from 0 or 1 depending on the error; both print the number
    if col:
        return "%s:%d:%d: %s" % (path, line, col, msg)
    return "%s:%d: %s" % (path, line, msg)


def ours(binary, paths):
    """{path: (ok, stdout text or error line)} from one contracts run."""
    r = subprocess.run([binary, "py", "tokens", "--python", VERSION,
                        "--keep-going", *paths], capture_output=True)
    out = r.stdout.decode("utf-8", "surrogateescape")
    errs = [e[len("contracts: "):] for e in
            r.stderr.decode("utf-8", "replace").splitlines()]
    chunks = out.split("0,0-0,0:            ENCODING")[1:]
    result, ei, ci = {}, 0, 0
    for p in paths:
        if ei < len(errs) and errs[ei].startswith(p + ":"):
            result[p] = (False, errs[ei])
            ei += 1
        elif ci < len(chunks):
            result[p] = (True, "0,0-0,0:            ENCODING" + chunks[ci])
            ci += 1
        else:
            result[p] = (False, "(no output)")
    return result


def compare(path, want, got):
    (wok, w), (gok, g) = want, got
    if wok and gok and w == g:
        return None
    if not wok and not gok:
        if " error: " not in w and ": " in w and w.split(": ", 1)[1].startswith(
                ("SyntaxError", "UnicodeDecodeError", "LookupError")):
            return None  # no place to compare: the encoding was refused
        if w == g:
            return None
        return f"{path}: both fail, differently\n  python:    {w}\n  contracts: {g}"
    if wok:
        return f"{path}: python tokenizes it, contracts failed: {g}"
    if not gok or not wok:
        return f"{path}: python failed ({w}), contracts did not"
    return None


def first_difference(path, w, g):
    wl, gl = w.splitlines(), g.splitlines()
    for i, (a, b) in enumerate(zip(wl, gl)):
        if a != b:
            return f"{path}: line {i + 1} differs\n  python:    {a}\n  contracts: {b}"
    return f"{path}: {len(wl)} lines from python, {len(gl)} from contracts"


def main():
    binary = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    if not files:
        print(f"py-tokens {VERSION}: no .py files under {root}")
        return 1
    jobs = os.cpu_count() or 2
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        want = dict(zip(files, pool.map(python_tokens, files, chunksize=32)))
    got = {}
    size = max(1, len(files) // (jobs * 4))
    batches = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(ours, [binary] * len(batches), batches):
            got.update(part)
    problems = []
    for f in files:
        p = compare(f, want[f], got[f])
        if p and want[f][0] and got[f][0]:
            p = first_difference(f, want[f][1], got[f][1])
        if p:
            problems.append(p)
    for p in problems[:20]:
        print(p)
    failed = sum(1 for f in files if not want[f][0])
    print(f"py-tokens {VERSION} ({root}): {len(files)} files "
          f"({failed} that tokenize refuses), {len(files) - len(problems)} agree, "
          f"{len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
