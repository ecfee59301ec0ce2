#!/bin/sh
# Recreates the bundled recordings in audio/ from Debian's real-instrument
# samples. Run by hand (the FLAC files it writes are committed, so builds and
# CI need none of these packages):
#   sudo apt-get install fluidsynth fluid-soundfont-gm guitarix-lv2 lilv-utils sox python3
#   audio/make-audio.sh
# Sources and licences: audio/README.md.
set -eu
cd "$(dirname "$0")"
SF2=/usr/share/sounds/sf2/FluidR3_GM.sf2
DS1='http://guitarix.sourceforge.net/plugins/gx_bossds1_#_bossds1_'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# render NAME KIND SECONDS SEED PROGRAM: a dry mono 44.1 kHz phrase played
# with FluidR3's sampled instrument PROGRAM, no reverb or chorus, peak -3 dB.
render() {
	python3 make_midi.py "$2" "$3" "$4" "$5" "$TMP/$1.mid"
	fluidsynth -ni -R 0 -C 0 -g 0.5 -r 44100 -F "$TMP/$1.wav" "$SF2" "$TMP/$1.mid" >/dev/null
	sox "$TMP/$1.wav" -b 24 "$1.flac" remix 1,2 trim 0 "$3" gain -n -3
}

# ds1 DRY WET: the dry file through Guitarix's Boss DS-1 emulation (drive
# 0.7, tone 0.5), run by lilv's lv2apply.
ds1() {
	sox "$1.flac" -e floating-point -b 32 "$TMP/in.wav"
	LV2_PATH=/usr/lib/lv2 lv2apply -i "$TMP/in.wav" -o "$TMP/out.wav" \
		-c DRIVE 0.7 -c TONE 0.5 -c LEVEL -6 -c BYPASS 1 "$DS1"
	sox "$TMP/out.wav" -b 24 "$2.flac"
}

render guitar_train_dry strum 60 1 25     # steel-string acoustic guitar, strummed and picked
render guitar_test_dry melody 15 2 24     # nylon-string guitar, a single-note melody
ds1 guitar_train_dry guitar_train_ds1
ds1 guitar_test_dry guitar_test_ds1
render piano_chords chords 4 3 0          # grand piano chords
# The paper's experiment: 320 samples of recorded music (44.1 kHz), taken
# from the piano chords 0.5 s in, past the attack.
sox piano_chords.flac -b 24 paper_music_320.flac trim 22050s 320s
ls -l ./*.flac
