/*
 * Fuzz target for the trainer's audio reader (trainer/wav.c) over libsndfile
 * (libFuzzer entry point; replay.c runs the same function over files without
 * libFuzzer). Properties checked on every input:
 *  - reading never crashes, leaks or reads out of bounds;
 *  - a refusal says why (a message naming the file) and leaves nothing behind;
 *  - accepted audio is what the trainer relies on: at least one frame, 1..64
 *    channels, a rate the engine runs at, only finite samples, and --mixdown
 *    makes it mono;
 *  - wav_read_memory behaves exactly as wav_read on the same bytes in a
 *    file (same result, same message, same samples): fuzzing the memory
 *    entry point fuzzes the path the trainer takes, and both are run.
 *    (This caught the memory reader's seek refusing positions past the end,
 *    which lseek allows: libsndfile then read damaged RF64 and W64 files
 *    differently: regressions/wav_read/rf64-seek-past-end-63701f49 and
 *    w64-seek-past-end-b9f7310d.)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cwrnn.h"
#include "wav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char file_path[64];

static void
remove_file(void)
{
	if (file_path[0])
		unlink(file_path);
}

/* One scratch file per process, rewritten for every input, in /dev/shm: on
 * tmpfs lseek goes as far as the memory reader's seek (2^63 - 1), while ext4
 * refuses seeks past 16 TiB, and libsndfile then parses some absurd W64
 * chunk sizes differently (regressions/wav_read/w64-huge-seek-bdc0de53: read
 * from memory and from tmpfs, refused from ext4; safe either way). */
static const char *
scratch_file(const uint8_t *data, size_t size)
{
	if (!file_path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(file_path, sizeof file_path, "%s/fuzz_wav_read.%ld.wav", dir, (long)getpid());
		atexit(remove_file);
	}
	FILE *f = fopen(file_path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	return file_path;
}

static void
check_accepted(wav_audio *w, const char *name)
{
	if (!w->samples || w->frames == 0 || w->frames > WAV_MAX_FRAMES || w->channels < 1 ||
	    w->channels > CWRNN_MAX_INPUTS || w->rate < CWRNN_MIN_SAMPLE_RATE ||
	    w->rate > CWRNN_MAX_SAMPLE_RATE)
		abort();
	size_t n = w->frames * (size_t)w->channels;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(w->samples[i]))
			abort();
	char msg[512];
	if (wav_to_mono(w, name, 1, msg, sizeof msg) != 0 || w->channels != 1)
		abort();
	if (!isfinite(wav_peak(w->samples, w->frames)))
		abort();
}

static void
check_refused(const wav_audio *w, const char *msg, const char *name)
{
	if (w->samples || w->frames || !strstr(msg, name))
		abort(); /* a refusal names the file and returns nothing */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = scratch_file(data, size);
	wav_audio mem, file;
	char mem_msg[512] = "", file_msg[512] = "";
	int mem_rc = wav_read_memory(data, size, path, &mem, mem_msg, sizeof mem_msg);
	int file_rc = wav_read(path, &file, file_msg, sizeof file_msg);
	if (mem_rc != file_rc || strcmp(mem_msg, file_msg) != 0)
		abort(); /* the memory entry point must behave as the file path does */
	if (mem_rc != 0) {
		check_refused(&mem, mem_msg, path);
		check_refused(&file, file_msg, path);
		return 0;
	}
	if (mem.frames != file.frames || mem.channels != file.channels || mem.rate != file.rate ||
	    memcmp(mem.samples, file.samples, mem.frames * (size_t)mem.channels * sizeof(double)))
		abort();
	wav_free(&file);
	check_accepted(&mem, path);
	wav_free(&mem);
	return 0;
}
