#!/bin/sh
# The demo's programs end to end. cwrnn-lv2-render: one second of sound
# through the plugin with a model given by -m, and with the plugin's own,
# equals cwrnn-render's (that the plugin plays the engine's output for every
# block plan, model swap and rate is proved by check_plugin; this checks the
# program: options, WAV in and out, waiting for the model); -b and -c do what
# they say; each failure has its exit code and message. cwrnn-demo-plot on
# those renders: bit-identical, and an ESR it can check.
# Usage: LV2_PATH=DIR_WITH_cwrnn.lv2 tools/demo/check.sh BUILD_DIR
set -u
build=${1:?usage: check.sh BUILD_DIR}
: "${LV2_PATH:?set LV2_PATH to a directory holding cwrnn.lv2}"
model=$build/cwrnn.lv2/models/default.cwrnn
. "$(dirname "$0")/../../tests/tally.sh"
# Same samples (bit for bit) in two float WAVs; their headers may differ
# (libsndfile stamps the time into the PEAK chunk).
same() {
	sox -V1 "$1" -t raw -e floating-point -b 32 "$tmp/a.raw" &&
		sox -V1 "$2" -t raw -e floating-point -b 32 "$tmp/b.raw" && cmp -s "$tmp/a.raw" "$tmp/b.raw"
}

# A plucked tone and noise at the default model's rate (f32 at offset 40 of
# a .cwrnn), and a model trained for one epoch on it through sox's overdrive
# (so that a model loaded through patch:Set sounds unlike the default).
rate=$(od -An -tf4 -j40 -N4 "$model" | awk '{ printf "%d", $1 }')
sox -n -r "$rate" -c 1 -b 24 "$tmp/in.wav" synth 1 pluck 110 synth 1 whitenoise amod 0.3 vol 0.8
sox "$tmp/in.wav" "$tmp/wet.wav" overdrive 20 vol 0.5
"$build/cwrnn-train" transform -i "$tmp/in.wav" -t "$tmp/wet.wav" -o "$tmp/m.cwrnn" -q \
	--epochs 1 --threads 1 --report "$tmp/r.json" || bad "cwrnn-train failed"
"$build/cwrnn-render" -m "$model" -i "$tmp/in.wav" -o "$tmp/engine_default.wav" &&
	"$build/cwrnn-render" -m "$tmp/m.cwrnn" -i "$tmp/in.wav" -o "$tmp/engine.wav" ||
	bad "cwrnn-render failed"
same "$tmp/engine.wav" "$tmp/engine_default.wav" &&
	bad "the trained model plays like the default model" ||
	ok "the trained model plays unlike the default model"

if "$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -m "$tmp/m.cwrnn" -o "$tmp/lv2_256.wav"; then
	same "$tmp/lv2_256.wav" "$tmp/engine.wav" &&
		ok "-m model (patch:Set): identical to cwrnn-render" ||
		bad "-m model (patch:Set): differs from cwrnn-render"
else
	bad "cwrnn-lv2-render -m failed"
fi
"$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -m "$tmp/m.cwrnn" -o "$tmp/lv2_8192.wav" -b 8192 &&
	same "$tmp/lv2_8192.wav" "$tmp/engine.wav" && ok "-b 8192 (the largest block) renders the same" ||
	bad "-b 8192 differs or failed"

"$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -o "$tmp/own.wav" &&
	same "$tmp/own.wav" "$tmp/engine_default.wav" &&
	ok "the plugin's default model (no -m): identical to cwrnn-render" ||
	bad "the plugin's default model (no -m) differs from cwrnn-render or failed"

# A relative LV2_PATH (as the README writes it) works: lilv itself crashes on
# one, so the host hands it absolute directories.
rel=$(realpath --relative-to=. "${LV2_PATH%%:*}")
LV2_PATH=$rel "$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -o "$tmp/rel.wav" &&
	same "$tmp/rel.wav" "$tmp/own.wav" && ok "a relative LV2_PATH ($rel) finds the plugin" ||
	bad "a relative LV2_PATH ($rel) fails"

# The comparison can fail: an output gain must change the output.
"$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -m "$tmp/m.cwrnn" -o "$tmp/gain.wav" -c out_gain=-6 &&
	! same "$tmp/gain.wav" "$tmp/engine.wav" &&
	ok "-c out_gain=-6 changes the output" || bad "-c out_gain=-6 has no effect"

# Failures, each with its exit code and one line naming the problem.
expect() { # CODE WORDS DESCRIPTION -- command...
	code=$1 words=$2 what=$3
	shift 4
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" = "$code" ] && grep -q "$words" "$tmp/err"; then
		ok "$what: exit $code, '$words'"
	else
		bad "$what: exit $rc (want $code): $(cat "$tmp/err")"
	fi
}
expect 4 "not found" "an unknown plugin URI" -- \
	"$build/cwrnn-lv2-render" -i "$tmp/in.wav" -o "$tmp/x.wav" -u urn:nothing
expect 2 "cannot open model" "a missing model" -- \
	"$build/cwrnn-lv2-render" -i "$tmp/in.wav" -o "$tmp/x.wav" -m "$tmp/none.cwrnn"
head -c 100 "$model" > "$tmp/short.cwrnn"
expect 4 "did not load" "a truncated model" -- \
	"$build/cwrnn-lv2-render" -q -i "$tmp/in.wav" -o "$tmp/x.wav" -m "$tmp/short.cwrnn"
expect 1 "no control input 'nope'" "an unknown control" -- \
	"$build/cwrnn-lv2-render" -i "$tmp/in.wav" -o "$tmp/x.wav" -c nope=1
expect 1 "block" "a zero block size" -- \
	"$build/cwrnn-lv2-render" -i "$tmp/in.wav" -o "$tmp/x.wav" -b 0
[ ! -e "$tmp/x.wav" ] && ok "no output written after a failure" || bad "a failure wrote output"

# cwrnn-demo-plot over these renders, against the engine's output as the
# target (overdrive has no latency, so the report removes none): the plugin
# render matches exactly, and a render 6 dB down is off by ESR 0.25.
if "$build/cwrnn-demo-plot" --dry "$tmp/in.wav" --target "$tmp/engine.wav" \
	--output "$tmp/lv2_256.wav" --engine "$tmp/engine.wav" --report "$tmp/r.json" \
	-o "$tmp/p.svg" --render-seconds 0.5 > "$tmp/numbers"; then
	grep -q "bit-identical" "$tmp/numbers" && grep -q "^test ESR 0 " "$tmp/numbers" &&
		ok "cwrnn-demo-plot: identical renders give ESR 0 and max |diff| 0" ||
		bad "cwrnn-demo-plot numbers: $(cat "$tmp/numbers")"
	head -c 5 "$tmp/p.svg" | grep -q '<svg' && tail -n 1 "$tmp/p.svg" | grep -qx '</svg>' &&
		ok "cwrnn-demo-plot writes a whole SVG" || bad "cwrnn-demo-plot's SVG is incomplete"
else
	bad "cwrnn-demo-plot failed"
fi
"$build/cwrnn-demo-plot" --dry "$tmp/in.wav" --target "$tmp/engine.wav" \
	--output "$tmp/gain.wav" --report "$tmp/r.json" -o "$tmp/q.svg" > "$tmp/numbers2" &&
	awk '/^test ESR .* removed$/ { e = $3 } END { exit !(e > 0.2 && e < 0.3) }' "$tmp/numbers2" &&
	ok "cwrnn-demo-plot: a -6 dB output has ESR 0.25" ||
	bad "cwrnn-demo-plot, -6 dB output: $(cat "$tmp/numbers2")"

tally_end
