/*
 * The plugin instance, shared by plugin.c (lifecycle and run), events.c
 * (atom input and notify output), worker.c (model loading off the audio
 * thread) and state.c (save/restore of the model path). Internal.
 *
 * Model ownership. Bundled models are loaded in instantiate and owned by the
 * instance until cleanup. A model loaded from a user file is owned by exactly
 * one of: `user` (the current user model, playing or not), `prev` while it
 * fades out after being replaced, or the `retired` queue, whose entries run()
 * hands to the worker to free.
 */
#ifndef CW_PLUGIN_H
#define CW_PLUGIN_H

#include <math.h>
#include <stdint.h>

#include <lv2/atom/forge.h>
#include <lv2/core/lv2.h>
#include <lv2/log/logger.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "ports.h"
#include "slot.h"
#include "uris.h"
#include "voices.h"

#define CW_MAX_BUNDLED 64
#define CW_MAX_RETIRED 16
#define CW_MAX_PATH 4096

typedef struct {
	float cur, target, coef;
} cw_smooth;

/* [RT] One step of a one-pole smoother toward its target. It lands on the
 * target within 1e-6 of it (relative above magnitude 1), or when a step
 * would no longer move it (a step below half an ulp of cur). */
static inline float
cw_smooth_next(cw_smooth *s)
{
	float d = s->target - s->cur;
	float tol = 1e-6f * (1.0f + fabsf(s->target));
	float next = s->cur + s->coef * d;
	s->cur = (d <= tol && -d <= tol) || next == s->cur ? s->target : next;
	return s->cur;
}

/* [RT] One step of a linear ramp from v toward target. */
static inline float
cw_ramp(float v, float target, float step)
{
	if (v < target)
		return v + step < target ? v + step : target;
	return v - step > target ? v - step : target;
}

/* What the instrument keeps per voice besides its network: a DC blocker, a
 * level follower that tells when a released voice has died away, and its
 * pan gains, which glide when Spread moves. */
typedef struct {
	float dc_x, dc_y;  /* last input and output of the DC blocker */
	float level;       /* peak follower of the blocked output */
	float pan_l, pan_r; /* gains into the left and right outputs */
} cw_voice_out;

/* Worker messages (requests and responses). */
/* CW_MSG_TOO_LONG carries the start of a path too long to load, for the
 * worker to log (run() may not). */
enum { CW_MSG_LOAD = 1, CW_MSG_FREE, CW_MSG_LOADED, CW_MSG_TOO_LONG };

typedef struct {
	uint32_t type;
	cw_slot *slot;
} cw_msg_slot;

typedef struct {
	uint32_t type;
	char path[CW_MAX_PATH];
} cw_msg_load;

typedef struct {
	/* host features (any may be NULL) */
	LV2_URID_Map *map;
	LV2_Worker_Schedule *schedule;
	LV2_Log_Logger logger;
	cw_uris uris;
	LV2_Atom_Forge forge;

	/* ports */
	const float *in[CW_MAX_CHANNELS];
	float *out[CW_MAX_CHANNELS];
	const float *ctl[CW_N_PORTS];
	float *latency;
	const LV2_Atom_Sequence *control;
	LV2_Atom_Sequence *notify;

	cw_plugin_kind kind;
	int n_channels;           /* audio outputs (and inputs, but the instrument has none) */
	int slot_voices;          /* network voices per slot: n_channels, or CW_MAX_VOICES */
	double rate;
	cw_rs_kernel kernel;      /* resampling prototype, filled in instantiate */
	cw_rs_poly poly;          /* the instrument's voice output reader (instantiate) */
	int activated;

	/* models */
	cw_slot *bundled[CW_MAX_BUNDLED];
	int n_bundled;
	cw_slot *cur;             /* playing */
	cw_slot *prev;            /* fading out, or NULL */
	cw_slot *user;            /* the current user-file model, or NULL */
	float fade, fade_step;    /* prev -> cur crossfade position, 0..1 */
	cw_slot *retired[CW_MAX_RETIRED];
	int n_retired;
	int model_port;           /* last value seen on the model port */
	int model_port_seen;
	int follow_model_port;    /* restored without a model path: the next run
	                           * plays the model port's bundled model */
	int notify_path;          /* report the current path on notify */
	int notify_open;          /* the notify sequence was started this run */
	cw_msg_load load_msg;     /* request buffer, built in run() */

	/* controls, clamped and smoothed */
	int snap;                 /* first run after activate: no ramps */
	cw_smooth in_gain, out_gain, wet, input_mix, noise;
	cw_smooth knob[CW_N_KNOB_PORTS]; /* positions 0..1 */
	int knobs_moving;         /* a knob glides, or a new slot needs the positions */
	float enabled, enabled_target, enabled_step;
	uint32_t period[CW_N_PERIOD_PORTS];
	float stretch;
	float trigger;

	/* generators: monophonic note state */
	int note;                 /* MIDI note playing, -1 for none */
	int gate;
	float velocity;
	float env, attack_step, release_step;
	int steal;                /* a restart waits for env to fade to 0 */
	int next_note;            /* ... with this note and velocity */
	float next_velocity;
	int next_released;        /* ... whose note-off came during the fade */
	float root;

	/* the instrument (kind CW_PLUGIN_INSTRUMENT): polyphony, instrument.c */
	cw_voices voices;
	cw_voice_out vout[CW_MAX_VOICES];
	int bend;                 /* pitch wheel, -8192..8191 */
	float bend_range;         /* semitones at full bend */
	float spread;             /* 0..1: stereo width of the keyboard */
	float dc_coef;            /* DC blocker pole */
	float level_decay;        /* level follower decay per sample */
	float pan_step;           /* pan gain glide per sample */
} cw_plugin;

/* Knob k of the playing model has a port (mono and stereo have
 * CW_N_KNOB_PORTS; the instrument has none). */
static inline int
cw_knob_has_port(const cw_plugin *self, int k)
{
	return self->kind != CW_PLUGIN_INSTRUMENT && k < CW_N_KNOB_PORTS;
}

/* [RT] A control port's value, clamped to its range (its default when the
 * host has not connected it). */
static inline float
cw_control(const cw_plugin *self, int port)
{
	float v = self->ctl[port] ? *self->ctl[port] : cw_ports[port].def;
	return cw_port_clamp(port, v, self->n_bundled);
}

/* plugin.c. [audio]: run() context (run, work_response); [instantiation]:
 * never concurrent with run (instantiate, restore without threadSafeRestore). */
void cw_switch_to(cw_plugin *self, cw_slot *slot);   /* [audio] crossfade to slot */
void cw_adopt_user(cw_plugin *self, cw_slot *slot);  /* [audio] a loaded user model */
void cw_install_now(cw_plugin *self, cw_slot *slot); /* [instantiation] frees old slots */
void cw_restart(cw_plugin *self, int note, float velocity); /* [audio] note < 0: root */
void cw_release(cw_plugin *self, int note);          /* [audio] note < 0: all notes */
void cw_render(cw_plugin *self, uint32_t start, uint32_t end); /* [audio] */
void cw_fade_end(cw_plugin *self);  /* [audio] a finished crossfade lets prev go */

/* events.c, all [audio] */
void cw_notify_begin(cw_plugin *self, LV2_Atom_Forge_Frame *frame);
void cw_notify_path(cw_plugin *self, int64_t frames);
void cw_notify_knobs(cw_plugin *self, int64_t frames);
void cw_handle_event(cw_plugin *self, const LV2_Atom_Event *ev);

/* worker.c. cw_schedule_load: [audio] or [instantiation] with the schedule of
 * that context; copies path (len bytes, NUL optional) into a LOAD request.
 * cw_drain_retired: [audio] hands retired slots to the worker to free. */
extern const LV2_Worker_Interface cw_worker_interface;
int cw_schedule_load(cw_plugin *self, LV2_Worker_Schedule *schedule, const char *path,
                     uint32_t len);
void cw_drain_retired(cw_plugin *self);
/* [worker] or [instantiation]: logs a loaded model with its knobs' names and
 * ranges (what: "loaded", "restored"). */
void cw_log_model(cw_plugin *self, const char *what, const cw_slot *slot);
/* [worker] or [instantiation]: 1 if the slot's model can play in this plugin
 * (instrument models only in the instrument, others only in mono and stereo);
 * otherwise logs why not and returns 0. */
int cw_slot_fits(cw_plugin *self, const cw_slot *slot);

/* state.c */
extern const LV2_State_Interface cw_state_interface;

/* instrument.c: the instrument plugin's voices. init: [instantiation];
 * the others [audio]. */
void cw_instrument_init(cw_plugin *self);
void cw_instrument_reset(cw_plugin *self);    /* activate: every voice free */
void cw_instrument_controls(cw_plugin *self); /* Voices, bend range, spread */
void cw_instrument_midi(cw_plugin *self, const uint8_t *msg, uint32_t size);
void cw_instrument_render(cw_plugin *self, uint32_t start, uint32_t end);

#endif
