/*
 * The instrument plugin (https://cwrnn.org/lv2/instrument): up to
 * CW_MAX_VOICES voices, each one network state of the playing slot (all
 * allocated with the slot, off the audio thread) driven at its note's rate,
 * with its velocity, gate and note as the network's control inputs.
 *
 * Pitch: a model plays its root note at its own sample rate (cwrnn-train
 * instrument resamples every note so that this is A4; see trainer/notes.h),
 * so note n with the pitch wheel at b semitones runs at
 * sample_rate * 2^((n + b - root) / 12) network steps per second
 * (cw_note_inc). A model without a root note is taken to be pitched at A4
 * (CW_REFERENCE_NOTE). A voice's drive keeps its read delay while the wheel
 * moves (cw_drive_set_voice) and may run far slower than the effects' floor:
 * nothing reads an input stream here.
 *
 * Each voice's output goes through a DC blocker (a network can settle on an
 * offset, which would click when the voice stops) and a level follower: a
 * released voice whose level stays below CW_QUIET has died away and fades
 * out (voices.c). Voices are summed with CW_VOICE_GAIN of headroom and
 * panned by pitch (Spread), then the output gain.
 */
#include "plugin.h"

#include <math.h>

#define CW_REFERENCE_NOTE 69
#define CW_PI 3.14159265358979323846
#define CW_VOICE_GAIN 0.25f       /* headroom: 8 loud voices stay below full scale */
#define CW_QUIET 2e-4f            /* a released voice below this (-74 dBFS) is over */
#define CW_DC_HZ 10.0             /* DC blocker corner */
#define CW_LEVEL_SECONDS 0.02     /* level follower decay time */
#define CW_PAN_SECONDS 0.02       /* a pan gain glides from 0 to full in this time */

void
cw_instrument_init(cw_plugin *self)
{
	cw_voices_init(&self->voices, self->rate);
	self->dc_coef = (float)(1.0 - 2.0 * CW_PI * CW_DC_HZ / self->rate);
	self->level_decay = (float)exp(-1.0 / (CW_LEVEL_SECONDS * self->rate));
	self->pan_step = (float)(CW_VOICE_GAIN / (CW_PAN_SECONDS * self->rate));
	self->bend_range = cw_ports[CW_PORT_BEND_RANGE].def;
	self->spread = cw_ports[CW_PORT_SPREAD].def / 100.0f;
	self->bend = 0;
}

void
cw_instrument_reset(cw_plugin *self)
{
	cw_voices_clear(&self->voices);
	self->bend = 0;
	for (int i = 0; i < CW_MAX_VOICES; i++)
		self->vout[i] = (cw_voice_out){ 0 };
}

void
cw_instrument_controls(cw_plugin *self)
{
	int limit = (int)cw_control(self, CW_PORT_VOICES);
	if (limit != self->voices.limit)
		cw_voices_set_limit(&self->voices, limit);
	self->bend_range = cw_control(self, CW_PORT_BEND_RANGE);
	self->spread = cw_control(self, CW_PORT_SPREAD) / 100.0f;
}

void
cw_instrument_midi(cw_plugin *self, const uint8_t *msg, uint32_t size)
{
	if (size < 2)
		return;
	uint8_t status = msg[0] & 0xF0;
	if (status == 0xE0 && size >= 3) {
		self->bend = (int)((msg[2] & 0x7F) << 7 | (msg[1] & 0x7F)) - 8192;
		return;
	}
	if (size < 3)
		return;
	int d1 = msg[1] & 0x7F, d2 = msg[2] & 0x7F;
	if (status == 0x90 && d2 > 0) {
		cw_voices_note_on(&self->voices, d1, d2);
	} else if (status == 0x80 || status == 0x90) {
		cw_voices_note_off(&self->voices, d1);
	} else if (status == 0xB0) {
		if (d1 == 64)
			cw_voices_sustain(&self->voices, d2 >= 64);
		else if (d1 == 123)
			cw_voices_all_notes_off(&self->voices);
		else if (d1 == 120)
			cw_voices_all_sound_off(&self->voices);
	}
}

/* Where a slot's network reads a control (at: -1 when it has none of that
 * kind) and the range it was trained on: values outside it are clamped in
 * (a note plays the nearest recorded register, transposed). */
typedef struct {
	int at;
	float min, max;
} cw_input;

typedef struct {
	cw_input velocity, gate, note;
} cw_inputs;

static cw_inputs
inputs_of(const cw_slot *s)
{
	const cwrnn_config *cfg = &s->model->config;
	cw_inputs in = { { -1, 0.0f, 0.0f }, { -1, 0.0f, 0.0f }, { -1, 0.0f, 0.0f } };
	int first = cfg->n_inputs - cfg->n_controls;
	for (int c = 0; c < cfg->n_controls; c++) {
		const cwrnn_control *ctl = &cfg->controls[c];
		cw_input one = { first + c, ctl->min, ctl->max };
		switch (ctl->kind) {
		case CWRNN_CONTROL_VELOCITY: in.velocity = one; break;
		case CWRNN_CONTROL_GATE: in.gate = one; break;
		case CWRNN_CONTROL_NOTE: in.note = one; break;
		default: break; /* a knob keeps its default (set at reset) */
		}
	}
	return in;
}

static inline void
set_input(float *x, const cw_input *in, float v)
{
	if (in->at >= 0)
		x[in->at] = v < in->min ? in->min : v > in->max ? in->max : v;
}

/* A voice's drive for its note with the wheel where it is. Its read delay
 * comes from the note bent as far up as the bend range's maximum reaches, so
 * neither the wheel nor the range moves it while the note sounds. */
static cw_drive
drive_for(const cw_plugin *self, const cw_slot *s, int note)
{
	const cwrnn_config *cfg = &s->model->config;
	double bend = self->bend_range * (double)self->bend / 8192.0;
	double top = cw_ports[CW_PORT_BEND_RANGE].max;
	cw_drive d = { 0 };
	cw_drive_set_voice(&d, &self->kernel, &self->poly,
	                   cw_note_inc(cfg, self->rate, note + bend, CW_REFERENCE_NOTE),
	                   cw_note_inc(cfg, self->rate, note + top, CW_REFERENCE_NOTE));
	return d;
}

/* A voice's note, velocity and gate into its network's inputs, clamped to
 * the model's ranges. They change only with MIDI events, which fall between
 * renders, and when a voice (re)starts, so they are set at those times, not
 * at every sample. */
static void
set_inputs(cw_slot *s, const cw_inputs *in, int i, const cw_ivoice *v)
{
	float *x = s->voice[i].in;
	set_input(x, &in->velocity, v->velocity);
	set_input(x, &in->gate, (float)v->gate);
	set_input(x, &in->note, (float)v->note);
}

/* Equal-power gains (with the headroom) placing a note across the stereo
 * field: C4 in the middle, two octaves either side at the edges at full
 * Spread. */
static void
pan(const cw_plugin *self, int note, float *l, float *r)
{
	float p = self->spread * (float)(note - 60) / 24.0f;
	p = p < -1.0f ? -1.0f : p > 1.0f ? 1.0f : p;
	*l = CW_VOICE_GAIN * cosf((float)CW_PI * 0.25f * (1.0f + p));
	*r = CW_VOICE_GAIN * sinf((float)CW_PI * 0.25f * (1.0f + p));
}

void
cw_instrument_render(cw_plugin *self, uint32_t start, uint32_t end)
{
	cw_slot *cur = self->cur, *prev = self->prev;
	cw_inputs in_cur = inputs_of(cur), in_prev = prev ? inputs_of(prev) : in_cur;
	cw_drive dc[CW_MAX_VOICES], dp[CW_MAX_VOICES];
	float pan_l[CW_MAX_VOICES], pan_r[CW_MAX_VOICES];
	cw_voices *pool = &self->voices;
	for (int i = 0; i < CW_MAX_VOICES; i++) {
		const cw_ivoice *v = &pool->v[i];
		if (v->phase == CW_VOICE_FREE)
			continue;
		dc[i] = drive_for(self, cur, v->note);
		set_inputs(cur, &in_cur, i, v);
		if (prev) {
			dp[i] = drive_for(self, prev, v->note);
			set_inputs(prev, &in_prev, i, v);
		}
		pan(self, v->note, &pan_l[i], &pan_r[i]);
	}
	float *out_l = self->out[0], *out_r = self->out[1];
	for (uint32_t t = start; t < end; t++) {
		float gout = cw_smooth_next(&self->out_gain);
		float f = 1.0f;
		if (prev) {
			self->fade = cw_ramp(self->fade, 1.0f, self->fade_step);
			f = self->fade;
		}
		float l = 0.0f, r = 0.0f;
		for (int i = 0; i < CW_MAX_VOICES; i++) {
			cw_ivoice *v = &pool->v[i];
			if (v->phase == CW_VOICE_FREE)
				continue;
			/* a held note at full level (most voices, most of the time)
			 * has no fade to advance */
			float amp = v->phase == CW_VOICE_PLAYING && v->amp == 1.0f
			                ? 1.0f
			                : cw_voices_advance(pool, i);
			if (v->restart) {
				v->restart = 0;
				cw_voice_reset(cur, i); /* knobs at their defaults */
				dc[i] = drive_for(self, cur, v->note);
				set_inputs(cur, &in_cur, i, v);
				if (prev) {
					cw_voice_reset(prev, i);
					dp[i] = drive_for(self, prev, v->note);
					set_inputs(prev, &in_prev, i, v);
				}
				pan(self, v->note, &pan_l[i], &pan_r[i]);
				/* a new note starts from silence: its gains start where they go */
				self->vout[i] = (cw_voice_out){ .pan_l = pan_l[i], .pan_r = pan_r[i] };
			}
			if (v->phase == CW_VOICE_FREE)
				continue;
			float y = cw_voice_tick(cur, i, 0.0f, &dc[i]);
			if (prev && f < 1.0f)
				y = f * y + (1.0f - f) * cw_voice_tick(prev, i, 0.0f, &dp[i]);
			cw_voice_out *o = &self->vout[i];
			float b = y - o->dc_x + self->dc_coef * o->dc_y;
			o->dc_x = y;
			o->dc_y = b;
			float a = fabsf(b);
			o->level = a > o->level ? a : o->level * self->level_decay;
			if (v->phase == CW_VOICE_RELEASED &&
			    ((o->level < CW_QUIET && v->release_samples > 0.01 * self->rate) ||
			     v->release_samples > CW_MAX_RELEASE_SECONDS * self->rate))
				cw_voices_quiet(pool, i);
			b *= amp;
			o->pan_l = cw_ramp(o->pan_l, pan_l[i], self->pan_step);
			o->pan_r = cw_ramp(o->pan_r, pan_r[i], self->pan_step);
			l += b * o->pan_l;
			r += b * o->pan_r;
		}
		out_l[t] = isfinite(l) ? l * gout : 0.0f;
		out_r[t] = isfinite(r) ? r * gout : 0.0f;
		cw_fade_end(self);
		prev = self->prev;
	}
}
