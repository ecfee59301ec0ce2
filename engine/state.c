/*
 * State: one audio stream through a model, stepped sample by sample.
 *
 * cwrnn_state_new repacks the model into the layout infer.h describes (per
 * module, column-major, padded to the vector width) and picks the kernel for
 * this CPU (dispatch.c); the step itself is infer_step.h, compiled once per
 * instruction set. This file owns the memory, the packing, the clock and the
 * rare paths (NaN/Inf recovery). Every buffer is allocated here.
 */
#include "cwrnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "denormal.h"
#include "step_ftz.h"
#include "infer.h"

static int
pad4(int v)
{
	return (v + 3) & ~3;
}

/* Floats of every block, in the order they are carved from one allocation. */
typedef struct {
	size_t bias, w_in, w_push, b_out, dyn, x, h_view, total;
} state_sizes;

/* Rows of w_push[j] and acc[j] (infer.h). */
static size_t
rows_of(const cwrnn_state *s, int j)
{
	return (size_t)(s->pp + s->roff[j + 1]);
}

static state_sizes
sizes_of(const cwrnn_state *s)
{
	state_sizes z = {0};
	int np = s->roff[s->g];
	z.bias = (size_t)np;
	z.w_in = (size_t)np * (size_t)s->m;
	z.dyn = (size_t)np + (size_t)(s->pp + np); /* hp, acc[g] */
	for (int j = 0; j < s->g; j++) {
		z.w_push += (size_t)s->k[j] * rows_of(s, j);
		z.dyn += rows_of(s, j);
	}
	z.b_out = (size_t)s->pp;
	z.x = (size_t)pad4(s->m);
	z.h_view = (size_t)pad4(s->model->layout.n);
	z.total = z.bias + z.w_in + z.w_push + z.b_out + z.dyn + z.x + z.h_view;
	return z;
}

/* Copies the model's weights into the packed blocks (padding stays 0). */
static void
pack(cwrnn_state *s, float *bias, float *w_in, float *w_push, float *b_out)
{
	const cwrnn_model *model = s->model;
	const cwrnn_layout *L = &model->layout;
	const float *w = model->params;
	size_t n = (size_t)L->n, m = (size_t)s->m;
	for (int i = 0; i < s->g; i++) {
		size_t kp = (size_t)s->kp[i];
		s->bias[i] = bias;
		s->w_in[i] = w_in;
		for (size_t r = 0; r < (size_t)s->k[i]; r++) {
			bias[r] = w[L->b[i] + r];
			for (size_t c = 0; c < m; c++)
				w_in[c * kp + r] = w[L->w_i[i] + r * m + c];
		}
		bias += kp;
		w_in += kp * m;
	}
	for (int j = 0; j < s->g; j++) {
		size_t off_j = (size_t)L->unit_offset[j];
		s->w_push[j] = w_push;
		for (size_t u = 0; u < (size_t)s->k[j]; u++, w_push += rows_of(s, j)) {
			for (size_t o = 0; o < (size_t)s->p; o++)
				w_push[o] = w[L->w_o + o * n + off_j + u];
			for (int i = 0; i <= j; i++) {
				size_t off_i = (size_t)L->unit_offset[i], stride = n - off_i;
				float *rows = w_push + s->pp + s->roff[i];
				for (size_t r = 0; r < (size_t)s->k[i]; r++)
					rows[r] = w[L->w_h[i] + r * stride + (off_j - off_i + u)];
			}
		}
	}
	for (int o = 0; o < s->p; o++)
		b_out[o] = w[L->b_o + (size_t)o];
	s->b_out = b_out;
}

/* Each module's pointers, and how its push splits into register chunks of
 * four wide vectors for a kernel of the given width (infer_step.h's
 * module_push): whole chunks, then the rest with the 4-float tail. */
static void
plan_modules(cwrnn_state *s, int lanes)
{
	int chunk = 4 * lanes, tail = lanes > 4 ? 4 : 0;
	for (int i = 0; i < s->g; i++) {
		cw_module *mod = &s->mod[i];
		mod->bias = s->bias[i];
		mod->w_in = s->w_in[i];
		mod->acc_in = s->acc[i] + s->pp + s->roff[i];
		mod->h = s->hp + s->roff[i];
		mod->w_push = s->w_push[i];
		mod->src = s->acc[i + 1];
		mod->dst = s->acc[i];
		mod->k = s->k[i];
		mod->kp = s->kp[i];
		mod->rows = (int)rows_of(s, i);
		mod->chunks = mod->rows > chunk + tail ? (mod->rows - tail - 1) / chunk : 0;
		int rest = mod->rows - mod->chunks * chunk;
		mod->rest = rest / lanes * 2 + (rest % lanes != 0);
	}
}

cwrnn_state *
cwrnn_state_new(const cwrnn_model *model)
{
	const cwrnn_config *cfg = &model->config;
	cwrnn_state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->model = model;
	cw_kernel kernel = cw_select_kernel(getenv("CWRNN_ISA"));
	s->run = kernel.run;
	s->isa = kernel.name;
	s->g = cfg->n_modules;
	s->m = cfg->n_inputs;
	s->p = cfg->n_outputs;
	s->pp = pad4(s->p);
	s->audio = cfg->n_inputs - cfg->n_controls;
	s->skip = cfg->skip;
	s->in_scale = cfg->in_scale;
	s->out_scale = cfg->out_scale;
	s->phase = cfg->phase;
	for (int c = 0; c < cfg->n_controls; c++) {
		double gain, offset;
		cwrnn_input_affine(cfg, s->audio + c, &gain, &offset);
		s->control_gain[c] = (float)gain;
		s->control_offset[c] = (float)offset;
	}
	for (int i = 0; i < s->g; i++) {
		s->k[i] = cfg->sizes[i];
		s->kp[i] = pad4(cfg->sizes[i]);
		s->roff[i + 1] = s->roff[i] + s->kp[i];
	}
	state_sizes z = sizes_of(s);
	size_t bytes = (z.total * sizeof(float) + 63) & ~(size_t)63;
	float *mem = aligned_alloc(64, bytes);
	if (!mem) {
		free(s);
		return NULL;
	}
	memset(mem, 0, bytes);
	s->mem = mem;
	float *bias = mem, *w_in = bias + z.bias, *w_push = w_in + z.w_in, *b_out = w_push + z.w_push;
	s->hp = b_out + z.b_out;
	s->dyn_floats = z.dyn;
	float *acc = s->hp + s->roff[s->g];
	for (int j = 0; j < s->g; j++) {
		s->acc[j] = acc;
		acc += rows_of(s, j);
	}
	s->acc[s->g] = acc;
	s->x = s->hp + z.dyn;
	s->h_view = s->x + z.x;
	pack(s, bias, w_in, w_push, b_out);
	plan_modules(s, kernel.lanes);
	cwrnn_state_reset(s);
	return s;
}

void
cwrnn_state_free(cwrnn_state *s)
{
	if (!s)
		return;
	free(s->mem);
	free(s);
}

const cwrnn_model *
cwrnn_state_model(const cwrnn_state *s)
{
	return s->model;
}

const char *
cwrnn_state_isa(const cwrnn_state *s)
{
	return s->isa;
}

/* Zero state: every acc holds W·0 = 0 (acc[g] always does). */
void
cw_state_zero_hidden(cwrnn_state *s)
{
	memset(s->hp, 0, s->dyn_floats * sizeof *s->hp);
}

/* ------------------------------------------------------------ the clock */

static int
is_pow2(uint32_t v)
{
	return (v & (v - 1)) == 0;
}

/* Rebuilds the schedule from s->t and the effective periods: the prefix
 * table when the periods allow it, else each module's next tick. */
static void
clock_sync(cwrnn_state *s)
{
	int g = s->g;
	s->pow2 = 1;
	for (int i = 0; i < g; i++)
		if (!is_pow2(s->period[i]) || (i > 0 && s->period[i] < s->period[i - 1]))
			s->pow2 = 0;
	if (s->pow2) {
		/* Module i ticks when T_i divides t + phase, i.e. log2 T_i <= ctz. */
		int active = 0;
		for (int z = 0; z <= 64; z++) {
			while (active < g && (z >= 32 || s->period[active] <= (1ull << z)))
				active++;
			s->prefix[z] = (uint8_t)active;
		}
	}
	s->next_event = UINT64_MAX;
	for (int i = 0; i < g; i++) {
		uint32_t T = s->period[i];
		uint64_t r = (s->t + s->phase) % T;
		s->next_tick[i] = s->t + (T - r) % T;
		if (s->next_tick[i] < s->next_event)
			s->next_event = s->next_tick[i];
	}
}

/* The modules that tick at step s->t (== s->next_event), as a bit mask;
 * moves their next ticks on. Runs only on steps where something ticks. */
uint32_t
cw_clock_due(cwrnn_state *s)
{
	uint32_t due = 0;
	uint64_t t = s->t, next = UINT64_MAX;
	for (int i = 0; i < s->g; i++) {
		if (s->next_tick[i] == t) {
			due |= 1u << i;
			s->next_tick[i] += s->period[i];
		}
		if (s->next_tick[i] < next)
			next = s->next_tick[i];
	}
	s->next_event = next;
	return due;
}

void
cwrnn_state_reset(cwrnn_state *s)
{
	s->t = 0;
	cw_state_zero_hidden(s);
	for (int i = 0; i < s->g; i++)
		s->period[i] = s->override[i] ? s->override[i] : s->model->config.periods[i];
	clock_sync(s);
}

void
cwrnn_state_set_period(cwrnn_state *s, int module, uint32_t period)
{
	if (module < 0 || module >= s->g)
		return;
	if (period > CWRNN_MAX_PERIOD)
		period = CWRNN_MAX_PERIOD;
	s->override[module] = period;
	s->period[module] = period ? period : s->model->config.periods[module];
	clock_sync(s);
}

uint32_t
cwrnn_state_period(const cwrnn_state *s, int module)
{
	if (module < 0 || module >= s->g)
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
	for (int i = 0; i < s->g; i++)
		memcpy(s->h_view + s->model->layout.unit_offset[i], s->hp + s->roff[i],
		       (size_t)s->k[i] * sizeof *s->h_view);
	return s->h_view;
}

uint64_t
cwrnn_state_nonfinite_events(const cwrnn_state *s)
{
	return s->nonfinite_events;
}

/* ------------------------------------------------------ bad numbers */

/* An output was NaN or infinite. A NaN hidden value always shows up here
 * (every push carries W_O h into acc[0], and 0·NaN is NaN): then the
 * state is zeroed and the output recomputed from it. Whatever output is
 * still not finite (overflow of huge weights) is counted and written as 0. */
void
cw_state_guard_output(cwrnn_state *s, const float *in, int input_ok, float *out)
{
	int np = s->roff[s->g];
	for (int u = 0; u < np; u++)
		if (isnan(s->hp[u])) {
			s->nonfinite_events++;
			cw_state_zero_hidden(s);
			for (int o = 0; o < s->p; o++)
				out[o] = s->b_out[o] * s->out_scale + (s->skip && input_ok ? in[o] : 0.0f);
			break;
		}
	for (int o = 0; o < s->p; o++)
		if (!isfinite(out[o])) {
			s->nonfinite_events++;
			out[o] = 0.0f;
		}
}

/* ------------------------------------------------------------ stepping */

void
cw_step_ftz(cwrnn_state *s, const float *in, float *out)
{
	s->run(s, in, out, 1);
}

void
cwrnn_step(cwrnn_state *s, const float *in, float *out)
{
	cw_denormal_state saved = cw_denormals_off();
	cw_step_ftz(s, in, out);
	cw_denormals_restore(saved);
}

void
cwrnn_process(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_denormal_state saved = cw_denormals_off();
	s->run(s, in, out, frames);
	cw_denormals_restore(saved);
}
