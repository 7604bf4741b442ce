#!/usr/bin/env python3
"""The real pair, commit by commit: what `contracts extract` reads from the
real repositories against a reference written over Python's own `ast`
(reference.py).

Usage: check_history.py [CONTRACTS [MANIFEST]] [--limit N] [--since REF]
                        [--jobs N] [--quiet] [--self-test]

CONTRACTS defaults to build/contracts and MANIFEST to
contracts/manifest.json, both relative to the project root. The two
repositories are the bare git directories named by CONTRACTS_REAL_PROVIDER
and CONTRACTS_REAL_CONSUMER (read only); without them the check is skipped
(exit 77). For every contract side built by Python readers (python-enum,
python-model, python-literal), the first-parent history of the manifest's
ref is walked oldest first; a commit is compared when it touched a file the
side reads: a file its paths match, or a file the reference's resolution
looked up (bases, imports, re-exports, modules probed but absent). `--limit
N` compares only the newest N such commits per side, `--since REF` only
those after REF (a commit of that repository, `REPO=REF`, or a date).

Exit 0 when everything agrees, 1 on any disagreement, 2 on a usage error,
77 when skipped.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import reference as ref  # noqa: E402

PYTHON_READERS = ("python-enum", "python-model", "python-literal")
# Extractors that add nothing to $defs or x-lists, so a side made of them
# and Python readers has exactly the shapes and lists the reference finds.
NO_SHAPES = ("python-calls",)
ENV = {"provider": "CONTRACTS_REAL_PROVIDER",
       "consumer": "CONTRACTS_REAL_CONSUMER"}


def skip(message):
    print(f"skipped: {message}")
    sys.exit(77)


# ------------------------------------------------------------------ git --

class Git:
    """One bare repository, read through persistent `git cat-file`
    processes (thread-safe; only the reference thread uses it)."""

    def __init__(self, gitdir):
        self.dir = gitdir
        self.lock = threading.Lock()
        self.check = self._spawn("--batch-check")
        self.batch = self._spawn("--batch")
        self.listings = {}

    def _spawn(self, mode):
        return subprocess.Popen(["git", "-C", self.dir, "cat-file", mode],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, *args):
        return subprocess.run(["git", "-C", self.dir, *args], check=True,
                              capture_output=True, text=True).stdout

    def blob_id(self, sha, path):
        with self.lock:
            self.check.stdin.write(f"{sha}:{path}\n".encode())
            self.check.stdin.flush()
            line = self.check.stdout.readline().decode().split()
        if len(line) != 3 or line[1] != "blob":
            return None
        return line[0]

    def read_blob(self, oid):
        with self.lock:
            self.batch.stdin.write(f"{oid}\n".encode())
            self.batch.stdin.flush()
            head = self.batch.stdout.readline().decode().split()
            if len(head) != 3:
                raise BlobMissing(oid)
            data = self.batch.stdout.read(int(head[2]))
            self.batch.stdout.read(1)
        return data

    def list(self, sha):
        if sha not in self.listings:
            self.listings = {sha: self.run("ls-tree", "-r", "--name-only",
                                           "-z", sha).split("\0")[:-1]}
        return self.listings[sha]

    def first_parent(self, refname):
        """[(sha, date, {changed paths})], oldest first."""
        out = self.run("log", "--first-parent", "--diff-merges=first-parent",
                       "--no-renames",
                       "--name-only", "-z", "--format=%x01%H %cs", refname)
        commits = []
        for chunk in out.split("\x01")[1:]:
            head, _, rest = chunk.partition("\n")
            sha, date = head.strip("\0").split()
            paths = {p.strip("\n") for p in rest.split("\0") if p.strip("\n")}
            commits.append((sha, date, paths))
        commits.reverse()
        return commits

    def close(self):
        for p in (self.check, self.batch):
            p.stdin.close()
            p.wait()


class BlobMissing(Exception):
    """A blob absent from the copy (the mirrors leave out blobs of 4 MiB
    and more)."""


class Tree:
    """One commit of a Git, as reference.py reads it."""

    def __init__(self, git, sha):
        self.git, self.sha = git, sha

    def blob_id(self, path):
        return self.git.blob_id(self.sha, path)

    def read_blob(self, oid):
        return self.git.read_blob(oid)

    def list(self):
        return self.git.list(self.sha)


# ------------------------------------------------------------- manifest --

def load_sides(manifest):
    """[(contract, repo, [sources], exact)] for each unlabelled side with a
    Python reader. `exact`: every source is one the reference models, so
    shapes and lists must match as sets too."""
    sides = []
    for cname, c in manifest["contracts"].items():
        by_repo = {}
        for s in c["sources"]:
            if "label" not in s:
                by_repo.setdefault(s["repo"], []).append(s)
        for repo, srcs in by_repo.items():
            mine = [s for s in srcs if s["extractor"] in PYTHON_READERS]
            if not mine:
                continue
            exact = all(s["extractor"] in PYTHON_READERS + NO_SHAPES
                        for s in srcs)
            calls = any(s["extractor"] == "python-calls" for s in srcs)
            sides.append({"contract": cname, "repo": repo, "sources": mine,
                          "exact": exact, "more_events": calls})
    return sides


# -------------------------------------------------------------- compare --

def show(v, limit=160):
    s = json.dumps(v) if not isinstance(v, str) else v
    return s if len(s) <= limit else s[:limit - 3] + "..."


def compare(side, expected, doc):
    """[(shape, contracts says, reference says)] and the number of shapes
    compared."""
    out, n = [], 0
    defs = doc.get("$defs", {})
    for name, shape in sorted(expected.shapes.items()):
        n += 1
        got = defs.get(name)
        if got is None:
            out.append((name, "no such shape", describe(shape)))
            continue
        if shape.kind == "enum":
            if shape.value is ref.UNKNOWN:
                if "enum" in got:
                    out.append((name, f"enum {show(got['enum'])}",
                                "values unknown (not all str/int literals): "
                                "no enum list"))
            elif got.get("enum") != shape.value:
                out.append((name, f"enum {show(got.get('enum'))}",
                            f"enum {show(shape.value)}"))
            continue
        props = list(got.get("properties", {}))
        want = list(shape.value)
        if props != want:
            out.append((name, f"properties {show(props)}",
                        f"properties {show(want)}"))
        req = sorted(got.get("required", []))
        want_req = sorted(k for k, r in shape.value.items() if r)
        if req != want_req:
            out.append((name, f"required {show(req)}",
                        f"required {show(want_req)}"))
    if side["exact"]:
        for name in sorted(set(defs) - set(expected.shapes)):
            out.append((name, "a shape", "no such shape"))
    lists = doc.get("x-lists", {})
    for name, items in sorted(expected.lists.items()):
        n += 1
        if lists.get(name) != items:
            out.append((f"x-lists/{name}", show(lists.get(name)), show(items)))
    if side["exact"]:
        for name in sorted(set(lists) - set(expected.lists)):
            out.append((f"x-lists/{name}", "a list", "no such list"))
    if expected.events is not None:
        n += 1
        got = set(doc.get("x-events", []))
        if side["more_events"]:
            if not expected.events <= got:
                out.append(("x-events", "lacks " + show(
                    sorted(expected.events - got)), "has them"))
        elif got != expected.events:
            out.append(("x-events", show(sorted(got)),
                        show(sorted(expected.events))))
    elif side["exact"] and doc.get("x-events") and \
            not expected.events_unknown:
        out.append(("x-events", show(doc["x-events"]), "no events"))
    return out, n


def describe(shape):
    if shape.kind == "enum":
        return "enum " + ("(values unknown)" if shape.value is ref.UNKNOWN
                          else show(shape.value))
    return "model " + show([k + ("" if r else "?")
                            for k, r in shape.value.items()])


def extract(args, side, gitdir, sha):
    cmd = [args.contracts, "extract", "--manifest", args.manifest,
           "--contract", side["contract"], "--side", side["repo"],
           "--repo", f"{side['repo']}={gitdir}@{sha}", "--offline", "--quiet"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr.strip()


# ----------------------------------------------------------------- main --

def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Check contracts against a Python ast reference over "
                    "the real pair's history.")
    ap.add_argument("contracts", nargs="?",
                    default=os.path.join(ROOT, "build", "contracts"))
    ap.add_argument("manifest", nargs="?",
                    default=os.path.join(ROOT, "contracts", "manifest.json"))
    ap.add_argument("--limit", type=int, metavar="N",
                    help="only the newest N matching commits per side")
    ap.add_argument("--since", action="append", default=[], metavar="REF",
                    help="only commits after REF (a commit, REPO=REF, or a "
                         "date YYYY-MM-DD); repeatable")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--verbose", action="store_true",
                    help="list the matching commits of each side")
    ap.add_argument("--quiet", action="store_true",
                    help="print the counts and summary, not each "
                         "disagreement")
    ap.add_argument("--self-test", action="store_true",
                    help="run the reference's own tests and exit")
    return ap.parse_args(argv)


def since_filter(git, repo, specs):
    """The index predicate on a repository's commit list for --since."""
    cut_sha, cut_date = None, None
    for spec in specs:
        name, eq, value = spec.partition("=")
        if eq and name != repo:
            continue
        value = value if eq else spec
        try:
            cut_sha = git.run("rev-parse", "--verify", "-q",
                              value + "^{commit}").strip()
        except subprocess.CalledProcessError:
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                cut_date = value
            elif eq:
                raise SystemExit(f"check_history: unknown commit '{value}' "
                                 f"in {repo}")
            else:
                print(f"note: --since {value}: not a commit of {repo}, "
                      f"which is read in full")
    return cut_sha, cut_date


def main(argv):
    args = parse_args(argv)
    print(f"python {sys.version.split()[0]} ({sys.executable})")
    if sys.version_info < (3, 12):
        skip("the reference needs Python 3.12 or newer")
    if args.self_test:
        failures = ref.self_test()
        for f in failures:
            print("FAIL", f)
        print(f"self-test: {'failed' if failures else 'ok'}")
        return 1 if failures else 0
    for role, var in ENV.items():
        d = os.environ.get(var)
        if not d:
            skip(f"{var} is not set (the {role}'s bare git directory)")
        try:
            bare = subprocess.run(["git", "-C", d, "rev-parse",
                                   "--is-bare-repository"], capture_output=True,
                                  text=True).stdout.strip()
        except OSError:
            bare = ""
        if bare != "true":
            skip(f"{var}={d} is not a bare git directory")
    if not os.access(args.contracts, os.X_OK):
        print(f"check_history: no binary '{args.contracts}'", file=sys.stderr)
        return 2
    failures = ref.self_test()
    if failures:
        for f in failures:
            print("self-test FAIL", f)
        return 1
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    print(f"contracts {args.contracts}\nmanifest {args.manifest}")

    gits, refs = {}, {}
    for name, r in manifest["repositories"].items():
        var = ENV.get(r.get("role"))
        if var:
            gits[name] = Git(os.environ[var])
            refs[name] = r.get("ref", "main")
    sides = [s for s in load_sides(manifest) if s["repo"] in gits]

    started = time.time()
    history = {name: g.first_parent(refs[name]) for name, g in gits.items()}
    cuts = {name: since_filter(g, name, args.since) for name, g in gits.items()}

    jobs = []  # (side, sha, date, expected | SourceError)
    counts = {}
    facts_cache = {}
    for side in sides:
        git = gits[side["repo"]]
        commits = history[side["repo"]]
        globs = [ref.glob_re(p) for s in side["sources"] for p in s["paths"]
                 if ref.is_glob(p)]
        deps, matching, notes = None, [], []
        for sha, date, changed in commits:
            if deps is not None and not (changed & deps) and not any(
                    rx.match(p) for rx in globs for p in changed):
                continue  # nothing the side reads changed: same result
            try:
                got = ref.run_side(Tree(git, sha), side["sources"],
                                   facts_cache)
                new_deps = got.deps
            except ref.SourceError as e:
                got, new_deps = e, e.deps
            except BlobMissing as e:
                notes.append(f"{sha[:10]}: blob {e} missing, skipped")
                continue
            # A commit that changes none of the files the previous result
            # depends on (found or probed) cannot change the result, nor
            # its dependencies: so `deps` stays exact from commit to commit.
            touched = deps is not None or bool(changed & new_deps) or any(
                rx.match(p) for rx in globs for p in changed)
            deps = new_deps
            if touched:
                matching.append((sha, date, got))
        cut_sha, cut_date = cuts[side["repo"]]
        selected = matching
        if cut_sha:
            order = [c[0] for c in commits]
            pos = order.index(cut_sha) if cut_sha in order else -1
            rank = {c: i for i, c in enumerate(order)}
            selected = [m for m in selected if rank[m[0]] > pos]
        if cut_date:
            selected = [m for m in selected if m[1] > cut_date]
        if args.limit is not None:
            selected = selected[-args.limit:] if args.limit > 0 else []
        # Not a disagreement, but worth a look: a class the manifest names
        # that the newest matching commit does not define (a wrong path?).
        if matching and isinstance(matching[-1][2], ref.Result):
            for n in matching[-1][2].missing:
                notes.append(f"{matching[-1][0][:10]} (newest match): no "
                             f"class {n} in the files read")
        counts[(side["repo"], side["contract"])] = {
            "walked": len(commits), "matching": len(matching),
            "compared": len(selected), "shapes": 0, "errors": 0,
            "disagree": 0, "notes": notes,
            "list": [(m[0], m[1]) for m in selected]}
        jobs.extend((side, sha, date, got) for sha, date, got in selected)

    def work(job):
        side, sha, date, got = job
        return job, extract(args, side, gits[side["repo"]].dir, sha)

    findings = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for (side, sha, date, got), (rc, out, err) in pool.map(work, jobs):
            key = (side["repo"], side["contract"])
            c = counts[key]
            where = (side["repo"], sha, date, side["contract"])
            if isinstance(got, ref.SourceError):
                c["errors"] += 1
                if rc != 2 or got.path not in err:
                    findings.append(where + (
                        "(error)", f"exit {rc}: {show(err or 'no error')}",
                        f"error in {got.path} ({show(str(got), 120)})"))
                continue
            if rc != 0:
                findings.append(where + ("(error)", f"exit {rc}: {show(err)}",
                                         "no error"))
                continue
            diffs, n = compare(side, got, json.loads(out))
            c["shapes"] += n
            for d in diffs:
                findings.append(where + d)
    for g in gits.values():
        g.close()

    findings.sort(key=lambda f: (f[0], f[3], f[2], f[1], f[4]))
    for f in findings:
        counts[(f[0], f[3])]["disagree"] += 1
    print()
    print(f"{'repository':<16} {'contract':<16} {'walked':>6} {'match':>6} "
          f"{'compared':>8} {'shapes':>7} {'errors':>6} {'disagree':>8}")
    for (repo, contract), c in counts.items():
        print(f"{repo:<16} {contract:<16} {c['walked']:>6} {c['matching']:>6} "
              f"{c['compared']:>8} {c['shapes']:>7} {c['errors']:>6} "
              f"{c['disagree']:>8}")
        for n in c["notes"]:
            print(f"  note: {n}")
        if args.verbose:
            for sha, date in c["list"]:
                print(f"  {sha[:10]} {date}")
    if findings and not args.quiet:
        print("\ndisagreements (commit, contract, shape: contracts says | "
              "reference says):")
        for repo, sha, date, contract, shape, theirs, ours in findings:
            print(f"  {repo}@{sha[:10]} {date} {contract} {shape}: "
                  f"contracts {theirs} | reference {ours}")
    if findings:
        groups = {}
        for repo, sha, date, contract, shape, theirs, ours in findings:
            g = groups.setdefault((repo, contract, shape), [0, date, date])
            g[0] += 1
            g[1], g[2] = min(g[1], date), max(g[2], date)
        print("\nby shape (commits, first and last date):")
        for (repo, contract, shape), (n, first, last) in sorted(
                groups.items()):
            print(f"  {repo} {contract} {shape}: {n} ({first} .. {last})")
    compared = sum(c["compared"] for c in counts.values())
    shapes = sum(c["shapes"] for c in counts.values())
    verdict = "FAIL" if findings else "ok"
    print(f"\nreal_pair: {verdict}: {compared} extractions at "
          f"{sum(c['matching'] for c in counts.values())} matching commits "
          f"compared, {shapes} shapes, {len(findings)} disagreements "
          f"({time.time() - started:.0f}s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
