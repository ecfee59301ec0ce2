#!/bin/bash
# Manual host test (not run by make check; needs ardour (ardour7-lua) and
# sox): Ardour 7 headless with the Dummy backend loads build/cwrnn.lv2 by
# URI into a mono track, sets out_gain (parameter index 4: Ardour counts the
# control ports, outputs too: enabled, latency, model, in_gain, out_gain), saves and reloads
# the session and bounces a 330 Hz tone through the plugin. Done twice, at
# out_gain 0 dB and -6 dB: the two bounces must differ by 6 dB.
# Usage: tests/plugin/ardour_test.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}")
. "$here/ardour_setup.sh" /tmp/cwrnn_ardour
export PLUGIN_URI=https://cwrnn.org/lv2/mono PARAM_INDEX=4
sox -n -r 48000 -c 1 -b 32 -e floating-point "$work/tone.wav" synth 4 sine 330 vol 0.5
rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }

bounce() { # gain_db -> prints the bounced file
	export PARAM_VALUE=$1 SESS_DIR="$work/session$1"
	timeout 120 ardour7-lua "$here/ardour_create.lua" >"$work/create$1.log" 2>&1
	grep -E '^(PARAM_SET|TAKE)' "$work/create$1.log" >&2
	read -r take len < <(awk '/^TAKE/{print $2, $3}' "$work/create$1.log")
	[ -f "$take" ] || { echo "no take recorded" >&2; return 1; }
	sox "$work/tone.wav" -r 48000 -c 1 -e floating-point -b 32 "$take" trim 0 "${len}s"
	timeout 120 ardour7-lua "$here/ardour_render.lua" >"$work/render$1.log" 2>&1
	grep -E '^(PLUGIN|BOUNCED)' "$work/render$1.log" >&2
	awk '/^BOUNCED/{print $2}' "$work/render$1.log"
}
b0=$(bounce 0)
b6=$(bounce -6)
i=$(rms "$work/tone.wav")
r0=$(rms "$b0")
r6=$(rms "$b6")
awk -v i="$i" -v a="$r0" -v b="$r6" 'BEGIN{
	d = 20 * log(a / b) / log(10)
	printf "input rms=%.4f  out_gain 0: rms=%.4f  out_gain -6: rms=%.4f  difference %.2f dB\n", i, a, b, d
	exit !(a > 0.01 && d > 5.9 && d < 6.1)}'
