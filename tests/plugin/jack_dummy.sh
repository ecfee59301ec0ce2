# Sourced by the by-hand jalv tests: the bundle on LV2_PATH, a JACK server
# named $1 on the dummy backend at ${RATE:-48000} Hz (log in $out/jackd.log),
# and the cleanup that stops, by PID, the server and every process the test
# adds to pids. Needs build and out set.
export LV2_PATH="$build/lv2:/usr/lib/lv2" JACK_DEFAULT_SERVER=$1 JACK_NO_AUDIO_RESERVATION=1
mkdir -p "$build/lv2" && ln -sfn ../cwrnn.lv2 "$build/lv2/cwrnn.lv2"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	[ -n "${jackd:-}" ] && kill "$jackd" 2>/dev/null && wait "$jackd" 2>/dev/null
}
trap cleanup EXIT

jackd -n "$1" --no-realtime -d dummy -r "${RATE:-48000}" -p 256 >"$out/jackd.log" 2>&1 &
jackd=$!
jack_wait -w -t 10 >/dev/null 2>&1 || { echo "jackd did not start"; exit 1; }
