#!/bin/sh
# A manifest run over a git repository built here from our fixture tree
# (tests/fixtures/py/repo): models found through bases in other modules,
# and one file that does not parse, which spoils only the contract that
# reads it, in every report format.
#   sh tests/run/run.sh BINARY SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }

# the repository, committed, then read as a bare clone given as a path
cp -r "$src/tests/fixtures/py/repo" "$tmp/work"
git -C "$tmp/work" init -q -b main
git -C "$tmp/work" -c user.name=t -c user.email=t@t add -A
git -C "$tmp/work" -c user.name=t -c user.email=t@t commit -qm fixture
git clone -q --bare "$tmp/work" "$tmp/shop.git"

mkdir -p "$tmp/m/pinned"
cat >"$tmp/m/manifest.json" <<JSON
{
  "version": 1,
  "repositories": {
    "shop": {"location": "$tmp/shop.git", "role": "provider"}
  },
  "contracts": {
    "orders": {
      "direction": "exact",
      "pinned": "pinned/orders.json",
      "sources": [{"repo": "shop", "extractor": "python-model",
                   "paths": ["shop/schemas/orders.py"],
                   "options": {"classes": ["Rush"]}}]
    },
    "api": {
      "direction": "exact",
      "pinned": "pinned/api.json",
      "sources": [{"repo": "shop", "extractor": "python-model",
                   "paths": ["shop/api/*.py"],
                   "exclude": ["shop/api/missing.py", "shop/api/cycle_*.py"]}]
    }
  }
}
JSON
m="$tmp/m/manifest.json"

# pin refuses a side that cannot be built whole, and names the file
"$bin" pin --manifest "$m" --contract api >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && ok "pin of a side with a broken file exits 2" || bad "pin of a side with a broken file exits 2 (got $rc)"
grep -q "shop/api/broken.py:5:[0-9]*: " "$tmp/err" && ok "pin names file, line and column" || { bad "pin names file, line and column"; cat "$tmp/err"; }
[ -e "$tmp/m/pinned/api.json" ] && bad "pin writes nothing for that side" || ok "pin writes nothing for that side"

"$bin" pin --manifest "$m" --contract orders 2>"$tmp/err" && ok "pin of the good contract" || { bad "pin of the good contract"; cat "$tmp/err"; }
grep -q '"ident"' "$tmp/m/pinned/orders.json" && ok "the pin holds the base's field from another module" || bad "the pin holds the base's field from another module"
commit=$(git -C "$tmp/work" rev-parse HEAD)
grep -q "\"commit\": \"$commit\"" "$tmp/m/pinned/orders.json" && ok "the pin names its commit" || bad "the pin names its commit"
printf '%s\n' '{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-contract": {"name": "api", "version": 1, "direction": "exact"}, "$defs": {}}' >"$tmp/m/pinned/api.json"

# diff goes on past the broken file, in every format
for f in text json markdown junit github sarif; do
	"$bin" diff --manifest "$m" --format $f >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && ok "diff --format $f exits 2" || { bad "diff --format $f exits 2 (got $rc)"; cat "$tmp/err"; }
	[ -s "$tmp/err" ] && { bad "diff --format $f: nothing on stderr"; cat "$tmp/err"; } || ok "diff --format $f: nothing on stderr"
	grep -q "shop/api/broken.py" "$tmp/out" && ok "diff --format $f names the broken file" || { bad "diff --format $f names the broken file"; head -30 "$tmp/out"; }
done
"$bin" diff --manifest "$m" --format json >"$tmp/out"
python3 - "$tmp/out" <<'PY' && ok "json: orders compared clean, api not compared, with line and column" || bad "json: orders compared clean, api not compared, with line and column"
import json, sys
d = json.load(open(sys.argv[1]))
by = {c["name"]: c for c in d["contracts"]}
assert not by["orders"]["findings"], by["orders"]
e = [f["error"] for f in by["api"]["findings"] if f["severity"] == "error"]
assert e and e[0]["path"] == "shop/api/broken.py" and e[0]["line"] == 5 and e[0]["column"], e
assert d["summary"]["errors"] >= 1 and by["api"]["summary"]["errors"] == len(e)
PY
"$bin" diff --manifest "$m" --contract orders >"$tmp/out" 2>&1 && ok "the good contract alone is clean (exit 0)" || { bad "the good contract alone is clean"; cat "$tmp/out"; }

# a module the good contract needs turns bad: that contract reports it
sed -i 's/^class Record(BaseModel):/class Record(BaseModel:/' "$tmp/work/shop/schemas/_base.py"
git -C "$tmp/work" -c user.name=t -c user.email=t@t commit -qam "break the base"
"$bin" diff --manifest "$m" --contract orders --repo shop="$tmp/work@main" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "shop/schemas/_base.py:" "$tmp/out" && ok "a broken base module spoils the contract that resolves through it" || { bad "a broken base module spoils the contract that resolves through it (exit $rc)"; cat "$tmp/out"; }

# an "events" class the side does not have is an error, not an empty list
cat >"$tmp/m/events.json" <<JSON
{"version": 1,
 "repositories": {"shop": {"location": "$tmp/shop.git", "role": "provider"}},
 "contracts": {"ev": {"direction": "exact", "pinned": "pinned/ev.json",
   "sources": [{"repo": "shop", "extractor": "python-enum",
                "paths": ["shop/schemas/kinds.py"], "options": {"events": "Missing"}}]}}}
JSON
"$bin" diff --manifest "$tmp/m/events.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "no enum class Missing" "$tmp/out" && ok "a missing events class is an error of its side" || { bad "a missing events class is an error of its side (exit $rc)"; cat "$tmp/out"; }
# glob_matches_nothing: pin wrote an empty contract and exited 0
mkdir -p "$tmp/g"
cat >"$tmp/g/manifest.json" <<JSON
{"version": 1,
 "repositories": {"shop": {"location": "$tmp/shop.git", "role": "provider"}},
 "contracts": {"none": {"direction": "exact", "pinned": "none.json",
   "sources": [{"repo": "shop", "extractor": "python-model", "paths": ["shop/nothing/*.py"]}]}}}
JSON
want="contracts: no file matches shop/nothing/*.py in shop at $(printf %.12s "$commit")"
"$bin" pin --manifest "$tmp/g/manifest.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && ok "glob_matches_nothing: pin exits 2 and says so" || { bad "glob_matches_nothing: pin exits 2 and says so (exit $rc)"; cat "$tmp/err"; }
[ -e "$tmp/g/none.json" ] && bad "glob_matches_nothing: pin writes nothing" || ok "glob_matches_nothing: pin writes nothing"
"$bin" extract --manifest "$tmp/g/manifest.json" --contract none --side shop >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && ok "glob_matches_nothing: extract exits 2" || { bad "glob_matches_nothing: extract exits 2 (exit $rc)"; cat "$tmp/err"; }
printf '%s\n' '{"x-contract": {"name": "none", "version": 1, "direction": "exact"}}' >"$tmp/g/none.json"
"$bin" diff --manifest "$tmp/g/manifest.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -qF "error: ${want#contracts: }" "$tmp/out" && ok "glob_matches_nothing: diff reports an error entry" || { bad "glob_matches_nothing: diff reports an error entry (exit $rc)"; cat "$tmp/out" "$tmp/err"; }

# json-file over a proxbox-api-sse-schema file of the wrong shape: an
# error naming the file and the key, never a crash
mkdir -p "$tmp/sse" "$tmp/sm"
printf '{"enum_values": {"E": "x"}, "payload_fields": {}}' >"$tmp/sse/enums.json"
printf '{"enum_values": {},\n"payload_fields": {"M": ["a", null]}}' >"$tmp/sse/fields.json"
git -C "$tmp/sse" init -q -b main
git -C "$tmp/sse" -c user.name=t -c user.email=t@t add -A
git -C "$tmp/sse" -c user.name=t -c user.email=t@t commit -qm sse
# bom_is_skipped: a committed json-file input with a byte-order mark
printf '\357\273\277{"enum_values": {"E": ["a"]}, "payload_fields": {"M": ["x"]}}' >"$tmp/sse/bom.json"
git -C "$tmp/sse" -c user.name=t -c user.email=t@t add -A
git -C "$tmp/sse" -c user.name=t -c user.email=t@t commit -qm bom
cat >"$tmp/sm/manifest.json" <<JSON
{"version": 1,
 "repositories": {"api": {"location": "$tmp/sse@main", "role": "provider"}},
 "contracts": {"sse": {"direction": "exact", "pinned": "sse.json",
   "sources": [{"repo": "api", "extractor": "json-file", "paths": ["bom.json"],
                "options": {"format": "proxbox-api-sse-schema"}}]}}}
JSON
"$bin" extract --manifest "$tmp/sm/manifest.json" --contract sse --side api >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && grep -q '"M"' "$tmp/out" && ok "bom_is_skipped: json-file input" || { bad "bom_is_skipped: json-file input (exit $rc)"; cat "$tmp/err"; }
for f in enums fields; do
	cat >"$tmp/sm/manifest.json" <<JSON
{"version": 1,
 "repositories": {"api": {"location": "$tmp/sse@main", "role": "provider"}},
 "contracts": {"sse": {"direction": "exact", "pinned": "sse.json",
   "sources": [{"repo": "api", "extractor": "json-file", "paths": ["$f.json"],
                "options": {"format": "proxbox-api-sse-schema"}}]}}}
JSON
	case $f in
	enums) want='enums.json:1:23: not a proxbox-api-sse-schema file: "enum_values/E" must be an array' ;;
	fields) want='fields.json:2:31: not a proxbox-api-sse-schema file: "payload_fields/M/1" must be a string' ;;
	esac
	for cmd in "extract --side api" pin; do
		# shellcheck disable=SC2086
		"$bin" $cmd --manifest "$tmp/sm/manifest.json" --contract sse >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "contracts: $want" ] && ok "sse_schema_wrong_shape: $cmd, $f: exit 2, one line" || { bad "sse_schema_wrong_shape: $cmd, $f (exit $rc)"; cat "$tmp/err"; }
	done
	[ -e "$tmp/sm/sse.json" ] && bad "sse_schema_wrong_shape: pin wrote nothing" || ok "sse_schema_wrong_shape: pin wrote nothing"
	"$bin" diff --manifest "$tmp/sm/manifest.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && grep -qF "error: $want" "$tmp/out" && ok "sse_schema_wrong_shape: diff, $f: an error entry, exit 2" || { bad "sse_schema_wrong_shape: diff, $f (exit $rc)"; cat "$tmp/out" "$tmp/err"; }
done

# files per glob: 20,000 are read, one more is refused (docs/limits.md)
mkdir -p "$tmp/many/pkg"
python3 -c "
import sys
for i in range(20000):
    open(f'{sys.argv[1]}/pkg/m{i}.py', 'w').close()
" "$tmp/many" 2>/dev/null || for i in $(seq 0 19999); do : >"$tmp/many/pkg/m$i.py"; done
cat >"$tmp/many/manifest.json" <<JSON
{"version": 1,
 "repositories": {"w": {"location": "$tmp/many", "role": "provider"}},
 "contracts": {"e": {"direction": "exact", "pinned": "e.json",
   "sources": [{"repo": "w", "extractor": "python-enum", "paths": ["pkg/*.py"]}]}}}
JSON
"$bin" extract --manifest "$tmp/many/manifest.json" --contract e --side w >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok "a glob of 20,000 files is read (the limit)" || { bad "a glob of 20,000 files is read (exit $rc)"; cat "$tmp/err"; }
: >"$tmp/many/pkg/one_more.py"
"$bin" extract --manifest "$tmp/many/manifest.json" --contract e --side w >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "more than 20000 files match one glob" "$tmp/err" && ok "one file past the limit is refused, saying so" || { bad "one file past the limit is refused (exit $rc)"; cat "$tmp/err"; }

echo "run: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
