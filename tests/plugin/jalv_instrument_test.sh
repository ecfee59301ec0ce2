#!/bin/bash
# Manual host test of the instrument (not run by make check; needs jalv,
# jackd2, sox): JACK dummy backend at 48 kHz, jalv running
# https://cwrnn.org/lv2/instrument with a preset chosen on its stdin
# ("presets", then "preset URI"), jack_midiseq looping A3 and E4 (0.4 s each,
# velocity 100) into its MIDI input, both outputs recorded for 2 s. Passes
# when the recording is not silent (left RMS above 0.001). Prints the RMS
# and the jalv log (the preset list shows the three instruments).
# Usage: tests/plugin/jalv_instrument_test.sh [BUILD_DIR] [PRESET_NAME]
set -u
build=$(realpath "${1:-build}")
preset=https://cwrnn.org/lv2/presets/${2:-instrument-organ}
uri=https://cwrnn.org/lv2/instrument
out=${OUT:-/tmp/cwrnn_jalv_instrument}
rm -rf "$out"
mkdir -p "$out"
. "$(dirname "$0")/jack_dummy.sh" cwrnninst

mkfifo "$out/jalv.in"
sleep 100000 >"$out/jalv.in" &
pids+=($!)
stdbuf -oL jalv -t -n cwinst "$uri" <"$out/jalv.in" >"$out/jalv.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do jack_lsp | grep -q "^cwinst:out_l" && break; sleep 0.1; done
jack_lsp | grep -q "^cwinst:out_l" || { echo "jalv did not start"; cat "$out/jalv.log"; exit 1; }
printf 'presets\npreset %s\n' "$preset" >"$out/jalv.in"
sleep 1
midi_in=$(jack_lsp | grep '^cwinst:' | grep -v 'out_' | head -n 1)
# jack_midiseq NAME LOOP_SAMPLES [START NOTE LENGTH]...: A3 at 0, E4 at 0.5 s
jack_midiseq seq 48000 0 57 19200 24000 64 19200 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do jack_lsp | grep -q '^seq:' && break; sleep 0.1; done
jack_connect "$(jack_lsp | grep '^seq:' | head -n 1)" "$midi_in"
sleep 0.5
jack_rec -f "$out/instrument.wav" -d 2 cwinst:out_l cwinst:out_r >/dev/null 2>&1

rms=$(sox "$out/instrument.wav" -n remix 1 stat 2>&1 | awk '/RMS +amplitude/{print $3}')
echo "recorded: RMS $rms (left)"
echo "--- jalv log"
grep -v ' = ' "$out/jalv.log" | head -n 40
awk -v r="$rms" 'BEGIN { exit !(r > 0.001) }' || { echo "FAILED: silent"; exit 1; }
echo "jalv_instrument_test.sh: OK ($out/instrument.wav)"
