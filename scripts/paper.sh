#!/bin/sh
# Reproduces the sequence-generation experiment of Koutník et al. (ICML 2014,
# §4.1) with cwrnn-train: 320 samples of recorded music at 44.1 kHz (the
# piano recording in audio/paper_music_320.flac), one linear output, SGD with
# Nesterov momentum 0.95, learning rate 3e-4, loss 0.5 x sum of squared
# errors, weights from N(0, 0.1^2), 2000 epochs. CW-RNN: 9 modules with
# periods 1..256; the baseline is a plain RNN (one module, period 1) with
# about the same number of parameters. Prints NMSE (MSE / variance of the
# target) per network: median, mean +- std, min, max over SEEDS seeds.
#
# Usage: scripts/paper.sh [SEEDS]      (make paper)   env: JOBS (parallel runs, 2)
set -eu
SEEDS=${1:-5}
JOBS=${JOBS:-2}
TRAIN=${TRAIN:-build/cwrnn-train}
TARGET=audio/paper_music_320.flac
OUT=${OUT:-build/paper}
# The clip only catches blow-ups (the plain RNN diverges without one); it
# never binds in a healthy run.
CLIP=${CLIP:-100}
mkdir -p "$OUT"

# name hidden modules: CW-RNN sizes from the paper (11/19/27/40 hidden
# units, ~100/250/500/1000 parameters); plain RNNs of n units have (n+1)^2.
NETS="cw100:11:9 cw250:19:9 cw500:27:9 cw1000:40:9 rnn100:9:1 rnn250:15:1 rnn500:21:1 rnn1000:31:1"

runs=""
for net in $NETS; do
	for seed in $(seq 1 "$SEEDS"); do
		runs="$runs $net:$seed"
	done
done

start=$(date +%s)
echo "$runs" | tr ' ' '\n' | grep . | xargs -P "$JOBS" -I{} sh -c '
	IFS=: read -r name hidden modules seed <<E
{}
E
	periods=1; [ "$modules" = 9 ] && periods=1,2,4,8,16,32,64,128,256
	'"$TRAIN"' generate --target '"$TARGET"' -o '"$OUT"'/$name-$seed.cwrnn \
		--hidden $hidden --modules $modules --periods $periods --segment 320 \
		--optimizer nesterov --momentum 0.95 --lr 3e-4 --loss sse --init-sigma 0.1 \
		--epochs 2000 --val 0 --patience 0 --clip '"$CLIP"' --seed $seed --threads 1 \
		--report '"$OUT"'/$name-$seed.json --quiet ||
		echo "paper: run $name seed $seed failed" >&2
'
elapsed=$(( $(date +%s) - start ))

value() { grep -m1 -o "\"$2\": *[^,}]*" "$1" | sed 's/.*: *//'; }

printf '\n%-10s %7s %8s %10s %20s %10s %10s %8s\n' network params runs median "mean +- std" min max "s/run"
fail=0
for net in $NETS; do
	name=${net%%:*}
	list=""
	for seed in $(seq 1 "$SEEDS"); do
		f="$OUT/$name-$seed.json"
		[ -f "$f" ] || { fail=1; continue; }
		list="$list $(value "$f" val_nmse) $(value "$f" params) $(value "$f" seconds)"
	done
	echo "$list" | awk -v name="$name" '
		{ for (i = 1; i <= NF; i += 3) { v[++n] = $i; p = $(i+1); s += $(i+2) } }
		END {
			if (n == 0) { printf "%-10s no finished runs\n", name; exit 1 }
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			for (i = 1; i <= n; i++) { if (v[i] != v[i] + 0 || v[i] == "nan" || v[i] == "-nan") bad = 1; m += v[i] }
			m /= n; for (i = 1; i <= n; i++) sd += (v[i] - m)^2; sd = sqrt(sd / (n > 1 ? n - 1 : 1))
			med = n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
			printf "%-10s %7d %8d %10.4f %11.4f +- %6.4f %10.4f %10.4f %8.2f%s\n", name, p, n, med, m, sd, v[1], v[n], s / n, bad ? "  NaN!" : ""
			exit bad
		}' || fail=1
done
echo "paper reports (1000 parameters, 100 runs): SRN 0.46 +- 0.08, LSTM 0.04 +- 0.01, CW-RNN 0.007 +- 0.004"
echo "paper: $(echo "$runs" | wc -w) runs in ${elapsed}s with $JOBS parallel jobs; models and reports in $OUT/"
exit $fail
