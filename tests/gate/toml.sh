#!/bin/sh
# Runs tests/gate/toml_check.py under each Python with tomllib found
# (python3, and PYENV_VERSION=3.12.1 python3 where pyenv has it), adding
# the real pyproject.toml and uv.lock of both repositories when
# CONTRACTS_REAL_PROVIDER / CONTRACTS_REAL_CONSUMER name their git dirs.
# Usage: toml.sh TOML_DUMP TESTS_DIR
set -u
dump=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=
for var in CONTRACTS_REAL_PROVIDER CONTRACTS_REAL_CONSUMER; do
	eval "gd=\${$var:-}"
	[ -n "$gd" ] || continue
	for f in pyproject.toml uv.lock; do
		out="$tmp/$(basename "$gd")-$var-$f"
		git --git-dir="$gd" show "HEAD:$f" >"$out" 2>/dev/null && files="$files $out"
	done
done
ran=0
status=0
for v in "" 3.12.1; do
	if [ -n "$v" ]; then
		PYENV_VERSION=$v python3 -c 'import tomllib' 2>/dev/null || continue
		PYENV_VERSION=$v python3 "$dir/gate/toml_check.py" "$dump" $files || status=1
	else
		python3 -c 'import tomllib' 2>/dev/null || continue
		python3 "$dir/gate/toml_check.py" "$dump" $files || status=1
	fi
	ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "toml: skipped: no python3 with tomllib"; exit 77; }
exit $status
