/* Slots: loading, freeing and the real-time fractional stepper. */
#include "slot.h"
#include "step_ftz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cw_mode
cw_mode_of(const cwrnn_config *cfg)
{
	if (cfg->task == CWRNN_TASK_GENERATE && cfg->n_controls > 0 &&
	    cfg->n_controls == cfg->n_inputs) {
		for (int c = 0; c < cfg->n_controls; c++)
			if (cfg->controls[c].kind == CWRNN_CONTROL_VELOCITY ||
			    cfg->controls[c].kind == CWRNN_CONTROL_GATE)
				return CW_MODE_INSTRUMENT;
	}
	int audio = cfg->n_inputs - cfg->n_controls;
	if (audio >= 1 && cfg->task == CWRNN_TASK_TRANSFORM)
		return CW_MODE_TRANSFORM;
	if (audio >= 1 && cfg->task == CWRNN_TASK_CONTINUE)
		return CW_MODE_CONTINUE;
	return CW_MODE_GENERATE;
}

/* Controls start at their defaults; knobs are listed for cw_slot_set_knobs. */
static void
init_controls(cw_slot *s)
{
	const cwrnn_config *cfg = &s->model->config;
	s->n_audio = cfg->n_inputs - cfg->n_controls;
	for (int c = 0; c < cfg->n_controls; c++) {
		s->control[c] = cfg->controls[c].def;
		if (cfg->controls[c].kind == CWRNN_CONTROL_KNOB)
			s->knob_control[s->n_knobs++] = c;
	}
}

float
cw_knob_value(const cwrnn_control *ctl, float pos)
{
	pos = pos < 0.0f ? 0.0f : pos > 1.0f ? 1.0f : pos;
	if (!(ctl->def > ctl->min && ctl->def < ctl->max))
		return ctl->min + pos * (ctl->max - ctl->min);
	if (pos <= 0.5f)
		return ctl->min + 2.0f * pos * (ctl->def - ctl->min);
	return ctl->def + (2.0f * pos - 1.0f) * (ctl->max - ctl->def);
}

void
cw_slot_set_knobs(cw_slot *s, const float *pos, int n)
{
	int k_max = n < s->n_knobs ? n : s->n_knobs;
	for (int k = 0; k < k_max; k++) {
		int c = s->knob_control[k];
		s->control[c] = cw_knob_value(&s->model->config.controls[c], pos[k]);
	}
}

cw_slot *
cw_slot_new(cwrnn_model *model, const char *path, int n_voices, char *msg, size_t msg_len)
{
	size_t len = strlen(path);
	cw_slot *s = calloc(1, sizeof *s + len + 1);
	if (!s) {
		cwrnn_model_free(model);
		snprintf(msg, msg_len, "out of memory");
		return NULL;
	}
	memcpy(s->path, path, len + 1);
	s->model = model;
	s->mode = cw_mode_of(&model->config);
	init_controls(s);
	s->voice = calloc((size_t)n_voices, sizeof *s->voice);
	if (!s->voice) {
		cw_slot_free(s);
		snprintf(msg, msg_len, "out of memory for %d voices", n_voices);
		return NULL;
	}
	s->n_voices = n_voices;
	for (int c = 0; c < n_voices; c++) {
		cw_voice *v = &s->voice[c];
		v->state = cwrnn_state_new(model);
		v->in = calloc((size_t)model->config.n_inputs + 1, sizeof *v->in);
		v->out = calloc((size_t)model->config.n_outputs, sizeof *v->out);
		if (!v->state || !v->in || !v->out) {
			cw_slot_free(s);
			snprintf(msg, msg_len, "out of memory for the network state");
			return NULL;
		}
	}
	cw_slot_reset(s);
	return s;
}

cw_slot *
cw_slot_load(const char *path, int n_voices, char *msg, size_t msg_len)
{
	cwrnn_model *model = NULL;
	cwrnn_status st = cwrnn_model_load(path, &model, msg, msg_len);
	if (st != CWRNN_OK)
		return NULL;
	return cw_slot_new(model, path, n_voices, msg, msg_len);
}

void
cw_slot_free(cw_slot *s)
{
	if (!s)
		return;
	for (int c = 0; c < s->n_voices; c++) {
		cwrnn_state_free(s->voice[c].state);
		free(s->voice[c].in);
		free(s->voice[c].out);
	}
	free(s->voice);
	cwrnn_model_free(s->model);
	free(s);
}

void
cw_voice_reset(cw_slot *s, int c)
{
	cw_voice *v = &s->voice[c];
	const cwrnn_config *cfg = &s->model->config;
	cwrnn_state_reset(v->state);
	memset(v->in, 0, ((size_t)cfg->n_inputs + 1) * sizeof *v->in);
	for (int k = 0; k < cfg->n_controls; k++) /* what a control no one sets plays */
		v->in[s->n_audio + k] = cfg->controls[k].def;
	memset(v->out, 0, (size_t)s->model->config.n_outputs * sizeof *v->out);
	cw_rs_clear(&v->xs);
	cw_rs_clear(&v->ys);
	v->phase = 0.0;
	v->noise = 0x9e3779b9u ^ (uint32_t)(c * 0x85ebca6bu);
}

void
cw_slot_reset(cw_slot *s)
{
	for (int c = 0; c < s->n_voices; c++)
		cw_voice_reset(s, c);
}

void
cw_slot_set_period(cw_slot *s, int module, uint32_t period)
{
	for (int c = 0; c < s->n_voices; c++)
		cwrnn_state_set_period(s->voice[c].state, module, period);
}

static float
white(cw_voice *v)
{
	uint32_t x = v->noise;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	v->noise = x;
	return (float)(int32_t)x * (1.0f / 2147483648.0f);
}

/* The network input of the next step from the interpolated host input. */
static void
feed(cw_slot *s, cw_voice *v, float x, const cw_drive *d)
{
	const cwrnn_config *cfg = &s->model->config;
	switch (s->mode) {
	case CW_MODE_TRANSFORM:
		v->in[0] = x;
		break;
	case CW_MODE_CONTINUE: {
		int shared = s->n_audio < cfg->n_outputs ? s->n_audio : cfg->n_outputs;
		for (int j = 0; j < shared; j++)
			v->in[j] = (1.0f - d->input_mix) * v->out[j];
		v->in[0] += d->input_mix * x;
		if (d->noise > 0.0f)
			v->in[0] += d->noise * white(v);
		break;
	}
	case CW_MODE_GENERATE:
		break; /* audio inputs stay zero */
	case CW_MODE_INSTRUMENT:
		return; /* every input is a control the caller sets per voice */
	}
	for (int c = 0; c < cfg->n_controls; c++)
		v->in[s->n_audio + c] = s->control[c];
}

double
cw_note_inc(const cwrnn_config *cfg, double host_rate, double note, double root)
{
	if (cfg->root_note > 0.0f)
		root = cfg->root_note;
	return cfg->sample_rate / host_rate * exp2((note - root) / 12.0);
}

/* Cutoffs for inc; the input delay for it. */
static void
set_cutoffs(cw_drive *d, const cw_rs_kernel *kernel, double inc)
{
	d->inc = inc;
	d->kernel = kernel;
	d->c_in = 0.5 * (inc < 1.0 ? inc : 1.0);
	d->c_out = 0.5 * (inc > 1.0 ? 1.0 / inc : 1.0);
	d->d_in = ceil(cw_rs_half(d->c_in));
}

void
cw_drive_set_rate(cw_drive *d, const cw_rs_kernel *kernel, double inc)
{
	inc = inc < CW_MIN_INC ? CW_MIN_INC : inc > CW_MAX_INC ? CW_MAX_INC : inc;
	set_cutoffs(d, kernel, inc);
	d->exact = inc == 1.0;
	d->d_out = ceil(cw_rs_half(d->c_out));
}

void
cw_drive_set_voice(cw_drive *d, const cw_rs_kernel *kernel, const cw_rs_poly *poly, double inc,
                   double inc_max)
{
	inc_max = inc_max < 1.0 ? 1.0 : inc_max > CW_MAX_INC ? CW_MAX_INC : inc_max;
	inc = inc < CW_MIN_VOICE_INC ? CW_MIN_VOICE_INC : inc > inc_max ? inc_max : inc;
	set_cutoffs(d, kernel, inc);
	d->exact = 0;
	d->poly = poly;
	d->d_out = ceil(cw_rs_half(0.5 / inc_max));
}

double
cw_drive_latency(const cw_drive *d)
{
	return d->exact ? 0.0 : d->d_in + (1.0 + d->d_out) / d->inc;
}

float
cw_voice_tick(cw_slot *s, int c, float x, const cw_drive *d)
{
	cw_voice *v = &s->voice[c];
	const double inc = d->inc;
	const int audio_in = s->mode == CW_MODE_TRANSFORM || s->mode == CW_MODE_CONTINUE;
	if (audio_in)
		cw_rs_push(&v->xs, x);
	if (d->exact) {
		feed(s, v, x, d);
		cw_step_ftz(v->state, v->in, v->out);
		cw_rs_push(&v->ys, v->out[0]);
		return v->out[0];
	}
	double p = v->phase + inc;
	while (p >= 1.0) {
		/* this step falls at host time n - 1 + a, a in (0, 1] */
		double a = (1.0 - (p - inc)) / inc;
		float xn = audio_in ? cw_rs_read(&v->xs, d->kernel, 1.0 - a + d->d_in, d->c_in) : 0.0f;
		feed(s, v, xn, d);
		cw_step_ftz(v->state, v->in, v->out);
		cw_rs_push(&v->ys, v->out[0]);
		p -= 1.0;
	}
	v->phase = p;
	if (d->poly && d->c_out == 0.5)
		return cw_rs_interp(&v->ys, d->poly, 1.0 - p + d->d_out);
	return cw_rs_read(&v->ys, d->kernel, 1.0 - p + d->d_out, d->c_out);
}
