/*
 * Training batch: B sequences stepped in lockstep in double precision, with
 * exact backpropagation through time.
 *
 * Storage is event-based: a module's value only changes when it ticks, so we
 * keep one (k_i, B) block per tick instead of the whole hidden vector per
 * step. All (units, B) arrays are unit-major with the batch contiguous, so
 * the inner loops run over the batch and vectorise without reassociation.
 *
 * Backward (DESIGN.md §1) walks time in reverse with one gradient
 * accumulator per unit: the gradient of the value the unit holds at the
 * current step. Held units pass their gradient back unchanged simply by
 * leaving the accumulator alone; when the walk crosses a tick of module i,
 * the accumulator becomes δ_i = (1 - h²) ⊙ g and restarts at zero for the
 * value before the tick. The output gradient is summed over each value's
 * lifetime and applied once per tick.
 */
#include "cwrnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct cwrnn_batch {
	cwrnn_config cfg;
	cwrnn_layout L;
	int B, max_steps, steps;          /* steps of the last forward */
	uint64_t t;                       /* clock of the next step */
	uint64_t t0;                      /* clock at the start of the last forward */
	double *h;                        /* (n, B) state now */
	double *h_start;                  /* (n, B) state before the last forward */
	double *ticks_mem;                /* all tick blocks */
	double *tick_vals[CWRNN_MAX_MODULES]; /* (capacity_i, k_i, B) */
	int n_ticks[CWRNN_MAX_MODULES];   /* ticks in the last forward */
	double *xs;                       /* (m, B) scaled input at one step */
	double *act;                      /* (max k, B) pre-activation */
	double *g_acc;                    /* (n, B) backward accumulators */
	double *delta;                    /* (n, B) δ of the modules active now */
	double *out_sum;                  /* (g, p, B) output gradient per value */
};

static int
tick_capacity(int max_steps, uint32_t period)
{
	return (int)((uint32_t)max_steps / period) + 1;
}

cwrnn_batch *
cwrnn_batch_new(const cwrnn_config *cfg, int batch, int max_steps)
{
	if (cwrnn_config_check(cfg, NULL, 0) != 0 || batch < 1 || max_steps < 1)
		return NULL;
	cwrnn_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->cfg = *cfg;
	cwrnn_layout_of(cfg, &b->L);
	b->B = batch;
	b->max_steps = max_steps;
	size_t nb = (size_t)b->L.n * (size_t)batch, ticks_len = 0;
	int k_max = 0;
	for (int i = 0; i < cfg->n_modules; i++) {
		ticks_len += (size_t)tick_capacity(max_steps, cfg->periods[i]) * (size_t)cfg->sizes[i];
		k_max = cfg->sizes[i] > k_max ? cfg->sizes[i] : k_max;
	}
	b->h = calloc(nb, sizeof *b->h);
	b->h_start = calloc(nb, sizeof *b->h_start);
	b->ticks_mem = calloc(ticks_len * (size_t)batch, sizeof *b->ticks_mem);
	b->xs = calloc((size_t)(cfg->n_inputs + 1) * (size_t)batch, sizeof *b->xs);
	b->act = calloc((size_t)k_max * (size_t)batch, sizeof *b->act);
	b->g_acc = calloc(nb, sizeof *b->g_acc);
	b->delta = calloc(nb, sizeof *b->delta);
	b->out_sum = calloc((size_t)cfg->n_modules * (size_t)cfg->n_outputs * (size_t)batch,
	                    sizeof *b->out_sum);
	if (!b->h || !b->h_start || !b->ticks_mem || !b->xs || !b->act || !b->g_acc ||
	    !b->delta || !b->out_sum) {
		cwrnn_batch_free(b);
		return NULL;
	}
	double *at = b->ticks_mem;
	for (int i = 0; i < cfg->n_modules; i++) {
		b->tick_vals[i] = at;
		at += (size_t)tick_capacity(max_steps, cfg->periods[i]) * (size_t)cfg->sizes[i] *
		      (size_t)batch;
	}
	return b;
}

void
cwrnn_batch_free(cwrnn_batch *b)
{
	if (!b)
		return;
	free(b->h);
	free(b->h_start);
	free(b->ticks_mem);
	free(b->xs);
	free(b->act);
	free(b->g_acc);
	free(b->delta);
	free(b->out_sum);
	free(b);
}

void
cwrnn_batch_reset(cwrnn_batch *b)
{
	memset(b->h, 0, (size_t)b->L.n * (size_t)b->B * sizeof *b->h);
	b->t = 0;
	b->steps = 0;
}

void
cwrnn_batch_get_state(const cwrnn_batch *b, double *h, uint64_t *t)
{
	memcpy(h, b->h, (size_t)b->L.n * (size_t)b->B * sizeof *h);
	*t = b->t;
}

void
cwrnn_batch_set_state(cwrnn_batch *b, const double *h, uint64_t t)
{
	memcpy(b->h, h, (size_t)b->L.n * (size_t)b->B * sizeof *h);
	b->t = t;
	b->steps = 0;
}

/* out[r][:] += w[r][c] * in[c][:] over a (rows, cols) block with row stride. */
static void
block_forward(double *restrict out, const double *restrict w, size_t stride,
              const double *restrict in, int rows, int cols, int B)
{
	for (int r = 0; r < rows; r++) {
		double *o = out + (size_t)r * (size_t)B;
		for (int c = 0; c < cols; c++) {
			double wrc = w[(size_t)r * stride + (size_t)c];
			const double *v = in + (size_t)c * (size_t)B;
#pragma omp simd
			for (int s = 0; s < B; s++)
				o[s] += wrc * v[s];
		}
	}
}

/* For out = w·in: dw[r][c] += Σ_s dout[r][s] in[c][s], din[c][:] += w[r][c] dout[r][:]. */
static void
block_backward(double *restrict dw, double *restrict din, const double *restrict w,
               size_t stride, const double *restrict in, const double *restrict dout, int rows,
               int cols, int B)
{
	for (int r = 0; r < rows; r++) {
		const double *d = dout + (size_t)r * (size_t)B;
		for (int c = 0; c < cols; c++) {
			const double *v = in + (size_t)c * (size_t)B;
			double s = 0.0, wrc = w[(size_t)r * stride + (size_t)c];
#pragma omp simd reduction(+ : s)
			for (int q = 0; q < B; q++)
				s += d[q] * v[q];
			dw[(size_t)r * stride + (size_t)c] += s;
			if (din) {
				double *dv = din + (size_t)c * (size_t)B;
#pragma omp simd
				for (int q = 0; q < B; q++)
					dv[q] += wrc * d[q];
			}
		}
	}
}

/* xs[c][b] = gain_c * x(step)[b][c] + offset_c (cwrnn_input_affine) */
static void
load_inputs(cwrnn_batch *b, const double *x, int step)
{
	int m = b->cfg.n_inputs, B = b->B;
	const double *xt = x + (size_t)step * (size_t)B * (size_t)m;
	for (int c = 0; c < m; c++) {
		double gain, offset;
		cwrnn_input_affine(&b->cfg, c, &gain, &offset);
		for (int s = 0; s < B; s++)
			b->xs[(size_t)c * (size_t)B + (size_t)s] =
			    gain * xt[(size_t)s * (size_t)m + (size_t)c] + offset;
	}
}

static int
module_ticks(const cwrnn_batch *b, int i, uint64_t t)
{
	return cwrnn_ticks(t, b->cfg.phase, b->cfg.periods[i]);
}

/* Module i at one step: reads h (modules i.. still hold t-1), writes its
 * new value into h and into its tick storage. */
static void
forward_module(cwrnn_batch *b, const double *params, int i)
{
	const cwrnn_layout *L = &b->L;
	int k = b->cfg.sizes[i], off = L->unit_offset[i], B = b->B, m = b->cfg.n_inputs;
	size_t kb = (size_t)k * (size_t)B;
	for (int r = 0; r < k; r++)
		for (int s = 0; s < B; s++)
			b->act[(size_t)r * (size_t)B + (size_t)s] = params[L->b[i] + (size_t)r];
	block_forward(b->act, params + L->w_i[i], (size_t)m, b->xs, k, m, B);
	block_forward(b->act, params + L->w_h[i], (size_t)(L->n - off), b->h + (size_t)off * (size_t)B,
	              k, L->n - off, B);
	double *h = b->h + (size_t)off * (size_t)B;
	for (size_t u = 0; u < kb; u++)
		h[u] = tanh(b->act[u]);
	memcpy(b->tick_vals[i] + (size_t)b->n_ticks[i] * kb, h, kb * sizeof *h);
	b->n_ticks[i]++;
}

/* y(step) = out_scale * (W_O h + b_O) + skip * x_raw */
static void
forward_output(cwrnn_batch *b, const double *params, const double *x, double *y, int step)
{
	const cwrnn_layout *L = &b->L;
	int p = b->cfg.n_outputs, m = b->cfg.n_inputs, B = b->B, n = L->n;
	for (int s = 0; s < B; s++) {
		double *yo = y + ((size_t)step * (size_t)B + (size_t)s) * (size_t)p;
		for (int o = 0; o < p; o++) {
			const double *w = params + L->w_o + (size_t)o * (size_t)n;
			double acc = params[L->b_o + (size_t)o];
			for (int u = 0; u < n; u++)
				acc += w[u] * b->h[(size_t)u * (size_t)B + (size_t)s];
			yo[o] = b->cfg.out_scale * acc;
			if (b->cfg.skip)
				yo[o] += x[((size_t)step * (size_t)B + (size_t)s) * (size_t)m + (size_t)o]; /* audio input o */
		}
	}
}

int
cwrnn_batch_forward(cwrnn_batch *b, const double *params, const double *x, double *y, int steps)
{
	if (steps < 1 || steps > b->max_steps)
		return -1;
	memcpy(b->h_start, b->h, (size_t)b->L.n * (size_t)b->B * sizeof *b->h);
	memset(b->n_ticks, 0, sizeof b->n_ticks);
	b->t0 = b->t;
	b->steps = steps;
	for (int step = 0; step < steps; step++, b->t++) {
		load_inputs(b, x, step);
		for (int i = 0; i < b->cfg.n_modules; i++)
			if (module_ticks(b, i, b->t))
				forward_module(b, params, i);
		forward_output(b, params, x, y, step);
	}
	return 0;
}

/* The value module j held after tick `index` (-1: the state before the
 * forward began). */
static const double *
held_value(const cwrnn_batch *b, int j, int index)
{
	size_t kb = (size_t)b->cfg.sizes[j] * (size_t)b->B;
	if (index < 0)
		return b->h_start + (size_t)b->L.unit_offset[j] * (size_t)b->B;
	return b->tick_vals[j] + (size_t)index * kb;
}

/* Adds the output gradient summed over a value's lifetime: to the value's
 * accumulator through W_O, and to dW_O through the value. */
static void
flush_output_grad(cwrnn_batch *b, const double *params, double *grad, int j,
                  const double *value)
{
	const cwrnn_layout *L = &b->L;
	int p = b->cfg.n_outputs, B = b->B, off = L->unit_offset[j];
	double *sum = b->out_sum + (size_t)j * (size_t)p * (size_t)B;
	block_backward(grad + L->w_o + off, b->g_acc + (size_t)off * (size_t)B, params + L->w_o + off,
	               (size_t)L->n, value, sum, p, b->cfg.sizes[j], B);
	memset(sum, 0, (size_t)p * (size_t)B * sizeof *sum);
}

/* Output gradient of one step: db_O, and summed into every module's
 * current value's lifetime. */
static void
add_step_output_grad(cwrnn_batch *b, double *grad, const double *dy, int step)
{
	int p = b->cfg.n_outputs, B = b->B, g = b->cfg.n_modules;
	for (int s = 0; s < B; s++)
		for (int o = 0; o < p; o++) {
			double d = b->cfg.out_scale * dy[((size_t)step * (size_t)B + (size_t)s) * (size_t)p + (size_t)o];
			grad[b->L.b_o + (size_t)o] += d;
			for (int j = 0; j < g; j++)
				b->out_sum[((size_t)j * (size_t)p + (size_t)o) * (size_t)B + (size_t)s] += d;
		}
}

/* Crossing module i's tick backwards: δ_i = (1 - h²) ⊙ g, and the
 * accumulator restarts for the value held before the tick. */
static void
consume_tick(cwrnn_batch *b, const double *params, double *grad, int i, int *current)
{
	int off = b->L.unit_offset[i], B = b->B;
	size_t kb = (size_t)b->cfg.sizes[i] * (size_t)B;
	const double *h = held_value(b, i, current[i]);
	flush_output_grad(b, params, grad, i, h);
	double *g_acc = b->g_acc + (size_t)off * (size_t)B, *delta = b->delta + (size_t)off * (size_t)B;
	for (size_t u = 0; u < kb; u++) {
		delta[u] = (1.0 - h[u] * h[u]) * g_acc[u];
		g_acc[u] = 0.0;
	}
	current[i]--;
}

/* What module i read at this step: gradients of its weights and of the
 * values it read (which, after consume_tick, are current[j]). */
static void
backward_reads(cwrnn_batch *b, const double *params, double *grad, int i, const int *current)
{
	const cwrnn_layout *L = &b->L;
	int k = b->cfg.sizes[i], off = L->unit_offset[i], B = b->B, m = b->cfg.n_inputs;
	size_t stride = (size_t)(L->n - off);
	const double *delta = b->delta + (size_t)off * (size_t)B;
	for (int r = 0; r < k; r++)
		for (int s = 0; s < B; s++)
			grad[L->b[i] + (size_t)r] += delta[(size_t)r * (size_t)B + (size_t)s];
	block_backward(grad + L->w_i[i], NULL, params + L->w_i[i], (size_t)m, b->xs, delta, k, m, B);
	for (int j = i; j < b->cfg.n_modules; j++) {
		int col = L->unit_offset[j] - off;
		block_backward(grad + L->w_h[i] + col, b->g_acc + (size_t)L->unit_offset[j] * (size_t)B,
		               params + L->w_h[i] + col, stride, held_value(b, j, current[j]), delta, k,
		               b->cfg.sizes[j], B);
	}
}

void
cwrnn_batch_backward(cwrnn_batch *b, const double *params, const double *x, const double *dy,
                     double *grad)
{
	int g = b->cfg.n_modules, current[CWRNN_MAX_MODULES], active[CWRNN_MAX_MODULES];
	memset(b->g_acc, 0, (size_t)b->L.n * (size_t)b->B * sizeof *b->g_acc);
	memset(b->out_sum, 0, (size_t)g * (size_t)b->cfg.n_outputs * (size_t)b->B * sizeof *b->out_sum);
	for (int i = 0; i < g; i++)
		current[i] = b->n_ticks[i] - 1;
	for (int step = b->steps - 1; step >= 0; step--) {
		uint64_t t = b->t0 + (uint64_t)step;
		add_step_output_grad(b, grad, dy, step);
		for (int i = 0; i < g; i++) {
			active[i] = module_ticks(b, i, t);
			if (active[i])
				consume_tick(b, params, grad, i, current);
		}
		load_inputs(b, x, step);
		for (int i = 0; i < g; i++)
			if (active[i])
				backward_reads(b, params, grad, i, current);
	}
	/* Values carried in from the previous chunk still fed the output; the
	 * gradient into them is cut here (truncated BPTT). */
	for (int j = 0; j < g; j++)
		flush_output_grad(b, params, grad, j, held_value(b, j, -1));
}
