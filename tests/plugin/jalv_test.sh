#!/bin/bash
# Manual host test (not run by make check; needs jalv, jackd2, sox):
# JACK dummy backend at $RATE (default 48000) Hz, a tone into jalv running the cwrnn plugin,
# recorded dry and wet. Runs twice: with the bundled default model, and with
# a user model restored from a state directory (jalv -l: state:mapPath +
# restore), with "out_gain = -6" sent on stdin. Prints RMS and the jalv log.
# Usage: tests/plugin/jalv_test.sh [BUILD_DIR] [MODEL.cwrnn]
set -u
build=$(realpath "${1:-build}")
model=$(realpath "${2:-$build/cwrnn.lv2/models/default.cwrnn}")
uri=https://cwrnn.org/lv2/mono
out=${OUT:-/tmp/cwrnn_jalv}
rm -rf "$out"
mkdir -p "$out/state"
. "$(dirname "$0")/jack_dummy.sh" cwrnntest
jack_metro -n tone -b 120 -f 330 -A 0.5 -D 400 >/dev/null 2>&1 &
pids+=($!)

# a state directory naming the user model (lilv maps the file URI to a path)
cp "$model" "$out/state/user.cwrnn"
cat >"$out/state/state.ttl" <<TTL
@prefix lv2: <http://lv2plug.in/ns/lv2core#> .
@prefix pset: <http://lv2plug.in/ns/ext/presets#> .
@prefix state: <http://lv2plug.in/ns/ext/state#> .
<> a pset:Preset ; lv2:appliesTo <$uri> ;
	state:state [ <https://cwrnn.org/lv2#model> <user.cwrnn> ] .
TTL

run_jalv() { # name, extra jalv args...
	local name=$1
	shift
	mkfifo "$out/$name.in"
	sleep 100000 >"$out/$name.in" &
	pids+=($!)
	stdbuf -oL jalv -t -n "$name" "$@" "$uri" <"$out/$name.in" >"$out/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do jack_lsp | grep -q "^$name:in" && break; sleep 0.1; done
	jack_lsp | grep -q "^$name:in" || { echo "jalv $name did not start"; cat "$out/$name.log"; return 1; }
	jack_connect tone:120_bpm "$name:in"
}
ratio() {
	local d w
	d=$(sox "$1" -n remix 1 stat 2>&1 | awk '/RMS +amplitude/{print $3}')
	w=$(sox "$1" -n remix 2 stat 2>&1 | awk '/RMS +amplitude/{print $3}')
	awk -v d="$d" -v w="$w" 'BEGIN{printf "dry_rms=%.4f wet_rms=%.4f wet/dry=%.2f dB\n", d, w, 20*log(w/d)/log(10)}'
}

run_jalv cwdefault
jack_rec -f "$out/default.wav" -d 2 tone:120_bpm cwdefault:out >/dev/null 2>&1
run_jalv cwuser -l "$out/state"
jack_rec -f "$out/user.wav" -d 2 tone:120_bpm cwuser:out >/dev/null 2>&1
echo "out_gain = -6" >"$out/cwuser.in"
sleep 0.5
jack_rec -f "$out/user_m6.wav" -d 2 tone:120_bpm cwuser:out >/dev/null 2>&1

for f in default user user_m6; do echo "$f: $(ratio "$out/$f.wav")"; done
for n in cwdefault cwuser; do echo "--- jalv $n log"; grep -v ' = ' "$out/$n.log"; done
wet() { sox "$1" -n remix 2 stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }
grep -q 'cwrnn: restored model' "$out/cwuser.log" || { echo "FAILED: no restore"; exit 1; }
awk -v d="$(wet "$out/default.wav")" -v u="$(wet "$out/user.wav")" -v m="$(wet "$out/user_m6.wav")" \
	'BEGIN{g = 20 * log(m / u) / log(10); printf "out_gain -6 changed the wet level by %.2f dB\n", g;
	       exit !(d > 0.01 && u > 0.01 && g < -5.9 && g > -6.1)}' || { echo "FAILED"; exit 1; }
echo "jalv_test.sh: OK"
