/*
 * The standard capture signal: what a guitarist plays through their gear
 * (reamping) so that cwrnn-train can learn it. Deterministic for a sample
 * rate: the trainer regenerates the dry side instead of asking for it.
 *
 *   0:00  calibration clicks (4, at irregular spacing: latency and speed)
 *   0:02  exponential sine sweeps 30 Hz .. 16 kHz at -30, -18, -12, -6 dBFS
 *   0:37  white-noise bursts at four levels
 *   0:46  guitar then bass DI phrases, quiet (25 s each, peak -18 dBFS)
 *   1:37  bass then guitar DI phrases (40 s each, peak -6 dBFS): the end of
 *         a recording is held out to judge the model, on guitar
 *   2:58  calibration clicks again (truncation and clock drift)
 *
 * The DI phrases are real recordings bundled in audio/ (a steel-string
 * guitar and an electric bass played from FluidR3's samples), embedded in
 * the program; the guitar test phrase used to judge models is not in it.
 */
#ifndef TRAINER_CAPTURE_H
#define TRAINER_CAPTURE_H

#include <stddef.h>

#include "wav.h"

/* The signal at rate Hz (8000..192000) as mono audio (caller frees with
 * wav_free). Returns 0 or -1 with msg. */
int capture_signal(int rate, wav_audio *out, char *msg, size_t msg_len);

/* Checks that rec (mono, at sig's rate) is a recording of the capture
 * signal sig and finds where it starts: *latency is the index in rec of
 * sig's first sample. Refuses, with a message saying which, a recording
 * that is silent, clips, is not the capture signal (no calibration clicks),
 * ran at another sample rate, drifts (two clocks), or is truncated. */
int capture_locate(const wav_audio *rec, const wav_audio *sig, const char *name, long *latency,
                   char *msg, size_t msg_len);

/* A one-word verdict on a held-out ESR in guitarists' terms (README):
 * great <= 0.01 < good <= 0.03 < usable <= 0.1 < poor. */
const char *capture_verdict(double esr);

/* The embedded FLAC of a DI phrase (bass: 1 the bass, 0 the guitar). */
const unsigned char *capture_phrase(int bass, size_t *size);

#endif
