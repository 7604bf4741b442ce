#!/bin/sh
# The real pair (tests/real/README.md): runs check_history.py with the
# newest Python 3.12 or later found (pyenv versions first, then python3),
# or skips (exit 77) with a message; check_history.py skips in turn
# without CONTRACTS_REAL_PROVIDER and CONTRACTS_REAL_CONSUMER.
# Usage: run.sh [CONTRACTS [MANIFEST]] [check_history.py options]
#        run.sh --rest CONTRACTS MANIFEST [check_rest.py options]
#        run.sh --log [CONTRACTS [MANIFEST]] [check_log.py options]
here=$(cd "$(dirname "$0")" && pwd)
py=""
if command -v pyenv >/dev/null 2>&1; then
	v=$(pyenv versions --bare 2>/dev/null |
		grep -E '^3\.(1[2-9]|[2-9][0-9])\.[0-9]+$' | sort -t. -k2,2n -k3,3n | tail -n 1)
	if [ -n "$v" ]; then
		PYENV_VERSION=$v
		export PYENV_VERSION
		py=python3
	fi
fi
if [ -z "$py" ] && command -v python3 >/dev/null 2>&1 &&
	python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
	py=python3
fi
if [ -z "$py" ]; then
	echo "skipped: no Python 3.12 or newer (the reference reads 3.12 syntax with ast)"
	exit 77
fi
if [ "${1:-}" = "--rest" ]; then # the REST contract (check_rest.py)
	shift
	exec "$py" "$here/check_rest.py" "$@"
fi
if [ "${1:-}" = "--log" ]; then # contracts log (check_log.py)
	shift
	exec "$py" "$here/check_log.py" "$@"
fi
exec "$py" "$here/check_history.py" "$@"
