#!/bin/sh
# Installs (or, without root or sudo, names) the Debian/Ubuntu packages cwrnn
# needs to build, test and demo. Usage: scripts/deps.sh [--check | --list]
#   --check  only report what is missing; exit 1 if anything is.
#   --list   print the package names.
PKGS="build-essential pkg-config check lv2-dev liblilv-dev libsndfile1-dev libjansson-dev lilv-utils sordi sox"
if [ "${1:-}" = "--list" ]; then
	echo "$PKGS"
	exit 0
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "cwrnn: missing packages:$missing"
	echo "cwrnn: install them with: sudo apt-get install -y$missing   (or run: make deps)"
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "cwrnn: missing packages:$missing; as root run: apt-get install -y$missing"
	exit 1
fi
echo "cwrnn: installing:$missing"
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
