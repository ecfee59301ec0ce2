#!/bin/sh
# Validates every .ttl of an LV2 bundle: each file must parse (sordi), and
# sord_validate against the LV2 schemas installed by lv2-dev must report
# "Found 0 errors" and no error lines (its exit status alone is unreliable).
# Usage: tests/plugin/validate.sh BUNDLE_DIR
set -u
bundle=$(realpath "${1:?usage: validate.sh BUNDLE_DIR}")
spec=$(dpkg -L lv2-dev | grep '^/usr/lib/lv2/.*\.ttl$')
[ -n "$spec" ] || { echo "validate.sh: no LV2 schemas (install lv2-dev)"; exit 1; }
fail=0
for f in "$bundle"/*.ttl; do
	if ! err=$(sordi "$f" 2>&1 >/dev/null); then
		echo "validate.sh: syntax error in $f: $err"
		fail=1
	fi
done
# shellcheck disable=SC2086
out=$(sord_validate -l $spec "$bundle"/*.ttl 2>&1)
echo "$out" | grep -q '^Found 0 errors' || fail=1
echo "$out" | grep -qi '^error' && fail=1
if [ $fail = 0 ]; then
	echo "validate.sh: $bundle: $(echo "$out" | grep '^Found') OK"
else
	echo "$out"
	echo "validate.sh: $bundle: FAILED"
fi
exit $fail
