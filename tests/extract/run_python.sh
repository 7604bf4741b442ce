#!/bin/sh
# Runs a Python test script, or skips (exit 77) with a message when there
# is no python3 on this machine.
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 not found"
	exit 77
fi
exec python3 "$@"
