"""The REST contract of the real pair, commit by commit (tests/real/README.md).

For the manifest's `fastapi-routes` side (the provider) and `http-calls`
side (the consumer): at every first-parent commit that touched a Python
file under the side's paths, the route table (or the call list) that
`contracts extract` prints against rest_reference.py. Routes are compared
as (method, path, app or router tag) sets, calls as (method, path) sets;
when the reference finds no application (or several), `contracts` must
exit 2. Prints one row per side and every disagreement; exit 1 on any.

Usage: check_rest.py CONTRACTS MANIFEST [--limit N] [--jobs N] [--repo R]
Needs CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER (bare git
directories); without them it exits 77 (skipped).
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rest_reference as rr  # noqa: E402
from reference import SourceError, glob_re, is_glob  # noqa: E402

ENV = {"provider": "CONTRACTS_REAL_PROVIDER",
       "consumer": "CONTRACTS_REAL_CONSUMER"}


class Tree:
    """One commit of a bare repository: blob ids from ls-tree, bytes from
    one `git cat-file --batch` shared by all trees of the repository."""

    def __init__(self, git, sha):
        self.git = git
        out = subprocess.run(["git", "-C", git.dir, "ls-tree", "-r", sha],
                             capture_output=True, text=True,
                             check=True).stdout
        self.ids = {}
        for line in out.splitlines():
            meta, path = line.split("\t", 1)
            self.ids[path] = meta.split()[2]

    def blob_id(self, path):
        return self.ids.get(path)

    def read_blob(self, oid):
        return self.git.blob(oid)

    def list(self):
        return sorted(self.ids)


class Git:
    def __init__(self, d):
        self.dir = d
        self.cache = {}
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(["git", "-C", d, "cat-file", "--batch"],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)

    def blob(self, oid):
        with self.lock:
            return self._blob(oid)

    def _blob(self, oid):
        if oid in self.cache:
            return self.cache[oid]
        self.proc.stdin.write(oid.encode() + b"\n")
        self.proc.stdin.flush()
        head = self.proc.stdout.readline().split()
        if len(head) < 3 or head[1] == b"missing":
            raise KeyError(oid)
        data = self.proc.stdout.read(int(head[2]))
        self.proc.stdout.read(1)
        self.cache[oid] = data
        return data


def tagged(doc):
    out = set()
    for r in doc.get("x-routes", []):
        out.add((r["method"], r["path"], r.get("app") or r.get("router")
                 or ""))
    return out


def reference_routes(tree, src, cache):
    got = rr.routes(tree, src["paths"], src.get("options"), cache)
    out = {(m, p, "") for m, p in got["served"]}
    for d in (src.get("options") or {}).get("dynamic", []):
        m, _, p = d.partition(" ")
        out.add((m, p, ""))
    # other apps and orphan routers: tagged by contracts with module:name@
    # line; the reference keys them by file:line, so compare the lines
    for kind in ("apps", "uncalled"):
        for key, routes in got[kind].items():
            line = key.rsplit(":", 1)[1]
            for m, p in routes:
                out.add((m, p, kind + "@" + line))
    return out


def normalise_tags(doc, ref):
    """contracts names apps and routers `module:name@line`; the reference
    `apps@line` or `uncalled@line`. Matched by line and by the served-app
    membership recorded in the document (`app` vs `router`)."""
    out = set()
    for r in doc.get("x-routes", []):
        if "app" in r:
            tag = "apps@" + r["app"].rsplit("@", 1)[1]
        elif "router" in r:
            tag = "uncalled@" + r["router"].rsplit("@", 1)[1]
        else:
            tag = ""
        out.add((r["method"], r["path"], tag))
    return out


def run_one(args, side, git, sha):
    tree = Tree(git, sha)
    src = side["source"]
    try:
        # a glob that matches nothing is an error of the side, as in the
        # tool: a typo or a tree not there yet, never an empty contract
        for g in src["paths"]:
            if is_glob(g) and not any(glob_re(g).match(x)
                                      for x in tree.list()):
                raise SourceError(g, "no file matches")
        if src["extractor"] == "fastapi-routes":
            want = reference_routes(tree, src, side["cache"])
        else:
            want = {(m, p, "") for m, p in rr.calls(
                tree, src["paths"], src.get("options"),
                side["cache"])["calls"]}
        err = None
    except (LookupError, SourceError) as e:
        want, err = None, str(e)
    except SyntaxError as e:
        want, err = None, f"syntax: {e}"
    cmd = [args.contracts, "extract", "--manifest", args.manifest,
           "--contract", side["contract"], "--side", side["repo"],
           "--repo", f"{side['repo']}={git.dir}@{sha}", "--offline",
           "--quiet"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if want is None:
        ok = p.returncode == 2
        return sha, ok, f"reference: {err}; contracts exit {p.returncode}"
    if p.returncode:
        return sha, False, f"contracts exit {p.returncode}: {p.stderr[:300]}"
    got = normalise_tags(json.loads(p.stdout), want)
    if got == want:
        return sha, True, len(want)
    return sha, False, ("only contracts: %s; only reference: %s" % (
        sorted(got - want)[:8], sorted(want - got)[:8]))


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("contracts")
    ap.add_argument("manifest")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repo", help="check only this repository's side")
    args = ap.parse_args(argv)
    if sys.version_info < (3, 12):
        print("skipped: the reference needs Python 3.12 or newer")
        return 77
    dirs = {}
    for role, var in ENV.items():
        if not os.environ.get(var):
            print(f"skipped: {var} is not set")
            return 77
        dirs[role] = os.environ[var]
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    c = manifest["contracts"].get("rest-routes")
    if not c:
        print("skipped: no rest-routes contract in the manifest")
        return 77
    failed = 0
    for src in c["sources"]:
        if "label" in src:
            continue
        repo = src["repo"]
        if args.repo and repo != args.repo:
            continue
        role = manifest["repositories"][repo]["role"]
        git = Git(dirs[role])
        ref = manifest["repositories"][repo].get("ref", "main")
        specs = sorted({p.split("*")[0].rstrip("/") + "/*.py"
                        for p in src["paths"]})
        shas = subprocess.run(["git", "-C", git.dir, "log", "--first-parent",
                               "--format=%H", ref, "--"] + specs,
                              capture_output=True, text=True,
                              check=True).stdout.split()
        if args.limit:
            shas = shas[:args.limit]
        side = {"contract": "rest-routes", "repo": repo, "source": src,
                "cache": {}}
        results = []
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            futs = [ex.submit(run_one, args, side, git, s) for s in shas]
            for fu in futs:
                try:
                    results.append(fu.result())
                except KeyError as e:
                    results.append((None, None, f"blob missing {e}"))
        agree = sum(1 for _, ok, _ in results if ok)
        skipped = sum(1 for _, ok, _ in results if ok is None)
        bad = [(s, d) for s, ok, d in results if ok is False]
        sizes = [d for _, ok, d in results if ok and isinstance(d, int)]
        print(f"{repo:16} {src['extractor']:15} commits {len(shas):4}  "
              f"agree {agree:4}  disagree {len(bad):3}  skipped {skipped:3}"
              f"  items at newest {sizes[0] if sizes else '-'}")
        for s, d in bad:
            print(f"  {s[:12]} {d}")
        failed += len(bad)
    print("real_rest:", "ok" if not failed else f"FAIL: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
