#!/bin/sh
# contracts gate on the real pair, offline, at points of its history whose
# findings were checked by hand against the repositories (docs/gate.md, "The
# real pair today"): what passes must pass, what fails must fail, with the
# file and line a maintainer would look at. Skipped (77) unless
# CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER name the bare git
# directories of proxbox-api and netbox-proxbox.
#   sh tests/gate/real_gate.sh BINARY MANIFEST
set -u
bin=$1 manifest=$2
P=${CONTRACTS_REAL_PROVIDER:-}
C=${CONTRACTS_REAL_CONSUMER:-}
if [ -z "$P" ] || [ -z "$C" ]; then
	echo "real_gate: skipped: CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER name the real pair"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
# at REF [--tag]: the plugin released at REF (tag REF too with --tag)
at() {
	ref=$1
	shift
	tag=
	[ "${1:-}" = --tag ] && tag="--tag $ref"
	"$bin" gate --manifest "$manifest" --release netbox-proxbox \
		--repo netbox-proxbox="$C@$ref" --repo proxbox-api="$P" $tag \
		--offline >"$tmp/out" 2>&1
	echo $? >"$tmp/rc"
}
has() { grep -qF -- "$2" "$tmp/out" && ok "$1" || { bad "$1: lacks '$2'"; grep "release rule" "$tmp/out" | head -20; }; }
hasnt() { grep -qF -- "$2" "$tmp/out" && { bad "$1: has '$2'"; grep "release rule" "$tmp/out" | head -20; } || ok "$1"; }

at main
has "main: versions in step, at their lines" "release rule versions: passed: 0.0.24 in pyproject.toml:3, netbox_proxbox/__init__.py:177 and uv.lock:1312"
has "main: above every earlier tag" "0.0.24 is above every earlier release tag (66; the highest is v0.0.18)"
has "main: the pin is a tag" "netbox-proxbox pins proxbox-api 0.0.17: the tag v0.0.17 exists"
has "main: overwrite-flags mirrored" "contract 'overwrite-flags' of proxbox-api 0.0.17 (tag v0.0.17) is what netbox-proxbox:committed mirrors"
has "main: sse-enums mirrored (a superset)" "contract 'sse-enums' of proxbox-api 0.0.17 (tag v0.0.17) is what netbox-proxbox:committed mirrors"
has "main: PlanSummaryMessage is no proxbox-api shape" "contract 'sse-payloads' of proxbox-api 0.0.17 (tag v0.0.17) is not what netbox-proxbox:committed mirrors: 1 difference (PlanSummaryMessage: shape added)"
has "main: the plugin calls a route 0.0.17 lacks" "route GET /extras/bootstrap-status added"
has "main: the index is not asked" "--offline: the package indexes (2) were not asked"
[ "$(cat "$tmp/rc")" = 1 ] && ok "main: exit 1" || bad "main: exit $(cat "$tmp/rc")"

at v0.0.14 --tag
has "v0.0.14: its pin matches" "contract 'sse-enums' of proxbox-api 0.0.10.post2 (tag v0.0.10.post2) is what netbox-proxbox:committed mirrors"
hasnt "v0.0.14: no pin rule fails" "release rule pin: FAILED"
at v0.0.15rc1 --tag
has "v0.0.15rc1: a flag the pinned release has is missing" "item \"overwrite_vm_proxmox_tags\" removed"
has "v0.0.15rc1: an event the pinned release has is missing" "enum value \"hardware_discovery\" removed"
at v0.0.16.post5 --tag
hasnt "v0.0.16.post5: hardware_discovery mirrored by then" "enum value \"hardware_discovery\" removed"
has "v0.0.16.post5: sse-enums mirrored" "contract 'sse-enums' of proxbox-api 0.0.12 (tag v0.0.12) is what netbox-proxbox:committed mirrors"
at v0.0.17rc7 --tag
has "v0.0.17rc7: uv.lock lagged" "versions out of step: uv.lock:1182 says 0.0.17rc5"
at v0.0.17 --tag
has "v0.0.17: only the tags made before count" "0.0.17 is above every earlier release tag (63; the highest is v0.0.17rc10)"
has "v0.0.17: its tag is on the commit" "the tag v0.0.17 exists and is on the commit released"
at v0.0.18rc1 --tag
has "v0.0.18rc1: tagged after v0.0.18" "0.0.18rc1 is not above the earlier release tag v0.0.18"
at v0.0.13 --tag
has "v0.0.13: no pin file yet, the rule is skipped" "netbox-proxbox pins no proxbox-api release: contracts/proxbox_api_sse_schema.json is not in the repository here"

"$bin" gate --manifest "$manifest" --release proxbox-api --repo proxbox-api="$P" \
	--repo netbox-proxbox="$C" --offline >"$tmp/out" 2>&1
has "proxbox-api: its __init__ reads the metadata" "proxbox_api/__init__.py: its version is read from the package metadata at run time"
has "proxbox-api: pyproject and uv.lock agree" "0.0.19.post5 in pyproject.toml:13 and uv.lock:1535"
has "proxbox-api: main is past its tag without a bump" "the tag v0.0.19.post5 already exists, on e60fd7d94793"

echo "real_gate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
