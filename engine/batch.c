/*
 * Training batch: B sequences stepped in lockstep in double precision, with
 * exact backpropagation through time.
 *
 * Storage is event-based: a module's value only changes when it ticks, so we
 * keep one (k_i, B) block per tick instead of the whole hidden vector per
 * step. All (units, B) arrays are unit-major with the batch contiguous, so
 * the inner loops run over the batch and vectorise without reassociation.
 *
 * Slow modules push (DESIGN.md §1). Module i reads itself and every slower
 * module j > i, whose value is constant between j's ticks. So the forward
 * keeps, per unit, the part of the pre-activation that comes from slower
 * modules and the bias (`slow`), and the output W_O h + b_O (`yacc`); a module
 * that ticks adds W (h_new - h_old) to the rows of the faster modules and to
 * the output. A tick of module i then costs its own k_i x k_i block, its input
 * block, and its pushes, instead of a read of every slower unit.
 *
 * Backward walks time in reverse with one gradient accumulator per unit: the
 * gradient of the value the unit holds at the current step. When the walk
 * crosses a tick of module j, everything that read the value j produced
 * there is known: the output at the steps it was held, the faster modules'
 * ticks that read it, and j's own next tick. The reads are summed over the
 * value's lifetime first and applied once: running sums of the output
 * gradient (`osum`) and of each module's δ (`dsum`), with the sums' values at
 * j's previous crossing kept per module (`osnap`, `dsnap`), give each
 * lifetime's total as a difference. Then δ_j = (1 - h²) ⊙ g and the
 * accumulator restarts for the value before the tick. The sums also give the
 * bias gradients at the end.
 *
 * Weight gradients accumulate per batch lane (`glane`, (n_params, B)) with
 * plain multiply-adds and are summed over the lanes once per backward.
 */
#include "cwrnn.h"
#include "tanh_double.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The kernels work on groups of GROUP lanes, held as two pairs of doubles
 * (one SSE2 or NEON register each; the compiler's lowering of a 4-wide
 * generic vector on SSE2 goes through the stack): a kernel keeps the group
 * of the row it accumulates into in registers while it runs over the other
 * dimension. Every (units, lanes) row starts at a whole group. */
enum { GROUP = 4 };
typedef double lane_pair __attribute__((vector_size(2 * sizeof(double)), aligned(sizeof(double))));

/* The pairs of lanes starting at p (a row start plus a multiple of GROUP). */
static inline lane_pair *
pairs(double *p)
{
	return (lane_pair *)p;
}

static inline const lane_pair *
cpairs(const double *p)
{
	return (const lane_pair *)p;
}

struct cwrnn_batch {
	cwrnn_config cfg;
	cwrnn_layout L;
	int B, max_steps, steps;          /* steps of the last forward */
	int lanes;                        /* B rounded up to whole lane groups: the row stride */
	uint64_t t;                       /* clock of the next step */
	uint64_t t0;                      /* clock at the start of the last forward */
	double *h;                        /* (n, B) state now */
	double *h_start;                  /* (n, B) state before the last forward */
	double *ticks_mem;                /* all tick blocks */
	double *tick_vals[CWRNN_MAX_MODULES]; /* (capacity_i, k_i, B) */
	int n_ticks[CWRNN_MAX_MODULES];   /* ticks in the last forward */
	uint32_t *active;                 /* (max_steps) bit i: module i ticked */
	double *xs;                       /* (m, B) network input at one step */
	double *act;                      /* (max k, B) pre-activation, then new value */
	double *diff;                     /* (max k, B) new value - old, or a lifetime's δ sum */
	double *slow;                     /* (n, B) bias + slower modules' part of the pre-activation */
	double *yacc;                     /* (p, B) W_O h + b_O */
	double *g_acc;                    /* (n, B) backward accumulators */
	double *delta;                    /* (n, B) δ of the modules active now */
	double *dsum;                     /* (n, B) Σ δ over the steps walked */
	double *dsnap;                    /* (Σ_j unit_offset[j], B) dsum rows < j at j's last crossing */
	size_t dsnap_at[CWRNN_MAX_MODULES]; /* where module j's rows of dsnap start */
	double *osum;                     /* (p, B) Σ out_scale · dy over the steps walked */
	double *osnap;                    /* (g, p, B) osum at module j's last crossing */
	double *glane;                    /* (n_params, B) weight gradients per lane */
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
	b->lanes = (batch + GROUP - 1) / GROUP * GROUP;
	b->max_steps = max_steps;
	size_t B = (size_t)b->lanes, nb = (size_t)b->L.n * B, ticks_len = 0, snap_len = 0;
	size_t p = (size_t)cfg->n_outputs, g = (size_t)cfg->n_modules;
	int k_max = 0;
	for (int i = 0; i < cfg->n_modules; i++) {
		ticks_len += (size_t)tick_capacity(max_steps, cfg->periods[i]) * (size_t)cfg->sizes[i];
		k_max = cfg->sizes[i] > k_max ? cfg->sizes[i] : k_max;
		b->dsnap_at[i] = snap_len * B;
		snap_len += (size_t)b->L.unit_offset[i];
	}
	b->h = calloc(nb, sizeof *b->h);
	b->h_start = calloc(nb, sizeof *b->h_start);
	b->ticks_mem = calloc(ticks_len * B, sizeof *b->ticks_mem);
	b->active = calloc((size_t)max_steps, sizeof *b->active);
	b->xs = calloc((size_t)(cfg->n_inputs + 1) * B, sizeof *b->xs);
	b->act = calloc((size_t)k_max * B, sizeof *b->act);
	b->diff = calloc((size_t)k_max * B, sizeof *b->diff);
	b->slow = calloc(nb, sizeof *b->slow);
	b->yacc = calloc(p * B, sizeof *b->yacc);
	b->g_acc = calloc(nb, sizeof *b->g_acc);
	b->delta = calloc(nb, sizeof *b->delta);
	b->dsum = calloc(nb, sizeof *b->dsum);
	b->dsnap = calloc(snap_len * B + 1, sizeof *b->dsnap);
	b->osum = calloc(p * B, sizeof *b->osum);
	b->osnap = calloc(g * p * B, sizeof *b->osnap);
	b->glane = calloc(b->L.n_params * B, sizeof *b->glane);
	if (!b->h || !b->h_start || !b->ticks_mem || !b->active || !b->xs || !b->act || !b->diff ||
	    !b->slow || !b->yacc || !b->g_acc || !b->delta || !b->dsum || !b->dsnap || !b->osum ||
	    !b->osnap || !b->glane) {
		cwrnn_batch_free(b);
		return NULL;
	}
	double *at = b->ticks_mem;
	for (int i = 0; i < cfg->n_modules; i++) {
		b->tick_vals[i] = at;
		at += (size_t)tick_capacity(max_steps, cfg->periods[i]) * (size_t)cfg->sizes[i] * B;
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
	free(b->active);
	free(b->xs);
	free(b->act);
	free(b->diff);
	free(b->slow);
	free(b->yacc);
	free(b->g_acc);
	free(b->delta);
	free(b->dsum);
	free(b->dsnap);
	free(b->osum);
	free(b->osnap);
	free(b->glane);
	free(b);
}

void
cwrnn_batch_reset(cwrnn_batch *b)
{
	memset(b->h, 0, (size_t)b->L.n * (size_t)b->lanes * sizeof *b->h);
	b->t = 0;
	b->steps = 0;
}

void
cwrnn_batch_get_state(const cwrnn_batch *b, double *h, uint64_t *t)
{
	for (int u = 0; u < b->L.n; u++)
		memcpy(h + (size_t)u * (size_t)b->B, b->h + (size_t)u * (size_t)b->lanes,
		       (size_t)b->B * sizeof *h);
	*t = b->t;
}

void
cwrnn_batch_set_state(cwrnn_batch *b, const double *h, uint64_t t)
{
	memset(b->h, 0, (size_t)b->L.n * (size_t)b->lanes * sizeof *b->h);
	for (int u = 0; u < b->L.n; u++)
		memcpy(b->h + (size_t)u * (size_t)b->lanes, h + (size_t)u * (size_t)b->B,
		       (size_t)b->B * sizeof *h);
	b->t = t;
	b->steps = 0;
}

/* out[r][:] += w[r][c] * in[c][:] over a (rows, cols) block with row stride;
 * rows of out and in are `lanes` apart. */
static void
block_forward(double *restrict out, const double *restrict w, size_t stride,
              const double *restrict in, int rows, int cols, int lanes)
{
	size_t L = (size_t)lanes;
	for (int r = 0; r < rows; r++) {
		const double *wr = w + (size_t)r * stride;
		for (size_t s = 0; s < L; s += GROUP) {
			lane_pair *o = pairs(out + (size_t)r * L + s), a0 = o[0], a1 = o[1];
			for (int c = 0; c < cols; c++) {
				const lane_pair *v = cpairs(in + (size_t)c * L + s);
				a0 += wr[c] * v[0];
				a1 += wr[c] * v[1];
			}
			o[0] = a0;
			o[1] = a1;
		}
	}
}

/* For out = w·in: per lane gw[r][c][:] += dout[r][:] in[c][:] (gw is the
 * block's lane-expanded gradient, row stride `stride`), and, when din is not
 * NULL, din[c][:] += w[r][c] dout[r][:]. One pass over the block, column by
 * column so that din's group stays in registers. */
static void
block_backward(double *restrict gw, double *restrict din, const double *restrict w,
               size_t stride, const double *restrict in, const double *restrict dout, int rows,
               int cols, int lanes)
{
	size_t L = (size_t)lanes;
	for (int c = 0; c < cols; c++)
		for (size_t s = 0; s < L; s += GROUP) {
			const lane_pair *v = cpairs(in + (size_t)c * L + s);
			lane_pair v0 = v[0], v1 = v[1], a0 = {0.0, 0.0}, a1 = {0.0, 0.0};
			for (int r = 0; r < rows; r++) {
				const lane_pair *d = cpairs(dout + (size_t)r * L + s);
				lane_pair d0 = d[0], d1 = d[1], *g = pairs(gw + ((size_t)r * stride + (size_t)c) * L + s);
				double wrc = w[(size_t)r * stride + (size_t)c];
				g[0] += d0 * v0;
				g[1] += d1 * v1;
				a0 += wrc * d0;
				a1 += wrc * d1;
			}
			if (din) {
				lane_pair *dv = pairs(din + (size_t)c * L + s);
				dv[0] += a0;
				dv[1] += a1;
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
			b->xs[(size_t)c * (size_t)b->lanes + (size_t)s] =
			    gain * xt[(size_t)s * (size_t)m + (size_t)c] + offset;
	}
}

/* Lowest module in a mask of active modules (mask != 0). */
static int
lowest_module(uint32_t mask)
{
	int i = 0;
	while (!(mask & 1u)) {
		mask >>= 1;
		i++;
	}
	return i;
}

/* slow and yacc from the state h: bias plus every slower module's part, and
 * the output before scaling. */
static void
forward_prepare(cwrnn_batch *b, const double *params)
{
	const cwrnn_layout *L = &b->L;
	int B = b->lanes, n = L->n, p = b->cfg.n_outputs;
	for (int i = 0; i < b->cfg.n_modules; i++) {
		int k = b->cfg.sizes[i], off = L->unit_offset[i], next = L->unit_offset[i + 1];
		double *s = b->slow + (size_t)off * (size_t)B;
		for (int r = 0; r < k; r++)
			for (int q = 0; q < B; q++)
				s[(size_t)r * (size_t)B + (size_t)q] = params[L->b[i] + (size_t)r];
		block_forward(s, params + L->w_h[i] + (size_t)k, (size_t)(n - off),
		              b->h + (size_t)next * (size_t)B, k, n - next, B);
	}
	for (int o = 0; o < p; o++)
		for (int q = 0; q < B; q++)
			b->yacc[(size_t)o * (size_t)B + (size_t)q] = params[L->b_o + (size_t)o];
	block_forward(b->yacc, params + L->w_o, (size_t)n, b->h, p, n, B);
}

/* Module i at one step: its pre-activation from slow, its input and its own
 * previous value; then it pushes the change of its value to the faster
 * modules' slow rows and to the output, and stores the new value. */
static void
forward_module(cwrnn_batch *b, const double *params, int i)
{
	const cwrnn_layout *L = &b->L;
	int k = b->cfg.sizes[i], off = L->unit_offset[i], B = b->lanes, m = b->cfg.n_inputs, n = L->n;
	size_t kb = (size_t)k * (size_t)B;
	double *h = b->h + (size_t)off * (size_t)B, *act = b->act, *diff = b->diff;
	memcpy(act, b->slow + (size_t)off * (size_t)B, kb * sizeof *act);
	block_forward(act, params + L->w_i[i], (size_t)m, b->xs, k, m, B);
	block_forward(act, params + L->w_h[i], (size_t)(n - off), h, k, k, B);
	cw_tanh_d_array(act, kb);
	for (size_t u = 0; u < kb; u++) {
		diff[u] = act[u] - h[u];
		h[u] = act[u];
	}
	for (int j = 0; j < i; j++) {
		int oj = L->unit_offset[j];
		block_forward(b->slow + (size_t)oj * (size_t)B, params + L->w_h[j] + (size_t)(off - oj),
		              (size_t)(n - oj), diff, b->cfg.sizes[j], k, B);
	}
	block_forward(b->yacc, params + L->w_o + (size_t)off, (size_t)n, diff, b->cfg.n_outputs, k, B);
	memcpy(b->tick_vals[i] + (size_t)b->n_ticks[i] * kb, h, kb * sizeof *h);
	b->n_ticks[i]++;
}

/* y(step) = out_scale * (W_O h + b_O) + skip * audio x_raw */
static void
forward_output(cwrnn_batch *b, const double *x, double *y, int step)
{
	int p = b->cfg.n_outputs, m = b->cfg.n_inputs, B = b->B;
	double scale = b->cfg.out_scale;
	for (int s = 0; s < B; s++) {
		double *yo = y + ((size_t)step * (size_t)B + (size_t)s) * (size_t)p;
		const double *xo = x + ((size_t)step * (size_t)B + (size_t)s) * (size_t)m;
		for (int o = 0; o < p; o++)
			yo[o] = scale * b->yacc[(size_t)o * (size_t)b->lanes + (size_t)s] + (b->cfg.skip ? xo[o] : 0.0);
	}
}

int
cwrnn_batch_forward(cwrnn_batch *b, const double *params, const double *x, double *y, int steps)
{
	if (steps < 1 || steps > b->max_steps)
		return -1;
	int g = b->cfg.n_modules;
	uint32_t until[CWRNN_MAX_MODULES]; /* steps to module i's next tick */
	for (int i = 0; i < g; i++) {
		uint32_t T = b->cfg.periods[i], r = (uint32_t)((b->t + b->cfg.phase) % T);
		until[i] = r == 0 ? 0 : T - r;
	}
	memcpy(b->h_start, b->h, (size_t)b->L.n * (size_t)b->lanes * sizeof *b->h);
	memset(b->n_ticks, 0, sizeof b->n_ticks);
	forward_prepare(b, params);
	b->t0 = b->t;
	b->steps = steps;
	for (int step = 0; step < steps; step++, b->t++) {
		uint32_t mask = 0;
		for (int i = 0; i < g; i++) {
			if (until[i] == 0) {
				mask |= 1u << i;
				until[i] = b->cfg.periods[i];
			}
			until[i]--;
		}
		b->active[step] = mask;
		if (mask && b->cfg.n_inputs)
			load_inputs(b, x, step);
		for (uint32_t left = mask; left; left &= left - 1)
			forward_module(b, params, lowest_module(left));
		forward_output(b, x, y, step);
	}
	return 0;
}

/* The value module j held after tick `index` (-1: the state before the
 * forward began). */
static const double *
held_value(const cwrnn_batch *b, int j, int index)
{
	size_t kb = (size_t)b->cfg.sizes[j] * (size_t)b->lanes;
	if (index < 0)
		return b->h_start + (size_t)b->L.unit_offset[j] * (size_t)b->lanes;
	return b->tick_vals[j] + (size_t)index * kb;
}

/* diff = sum - *snap; *snap = sum (n values): what a running sum gained
 * since the snapshot. */
static void
take_since(double *restrict diff, double *restrict snap, const double *restrict sum, size_t n)
{
	for (size_t u = 0; u < n; u++) {
		diff[u] = sum[u] - snap[u];
		snap[u] = sum[u];
	}
}

/* Everything that read module j's value `value` over its lifetime (the
 * output, and the ticks of faster modules) adds its gradient: to the
 * weights, and (when g_acc is not NULL) to the value's accumulator. */
static void
flush_reads(cwrnn_batch *b, const double *params, int j, const double *value, double *g_acc)
{
	const cwrnn_layout *L = &b->L;
	int p = b->cfg.n_outputs, B = b->lanes, off = L->unit_offset[j], k = b->cfg.sizes[j], n = L->n;
	size_t pb = (size_t)p * (size_t)B;
	take_since(b->diff, b->osnap + (size_t)j * pb, b->osum, pb);
	block_backward(b->glane + (L->w_o + (size_t)off) * (size_t)B, g_acc, params + L->w_o + off,
	               (size_t)n, value, b->diff, p, k, B);
	double *snap = b->dsnap + b->dsnap_at[j];
	for (int i = 0; i < j; i++) {
		int oi = L->unit_offset[i], ki = b->cfg.sizes[i];
		size_t col = (size_t)(off - oi), kib = (size_t)ki * (size_t)B;
		take_since(b->diff, snap + (size_t)oi * (size_t)B, b->dsum + (size_t)oi * (size_t)B, kib);
		block_backward(b->glane + (L->w_h[i] + col) * (size_t)B, g_acc, params + L->w_h[i] + col,
		               (size_t)(n - oi), value, b->diff, ki, k, B);
	}
}

/* Crossing module j's tick backwards: its value's reads are complete, so
 * δ_j = (1 - h²) ⊙ g, and the accumulator restarts for the value before. */
static void
consume_tick(cwrnn_batch *b, const double *params, int j, int *current)
{
	int off = b->L.unit_offset[j], B = b->lanes;
	size_t kb = (size_t)b->cfg.sizes[j] * (size_t)B;
	const double *h = held_value(b, j, current[j]);
	double *g_acc = b->g_acc + (size_t)off * (size_t)B, *delta = b->delta + (size_t)off * (size_t)B;
	flush_reads(b, params, j, h, g_acc);
	for (size_t u = 0; u < kb; u++) {
		delta[u] = (1.0 - h[u] * h[u]) * g_acc[u];
		g_acc[u] = 0.0;
	}
	current[j]--;
}

/* What module i read itself at this step: gradients of its input and
 * recurrent weights, and of its previous value; δ_i joins the running sum
 * its slower modules' values take their share from. */
static void
backward_own_reads(cwrnn_batch *b, const double *params, int i, const int *current)
{
	const cwrnn_layout *L = &b->L;
	int k = b->cfg.sizes[i], off = L->unit_offset[i], B = b->lanes, m = b->cfg.n_inputs;
	size_t kb = (size_t)k * (size_t)B, ob = (size_t)off * (size_t)B;
	const double *delta = b->delta + ob;
	block_backward(b->glane + L->w_i[i] * (size_t)B, NULL, params + L->w_i[i], (size_t)m, b->xs,
	               delta, k, m, B);
	block_backward(b->glane + L->w_h[i] * (size_t)B, b->g_acc + ob, params + L->w_h[i],
	               (size_t)(L->n - off), held_value(b, i, current[i]), delta, k, k, B);
	double *dsum = b->dsum + ob;
	for (size_t u = 0; u < kb; u++)
		dsum[u] += delta[u];
}

/* grad += the lane sums of glane; bias gradients from the running sums. */
static void
reduce_gradients(const cwrnn_batch *b, double *grad)
{
	const cwrnn_layout *L = &b->L;
	int B = b->B;
	size_t lanes = (size_t)b->lanes;
	for (size_t q = 0; q < L->n_params; q++) {
		const double *lane = b->glane + q * lanes;
		double s = 0.0;
		for (int l = 0; l < B; l++)
			s += lane[l];
		grad[q] += s;
	}
	for (int i = 0; i < b->cfg.n_modules; i++)
		for (int r = 0; r < b->cfg.sizes[i]; r++) {
			const double *lane = b->dsum + (size_t)(L->unit_offset[i] + r) * lanes;
			double s = 0.0;
			for (int l = 0; l < B; l++)
				s += lane[l];
			grad[L->b[i] + (size_t)r] += s;
		}
	for (int o = 0; o < b->cfg.n_outputs; o++) {
		const double *lane = b->osum + (size_t)o * lanes;
		double s = 0.0;
		for (int l = 0; l < B; l++)
			s += lane[l];
		grad[L->b_o + (size_t)o] += s;
	}
}

void
cwrnn_batch_backward(cwrnn_batch *b, const double *params, const double *x, const double *dy,
                     double *grad)
{
	int g = b->cfg.n_modules, p = b->cfg.n_outputs, B = b->B, current[CWRNN_MAX_MODULES];
	size_t lanes = (size_t)b->lanes, nb = (size_t)b->L.n * lanes, pb = (size_t)p * lanes;
	double scale = b->cfg.out_scale;
	memset(b->g_acc, 0, nb * sizeof *b->g_acc);
	memset(b->dsum, 0, nb * sizeof *b->dsum);
	memset(b->dsnap, 0, (b->dsnap_at[g - 1] + (size_t)b->L.unit_offset[g - 1] * lanes) *
	                        sizeof *b->dsnap);
	memset(b->osum, 0, pb * sizeof *b->osum);
	memset(b->osnap, 0, (size_t)g * pb * sizeof *b->osnap);
	memset(b->glane, 0, b->L.n_params * lanes * sizeof *b->glane);
	for (int i = 0; i < g; i++)
		current[i] = b->n_ticks[i] - 1;
	for (int step = b->steps - 1; step >= 0; step--) {
		const double *dyt = dy + (size_t)step * (size_t)B * (size_t)p;
		for (int s = 0; s < B; s++)
			for (int o = 0; o < p; o++)
				b->osum[(size_t)o * lanes + (size_t)s] += scale * dyt[(size_t)s * (size_t)p + (size_t)o];
		uint32_t mask = b->active[step];
		if (!mask)
			continue;
		for (uint32_t left = mask; left; left &= left - 1)
			consume_tick(b, params, lowest_module(left), current);
		if (b->cfg.n_inputs)
			load_inputs(b, x, step);
		for (uint32_t left = mask; left; left &= left - 1)
			backward_own_reads(b, params, lowest_module(left), current);
	}
	/* Values carried in from the previous chunk were read too; the gradient
	 * into them is cut here (truncated BPTT). */
	for (int j = 0; j < g; j++)
		flush_reads(b, params, j, held_value(b, j, -1), NULL);
	reduce_gradients(b, grad);
}
