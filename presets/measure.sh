#!/bin/sh
# Prints the numbers in presets/README.md for the models in presets/models:
# effects on the held-out phrase (a different instrument and phrase than
# they were trained on), generators against their recording and how they go
# on past it, the continuation model's one-step error and its free run, the
# DS-1 knob model at recorded and unseen settings of its knobs.
# Usage: presets/measure.sh     env: RENDER (cwrnn-render), OUT (work dir)
set -eu
RENDER=${RENDER:-build/cwrnn-render}
OUT=${OUT:-build/presets}
M=presets/models
A=audio
mkdir -p "$OUT"

# level FILE START LENGTH: RMS of a stretch of FILE (seconds)
level() { sox "$1" -n trim "$2" "$3" stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }
# trained FILE: the model's own summary line (epochs, validation ESR)
trained() { grep -a -o 'epochs: [^@]*NMSE [0-9.e-]*' "$1" | head -1; }

for fx in default:ts9 fuzz:fuzzface; do
	name=${fx%%:*} pedal=${fx#*:}
	echo "== $name ($(trained "$M/$name.cwrnn"))"
	"$RENDER" -m "$M/$name.cwrnn" -i "$A/guitar_test_dry_48k.flac" -o "$OUT/$name-test.wav" \
		--target "$A/guitar_test_${pedal}_48k.flac" 2>&1 | grep against -A1 | sed 's/^/  held-out: /'
done

for g in harp:harp_a3_7056 cello:cello_a2_3528; do
	name=${g%%:*} target=$A/${g#*:}.flac
	len=$(soxi -D "$target")
	echo "== $name ($(trained "$M/$name.cwrnn"))"
	"$RENDER" -m "$M/$name.cwrnn" -o "$OUT/$name-fit.wav" --seconds "$len" --target "$target" \
		2>&1 | grep against | sed 's/^/  /'
	"$RENDER" -m "$M/$name.cwrnn" -o "$OUT/$name-4s.wav" --seconds 4 2>/dev/null
	echo "  recording: ${len} s, rms $(level "$target" 0 "$len")"
	printf '  free run rms:'
	for t in 0 0.1 0.2 0.4 0.6 1 2 3.5; do printf ' %ss %s' "$t" "$(level "$OUT/$name-4s.wav" "$t" 0.05)"; done
	echo
done

echo "== drone ($(trained "$M/drone.cwrnn"))"
"$RENDER" -m "$M/drone.cwrnn" -i "$A/cello_a3_7056.flac" -o "$OUT/drone-primed.wav" --seconds 4 \
	--target "$A/cello_a3_7056.flac" 2>&1 | grep against | sed 's/^/  one step, primed on the recording: /'
len=$(soxi -D "$A/cello_a3_7056.flac")
printf '  recording rms %s; free run after it:' "$(level "$A/cello_a3_7056.flac" 0 "$len")"
for t in 0.5 1 2 3.9; do
	printf ' +%ss %s' "$t" "$(level "$OUT/drone-primed.wav" "$(awk -v a="$len" -v b="$t" 'BEGIN{print a + b}')" 0.05)"
done
echo
sox -n -r 7056 -b 32 -e floating-point "$OUT/silence.wav" trim 0 64s
"$RENDER" -m "$M/drone.cwrnn" -i "$OUT/silence.wav" -o "$OUT/drone-free.wav" --seconds 4 2>/dev/null
printf '  from silence, on its own output:'
for t in 0 0.1 0.5 1 2 3.9; do printf ' %ss %s' "$t" "$(level "$OUT/drone-free.wav" "$t" 0.05)"; done
echo

# The DS-1 knob model on the nylon phrase (audio/ds1k_test_*: another
# instrument and phrase), latency removed. At an unseen setting it is also
# rendered at the recorded settings around it (what snapping to the nearest
# capture would give): interpolating means beating the best of those.
echo "== knob-ds1 ($(trained "$M/knob-ds1.cwrnn"))"
# knob_esr SETTING DRIVE TONE: ESR against audio/ds1k_test_SETTING.flac
knob_esr() {
	log=$("$RENDER" -m "$M/knob-ds1.cwrnn" -i "$A/ds1k_test_dry.flac" -o "$OUT/knob-ds1-test.wav" \
		--target "$A/ds1k_test_$1.flac" --knob "drive=$2" --knob "tone=$3" 2>&1)
	v=$(echo "$log" | sed -n 's/.*removed: ESR \([0-9.e+-]*\) .*/\1/p')
	[ -n "$v" ] || v=$(echo "$log" | sed -n 's/.* ESR \([0-9.e+-]*\) NMSE.*/\1/p' | head -n 1)
	echo "$v"
}
for s in d000_t500:0:0.5 d250_t500:0.25:0.5 d500_t500:0.5:0.5; do
	set -- $(echo "$s" | tr : ' ')
	echo "  drive $2 tone $3 (recorded): held-out ESR $(knob_esr "$1" "$2" "$3")"
done
# SETTING:DRIVE:TONE followed by the recorded DRIVE/TONE settings around it
for s in "d125_t500:0.125:0.5 0/0.5 0.25/0.5" "d375_t500:0.375:0.5 0.25/0.5 0.5/0.5" \
	"d125_t650:0.125:0.65 0/0.5 0/0.8 0.25/0.5 0.25/0.8" \
	"d375_t350:0.375:0.35 0.25/0.2 0.25/0.5 0.5/0.2 0.5/0.5"; do
	set -- $s
	setting=$1
	shift
	set -- $(echo "$setting" | tr : ' ') "$@"
	m=$(knob_esr "$1" "$2" "$3")
	printf '  drive %s tone %s (unseen): held-out ESR %s; at the recorded settings around it:' \
		"$2" "$3" "$m"
	target=$1
	shift 3
	best=""
	for dt in "$@"; do
		e=$(knob_esr "$target" "${dt%/*}" "${dt#*/}")
		printf ' %s %s' "$dt" "$e"
		best=$(awk -v a="$best" -v b="$e" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
	echo "; interpolates (below $best): $(awk -v m="$m" -v b="$best" 'BEGIN { print (m < b) ? "yes" : "no" }')"
done
