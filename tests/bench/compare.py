#!/usr/bin/env python3
"""Benchmark: `contracts compare` of two ~20 MB generated contract documents
(10,000 shapes) against `json-diff` from npm on the same files, side by side.

Usage: tests/bench/compare.py [path/to/contracts]   (default build/contracts)
Targets (issue 2): at least 5x faster than json-diff, under 150 MB peak.
json-diff is installed with npm into a temporary folder; without npm its
column says so. Each tool runs three times; the median wall time and the
largest peak resident set are printed.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUNS = 3


def measure(argv):
    """Runs argv with output discarded; returns (seconds, peak MiB, exit code)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def best_of(argv):
    runs = [measure(argv) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
            runs[0][2])


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    tmp = tempfile.mkdtemp(prefix="ct-bench-")
    try:
        old, new = os.path.join(tmp, "old.json"), os.path.join(tmp, "new.json")
        for variant, path in ((0, old), (1, new)):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_contract.py"),
                            "10000", str(variant), path], check=True)
        size = (os.path.getsize(old) + os.path.getsize(new)) / 2 / 1e6
        print(f"documents: 10,000 shapes, {size:.1f} MB each")

        ours = best_of([binary, "compare", old, new, "--format", "json",
                        "--output", os.path.join(tmp, "report.json")])
        if ours[2] not in (0, 1):
            sys.exit(f"contracts compare failed with exit code {ours[2]}")

        theirs = None
        if shutil.which("npm") and shutil.which("node"):
            jd = os.path.join(tmp, "json-diff")
            got = subprocess.run(["npm", "install", "--silent", "--prefix", jd, "json-diff"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            script = os.path.join(jd, "node_modules", "json-diff", "bin", "json-diff.js")
            if got.returncode == 0 and os.path.exists(script):
                theirs = best_of(["node", script, old, new])

        print(f"{'tool':<24}{'wall (median of 3)':>20}{'peak memory':>14}")
        print(f"{'contracts compare':<24}{ours[0]:>18.3f} s{ours[1]:>11.1f} MB")
        if theirs:
            print(f"{'json-diff (npm)':<24}{theirs[0]:>18.3f} s{theirs[1]:>11.1f} MB")
            ratio = theirs[0] / ours[0]
            print(f"speed-up: {ratio:.1f}x (target >= 5x: {'met' if ratio >= 5 else 'NOT met'})")
        else:
            print("json-diff (npm): unavailable (no npm, or the install failed)")
        print(f"peak memory: {ours[1]:.1f} MB (target < 150 MB: "
              f"{'met' if ours[1] < 150 else 'NOT met'})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
