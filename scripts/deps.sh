#!/bin/sh
# Sets a Debian/Ubuntu machine up for cwrnn: installs the packages it needs to
# build, test, demo and install (make demo and make check run this first).
# Missing packages are installed with apt-get, through sudo when not root;
# when neither is possible, it prints the exact line to run and exits 1.
# Usage: scripts/deps.sh [--check | --list]
#   --check  only report what is missing; exit 1 if anything is.
#   --list   print the package names.
# Messages go to stderr (make runs this while it reads the Makefile).
# shellcheck disable=SC2086 # package lists are split into words on purpose
PKGS="build-essential pkg-config check lv2-dev liblilv-dev libsndfile1-dev libjansson-dev lilv-utils sordi sox
help2man python3"
if [ "${1:-}" = "--list" ]; then
	echo $PKGS
	exit 0
fi
say() { echo "cwrnn: $*" >&2; }
if ! command -v dpkg-query >/dev/null 2>&1; then
	say "not a Debian system: cannot check packages; you need the equivalents of:" $PKGS
	exit 0
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
line="apt-get update && apt-get install -y$missing"
if [ "${1:-}" = "--check" ]; then
	say "missing packages:$missing; as root run: $line   (or: make deps)"
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	# without a terminal, sudo must not wait for a password nobody can type
	if [ -t 0 ]; then SUDO="sudo"; else SUDO="sudo -n"; fi
else
	say "missing packages:$missing; as root run: $line"
	exit 1
fi
say "installing:$missing"
if $SUDO apt-get update -qq >&2 &&
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2; then
	exit 0
fi
say "could not install:$missing; as root run: $line"
exit 1
