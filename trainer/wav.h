/* Audio files through libsndfile: reading with validation, writing float WAVs
 * atomically. Every error is one line in msg naming the file. */
#ifndef TRAINER_WAV_H
#define TRAINER_WAV_H

#include <stddef.h>

typedef struct {
	double *samples;  /* (frames, channels) interleaved, owned */
	size_t frames;
	int channels;
	int rate;         /* Hz */
} wav_audio;

/* Longest file we read: 2^27 frames (about 50 minutes at 44.1 kHz). */
#define WAV_MAX_FRAMES ((size_t)1 << 27)

/* Reads a whole file as doubles (integer formats scaled to [-1, 1) as
 * libsndfile does). Refuses unreadable or non-audio files, empty audio,
 * rates the engine cannot run, and NaN or infinite samples. Returns 0, or -1
 * with msg set and *w left empty. */
int wav_read(const char *path, wav_audio *w, char *msg, size_t msg_len);

/* The same checks over a file already in memory (size bytes at data); name
 * stands for the file in messages. For fuzzing and tests. */
int wav_read_memory(const void *data, size_t size, const char *name, wav_audio *w, char *msg,
                    size_t msg_len);

/* Makes w mono: a mono file is left as is; several channels are averaged
 * when mixdown is set, refused otherwise (msg names the file and says to
 * pass --mixdown). */
int wav_to_mono(wav_audio *w, const char *path, int mixdown, char *msg, size_t msg_len);

void wav_free(wav_audio *w);

/* Largest |sample|. */
double wav_peak(const double *x, size_t n);

/* Writes frames x channels interleaved floats as a 32-bit float WAV: to a
 * temporary file beside path, renamed over path when complete, so path never
 * holds a partial file. Returns 0 or -1 with msg. */
int wav_write_float(const char *path, const float *data, size_t frames, int channels, int rate,
                    char *msg, size_t msg_len);

#endif
