#!/bin/sh
# contracts log and the cache over fixture histories built here: a side
# branch merged (an enum value added on it), a field removed and restored,
# the file that holds the model renamed; the consumer catching up later.
# Goldens in tests/run/golden/ (CT_UPDATE_GOLDEN=1 rewrites them).
#   sh tests/run/history.sh BINARY SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
golden() { # NAME FILE
	if [ -n "${CT_UPDATE_GOLDEN:-}" ]; then
		cp "$2" "$src/tests/run/golden/$1"
		ok "golden $1 written"
	elif cmp -s "$2" "$src/tests/run/golden/$1"; then
		ok "$1 matches golden"
	else
		bad "$1 matches golden"
		diff "$src/tests/run/golden/$1" "$2" | head -20
	fi
}
export CONTRACTS_CACHE_DIR="$tmp/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
day=0
commit() { # REPO MESSAGE: commits everything at a fixed, growing date
	day=$((day + 1))
	d="2026-01-$(printf %02d $day)T12:00:00Z"
	git -C "$1" add -A
	GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git -C "$1" -c user.name=t \
		-c user.email=t@t commit -qm "$2"
}

p="$tmp/provider" c="$tmp/consumer"
mkdir -p "$p/app" "$c/mirror"
git -C "$p" init -q -b main
git -C "$c" init -q -b main
cat >"$p/app/schemas.py" <<'PY'
from enum import Enum
from pydantic import BaseModel

class Color(str, Enum):
    RED = "red"
    GREEN = "green"

class Item(BaseModel):
    id: int
    name: str
PY
commit "$p" "first"
cat >"$c/mirror/mirror.py" <<'PY'
from enum import Enum

class Color(str, Enum):
    RED = "red"
    GREEN = "green"
PY
commit "$c" "consumer first"
git -C "$p" checkout -q -b feature
sed -i 's/    GREEN = "green"/    GREEN = "green"\n    BLUE = "blue"/' "$p/app/schemas.py"
commit "$p" "feature: blue"
echo "# notes" >"$p/NOTES.md"
commit "$p" "feature: notes"
git -C "$p" checkout -q main
echo "# readme" >"$p/README.md"
commit "$p" "readme"
day=$((day + 1))
d="2026-01-$(printf %02d $day)T12:00:00Z"
GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git -C "$p" -c user.name=t -c user.email=t@t merge -q --no-ff -m "merge feature" feature
sed -i '/    name: str/d' "$p/app/schemas.py"
commit "$p" "drop name"
echo "    name: str" >>"$p/app/schemas.py"
commit "$p" "restore name"
git -C "$p" mv app/schemas.py app/models.py
commit "$p" "rename schemas to models"
sed -i 's/    GREEN = "green"/    GREEN = "green"\n    BLUE = "blue"/' "$c/mirror/mirror.py"
commit "$c" "consumer knows blue"

mkdir -p "$tmp/m/pinned"
cat >"$tmp/m/manifest.json" <<JSON
{
  "version": 1,
  "repositories": {
    "provider": {"location": "$p", "ref": "main", "role": "provider"},
    "consumer": {"location": "$c", "ref": "main", "role": "consumer"}
  },
  "contracts": {
    "colors": {
      "direction": "provider-to-consumer",
      "pinned": "pinned/colors.json",
      "sources": [
        {"repo": "provider", "extractor": "python-enum", "paths": ["app/*.py"],
         "options": {"classes": ["Color"]}},
        {"repo": "consumer", "extractor": "python-enum", "paths": ["mirror/*.py"],
         "options": {"classes": ["Color"]}}]
    },
    "items": {
      "direction": "exact",
      "pinned": "pinned/items.json",
      "sources": [
        {"repo": "provider", "extractor": "python-model", "paths": ["app/*.py"],
         "options": {"classes": ["Item"]}}]
    }
  }
}
JSON
m="$tmp/m/manifest.json"
branch=$(git -C "$p" rev-parse feature~1)

# --- log of one side
"$bin" log --manifest "$m" >"$tmp/log.txt" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok "log exits 0" || { bad "log exits 0 (got $rc)"; cat "$tmp/err"; }
golden log.txt "$tmp/log.txt"
grep -q "enum-value-added Color.blue .*(from ${branch%????????????????????????????}, merged)" "$tmp/log.txt" &&
	ok "a change merged names the branch commit that made it" ||
	bad "a change merged names the branch commit that made it"
grep -q "property-removed Item.name" "$tmp/log.txt" && grep -q "property-added Item.name" "$tmp/log.txt" &&
	ok "a field removed and restored is two entries" || bad "a field removed and restored is two entries"
grep -q "rename schemas to models" "$tmp/log.txt" && bad "a rename alone changes nothing" || ok "a rename alone changes nothing"
"$bin" log --manifest "$m" --format json >"$tmp/log.json" 2>"$tmp/err"
golden log.json "$tmp/log.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['commits']==6, d['commits']" "$tmp/log.json" &&
	ok "log json: 6 first-parent commits walked" || bad "log json: 6 first-parent commits walked"
"$bin" log --manifest "$m" --format markdown >"$tmp/log.md" && golden log.md "$tmp/log.md"
"$bin" log --manifest "$m" --contract items HEAD~2..HEAD >"$tmp/range.txt" 2>"$tmp/err"
grep -q "2 commits walked" "$tmp/range.txt" && ! grep -q "Color" "$tmp/range.txt" &&
	ok "a range and --contract narrow the walk" || { bad "a range and --contract narrow the walk"; cat "$tmp/range.txt" "$tmp/err"; }
"$bin" log --manifest "$m" --since 2026-01-07 >"$tmp/since.txt"
grep -q "3 commits walked" "$tmp/since.txt" && ! grep -q "merge feature" "$tmp/since.txt" && ok "--since leaves out older commits" || { bad "--since leaves out older commits"; cat "$tmp/since.txt"; }
"$bin" log --manifest "$m" --side consumer >"$tmp/clog.txt"
grep -q "consumer knows blue" "$tmp/clog.txt" && ok "--side walks the other repository" || bad "--side walks the other repository"

# --- the pair
"$bin" log --manifest "$m" --pair --severity info >"$tmp/pair.txt" 2>"$tmp/err"
golden pair.txt "$tmp/pair.txt"
grep -A2 "value-not-sent\|value-refused" "$tmp/pair.txt" | grep -q "consumer caught up" &&
	ok "the drift closes when the consumer catches up" || { bad "the drift closes when the consumer catches up"; cat "$tmp/pair.txt"; }
"$bin" log --manifest "$m" --pair --severity info --format svg >"$tmp/pair.svg"
golden pair.svg "$tmp/pair.svg"
"$bin" log --manifest "$m" --format svg >"$tmp/log.svg"
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/pair.svg" "$tmp/log.svg" && ok "the SVGs are well-formed XML" || bad "the SVGs are well-formed XML"
else
	echo "skip - xmllint not installed: SVG well-formedness not checked"
fi
"$bin" log --manifest "$m" --pair --format json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['provider']=='provider'" &&
	ok "pair json" || bad "pair json"

# --- a history walked before is read back; a new commit walks again
CONTRACTS_CACHE_STATS=1 "$bin" log --manifest "$m" --pair --severity info >"$tmp/pair2.txt" 2>"$tmp/s0"
cmp -s "$tmp/pair.txt" "$tmp/pair2.txt" && grep -q "cache: [1-9][0-9]* hits, 0 misses (0 damaged), 0 writes" "$tmp/s0" &&
	ok "the same pair of heads is read back from the cache" || { bad "the same pair of heads is read back from the cache"; cat "$tmp/s0"; }
cp -r "$c" "$tmp/consumer2"
sed -i 's/    BLUE = "blue"/    BLUE = "blue"\n    PINK = "pink"/' "$tmp/consumer2/mirror/mirror.py"
commit "$tmp/consumer2" "consumer knows pink"
"$bin" log --manifest "$m" --pair --severity info --repo consumer="$tmp/consumer2@main" >"$tmp/pair3.txt" 2>&1
grep -q "consumer (3 commits)" "$tmp/pair3.txt" && ok "a new commit is walked" || { bad "a new commit is walked"; cat "$tmp/pair3.txt"; }

# --- usage errors
"$bin" log --manifest "$m" --side nobody >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "no repository 'nobody'" "$tmp/err" && ok "an unknown side exits 2" || bad "an unknown side exits 2 ($rc)"
"$bin" log --manifest "$m" --since yesterday >/dev/null 2>&1; [ $? -eq 2 ] && ok "a bad date exits 2" || bad "a bad date exits 2"
"$bin" log --manifest "$m" nosuchref >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && ok "an unknown ref exits 2" || bad "an unknown ref exits 2"
"$bin" log --manifest "$m" --format pdf >/dev/null 2>&1; [ $? -eq 2 ] && ok "an unknown format exits 2" || bad "an unknown format exits 2"

# --- the cache: hits and misses, damage, two processes, no place to write
"$bin" pin --manifest "$m" >/dev/null 2>&1
rm -rf "$tmp/cache"
diffrun() { CONTRACTS_CACHE_STATS=1 "$bin" diff --manifest "$m" --format json "$@"; }
CONTRACTS_CACHE=off "$bin" diff --manifest "$m" --format json >"$tmp/ref.json" 2>/dev/null
diffrun >"$tmp/d1.json" 2>"$tmp/s1"
cmp -s "$tmp/ref.json" "$tmp/d1.json" && ok "a cold run reports as a run without the cache" || bad "a cold run reports as a run without the cache"
grep -q "cache: 0 hits, [1-9][0-9]* misses (0 damaged), [1-9][0-9]* writes" "$tmp/s1" && ok "a cold run misses and writes" || { bad "a cold run misses and writes"; cat "$tmp/s1"; }
diffrun >"$tmp/d2.json" 2>"$tmp/s2"
cmp -s "$tmp/ref.json" "$tmp/d2.json" && ok "a warm run reports the same" || bad "a warm run reports the same"
grep -q "cache: [1-9][0-9]* hits, 0 misses (0 damaged), 0 writes" "$tmp/s2" && ok "a warm run only hits" || { bad "a warm run only hits"; cat "$tmp/s2"; }
# a damaged module entry: sides forgotten, one module truncated
rm -rf "$tmp/cache/facts/side" "$tmp/cache/facts/sidedeps"
e=$(find "$tmp/cache/facts/py1" "$tmp/cache/facts/py0" -type f 2>/dev/null | head -1)
head -c 20 "$e" >"$e.cut" && mv "$e.cut" "$e"
diffrun >"$tmp/d3.json" 2>"$tmp/s3"
cmp -s "$tmp/ref.json" "$tmp/d3.json" && ok "a truncated entry changes nothing reported" || bad "a truncated entry changes nothing reported"
grep -q "(1 damaged)" "$tmp/s3" && ok "the truncated entry is counted damaged" || { bad "the truncated entry is counted damaged"; cat "$tmp/s3"; }
[ "$(wc -c <"$e")" -gt 20 ] && ok "the damaged entry is written again" || bad "the damaged entry is written again"
# two processes filling one cache at once
rm -rf "$tmp/cache"
diffrun >"$tmp/a.json" 2>/dev/null &
pa=$!
diffrun >"$tmp/b.json" 2>/dev/null &
pb=$!
wait $pa; wait $pb
cmp -s "$tmp/ref.json" "$tmp/a.json" && cmp -s "$tmp/ref.json" "$tmp/b.json" && ok "two processes at once report the same" || bad "two processes at once report the same"
diffrun >/dev/null 2>"$tmp/s4"
grep -q "0 misses (0 damaged), 0 writes" "$tmp/s4" && ok "and leave a whole cache" || { bad "and leave a whole cache"; cat "$tmp/s4"; }
find "$tmp/cache" -name '*.tmp.*' | grep -q . && bad "no temporary left" || ok "no temporary left"
# a cache folder that cannot be made: one warning, the same report
: >"$tmp/afile"
CONTRACTS_CACHE_DIR="$tmp/afile/cache" "$bin" diff --manifest "$m" --format json >"$tmp/d5.json" 2>"$tmp/s5"
cmp -s "$tmp/ref.json" "$tmp/d5.json" && ok "without a cache folder the report is the same" || bad "without a cache folder the report is the same"
[ "$(grep -c "warning: cannot create the cache folder" "$tmp/s5")" -eq 1 ] && ok "one warning says why" || { bad "one warning says why"; cat "$tmp/s5"; }
if [ "$(id -u)" -ne 0 ]; then
	rm -rf "$tmp/ro" && mkdir -p "$tmp/ro/facts" && chmod 555 "$tmp/ro/facts"
	CONTRACTS_CACHE_DIR="$tmp/ro" "$bin" diff --manifest "$m" --format json >"$tmp/d6.json" 2>"$tmp/s6"
	cmp -s "$tmp/ref.json" "$tmp/d6.json" && [ "$(grep -c "warning: cannot write" "$tmp/s6")" -eq 1 ] &&
		ok "a read-only cache folder: the same report, one warning" || { bad "a read-only cache folder"; cat "$tmp/s6"; }
else
	echo "skip - running as root: a read-only folder is writable; the folder that cannot be made stands for it"
fi
# cache stats and clear
"$bin" cache stats --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['entries']>0" && ok "cache stats counts entries" || bad "cache stats counts entries"
"$bin" cache clear | grep -q "removed [1-9]" && ok "cache clear removes them" || bad "cache clear removes them"
"$bin" cache stats | grep -q "all  *0 entries" && ok "and the cache is empty" || bad "and the cache is empty"
"$bin" cache frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok "an unknown cache action exits 2" || bad "an unknown cache action exits 2"

echo "# $passed passed, $failed failed"
[ $failed -eq 0 ]
