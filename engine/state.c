/*
 * State: one audio stream through a model, stepped sample by sample.
 *
 * Only active modules cost anything, and a slow module's work is reused: the
 * product W_H[i][j] h_j that a faster module i reads from a slower module j
 * only changes when j ticks, so it is cached per (i, j) and recomputed the
 * next time i ticks after j has changed (a version stamp per module says
 * when). Likewise W_O[:, j] h_j is cached per module and the output is a sum
 * of g cached vectors. Every buffer is allocated in cwrnn_state_new.
 */
#include "cwrnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denormal.h"
#include "kernels.h"

struct cwrnn_state {
	const cwrnn_model *model;
	uint64_t t;                             /* index of the next step */
	uint64_t nonfinite_events;
	uint32_t override[CWRNN_MAX_MODULES];   /* 0 = the model's period */
	uint32_t period[CWRNN_MAX_MODULES];     /* effective period */
	uint32_t countdown[CWRNN_MAX_MODULES];  /* steps until the next tick */
	uint64_t version[CWRNN_MAX_MODULES];    /* times h_j was rewritten */
	float *h;                               /* (n) hidden state */
	float *x;                               /* (m) input as the network sees it */
	float control_gain[CWRNN_MAX_CONTROLS]; /* cwrnn_input_affine of each control */
	float control_offset[CWRNN_MAX_CONTROLS];
	float *act;                             /* (max k) pre-activation */
	float *contrib;                         /* per (i, j > i): (k_i) W_H[i][j] h_j */
	size_t contrib_len;
	size_t contrib_base[CWRNN_MAX_MODULES]; /* offset of (i, i+1) in contrib */
	uint64_t *contrib_version;              /* (g, g) version of h_j used */
	float *out_contrib;                     /* (g, p) W_O[:, j] h_j */
};

static float *
contrib_of(cwrnn_state *s, int i, int j)
{
	int k = s->model->config.sizes[i];
	return s->contrib + s->contrib_base[i] + (size_t)(j - i - 1) * (size_t)k;
}

cwrnn_state *
cwrnn_state_new(const cwrnn_model *model)
{
	const cwrnn_config *cfg = &model->config;
	int g = cfg->n_modules, n = model->layout.n, k_max = 0;
	cwrnn_state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->model = model;
	for (int c = 0; c < cfg->n_controls; c++) {
		double gain, offset;
		cwrnn_input_affine(cfg, cfg->n_inputs - cfg->n_controls + c, &gain, &offset);
		s->control_gain[c] = (float)gain;
		s->control_offset[c] = (float)offset;
	}
	for (int i = 0; i < g; i++) {
		s->contrib_base[i] = s->contrib_len;
		s->contrib_len += (size_t)cfg->sizes[i] * (size_t)(g - 1 - i);
		if (cfg->sizes[i] > k_max)
			k_max = cfg->sizes[i];
	}
	s->h = calloc((size_t)n, sizeof *s->h);
	s->x = calloc((size_t)cfg->n_inputs + 1, sizeof *s->x);
	s->act = calloc((size_t)k_max, sizeof *s->act);
	s->contrib = calloc(s->contrib_len + 1, sizeof *s->contrib);
	s->contrib_version = calloc((size_t)g * (size_t)g, sizeof *s->contrib_version);
	s->out_contrib = calloc((size_t)g * (size_t)cfg->n_outputs, sizeof *s->out_contrib);
	if (!s->h || !s->x || !s->act || !s->contrib || !s->contrib_version || !s->out_contrib) {
		cwrnn_state_free(s);
		return NULL;
	}
	cwrnn_state_reset(s);
	return s;
}

void
cwrnn_state_free(cwrnn_state *s)
{
	if (!s)
		return;
	free(s->h);
	free(s->x);
	free(s->act);
	free(s->contrib);
	free(s->contrib_version);
	free(s->out_contrib);
	free(s);
}

const cwrnn_model *
cwrnn_state_model(const cwrnn_state *s)
{
	return s->model;
}

/* Zero state: every cache holds W·0 = 0, stamped with version 0. */
static void
zero_hidden(cwrnn_state *s)
{
	const cwrnn_config *cfg = &s->model->config;
	int g = cfg->n_modules;
	memset(s->h, 0, (size_t)s->model->layout.n * sizeof *s->h);
	memset(s->version, 0, sizeof s->version);
	memset(s->contrib_version, 0, (size_t)g * (size_t)g * sizeof *s->contrib_version);
	memset(s->out_contrib, 0, (size_t)g * (size_t)cfg->n_outputs * sizeof *s->out_contrib);
	memset(s->contrib, 0, s->contrib_len * sizeof *s->contrib);
}

/* Steps until module i next ticks, counted from step s->t: the countdown
 * form of cwrnn_ticks, so both give the same schedule bit for bit. */
static void
sync_countdown(cwrnn_state *s, int i)
{
	uint32_t T = s->period[i];
	uint64_t r = (s->t + s->model->config.phase) % T;
	s->countdown[i] = (uint32_t)((T - r) % T);
}

void
cwrnn_state_reset(cwrnn_state *s)
{
	s->t = 0;
	zero_hidden(s);
	for (int i = 0; i < s->model->config.n_modules; i++)
		cwrnn_state_set_period(s, i, s->override[i]);
}

void
cwrnn_state_set_period(cwrnn_state *s, int module, uint32_t period)
{
	if (module < 0 || module >= s->model->config.n_modules)
		return;
	if (period > CWRNN_MAX_PERIOD)
		period = CWRNN_MAX_PERIOD;
	s->override[module] = period;
	s->period[module] = period ? period : s->model->config.periods[module];
	sync_countdown(s, module);
}

uint32_t
cwrnn_state_period(const cwrnn_state *s, int module)
{
	if (module < 0 || module >= s->model->config.n_modules)
		return 0;
	return s->period[module];
}

uint64_t
cwrnn_state_time(const cwrnn_state *s)
{
	return s->t;
}

const float *
cwrnn_state_hidden(const cwrnn_state *s)
{
	return s->h;
}

uint64_t
cwrnn_state_nonfinite_events(const cwrnn_state *s)
{
	return s->nonfinite_events;
}

/* Recomputes module i from h(t-1) and the input; returns 0 if the new
 * values are not finite. Modules are updated fast to slow, so when i runs
 * every slower module j > i still holds h_j(t-1). */
static int
update_module(cwrnn_state *s, int i)
{
	const cwrnn_model *model = s->model;
	const cwrnn_layout *L = &model->layout;
	int g = model->config.n_modules, m = model->config.n_inputs;
	int k = model->config.sizes[i], off = L->unit_offset[i], n = L->n;
	size_t stride = (size_t)(n - off);
	const float *w_h = model->params + L->w_h[i];
	float *a = s->act;

	memcpy(a, model->params + L->b[i], (size_t)k * sizeof *a);
	cw_matvec_acc_f(a, model->params + L->w_i[i], (size_t)m, s->x, k, m);
	cw_matvec_acc_f(a, w_h, stride, s->h + off, k, k);
	for (int j = i + 1; j < g; j++) {
		int col = L->unit_offset[j] - off, kj = model->config.sizes[j];
		float *c = contrib_of(s, i, j);
		uint64_t *seen = &s->contrib_version[i * g + j];
		if (*seen != s->version[j]) {
			cw_matvec_f(c, w_h + col, stride, s->h + L->unit_offset[j], k, kj);
			*seen = s->version[j];
		}
		for (int r = 0; r < k; r++)
			a[r] += c[r];
	}
	float *h = s->h + off, sum = 0.0f;
#pragma omp simd reduction(+ : sum)
	for (int r = 0; r < k; r++) {
		h[r] = cw_tanhf(a[r]);
		sum += h[r];
	}
	s->version[i]++;
	int p = model->config.n_outputs;
	cw_matvec_f(s->out_contrib + (size_t)i * (size_t)p, model->params + L->w_o + off,
	            (size_t)n, h, p, k);
	return isfinite(sum);
}

/* Maps the input into s->x (audio scaled, controls onto 0..1); returns 0
 * if any value is NaN or infinite (then the network sees zeros instead). */
static int
load_input(cwrnn_state *s, const float *in)
{
	const cwrnn_config *cfg = &s->model->config;
	int m = cfg->n_inputs, audio = m - cfg->n_controls, ok = 1;
	float scale = cfg->in_scale;
	for (int c = 0; c < audio; c++) {
		float v = in[c] * scale;
		ok &= isfinite(v) != 0;
		s->x[c] = v;
	}
	for (int c = audio; c < m; c++) {
		float v = in[c] * s->control_gain[c - audio] + s->control_offset[c - audio];
		ok &= isfinite(v) != 0;
		s->x[c] = v;
	}
	if (!ok)
		memset(s->x, 0, (size_t)m * sizeof *s->x);
	return ok;
}

static void
write_output(cwrnn_state *s, const float *in, int input_ok, float *out)
{
	const cwrnn_model *model = s->model;
	const cwrnn_config *cfg = &model->config;
	int g = cfg->n_modules, p = cfg->n_outputs;
	for (int o = 0; o < p; o++) {
		float y = model->params[model->layout.b_o + (size_t)o];
		for (int j = 0; j < g; j++)
			y += s->out_contrib[(size_t)j * (size_t)p + (size_t)o];
		y *= cfg->out_scale;
		if (cfg->skip && input_ok)
			y += in[o];
		if (!isfinite(y)) {
			s->nonfinite_events++;
			y = 0.0f;
		}
		out[o] = y;
	}
}

static void
step_unguarded(cwrnn_state *s, const float *in, float *out)
{
	int g = s->model->config.n_modules, ok = 1;
	int input_ok = load_input(s, in);
	if (!input_ok) {
		s->nonfinite_events++;
		zero_hidden(s);
	}
	for (int i = 0; i < g; i++) {
		if (s->countdown[i] == 0) {
			ok &= update_module(s, i);
			s->countdown[i] = s->period[i] - 1;
		} else {
			s->countdown[i]--;
		}
	}
	if (!ok) {
		s->nonfinite_events++;
		zero_hidden(s);
	}
	write_output(s, in, input_ok, out);
	s->t++;
}

void
cwrnn_step(cwrnn_state *s, const float *in, float *out)
{
	cw_denormal_state saved = cw_denormals_off();
	step_unguarded(s, in, out);
	cw_denormals_restore(saved);
}

void
cwrnn_process(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	size_t m = (size_t)s->model->config.n_inputs, p = (size_t)s->model->config.n_outputs;
	cw_denormal_state saved = cw_denormals_off();
	for (size_t f = 0; f < frames; f++)
		step_unguarded(s, in ? in + f * m : NULL, out + f * p);
	cw_denormals_restore(saved);
}
