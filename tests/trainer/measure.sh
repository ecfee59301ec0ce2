#!/bin/sh
# Measurements for issue 11 (make measure; minutes of training each, not
# part of make check). Usage: tests/trainer/measure.sh BUILD_DIR [PART...]
# PARTs: seconds (--seconds vs the defaults on three effects), interpolate
# (one knob at unseen settings), grid (two knobs at unseen combinations),
# capture (capture signal -> real guitar); default: all. Prints one line per
# number and "measure: N passed, N failed"; exits 1 if a bound fails.
# Knobs: MEASURE_SECONDS (the budget of the seconds part, default 300),
# MEASURE_TRAIN_SECONDS (of each knob and capture model, default 300),
# THREADS, MEASURE_DIR (keep everything there).
set -u
BUILD=$(cd "${1:-build}" && pwd)
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRAIN="$BUILD/cwrnn-train"
RENDER="$BUILD/cwrnn-render"
A="$ROOT/audio"
SECONDS_BUDGET=${MEASURE_SECONDS:-300}
THREADS=${THREADS:-2}
if [ -n "${MEASURE_DIR:-}" ]; then  # keep the models and renders there
	mkdir -p "$MEASURE_DIR" && WORK=$(cd "$MEASURE_DIR" && pwd)
else
	WORK=$(mktemp -d /tmp/cwrnn-measure-XXXXXX)
	trap 'rm -rf "$WORK"' EXIT INT TERM
fi
cd "$WORK" || exit 1
passed=0
failed=0
parts=${*:-seconds interpolate grid capture}

bound() { # bound NAME VALUE OP LIMIT: one measured line, pass or fail
	if [ -n "$2" ] && awk "BEGIN { exit !($2 $3 $4) }"; then
		passed=$((passed + 1)); echo "ok   $1: $2 $3 $4"
	else failed=$((failed + 1)); echo "FAIL $1: '$2' not $3 $4"; fi
}
# esr MODEL DRY WET [--knob k=v...]: the model's ESR on WET, latency removed
esr() {
	m=$1 d=$2 w=$3
	shift 3
	"$RENDER" -m "$m" -i "$d" -o out.wav --target "$w" "$@" >render.log 2>&1 || {
		cat render.log >&2; echo ""; return; }
	v=$(sed -n 's/.*removed: ESR \([0-9.e+-]*\) .*/\1/p' render.log)
	[ -n "$v" ] || v=$(sed -n 's/.* ESR \([0-9.e+-]*\) NMSE.*/\1/p' render.log | head -n 1)
	echo "$v"
}
# plain_esr A B: ESR of file A against file B (both the same length)
plain_esr() {
	sox -m -v 1 "$1" -v -1 "$2" diff.wav 2>/dev/null
	e=$(sox diff.wav -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p')
	r=$(sox "$2" -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p')
	awk "BEGIN { printf \"%.6g\", ($e / $r) ^ 2 }"
}

# ---------------------------------------------------------------- seconds
# Three effects (DS-1, Tube Screamer, Fuzz Face): 20 s of the training
# phrase, judged on the test phrase (another instrument). Defaults (100
# epochs, patience 20, constant learning rate) against --seconds.
if echo "$parts" | grep -qw seconds; then
	for fx in ds1: ts9:_48k fuzzface:_48k; do
		name=${fx%%:*} rate=${fx#*:}
		sox "$A/guitar_train_dry$rate.flac" trdry.wav trim 0 20
		sox "$A/guitar_train_$name$rate.flac" trwet.wav trim 0 20
		sox "$A/guitar_test_dry$rate.flac" tedry.wav
		sox "$A/guitar_test_$name$rate.flac" tewet.wav
		t0=$(date +%s)
		"$TRAIN" transform -i trdry.wav -t trwet.wav -o def.cwrnn --threads "$THREADS" -q
		t1=$(date +%s)
		"$TRAIN" transform -i trdry.wav -t trwet.wav -o sec.cwrnn --threads "$THREADS" -q \
			--seconds "$SECONDS_BUDGET"
		d=$(esr def.cwrnn tedry.wav tewet.wav)
		s=$(esr sec.cwrnn tedry.wav tewet.wav)
		echo "     $name: defaults ($((t1 - t0)) s) test ESR $d; --seconds $SECONDS_BUDGET: $s"
		bound "$name: --seconds $SECONDS_BUDGET beats the defaults on the test phrase" "$s" "<" "$d"
	done
fi

# ------------------------------------------------------------ interpolate
# A Boss DS-1 (Guitarix) recorded at DRIVE 0, 0.25 and 0.5 (15 s of the
# steel-string phrase each; DRIVE does little above 0.5), trained in at most
# five minutes; judged on the nylon-guitar phrase (another instrument) at
# DRIVE 0.125 and 0.375, which it never heard: the model must beat the
# nearest recorded setting's output on that phrase.
NET="--hidden 48 --modules 6"
pairs() { # pairs FILE SETTING...: one line per dDRIVE_tTONE setting (thousandths)
	f=$1
	shift
	: >"$f"
	for dt in "$@"; do
		d=${dt%_*} t=${dt#*_}
		line="$A/ds1k_train_dry.flac $A/ds1k_train_${dt}.flac drive=0.${d#d}"
		[ "$f" = grid.txt ] && line="$line tone=0.${t#t}"
		echo "$line" >>"$f"
	done
}
# With lv2apply and guitarix-lv2 at hand the pairs are captures (the capture
# signal through the DS-1 at each setting, "capture" lines): the standard
# signal generalises to the test phrase far better than 15 s of strumming.
DS1='http://guitarix.sourceforge.net/plugins/gx_bossds1_#_bossds1_'
have_ds1() { command -v lv2apply >/dev/null && [ -d /usr/lib/lv2/gx_bossds1.lv2 ]; }
capture_pairs() { # capture_pairs FILE SETTING...: captures at dDRIVE_tTONE settings
	f=$1
	shift
	[ -f cap.wav ] || "$TRAIN" capture-signal -o cap.wav --rate 44100 >/dev/null
	: >"$f"
	for dt in "$@"; do
		d=${dt%_*} t=${dt#*_}
		[ -f "cap_$dt.wav" ] || LV2_PATH=/usr/lib/lv2 lv2apply -i cap.wav -o "cap_$dt.wav" \
			-c DRIVE "0.${d#d}" -c TONE "0.${t#t}" -c LEVEL -6 -c BYPASS 1 "$DS1" >/dev/null
		line="capture cap_$dt.wav drive=0.${d#d}"
		[ "$f" = grid.txt ] && line="$line tone=0.${t#t}"
		echo "$line" >>"$f"
	done
}
knob_pairs() { if have_ds1; then capture_pairs "$@"; else pairs "$@"; fi; }
if echo "$parts" | grep -qw interpolate; then
	knob_pairs interp.txt d000_t500 d250_t500 d500_t500
	"$TRAIN" transform --pairs interp.txt -o interp.cwrnn --threads "$THREADS" -q $NET \
		--seconds "${MEASURE_TRAIN_SECONDS:-300}" --report interp.json
	for d in 000 250 500; do
		echo "     drive 0.$d (trained): model ESR $(esr interp.cwrnn "$A/ds1k_test_dry.flac" \
			"$A/ds1k_test_d${d}_t500.flac" --knob "drive=0.$d")"
	done
	for d in 125:000:250 375:250:500; do
		set -- $(echo "$d" | tr : ' ')
		m=$(esr interp.cwrnn "$A/ds1k_test_dry.flac" "$A/ds1k_test_d$1_t500.flac" \
			--knob "drive=0.$1")
		lo=$(plain_esr "$A/ds1k_test_d$2_t500.flac" "$A/ds1k_test_d$1_t500.flac")
		hi=$(plain_esr "$A/ds1k_test_d$3_t500.flac" "$A/ds1k_test_d$1_t500.flac")
		near=$(awk "BEGIN { print ($lo < $hi) ? $lo : $hi }")
		echo "     drive 0.$1 (unseen): model ESR $m; recorded 0.$2: $lo, 0.$3: $hi"
		bound "interpolate drive 0.$1: ESR" "$m" "<=" 0.1
		bound "interpolate drive 0.$1: below the nearest recorded setting" "$m" "<" "$near"
	done
fi

# ------------------------------------------------------------------- grid
# DRIVE (0, 0.25, 0.5) and TONE (0.2, 0.5, 0.8) at once, 3 x 3 settings;
# judged at two combinations never recorded.
if echo "$parts" | grep -qw grid; then
	knob_pairs grid.txt d000_t200 d000_t500 d000_t800 d250_t200 d250_t500 d250_t800 \
		d500_t200 d500_t500 d500_t800
	"$TRAIN" transform --pairs grid.txt -o grid.cwrnn --threads "$THREADS" -q $NET \
		--seconds "${MEASURE_TRAIN_SECONDS:-300}" --report grid.json
	for dt in 125:650 375:350; do
		d=${dt%:*} t=${dt#*:}
		m=$(esr grid.cwrnn "$A/ds1k_test_dry.flac" "$A/ds1k_test_d${d}_t$t.flac" \
			--knob "drive=0.$d" --knob "tone=0.$t")
		bound "two knobs at drive 0.$d tone 0.$t (unseen): ESR" "$m" "<=" 0.15
	done
fi

# ---------------------------------------------------------------- capture
# The capture signal through the DS-1 (DRIVE 0.5, TONE 0.5) with lv2apply,
# 0.25 s of silence before it and 1 s after (the recorder ran longer),
# trained with --capture; judged on the nylon-guitar phrase through the same
# pedal: from the standard signal to real playing.
if echo "$parts" | grep -qw capture; then
	if have_ds1; then
		[ -f cap.wav ] || "$TRAIN" capture-signal -o cap.wav --rate 44100 >/dev/null
		LV2_PATH=/usr/lib/lv2 lv2apply -i cap.wav -o capfx.wav -c DRIVE 0.5 -c TONE 0.5 \
			-c LEVEL -6 -c BYPASS 1 "$DS1" >/dev/null
		sox capfx.wav rec.wav pad 0.25 1  # the recorder started early and stopped late
		"$TRAIN" transform --capture rec.wav -o cap.cwrnn --threads "$THREADS" $NET \
			--seconds "${MEASURE_TRAIN_SECONDS:-300}" | grep verdict
		m=$(esr cap.cwrnn "$A/ds1k_test_dry.flac" "$A/ds1k_test_d500_t500.flac")
		bound "capture signal -> real guitar: ESR" "$m" "<=" 0.1
	else
		echo "skip capture (needs lv2apply from lilv-utils and guitarix-lv2)"
	fi
fi

echo "measure: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
