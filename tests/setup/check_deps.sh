#!/bin/sh
# scripts/deps.sh against stand-ins for dpkg-query, apt-get, sudo and id (on
# a PATH of only those and the few tools it uses), in each situation a user
# can be in: nothing missing; missing as root; missing with sudo and no
# terminal (sudo -n: no password prompt); missing without sudo; apt-get
# failing; --check; --list.
# Usage: tests/setup/check_deps.sh
# shellcheck disable=SC2015 # ok never fails
set -u
deps=$(realpath "$(dirname "$0")/../../scripts/deps.sh")
. "$(dirname "$0")/../tally.sh"

bin="$tmp/bin"
mkdir "$bin"
for t in sh grep env cat; do ln -s "$(command -v $t)" "$bin/$t"; done
# dpkg-query: every package is installed except those in $MISSING
cat > "$bin/dpkg-query" <<'STUB'
#!/bin/sh
for p in $MISSING; do [ "$p" = "$3" ] && exit 1; done
printf 'install ok installed'
STUB
# apt-get and sudo record how they were called; apt-get fails if $APT_FAILS
cat > "$bin/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >> "$LOG"
[ -z "${APT_FAILS:-}" ]
STUB
cat > "$bin/sudo" <<'STUB'
#!/bin/sh
echo "sudo $1" >> "$LOG"
[ "$1" = -n ] && shift
exec "$@"
STUB
cat > "$bin/id" <<'STUB'
#!/bin/sh
echo "$UID_IS"
STUB
chmod 755 "$bin"/*
nosudo="$tmp/nosudo"
mkdir "$nosudo"
for f in "$bin"/*; do [ "${f##*/}" = sudo ] || ln -s "$f" "$nosudo/"; done

# run PATH UID MISSING [ARGS]: exit status in $rc, stderr in $err, calls in $calls
run() {
	path=$1 uid=$2 missing=$3
	shift 3
	: > "$tmp/log"
	err=$(PATH="$path" UID_IS="$uid" MISSING="$missing" LOG="$tmp/log" \
		"$bin/sh" "$deps" "$@" 2>&1 < /dev/null)
	rc=$?
	calls=$(cat "$tmp/log")
}
has() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }

run "$bin" 1000 ""
[ $rc = 0 ] && [ -z "$err" ] && [ -z "$calls" ] && ok || bad "nothing missing: rc=$rc '$err' '$calls'"

run "$bin" 0 "sox check"
[ $rc = 0 ] && has "$calls" "apt-get install -y -qq check sox" && ! has "$calls" sudo && ok ||
	bad "root: rc=$rc calls: $calls"

run "$bin" 1000 "sox"
[ $rc = 0 ] && has "$calls" "sudo -n" && has "$calls" "apt-get install -y -qq sox" && ok ||
	bad "sudo without a terminal: rc=$rc calls: $calls"

run "$nosudo" 1000 "sox lv2-dev"
[ $rc = 1 ] && [ -z "$calls" ] &&
	has "$err" "as root run: apt-get update && apt-get install -y lv2-dev sox" && ok ||
	bad "no sudo: rc=$rc '$err' calls: $calls"

APT_FAILS=1 run "$bin" 0 "sox"
[ $rc = 1 ] && has "$err" "could not install: sox; as root run: apt-get update && apt-get install -y sox" &&
	ok || bad "apt-get fails: rc=$rc '$err'"

run "$bin" 0 "sox" --check
[ $rc = 1 ] && [ -z "$calls" ] && has "$err" "missing packages: sox" && ok ||
	bad "--check: rc=$rc '$err' calls: $calls"

run "$bin" 0 "" --list
list=$(PATH="$bin" "$bin/sh" "$deps" --list)
[ $rc = 0 ] && has "$list" "lv2-dev" && has "$list" "help2man" && ok || bad "--list: '$list'"

tally_end
