#!/usr/bin/env python3
"""Benchmark (issue 12): the cache, `contracts log` and `log --pair` on the
real pair (local repositories), each beside its baseline in one run:

  diff, warm (cache filled, nothing changed)   vs  diff without the cache
  diff, cold (an empty cache each run)         vs  diff without the cache
  log of the provider, cold                    vs  Python: every distinct .py
                                                   blob of the provider's
                                                   history read once through
                                                   one `git cat-file --batch`
                                                   and parsed with `ast`
  log of the provider, warm                    vs  the same
  log --pair, cold and warm                    vs  the same baseline, both
                                                   repositories

Figures named by the issue: warm diff < 20 ms and 12 MB; cold diff < 150 ms
and 40 MB; log cold < 0.5 s and >= 30x the baseline; log --pair < 1.5 s cold,
0.2 s warm. Medians of RUNS runs (commands in turn); peak memory of the
process.

Usage: tests/bench/history.py [path/to/contracts] [RUNS]
Needs CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER; skipped without.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_pair import newer_python, run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def baseline(repos):
    """Run by the newer Python: each distinct .py blob of each repository's
    history (`git rev-list --objects`) read once through one
    `git cat-file --batch`, parsed with `ast`."""
    import ast
    for repo in repos:
        objs = subprocess.run(["git", "--git-dir", repo, "rev-list", "--objects", "--missing=allow-any", "main"],
                              capture_output=True, text=True, check=True).stdout.split("\n")
        blobs = [line.split(" ", 1) for line in objs if line.endswith(".py") and " " in line]
        p = subprocess.Popen(["git", "--git-dir", repo, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for oid, path in blobs:
            p.stdin.write(f"{oid}\n".encode())
            p.stdin.flush()
            head = p.stdout.readline().split()
            if len(head) < 3 or head[1] != b"blob":
                continue
            data = p.stdout.read(int(head[2]))
            p.stdout.read(1)
            try:
                ast.parse(data, path)
            except SyntaxError:
                pass
        p.stdin.close()
        p.wait()


def measure(runs, a, b, fresh=None):
    """Medians of (wall, peak) of commands a and b, run in turn; `fresh`
    is called before each run of a (an empty cache)."""
    ra, rb = [], []
    for _ in range(runs):
        if fresh:
            fresh()
        ra.append(run(a))
        rb.append(run(b))
    med = lambda rs, i: statistics.median(r[i] for r in rs)  # noqa: E731
    return (med(ra, 0), med(ra, 1), sorted({r[2] for r in ra})), (med(rb, 0), med(rb, 1))


def line(name, wall, peak, note=""):
    print(f"  {name:44} {wall * 1000:10.1f} ms {peak:8.1f} MB {note}")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--baseline":
        baseline(sys.argv[2:])
        return 0
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    prov, cons = os.environ.get("CONTRACTS_REAL_PROVIDER"), os.environ.get("CONTRACTS_REAL_CONSUMER")
    if not prov or not cons:
        print("skipped: CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER name the real pair")
        return 77
    py = newer_python()
    manifest = os.path.join(ROOT, "contracts", "manifest.json")
    repos = ["--repo", f"proxbox-api={prov}@main", "--repo", f"netbox-proxbox={cons}@main"]
    cache = tempfile.mkdtemp(prefix="ct-bench-cache-")
    os.environ["CONTRACTS_CACHE_DIR"] = cache

    def empty():
        shutil.rmtree(cache, ignore_errors=True)
        os.makedirs(cache)

    diff = [binary, "diff", "--manifest", manifest, "--quiet", "--format", "json", "--output", os.devnull] + repos
    nocache = ["env", "CONTRACTS_CACHE=off"] + diff
    print(f"real pair, the shipped manifest (5 contracts); {runs} runs each, medians")
    print("diff:")
    empty()
    run(diff)  # fills the cache
    (wa, pa, ca), (wb, pb) = measure(runs, diff, nocache)
    line("contracts diff, warm", wa, pa, f"(exit {ca}; target < 20 ms, < 12 MB)")
    line("contracts diff, without the cache", wb, pb, f"ratio {wa / wb:.3f}x")
    (wa, pa, ca), (wb, pb) = measure(runs, diff, nocache, fresh=empty)
    line("contracts diff, cold (empty cache)", wa, pa, "(target < 150 ms, < 40 MB)")
    line("contracts diff, without the cache", wb, pb, f"ratio {wa / wb:.2f}x")
    if not py:
        print("log: skipped: no Python 3.12 or newer for the baseline")
        return 0
    nlog = subprocess.run(["git", "--git-dir", prov, "rev-list", "--count", "--first-parent", "main"],
                          capture_output=True, text=True).stdout.strip()
    nall = subprocess.run(["git", "--git-dir", prov, "rev-list", "--count", "main"],
                          capture_output=True, text=True).stdout.strip()
    log = [binary, "log", "--manifest", manifest, "--quiet", "--output", os.devnull] + repos
    base = [py[1], os.path.abspath(__file__), "--baseline", prov]
    print(f"log of proxbox-api ({nlog} first-parent commits; the baseline reads every "
          f".py blob of all {nall} commits), every provider-side contract, routes included:")
    (wa, pa, _), (wb, pb) = measure(max(1, runs // 2), log, base, fresh=empty)
    line("contracts log, cold", wa, pa, "(target < 0.5 s)")
    line(f"python {py[0]} cat-file --batch + ast, each blob once", wb, pb,
         f"ratio {wb / wa:.1f}x faster (target >= 30x)")
    run(log)
    (wa, pa, _), (wb, pb) = measure(runs, log, base)
    line("contracts log, warm", wa, pa)
    line(f"python {py[0]} cat-file --batch + ast, each blob once", wb, pb, f"ratio {wb / wa:.1f}x faster")
    pair = [binary, "log", "--pair", "--manifest", manifest, "--quiet", "--output", os.devnull] + repos
    base2 = [py[1], os.path.abspath(__file__), "--baseline", prov, cons]
    print("log --pair over both histories:")
    (wa, pa, _), (wb, pb) = measure(max(1, runs // 2), pair, base2, fresh=empty)
    line("contracts log --pair, cold", wa, pa, "(target < 1.5 s)")
    line(f"python {py[0]} cat-file --batch + ast, both", wb, pb, f"ratio {wb / wa:.1f}x faster")
    run(pair)
    (wa, pa, _), (wb, pb) = measure(runs, pair, base2)
    line("contracts log --pair, warm", wa, pa, "(target < 0.2 s)")
    line(f"python {py[0]} cat-file --batch + ast, both", wb, pb, f"ratio {wb / wa:.1f}x faster")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
