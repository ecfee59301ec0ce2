/*
 * A slot is one loaded model with everything needed to play it on up to two
 * channels: one cwrnn_state per channel plus the small per-channel buffers
 * of the fractional stepper. Slots are built and freed off the audio thread
 * (instantiate, the worker, restore) and swapped by pointer in run().
 *
 * Fractional stepping. The network runs at its own rate (the model's sample
 * rate times the playback rate of a note); `inc` is network steps per host
 * sample. Host input goes into a stream that the network reads, band-limited
 * (resample.h), at the host time of each of its steps, d_in host samples
 * late; network outputs go into a stream that the host reads at its own
 * sample times, d_out network steps late. The latency in host samples is
 * d_in + (1 + d_out) / inc. For the effects (cw_drive_set_rate), when inc is
 * exactly 1 nothing is interpolated and there is no latency: the output is
 * cwrnn_process's, bit for bit. An instrument voice (cw_drive_set_voice) has
 * no such shortcut and a read delay fixed for its note, so that a pitch bend,
 * which changes inc while the voice sounds, moves its read point smoothly.
 */
#ifndef CW_SLOT_H
#define CW_SLOT_H

#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"
#include "resample.h"

#define CW_MAX_CHANNELS 2
#define CW_MAX_VOICES 32   /* the instrument's polyphony */

/* Network steps per host sample. The fastest a network runs; the slowest for
 * the effects, whose input is read band-limited at cutoff inc / 2, with a
 * kernel that widens as inc falls and has to fit the stream's ring
 * (resample.h: CW_RS_MIN_CUTOFF); and the slowest for an instrument voice,
 * which reads no input and reads its output at c = 0.5 whatever inc is
 * (cw_rs_interp), so that floor only keeps inc above 0. It is below MIDI
 * note 0 bent 24 semitones down on an 8 kHz model at 768 kHz; a voice that
 * slow is heard (1 + d_out) / inc host samples after its note-on. */
#define CW_MAX_INC 8.0
#define CW_MIN_INC (1.0 / 64.0)
#define CW_MIN_VOICE_INC (1.0 / 65536.0)

typedef enum {
	CW_MODE_TRANSFORM,  /* in -> model -> out */
	CW_MODE_GENERATE,   /* no input, plays from its zero state */
	CW_MODE_CONTINUE,   /* runs on its own output (+ some input and noise) */
	CW_MODE_INSTRUMENT  /* a generator whose inputs are all controls (velocity, gate,
	                       note): the caller writes them into voice->in */
} cw_mode;

typedef struct {
	cwrnn_state *state;
	float *in;       /* (n_inputs + 1) network input of the next step */
	float *out;      /* (n_outputs) network output of the last step */
	double phase;    /* network time of the last host sample minus last step, [0, 1) */
	uint32_t noise;  /* xorshift32 state, never 0 */
	cw_rs_stream xs; /* host input, one sample per host sample (modes with audio input) */
	cw_rs_stream ys; /* network output 0, one sample per step */
} cw_voice;

typedef struct {
	double inc;      /* network steps per host sample, > 0 */
	int exact;       /* inc is 1 and nothing is interpolated (effects only) */
	float input_mix; /* continue: 0 = own output only, 1 = audio input only */
	float noise;     /* continue: noise amplitude added to the network input */
	const cw_rs_kernel *kernel;
	const cw_rs_poly *poly; /* when set, output reads at c_out = 0.5 go through it (the
	                           instrument: cw_rs_interp); NULL: cw_rs_read (the effects) */
	double c_in, c_out; /* cutoffs, cycles per host sample / per network step */
	double d_in, d_out; /* delays: host samples / network steps */
} cw_drive;

/* Network steps per host sample for a model playing MIDI note `note`
 * (fractional: a pitch bend included) at host_rate: the model sounds its
 * root note at its own sample rate. The root is the one the model records
 * (config.root_note), else `root` (the instrument: A4; generators: their
 * Root port). Not clamped: the drive setters clamp. */
double cw_note_inc(const cwrnn_config *cfg, double host_rate, double note, double root);

/* Fills the resampling part of an effect's drive for inc, clamped to
 * [CW_MIN_INC, CW_MAX_INC] (latency: see above). */
void cw_drive_set_rate(cw_drive *d, const cw_rs_kernel *kernel, double inc);

/* Fills the resampling part of an instrument voice's drive for inc, clamped
 * to [CW_MIN_VOICE_INC, inc_max], where inc_max is the highest inc the
 * voice's note reaches (full bend): the output read delay is the one inc_max
 * needs, whatever inc is, so it stays put while the voice is bent. */
void cw_drive_set_voice(cw_drive *d, const cw_rs_kernel *kernel, const cw_rs_poly *poly,
                        double inc, double inc_max);

/* Latency in host samples of a drive (0 when exact). */
double cw_drive_latency(const cw_drive *d);

typedef struct {
	cwrnn_model *model;
	cw_mode mode;
	int bundled;          /* 1: owned by the instance's bundled table */
	int n_audio;          /* audio inputs: the first n_inputs - n_controls */
	int n_knobs;          /* the model's knob controls, in model order */
	int knob_control[CWRNN_MAX_CONTROLS]; /* knob k is control knob_control[k] */
	float control[CWRNN_MAX_CONTROLS];    /* control values fed at every step, in the
	                                         control's units (defaults until moved) */
	int n_voices;
	cw_voice *voice;      /* (n_voices): one per channel, or per instrument voice */
	char path[];          /* the file it was loaded from, NUL-terminated */
} cw_slot;

/* Loads a model file and builds a slot for n_voices channels (or instrument
 * voices, up to CW_MAX_VOICES). Returns NULL with a message in msg on any
 * failure. Not real-time safe. */
cw_slot *cw_slot_load(const char *path, int n_voices, char *msg, size_t msg_len);

/* Builds a slot around a model, taking ownership of it (freed on failure).
 * Not real-time safe. */
cw_slot *cw_slot_new(cwrnn_model *model, const char *path, int n_voices, char *msg,
                     size_t msg_len);

void cw_slot_free(cw_slot *slot);

/* [RT] Back to the initial state: time 0, zero hidden state, no history. */
void cw_slot_reset(cw_slot *slot);

/* [RT] Period overrides for every voice (0 = the model's own). */
void cw_slot_set_period(cw_slot *slot, int module, uint32_t period);

/* The value of a knob control at position pos (0..1): 0.5 is the control's
 * default, 0 and 1 the ends of its range, linear on each side of the
 * default (linear over the range when the default is at one end), so an
 * unmoved knob plays the default and the whole travel moves the sound. */
float cw_knob_value(const cwrnn_control *ctl, float pos);

/* [RT] Sets the first n knobs (n may exceed the model's: the rest are
 * ignored) from positions 0..1. */
void cw_slot_set_knobs(cw_slot *slot, const float *pos, int n);

/* The mode a model plays in. */
cw_mode cw_mode_of(const cwrnn_config *cfg);

/* [RT] Back to the initial state of one voice: zero state and audio
 * inputs, every control at its default. */
void cw_voice_reset(cw_slot *slot, int c);

/* [RT] One host sample through voice c: x is the (gain-scaled) input. Runs
 * under the caller's flush-to-zero (run() sets it; step_ftz.h). */
float cw_voice_tick(cw_slot *slot, int c, float x, const cw_drive *drive);

#endif
