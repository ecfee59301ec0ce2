/* An instrument's recorded notes (cwrnn-train instrument): the NOTES.txt
 * manifest and the training sequences made from it.
 *
 * Manifest: one note per line, `FILE key=value...` with note= (MIDI number
 * of the recorded pitch, 0..127), velocity= (1..127) and release= (seconds
 * into the file where the key was let go); `#` starts a comment; blank lines
 * are skipped; a relative FILE is relative to the manifest's directory.
 *
 * Sequences: each note is resampled so that one cycle of its pitch is
 * `cycle` samples (the clocks then line up with the waveform at every
 * pitch, as the generators' recipe does, presets/README.md), so note n runs
 * at cycle * 440 * 2^((n - 69) / 12) Hz and the model's sample rate is the
 * rate of A4 (note 69), cycle * 440 Hz. Its inputs, per step, are the
 * instrument's controls in their own units (NOTES_INPUTS of them):
 *   velocity  the note-on velocity (constant over the note)
 *   gate      1 until the release, 0 after
 *   note      the MIDI note: after resampling every pitch has the same
 *             cycle, so without it the network could not tell a low note
 *             from a high one, whose timbre and decay (in steps) differ;
 *             its range is the recorded notes' (notes_range)
 * Every sequence is padded with silence (gate 0) to the longest one, so all
 * of them run in lockstep from the zero state. */
#ifndef TRAINER_NOTES_H
#define TRAINER_NOTES_H

#include <stddef.h>

#include "cwrnn.h"

#define NOTES_INPUTS 3
#define NOTES_MAX 4096         /* notes in one manifest (the batch limit) */
#define NOTES_REFERENCE 69     /* the note that plays at the model's rate */

enum { NOTES_VELOCITY = 0, NOTES_GATE = 1, NOTES_NOTE = 2 };

typedef struct {
	char *path;        /* the file, resolved against the manifest's directory, owned */
	int line;          /* line number in the manifest */
	int note;          /* 0..127 */
	int velocity;      /* 1..127 */
	double release;    /* seconds, >= 0 */
} note_entry;

typedef struct {
	note_entry *notes; /* (n), owned */
	int n;
} note_manifest;

/* Parses a manifest held in memory; name stands for it in messages and its
 * directory resolves relative paths. Every bad line gets one line of msg
 * ("NAME:LINE: what is wrong"), up to a few, then a count of the rest.
 * Returns 0, or -1 with msg and m empty. */
int notes_parse(const char *text, size_t len, const char *name, note_manifest *m, char *msg,
                size_t msg_len);

/* Reads and parses a manifest file. */
int notes_read(const char *path, note_manifest *m, char *msg, size_t msg_len);
void notes_free(note_manifest *m);

/* The training sequences: n of them, each steps long, time-major like a
 * batch: x is (steps, n, NOTES_INPUTS) control values, y is (steps, n). */
typedef struct {
	int n;
	size_t steps;
	double rate;       /* the model's sample rate: cycle * 440 Hz */
	double *x, *y;     /* owned */
	size_t *length;    /* (n) samples of each note before its padding, owned */
	size_t *release;   /* (n) step of each note's release, owned */
} note_set;

/* Reads every note's file (mono, or averaged with mixdown), checks that its
 * release lies inside it, resamples it to `cycle` samples per cycle and
 * builds the sequences. Returns 0, or -1 with one line in msg naming the
 * manifest line and the file. */
int notes_load(const note_manifest *m, const char *manifest, int cycle, int mixdown,
               note_set *set, char *msg, size_t msg_len);
void notes_set_free(note_set *set);

/* The rate note n runs at for a given cycle. */
double notes_rate(int note, int cycle);

/* Resamples n samples at ratio r (output rate / input rate) with a
 * band-limited (windowed sinc) interpolator; out gets notes_resampled_length
 * samples. */
size_t notes_resampled_length(size_t n, double r);
void notes_resample(const double *in, size_t n, double r, double *out);

/* Makes the instrument's controls (velocity 0..127, gate 0..1, note
 * 0..127) cfg's only inputs, and its root note A4 (the rate it runs at). */
void notes_controls(cwrnn_config *cfg);

/* Sets the note control's range to the recorded notes' (lowest..highest):
 * the network sees 0 at the lowest and 1 at the highest, and a player clamps
 * other notes into the range (they play the nearest recorded register's
 * timbre, transposed). */
void notes_range(cwrnn_config *cfg, const note_manifest *m);

#endif
