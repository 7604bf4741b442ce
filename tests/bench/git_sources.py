#!/usr/bin/env python3
"""Benchmark: git sources on a generated repository of about 3,000 commits
and 1,500 files served by `git daemon` on 127.0.0.1, side by side with git.

Usage: tests/bench/git_sources.py [build dir]   (default build)
Figures (issue 3): a cold clone into the cache at most 1.3x the time of
`git clone --bare` of the same URL; a fetch with nothing new under 50 ms;
reading 20 files at one ref under 5 ms. Best of three for the clones.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_repo(path, commits=3000, files=1500):
    """A repository built with git fast-import: each commit edits a few of
    1,500 files in 30 folders."""
    subprocess.run(["git", "init", "-q", "--bare", path], check=True)
    subprocess.run(["git", "-C", path, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    lines = []
    mark = 0
    for c in range(commits):
        mark += 1
        msg = f"commit {c}\n".encode()
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"mark :{mark}\n".encode())
        lines.append(f"committer bench <b@example.invalid> {1700000000 + c} +0000\n".encode())
        lines.append(b"data %d\n%s" % (len(msg), msg))
        touched = range(files) if c == 0 else [(c * 7 + k) % files for k in range(3)]
        for f in touched:
            body = f"# file {f}, version {c}\nVALUE = {c}\n".encode() + b"x = 1\n" * 20
            lines.append(f"M 644 inline pkg{f % 30}/module_{f}.py\n".encode())
            lines.append(b"data %d\n%s\n" % (len(body), body))
    subprocess.run(["git", "-C", path, "fast-import", "--quiet"], input=b"".join(lines), check=True)


def best(fn, runs=3):
    return min(fn() for _ in range(runs))


def timed(argv, env=None):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    binary = os.path.join(build, "contracts")
    helper = os.path.join(build, "tests", "bench_git")
    tmp = tempfile.mkdtemp(prefix="ct-git-bench-")
    daemon = None
    try:
        srv = os.path.join(tmp, "srv")
        os.makedirs(srv)
        make_repo(os.path.join(srv, "big.git"))
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        daemon = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all",
                                   f"--base-path={srv}", "--listen=127.0.0.1",
                                   f"--port={port}", srv],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"git://127.0.0.1:{port}/big.git"
        for _ in range(50):
            if subprocess.run(["git", "ls-remote", url], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        n_commits = subprocess.run(["git", "-C", os.path.join(srv, "big.git"), "rev-list", "--count", "main"],
                                   capture_output=True, text=True).stdout.strip()
        print(f"repository: {n_commits} commits, 1500 files, served by git daemon on 127.0.0.1")

        def git_clone():
            d = os.path.join(tmp, "gitclone")
            shutil.rmtree(d, ignore_errors=True)
            return timed(["git", "clone", "-q", "--bare", url, d])

        def our_clone():
            cache = os.path.join(tmp, "cache")
            shutil.rmtree(cache, ignore_errors=True)
            env = dict(os.environ, CONTRACTS_CACHE_DIR=cache)
            return timed([binary, "ls", url, "-q"], env=env)

        ours, theirs = best(our_clone), best(git_clone)
        print(f"{'cold clone':<28}{'seconds':>10}")
        print(f"{'contracts (into the cache)':<28}{ours:>10.3f}")
        print(f"{'git clone --bare':<28}{theirs:>10.3f}")
        ratio = ours / theirs
        print(f"ratio: {ratio:.2f}x git (target <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'})")

        files = [f"pkg{f % 30}/module_{f}.py" for f in range(0, 1500, 75)]
        env = dict(os.environ, CONTRACTS_CACHE_DIR=os.path.join(tmp, "cache"))
        out = subprocess.run([helper, url, *files], capture_output=True, text=True, env=env, check=True).stdout
        figures = dict(line.split() for line in out.splitlines())
        fetch_ms, read_ms = float(figures["fetch_ms"]), float(figures["read_ms"])
        print(f"fetch with nothing new: {fetch_ms:.1f} ms (target < 50 ms: {'met' if fetch_ms < 50 else 'NOT met'})")
        print(f"read {len(files)} files at one ref: {read_ms:.2f} ms (target < 5 ms: {'met' if read_ms < 5 else 'NOT met'})")
    finally:
        if daemon:
            daemon.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
