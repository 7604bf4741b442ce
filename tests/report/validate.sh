#!/bin/sh
# The reports against their schemas, on the sample pair (a clean run, a run
# with error findings) and the compare sample. Usage:
#   validate.sh json|junit|sarif|workflow CONTRACTS_BINARY SOURCE_TESTS_DIR
#   json      docs/report.schema.json, with python3's jsonschema when it
#             imports, else a check of the required keys (it says which)
#   junit     xmllint --schema tests/fixtures/junit/junit.xsd
#   sarif     the SARIF multitool from the npm registry (validate); no
#             result at level error
#   workflow  nightly/nightly-contracts.yml with @action-validator/cli
# npm packages go to $CONTRACTS_NPM_DIR (default ~/.cache/contracts-npm).
# Exit 77 (skipped, said on stdout) when the tool is missing.
set -u
what=$1 bin=$2 tests=$3
root=$(cd "$tests/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $1"; }
bad() { failed=1; echo "FAIL - $1"; }
skip() { echo "SKIP - $1" >&2; exit 77; }

# reports: clean sample, sample with a missing pin and a broken file, compare
reports() {
	sm="--manifest samples/manifest.json --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox"
	(cd "$root" && "$bin" diff $sm --format "$1" --output "$tmp/sample.$1" >/dev/null 2>&1)
	cp -r "$root/samples" "$tmp/broken"
	rm "$tmp/broken/pinned/sse-events.json"
	printf 'class Broken(:\n' >>"$tmp/broken/repos/netbox-proxbox/netbox_proxbox/backend.py"
	(cd "$root" && "$bin" diff --manifest "$tmp/broken/manifest.json" \
		--repo proxbox-api="$tmp/broken/repos/proxbox-api" \
		--repo netbox-proxbox="$tmp/broken/repos/netbox-proxbox" \
		--format "$1" --output "$tmp/broken.$1" >/dev/null 2>&1)
	[ $? -eq 2 ] && ok "$1: a run with errors exits 2 and writes the report" || bad "$1: a run with errors exits 2"
	(cd "$root" && "$bin" compare samples/compare/pinned.json samples/compare/current.json \
		--format "$1" --output "$tmp/compare.$1" >/dev/null 2>&1)
	for f in sample broken compare; do
		[ -s "$tmp/$f.$1" ] || bad "$1: $f report written"
	done
}

npm_tool() { # npm_tool PACKAGE BIN: path of BIN, installed on demand
	command -v npm >/dev/null 2>&1 || skip "npm is not installed: $1 not run"
	dir=${CONTRACTS_NPM_DIR:-${HOME:-/tmp}/.cache/contracts-npm}
	if [ ! -x "$dir/node_modules/.bin/$2" ]; then
		mkdir -p "$dir"
		(cd "$dir" && npm install --no-audit --no-fund --silent "$1" >/dev/null 2>&1) ||
			skip "npm could not install $1 (offline?)"
	fi
	echo "$dir/node_modules/.bin/$2"
}

case $what in
json)
	reports json
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
	python3 - "$root/docs/report.schema.json" "$tmp"/*.json <<'PY' || failed=1
import json, sys
schema = json.load(open(sys.argv[1]))
try:
    import jsonschema
    check = jsonschema.Draft202012Validator(schema)
    check.check_schema(schema)
    from importlib.metadata import version
    how = "jsonschema " + version("jsonschema")
except ImportError:
    check = None
    how = "a check of the required keys (jsonschema does not import)"
print("validating with", how)
def keys(o, want, where):
    miss = [k for k in want if k not in o]
    assert not miss, "%s lacks %s" % (where, miss)
errors = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    try:
        if check:
            check.validate(doc)
        else:
            keys(doc, schema["required"], path)
            for c in doc["contracts"]:
                keys(c, schema["$defs"]["contract"]["required"], c.get("name"))
                for f in c["findings"]:
                    keys(f, schema["$defs"]["finding"]["required"], f.get("id"))
                    for o in f["origins"]:
                        assert o["line"] is None or o["line"] >= 1
        print("ok - json: %s validates" % path.rsplit("/", 1)[1])
    except Exception as e:
        errors += 1
        print("FAIL - json: %s: %s" % (path, str(e).splitlines()[0]))
# the broken run has its error findings, 1-based
b = json.load(open([p for p in sys.argv[2:] if p.endswith("broken.json")][0]))
errs = [f for c in b["contracts"] for f in c["findings"] if f["severity"] == "error"]
if not errs or b["summary"]["errors"] != len(errs):
    errors += 1
    print("FAIL - json: the broken run reports its errors as findings")
else:
    print("ok - json: the broken run has %d error finding(s)" % len(errs))
sys.exit(1 if errors else 0)
PY
	;;
junit)
	reports junit
	command -v xmllint >/dev/null 2>&1 || skip "xmllint is not installed"
	for f in "$tmp"/*.junit; do
		if xmllint --noout --schema "$tests/fixtures/junit/junit.xsd" "$f" 2>"$tmp/err"; then
			ok "junit: ${f##*/} validates"
		else
			bad "junit: ${f##*/}"; cat "$tmp/err"
		fi
	done
	grep -q '<error type="error"' "$tmp/broken.junit" && ok "junit: the broken run has <error>s" || bad "junit: the broken run has <error>s"
	;;
sarif)
	reports sarif
	tool=$(npm_tool @microsoft/sarif-multitool sarif-multitool) || exit $?
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (reads the multitool's log)"
	for f in "$tmp"/*.sarif; do
		rm -f "$tmp/log.sarif"
		"$tool" validate "$f" --output "$tmp/log.sarif" >"$tmp/out" 2>&1
		# the multitool exits 0 whatever it finds: read its own log
		if python3 - "$tmp/log.sarif" <<'PY'; then ok "sarif: ${f##*/} validates (no error-level result)"; else bad "sarif: ${f##*/}"; grep -i error "$tmp/out" | head -5; fi
import json, sys
log = json.load(open(sys.argv[1]))
errs = [r for run in log["runs"] for r in run.get("results", []) if r.get("level") == "error"]
for r in errs:
    print(r["ruleId"], r["message"].get("text", r["message"]))
ok = log["runs"] and all(i.get("executionSuccessful", True) for run in log["runs"] for i in run.get("invocations", []))
sys.exit(1 if errs or not ok else 0)
PY
	done
	;;
workflow)
	tool=$(npm_tool @action-validator/cli action-validator) || exit $?
	if "$tool" "$root/nightly/nightly-contracts.yml" >"$tmp/out" 2>&1; then
		ok "workflow: nightly/nightly-contracts.yml validates"
	else
		bad "workflow: nightly/nightly-contracts.yml"; cat "$tmp/out"
	fi
	# and the validator refuses a broken one, so the check can fail
	sed 's/runs-on:/runs-onn:/' "$root/nightly/nightly-contracts.yml" >"$tmp/broken.yml"
	"$tool" "$tmp/broken.yml" >/dev/null 2>&1 && bad "workflow: a broken workflow is refused" || ok "workflow: a broken workflow is refused"
	;;
*)
	echo "usage: validate.sh json|junit|sarif|workflow CONTRACTS TESTS_DIR" >&2
	exit 2
	;;
esac
exit $failed
