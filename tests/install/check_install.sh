#!/bin/sh
# Checks a `make install DESTDIR=ROOT` the way a Debian package would be
# checked: every file in its place (programs, man pages, LV2 bundle, library,
# header, pkg-config file), libcwrnn.so with its soname exporting only the
# API of cwrnn.h, and a program built through pkg-config against the
# installed copy, statically and shared, that runs and plays the same.
# Usage: tests/install/check_install.sh ROOT
# Environment: the directories make install was given (PREFIX BINDIR LIBDIR
# INCLUDEDIR MANDIR PKGCONFIGDIR LV2DIR), VERSION, SOVERSION, CC, LDFLAGS.
set -u
root=$(realpath "${1:?usage: check_install.sh ROOT}")
here=$(dirname "$0")
. "$here/../tally.sh"
check() { if eval "$2"; then ok; else bad "$1"; fi; }

for f in "$BINDIR/cwrnn-train" "$BINDIR/cwrnn-render"; do
	check "$f is an installed program" "[ -x '$root$f' ] && [ -f '$root$f' ]"
done
for p in cwrnn-train cwrnn-render; do
	m="$root$MANDIR/man1/$p.1"
	check "$m is a man page of $p" "grep -qi '^\.TH $p ' '$m'"
done
for f in manifest.ttl cwrnn.ttl cwrnn.so models/default.cwrnn; do
	check "the LV2 bundle has $f" "[ -f '$root$LV2DIR/cwrnn.lv2/$f' ]"
done
lib="$root$LIBDIR"
check "libcwrnn.a" "[ -f '$lib/libcwrnn.a' ]"
check "libcwrnn.so.$VERSION" "[ -f '$lib/libcwrnn.so.$VERSION' ] && [ ! -L '$lib/libcwrnn.so.$VERSION' ]"
check "libcwrnn.so.$SOVERSION -> libcwrnn.so.$VERSION" \
	"[ \"\$(readlink '$lib/libcwrnn.so.$SOVERSION')\" = libcwrnn.so.$VERSION ]"
check "libcwrnn.so -> libcwrnn.so.$SOVERSION" \
	"[ \"\$(readlink '$lib/libcwrnn.so')\" = libcwrnn.so.$SOVERSION ]"
check "cwrnn.h" "[ -f '$root$INCLUDEDIR/cwrnn.h' ]"
soname=$(readelf -d "$lib/libcwrnn.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check "soname libcwrnn.so.$SOVERSION (is: $soname)" "[ '$soname' = libcwrnn.so.$SOVERSION ]"

# Exports: only cwrnn_* names, each declared in the installed header.
exports=$(nm -D --defined-only "$lib/libcwrnn.so.$VERSION" | awk '{print $NF}')
check "libcwrnn.so exports the API" "[ -n '$exports' ]"
for s in $exports; do
	case $s in
	cwrnn_*) grep -q "\\b$s(" "$root$INCLUDEDIR/cwrnn.h" || bad "libcwrnn.so exports $s, not in cwrnn.h" ;;
	*) bad "libcwrnn.so exports $s" ;;
	esac
done

# A program built through pkg-config against the installed copy.
export PKG_CONFIG_PATH="$root$PKGCONFIGDIR" PKG_CONFIG_SYSROOT_DIR="$root"
v=$(pkg-config --modversion cwrnn)
check "pkg-config finds cwrnn $VERSION (found: $v)" "[ '$v' = '$VERSION' ]"
cflags=$(pkg-config --cflags cwrnn | sed 's/ *$//')
check "pkg-config --cflags points into DESTDIR ($cflags)" \
	"[ '$cflags' = '-I$root$INCLUDEDIR' ]"
# static: the same -lcwrnn, resolved to libcwrnn.a
static_libs=$(pkg-config --static --libs cwrnn | sed 's/-lcwrnn/-Wl,-Bstatic -lcwrnn -Wl,-Bdynamic/')
warn="-std=c11 -Wall -Wextra -Werror -O1"
# shellcheck disable=SC2086
$CC $warn $cflags -o "$tmp/smoke-static" "$here/smoke.c" $LDFLAGS $static_libs -lm ||
	bad "cannot build against the installed libcwrnn.a"
shared_libs=$(pkg-config --libs cwrnn)
# shellcheck disable=SC2086
$CC $warn $cflags -o "$tmp/smoke-shared" "$here/smoke.c" $LDFLAGS $shared_libs -lm ||
	bad "cannot build against the installed libcwrnn.so"
needs() { readelf -d "$1" | grep -c "NEEDED.*\[libcwrnn"; }
check "the static build needs no libcwrnn.so" "[ \"\$(needs '$tmp/smoke-static')\" = 0 ]"
check "the shared build needs libcwrnn.so.$SOVERSION" \
	"readelf -d '$tmp/smoke-shared' | grep -q 'NEEDED.*\[libcwrnn.so.$SOVERSION\]'"
out_static=$("$tmp/smoke-static") || bad "the static build fails: $out_static"
out_shared=$(LD_LIBRARY_PATH="$lib" "$tmp/smoke-shared") || bad "the shared build fails: $out_shared"
where=$(LD_LIBRARY_PATH="$lib" ldd "$tmp/smoke-shared" | awk '/libcwrnn/ {print $3}')
check "the shared build loads the installed copy ($where)" \
	"[ '$where' = '$lib/libcwrnn.so.$SOVERSION' ]"
check "static and shared builds play the same ($out_static | $out_shared)" \
	"[ -n '$out_static' ] && [ '$out_static' = '$out_shared' ]"

tally_end "installed under $root; $out_static"
