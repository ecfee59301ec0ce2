#!/bin/sh
# The shared object exports lv2_descriptor alone (engine symbols hidden).
# The bundle in lilv's command-line hosts: lv2ls and lv2info find both
# plugins; lv2apply (no features, atom ports left unconnected) processes a
# WAV made with sox, with the model applied and bypassed; lv2bench runs it.
# Usage: tests/plugin/tools.sh BUILD_DIR
set -u
build=$(realpath "${1:?usage: tools.sh BUILD_DIR}")
export LV2_PATH="$build:/usr/lib/lv2"
mono=https://cwrnn.org/lv2/mono
stereo=https://cwrnn.org/lv2/stereo
. "$(dirname "$0")/../tally.sh"
# RMS of a file (channel $2, default 1)
rms() { sox "$1" -n remix "${2:-1}" stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }
# RMS of the difference of two mono files
diff_rms() { sox -m -v 1 "$1" -v -1 "$2" -n stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }

exports=$(nm -D --defined-only "$build/cwrnn.lv2/cwrnn.so" | awk '{print $NF}')
[ "$exports" = "lv2_descriptor" ] && ok "cwrnn.so exports only lv2_descriptor" ||
	bad "cwrnn.so exports: $(echo $exports)"

ls_out=$(lv2ls 2>/dev/null)
for u in $mono $stereo; do
	echo "$ls_out" | grep -qx "$u" && ok "lv2ls lists $u" || bad "lv2ls does not list $u"
done

info=$(lv2info $mono 2>/dev/null)
echo "$info" | grep -q 'Has latency: *yes, reported by port 5' && ok "lv2info: latency port 5" ||
	bad "lv2info: no latency port"
echo "$info" | grep -q 'Symbol: *knob_4' && ! echo "$info" | grep -q 'Port 27:' &&
	ok "lv2info: mono has ports 0..26" || bad "lv2info: mono port list"
lv2info $stereo 2>/dev/null | grep -q 'Symbol: *out_r' && ok "lv2info: stereo has out_r" ||
	bad "lv2info: stereo port list"

sox -n -r 48000 -c 1 -b 32 -e floating-point "$tmp/in.wav" synth 1 sine 220 vol 0.5
sox -n -r 48000 -c 2 -b 32 -e floating-point "$tmp/in2.wav" synth 1 sine 220 sine 330 vol 0.5
if lv2apply -i "$tmp/in.wav" -o "$tmp/wet.wav" $mono 2>"$tmp/err"; then
	n_in=$(soxi -s "$tmp/in.wav" 2>/dev/null)
	n_out=$(soxi -s "$tmp/wet.wav" 2>/dev/null)
	d=$(diff_rms "$tmp/in.wav" "$tmp/wet.wav")
	[ "$n_in" = "$n_out" ] && awk -v d="$d" 'BEGIN{exit !(d > 0.001)}' &&
		ok "lv2apply mono: $n_out samples, wet differs from dry by rms $d" ||
		bad "lv2apply mono: $n_in -> $n_out samples, difference rms $d"
else
	bad "lv2apply mono failed: $(cat "$tmp/err")"
fi
if lv2apply -c enabled 0 -i "$tmp/in.wav" -o "$tmp/bypassed.wav" $mono 2>"$tmp/err"; then
	d=$(diff_rms "$tmp/in.wav" "$tmp/bypassed.wav")
	awk -v d="$d" 'BEGIN{exit !(d == 0)}' && ok "lv2apply -c enabled 0: output is the input" ||
		bad "lv2apply bypassed differs from the input by rms $d"
else
	bad "lv2apply bypassed failed: $(cat "$tmp/err")"
fi
if lv2apply -c out_gain -6 -i "$tmp/in2.wav" -o "$tmp/wet2.wav" $stereo 2>"$tmp/err"; then
	l=$(rms "$tmp/wet2.wav" 1)
	r=$(rms "$tmp/wet2.wav" 2)
	awk -v l="$l" -v r="$r" 'BEGIN{exit !(l > 0.05 && r > 0.05)}' &&
		ok "lv2apply stereo: rms L=$l R=$r" || bad "lv2apply stereo: rms L=$l R=$r"
else
	bad "lv2apply stereo failed: $(cat "$tmp/err")"
fi

bench=$(lv2bench -f -b 256 -n 48000 $mono 2>/dev/null)
echo "$bench" | grep -q "$mono" && ok "lv2bench runs the mono plugin" ||
	bad "lv2bench did not run $mono"

tally_end
