#!/bin/sh
# contracts gate end to end: fixture repositories of ours, made here with
# git (a provider "api" and a consumer "plugin", one branch per case), and
# a package index on 127.0.0.1 (tests/gate/index_server.py) with versions
# present, absent, a 404, a 500 and one that hangs.
#   sh tests/gate/gate.sh BINARY SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
# expect NAME EXIT TEXT -- ARGS: the exit code, and TEXT in stdout+stderr
expect() {
	name=$1 want=$2 msg=$3
	shift 4
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	cat "$tmp/err" >>"$tmp/out"
	# under -DCT_SANITIZE a report may share an expected exit code
	if grep -q "Sanitizer\|runtime error:" "$tmp/err"; then bad "$name: sanitizer report"; head -40 "$tmp/err"; return; fi
	if [ "$got" -ne "$want" ]; then bad "$name: exit $got, wanted $want"; head -40 "$tmp/out"; return; fi
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/out"; then bad "$name: lacks '$msg'"; head -40 "$tmp/out"; return; fi
	ok "$name"
}
has() { grep -qF -- "$2" "$tmp/out" && ok "$1" || { bad "$1: lacks '$2'"; head -30 "$tmp/out"; }; }
hasnt() { grep -qF -- "$2" "$tmp/out" && { bad "$1: has '$2'"; head -30 "$tmp/out"; } || ok "$1"; }
if ! command -v python3 >/dev/null 2>&1; then
	echo "gate: skipped: python3 not found"
	exit 77
fi
commit() { git -C "$1" add -A && git -C "$1" -c user.name=t -c user.email=t@t commit -qm "$2"; }

# --- the provider: 0.9.0, 1.0.0 (fields a, b), 1.1.0 (adds c) ----------
p=$tmp/api
mkdir -p "$p/api" "$p/contracts"
git init -q -b main "$p"
provider_at() { # VERSION FIELDS
	cat >"$p/pyproject.toml" <<TOML
[build-system]
requires = ["setuptools"]

[project]
name = "api"
version = "$1"
TOML
	cat >"$p/api/__init__.py" <<'PY'
"""The api package."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("api")
except PackageNotFoundError:
    __version__ = "0.0.0"
PY
	cat >"$p/uv.lock" <<TOML
version = 1
requires-python = ">=3.11"

[[package]]
name = "anyio"
version = "4.0.0"

[[package]]
name = "api"
version = "$1"
source = { editable = "." }
TOML
	echo "{\"fields\": [$2]}" >"$p/contracts/flags.json"
	commit "$p" "api $1"
	git -C "$p" tag "v$1"
}
provider_at 0.9.0 '"a"'
provider_at 1.0.0 '"a", "b"'
provider_at 1.1.0 '"a", "b", "c"'

# --- the consumer: v1.9.0 released; main at 2.0.0 pins api 1.0.0 -------
c=$tmp/plugin
mkdir -p "$c/plugin" "$c/contracts"
git init -q -b main "$c"
consumer_files() { # PYPROJECT INIT LOCK PIN FIELDS
	cat >"$c/pyproject.toml" <<TOML
[project]
name = "plugin"
# the one version of the release
version = "$1"
dependencies = ["api"]
TOML
	cat >"$c/plugin/__init__.py" <<PY
"""The plugin.

    version = "9.9.9" in a docstring is not the version
"""
from netbox.plugins import PluginConfig


class PluginConfigClass(PluginConfig):
    name = "plugin"
    version = "$2"
    min_version = "4.0"


config = PluginConfigClass
PY
	cat >"$c/uv.lock" <<TOML
version = 1

[[package]]
name = "api"
version = "1.0.0"

[[package]]
name = "Plugin"
version = "$3"
source = { editable = "." }
TOML
	cat >"$c/contracts/schema.json" <<JSON
{
  "schema": "plugin-schema",
  "source": {
    "project": "api",
    "release": "$4"
  },
  "fields": [$5]
}
JSON
}
consumer_files 1.9.0 1.9.0 1.9.0 1.0.0 '"a", "b"'
commit "$c" "plugin 1.9.0"
git -C "$c" tag v1.9.0
consumer_files 2.0.0 2.0.0 2.0.0 1.0.0 '"a", "b"'
commit "$c" "plugin 2.0.0"
branch() { # NAME, then the files as consumer_files takes them
	name=$1
	shift
	git -C "$c" checkout -q -b "$name" main
	consumer_files "$@"
	commit "$c" "$name"
	git -C "$c" checkout -q main
}
branch skew 2.0.0 2.0.0 2.0.1 1.0.0 '"a", "b"'
branch pin-missing 2.0.0 2.0.0 2.0.0 1.0.5 '"a", "b"'
branch pin-differs 2.0.0 2.0.0 2.0.0 1.1.0 '"a", "b"'
branch drift 2.0.0 2.0.0 2.0.0 1.0.0 '"a", "x"'
branch old 1.8.0 1.8.0 1.8.0 1.0.0 '"a", "b"'
branch moved 1.9.0 1.9.0 1.9.0 1.0.0 '"a", "b"'
branch rc 2.0.0rc1 2.0.0rc1 2.0.0rc1 1.0.0 '"a", "b"'
branch bad-version 2.0.0 2.0.0-final 2.0.0 1.0.0 '"a", "b"'

# --- the manifest --------------------------------------------------------
m=$tmp/m
mkdir -p "$m/pinned"
cat >"$m/manifest.json" <<JSON
{
  "version": 1,
  "repositories": {
    "api": {"location": "$p", "ref": "main", "role": "provider",
            "release": {"package": "api",
                        "version_files": ["pyproject.toml", "api/__init__.py", "uv.lock"]}},
    "plugin": {"location": "$c", "ref": "main", "role": "consumer",
               "release": {"package": "plugin",
                           "version_files": ["pyproject.toml", "plugin/__init__.py", "uv.lock"],
                           "tag_pattern": "v{version}",
                           "pins": {"provider": "api", "file": "contracts/schema.json",
                                    "pointer": "/source/release"}}}
  },
  "contracts": {
    "flags": {
      "direction": "provider-to-consumer",
      "pinned": "pinned/flags.json",
      "sources": [
        {"repo": "api", "extractor": "json-file", "paths": ["contracts/flags.json"],
         "options": {"pointer": "/fields", "list": "flags"}},
        {"repo": "plugin", "label": "committed", "extractor": "json-file",
         "paths": ["contracts/schema.json"],
         "options": {"pointer": "/fields", "list": "flags"}}
      ]
    }
  }
}
JSON
M="--manifest $m/manifest.json"
"$bin" pin $M --repo api="$p@v1.0.0" >/dev/null 2>&1 && ok "pin the fixture contract" || bad "pin the fixture contract"

# --- the index -----------------------------------------------------------
python3 "$src/tests/gate/index_server.py" "$tmp/log" "1.9.0,2.0.0,2.0.0.post1,2.0.0rc1" >"$tmp/port" &
server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/port" ] && break; sleep 0.2; done
url="http://127.0.0.1:$(cat "$tmp/port")"
export CONTRACTS_HTTP_BACKOFF_MS=10
R="$M --release plugin"

# --- rule 1: versions in step -----------------------------------------------
expect "a clean release passes" 0 "release rule versions: passed: 2.0.0 in pyproject.toml:4, plugin/__init__.py:10 and uv.lock:9" -- gate $R --index "$url/none"
has "the tag is above the earlier ones" "2.0.0 is above every earlier release tag (1; the highest is v1.9.0)"
has "the index was asked" "plugin 2.0.0 is not on $url/none"
has "the pin is a provider tag" "plugin pins api 1.0.0: the tag v1.0.0 exists"
has "the pinned contract is what the plugin mirrors" "contract 'flags' of api 1.0.0 (tag v1.0.0) is what plugin:committed mirrors"
has "diff is clean at the pair" "diff is clean at the pair released (plugin at"
hasnt "the docstring's version is not read" "9.9.9"
expect "versions out of step fail" 1 "versions out of step: uv.lock:9 says 2.0.1" -- gate $R --repo plugin="$c@skew" --offline
has "the other side is named too" "versions out of step: pyproject.toml:4 says 2.0.0"
expect "a tag naming another version fails" 1 "versions out of step: the tag v2.0.1 says 2.0.1" -- gate $R --tag v2.0.1 --offline
expect "a tag off the pattern fails" 1 "the tag 'release-2' is not 'v{version}' with a PEP 440 version" -- gate $R --tag release-2 --offline
expect "a version that is no PEP 440 version fails" 1 "plugin/__init__.py:10: '2.0.0-final' is not a PEP 440 version" -- gate $R --repo plugin="$c@bad-version" --offline
expect "a version read at run time is skipped, said why" 0 "api/__init__.py: its version is read from the package metadata at run time" -- gate $M --release api --repo api="$p@v1.0.0" --tag v1.0.0 --offline
has "the provider's other files agree" "1.0.0 in pyproject.toml:6, uv.lock:10 and the tag v1.0.0"
has "its tag exists on the commit" "the tag v1.0.0 exists and is on the commit released"
hasnt "the fallback beside the metadata call is not the version" "0.0.0"
expect "the provider released ahead of the pins fails the contracts rule" 1 "diff is not clean at the pair released (api at" -- gate $M --release api --repo api="$p@v1.1.0" --tag v1.1.0 --offline
# a work tree: uncommitted edits count, its HEAD is the commit released
git clone -q "$c" "$tmp/wt"
sed -i 's/version = "2.0.0"/version = "2.0.2"/' "$tmp/wt/plugin/__init__.py"
expect "a work tree's uncommitted version is read" 1 "versions out of step: plugin/__init__.py:10 says 2.0.2" -- gate $R --repo plugin="$tmp/wt" --offline

# --- rule 2: consumed versions are immutable -----------------------------
expect "a version already on the index fails, naming what is allowed" 1 "plugin 2.0.0 is already on $url/has: a consumed version is never reused; allowed next: 2.0.0.post2, 2.0.1" -- gate $R --index "$url/has"
expect "a release the listing leaves out is found by its page" 1 "plugin 2.0.0 is already on $url/hidden" -- gate $R --index "$url/hidden"
grep -q "GET /hidden/pypi/plugin/2.0.0/json" "$tmp/log" && ok "the version page was asked" || bad "the version page was asked"
expect "each index is asked" 1 "plugin 2.0.0 is not on $url/none" -- gate $R --index "$url/none" --index "$url/has"
expect "a release candidate moves to the next rc" 1 "allowed next: 2.0.0rc2" -- gate $R --repo plugin="$c@rc" --index "$url/has"
expect "an index that is not PyPI's JSON API exits 3" 3 "the package index answered GET $url/html/pypi/plugin/json without a \"releases\" object" -- gate $R --index "$url/html"
expect "an index answering 500 exits 3" 3 "the package index answered HTTP 500 to GET $url/500/pypi/plugin/json (after 4 attempts)" -- gate $R --index "$url/500"
CONTRACTS_HTTP_TIMEOUT_MS=300 expect "a hanging index times out, exits 3" 3 "Timeout was reached" -- gate $R --index "$url/hang"
expect "an index that cannot be reached exits 3" 3 "127.0.0.1:1" -- gate $R --index "http://127.0.0.1:1"
expect "--offline asks no index and says so" 0 "--offline: the package indexes (2) were not asked whether 2.0.0 is taken" -- gate $R --offline
expect "a version below an earlier tag fails" 1 "1.8.0 is not above the earlier release tag v1.9.0" -- gate $R --repo plugin="$c@old" --offline
has "the next versions allowed are named" "allowed next: 1.9.1"
expect "a tag never moves" 1 "the tag v1.9.0 already exists, on" -- gate $R --repo plugin="$c@moved" --tag v1.9.0 --offline
has "the moved tag says why" "a published tag is never moved"
expect "re-gating a release at its own tag passes" 0 "the tag v1.9.0 exists and is on the commit released" -- gate $R --repo plugin="$c@v1.9.0" --tag v1.9.0 --offline

# --- rule 3: contracts at release ----------------------------------------
expect "a pin naming no provider tag fails" 1 "plugin pins api 1.0.5, and api has no such release tag (v1.0.5)" -- gate $R --repo plugin="$c@pin-missing" --offline
has "the pin's file and line are named" "contracts/schema.json:5"
expect "a pinned release whose contract differs fails" 1 "contract 'flags' of api 1.1.0 (tag v1.1.0) is not what plugin:committed mirrors: 1 difference" -- gate $R --repo plugin="$c@pin-differs" --offline
has "the difference is said" "item \"c\""
expect "drift at the pair fails the contracts rule" 1 "diff is not clean at the pair released" -- gate $R --repo plugin="$c@drift" --offline
has "the drift itself is reported" "item \"x\" added"
expect "--fail-on never passes a failing gate" 0 "" -- gate $R --repo plugin="$c@drift" --offline --fail-on never
# an approval in allow.json counts as it does for diff
"$bin" gate $R --repo plugin="$c@drift" --offline --format json >"$tmp/drift.json" 2>/dev/null
fps=$(python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["contracts"]:
    if not c["name"].startswith("gate:"):
        for f in c["findings"]:
            for x in f["comparisons"]:
                print(x["fingerprint"])' "$tmp/drift.json" | sort -u)
[ "$(echo "$fps" | wc -w)" -eq 2 ] && ok "the drift is two changes with fingerprints" || bad "the drift is two changes with fingerprints: $fps"
"$bin" allow $fps --reason "x lands later" --until 2099-12-31 $M --repo plugin="$c@drift" --offline >/dev/null 2>&1 || bad "allow the drift's fingerprints"
expect "an approved drift leaves the contracts rule passing" 1 "release rule contracts: passed: diff is clean at the pair released" -- gate $R --repo plugin="$c@drift" --offline
has "the approval is said" "x lands later"
has "the pin rule is not approved away" "release rule pin: failed"
rm -f "$m/allow.json"

# --- every report format carries the rules ---------------------------------
expect "all formats" 1 "" -- gate $R --repo plugin="$c@skew" --offline --workspace-repo plugin --format text,json,markdown,junit,github,sarif --output-dir "$tmp/r"
grep -q '"kind": "gate-failed"' "$tmp/r/report.json" && ok "json: gate-failed" || bad "json: gate-failed"
grep -q '"kind": "gate-passed"' "$tmp/r/report.json" && ok "json: gate-passed" || bad "json: gate-passed"
grep -q '"ruleId": "gate-failed"' "$tmp/r/report.sarif" && ok "sarif: gate-failed" || bad "sarif: gate-failed"
grep -q 'uv.lock' "$tmp/r/report.sarif" && ok "sarif: the file" || bad "sarif: the file"
grep -q '<failure' "$tmp/r/report.xml" && ok "junit: a failure" || bad "junit: a failure"
grep -q 'versions out of step' "$tmp/r/report.md" && ok "markdown: the rule" || bad "markdown: the rule"
grep -q 'file=uv.lock,line=9' "$tmp/r/report.github.txt" && ok "github: an annotation at the line" || bad "github: an annotation at the line"

# --- bad input: one line, exit 2 -------------------------------------------
expect "--fail-on info is refused" 2 "contracts: --fail-on info: passed rules are reported as info" -- gate $R --fail-on info
expect "--tag needs --release with two releases" 2 "--tag names one release: say which repository with --release NAME (2 have a \"release\" block)" -- gate $M --tag v2.0.0 --offline
expect "an unknown --release" 2 "unknown repository 'nope'" -- gate $M --release nope --offline
expect "--index must be http(s)" 2 "--index 'ftp://x' is not an http(s) URL" -- gate $R --index ftp://x
sed 's/"package": "plugin",/"package": "plugin", "colour": 1,/' "$m/manifest.json" >"$m/bad.json"
sed 's/"package": "plugin",/"package": "plu gin",/' "$m/manifest.json" >"$m/bad3.json"
expect "a package name that is none" 2 "\"package\" must name the package" -- gate --manifest "$m/bad3.json" --release plugin --offline
expect "an unknown key in a release block" 2 "invalid manifest: /repositories/plugin/release: unknown key \"colour\"" -- gate --manifest "$m/bad.json" --release plugin --offline
sed 's#"version_files": \["pyproject.toml", "plugin#"version_files": ["../x.toml", "plugin#' "$m/manifest.json" >"$m/bad2.json"
expect "a version file outside the repository" 2 "\"version_files\" must list pyproject.toml, uv.lock or .py files inside the repository" -- gate --manifest "$m/bad2.json" --release plugin --offline
git clone -q "$c" "$tmp/wt2"
printf '[project\nversion = "1"\n' >"$tmp/wt2/pyproject.toml"
expect "a version file that is no TOML" 2 "pyproject.toml:1:9: invalid TOML: expected ']' at the end of a table header" -- gate $R --repo plugin="$tmp/wt2" --offline
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok "one line" || bad "one line"

echo "gate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
