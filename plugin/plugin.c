/*
 * cwrnn LV2 plugin: descriptor, lifecycle and run().
 *
 * run() reads the control ports once, then renders sample by sample between
 * the events of the control port (eg-sampler's pattern). Everything reachable
 * from run() follows DESIGN.md §4: no allocation, I/O, locks or logging.
 * There are no block-sized buffers (the network is stepped per sample), so
 * any block size works without knowing the host's maximum.
 */
#include "plugin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/core/lv2_util.h>

#include "cw_bundled.h" /* generated: cw_bundled_models[], CW_N_BUNDLED */
#include "denormal.h"

#define CW_FADE_SECONDS 0.02
#define CW_BYPASS_SECONDS 0.01
#define CW_ATTACK_SECONDS 0.002
#define CW_RELEASE_SECONDS 0.03

/* ------------------------------------------------------------- smoothing */

static void
smooth_init(cw_smooth *s, double rate)
{
	s->coef = (float)(1.0 - exp(-1.0 / (CW_SMOOTH_SECONDS * rate)));
}

static float
db_to_gain(float db)
{
	return db == 0.0f ? 1.0f : powf(10.0f, db / 20.0f);
}

/* -------------------------------------------------------------- controls */

/* The period that module i runs at, from the period ports and stretch. */
static uint32_t
period_for(const cw_plugin *self, const cw_slot *s, int i)
{
	uint32_t own = i < CW_N_PERIOD_PORTS ? self->period[i] : 0;
	if (self->stretch == 1.0f)
		return own;
	double base = own ? own : s->model->config.periods[i];
	double p = rint(base * self->stretch);
	return p < 1.0 ? 1u : p > CWRNN_MAX_PERIOD ? CWRNN_MAX_PERIOD : (uint32_t)p;
}

static void
apply_periods(cw_plugin *self, cw_slot *s)
{
	for (int i = 0; i < s->model->config.n_modules; i++)
		cw_slot_set_period(s, i, period_for(self, s, i));
}

static void
read_controls(cw_plugin *self)
{
	self->in_gain.target = db_to_gain(cw_control(self, CW_PORT_IN_GAIN));
	self->out_gain.target = db_to_gain(cw_control(self, CW_PORT_OUT_GAIN));
	self->wet.target = cw_control(self, CW_PORT_DRY_WET) / 100.0f;
	self->input_mix.target = cw_control(self, CW_PORT_INPUT_MIX) / 100.0f;
	self->noise.target = cw_control(self, CW_PORT_NOISE);
	self->root = cw_control(self, CW_PORT_ROOT);
	self->enabled_target = cw_control(self, CW_PORT_ENABLED);
	for (int k = 0; k < CW_N_KNOB_PORTS; k++)
	{
		float target = cw_control(self, CW_PORT_KNOB_1 + k) / 100.0f;
		if (target != self->knob[k].target)
			self->knobs_moving = 1;
		self->knob[k].target = target;
	}

	int changed = 0;
	float stretch = cw_control(self, CW_PORT_STRETCH);
	if (stretch != self->stretch) {
		self->stretch = stretch;
		changed = 1;
	}
	for (int i = 0; i < CW_N_PERIOD_PORTS; i++) {
		uint32_t p = (uint32_t)cw_control(self, CW_PORT_PERIOD_1 + i);
		if (p != self->period[i]) {
			self->period[i] = p;
			changed = 1;
		}
	}
	if (self->kind == CW_PLUGIN_INSTRUMENT)
		cw_instrument_controls(self);
	if (changed) {
		apply_periods(self, self->cur);
		if (self->prev)
			apply_periods(self, self->prev);
	}

	/* The model port selects a bundled model when it changes, and after a
	 * state without a model path was restored. On the first run it only
	 * takes over if no user file was loaded (restored) before. */
	int m = (int)cw_control(self, CW_PORT_MODEL);
	if (self->follow_model_port || !self->model_port_seen || m != self->model_port) {
		int follow = self->follow_model_port || self->model_port_seen || self->cur->bundled;
		self->model_port = m;
		self->model_port_seen = 1;
		self->follow_model_port = 0;
		if (follow && self->bundled[m]) {
			cw_switch_to(self, self->bundled[m]);
			if (self->snap)
				self->fade = 1.0f; /* first run after activate: nothing to fade from */
		}
	}

	float trig = cw_control(self, CW_PORT_TRIGGER);
	if (trig > 0.5f && self->trigger <= 0.5f)
		cw_restart(self, -1, 1.0f);
	self->trigger = trig;

	if (self->snap) {
		self->in_gain.cur = self->in_gain.target;
		self->out_gain.cur = self->out_gain.target;
		self->wet.cur = self->wet.target;
		self->input_mix.cur = self->input_mix.target;
		self->noise.cur = self->noise.target;
		for (int k = 0; k < CW_N_KNOB_PORTS; k++)
			self->knob[k].cur = self->knob[k].target;
		self->knobs_moving = 1;
		self->enabled = self->enabled_target;
		self->snap = 0;
	}
}

/* ----------------------------------------------------------------- models */

static void
retire(cw_plugin *self, cw_slot *s)
{
	/* The queue holds more than can pile up between two runs; if it were
	 * ever full the slot would leak rather than be freed here. */
	if (self->n_retired < CW_MAX_RETIRED)
		self->retired[self->n_retired++] = s;
}

static int
is_zombie(const cw_plugin *self, const cw_slot *s)
{
	return s && !s->bundled && s != self->user;
}

void
cw_switch_to(cw_plugin *self, cw_slot *s)
{
	if (s == self->cur)
		return;
	if (self->prev && self->prev != s && is_zombie(self, self->prev))
		retire(self, self->prev);
	self->prev = self->cur;
	self->cur = s;
	self->fade = 0.0f;
	cw_slot_reset(s);
	apply_periods(self, s);
	self->notify_path = 1;
	self->knobs_moving = 1; /* the new slot takes the knobs' positions */
}

/* A new user model replaces the old one. If the old one is playing, it is
 * retired when its fade ends (or by cw_switch_to if it was already fading
 * out); if not, now. */
void
cw_adopt_user(cw_plugin *self, cw_slot *s)
{
	cw_slot *old = self->user;
	int old_playing = old && (old == self->cur || old == self->prev);
	self->user = s;
	cw_switch_to(self, s);
	if (old && !old_playing)
		retire(self, old);
}

/* Installs a slot at once, outside run() (restore without a worker): the
 * host does not run the plugin concurrently, so old slots are freed here. */
void
cw_install_now(cw_plugin *self, cw_slot *s)
{
	if (self->prev && is_zombie(self, self->prev))
		cw_slot_free(self->prev);
	if (self->user && self->user != s)
		cw_slot_free(self->user);
	for (int i = 0; i < self->n_retired; i++)
		cw_slot_free(self->retired[i]);
	self->n_retired = 0;
	self->prev = NULL;
	self->user = s;
	self->cur = s;
	self->fade = 1.0f;
	cw_slot_reset(s);
	apply_periods(self, s);
	self->notify_path = 1;
	self->knobs_moving = 1; /* the new slot takes the knobs' positions */
}

static void
start_note(cw_plugin *self)
{
	cw_slot_reset(self->cur);
	self->note = self->next_note;
	self->velocity = self->next_velocity;
	self->gate = !self->next_released;
	self->env = 0.0f;
	self->steal = 0;
	self->next_released = 0;
}

/* Restarts a generator from its initial state. If it is sounding, it first
 * fades out over the attack time (no click), then restarts (see cw_render). */
void
cw_restart(cw_plugin *self, int note, float velocity)
{
	self->next_note = note;
	self->next_velocity = velocity;
	self->next_released = 0;
	if (self->cur->mode != CW_MODE_TRANSFORM && self->env > 0.0f)
		self->steal = 1;
	else
		start_note(self);
}

void
cw_release(cw_plugin *self, int note)
{
	if (self->steal && note == self->next_note)
		self->next_released = 1;
	else if (note < 0 || note == self->note)
		self->gate = 0;
}

static cw_drive
drive_of(const cw_plugin *self, const cw_slot *s)
{
	const cwrnn_config *cfg = &s->model->config;
	double inc = s->mode != CW_MODE_TRANSFORM && self->note >= 0
	                 ? cw_note_inc(cfg, self->rate, self->note, self->root)
	                 : cfg->sample_rate / self->rate;
	cw_drive d = { .input_mix = self->input_mix.cur, .noise = self->noise.cur };
	cw_drive_set_rate(&d, &self->kernel, inc);
	return d;
}

/* -------------------------------------------------------------- rendering */

static inline float
finite_or_zero(float x)
{
	return isfinite(x) ? x : 0.0f;
}

/* Whether knobs are to be moved this render: a playing slot has knobs and
 * they glide, or a slot has yet to take their positions. Decided once per
 * render: slots only change between renders (events), and prev may only go
 * away within one. */
static int
knobs_to_move(const cw_plugin *self)
{
	return self->knobs_moving && (self->cur->n_knobs || (self->prev && self->prev->n_knobs));
}

/* Knob positions, smoothed per sample (no zipper noise in a sweep), into
 * the control inputs of the playing slots, until every knob has arrived. */
static inline void
move_knobs(cw_plugin *self)
{
	float pos[CW_N_KNOB_PORTS];
	int arrived = 1;
	for (int k = 0; k < CW_N_KNOB_PORTS; k++) {
		pos[k] = cw_smooth_next(&self->knob[k]);
		arrived &= pos[k] == self->knob[k].target;
	}
	cw_slot_set_knobs(self->cur, pos, CW_N_KNOB_PORTS);
	if (self->prev)
		cw_slot_set_knobs(self->prev, pos, CW_N_KNOB_PORTS);
	if (arrived)
		self->knobs_moving = 0;
}

/* One slot's wet output for channel c, with the generator envelope. */
static inline float
play(cw_plugin *self, cw_slot *s, int c, float x, const cw_drive *d, float amp)
{
	if (s->mode == CW_MODE_TRANSFORM)
		return cw_voice_tick(s, c, x, d);
	if (amp == 0.0f && !self->gate)
		return 0.0f; /* released: the network rests */
	float y = cw_voice_tick(s, c, x, d);
	return amp == 1.0f ? y : y * amp;
}

void
cw_render(cw_plugin *self, uint32_t start, uint32_t end)
{
	if (self->kind == CW_PLUGIN_INSTRUMENT) {
		cw_instrument_render(self, start, end);
		return;
	}
	cw_drive dc = drive_of(self, self->cur);
	cw_drive dp = self->prev ? drive_of(self, self->prev) : dc;
	const float target_en = self->enabled_target;
	int knobs = knobs_to_move(self);

	for (uint32_t i = start; i < end; i++) {
		float gin = cw_smooth_next(&self->in_gain);
		float gout = cw_smooth_next(&self->out_gain);
		float wet = cw_smooth_next(&self->wet);
		dc.input_mix = dp.input_mix = cw_smooth_next(&self->input_mix);
		dc.noise = dp.noise = cw_smooth_next(&self->noise);
		self->enabled = cw_ramp(self->enabled, target_en, self->enabled_step);
		float en = self->enabled;
		if (knobs) {
			move_knobs(self);
			knobs = self->knobs_moving;
		}

		float amp = 1.0f;
		if (self->steal) {
			self->env = cw_ramp(self->env, 0.0f, self->attack_step);
			amp = self->env * self->velocity;
			if (self->env == 0.0f) {
				start_note(self);
				dc = drive_of(self, self->cur);
			}
		} else if (self->gate || self->env > 0.0f) {
			float t = self->gate ? 1.0f : 0.0f;
			self->env = cw_ramp(self->env, t, self->gate ? self->attack_step : self->release_step);
			amp = self->env * self->velocity;
		} else {
			amp = 0.0f;
		}

		float f = 1.0f;
		if (self->prev) {
			self->fade = cw_ramp(self->fade, 1.0f, self->fade_step);
			f = self->fade;
		}

		for (int c = 0; c < self->n_channels; c++) {
			float x = finite_or_zero(self->in[c][i]);
			float y = x;
			if (en > 0.0f) {
				float xi = x * gin;
				float w = play(self, self->cur, c, xi, &dc, amp);
				if (self->prev && f < 1.0f)
					w = f * w + (1.0f - f) * play(self, self->prev, c, xi, &dp, amp);
				w *= gout;
				float m = wet >= 1.0f ? w : (1.0f - wet) * x + wet * w;
				y = en >= 1.0f ? m : en * m + (1.0f - en) * x;
			}
			self->out[c][i] = finite_or_zero(y);
		}

		cw_fade_end(self);
	}
}

void
cw_fade_end(cw_plugin *self)
{
	if (self->prev && self->fade >= 1.0f) {
		if (is_zombie(self, self->prev))
			retire(self, self->prev);
		self->prev = NULL;
	}
}

/* Generators have no input to be late against; the others are late by the
 * resampling delay when their rate is not the host's. */
static float
latency_of(const cw_plugin *self)
{
	const cw_slot *s = self->cur;
	if (s->mode == CW_MODE_GENERATE || s->mode == CW_MODE_INSTRUMENT)
		return 0.0f;
	cw_drive d = drive_of(self, s);
	double lat = rint(cw_drive_latency(&d));
	return (float)(lat > cw_ports[CW_PORT_LATENCY].max ? cw_ports[CW_PORT_LATENCY].max : lat);
}

static void
run(LV2_Handle handle, uint32_t n_samples)
{
	cw_plugin *self = handle;
	cw_denormal_state saved = cw_denormals_off();
	read_controls(self);
	cw_drain_retired(self);

	LV2_Atom_Forge_Frame frame;
	cw_notify_begin(self, &frame);
	if (self->notify_path) {
		cw_notify_path(self, 0);
		cw_notify_knobs(self, 0);
		self->notify_path = 0;
	}

	uint32_t offset = 0;
	if (self->control && self->map) {
		LV2_ATOM_SEQUENCE_FOREACH (self->control, ev) {
			int64_t t = ev->time.frames;
			uint32_t at = t < (int64_t)offset ? offset : t > (int64_t)n_samples ? n_samples : (uint32_t)t;
			cw_render(self, offset, at);
			offset = at;
			cw_handle_event(self, ev);
		}
	}
	cw_render(self, offset, n_samples);

	if (self->notify_open)
		lv2_atom_forge_pop(&self->forge, &frame);
	if (self->latency)
		*self->latency = latency_of(self);
	cw_denormals_restore(saved);
}

/* -------------------------------------------------------------- lifecycle */

static void
cleanup(LV2_Handle handle)
{
	cw_plugin *self = handle;
	if (self->prev && is_zombie(self, self->prev))
		cw_slot_free(self->prev);
	cw_slot_free(self->user);
	for (int i = 0; i < self->n_retired; i++)
		cw_slot_free(self->retired[i]);
	for (int i = 0; i < self->n_bundled; i++)
		cw_slot_free(self->bundled[i]);
	free(self);
}

static int
load_bundled(cw_plugin *self, const char *bundle_path)
{
	char path[CW_MAX_PATH], msg[512];
	size_t len = strlen(bundle_path);
	const char *sep = len && bundle_path[len - 1] == '/' ? "" : "/";
	/* bundled[k] is the model of port value k (NULL if it failed to load):
	 * the instrument models for the instrument, the others for mono and
	 * stereo (gen_ttl lists the same as scale points). */
	int n = CW_N_BUNDLED < CW_MAX_BUNDLED ? CW_N_BUNDLED : CW_MAX_BUNDLED, k = 0;
	for (int i = 0; i < n; i++) {
		if ((self->kind == CW_PLUGIN_INSTRUMENT) != cw_bundled_instrument[i])
			continue; /* each plugin lists the models it plays */
		int at = k++;
		int w = snprintf(path, sizeof path, "%s%smodels/%s", bundle_path, sep,
		                 cw_bundled_models[i]);
		if (w < 0 || (size_t)w >= sizeof path) {
			lv2_log_error(&self->logger, "cwrnn: bundle path too long\n");
			continue;
		}
		self->bundled[at] = cw_slot_load(path, self->slot_voices, msg, sizeof msg);
		if (!self->bundled[at]) {
			lv2_log_error(&self->logger, "cwrnn: bundled model %s: %s\n", path, msg);
			continue;
		}
		self->bundled[at]->bundled = 1;
		if (!self->cur)
			self->cur = self->bundled[at];
	}
	self->n_bundled = k;
	return self->cur ? 0 : -1;
}

static LV2_Handle
instantiate(const LV2_Descriptor *desc, double rate, const char *bundle_path,
            const LV2_Feature *const *features)
{
	if (!(rate >= CWRNN_MIN_SAMPLE_RATE && rate <= CWRNN_MAX_SAMPLE_RATE))
		return NULL;
	cw_plugin *self = calloc(1, sizeof *self);
	if (!self)
		return NULL;
	LV2_Log_Log *log = NULL;
	lv2_features_query(features, LV2_URID__map, &self->map, false, LV2_WORKER__schedule,
	                   &self->schedule, false, LV2_LOG__log, &log, false, NULL);
	lv2_log_logger_init(&self->logger, self->map, log);
	if (self->map) {
		cw_uris_map(&self->uris, self->map);
		lv2_atom_forge_init(&self->forge, self->map);
	}
	self->kind = !strcmp(desc->URI, CW_URI_INSTRUMENT) ? CW_PLUGIN_INSTRUMENT
	             : !strcmp(desc->URI, CW_URI_STEREO)   ? CW_PLUGIN_STEREO
	                                                   : CW_PLUGIN_MONO;
	self->n_channels = self->kind == CW_PLUGIN_MONO ? 1 : 2;
	self->slot_voices = self->kind == CW_PLUGIN_INSTRUMENT ? CW_MAX_VOICES : self->n_channels;
	self->rate = rate;
	cw_rs_kernel_init(&self->kernel);
	if (self->kind == CW_PLUGIN_INSTRUMENT)
		cw_rs_poly_init(&self->poly);
	if (load_bundled(self, bundle_path) != 0) {
		lv2_log_error(&self->logger, "cwrnn: no bundled model could be loaded from %s\n",
		              bundle_path);
		cleanup(self);
		return NULL;
	}
	smooth_init(&self->in_gain, rate);
	smooth_init(&self->out_gain, rate);
	smooth_init(&self->wet, rate);
	smooth_init(&self->input_mix, rate);
	smooth_init(&self->noise, rate);
	for (int k = 0; k < CW_N_KNOB_PORTS; k++)
		smooth_init(&self->knob[k], rate);
	self->fade = 1.0f;
	self->fade_step = (float)(1.0 / (CW_FADE_SECONDS * rate));
	self->enabled_step = (float)(1.0 / (CW_BYPASS_SECONDS * rate));
	self->attack_step = (float)(1.0 / (CW_ATTACK_SECONDS * rate));
	self->release_step = (float)(1.0 / (CW_RELEASE_SECONDS * rate));
	self->stretch = 1.0f;
	self->note = -1;
	self->gate = 1;
	self->env = 1.0f;
	self->velocity = 1.0f;
	self->snap = 1;
	if (self->kind == CW_PLUGIN_INSTRUMENT)
		cw_instrument_init(self);
	return self;
}

static void
connect_port(LV2_Handle handle, uint32_t port, void *data)
{
	cw_plugin *self = handle;
	int id = cw_plugin_port(self->kind, (int)port);
	if (id < 0)
		return;
	port = (uint32_t)id;
	switch (port) {
	case CW_PORT_IN: self->in[0] = data; break;
	case CW_PORT_OUT: self->out[0] = data; break;
	case CW_PORT_IN_R: self->in[1] = data; break;
	case CW_PORT_OUT_R: self->out[1] = data; break;
	case CW_PORT_CONTROL: self->control = data; break;
	case CW_PORT_NOTIFY: self->notify = data; break;
	case CW_PORT_LATENCY: self->latency = data; break;
	default:
		if (port < CW_N_PORTS)
			self->ctl[port] = data;
		break;
	}
}

static void
activate(LV2_Handle handle)
{
	cw_plugin *self = handle;
	cw_slot_reset(self->cur);
	if (self->prev) {
		if (is_zombie(self, self->prev))
			retire(self, self->prev);
		self->prev = NULL;
		self->fade = 1.0f;
	}
	self->note = -1;
	self->gate = 1;
	self->env = 1.0f;
	self->velocity = 1.0f;
	self->steal = 0;
	self->snap = 1;
	self->activated = 1;
	if (self->kind == CW_PLUGIN_INSTRUMENT)
		cw_instrument_reset(self);
}

static void
deactivate(LV2_Handle handle)
{
	cw_plugin *self = handle;
	self->activated = 0;
}

static const void *
extension_data(const char *uri)
{
	if (!strcmp(uri, LV2_WORKER__interface))
		return &cw_worker_interface;
	if (!strcmp(uri, LV2_STATE__interface))
		return &cw_state_interface;
	return NULL;
}

static const LV2_Descriptor descriptors[] = {
	{ CW_URI_MONO, instantiate, connect_port, activate, run, deactivate, cleanup,
	  extension_data },
	{ CW_URI_STEREO, instantiate, connect_port, activate, run, deactivate, cleanup,
	  extension_data },
	{ CW_URI_INSTRUMENT, instantiate, connect_port, activate, run, deactivate, cleanup,
	  extension_data },
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *
lv2_descriptor(uint32_t index)
{
	return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
