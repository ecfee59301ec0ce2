#!/bin/sh
# make demo: trains a small effect model on the bundled Boss DS-1 pair,
# renders the held-out pair (another instrument and phrase) through the LV2
# plugin with cwrnn-lv2-render and through the engine with cwrnn-render,
# and draws the comparison. Everything goes into $OUT.
# Environment: BUILD (build/), OUT (demo/), EPOCHS (28), HIDDEN (24 units in
# 8 modules), LV2_PATH (a directory holding cwrnn.lv2: make demo sets it),
# AUDIO (audio/).
set -eu
BUILD=${BUILD:-build}
OUT=${OUT:-demo}
EPOCHS=${EPOCHS:-28}
HIDDEN=${HIDDEN:-24}
AUDIO=${AUDIO:-audio}
: "${LV2_PATH:?set LV2_PATH to a directory holding cwrnn.lv2 (make demo does)}"

TRAIN_DRY=$AUDIO/guitar_train_dry.flac
TRAIN_WET=$AUDIO/guitar_train_ds1.flac
TEST_DRY=$AUDIO/guitar_test_dry.flac
TEST_WET=$AUDIO/guitar_test_ds1.flac
MODEL=$OUT/ds1.cwrnn

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | awk '{ printf "%.1f", $1 - $3 }'; }
say() { printf '\n== %s\n' "$*"; }

mkdir -p "$OUT"
start=$(now)

# Two threads whatever the machine: the batch's gradient sum is split per
# thread, so a fixed count makes the run repeat exactly (seed 1).
say "training a DS-1 model ($HIDDEN units): $EPOCHS epochs on $TRAIN_DRY -> $TRAIN_WET"
t0=$(now)
"$BUILD/cwrnn-train" transform -i "$TRAIN_DRY" -t "$TRAIN_WET" -o "$MODEL" --name "DS-1 (demo)" \
	--hidden "$HIDDEN" --epochs "$EPOCHS" --threads 2 --seed 1 --report "$OUT/train.json" --plot "$OUT/train.svg"
train_wall=$(elapsed "$t0" "$(now)")

say "rendering the held-out clip through the LV2 plugin (lilv host, 256-frame blocks)"
lv2_line=$("$BUILD/cwrnn-lv2-render" -i "$TEST_DRY" -m "$MODEL" -o "$OUT/test_plugin.wav" -b 256)
echo "$lv2_line"
render_seconds=$(echo "$lv2_line" | sed -n 's/.* of audio in \([0-9.]*\) s .*/\1/p')

say "rendering it with the engine alone (cwrnn-render) for comparison"
"$BUILD/cwrnn-render" -m "$MODEL" -i "$TEST_DRY" -o "$OUT/test_engine.wav" --target "$TEST_WET"

# Listenable copies of the dry input and the target beside the outputs.
sox "$TEST_DRY" -b 24 "$OUT/test_dry.wav"
sox "$TEST_WET" -b 24 "$OUT/test_target.wav"

say "comparing and drawing $OUT/cwrnn-demo.svg"
"$BUILD/cwrnn-demo-plot" --dry "$TEST_DRY" --target "$TEST_WET" --output "$OUT/test_plugin.wav" \
	--engine "$OUT/test_engine.wav" --report "$OUT/train.json" -o "$OUT/cwrnn-demo.svg" \
	${render_seconds:+--render-seconds "$render_seconds"} \
	--title "cwrnn: a Clockwork RNN learns a distortion pedal (Boss DS-1 emulation)" \
	--caption "Trained on 54 s of steel-string guitar; tested on a nylon-guitar melody it never heard, rendered through the LV2 plugin." \
	> "$OUT/numbers.txt"
sed 's/^/  /' "$OUT/numbers.txt"

# The instrument: a phrase (tools/demo/phrase.mid, made by audio/make_midi.py
# melody 6 3) played by the bundled Organ through the instrument plugin, and
# its spectrogram.
say "playing a phrase on the bundled instrument (Organ preset) through the instrument plugin"
"$BUILD/cwrnn-lv2-render" --uri https://cwrnn.org/lv2/instrument --preset Organ \
	--midi tools/demo/phrase.mid -o "$OUT/instrument.wav"
sox "$OUT/instrument.wav" -n spectrogram -x 1000 -y 385 -z 90 -o "$OUT/instrument-spectrogram.png" \
	-t "cwrnn instrument: Organ (learned from 9 recorded notes) playing a phrase"

train_seconds=$(sed -n 's/^  "seconds": \([0-9.]*\),$/\1/p' "$OUT/train.json")
audio_seconds=$(echo "$lv2_line" | sed -n 's/.*: \([0-9.]*\) s of audio in .*/\1/p')
say "done in $(elapsed "$start" "$(now)") s"
cat <<EOF
  training        $EPOCHS epochs, $(printf '%.1f' "$train_seconds") s of training ($train_wall s wall, with loading and validation)
  LV2 render      $audio_seconds s of audio in $render_seconds s of run() calls ($(echo "$lv2_line" | sed -n 's/.*(\(real-time factor [^)]*\)).*/\1/p'))
  picture         $OUT/cwrnn-demo.svg   (open it in a browser)
  listen          $OUT/test_dry.wav  $OUT/test_target.wav  $OUT/test_plugin.wav
  instrument      $OUT/instrument.wav and $OUT/instrument-spectrogram.png (the Organ preset
                  playing tools/demo/phrase.mid through the instrument plugin)
  also            $OUT/test_engine.wav (cwrnn-render), $MODEL (the model: load it in the
                  plugin), $OUT/train.json and $OUT/train.svg (training report and curves)
EOF
