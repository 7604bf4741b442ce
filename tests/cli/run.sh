#!/bin/sh
# End-to-end tests of the contracts binary: exit codes, messages and golden
# reports. Usage: run.sh CONTRACTS_BINARY SOURCE_TESTS_DIR
# CT_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing them.
set -u
bin=$1
tests=$2
root=$(cd "$tests/.." && pwd)
golden=$tests/cli/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
NO_COLOR=1
export NO_COLOR

ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }

# runs NAME WANT_EXIT ARGS...: runs the binary from the project root into
# $tmp/out and $tmp/err; fails the check (status 1) when the exit code is
# not WANT_EXIT.
runs() {
	name=$1 want=$2
	shift 2
	(cd "$root" && "$bin" "$@") >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, wanted $want"; cat "$tmp/err"; return 1
	fi
}

# expect NAME WANT_EXIT STDERR_SUBSTRING -- ARGS...: runs the binary from the
# project root, checks the exit code and that stderr holds the substring.
expect() {
	name=$1 want=$2 msg=$3
	shift 4
	runs "$name" "$want" "$@" || return
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then
		bad "$name: stderr lacks '$msg'"; cat "$tmp/err"; return
	fi
	if [ -n "$msg" ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		bad "$name: wanted one line on stderr"; cat "$tmp/err"; return
	fi
	ok "$name"
}

# expect_out NAME WANT_EXIT STDOUT_SUBSTRING -- ARGS...: like expect, for
# what is reported on stdout (a comparison that could not be made).
expect_out() {
	name=$1 want=$2 msg=$3
	shift 4
	runs "$name" "$want" "$@" || return
	if ! grep -qF -- "$msg" "$tmp/out"; then
		bad "$name: stdout lacks '$msg'"; cat "$tmp/out"; return
	fi
	ok "$name"
}

# same NAME FILE GOLDEN: compares a file with its golden copy byte for byte.
same() {
	if [ "${CT_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$2" "$golden/$3"; ok "$1 (golden rewritten)"; return
	fi
	if cmp -s "$2" "$golden/$3"; then ok "$1"; else
		bad "$1: differs from golden $3"; diff -u "$golden/$3" "$2" | head -20
	fi
}

old=samples/compare/pinned.json
new=samples/compare/current.json

# --- reports, golden, one per format
for f in text json markdown junit github sarif; do
	expect "compare --format $f exits 1 on breaking drift" 1 "" -- compare $old $new --format $f
	same "compare --format $f matches golden" "$tmp/out" "compare.$f"
done

# --- several formats into a folder: the same bytes as on stdout
expect "compare --output-dir writes every format" 1 "" -- compare $old $new \
	--format text,json,markdown,junit,github,sarif --output-dir "$tmp/reports"
for pair in text:txt json:json markdown:md junit:xml github:github.txt sarif:sarif; do
	same "report.${pair#*:} in --output-dir" "$tmp/reports/report.${pair#*:}" "compare.${pair%%:*}"
done
expect "compare --output writes one file" 1 "" -- compare $old $new --format json --output "$tmp/one.json"
same "--output file matches golden" "$tmp/one.json" compare.json
if [ ! -s "$tmp/out" ]; then ok "--output leaves stdout empty"; else bad "--output leaves stdout empty"; fi

# --- exit codes
expect "identical documents exit 0" 0 "" -- compare $old $old
expect "--fail-on never exits 0 despite drift" 0 "" -- compare $old $new --fail-on never
expect "--fail-on=info exits 1" 1 "" -- compare $old $new --fail-on=info
expect "--direction exact" 1 "" -- compare $old $new --direction exact
grep -q "summary: 13 breaking, 0 warning, 0 info" "$tmp/out" && ok "exact makes all 13 changes breaking" || bad "exact makes all 13 changes breaking"
expect "superset turns added values into info" 1 "" -- compare $old $new --direction superset
grep -q '^  info: the new document has "migrate_progress" in StreamMessageType; the old document does not \[' "$tmp/out" && ok "superset report" || bad "superset report"

# --- bad input: exit 2 and one clear line naming what and where
printf '{\n  "x-contract": {"name": "n",, "version": 1}\n}\n' >"$tmp/malformed.json"
printf '{"name": "package", "version": "1.0.0"}\n' >"$tmp/package.json"
: >"$tmp/empty.json"
printf '{"x-contract": {"name": "n", "version": 1},\n "$defs": {"M": {"properties": {"e": {"$ref": "#/$defs/Nope"}}}}}\n' >"$tmp/badref.json"
printf '{"x-contract": {"name": "n", "version": 1},\n "$defs": {"E": {"enum": ["a", "a"]}}}\n' >"$tmp/dupenum.json"
expect "missing file" 2 "contracts: $tmp/none.json: cannot open: no such file or directory" -- compare "$tmp/none.json" $new
expect "a directory" 2 "contracts: $tmp: is a directory, not a file" -- compare "$tmp" $new
expect "malformed JSON names line and column" 2 "contracts: $tmp/malformed.json:2:30: expected a string key" -- compare "$tmp/malformed.json" $new
expect "not a contract" 2 "not a valid contract: /: unknown key \"name\"" -- compare $old "$tmp/package.json"
expect "empty file" 2 "contracts: $tmp/empty.json: empty document" -- compare $old "$tmp/empty.json"
expect "ref to a missing shape" 2 "$tmp/badref.json:2:47: not a valid contract: /\$defs/M/properties/e/\$ref: \$ref to missing shape \"Nope\"" -- compare "$tmp/badref.json" $new
expect "duplicate enum values" 2 "not a valid contract: /\$defs/E/enum: duplicate enum value \"a\"" -- compare $old "$tmp/dupenum.json"
expect "file over --max-file-size" 2 "over the 100 byte limit" -- compare $old $new --max-file-size 100
# control_characters_escaped: a path holding ESC and a newline was echoed
# raw, which could recolour a terminal or forge a second line
esc=$(printf '\033')
nl='
'
expect "control_characters_escaped: a file that is not there" 2 "contracts: $tmp/a\\x1b[31m\\x0ab.json: cannot open: no such file or directory" -- compare "$tmp/a$esc[31m${nl}b.json" $new
expect "control_characters_escaped: an unknown contract" 2 "contracts: unknown contract 'x\\x1by'" -- diff --manifest samples/manifest.json --contract "x${esc}y"
# max_file_size_refused: every command that takes --max-file-size refuses
# what is not a positive number of bytes (validate took -1 as 2^64 - 1)
printf '"x"\n' >"$tmp/instance.json"
for v in -1 " -1" 0 1k " 5" 18446744073709551616; do
	for cmd in "compare $old $new" "compat $old $new" "cat . README.md" "validate $old $tmp/instance.json --shape DiskFormat"; do
		# shellcheck disable=SC2086
		expect "max_file_size_refused: ${cmd%% *} '$v'" 2 "contracts: --max-file-size '$v' is not a positive number of bytes" -- $cmd --max-file-size "$v"
	done
done
expect "unknown format" 2 "contracts: unknown format 'yaml' (known: text, json, markdown, junit, github, sarif)" -- compare $old $new --format yaml
expect "several formats need a folder" 2 "several formats 'json,text' need --output-dir" -- compare $old $new --format json,text
expect "unknown --fail-on" 2 "unknown --fail-on 'sometimes'" -- compare $old $new --fail-on sometimes
expect "unknown --direction" 2 "unknown --direction 'up'" -- compare $old $new --direction up
expect "unknown option" 2 "unknown option '--colour' for 'compare'" -- compare $old $new --colour
expect "option without its value" 2 "option '--format' needs a value F" -- compare $old $new --format
expect "one argument is too few" 2 "'compare' takes two arguments" -- compare $old
expect "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
expect "no command" 2 "" --
if [ -w /dev/full ]; then
	(cd "$root" && "$bin" compare $old $new >/dev/full 2>"$tmp/err"); got=$?
	if [ $got -eq 2 ] && grep -q "cannot write" "$tmp/err"; then ok "a full disk on stdout is an error"; else bad "a full disk on stdout is an error (exit $got)"; fi
fi

# --- py: the Python readers
py=tests/fixtures/py/src
printf 'class A:\n    x = (1,\n' >"$tmp/open.py"
printf 'def f(:\n    pass\n' >"$tmp/syntax.py"
printf 'class A:\n' >"$tmp/nobody.py"
printf 'x = 1\000\n' >"$tmp/nul.py"
printf 'if x:\n        a = 1\n\tb = 2\n' >"$tmp/tabs.py"
expect "py enums on fixtures" 0 "" -- py enums $py/enums.py
same "py enums matches golden" "$tmp/out" py-enums.json
expect "py models on fixtures" 0 "" -- py models $py/models.py $py/enums.py
same "py models matches golden" "$tmp/out" py-models.json
expect "py check: syntax error" 2 "contracts: $tmp/syntax.py:1:7: invalid syntax" -- py check "$tmp/syntax.py"
expect "py check: unclosed bracket" 2 "contracts: $tmp/open.py:2:9: unclosed bracket: it is never closed" -- py check "$tmp/open.py"
expect "py check: class without body" 2 "$tmp/nobody.py:2:1: expected an indented block after class definition on line 1" -- py check "$tmp/nobody.py"
expect "py check: NUL byte" 2 "$tmp/nul.py:1:6: source code cannot contain null bytes" -- py check "$tmp/nul.py"
printf 'x = "a\000b"\n' >"$tmp/nulstr.py"
expect "nul_byte_inside_a_string_literal" 2 "contracts: $tmp/nulstr.py:1:7: source code cannot contain null bytes" -- py check "$tmp/nulstr.py"
expect "py check: tabs and spaces" 2 "$tmp/tabs.py:3:2: inconsistent use of tabs and spaces in indentation" -- py check "$tmp/tabs.py"
expect "py enums stops at a broken file" 2 "$tmp/syntax.py:1:7: invalid syntax" -- py enums "$tmp/syntax.py" $py/enums.py
if [ ! -s "$tmp/out" ]; then ok "nothing printed after a failure"; else bad "nothing printed after a failure"; fi
expect "py enums --keep-going reads the rest" 2 "$tmp/syntax.py:1:7: invalid syntax" -- py enums "$tmp/syntax.py" $py/enums.py --keep-going
grep -q '"StreamKind"' "$tmp/out" && ok "--keep-going still prints the others" || bad "--keep-going still prints the others"
expect "py literal needs a name" 2 "contracts: python-literal needs the option \"name\"" -- py literal $py/constants.py
expect "py literal of a missing name" 2 "no module-level assignment to NOPE" -- py literal $py/constants.py --options '{"name": "NOPE"}'
expect "py --options must be JSON" 2 "--options is not a JSON object" -- py enums $py/enums.py --options '{bases'
expect "py unknown command" 2 "unknown 'py' command 'frobnicate'" -- py frobnicate $py/enums.py
expect "py tokens of a missing file" 2 "cannot open: no such file or directory" -- py tokens "$tmp/none.py"

# --- the manifest: diff, pin and extract on the sample repositories' work trees
sm="--manifest samples/manifest.json --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox"
expect "diff finds the sample drift" 1 "" -- diff $sm --format json
same "diff json report matches golden" "$tmp/out" diff-sample.json
for f in text markdown junit github sarif; do
	expect "diff --format $f" 1 "" -- diff $sm --format $f
	# SARIF names the sample repositories by absolute file URIs
	sed "s|file://$root/|file://ROOT/|g" "$tmp/out" >"$tmp/out.norm"
	same "diff $f report matches golden" "$tmp/out.norm" "diff-sample.$f"
done
# the CI workspace holds one repository: annotations name its files, the
# other's carry permalinks (none here: the sample is a work tree)
expect "diff --workspace-repo" 1 "" -- diff $sm --format github --workspace-repo netbox-proxbox
grep -q '^::error file=netbox_proxbox/backend.py,line=13,title=contracts rest-routes%3A breaking route' "$tmp/out" &&
	ok "github: a finding of the workspace repository is on its file" || bad "github: a finding of the workspace repository is on its file"
grep '^::error title=contracts sse-events' "$tmp/out" | grep -q 'provider: proxbox-api:proxbox_api/schemas/stream_messages.py:13' &&
	ok "github: a finding of the other repository has no file, its place in the text" || bad "github: a finding of the other repository has no file, its place in the text"
[ "$(grep -c '^::' "$tmp/out")" -eq 10 ] && ok "github: one annotation per finding" || bad "github: one annotation per finding"
# a source that fails: an error finding for each contract that needs it,
# the rest checked, every report written, exit 2
mkdir -p "$tmp/night"
expect "an unreachable source: every report, exit 2" 2 "" -- diff --manifest samples/manifest.json \
	--repo proxbox-api=git://127.0.0.1:1/none.git --repo netbox-proxbox=samples/repos/netbox-proxbox \
	--offline --format text,json,markdown,junit,github,sarif --output-dir "$tmp/night"
for e in txt json md xml github.txt sarif; do
	[ -s "$tmp/night/report.$e" ] && ok "unreachable source: report.$e written" || bad "unreachable source: report.$e written"
done
grep -q "^summary: 7 breaking, 0 warning, 2 info, 5 error(s) in 14 findings over 5 contracts" "$tmp/night/report.txt" &&
	ok "unreachable source: one error per contract, the consumer's comparisons still made" || { bad "unreachable source: one error per contract"; head -3 "$tmp/night/report.txt"; }
grep -q "next: make the repository reachable" "$tmp/night/report.txt" && ok "unreachable source: the next step says what to do" || bad "unreachable source: the next step says what to do"
# pin --check says what would change, not only that something would
cp -r "$root/samples" "$tmp/pc"
expect_out "pin --check says what would change" 1 'sse-enums.json: StreamMessageType: enum value "migrate_progress" added' -- \
	pin --check --manifest "$tmp/pc/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox
expect "--workspace-repo must name a repository" 2 "--workspace-repo names 'nope'" -- diff $sm --workspace-repo nope
expect "diff of one contract" 0 "" -- diff $sm --contract overwrite-flags --fail-on never
grep -q "contract sse-enums" "$tmp/out" && bad "diff --contract reports only that contract" || ok "diff --contract reports only that contract"
expect "a superset shape inside a contract" 1 "" -- diff $sm --contract sse-enums
grep -q 'DiskFormat' "$tmp/out" && bad "DiskFormat's extra value is no finding: the mirror is a superset" || ok "DiskFormat's extra value is no finding: the mirror is a superset"
expect "extract one side" 0 "" -- extract $sm --contract overwrite-flags --side netbox-proxbox
same "extract matches golden" "$tmp/out" extract-overwrite-flags.json
expect "pin --check sees the stale pin" 1 "samples/pinned/sse-enums.json would change" -- pin $sm --check
cp -r "$root/samples" "$tmp/samples-copy"
expect "pin rewrites the stale pin" 0 "" -- pin --manifest "$tmp/samples-copy/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox
grep -qF "pinned $tmp/samples-copy/pinned/sse-enums.json from proxbox-api" "$tmp/err" && ok "pin says what it rewrote" || bad "pin says what it rewrote"
grep -q '"sources"' "$tmp/samples-copy/pinned/sse-enums.json" && ok "a pin names where it came from" || bad "a pin names where it came from"
expect "pin again changes nothing" 0 "" -- pin --manifest "$tmp/samples-copy/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox
[ -s "$tmp/err" ] && bad "pin again writes nothing" || ok "pin again writes nothing"
expect "pin --check is clean after pinning" 0 "" -- pin --manifest "$tmp/samples-copy/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox --check
ls "$tmp/samples-copy/pinned" | grep -q tmp && bad "pin leaves no temporary file" || ok "pin leaves no temporary file"
cp -r "$root/samples" "$tmp/killed"
cp "$tmp/killed/pinned/sse-enums.json" "$tmp/before.json"
( (cd "$root" && CONTRACTS_TEST_DIE_BEFORE_RENAME=1 "$bin" pin --manifest "$tmp/killed/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox) >/dev/null 2>&1 ) 2>/dev/null
cmp -s "$tmp/before.json" "$tmp/killed/pinned/sse-enums.json" && ok "pin killed between write and rename leaves the old pin intact" || bad "pin killed between write and rename leaves the old pin intact"
for f in "$root"/samples/pinned/*.json; do
	cmp -s "$f" "$tmp/killed/pinned/$(basename "$f")" || bad "a killed pin of several contracts leaves every pin old ($(basename "$f") changed)"
done
ok "a killed pin of several contracts leaves every pin old"
ls "$tmp/killed/pinned" | grep -q '\.tmp\.' && ok "a killed pin leaves only temporaries" || bad "a killed pin leaves only temporaries"
(cd "$root" && "$bin" pin --manifest "$tmp/killed/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox) >/dev/null 2>&1
ls "$tmp/killed/pinned" | grep -q '\.tmp\.' && bad "the next pin removes the temporaries of the dead one" || ok "the next pin removes the temporaries of the dead one"
expect "unknown contract" 2 "unknown contract 'nope'" -- diff $sm --contract nope
expect "--repo needs NAME=SPEC" 2 "--repo 'proxbox-api' is not NAME=SPEC" -- diff --manifest samples/manifest.json --repo proxbox-api
expect "--repo of an unknown repository" 2 "--repo names 'other'" -- diff --manifest samples/manifest.json --repo other=x
# --- approvals
cp -r "$root/samples" "$tmp/allowed"
am="--manifest $tmp/allowed/manifest.json --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox"
expect "diff before approving" 1 "" -- diff $am --contract rest-routes
fp=$(grep -A5 'calls GET /proxmox/nodes;' "$tmp/out" | grep -o 'contracts allow [0-9a-f]*' | head -1 | cut -d' ' -f3)
expect "allow a change" 0 "approved $fp until 2099-12-31" -- allow "$fp" --reason "the backend adds it next" --until 2099-12-31 --manifest "$tmp/allowed/manifest.json"
expect "an approved change no longer fails" 0 "" -- diff $am --contract rest-routes
grep -q "; approved until 2099-12-31: the backend adds it next \\[" "$tmp/out" && ok "the approval is shown" || bad "the approval is shown"
CONTRACTS_TODAY=2100-01-01 expect "an expired approval counts again" 1 "" -- diff $am --contract rest-routes
grep -q "approval expired on 2099-12-31" "$tmp/out" && ok "the expiry is shown" || bad "the expiry is shown"
expect "allow until a provider version" 0 "approved $fp until provider version 0.0.18" -- allow "$fp" --reason "lands in 0.0.18" --until-version 0.0.18 --manifest "$tmp/allowed/manifest.json"
expect "approved while the provider is older" 0 "" -- diff $am --contract rest-routes
grep -q "; approved until provider version 0.0.18: lands in 0.0.18 \\[" "$tmp/out" && ok "the version approval is shown" || bad "the version approval is shown"
expect "allow until the provider's current version" 0 "" -- allow "$fp" --reason "lands in 0.0.17" --until-version 0.0.17 --manifest "$tmp/allowed/manifest.json"
expect "expired once the provider reaches it" 1 "" -- diff $am --contract rest-routes
grep -q "approval expired at provider version 0.0.17 (the provider is at 0.0.17)" "$tmp/out" && ok "the version expiry is shown" || bad "the version expiry is shown"
expect "allow needs one expiry" 2 "--until DATE or --until-version VERSION, one of them" -- allow "$fp" --reason r --manifest "$tmp/allowed/manifest.json"
expect "allow needs a fingerprint" 2 "'xyz' is not a fingerprint" -- allow xyz --reason r --until 2099-01-01 --manifest "$tmp/allowed/manifest.json"
expect "allow needs a reason" 2 "an approval needs a --reason" -- allow "$fp" --until 2099-01-01 --manifest "$tmp/allowed/manifest.json"
expect "allow needs a version" 2 "--until-version 'soon' is not a version" -- allow "$fp" --reason r --until-version soon --manifest "$tmp/allowed/manifest.json"
expect "allow needs a date" 2 "--until 'soon' is not a date" -- allow "$fp" --reason r --until soon --manifest "$tmp/allowed/manifest.json"
expect "until_must_be_a_calendar_date" 2 "contracts: --until '2030-13-45' is not a date YYYY-MM-DD" -- allow "$fp" --reason r --until 2030-13-45 --manifest "$tmp/allowed/manifest.json"
sed 's/"pyproject.toml"/"missing.toml"/' "$tmp/allowed/manifest.json" >"$tmp/allowed/noversion.json"
expect "an approval needs a readable provider version" 2 "missing.toml" -- diff --manifest "$tmp/allowed/noversion.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox --contract rest-routes
CONTRACTS_TODAY=2000-01-01 expect "re-approve by date" 0 "" -- allow "$fp" --reason "by date again" --until 2099-12-31 --manifest "$tmp/allowed/manifest.json"
expect "without version approvals the version is never read" 0 "" -- diff --manifest "$tmp/allowed/noversion.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox --contract rest-routes
# refusals unless --force; --list and --remove
alm="--manifest $tmp/allowed/manifest.json"
expect "allow refuses a fingerprint no finding has" 2 "contracts: no current finding has fingerprint 0123456789abcdef (see 'contracts diff'); --force approves it anyway" -- allow 0123456789abcdef --reason r --until 2099-01-01 $alm
grep -q 0123456789abcdef "$tmp/allowed/allow.json" && bad "a refused approval is not written" || ok "a refused approval is not written"
expect "allow --force takes an unknown fingerprint" 0 "approved 0123456789abcdef until 2099-01-01" -- allow 0123456789abcdef --reason r --until 2099-01-01 --force $alm
CONTRACTS_TODAY=2030-06-01 expect "allow refuses a past date" 2 "contracts: --until 2030-05-31 is past (today is 2030-06-01); --force approves it anyway" -- allow "$fp" --reason r --until 2030-05-31 $alm
CONTRACTS_TODAY=2030-06-01 expect "allow takes today" 0 "approved $fp until 2030-06-01" -- allow "$fp" --reason "today only" --until 2030-06-01 $alm
CONTRACTS_TODAY=2030-06-01 expect "allow --force takes a past date" 0 "approved $fp until 2030-05-31" -- allow "$fp" --reason "past on purpose" --until 2030-05-31 --force $alm
CONTRACTS_TODAY=2030-06-01 expect "allow --list" 0 "" -- allow --list $alm
cat >"$tmp/want" <<END
0123456789abcdef  until 2099-01-01: r
$fp  until 2030-05-31 (expired): past on purpose
END
cmp -s "$tmp/out" "$tmp/want" && ok "allow --list shows each approval, expired ones marked" ||
	{ bad "allow --list shows each approval, expired ones marked"; diff "$tmp/want" "$tmp/out"; }
expect "allow --remove" 0 "contracts: removed the approval of 0123456789abcdef from $tmp/allowed/allow.json" -- allow --remove 0123456789abcdef $alm
expect "allow --list after --remove" 0 "" -- allow --list $alm
grep -q 0123456789abcdef "$tmp/out" && bad "--remove removes" || ok "--remove removes"
grep -q "^$fp " "$tmp/out" && ok "--remove keeps the others" || bad "--remove keeps the others"
expect "allow --remove of no approval" 2 "contracts: $tmp/allowed/allow.json: no approval of 0123456789abcdef" -- allow --remove 0123456789abcdef $alm
expect "allow --remove of no fingerprint" 2 "'xyz' is not a fingerprint" -- allow --remove xyz $alm
expect "allow --list takes no fingerprint" 2 "contracts: --list takes no fingerprint" -- allow --list "$fp" $alm
expect "allow without a fingerprint" 2 "contracts: 'allow' takes fingerprints" -- allow --reason r --until 2099-01-01 $alm
cp -r "$root/samples" "$tmp/noallow"
expect "allow --list without allow.json" 0 "contracts: no approvals in $tmp/noallow/allow.json" -- allow --list -m "$tmp/noallow/manifest.json"
[ -s "$tmp/out" ] && bad "allow --list of nothing prints nothing" || ok "allow --list of nothing prints nothing"
printf '{"version": 1, "allow": [{"fingerprint": "nope"}]}\n' >"$tmp/allowed/allow.json"
expect "a malformed allow.json" 2 "approval 0 needs a 16-hex-digit" -- diff $am --contract rest-routes
# version_cmp_pre_and_post_releases_end: a provider at 0.0.18rc1 looped
# forever against an approval until 0.0.18
cp -r "$root/samples/repos/proxbox-api" "$tmp/rc-api"
printf '#!/bin/sh\nexec timeout 20 "%s" "$@"\n' "$bin" >"$tmp/tbin"
chmod +x "$tmp/tbin"
realbin=$bin bin=$tmp/tbin
rm "$tmp/allowed/allow.json"
expect "version_cmp: allow until 0.0.18" 0 "" -- allow "$fp" --reason "lands in 0.0.18" --until-version 0.0.18 --manifest "$tmp/allowed/manifest.json"
rcm="--manifest $tmp/allowed/manifest.json --repo proxbox-api=$tmp/rc-api --repo netbox-proxbox=samples/repos/netbox-proxbox --contract rest-routes"
sed -i 's/^version = .*/version = "0.0.18rc1"/' "$tmp/rc-api/pyproject.toml"
expect "version_cmp: 0.0.18rc1 is older than 0.0.18" 0 "" -- diff $rcm
sed -i 's/^version = .*/version = "0.0.18.post1"/' "$tmp/rc-api/pyproject.toml"
expect "version_cmp: 0.0.18.post1 is not older than 0.0.18" 1 "" -- diff $rcm
grep -q "approval expired at provider version 0.0.18 (the provider is at 0.0.18.post1)" "$tmp/out" && ok "version_cmp: the post-release expiry is shown" || bad "version_cmp: the post-release expiry is shown"
sed -i 's/^version = .*/version = "0.0.18-final"/' "$tmp/rc-api/pyproject.toml"
expect "version_cmp: an unreadable provider version" 2 "contracts: the provider's version '0.0.18-final' is not a version such as 0.0.18 (PEP 440)" -- diff $rcm
expect "version_cmp: --until-version 0.0.18rc1" 0 "until provider version 0.0.18rc1" -- allow "$fp" --reason r --until-version 0.0.18rc1 --manifest "$tmp/allowed/manifest.json"
bin=$realbin

man() { printf '%s\n' "$1" >"$tmp/m.json"; }
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["a.py"], "pathz": 1}]}}}'
expect "manifest with an unknown key" 2 "$tmp/m.json:1:152: invalid manifest: /contracts/c/sources/0: unknown key \"pathz\"" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "cobol", "paths": ["a.py"]}]}}}'
expect "manifest with an unknown extractor" 2 "unknown extractor \"cobol\"" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["../../etc/*.py"]}]}}}'
expect "manifest path escaping the repository" 2 "path \"../../etc/*.py\" escapes the repository" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["a.py"], "options": {"bases": 5}}]}}}'
expect "a mistyped extractor option names the key" 2 "/contracts/c/sources/0/options/bases: option \"bases\" of python-enum must be an array of strings" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "json-file", "paths": ["a.json"], "options": {"format": "yaml"}}]}}}'
expect "an option value outside its set" 2 "must be one of proxbox-api-sse-schema" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "python-model", "paths": ["a.py"], "options": {"modle": "M"}}]}}}'
expect "an unknown extractor option" 2 "unknown option \"modle\" (python-model takes" -- diff --manifest "$tmp/m.json"
expect "py --options checked too" 2 "--options: option \"bases\" of python-enum must be an array of strings" -- py enums --options '{"bases": 5}' tests/fixtures/py/src/enums.py
# load_repos_version_file_refused: leaked the repository's name and
# location (LSan fails the run in scripts/test --sanitize)
man '{"version": 1, "repositories": {"p": {"location": "x", "ref": "main", "role": "provider", "version_file": "../pyproject.toml"}}, "contracts": {}}'
expect "load_repos_version_file_refused" 2 "contracts: $tmp/m.json:1:38: invalid manifest: /repositories/p: \"version_file\" escapes the repository" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": []}, "c": {}}}'
expect "two contracts with one name" 2 "two contracts named \"c\"" -- diff --manifest "$tmp/m.json"
mkdir -p "$tmp/repo"
man '{"version": 1, "repositories": {"p": {"location": "repo", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "pinned/c.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["**/*.py"]}]}}}'
man '{"version": 1, "repositories": {"p": {"location": "x", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "shape_directions": {"A": "sideways"}, "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["a.py"]}]}}}'
expect "a bad shape direction" 2 "the direction of shape \"A\" must be" -- diff --manifest "$tmp/m.json"
man '{"version": 1, "repositories": {"p": {"location": "repo", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "pinned/c.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["**/*.py"]}]}}}'
expect_out "missing pinned file says to pin, in the report" 2 "run 'contracts pin --contract c'" -- diff --manifest "$tmp/m.json"
expect "no manifest" 2 "cannot open" -- diff --manifest "$tmp/none.json"

# --- compat: can the reader read what the writer writes?
cw=tests/fixtures/compat/writer.json
expect "compat: a lenient mirror reads everything (exit 0)" 0 "" -- compat $cw tests/fixtures/compat/lenient.json
same "compat lenient text matches golden" "$tmp/out" compat-lenient.text
grep -q "the writer sends Announce.origin; the reader does not read it" "$tmp/out" && ok "compat pairs shapes by their event discriminator" || bad "compat pairs shapes by their event discriminator"
for f in text json; do
	expect "compat --format $f: a strict reader breaks (exit 1)" 1 "" -- compat $cw tests/fixtures/compat/strict.json --format $f
	same "compat strict $f matches golden" "$tmp/out" compat-strict.$f
done
grep -q '"side": "reader"' "$tmp/out" && ok "compat json names the reader's origin" || bad "compat json names the reader's origin"
expect "compat --fail-on never" 0 "" -- compat $cw tests/fixtures/compat/strict.json --fail-on never
expect "compat of a missing file" 2 "cannot open" -- compat $cw "$tmp/none.json"
printf '{"x-lists": 1' >"$tmp/bad.json"
expect "compat of malformed JSON" 2 "bad.json:1:" -- compat $cw "$tmp/bad.json"
expect "compat with one document" 2 "" -- compat $cw
# bom_is_skipped: a contract, a manifest and an allow.json opening with a
# UTF-8 byte-order mark were refused
printf '\357\273\277' | cat - "$root/$old" >"$tmp/bom-old.json"
expect "bom_is_skipped: contract" 1 "" -- compare "$tmp/bom-old.json" $new
cp -r "$root/samples" "$tmp/bom"
printf '\357\273\277' | cat - "$root/samples/manifest.json" >"$tmp/bom/manifest.json"
printf '\357\273\277{"version": 1, "allow": []}\n' >"$tmp/bom/allow.json"
expect "bom_is_skipped: manifest and allow.json" 1 "" -- diff --manifest "$tmp/bom/manifest.json" --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox --contract rest-routes
printf '\357\273\277{"n": 1}' >"$tmp/bom-instance.json"
printf '{"x-contract": {"name": "t", "version": 1}, "$defs": {"M": {"type": "object"}}}' >"$tmp/bom-schema.json"
expect "bom_is_skipped: an instance to validate" 0 "" -- validate "$tmp/bom-schema.json" "$tmp/bom-instance.json"
printf '\357\273\277{"x-lists": 1}' >"$tmp/bom-bad.json"
expect "bom_is_skipped: positions do not count it" 2 "contracts: $tmp/bom-bad.json:1:13: not a valid contract: /x-lists: must be an object" -- compare "$tmp/bom-bad.json" $new
for k in x-lists x-events x-routes x-contract '$defs'; do
	printf '{"%s":1}' "$k" >"$tmp/head.json"
	expect "top_level_member_not_an_object: $k" 2 "head.json:1:$((${#k} + 5)): not a valid contract: /$k: must be an" -- compare "$tmp/head.json" "$tmp/head.json"
done

# --- help and version
expect "--version" 0 "" -- --version
grep -qx "contracts [0-9.]*" "$tmp/out" && ok "--version prints the version" || bad "--version prints the version"
expect "--help" 0 "" -- --help
grep -q "compare" "$tmp/out" && ok "--help lists compare" || bad "--help lists compare"
expect "help compare" 0 "" -- help compare
cp "$tmp/out" "$tmp/help1"
expect "compare --help" 0 "" -- compare --help
cmp -s "$tmp/out" "$tmp/help1" && ok "help compare and compare --help agree" || bad "help compare and compare --help agree"
grep -q -- "--fail-on S" "$tmp/out" && ok "help shows options" || bad "help shows options"

# --- options, as getopt_long(3) reads them
expect "short option -f" 1 "" -- compare $old $new -f json
same "-f json matches golden" "$tmp/out" compare.json
expect "short option with its value attached (-fjson)" 1 "" -- compare $old $new -fjson
same "-fjson matches golden" "$tmp/out" compare.json
expect "--format=json" 1 "" -- compare $old $new --format=json
same "--format=json matches golden" "$tmp/out" compare.json
expect "options before the arguments" 1 "" -- compare -f json -o "$tmp/short.json" $old $new
same "-o writes the report" "$tmp/short.json" compare.json
POSIXLY_CORRECT=1 expect "options after the arguments under POSIXLY_CORRECT" 1 "" -- compare $old $new -f json
same "POSIXLY_CORRECT changes nothing" "$tmp/out" compare.json
expect "-- ends the options" 2 "contracts: -f: cannot open: no such file or directory" -- compare -- -f $new
expect "after --, an option is an argument" 2 "'compare' takes two arguments" -- compare -- $old $new -f json
# the report names standard input <stdin>; otherwise it is the golden one
expect "- reads standard input (compare NEW)" 1 "" -- compare $old - <"$root/$new"
sed "s|<stdin>|$new|g" "$tmp/out" >"$tmp/stdin.out"
same "compare OLD - matches golden" "$tmp/stdin.out" compare.text
expect "- reads standard input (compare OLD)" 1 "" -- compare -f json - $new <"$root/$old"
sed "s|<stdin>|$old|g" "$tmp/out" >"$tmp/stdin.out"
same "compare - NEW matches golden" "$tmp/stdin.out" compare.json
expect "- reads standard input (compat)" 1 "" -- compat tests/fixtures/compat/writer.json - <"$root/tests/fixtures/compat/strict.json"
sed "s|<stdin>|tests/fixtures/compat/strict.json|g" "$tmp/out" >"$tmp/stdin.out"
same "compat - matches golden" "$tmp/stdin.out" compat-strict.text
printf '{"x-lists": 1' >"$tmp/stdin-bad.json"
expect "a bad document on standard input is named <stdin>" 2 "contracts: <stdin>:1:" -- compare $old - <"$tmp/stdin-bad.json"
expect "standard input is read once" 2 "contracts: standard input ('-') can be read only once" -- compare - - <"$root/$old"
expect "unknown short option" 2 "contracts: unknown option '-x' for 'compare' (see 'contracts help compare')" -- compare $old $new -x
expect "an abbreviated option is unknown" 2 "contracts: unknown option '--form' for 'compare'" -- compare $old $new --form json
expect "unknown option given a value" 2 "contracts: unknown option '--colour' for 'compare'" -- compare $old $new --colour=red
expect "short option without its value" 2 "contracts: option '--format' needs a value F" -- compare $old $new -f
expect "a flag takes no value" 2 "contracts: option '--quiet' takes no value" -- py tokens --quiet=1 tests/fixtures/py/src/enums.py
expect "--help takes no value" 2 "contracts: option '--help' takes no value" -- compare --help=1
expect "-h" 0 "" -- compare -h
cmp -s "$tmp/out" "$tmp/help1" && ok "-h and help compare agree" || bad "-h and help compare agree"
grep -q -- "-f, --format F" "$tmp/out" && ok "help shows short letters" || bad "help shows short letters"
expect "diff -m -r -c" 0 "" -- diff -m samples/manifest.json -r proxbox-api=samples/repos/proxbox-api -r netbox-proxbox=samples/repos/netbox-proxbox -c overwrite-flags --fail-on never -fjson
cp "$tmp/out" "$tmp/short-diff"
expect "diff --manifest --repo --contract" 0 "" -- diff --manifest samples/manifest.json --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox --contract overwrite-flags --fail-on never --format json
cmp -s "$tmp/out" "$tmp/short-diff" && ok "short and long options agree" || bad "short and long options agree"
expect "- reads standard input (py check)" 2 "contracts: <stdin>:1:7: invalid syntax" -- py check - <"$tmp/syntax.py"
expect "- reads standard input (py enums)" 0 "" -- py enums - <"$root/tests/fixtures/py/src/enums.py"
sed 's|<stdin>|tests/fixtures/py/src/enums.py|g' "$tmp/out" >"$tmp/stdin.out"
(cd "$root" && "$bin" py enums tests/fixtures/py/src/enums.py) >"$tmp/file.out" 2>/dev/null
cmp -s "$tmp/stdin.out" "$tmp/file.out" && ok "py enums - reads what py enums FILE reads" || bad "py enums - reads what py enums FILE reads"
expect "help --man compare" 0 "" -- help --man compare
same "help --man compare matches golden" "$tmp/out" man-compare.1
expect "help --man of an unknown command" 2 "contracts: unknown command 'nope'" -- help --man nope

# --- the manifest: its repository locations are relative to it
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$bin" diff -m "$root/samples/manifest.json" -c overwrite-flags -f json) >"$tmp/out" 2>"$tmp/err"
got=$?
if [ $got -eq 1 ] && grep -q '"netbox-proxbox:netbox_proxbox/constants.py"\|netbox_proxbox/constants.py' "$tmp/out"; then
	ok "manifest-relative locations from another folder"
else
	bad "manifest-relative locations from another folder (exit $got)"; cat "$tmp/err"
fi
grep -q "cannot\|no repository" "$tmp/err" "$tmp/out" && bad "manifest-relative locations: no source error" || ok "manifest-relative locations: no source error"
cp -r "$root/samples" "$tmp/moved-samples"
(cd / && "$bin" diff -m "$tmp/moved-samples/manifest.json" -c overwrite-flags) >"$tmp/out" 2>"$tmp/err"
grep -q "provider  *proxbox-api@WORKTREE" "$tmp/out" && grep -q "pin  *$tmp/moved-samples/pinned/overwrite-flags.json" "$tmp/out" && ok "a moved manifest reads the repositories beside it" ||
	{ bad "a moved manifest reads the repositories beside it"; cat "$tmp/out" "$tmp/err"; }
man '{"version": 1, "repositories": {"p": {"location": "../elsewhere/p", "role": "provider"}}, "contracts": {"c": {"direction": "exact", "pinned": "p.json", "sources": [{"repo": "p", "extractor": "python-enum", "paths": ["a.py"]}]}}}'
expect_out "a relative location is named from the manifest's folder" 2 "$tmp/../elsewhere/p" -- diff --manifest "$tmp/m.json"
(cd "$tmp/cwd" && "$bin" diff >"$tmp/out" 2>"$tmp/err")
grep -qF "contracts: no manifest found: tried contracts/manifest.json, " "$tmp/err" && grep -qF "\$CONTRACTS_DATA (not set)" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	ok "a missing manifest lists every place tried, on one line" || { bad "a missing manifest lists every place tried, on one line"; cat "$tmp/err"; }

# --- the docs show the same help as the binary
for cmd in $(cd "$root" && "$bin" help --commands); do
	(cd "$root" && "$bin" help $cmd) >"$tmp/help"
	awk '/^```/ { n++; next } n == 1' "$root/docs/$cmd.md" >"$tmp/doc"
	cmp -s "$tmp/help" "$tmp/doc" && ok "docs/$cmd.md shows 'contracts help $cmd'" ||
		{ bad "docs/$cmd.md shows 'contracts help $cmd'"; diff "$tmp/doc" "$tmp/help"; }
done

# --- validate: instances against a shape of a contract document
cat >"$tmp/v.json" <<'END'
{
  "$defs": {
    "Item": {
      "additionalProperties": false,
      "properties": {
        "count": { "type": "integer" },
        "kind": { "$ref": "#/$defs/Kind" },
        "meta": { "anyOf": [{ "$ref": "#/$defs/Meta" }, { "type": "null" }] }
      },
      "required": ["count"],
      "type": "object"
    },
    "Kind": { "enum": ["a", "b"], "type": "string" },
    "Meta": { "properties": { "x": { "type": "number" } }, "type": "object" }
  },
  "x-contract": { "name": "v", "version": 1 }
}
END
cat >"$tmp/one.json" <<'END'
{
  "$defs": { "Kind": { "enum": ["a", "b"], "type": "string" } },
  "x-contract": { "name": "one", "version": 1 }
}
END
printf '{"count": 3.0, "kind": "a", "meta": null}\n' >"$tmp/ok.json"
printf '{\n  "count": 3.5,\n  "kind": "c",\n  "meta": {"x": "no"},\n  "extra": 1\n}\n' >"$tmp/bad.json"
expect_out "validate: a valid instance" 0 "valid" -- validate "$tmp/v.json" "$tmp/ok.json" --shape Item
cat >"$tmp/want" <<END
$tmp/bad.json:2: /count: 3.5 is not an integer
$tmp/bad.json:3: /kind: "c" is not one of "a", "b"
$tmp/bad.json:4: /meta/x: "no" is not a number
$tmp/bad.json:5: /extra: property "extra" is not allowed
END
expect "validate: an invalid instance exits 1" 1 "" -- validate "$tmp/v.json" "$tmp/bad.json" --shape Item
cmp -s "$tmp/out" "$tmp/want" && ok "validate: one line per violation, at the line of its value" ||
	{ bad "validate: one line per violation, at the line of its value"; diff "$tmp/want" "$tmp/out"; }
printf '\n 5\n' >"$tmp/five.json"
expect_out "validate: the whole instance is (root)" 1 "five.json:2: (root): 5 is not an object" -- validate "$tmp/v.json" "$tmp/five.json" --shape Item
printf '{}' >"$tmp/empty.json"
expect_out "validate: a missing required property" 1 "empty.json:1: (root): missing required property \"count\"" -- validate "$tmp/v.json" "$tmp/empty.json" --shape Item
expect "validate: several shapes need --shape" 2 "has 3 shapes; choose one with --shape (Item, Kind, Meta)" -- validate "$tmp/v.json" "$tmp/ok.json"
expect "validate: an unknown shape lists the shapes" 2 "unknown shape 'Nope' in '$tmp/v.json' (shapes: Item, Kind, Meta)" -- validate "$tmp/v.json" "$tmp/ok.json" --shape Nope
printf '"b"\n' >"$tmp/b.json"
expect_out "validate: a document with one shape needs no --shape" 0 "valid" -- validate "$tmp/one.json" "$tmp/b.json"
expect "validate: a missing instance" 2 "cannot open" -- validate "$tmp/v.json" "$tmp/none.json" --shape Item
expect "validate: a missing schema" 2 "cannot open" -- validate "$tmp/none.json" "$tmp/ok.json"
printf '{"count": }\n' >"$tmp/broken.json"
expect "validate: malformed JSON names line and column" 2 "broken.json:1:11:" -- validate "$tmp/v.json" "$tmp/broken.json" --shape Item
expect "validate: a schema that is not a contract document" 2 "not a valid contract" -- validate "$tmp/ok.json" "$tmp/ok.json"
expect "validate: one argument is a usage error" 2 "takes two arguments" -- validate "$tmp/v.json"
expect "validate: an unknown option" 2 "unknown option '--nope'" -- validate "$tmp/v.json" "$tmp/ok.json" --nope
(cd "$root" && printf '{"count": 1}' | "$bin" validate "$tmp/v.json" - --shape Item) >"$tmp/out" 2>&1
[ $? -eq 0 ] && grep -qx valid "$tmp/out" && ok "validate: - reads standard input" || bad "validate: - reads standard input"
printf '{"count": 1}\n\n{"count": "x"}\n{"meta": 5, "count": 2}\r\n{"count": 4}\n' >"$tmp/lines.jsonl"
cat >"$tmp/want" <<END
$tmp/lines.jsonl:3: /count: "x" is not an integer
$tmp/lines.jsonl:4: /meta: 5 matches no alternative of anyOf: 5 is not an object; 5 is not null
END
expect "validate --lines: an invalid line exits 1" 1 "" -- validate "$tmp/v.json" "$tmp/lines.jsonl" --shape Item --lines
cmp -s "$tmp/out" "$tmp/want" && ok "validate --lines: violations name their line" ||
	{ bad "validate --lines: violations name their line"; diff "$tmp/want" "$tmp/out"; }
printf '{"count": 1}\n{"count": 1,\n' >"$tmp/lines.jsonl"
expect "validate --lines: a malformed line names its line" 2 "lines.jsonl:2:" -- validate "$tmp/v.json" "$tmp/lines.jsonl" --shape Item --lines
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"count\": %d, \"kind\": \"b\", \"meta\": {\"x\": %d.5}}\n", i, i }' >"$tmp/many.jsonl"
expect_out "validate --lines: 20000 instances in one process" 0 "valid" -- validate "$tmp/v.json" "$tmp/many.jsonl" --shape Item --lines

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
