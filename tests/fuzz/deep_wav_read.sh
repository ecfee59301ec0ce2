#!/bin/sh
# Builds the wav_read fuzz target against a libsndfile compiled with
# coverage and AddressSanitizer (-fsanitize=fuzzer-no-link,address), so that
# libFuzzer sees libsndfile's branches, not only trainer/wav.c's, then fuzzes
# it. The Debian package is not instrumented; this is the deeper run
# docs/HARDENING.md reports. Not part of make fuzz (it needs the source).
#
# Usage: tests/fuzz/deep_wav_read.sh LIBSNDFILE_SOURCE_DIR [SECONDS]
# Get the source with `apt-get source libsndfile` (needs a deb-src line), or
# a release tarball of the same version as the system's (pkg-config sndfile).
# Crashes land in build/fuzz/crashes/wav_read_deep/.
set -eu
src=$(cd "$1" && pwd)
seconds=${2:-600}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/fuzz"
lib="$out/sndfile-asan"
mkdir -p "$lib" "$out/corpus/wav_read_deep" "$out/crashes/wav_read_deep"
if [ ! -f "$lib/libsndfile.a" ]; then
	(cd "$lib" && CC=clang CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address" \
		cmake "$src" -DBUILD_SHARED_LIBS=OFF -DBUILD_PROGRAMS=OFF -DBUILD_EXAMPLES=OFF \
		-DBUILD_TESTING=OFF -DENABLE_EXTERNAL_LIBS=ON -DENABLE_CPACK=OFF >cmake.log &&
		make sndfile >make.log)
fi
cd "$root"
make "$out/seeds/wav_read/.made" >/dev/null
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Iengine -Itrainer -I"$src/include" \
	-I"$lib/include" -std=c11 -D_POSIX_C_SOURCE=200809L -o "$out/fuzz_wav_read_deep" \
	tests/fuzz/fuzz_wav_read.c trainer/wav.c engine/util.c engine/atomic_file.c "$lib/libsndfile.a" \
	-lFLAC -lvorbisenc -lvorbis -logg -lopus -lm
LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp "$out/fuzz_wav_read_deep" \
	-max_total_time="$seconds" -max_len=16384 -print_final_stats=1 \
	-artifact_prefix="$out/crashes/wav_read_deep/" \
	"$out/corpus/wav_read_deep" "$out/seeds/wav_read"
