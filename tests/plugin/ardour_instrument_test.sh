#!/bin/bash
# Manual host test (not run by make check; needs ardour (ardour7-lua), sox
# and python3): Ardour 7 headless with the Dummy backend makes a MIDI track
# playing https://cwrnn.org/lv2/instrument (its default instrument), records
# a MIDI region of a C major chord into it (ardour_instrument.lua: Ardour 7
# cannot import MIDI headless, so a second track's Lua processor,
# ardour_chord.lua, plays the chord), saves and reloads the session and
# bounces the region through the instrument (ardour_render.lua). Passes when
# the bounce is not silent and C4, E4 and G4 each stand out of the other
# semitones between B3 and A4 (Goertzel power over 0.2..1 s, at least 10x
# the strongest non-chord semitone).
# Usage: tests/plugin/ardour_instrument_test.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}")
. "$here/ardour_setup.sh" /tmp/cwrnn_ardour_instrument
mkdir -p "$work/home/.config/ardour7/scripts"
cp "$here/ardour_chord.lua" "$work/home/.config/ardour7/scripts/"
export HOME="$work/home" PLUGIN_URI=https://cwrnn.org/lv2/instrument SESS_DIR="$work/session"

timeout 120 ardour7-lua "$here/ardour_instrument.lua" >"$work/create.log" 2>&1 ||
	{ tail -5 "$work/create.log"; exit 1; }
grep -E '^(INSTRUMENT|NOTE|REGION)' "$work/create.log"
timeout 120 ardour7-lua "$here/ardour_render.lua" >"$work/render.log" 2>&1 ||
	{ tail -5 "$work/render.log"; exit 1; }
grep -E '^(PLUGIN|BOUNCED)' "$work/render.log"
bounced=$(awk '/^BOUNCED/{print $2}' "$work/render.log")
[ -f "$bounced" ] || { echo "no bounce" >&2; exit 1; }
sox "$bounced" -r 48000 -c 1 -b 32 -e floating-point "$work/mono.raw" trim 0.2 0.8
python3 - "$work/mono.raw" <<'PY'
import array, math, sys
x = array.array("f")
x.frombytes(open(sys.argv[1], "rb").read())
rms = math.sqrt(sum(v * v for v in x) / max(len(x), 1))
def power(f):  # Goertzel at f Hz, 48 kHz
    c, s1, s2 = 2 * math.cos(2 * math.pi * f / 48000), 0.0, 0.0
    for v in x:
        s1, s2 = v + c * s1 - s2, s1
    return s1 * s1 + s2 * s2 - c * s1 * s2
note = lambda n: 440 * 2 ** ((n - 69) / 12)
chord = {n: power(note(n)) for n in (60, 64, 67)}
others = {n: power(note(n)) for n in range(59, 70) if n not in chord}
worst = max(others.values())
print("rms %.4f" % rms)
for n, p in sorted(chord.items()):
    print("note %d (%.1f Hz): %.1f x the strongest other semitone" % (n, note(n), p / worst))
ok = rms > 0.005 and all(p > 10 * worst for p in chord.values())
print("OK" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
