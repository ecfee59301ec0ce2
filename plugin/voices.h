/*
 * The instrument's voices: which voice plays which note, and when it starts,
 * fades and stops. Pure bookkeeping over a fixed array (no allocation), all
 * [RT]; instrument.c runs the networks.
 *
 * A voice is free, playing (its key or the sustain pedal holds it: gate 1),
 * released (gate 0: the network plays its own release; the voice ends when
 * its output has died away, cw_voices_quiet), or fading (a short fade to
 * silence, then it is free or starts the note waiting for it).
 *
 * A note-on takes, in this order: the voice already playing that note (a
 * repeated key restarts it), the voice fading out to start that note (the
 * new velocity replaces the waiting one), a free voice, the released voice
 * that was released first, the oldest voice the sustain pedal alone holds,
 * the oldest playing voice. A voice that is sounding is
 * faded out over CW_STEAL_SECONDS before it starts the new note; a free
 * one starts at once (with a CW_ATTACK_SECONDS fade-in against a step at
 * the network's first sample).
 */
#ifndef CW_VOICES_H
#define CW_VOICES_H

#include <stdint.h>

#include "slot.h"

#define CW_STEAL_SECONDS 0.003
#define CW_ATTACK_SECONDS_VOICE 0.001
#define CW_MAX_RELEASE_SECONDS 8.0  /* a release that never dies away is faded here */

typedef enum { CW_VOICE_FREE = 0, CW_VOICE_PLAYING, CW_VOICE_RELEASED, CW_VOICE_FADING } cw_voice_phase;

typedef struct {
	cw_voice_phase phase;
	int note;               /* MIDI note sounding (-1 when free) */
	float velocity;         /* 1..127 */
	int key_down;           /* the key is held */
	int gate;               /* what the network sees: key or pedal holds the note */
	uint64_t started;       /* note-on order */
	uint64_t released;      /* release order (phase RELEASED) */
	double release_samples; /* host samples since the gate fell */
	float amp;              /* fade gain, 0..1 */
	float amp_step;         /* per sample, while fading in or out */
	int next_note;          /* after a fade: the note to start (-1: stop) */
	float next_velocity;
	int next_released;      /* its key was let go during the fade */
	int restart;            /* the network must be reset before its next sample */
} cw_ivoice;

typedef struct {
	cw_ivoice v[CW_MAX_VOICES];
	int limit;              /* Voices control: voices 0 .. limit - 1 may play */
	int sustain;            /* pedal down */
	uint64_t clock;         /* counts note-ons and releases */
	float attack_step, steal_step;
} cw_voices;

/* Everything free; fade steps for a host rate. */
void cw_voices_init(cw_voices *p, double rate);

/* All voices free at once (activate). */
void cw_voices_clear(cw_voices *p);

/* MIDI. velocity 1..127. */
void cw_voices_note_on(cw_voices *p, int note, int velocity);
void cw_voices_note_off(cw_voices *p, int note);
void cw_voices_sustain(cw_voices *p, int down);
void cw_voices_all_notes_off(cw_voices *p);  /* CC 123: every note released */
void cw_voices_all_sound_off(cw_voices *p);  /* CC 120: every voice fades out */

/* The Voices control: voices at or above the new limit fade out. */
void cw_voices_set_limit(cw_voices *p, int limit);

/* Advances voice i's fade by one sample and returns its gain; a finished
 * fade frees the voice or starts its next note (setting restart). */
float cw_voices_advance(cw_voices *p, int i);

/* A released voice whose output has died away (or that has been released
 * for CW_MAX_RELEASE_SECONDS) fades out and becomes free. */
void cw_voices_quiet(cw_voices *p, int i);

/* Number of voices not free. */
int cw_voices_active(const cw_voices *p);

#endif
