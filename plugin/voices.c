/* The instrument's voice allocation (see voices.h). */
#include "voices.h"

#include <string.h>

void
cw_voices_clear(cw_voices *p)
{
	for (int i = 0; i < CW_MAX_VOICES; i++) {
		memset(&p->v[i], 0, sizeof p->v[i]);
		p->v[i].note = -1;
		p->v[i].next_note = -1;
	}
	p->sustain = 0;
}

void
cw_voices_init(cw_voices *p, double rate)
{
	memset(p, 0, sizeof *p);
	p->limit = 16;
	p->attack_step = (float)(1.0 / (CW_ATTACK_SECONDS_VOICE * rate));
	p->steal_step = (float)(1.0 / (CW_STEAL_SECONDS * rate));
	cw_voices_clear(p);
}

static void
start(cw_voices *p, cw_ivoice *v, int note, float velocity)
{
	v->phase = CW_VOICE_PLAYING;
	v->note = note;
	v->velocity = velocity;
	v->key_down = 1;
	v->gate = 1;
	v->started = ++p->clock;
	v->release_samples = 0.0;
	v->amp = 0.0f;
	v->amp_step = p->attack_step;
	v->next_note = -1;
	v->restart = 1;
}

/* Fades a sounding voice out; then it starts next_note (or is free). */
static void
fade_to(cw_voices *p, cw_ivoice *v, int note, float velocity)
{
	v->phase = CW_VOICE_FADING;
	v->amp_step = p->steal_step;
	v->next_note = note;
	v->next_velocity = velocity;
	v->next_released = 0;
}

/* The voice a note-on takes (voices.h), or -1 when none may play. */
static int
choose(const cw_voices *p, int note)
{
	int n = p->limit;
	for (int i = 0; i < n; i++)
		if (p->v[i].phase != CW_VOICE_FREE && p->v[i].phase != CW_VOICE_FADING &&
		    p->v[i].note == note)
			return i;
	for (int i = 0; i < n; i++) /* the key pressed again while its voice fades in */
		if (p->v[i].phase == CW_VOICE_FADING && p->v[i].next_note == note)
			return i;
	for (int i = 0; i < n; i++)
		if (p->v[i].phase == CW_VOICE_FREE)
			return i;
	int pick = -1;
	for (int i = 0; i < n; i++)
		if (p->v[i].phase == CW_VOICE_RELEASED &&
		    (pick < 0 || p->v[i].released < p->v[pick].released))
			pick = i;
	if (pick >= 0)
		return pick;
	for (int i = 0; i < n; i++) /* held by the pedal only */
		if (p->v[i].phase == CW_VOICE_PLAYING && !p->v[i].key_down &&
		    (pick < 0 || p->v[i].started < p->v[pick].started))
			pick = i;
	if (pick >= 0)
		return pick;
	for (int i = 0; i < n; i++)
		if (p->v[i].phase == CW_VOICE_PLAYING &&
		    (pick < 0 || p->v[i].started < p->v[pick].started))
			pick = i;
	if (pick >= 0)
		return pick;
	for (int i = 0; i < n; i++) /* every voice is fading already */
		if (pick < 0 || p->v[i].started < p->v[pick].started)
			pick = i;
	return pick;
}

void
cw_voices_note_on(cw_voices *p, int note, int velocity)
{
	int i = choose(p, note);
	if (i < 0)
		return;
	if (p->v[i].phase == CW_VOICE_FREE)
		start(p, &p->v[i], note, (float)velocity);
	else
		fade_to(p, &p->v[i], note, (float)velocity);
}

static void
release(cw_voices *p, cw_ivoice *v)
{
	v->gate = 0;
	v->phase = CW_VOICE_RELEASED;
	v->released = ++p->clock;
	v->release_samples = 0.0;
}

void
cw_voices_note_off(cw_voices *p, int note)
{
	for (int i = 0; i < CW_MAX_VOICES; i++) {
		cw_ivoice *v = &p->v[i];
		if (v->phase == CW_VOICE_FADING && v->next_note == note)
			v->next_released = 1; /* starts, then releases at once */
		if (v->phase != CW_VOICE_PLAYING || v->note != note || !v->key_down)
			continue;
		v->key_down = 0;
		if (!p->sustain)
			release(p, v);
	}
}

void
cw_voices_sustain(cw_voices *p, int down)
{
	p->sustain = down;
	if (down)
		return;
	for (int i = 0; i < CW_MAX_VOICES; i++)
		if (p->v[i].phase == CW_VOICE_PLAYING && !p->v[i].key_down)
			release(p, &p->v[i]);
}

void
cw_voices_all_notes_off(cw_voices *p)
{
	p->sustain = 0;
	for (int i = 0; i < CW_MAX_VOICES; i++) {
		cw_ivoice *v = &p->v[i];
		v->key_down = 0;
		if (v->phase == CW_VOICE_PLAYING)
			release(p, v);
		else if (v->phase == CW_VOICE_FADING && v->next_note >= 0)
			v->next_note = -1;
	}
}

void
cw_voices_all_sound_off(cw_voices *p)
{
	p->sustain = 0;
	for (int i = 0; i < CW_MAX_VOICES; i++)
		if (p->v[i].phase != CW_VOICE_FREE)
			fade_to(p, &p->v[i], -1, 0.0f);
}

void
cw_voices_set_limit(cw_voices *p, int limit)
{
	if (limit < 1)
		limit = 1;
	if (limit > CW_MAX_VOICES)
		limit = CW_MAX_VOICES;
	p->limit = limit;
	for (int i = limit; i < CW_MAX_VOICES; i++)
		if (p->v[i].phase != CW_VOICE_FREE &&
		    (p->v[i].phase != CW_VOICE_FADING || p->v[i].next_note >= 0))
			fade_to(p, &p->v[i], -1, 0.0f);
}

float
cw_voices_advance(cw_voices *p, int i)
{
	cw_ivoice *v = &p->v[i];
	switch (v->phase) {
	case CW_VOICE_FREE:
		return 0.0f;
	case CW_VOICE_PLAYING:
	case CW_VOICE_RELEASED:
		if (v->amp < 1.0f)
			v->amp = v->amp + v->amp_step < 1.0f ? v->amp + v->amp_step : 1.0f;
		if (v->phase == CW_VOICE_RELEASED)
			v->release_samples += 1.0;
		return v->amp;
	case CW_VOICE_FADING:
		v->amp -= v->amp_step;
		if (v->amp > 0.0f)
			return v->amp;
		v->amp = 0.0f;
		if (v->next_note == -1) {
			v->phase = CW_VOICE_FREE;
			v->note = -1;
		} else {
			int released = v->next_released;
			start(p, v, v->next_note, v->next_velocity);
			if (released) {
				v->key_down = 0;
				if (!p->sustain)
					release(p, v);
			}
		}
		return 0.0f;
	}
	return 0.0f;
}

void
cw_voices_quiet(cw_voices *p, int i)
{
	cw_ivoice *v = &p->v[i];
	if (v->phase == CW_VOICE_RELEASED)
		fade_to(p, v, -1, 0.0f);
}

int
cw_voices_active(const cw_voices *p)
{
	int n = 0;
	for (int i = 0; i < CW_MAX_VOICES; i++)
		n += p->v[i].phase != CW_VOICE_FREE;
	return n;
}
