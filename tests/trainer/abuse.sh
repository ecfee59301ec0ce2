#!/bin/sh
# The trainer under abuse: destinations it cannot write (a directory it may
# not create files in, /dev/full, a FIFO, a read-only mount, a full disk) and
# SIGKILL while a checkpoint or the model is being written. The promise
# tested: a run that cannot save says so before training when it can know,
# and a file on disk is always either the previous one or a complete new one
# (never torn), which --resume continues from.
# Usage: tests/trainer/abuse.sh [BUILD_DIR] [KILL_ROUNDS]
# KILL_ROUNDS (default 0) adds that many kills at random moments of a run
# with a 17 MB checkpoint (make check-kill); the default rounds kill exactly
# while each file is being written.
set -u
BUILD=$(cd "${1:-build}" && pwd)
ROUNDS=${2:-0}
TRAIN="$BUILD/cwrnn-train"
RENDER="$BUILD/cwrnn-render"
WORK=$(mktemp -d /tmp/cwrnn-abuse-XXXXXX)
MNT=""
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
cd "$WORK" || exit 1
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
# refused NAME SAYS COMMAND...: fails, one line on stderr mentioning SAYS.
refused() {
	name=$1; says=$2; shift 2
	"$@" >out.log 2>err.log
	rc=$?
	if [ $rc -eq 0 ]; then fail "$name" "exit 0"
	elif [ "$(wc -l <err.log)" -ne 1 ]; then fail "$name" "stderr: $(cat err.log)"
	elif ! grep -q -- "$says" err.log; then fail "$name" "'$(cat err.log)' lacks '$says'"
	else pass "$name (exit $rc: $(cat err.log))"; fi
}
# valid FILE: the file ends in the CRC-32 of everything before it (models and
# checkpoints both do), i.e. it was written completely. gzip's trailer holds
# the CRC-32 of its input, little-endian, as the files do.
valid() {
	size=$(wc -c <"$1")
	[ "$size" -gt 8 ] || return 1
	head -c $((size - 4)) "$1" | gzip -c | tail -c 8 | head -c 4 >crc.computed
	tail -c 4 "$1" >crc.stored
	cmp -s crc.computed crc.stored
}
sx() { sox -R -D -V1 "$@"; }
sx -n -r 44100 -b 16 tone.wav synth 0.05 pluck A3 || exit 1
sx -n -r 44100 -b 16 dry.wav synth 0.3 pluck C3 || exit 1
sx dry.wav wet.wav overdrive 20 || exit 1
G="$TRAIN generate -t tone.wav --hidden 8 --modules 2 --epochs 1 -q"

# ------------------------------------------------ unwritable destinations
# Every one is refused before any training, naming the file. As root, a
# private node of the same device (1, 7) stands for /dev/full: were the
# refusal to regress, the rename would replace that node, not the system's.
FULL=/dev/full
mknod full c 1 7 2>/dev/null && FULL=$WORK/full
refused "-o /dev/full is refused before training (not a regular file)" "not a regular file" \
	$G -o "$FULL"
[ -c "$FULL" ] && pass "/dev/full is still a device" || fail "/dev/full is still a device" \
	"$(ls -l "$FULL")"
refused "--checkpoint /dev/full is refused before training" "not a regular file" \
	$G -o m.cwrnn --checkpoint "$FULL"
refused "--report /dev/full is refused before training" "not a regular file" \
	$G -o m.cwrnn --report "$FULL"
mkfifo fifo
refused "-o FIFO is refused" "not a regular file" $G -o fifo
[ -p fifo ] && pass "the FIFO is left alone" || fail "the FIFO is left alone" "$(ls -l fifo)"
$G -o small.cwrnn || fail "train a small model" "exit $?"
refused "render -o /dev/full is refused" "not a regular file" \
	"$RENDER" -m small.cwrnn -o "$FULL" --seconds 0.01
# /proc: root passes access(W_OK) there but cannot create a file; the early
# check (naming the directory) must catch it, not the save after training.
refused "-o in /proc is refused before training" "directory '/proc'" $G -o /proc/m.cwrnn
mkdir ro
chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
	refused "-o in a read-only directory" "ro/m.cwrnn" $G -o ro/m.cwrnn
fi

# ------------------------------------------- inputs e2e.sh does not try
head -c 3000 /dev/urandom >noise.wav
mkdir adir
refused "input is a directory" "adir' is a directory" $G -o m.cwrnn -t adir
refused "input is /dev/zero" "/dev/zero" $G -o m.cwrnn -t /dev/zero
refused "input is /dev/null (empty)" "/dev/null" $G -o m.cwrnn -t /dev/null
refused "validation input is not audio" "noise.wav" \
	"$TRAIN" transform -i dry.wav -t wet.wav --val-input noise.wav --val-target wet.wav -o m.cwrnn
refused "--resume of a missing checkpoint" "nothing.ckpt" $G -o m.cwrnn --resume nothing.ckpt
refused "--resume of a directory" "adir" $G -o m.cwrnn --resume adir
refused "--resume of /dev/zero" "/dev/zero" $G -o m.cwrnn --resume /dev/zero
head -c 1000 small.cwrnn >torn.ckpt
refused "--resume of a torn checkpoint" "torn.ckpt" $G -o m.cwrnn --resume torn.ckpt

# ---------------------------------------------------- read-only, full disk
# A 256 KiB tmpfs when we may mount one (root in a VM or CI container).
mkdir disk
if mount -t tmpfs -o size=256k tmpfs disk 2>/dev/null; then
	MNT="$WORK/disk"
	$G -o disk/old.cwrnn --checkpoint disk/old.ckpt || fail "train onto the small disk" "exit $?"
	cp disk/old.cwrnn old.cwrnn
	cp disk/old.ckpt old.ckpt
	mount -o remount,ro "$MNT"
	refused "-o on a read-only mount is refused before training" "Read-only" \
		$G -o disk/m.cwrnn
	mount -o remount,rw "$MNT"
	# Fill the disk: training runs (nothing can tell the file will not fit),
	# then the model (12 KB) cannot be written.
	printf 'old' >disk/old.wav
	dd if=/dev/zero of=disk/fill bs=4k 2>/dev/null
	"$TRAIN" transform -i dry.wav -t wet.wav --hidden 48 --modules 4 --epochs 1 -q \
		-o disk/old.cwrnn >out.log 2>err.log
	rc=$?
	if [ $rc -ne 0 ] && grep -q "No space left on device" err.log &&
	   cmp -s disk/old.cwrnn old.cwrnn && [ -z "$(ls disk | grep tmp)" ]; then
		pass "full disk: the model write fails with ENOSPC (exit $rc), the old model is intact, no temporary file left"
	else fail "full disk: model" "rc=$rc $(cat err.log) $(ls disk)"; fi
	# A checkpoint on the full disk, the model elsewhere: the model is saved,
	# the run reports the checkpoint failure, the old checkpoint is intact.
	"$TRAIN" transform -i dry.wav -t wet.wav --hidden 48 --modules 4 --epochs 1 -q \
		-o m.cwrnn --checkpoint disk/old.ckpt >out.log 2>err.log
	rc=$?
	if [ $rc -ne 0 ] && grep -q "No space left on device" err.log && valid m.cwrnn &&
	   cmp -s disk/old.ckpt old.ckpt && [ -z "$(ls disk | grep tmp)" ]; then
		pass "full disk: checkpoint fails with ENOSPC (exit $rc), the model is saved, the old checkpoint intact"
	else fail "full disk: checkpoint" "rc=$rc $(cat err.log) $(ls -l disk)"; fi
	# cwrnn-render onto the full disk: 10 s of float audio cannot fit (its
	# header does not either).
	"$RENDER" -m small.cwrnn -o disk/old.wav --seconds 10 >out.log 2>err.log
	rc=$?
	if [ $rc -ne 0 ] && grep -q "old.wav" err.log && [ "$(cat disk/old.wav)" = old ] &&
	   [ -z "$(ls disk | grep tmp)" ]; then
		pass "full disk: render fails (exit $rc: $(cat err.log)), the old file is intact"
	else fail "full disk: render" "rc=$rc $(cat err.log) $(ls -l disk)"; fi
	umount "$MNT"
	MNT=""
else
	echo "skip read-only and full disk (cannot mount a tmpfs here)"
fi

# ------------------------------------------------------------------ SIGKILL
# A 480k-parameter network: its checkpoint is 17 MB, its model 1.9 MB, so
# each takes long enough to write to be killed in the middle.
BIG="$TRAIN generate -t tone.wav --hidden 800 --modules 4 --segment 64 --threads 1 -q"
$BIG -o big.cwrnn --checkpoint big.ckpt --epochs 0 --seconds 0.2 ||
	fail "train the big network" "exit $?"
cp big.cwrnn big.old.cwrnn
cp big.ckpt big.old.ckpt

# kill_when GLOB: SIGKILLs job $pid as soon as GLOB exists; succeeds if the
# temporary file is still there afterwards (the kill landed mid-write, not
# after the rename: a busy machine can deschedule this loop that long).
kill_when() {
	glob=$1
	while kill -0 $pid 2>/dev/null; do
		# shellcheck disable=SC2086
		set -- $glob
		[ -e "$1" ] && break
	done
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	# shellcheck disable=SC2086
	set -- $glob
	[ -e "$1" ] || return 1
	landed="killed while '$1' was being written ($(wc -c <"$1") bytes so far)"
	rm -f "$1"
}
# after_kill NAME FILE OLD: FILE is the old one or a complete new one.
after_kill() {
	if cmp -s "$2" "$3"; then pass "$1: the old file is intact"
	elif valid "$2"; then pass "$1: a complete new file"
	else fail "$1" "torn file ($(wc -c <"$2") bytes)"; fi
}
# mid_write NAME FILE GLOB ARGS...: runs $BIG ARGS and kills it while it
# writes FILE (a temporary file matching GLOB); every attempt
# must leave FILE old or complete; up to 10 attempts to land mid-write.
mid_write() {
	name=$1; file=$2; pattern=$3; shift 3
	attempt=0
	while [ $attempt -lt 10 ]; do
		attempt=$((attempt + 1))
		cp big.ckpt big.old.ckpt
		cp big.cwrnn big.old.cwrnn
		$BIG "$@" &
		pid=$!
		kill_when "$pattern"
		hit=$?
		after_kill "$name (attempt $attempt): $file" "$file" "big.old.${file#big.}"
		if [ $hit -eq 0 ]; then pass "$name: $landed"; return; fi
	done
	fail "$name" "10 attempts, the kill never landed while $file was being written"
}
mid_write "SIGKILL while writing the checkpoint" big.ckpt "big.ckpt.tmp.*" \
	-o big.cwrnn --checkpoint big.ckpt --epochs 0 --seconds 0.2 --resume big.ckpt
after_kill "SIGKILL while writing the checkpoint: the model" big.cwrnn big.old.cwrnn
mid_write "SIGKILL while writing the model" big.cwrnn "big.cwrnn.tmp.*" \
	-o big.cwrnn --epochs 0 --seconds 0.2 --resume big.ckpt
if "$RENDER" -m big.cwrnn -o big.wav --seconds 0.01 2>err.log; then
	pass "the model after the kill plays"
else fail "the model after the kill plays" "$(cat err.log)"; fi

n=0
while [ $n -lt "$ROUNDS" ]; do
	n=$((n + 1))
	cp big.ckpt big.old.ckpt
	cp big.cwrnn big.old.cwrnn
	$BIG -o big.cwrnn --checkpoint big.ckpt --epochs 0 --seconds 6 --resume big.ckpt &
	pid=$!
	ms=$(awk -v s="$n$$" 'BEGIN { srand(s); printf "%d", rand() * 7000 }')
	sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	# killed (137) or finished (0); anything else: it could not resume
	if [ $rc -ne 137 ] && [ $rc -ne 0 ]; then
		fail "random SIGKILL $n: the run resumed" "exit $rc"
	fi
	after_kill "random SIGKILL $n at ${ms} ms: checkpoint" big.ckpt big.old.ckpt
	after_kill "random SIGKILL $n at ${ms} ms: model" big.cwrnn big.old.cwrnn
done
rm -f big.*.tmp*
if $BIG -o resumed.cwrnn --checkpoint big.ckpt --epochs 0 --seconds 0.2 --resume big.ckpt \
	2>err.log && valid resumed.cwrnn; then
	pass "--resume continues from the checkpoint that survived"
else fail "--resume continues from the checkpoint that survived" "$(cat err.log)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
