#!/bin/sh
# Criterion is needed only for the tests: with a pkg-config that cannot
# find it, -DCT_BUILD_TESTS=OFF configures, and ON says what is missing.
# Usage: no_criterion.sh CMAKE SOURCE_DIR
set -u
cmake=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
real=$(command -v pkg-config) || { echo "no pkg-config"; exit 77; }
cat >"$tmp/pkg-config" <<END
#!/bin/sh
for a; do case \$a in *criterion*) exit 1 ;; esac; done
exec "$real" "\$@"
END
chmod +x "$tmp/pkg-config"
failed=0
if "$cmake" -S "$src" -B "$tmp/off" -DCT_BUILD_TESTS=OFF \
	-DPKG_CONFIG_EXECUTABLE="$tmp/pkg-config" >"$tmp/log" 2>&1; then
	echo "ok - CT_BUILD_TESTS=OFF configures without Criterion"
else
	cat "$tmp/log"; echo "FAIL - CT_BUILD_TESTS=OFF configures without Criterion"; failed=1
fi
if "$cmake" -S "$src" -B "$tmp/on" -DCT_BUILD_TESTS=ON \
	-DPKG_CONFIG_EXECUTABLE="$tmp/pkg-config" >"$tmp/log" 2>&1; then
	echo "FAIL - CT_BUILD_TESTS=ON needs Criterion"; failed=1
elif grep -q "missing criterion" "$tmp/log"; then
	echo "ok - CT_BUILD_TESTS=ON needs Criterion and says so"
else
	cat "$tmp/log"; echo "FAIL - CT_BUILD_TESTS=ON says Criterion is missing"; failed=1
fi
exit $failed
