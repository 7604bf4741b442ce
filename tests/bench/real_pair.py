#!/usr/bin/env python3
"""Benchmark: `contracts diff` of the shipped manifest on the real pair at
HEAD (local repositories), against a Python script that only parses the
same .py files with `ast` (Python 3.12 or newer, the version the pair
needs). Figures (issue 8): peak memory below Python's; wall time printed
beside it. Each command runs RUNS times, in turn; medians are printed.

Usage: tests/bench/real_pair.py [path/to/contracts] [RUNS]
Needs CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER (bare git
directories of proxbox-api and netbox-proxbox); skipped without them.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_READERS = {"python-enum", "python-model", "python-literal", "python-calls",
                  "fastapi-routes", "http-calls"}


def glob_re(glob):
    out, i = "", 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif glob.startswith("**", i):
            out, i = out + ".*", i + 2
        elif glob[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif glob[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(glob[i]), i + 1
    return re.compile(out + r"\Z")


def files_read(manifest, repos):
    """The .py files the manifest's Python readers match, per repository."""
    m = json.load(open(manifest))
    want = {}
    for c in m["contracts"].values():
        for s in c["sources"]:
            if s["extractor"] not in PYTHON_READERS or "paths" not in s:
                continue
            tree = subprocess.run(["git", "-C", repos[s["repo"]], "ls-tree", "-r", "--name-only", "HEAD"],
                                  capture_output=True, text=True, check=True).stdout.split("\n")
            inc = [glob_re(g) for g in s["paths"]]
            exc = [glob_re(g) for g in s.get("exclude", [])]
            for path in tree:
                if any(r.match(path) for r in inc) and not any(r.match(path) for r in exc):
                    want.setdefault(s["repo"], set()).add(path)
    return want


def baseline(listing):
    """Run by the newer Python: parse each listed blob, keep nothing. Blobs
    come from one `git cat-file --batch` per repository."""
    import ast
    byrepo = {}
    for line in open(listing):
        repo, path = line.rstrip("\n").split("\t")
        byrepo.setdefault(repo, []).append(path)
    for repo, paths in byrepo.items():
        p = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for path in paths:
            p.stdin.write(f"HEAD:{path}\n".encode())
            p.stdin.flush()
            size = int(p.stdout.readline().split()[2])
            blob = p.stdout.read(size)
            p.stdout.read(1)
            ast.parse(blob, path)
        p.stdin.close()
        p.wait()


def run(argv, env=None):
    import time
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def newer_python():
    """A Python 3.12 or newer: python3.13 or python3.12 on PATH, or a pyenv
    version; (version, [argv0])."""
    import glob
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    cands = [c for v in ("3.13", "3.12") for c in
             [shutil.which("python" + v)] + sorted(glob.glob(f"{root}/versions/{v}*/bin/python3"))]
    for c in cands:
        if c and subprocess.run([c, "-c", "import sys; assert sys.version_info >= (3, 12)"],
                                capture_output=True).returncode == 0:
            v = subprocess.run([c, "-c", "import platform; print(platform.python_version())"],
                               capture_output=True, text=True).stdout.strip()
            return v, c
    return None


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--baseline":
        baseline(sys.argv[2])
        return 0
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    prov, cons = os.environ.get("CONTRACTS_REAL_PROVIDER"), os.environ.get("CONTRACTS_REAL_CONSUMER")
    if not prov or not cons:
        print("skipped: CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER name the real pair")
        return 77
    py = newer_python()
    if not py:
        print("skipped: no Python 3.12 or newer to run the baseline")
        return 77
    manifest = os.path.join(ROOT, "contracts", "manifest.json")
    repos = {"proxbox-api": prov, "netbox-proxbox": cons}
    want = files_read(manifest, repos)
    listing = os.path.join(os.environ.get("TMPDIR", "/tmp"), "ct-real-pair-files.txt")
    with open(listing, "w") as f:
        for repo, paths in sorted(want.items()):
            for p in sorted(paths):
                f.write(f"{repos[repo]}\t{p}\n")
    nfiles = sum(len(v) for v in want.values())
    ours = [binary, "diff", "--manifest", manifest, "--quiet",
            "--repo", f"proxbox-api={prov}@main", "--repo", f"netbox-proxbox={cons}@main"]
    theirs = [py[1], os.path.abspath(__file__), "--baseline", listing]
    a, b = [], []
    run(ours), run(theirs)  # warm-up
    for _ in range(runs):
        a.append(run(ours))
        b.append(run(theirs))
    codes = sorted({r[2] for r in a})
    wall_a, mem_a = statistics.median(r[0] for r in a), statistics.median(r[1] for r in a)
    wall_b, mem_b = statistics.median(r[0] for r in b), statistics.median(r[1] for r in b)
    print(f"real pair at HEAD: the shipped manifest's Python readers match {nfiles} .py files; "
          f"{runs} runs each, medians (contracts exit codes {codes})")
    print(f"{'':34} {'wall s':>8} {'peak MB':>8}")
    print(f"{'contracts diff':34} {wall_a:8.3f} {mem_a:8.1f}")
    print(f"{'python ' + py[0] + ' ast.parse, same files':34} {wall_b:8.3f} {mem_b:8.1f}")
    print(f"ratio contracts/python: wall {wall_a / wall_b:.2f}x, peak memory {mem_a / mem_b:.2f}x "
          f"(target: peak memory below Python's: {'met' if mem_a < mem_b else 'NOT met'})")
    os.unlink(listing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
