#!/bin/sh
# Delivering reports over HTTP, against a local server (tests/report/
# http_server.py) on 127.0.0.1: a webhook and a GitHub issues API, with
# scripted failures. Usage: delivery.sh CONTRACTS_BINARY SOURCE_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
expect() {
	name=$1 want=$2 msg=$3
	shift 4
	(cd "$root" && "$bin" "$@") >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then bad "$name: exit $got, wanted $want"; cat "$tmp/err"; return; fi
	if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then bad "$name: stderr lacks '$msg'"; cat "$tmp/err"; return; fi
	ok "$name"
}
if ! command -v python3 >/dev/null 2>&1; then
	echo "delivery: skipped: python3 not found"
	exit 77
fi
python3 "$root/tests/report/http_server.py" "$tmp/log" "$root/tests/fixtures/openapi/openapi.json" >"$tmp/port" &
server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/port" ] && break; sleep 0.2; done
url="http://127.0.0.1:$(cat "$tmp/port")"
export CONTRACTS_HTTP_BACKOFF_MS=10 GITHUB_TOKEN=test-token-123
sm="--manifest samples/manifest.json --repo proxbox-api=samples/repos/proxbox-api --repo netbox-proxbox=samples/repos/netbox-proxbox"
clean="--contract overwrite-flags --fail-on never"

expect "webhook gets the JSON report" 1 "" -- diff $sm --output-dir "$tmp/r1" --format json --notify "$url/hook/ok"
grep -q '"path": "/hook/ok"' "$tmp/log" && grep '/hook/ok' "$tmp/log" | grep -q 'contracts-report' && ok "the webhook body is the report" || bad "the webhook body is the report"
[ -s "$tmp/r1/report.json" ] && ok "the report was written" || bad "the report was written"
expect "a flaky webhook is retried" 1 "" -- diff $sm --output-dir "$tmp/r2" --notify "$url/hook/flaky"
[ "$(grep -c '/hook/flaky' "$tmp/log")" -eq 3 ] && ok "three tries for two 500s" || bad "three tries for two 500s"
expect "a webhook that keeps failing exits 3" 3 "the webhook answered HTTP 500 after 4 attempts; the report stays on disk" -- diff $sm --output-dir "$tmp/r3" --notify "$url/hook/500"
[ -s "$tmp/r3/report.txt" ] && ok "the report stays on disk" || bad "the report stays on disk"
expect "a webhook closing early exits 3" 3 "POST $url/hook/close" -- diff $sm --output-dir "$tmp/r4" --notify "$url/hook/close"
CONTRACTS_HTTP_TIMEOUT_MS=300 expect "a hanging webhook times out, exits 3" 3 "Timeout was reached (after 4 attempts)" -- diff $sm --output-dir "$tmp/r5" --notify "$url/hook/hang"
expect "an unreachable webhook exits 3" 3 "127.0.0.1:1" -- diff $sm --output-dir "$tmp/r6" --notify "http://127.0.0.1:1/hook"

export CONTRACTS_GITHUB_API="$url/gh"
expect "drift opens the issue" 1 "" -- diff $sm --output-dir "$tmp/g1" --github-issue o/r
grep '"POST"' "$tmp/log" | grep -q '/gh/repos/o/r/issues' && ok "an issue was opened" || bad "an issue was opened"
grep '/gh/repos/o/r/issues' "$tmp/log" | grep -q 'Bearer test-token-123' && ok "the token is sent" || bad "the token is sent"
expect "drift again updates it" 1 "" -- diff $sm --output-dir "$tmp/g2" --github-issue o/r
grep '"PATCH"' "$tmp/log" | grep -q '/gh/repos/o/r/issues/1' && ok "the open issue was updated" || bad "the open issue was updated"
[ "$(grep '"POST"' "$tmp/log" | grep -c '/gh/repos/o/r/issues')" -eq 1 ] && ok "only one issue" || bad "only one issue"
expect "no drift closes it" 0 "" -- diff $sm $clean --output-dir "$tmp/g3" --github-issue o/r
tail -1 "$tmp/log" | grep -q 'closed' && ok "the issue was closed" || bad "the issue was closed"
export CONTRACTS_GITHUB_API="$url/gh401"
expect "401 is final, exits 3" 3 "HTTP 401 to GET" -- diff $sm --output-dir "$tmp/g4" --github-issue o/r
[ "$(grep -c '/gh401/' "$tmp/log")" -eq 1 ] && ok "401 is not retried" || bad "401 is not retried"
export CONTRACTS_GITHUB_API="$url/gh403"
expect "403 says so" 3 "HTTP 403" -- diff $sm --output-dir "$tmp/g5" --github-issue o/r
export CONTRACTS_GITHUB_API="$url/gh422"
expect "422 says so" 3 "HTTP 422" -- diff $sm --output-dir "$tmp/g6" --github-issue o/r
grep -q test-token-123 "$tmp/err" && bad "the token never shows" || ok "the token never shows"
expect "a bad slug is a usage error, before any work" 2 "--github-issue 'nonsense' is not OWNER/REPO" -- diff $sm --output-dir "$tmp/g7" --github-issue nonsense
# github_issue_slug_strict: '../../x' went to the API (exit 3)
for slug in ../../x o/.. ../r o/r/x o/. ./r "o/r?x=1" "o /r" "o/r#1" /r o/ o%2Fr; do
	expect "github_issue_slug_strict: '$slug'" 2 "contracts: --github-issue '$slug' is not OWNER/REPO" -- diff $sm --output-dir "$tmp/g8" --github-issue "$slug"
done
[ ! -e "$tmp/g7" ] && ok "nothing was written for a usage error" || bad "nothing was written for a usage error"

# --- an OpenAPI document from a running provider's URL and from a repository
mkdir -p "$tmp/api/docs"
cp "$root/tests/fixtures/openapi/openapi.json" "$tmp/api/docs/openapi.json"
cat >"$tmp/oa.json" <<JSON
{"version": 1,
 "repositories": {"api": {"location": "$tmp/api", "role": "provider"}},
 "contracts": {"openapi": {"direction": "provider-to-consumer", "pinned": "pinned.json", "sources": [
   {"repo": "api", "extractor": "openapi", "paths": ["docs/openapi.json"]},
   {"repo": "api", "label": "live", "extractor": "openapi", "url": "$url/openapi.json", "token_env": "API_TOKEN"}]}}}
JSON
API_TOKEN=api-token expect "extract OpenAPI from a URL with a bearer token" 0 "" -- extract --manifest "$tmp/oa.json" --contract openapi --side api:live
grep -q '"path": "/sync/individual/vm/{vmid}"' "$tmp/out" && ok "routes with parameters" || bad "routes with parameters"
grep -q '"$ref": "#/$defs/StreamMessageType"' "$tmp/out" && ok "component refs become \$defs refs" || bad "component refs become \$defs refs"
grep -q '"format"' "$tmp/out" && bad "keys the format has no use for are left out" || ok "keys the format has no use for are left out"
expect "extract OpenAPI from a repository" 0 "" -- extract --manifest "$tmp/oa.json" --contract openapi --side api
cp "$tmp/out" "$tmp/from-repo.json"
API_TOKEN=api-token "$bin" extract --manifest "$tmp/oa.json" --contract openapi --side api:live >"$tmp/from-url.json" 2>/dev/null
cmp -s "$tmp/from-repo.json" "$tmp/from-url.json" && ok "the same document either way" || bad "the same document either way"
expect "a missing token is refused" 3 "answered HTTP 401" -- extract --manifest "$tmp/oa.json" --contract openapi --side api:live
sed "s|$url/openapi.json|$url/openapi500|" "$tmp/oa.json" >"$tmp/oa500.json"
expect "a 500 is retried, then exits 3" 3 "answered HTTP 500" -- extract --manifest "$tmp/oa500.json" --contract openapi --side api:live
[ "$(grep -c '/openapi500' "$tmp/log")" -eq 4 ] && ok "four tries" || bad "four tries"

echo "delivery: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
