# shellcheck shell=sh
# What the shell checks share (tests/plugin/tools.sh, tools/demo/check.sh,
# tests/install/check_install.sh, tests/setup/check_deps.sh), sourced after
# `set -u`: a scratch directory $tmp removed on exit; ok and bad, which count
# a pass or a failure and say it (ok only when given words); tally_end, the
# summary line (with $1 in brackets if given) and the exit status.
tally_name=$(basename "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); [ $# = 0 ] || echo "$tally_name: ok: $*"; }
bad() { fail=$((fail + 1)); echo "$tally_name: FAILED: $*"; }
tally_end() {
	echo "$tally_name: $pass passed, $fail failed${1:+ ($1)}"
	[ "$fail" = 0 ]
}
