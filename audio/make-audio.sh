#!/bin/sh
# Recreates the bundled recordings in audio/ from Debian's real-instrument
# samples. Run by hand (the FLAC files it writes are committed, so builds and
# CI need none of these packages):
#   sudo apt-get install fluidsynth fluid-soundfont-gm guitarix-lv2 lilv-utils sox python3
#   audio/make-audio.sh [all|knobs|capture]
# (knobs: only the DS-1 recordings at several knob settings; capture: only
# the phrases bundled into the capture signal.) Sources and licences:
# audio/README.md.
set -eu
cd "$(dirname "$0")"
SF2=/usr/share/sounds/sf2/FluidR3_GM.sf2
DS1='http://guitarix.sourceforge.net/plugins/gx_bossds1_#_bossds1_'
TS9='http://guitarix.sourceforge.net/plugins/gxts9#ts9sim'
FUZZFACE='http://guitarix.sourceforge.net/plugins/gx_fuzzface_#_fuzzface_'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# render NAME KIND SECONDS SEED PROGRAM: a dry mono 44.1 kHz phrase played
# with FluidR3's sampled instrument PROGRAM, no reverb or chorus, peak -3 dB.
render() {
	python3 make_midi.py "$2" "$3" "$4" "$5" "$TMP/$1.mid"
	fluidsynth -ni -R 0 -C 0 -g 0.5 -r 44100 -F "$TMP/$1.wav" "$SF2" "$TMP/$1.mid" >/dev/null
	sox "$TMP/$1.wav" -b 24 "$1.flac" remix 1,2 trim 0 "$3" gain -n -3
}

# fx DRY WET URI [-c SYMBOL VALUE]...: the dry file through a Guitarix LV2
# pedal emulation, run by lilv's lv2apply.
fx() {
	dry=$1 wet=$2 uri=$3
	shift 3
	sox "$dry.flac" -e floating-point -b 32 "$TMP/in.wav"
	LV2_PATH=/usr/lib/lv2 lv2apply -i "$TMP/in.wav" -o "$TMP/out.wav" "$@" "$uri" >/dev/null
	sox "$TMP/out.wav" -b 24 "$wet.flac"
}
ds1() { fx "$1" "$2" "$DS1" -c DRIVE 0.7 -c TONE 0.5 -c LEVEL -6 -c BYPASS 1; }
ts9() { fx "$1" "$2" "$TS9" -c fslider2_ 0.5 -c fslider1_ 400 -c fslider0_ -10; }
fuzzface() { fx "$1" "$2" "$FUZZFACE" -c FUZZ 0.7 -c LEVEL 0.5; }

# note NAME PROGRAM NOTE RATE SAMPLES: one note of FluidR3's PROGRAM, resampled
# to RATE (chosen so that one cycle of the note is exactly 32 samples) and cut
# to its first SAMPLES samples: a generator's training target (presets/).
note() {
	python3 make_midi.py "note:$3" 2.5 0 "$2" "$TMP/$1.mid"
	fluidsynth -ni -R 0 -C 0 -g 0.5 -r 44100 -F "$TMP/$1.wav" "$SF2" "$TMP/$1.mid" >/dev/null
	sox "$TMP/$1.wav" -b 24 "$1.flac" remix 1,2 gain -n -3 rate -v "$4" trim 0 "$5s"
}

# notes DIR PROGRAM SECONDS HOLD NOTES...: an instrument's multi-note set for
# cwrnn-train instrument: each NOTE at velocities 40, 80 and 127, held HOLD
# seconds then released, cut to SECONDS, mono 22.05 kHz; one gain for the
# whole set (its loudest note peaks at -3 dB) so velocity keeps its level;
# DIR/NOTES.txt lists them (FILE note= velocity= release=).
notes() {
	dir=$1 program=$2 seconds=$3 hold=$4
	shift 4
	mkdir -p "$dir" "$TMP/$dir"
	manifest="# $dir: FluidR3 GM program $program, made by audio/make-audio.sh"
	for n in "$@"; do
		for v in 40 80 127; do
			name="n${n}_v$v"
			python3 make_midi.py "note:$n:$v:$hold" "$seconds" 0 "$program" "$TMP/$name.mid"
			fluidsynth -ni -R 0 -C 0 -g 0.5 -r 44100 -F "$TMP/$name.wav" "$SF2" \
				"$TMP/$name.mid" >/dev/null
			sox "$TMP/$name.wav" "$TMP/$dir/$name.wav" remix 1,2 trim 0 "$seconds" rate -v 22050
			manifest="$manifest
$name.flac note=$n velocity=$v release=$hold"
		done
	done
	peak=$(for f in "$TMP/$dir"/*.wav; do sox "$f" -n stat 2>&1; done |
		awk '/(Maximum|Minimum) amplitude/ { v = $3 < 0 ? -$3 : $3; if (v > p) p = v }
		     END { print p }')
	gain=$(awk -v p="$peak" 'BEGIN { printf "%.3f", -3 - 20 * log(p) / log(10) }')
	for f in "$TMP/$dir"/*.wav; do
		sox "$f" -b 24 "$dir/$(basename "$f" .wav).flac" gain "$gain"
	done
	printf '%s\n' "$manifest" >"$dir/NOTES.txt"
}
# knobs: the DS-1 at several DRIVE and TONE settings (16-bit: these are
# many), on the first 15 s of the training phrase and the first 10 s of the
# test phrase. DRIVE acts over 0..0.5 (above, its sound hardly changes): the
# models train on DRIVE 0, 0.25, 0.5 x TONE 0.2, 0.5, 0.8 and are tested at
# settings never trained on (tests/trainer/measure.sh). Names give the
# settings in thousandths: ds1k_test_d125_t500 is DRIVE 0.125, TONE 0.5.
knobs() {
	sox guitar_train_dry.flac -b 16 ds1k_train_dry.flac trim 0 15
	sox guitar_test_dry.flac -b 16 ds1k_test_dry.flac trim 0 10
	for d in 000 250 500; do
		for t in 200 500 800; do
			fx16 ds1k_train_dry "ds1k_train_d${d}_t${t}" "$DS1" -c DRIVE "0.$d" -c TONE "0.$t" \
				-c LEVEL -6 -c BYPASS 1
		done
	done
	for dt in 000:500 125:500 250:500 375:500 500:500 125:650 375:350; do
		d=${dt%:*} t=${dt#*:}
		fx16 ds1k_test_dry "ds1k_test_d${d}_t${t}" "$DS1" -c DRIVE "0.$d" -c TONE "0.$t" \
			-c LEVEL -6 -c BYPASS 1
	done
}
fx16() {
	fx "$@"
	sox "$2.flac" -b 16 "$TMP/16.flac" && mv "$TMP/16.flac" "$2.flac"
}
# capture: the bass phrase bundled into the capture signal (the guitar comes
# from guitar_train_dry); 16-bit, as the capture signal is written at 16 bits
# of resolution or better.
capture() {
	render capture_bass_dry bass 40 4 33          # electric bass (finger), a bass line
	sox capture_bass_dry.flac -b 16 "$TMP/16.flac" && mv "$TMP/16.flac" capture_bass_dry.flac
	sox guitar_train_dry.flac -b 16 capture_guitar_dry.flac trim 20 40
}
case "${1:-all}" in
knobs) knobs; ls -l ./ds1k_*.flac; exit 0 ;;
capture) capture; ls -l ./capture_*.flac; exit 0 ;;
all) ;;
*) echo "usage: audio/make-audio.sh [all|knobs|capture]" >&2; exit 1 ;;
esac

render guitar_train_dry strum 60 1 25     # steel-string acoustic guitar, strummed and picked
render guitar_test_dry melody 15 2 24     # nylon-string guitar, a single-note melody
ds1 guitar_train_dry guitar_train_ds1
ds1 guitar_test_dry guitar_test_ds1
# The presets' effects (presets/README.md), at 48 kHz (the rate of the
# plugin's default model): the dry phrases resampled, then through a Tube
# Screamer and a Fuzz Face run at 48 kHz.
for f in guitar_train_dry guitar_test_dry; do
	sox "$f.flac" -b 24 "${f}_48k.flac" rate -v 48000
done
for f in guitar_train guitar_test; do
	ts9 "${f}_dry_48k" "${f}_ts9_48k"
	fuzzface "${f}_dry_48k" "${f}_fuzzface_48k"
done
# The presets' generators and continuation: single notes, one cycle = 32 samples.
note harp_a3_7056 46 57 7056 2822      # harp A3 (220.5 Hz), 0.4 s: plucked
note cello_a2_3528 42 45 3528 640      # cello A2 (110.25 Hz), 0.18 s: bowed attack
note cello_a3_7056 42 57 7056 15523    # cello A3 (220.5 Hz), 2.2 s: continuation
render piano_chords chords 4 3 0          # grand piano chords
# The paper's experiment: 320 samples of recorded music (44.1 kHz), taken
# from the piano chords 0.5 s in, past the attack.
sox piano_chords.flac -b 24 paper_music_320.flac trim 22050s 320s
# The instruments' multi-note sets (presets: polyphonic instruments): three
# pitches two octaves apart at three velocities, held 0.5 s then released.
notes epiano 4 1.0 0.5 48 60 72       # electric piano (GM 4): struck, decays
notes guitar 24 1.5 0.5 48 60 72      # nylon-string guitar (GM 24): plucked
notes organ 16 0.8 0.5 48 60 72       # drawbar organ (GM 16): sustains, stops
knobs
capture
ls -l ./*.flac ./*/*.flac
