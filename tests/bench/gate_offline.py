#!/usr/bin/env python3
"""Benchmark (issue 14): `contracts gate --offline` on the real consumer
at HEAD, with the shipped manifest: the whole process, wall time, median
of RUNS runs after one warm-up. Printed beside it, to show where the time
goes: the same gate over the shipped manifest without the two contracts
that read every Python file of a repository (rest-routes, sse-events), and
`contracts diff` of the pair alone. A figure, not a test: it never fails
on the time.

Usage: tests/bench/gate_offline.py [path/to/contracts] [RUNS]
Needs CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER (bare git
directories of proxbox-api and netbox-proxbox); skipped without them.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET_MS = 50


def timed(argv, runs):
    """Median wall seconds and peak RSS (MiB) of `runs` runs, one warm-up
    first; the exit codes seen."""
    walls, codes = [], set()
    subprocess.run(argv, capture_output=True)
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(argv, capture_output=True)
        walls.append(time.monotonic() - t0)
        codes.add(r.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(walls), min(walls), max(walls), peak, sorted(codes)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    prov = os.environ.get("CONTRACTS_REAL_PROVIDER")
    cons = os.environ.get("CONTRACTS_REAL_CONSUMER")
    if not prov or not cons:
        print("skipped: CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER name the real pair")
        return 0
    manifest = os.path.join(ROOT, "contracts", "manifest.json")
    repos = ["--repo", "netbox-proxbox=" + cons, "--repo", "proxbox-api=" + prov]
    gate = [binary, "gate", "--release", "netbox-proxbox", "--offline"] + repos
    with tempfile.TemporaryDirectory() as tmp:
        # the same manifest without the whole-package scans, beside the
        # shipped one so that its pins resolve
        m = json.load(open(manifest))
        for name in ("rest-routes", "sse-events"):
            m["contracts"].pop(name, None)
        lite = os.path.join(os.path.dirname(manifest), ".bench-gate-lite.json")
        with open(lite, "w") as f:
            json.dump(m, f)
        try:
            rows = [
                ("gate --offline, shipped manifest", gate + ["--manifest", manifest]),
                ("gate --offline, without rest-routes and sse-events", gate + ["--manifest", lite]),
                ("diff of the pair alone", [binary, "diff", "--manifest", manifest] + repos),
            ]
            print(f"contracts gate --offline on netbox-proxbox at HEAD ({runs} runs each, "
                  f"one warm-up; wall time median [min-max]; target {TARGET_MS} ms)")
            for label, argv in rows:
                med, lo, hi, _, codes = timed(argv, runs)
                print(f"  {label:52s} {med * 1000:7.1f} ms [{lo * 1000:.1f}-{hi * 1000:.1f}]  "
                      f"exit {codes}")
        finally:
            os.unlink(lite)
    return 0


if __name__ == "__main__":
    sys.exit(main())
