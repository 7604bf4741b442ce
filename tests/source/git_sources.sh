#!/bin/sh
# Git sources end to end: fixture repositories made here with the git CLI,
# served by `git daemon` on 127.0.0.1, read through `contracts cat` and
# `contracts ls`. Usage: git_sources.sh CONTRACTS_BINARY
set -u
bin=$1
tmp=$(mktemp -d)
daemon=
cleanup() { [ -n "$daemon" ] && { kill -- -"$daemon" 2>/dev/null || kill "$daemon" 2>/dev/null; }; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
export CONTRACTS_CACHE_DIR="$tmp/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
unset GITHUB_TOKEN CONTRACTS_GIT_TOKEN
mkdir -p "$HOME"
git config --global user.email t@example.invalid
git config --global user.name tests
git config --global init.defaultBranch main
git config --global protocol.file.allow always

# expect NAME EXIT STDERR_SUBSTRING -- ARGS
expect() {
	name=$1 want=$2 msg=$3
	shift 4
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then bad "$name: exit $got, wanted $want"; cat "$tmp/err"; return; fi
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then bad "$name: stderr lacks '$msg'"; cat "$tmp/err"; return; fi
	ok "$name"
}

# --- a repository with history, tags, branches, a merge, a symlink, a
# submodule entry and a large blob
repo="$tmp/srv/backend.git"
work="$tmp/work"
git init -q "$work"
cd "$work"
mkdir -p app/routes
printf 'A = 1\n' >app/constants.py
printf 'x = 1\n' >app/routes/sync.py
git add . && git commit -qm one
git tag v0.0.1
printf 'A = 2\n' >app/constants.py
git commit -qam two
git checkout -qb feature/x
printf 'B = 3\n' >app/feature.py
git add . && git commit -qm feature
git checkout -q main
printf 'C = 4\n' >app/main_only.py
git add . && git commit -qm three
git merge -q --no-edit feature/x
ln -s ../../etc/passwd app/link.py
head -c 3000000 /dev/zero >app/big.bin
git add . && git commit -qm "symlink and big"
sub=$(git hash-object -w --stdin </dev/null)
git update-index --add --cacheinfo 160000,$(git rev-parse HEAD~1),vendor/sub
git commit -qm submodule
git tag v0.0.2
cd - >/dev/null
mkdir -p "$tmp/srv"
git clone -q --bare "$work" "$repo"

# --- local repositories and work trees
expect "local repo at a tag" 0 "" -- cat "$work@v0.0.1" app/constants.py
grep -qx 'A = 1' "$tmp/out" && ok "tag content" || bad "tag content"
expect "local bare repo at a branch with a slash" 0 "" -- cat "$repo@feature/x" app/feature.py
expect "abbreviated commit" 0 "" -- cat "$work@$(git -C "$work" rev-parse --short HEAD~3)" app/constants.py
printf 'A = 99\n' >"$work/app/constants.py"
expect "a work tree shows uncommitted edits" 0 "" -- cat "$work" app/constants.py
grep -qx 'A = 99' "$tmp/out" && ok "uncommitted edit read" || bad "uncommitted edit read"
expect "WORKTREE ref" 0 "" -- cat "$work@WORKTREE" app/constants.py
expect "HEAD ignores the edit" 0 "" -- cat "$work@HEAD" app/constants.py
grep -qx 'A = 2' "$tmp/out" && ok "HEAD content" || bad "HEAD content"

# --- what a local path is: a git directory reads HEAD, a folder on disk
# reads as it is (edits included), and @REF reads that folder at the ref
head=$(git -C "$repo" rev-parse HEAD)
expect "a bare repository without @REF reads HEAD" 0 "" -- cat "$repo" app/constants.py
grep -qx 'A = 2' "$tmp/out" && ok "bare repository content" || bad "bare repository content"
expect "-v says a bare repository is read at HEAD" 0 "at HEAD: commit $head" -- cat -v "$repo" app/constants.py
expect "ls of a bare repository without @REF" 0 "" -- ls "$repo" 'app/*.py'
grep -qx 'app/constants.py' "$tmp/out" && ok "bare repository listing" || bad "bare repository listing"
mirror="$tmp/mirror"
cp -r "$repo" "$mirror" && rm -f "$mirror/config"
expect "a bare repository without a config file (a copied mirror)" 0 "" -- cat "$mirror" app/constants.py
expect "@WORKTREE on a bare repository" 2 "'$repo' is a bare repository: it has no work tree" -- cat "$repo@WORKTREE" app/constants.py
expect "@WORKTREE on a bare repository without a config file" 2 "'$mirror' is a bare repository: it has no work tree" -- cat "$mirror@WORKTREE" app/constants.py
expect "DIR/.git reads HEAD, not the edit" 0 "" -- cat "$work/.git" app/constants.py
grep -qx 'A = 2' "$tmp/out" && ok "DIR/.git content" || bad "DIR/.git content"
expect "DIR/.git@WORKTREE reads the work tree" 0 "" -- cat "$work/.git@WORKTREE" app/constants.py
grep -qx 'A = 99' "$tmp/out" && ok "DIR/.git@WORKTREE content" || bad "DIR/.git@WORKTREE content"
expect "a subfolder reads as it is on disk" 0 "" -- cat "$work/app" constants.py
grep -qx 'A = 99' "$tmp/out" && ok "subfolder content" || bad "subfolder content"
expect "a subfolder at a ref reads that folder of the commit" 0 "" -- cat "$work/app@v0.0.1" constants.py
grep -qx 'A = 1' "$tmp/out" && ok "subfolder at a ref content" || bad "subfolder at a ref content"
expect "ls of a subfolder at a ref" 0 "" -- ls "$work/app/routes@HEAD"
printf 'sync.py\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" && ok "subfolder listing is relative to it" || { bad "subfolder listing is relative to it"; cat "$tmp/out"; }
mkdir -p "$work/untracked"
expect "a subfolder missing at the ref" 2 "'$work/untracked' at $(git -C "$work" rev-parse --short=12 HEAD): its folder 'untracked' is not in that commit" -- ls "$work/untracked@HEAD"
rmdir "$work/untracked"
expect "a folder inside a git directory" 2 "'$repo/refs' is a folder inside the git directory '$repo', not a repository" -- ls "$repo/refs"
expect "a file is not a repository" 2 "no repository at '$work/app/constants.py': it is a file, not a folder" -- ls "$work/app/constants.py"
mkdir -p "$tmp/plain"
printf 'p\n' >"$tmp/plain/p.txt"
expect "a folder in no repository reads as it is" 0 "" -- cat "$tmp/plain" p.txt
expect "a folder in no repository has no refs" 2 "'$tmp/plain' is a folder in no git repository: it has no ref 'main'" -- cat "$tmp/plain@main" p.txt
git init -q --bare "$tmp/empty.git"
expect "an empty bare repository" 2 "'$tmp/empty.git' is an empty repository: HEAD names branch 'main', which has no commit yet" -- ls "$tmp/empty.git"
expect "an empty bare repository at @HEAD" 2 "is an empty repository" -- ls "$tmp/empty.git@HEAD"
git init -q "$tmp/emptywork"
expect "the work tree of an empty repository reads as it is" 0 "" -- ls "$tmp/emptywork"
expect "an empty work tree at @HEAD" 2 "'$tmp/emptywork' is an empty repository" -- ls "$tmp/emptywork@HEAD"
git clone -q --bare "$work" "$tmp/gone.git"
git -C "$tmp/gone.git" symbolic-ref HEAD refs/heads/master
expect "HEAD at a missing branch" 2 "HEAD of '$tmp/gone.git' names branch 'master', which does not exist" -- ls "$tmp/gone.git"
expect "a missing HEAD branch still reads at a ref" 0 "" -- cat "$tmp/gone.git@main" app/constants.py
git -C "$work" worktree add -q "$tmp/linked" feature/x
expect "a linked work tree reads as it is" 0 "" -- cat "$tmp/linked" app/feature.py
expect "a linked work tree at @HEAD" 0 "" -- cat "$tmp/linked@HEAD" app/feature.py
git -C "$work" worktree remove --force "$tmp/linked"

expect "ls with a glob" 0 "" -- ls "$repo@main" 'app/**/*.py'
printf 'app/constants.py\napp/feature.py\napp/main_only.py\napp/routes/sync.py\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" && ok "ls lists matching blobs, sorted" || { bad "ls lists matching blobs, sorted"; cat "$tmp/out"; }
expect "-v names the commit" 0 "commit $(git -C "$repo" rev-parse v0.0.1)" -- cat -v "$repo@v0.0.1" app/constants.py

# --- bad input: exit 2 naming repo, commit and path
expect "unknown ref suggests close names" 2 "unknown ref 'mian' in '$repo' (closest: main" -- cat "$repo@mian" app/constants.py
expect "missing path" 2 "has no file 'app/nope.py'" -- cat "$repo@main" app/nope.py
expect "path escaping the tree" 2 "path '../x' escapes the repository" -- cat "$repo@main" ../x
expect "absolute path" 2 "escapes the repository" -- cat "$repo@main" /etc/passwd
# ls_glob_escaping_refused: ls exited 0 and listed nothing
expect "ls_glob_escaping_refused: ../*" 2 "contracts: glob '../*' escapes the repository '$repo'" -- ls "$repo@main" '../*'
expect "ls_glob_escaping_refused: /etc/*" 2 "contracts: glob '/etc/*' escapes the repository '$work'" -- ls "$work" '/etc/*'
expect "ls_glob_escaping_refused: app/../../*" 2 "contracts: glob 'app/../../*' escapes the repository" -- ls "$repo@main" 'app/../../*'
expect "ls_glob_escaping_refused: ..* stays inside" 0 "" -- ls "$repo@main" '..*'
expect "symlink entry" 2 "'app/link.py' is a symlink; not followed" -- cat "$repo@main" app/link.py
expect "symlink in a work tree" 2 "is a symlink; not followed" -- cat "$work" app/link.py
expect "submodule entry" 2 "'vendor/sub' is a submodule" -- cat "$repo@v0.0.2" vendor/sub
expect "blob over the size limit" 2 "'app/big.bin' is 3000000 bytes, over the 1000000 byte limit" -- cat "$repo@main" app/big.bin --max-file-size 1000000
expect "a folder is not a file" 2 "'app/routes' is a folder" -- cat "$repo@main" app/routes
expect "no such repository" 2 "no repository at '$tmp/nowhere': no such folder" -- cat "$tmp/nowhere@main" x
expect "no such repository without @REF" 2 "no repository at '$tmp/nowhere': no such folder" -- cat "$tmp/nowhere" x

# --- a remote over git daemon
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 39418)
git daemon --reuseaddr --base-path="$tmp/srv" --export-all --listen=127.0.0.1 --port="$port" "$tmp/srv" >/dev/null 2>&1 &
daemon=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	git ls-remote "git://127.0.0.1:$port/backend.git" >/dev/null 2>&1 && break
	sleep 0.3
done
url="git://127.0.0.1:$port/backend.git"
expect "first use clones into the cache" 0 "" -- cat "$url" app/constants.py -q
grep -qx 'A = 2' "$tmp/out" && ok "default branch read" || bad "default branch read"
entry=$(ls -d "$CONTRACTS_CACHE_DIR"/*.git 2>/dev/null | head -1)
[ -n "$entry" ] && [ -f "$entry/HEAD" ] && ok "a bare clone sits in the cache" || bad "a bare clone sits in the cache"
refs=$(git --git-dir="$entry" for-each-ref --format='%(refname)' | tr '\n' ' ')
[ "$refs" = "refs/heads/main " ] && ok "only the ref read is fetched (not every branch and tag)" || bad "only the ref read is fetched: $refs"
ls "$CONTRACTS_CACHE_DIR" | grep -q 'tmp-' && bad "no temporary clone left" || ok "no temporary clone left"
[ ! -e "$entry.lock" ] && ok "the lock is released" || bad "the lock is released"
# what a killed clone and a killed fetch leave goes on the next locked use:
# a clone folder of a dead process, a partial pack (a live process's folder stays)
sh -c 'exit 0' & deadpid=$!; wait $deadpid
mkdir -p "$entry.tmp-$deadpid/objects" "$entry.tmp-$$"
printf 'partial' >"$entry/objects/pack/pack_git2_a1b2c3"
expect "a use after killed runs" 0 "" -- cat "$url@main" app/constants.py -q
[ ! -e "$entry.tmp-$deadpid" ] && ok "a dead clone's temporary folder is removed" || bad "a dead clone's temporary folder is removed"
[ -e "$entry.tmp-$$" ] && ok "a live process's temporary folder stays" || bad "a live process's temporary folder stays"
[ ! -e "$entry/objects/pack/pack_git2_a1b2c3" ] && ok "a killed fetch's partial pack is removed" || bad "a killed fetch's partial pack is removed"
rm -rf "$entry.tmp-$$"
# a new commit upstream arrives on the next use
cd "$work" && git checkout -q app/constants.py && printf 'A = 3\n' >app/constants.py && git commit -qam four && git push -q "$repo" main && cd - >/dev/null
expect "later uses fetch" 0 "" -- cat "$url@main" app/constants.py -q
grep -qx 'A = 3' "$tmp/out" && ok "fetched the new commit" || bad "fetched the new commit"
expect "tags arrive too" 0 "" -- cat "$url@v0.0.1" app/constants.py -q
git --git-dir="$entry" for-each-ref --format='%(refname)' | grep -qx refs/tags/v0.0.1 && ! git --git-dir="$entry" for-each-ref --format='%(refname)' | grep -q 'feature' &&
	ok "a tag asked for is fetched alone" || bad "a tag asked for is fetched alone"
expect "unknown ref on a remote" 2 "unknown ref 'v9' in '$url'" -- cat "$url@v9" app/constants.py -q
expect "user-info is redacted" 3 "git://***@127.0.0.1:1/" -- cat "git://user:secret@127.0.0.1:1/x.git" a -q
grep -q secret "$tmp/err" && bad "the secret leaked" || ok "the secret never shows"

# --- faults: the daemon goes away
kill "$daemon"; wait "$daemon" 2>/dev/null; daemon=
expect "unreachable remote exits 3" 3 "cannot reach '$url'" -- cat "$url" app/constants.py -q
[ -f "$entry/HEAD" ] && ok "the cache entry is untouched" || bad "the cache entry is untouched"
expect "--offline uses the cache and says how old it is" 0 "offline: the cached copy of $url was fetched" -- cat "$url@main" app/constants.py --offline
grep -qx 'A = 3' "$tmp/out" && ok "offline read" || bad "offline read"
expect "--offline without a cached copy exits 3" 3 "is not in the cache" -- cat "git://127.0.0.1:1/other.git" a --offline
: >"$entry.lock.tmp"
# a lock held by a live process makes the next run wait, then say so
sleep 30 &
holder=$!
echo $holder >"$entry.lock"
CONTRACTS_LOCK_WAIT_MS=200 expect "a held lock is reported" 2 "is locked by another run" -- cat "$url" app/constants.py -q
kill $holder 2>/dev/null
echo 999999 >"$entry.lock"
expect "a stale lock is taken over (then the host is unreachable)" 3 "cannot reach" -- cat "$url" app/constants.py -q
rm -f "$entry.lock" "$entry.lock.tmp"

# --- a corrupt entry (an object file deleted) is cloned again
git daemon --reuseaddr --base-path="$tmp/srv" --export-all --listen=127.0.0.1 --port="$port" "$tmp/srv" >/dev/null 2>&1 &
daemon=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	git ls-remote "$url" >/dev/null 2>&1 && break
	sleep 0.3
done
blob=$(git -C "$entry" rev-parse main:app/routes/sync.py)
mkdir -p "$tmp/packs"
mv "$entry"/objects/pack/*.pack "$tmp/packs/"
rm -f "$entry"/objects/pack/*
for pk in "$tmp"/packs/*.pack; do git -C "$entry" unpack-objects -q <"$pk"; done
rm -f "$entry/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
expect "a corrupt entry is detected and cloned again" 0 "" -- cat "$url@main" app/routes/sync.py -q
grep -qx 'x = 1' "$tmp/out" && ok "read after the re-clone" || bad "read after the re-clone"

# --- a blob missing from a repository's object database (a partial mirror)
partial="$tmp/partial.git"
git clone -q --bare --no-local "$work" "$partial"
mv "$partial"/objects/pack/*.pack "$tmp/partial.pack"
rm -f "$partial"/objects/pack/*
git -C "$partial" unpack-objects -q <"$tmp/partial.pack"
gone=$(git -C "$partial" rev-parse main:app/routes/sync.py)
rm -f "$partial/objects/$(echo "$gone" | cut -c1-2)/$(echo "$gone" | cut -c3-)"
expect "a blob missing from the object database" 2 "the blob of 'app/routes/sync.py' is missing from the object database" -- cat "$partial@main" app/routes/sync.py

# --- a cache folder that cannot be made
printf 'x' >"$tmp/afile"
CONTRACTS_CACHE_DIR="$tmp/afile/cache" expect "a cache folder that cannot be created" 2 "cannot create" -- cat "$url" app/constants.py -q

# --- a remote that drops in the middle of a clone: nothing half-written,
# and the next run recovers. A proxy passes 1 MB of the reply, then drops.
big="$tmp/srv/big.git"
git init -q "$tmp/bigwork"
head -c 8000000 /dev/urandom >"$tmp/bigwork/blob.bin"
git -C "$tmp/bigwork" add . && git -C "$tmp/bigwork" commit -qm big
git clone -q --bare "$tmp/bigwork" "$big"
python3 "$(dirname "$0")/drop_proxy.py" "$port" 1000000 >"$tmp/proxy.port" &
proxy=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/proxy.port" ] && break; sleep 0.2; done
pport=$(cat "$tmp/proxy.port")
CONTRACTS_CACHE_DIR="$tmp/cache2" expect "a remote that drops mid-clone exits 3" 3 "" -- ls "git://127.0.0.1:$pport/big.git" -q
ls "$tmp/cache2" 2>/dev/null | grep -v '\.lock$' | grep -q . && bad "nothing half-written in the cache" || ok "nothing half-written in the cache"
kill "$proxy" 2>/dev/null
CONTRACTS_CACHE_DIR="$tmp/cache2" expect "the next run recovers" 0 "" -- ls "git://127.0.0.1:$port/big.git" -q
grep -qx blob.bin "$tmp/out" && ok "recovered clone lists the file" || bad "recovered clone lists the file"

# --- the nightly check end to end: the sample repositories served by git
# daemon, a cold cache, every format written
root=$(cd "$(dirname "$0")/../.." && pwd)
for r in proxbox-api netbox-proxbox; do
	cp -r "$root/samples/repos/$r" "$tmp/s-$r"
	git -C "$tmp/s-$r" init -q -b main && git -C "$tmp/s-$r" add -A && git -C "$tmp/s-$r" commit -qm sample
	git clone -q --bare "$tmp/s-$r" "$tmp/srv/$r.git"
done
CONTRACTS_CACHE_DIR="$tmp/cache3" CONTRACTS="$bin" expect "nightly/run on the samples over git daemon" 1 "" -- \
	diff --manifest "$root/samples/manifest.json" -q --format text,json,markdown,junit --output-dir "$tmp/nightly" \
	--repo "proxbox-api=git://127.0.0.1:$port/proxbox-api.git@main" \
	--repo "netbox-proxbox=git://127.0.0.1:$port/netbox-proxbox.git@main"
for f in txt json md xml; do [ -s "$tmp/nightly/report.$f" ] && ok "report.$f written" || bad "report.$f written"; done
grep -q 'the order of list overwrite_flags differs' "$tmp/nightly/report.txt" && ok "the drift names its change" || bad "the drift names its change"
grep -q "proxbox-api@[0-9a-f]\{12\}" "$tmp/nightly/report.txt" && ok "origins name the commit" || bad "origins name the commit"

# --- HTTPS-style credentials over smart HTTP: the token comes from the
# environment, never from the command line, and never shows
python3 "$(dirname "$0")/git_http_server.py" "$tmp/srv" sekrit-token >"$tmp/http.port" &
httpd=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/http.port" ] && break; sleep 0.2; done
hurl="http://127.0.0.1:$(cat "$tmp/http.port")/backend.git"
CONTRACTS_CACHE_DIR="$tmp/cache4" CONTRACTS_GIT_TOKEN=sekrit-token expect "a token from CONTRACTS_GIT_TOKEN" 0 "" -- cat "$hurl@main" app/constants.py -q
CONTRACTS_CACHE_DIR="$tmp/cache5" GITHUB_TOKEN=sekrit-token expect "a token from GITHUB_TOKEN" 0 "" -- cat "$hurl@main" app/constants.py -q
CONTRACTS_CACHE_DIR="$tmp/cache6" CONTRACTS_GIT_TOKEN=wrong-token expect "a wrong token is refused" 3 "" -- cat "$hurl@main" app/constants.py -q
grep -q wrong-token "$tmp/err" && bad "the token never shows" || ok "the token never shows"
kill "$httpd" 2>/dev/null

# --- progress on a terminal, and none in a pipe
if command -v script >/dev/null 2>&1; then
	CONTRACTS_CACHE_DIR="$tmp/cache7" script -qec "$bin ls $url@main" /dev/null >"$tmp/tty.out" 2>&1
	grep -q "receiving objects" "$tmp/tty.out" && ok "progress shows on a terminal" || bad "progress shows on a terminal"
	CONTRACTS_CACHE_DIR="$tmp/cache8" "$bin" ls "$url@main" >/dev/null 2>"$tmp/pipe.err"
	grep -q "receiving objects" "$tmp/pipe.err" && bad "no progress in a pipe" || ok "no progress in a pipe"
fi

echo "git-sources: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
