#!/usr/bin/env python3
"""Benchmark: tokenizing and extracting the whole Python 3.11 standard
library, `contracts` against Python's own `tokenize` module, side by side.

Usage: tests/bench/py_tokens.py [path/to/contracts]   (default build/contracts)
Figures (issue 4): `contracts py tokens` at least 20x faster than tokenize
doing the same work (tokenizing every file, printing nothing); extracting
every enum and model of the standard library in under 1 s. Each side runs
three times; the median is printed with MB/s and the ratio.
"""
import os
import statistics
import subprocess
import sys
import sysconfig
import time
import tokenize

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    return root, files


def python_tokenize(files):
    start = time.perf_counter()
    for path in files:
        try:
            with open(path, "rb") as f:
                for _ in tokenize.tokenize(f.readline):
                    pass
        except Exception:  # the same files fail for both; the work is done
            pass
    return time.perf_counter() - start


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(fn, runs=3):
    return statistics.median(fn() for _ in range(runs))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    root, files = stdlib_files()
    mb = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"standard library: {root}, {len(files)} files, {mb:.1f} MB")

    ours = median(lambda: timed([binary, "py", "tokens", "--quiet", "--keep-going", *files]))
    theirs = median(lambda: python_tokenize(files))
    print(f"{'tokenize':<34}{'seconds':>10}{'MB/s':>10}")
    print(f"{'contracts py tokens':<34}{ours:>10.3f}{mb / ours:>10.1f}")
    print(f"{'python tokenize module':<34}{theirs:>10.3f}{mb / theirs:>10.1f}")
    ratio = theirs / ours
    print(f"speed-up: {ratio:.1f}x (target >= 20x: {'met' if ratio >= 20 else 'NOT met'})")

    enums = median(lambda: timed([binary, "py", "enums", "--quiet", "--keep-going", *files]))
    models = median(lambda: timed([binary, "py", "models", "--quiet", "--keep-going", *files]))
    print(f"extract every enum:  {enums:.3f} s ({mb / enums:.1f} MB/s)")
    print(f"extract every model: {models:.3f} s ({mb / models:.1f} MB/s)")
    both = enums + models
    each = max(enums, models)
    print(f"each extraction: {each:.3f} s at most (target < 1 s: {'met' if each < 1 else 'NOT met'})")
    print(f"both, one after the other: {both:.3f} s (< 1 s: {'met' if both < 1 else 'NOT met'})")


if __name__ == "__main__":
    main()
