#!/bin/sh
# cmake --install into a temporary prefix, the prefix moved elsewhere, and
# the installed binary run from another folder: it finds its data beside
# itself, then in $CONTRACTS_DATA, and says every place it looked; every
# command has a manual page; the bash completion completes; the README's
# Use section runs, pasted in order, with the installed binary.
# Usage: install.sh CMAKE BUILD_DIR [SOURCE_DIR]
set -u
cmake=$1
build=$2
src=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }

if ! "$cmake" --install "$build" --prefix "$tmp/first" >"$tmp/log" 2>&1; then
	cat "$tmp/log"
	echo "FAIL - cmake --install"
	exit 1
fi
# relocatable: nothing may remember the prefix it was installed to
mv "$tmp/first" "$tmp/moved"
p=$tmp/moved
bin=$p/bin/contracts
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset CONTRACTS_MANIFEST CONTRACTS_DATA

# --- data found beside the executable
"$bin" diff --contract nope >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "unknown contract 'nope' (see $p/share/contracts/manifest.json)" "$tmp/err"; then
	ok "the moved binary finds the installed manifest"
else
	bad "the moved binary finds the installed manifest (exit $rc)"; cat "$tmp/err"
fi

# --- every place is named when there is none
mv "$p/share/contracts" "$tmp/data"
"$bin" diff >"$tmp/out" 2>"$tmp/err"
rc=$?
want="contracts: no manifest found: tried contracts/manifest.json, $p/share/contracts/manifest.json, \$CONTRACTS_DATA (not set); give one with --manifest FILE or \$CONTRACTS_MANIFEST"
if [ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ]; then
	ok "a missing manifest lists every place tried"
else
	bad "a missing manifest lists every place tried (exit $rc)"; cat "$tmp/err"
fi
CONTRACTS_DATA=$tmp/nowhere "$bin" diff >"$tmp/out" 2>"$tmp/err"
grep -qF ", $tmp/nowhere/manifest.json;" "$tmp/err" && ok "the list names \$CONTRACTS_DATA's manifest" ||
	{ bad "the list names \$CONTRACTS_DATA's manifest"; cat "$tmp/err"; }
CONTRACTS_DATA=$tmp/data "$bin" diff --contract nope >"$tmp/out" 2>"$tmp/err"
grep -qF "(see $tmp/data/manifest.json)" "$tmp/err" && ok "then \$CONTRACTS_DATA" ||
	{ bad "then \$CONTRACTS_DATA"; cat "$tmp/err"; }
mv "$tmp/data" "$p/share/contracts"

# --- a manual page for every command, and contracts.1
"$bin" help --commands >"$tmp/commands"
[ "$(wc -l <"$tmp/commands")" -ge 10 ] && ok "help --commands lists the commands" || bad "help --commands lists the commands"
for page in contracts $(sed 's/^/contracts-/' "$tmp/commands"); do
	f=$p/share/man/man1/$page.1
	if [ ! -s "$f" ]; then
		bad "man page $page.1 installed"; continue
	fi
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -man -Tutf8 -ww -z "$f" 2>&1)
		[ -z "$warn" ] || { bad "man page $page.1 formats without warnings"; echo "$warn"; continue; }
	fi
	ok "man page $page.1 installed"
done
for c in $(cat "$tmp/commands"); do
	# every long option of 'help CMD' is in its page
	"$bin" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/want"
	sed 's/\\-/-/g' "$p/share/man/man1/contracts-$c.1" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/got"
	missing=$(comm -23 "$tmp/want" "$tmp/got")
	[ -z "$missing" ] && ok "contracts-$c.1 shows every option of 'help $c'" ||
		bad "contracts-$c.1 lacks $missing"
	grep -qF "contracts\\-$c (1)" "$p/share/man/man1/contracts.1" && ok "contracts.1 lists $c" || bad "contracts.1 lists $c"
done

# --- bash completion
comp=$p/share/bash-completion/completions/contracts
if [ ! -s "$comp" ]; then
	bad "bash completion installed"
elif ! command -v bash >/dev/null 2>&1; then
	ok "bash completion installed (no bash to run it)"
else
	complete() { # words...: prints the completions of the last word
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _contracts; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@"
	}
	[ "$(complete contracts comp | tr '\n' ' ')" = "compare compat " ] && ok "completes command names" || bad "completes command names"
	complete contracts diff --fa | grep -qx -- --fail-on && ok "completes a command's options" || bad "completes a command's options"
	complete contracts diff -f "" | grep -q . && bad "no file names for --format's value" || ok "no file names for --format's value"
	: >"$tmp/elsewhere/m.json"
	complete contracts diff --manifest m | grep -qx m.json && ok "file names for --manifest's value" || bad "file names for --manifest's value"
	for c in $(cat "$tmp/commands"); do
		"$bin" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/want"
		complete contracts "$c" - | sort -u >"$tmp/got"
		missing=$(comm -23 "$tmp/want" "$tmp/got")
		[ -z "$missing" ] && ok "completion knows every option of $c" || bad "completion of $c lacks $missing"
	done
fi

# --- README's Use section, pasted line by line (the build and install
# lines are what this test did above); drift (exit 1) is intended there
if [ -n "$src" ]; then
	mkdir -p "$tmp/home/.local" "$tmp/readme/tests/fixtures"
	for d in bin share; do ln -s "$p/$d" "$tmp/home/.local/$d"; done
	cp -r "$src/samples" "$tmp/readme/"
	cp -r "$src/tests/fixtures/compat" "$tmp/readme/tests/fixtures/"
	cp "$src/README.md" "$tmp/readme/"
	awk '/^## Use/ { u = 1 } u && /^```sh/ { f = 1; next } f && /^```/ { exit } f' \
		"$src/README.md" >"$tmp/use.sh"
	grep -q "^cmake --install build --prefix" "$tmp/use.sh" && ok "README installs with cmake --install" ||
		bad "README installs with cmake --install"
	n=0
	while IFS= read -r line; do
		case $line in cmake\ *) continue ;; man\ *) command -v man >/dev/null || continue ;; esac
		n=$((n + 1))
		(cd "$tmp/readme" && HOME=$tmp/home PATH=/usr/bin:/bin MANPATH=$p/share/man \
			bash -c "export PATH=\"\$HOME/.local/bin:\$PATH\"; $line") >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -le 1 ] && [ -s "$tmp/out" -o "${line#export}" != "$line" -o "${line#*--output-dir}" != "$line" ]; then
			ok "README: $line"
		else
			bad "README: $line (exit $rc)"; head -5 "$tmp/err"
		fi
	done <"$tmp/use.sh"
	[ $n -ge 5 ] && ok "README's Use section has commands" || bad "README's Use section has commands"
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
