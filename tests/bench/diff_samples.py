#!/usr/bin/env python3
"""Benchmark: `contracts diff` of the whole sample manifest, the sample
repositories served by `git daemon` on 127.0.0.1, with a cold cache and a
warm one. Figures (issue 5): warm under 100 ms wall and under 30 MB peak
memory; the cold figures are printed beside them.

Usage: tests/bench/diff_samples.py [path/to/contracts]
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv, env):
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "contracts")
    tmp = tempfile.mkdtemp(prefix="ct-diff-bench-")
    daemon = None
    try:
        srv = os.path.join(tmp, "srv")
        os.makedirs(srv)
        for repo in ("proxbox-api", "netbox-proxbox"):
            work = os.path.join(tmp, repo)
            shutil.copytree(os.path.join(ROOT, "samples", "repos", repo), work)
            git = ["git", "-C", work, "-c", "user.name=b", "-c", "user.email=b@example.invalid"]
            subprocess.run(["git", "init", "-q", "-b", "main", work], check=True)
            subprocess.run(git + ["add", "-A"], check=True)
            subprocess.run(git + ["commit", "-qm", "sample"], check=True)
            subprocess.run(["git", "clone", "-q", "--bare", work, os.path.join(srv, repo + ".git")], check=True)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={srv}",
                                   "--listen=127.0.0.1", f"--port={port}", srv],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            if subprocess.run(["git", "ls-remote", f"git://127.0.0.1:{port}/proxbox-api.git"],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        argv = [binary, "diff", "--manifest", os.path.join(ROOT, "samples", "manifest.json"), "--quiet",
                "--repo", f"proxbox-api=git://127.0.0.1:{port}/proxbox-api.git@main",
                "--repo", f"netbox-proxbox=git://127.0.0.1:{port}/netbox-proxbox.git@main"]
        cold, warm = [], []
        for _ in range(3):
            cache = os.path.join(tmp, "cache")
            shutil.rmtree(cache, ignore_errors=True)
            env = dict(os.environ, CONTRACTS_CACHE_DIR=cache)
            cold.append(run(argv, env))
            for _ in range(3):
                warm.append(run(argv, env))
        offline = [run(argv + ["--offline"], env) for _ in range(5)]
        for name, runs in (("cold cache", cold), ("warm cache", warm), ("warm, --offline", offline)):
            wall = statistics.median(r[0] for r in runs) * 1000
            peak = max(r[1] for r in runs)
            print(f"{name:<18} {wall:8.1f} ms   peak {peak:6.1f} MB   exit {runs[0][2]}")
        wall = statistics.median(r[0] for r in warm) * 1000
        peak = max(r[1] for r in warm)
        print(f"warm target: < 100 ms ({'met' if wall < 100 else 'NOT met'}), "
              f"< 30 MB ({'met' if peak < 30 else 'NOT met'})")
    finally:
        if daemon:
            daemon.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
