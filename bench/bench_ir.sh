#!/bin/sh
# Instructions per sample under callgrind: for each model and each ISA path,
# (Ir(N) - Ir(0)) / N of `bench_engine --ir MODEL N`, so everything but the
# N samples (start-up, loading, packing) cancels. Deterministic: the figure
# to quote on a noisy machine. Usage: bench/bench_ir.sh BENCH_ENGINE [ISA...]
set -eu
bin=$1
shift
isas=${*:-generic sse2 avx2}
frames=${BENCH_IR_FRAMES:-16384}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Ir of one run: the total callgrind prints as "Collected : N".
ir() {
	CWRNN_ISA=$1 valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bin" --ir "$2" "$3" \
		>"$tmp/stdout" 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log"
}

per_sample() {
	echo "$(ir "$1" "$2" "$frames") $(ir "$1" "$2" 0) $frames" | awk '{printf "%.0f", ($1 - $2) / $3}'
}

for isa in $isas; do
	for model in paper default effect; do
		cw=$(per_sample "$isa" "$model")
		ran=$(sed -n 's/.* isa=\([a-z0-9]*\).*/\1/p' "$tmp/stdout")
		name=$(sed -n 's/^name=\([^ ]*\).*/\1/p' "$tmp/stdout")
		if [ "$ran" != "$isa" ]; then
			echo "bench: $model isa=$isa not available here (runs $ran); skipped"
			continue
		fi
		dense=$(per_sample "$isa" "dense-$model")
		dense_params=$(sed -n 's/.*params=\([0-9]*\).*/\1/p' "$tmp/stdout")
		echo "$cw $dense" | awk -v m="$name" -v i="$isa" -v dp="$dense_params" '{
			printf "bench: %s instructions_per_sample=%d dense_instructions_per_sample=%d ratio=%.2f dense_params=%s isa=%s\n",
			       m, $1, $2, $2 / $1, dp, i }'
	done
done
