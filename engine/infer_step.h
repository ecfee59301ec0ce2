/*
 * The inference step, written once over a few vector primitives and compiled
 * once per instruction set: each kernel file (kernel_generic.c,
 * kernel_sse2.c, kernel_avx2.c) defines the primitives, then includes this
 * file and defines its cw_run_* as cw_run_body. Engine-internal.
 *
 * The includer defines:
 *   CW_W              floats in a wide vector (4 or 8)
 *   cw_wide           wide vector: wload, wstore, wadd, wmul, wdiv,
 *                     wfma(a, b, c) = a*b+c, wbcast, wzero, and wmin(a, x) /
 *                     wmax(a, x) returning x when it is NaN
 *   cw_narrow         4-float vector: nload, nstore, nadd, nfma, nbcast, nzero,
 *                     used for the 4-float tail when CW_W is 8 (else the
 *                     same as cw_wide); wlow gives the low 4 floats of a
 *                     wide vector, wwiden a narrow one with zeros above
 * Loads and stores are at 16-byte aligned addresses (every block is a
 * multiple of 4 floats in a 64-byte aligned allocation).
 */
#include <math.h>
#include <string.h>

#include "infer.h"
#include "kernels.h"

/* tanh on a vector: the clamp and 13/6 rational of kernels.h. The clamp
 * keeps x as min/max's second operand so a NaN passes through to the
 * state's NaN guard. The polynomials go by Estrin's scheme (x^2, x^4, x^8
 * and independent pairs) rather than Horner's: a step waits on each ticking
 * module's tanh, so its dependency chain is what costs. */
static CW_ALWAYS_INLINE cw_wide
cw_tanh(cw_wide x)
{
	x = wmax(wbcast(-CW_TANH_CLAMP), wmin(wbcast(CW_TANH_CLAMP), x));
	cw_wide y = wmul(x, x), y2 = wmul(y, y), y4 = wmul(y2, y2);
	const float *P = CW_TANH_P, *Q = CW_TANH_Q;
	cw_wide e0 = wfma(wbcast(P[5]), y, wbcast(P[6]));
	cw_wide e1 = wfma(wbcast(P[3]), y, wbcast(P[4]));
	cw_wide e2 = wfma(wbcast(P[1]), y, wbcast(P[2]));
	cw_wide p = wfma(wfma(wbcast(P[0]), y2, e2), y4, wfma(e1, y2, e0));
	cw_wide q = wfma(wfma(wbcast(Q[0]), y, wbcast(Q[1])), y2, wfma(wbcast(Q[2]), y, wbcast(Q[3])));
	return wdiv(wmul(p, x), q);
}

/* The 4-float tail's tanh: the wide one on zeros above (tanh 0 = 0). */
static CW_ALWAYS_INLINE cw_narrow
cw_tanh_narrow(cw_narrow x)
{
	return wlow(cw_tanh(wwiden(x)));
}

/* Module i's new hidden values from its bias, its input and acc[i] (what
 * it and every slower module pushed from h(t-1)). */
static CW_ALWAYS_INLINE void
module_update(const cw_module *mod, const float *x, int m)
{
	int kp = mod->kp;
	const float *b = mod->bias, *w = mod->w_in, *acc = mod->acc_in;
	float *h = mod->h;
	int r = 0;
	for (; r + CW_W <= kp; r += CW_W) {
		cw_wide a = wadd(wload(b + r), wload(acc + r));
		for (int c = 0; c < m; c++)
			a = wfma(wload(w + (size_t)c * (size_t)kp + (size_t)r), wbcast(x[c]), a);
		wstore(h + r, cw_tanh(a));
	}
	if (CW_W > 4 && r < kp) {
		cw_narrow a = nadd(nload(b + r), nload(acc + r));
		for (int c = 0; c < m; c++)
			a = nfma(nload(w + (size_t)c * (size_t)kp + (size_t)r), nbcast(x[c]), a);
		nstore(h + r, cw_tanh_narrow(a));
	}
}

/* dst = src + w h over nw wide vectors (+ one narrow one) of rows,
 * accumulated in registers over the k columns. nw and narrow are constants
 * at every call, so the loops unroll. */
static CW_ALWAYS_INLINE void
push_rows(float *dst, const float *src, const float *w, size_t stride, const float *h, int k,
          const int nw, const int narrow)
{
	cw_wide a[4];
	cw_narrow t = narrow ? nload(src + nw * CW_W) : nzero();
CW_UNROLL
	for (int v = 0; v < nw; v++)
		a[v] = wload(src + v * CW_W);
	for (int u = 0; u < k; u++) {
		const float *col = w + (size_t)u * stride;
		cw_wide hu = wbcast(h[u]);
CW_UNROLL
		for (int v = 0; v < nw; v++)
			a[v] = wfma(wload(col + v * CW_W), hu, a[v]);
		if (narrow)
			t = nfma(nload(col + nw * CW_W), wlow(hu), t);
	}
CW_UNROLL
	for (int v = 0; v < nw; v++)
		wstore(dst + v * CW_W, a[v]);
	if (narrow)
		nstore(dst + nw * CW_W, t);
}

/* acc[i] = acc[i+1] + w_push[i] h_i: whole chunks of four wide vectors, then
 * the rest (up to four wide vectors and a 4-float tail) in one pass. */
static CW_ALWAYS_INLINE void
module_push(const cw_module *mod)
{
	int k = mod->k;
	size_t stride = (size_t)mod->rows;
	const float *w = mod->w_push, *h = mod->h, *src = mod->src;
	float *dst = mod->dst;
	for (int c = 0; c < mod->chunks; c++, dst += 4 * CW_W, src += 4 * CW_W, w += 4 * CW_W)
		push_rows(dst, src, w, stride, h, k, 4, 0);
	switch (mod->rest) {
	case 1: push_rows(dst, src, w, stride, h, k, 0, 1); break;
	case 2: push_rows(dst, src, w, stride, h, k, 1, 0); break;
	case 3: push_rows(dst, src, w, stride, h, k, 1, 1); break;
	case 4: push_rows(dst, src, w, stride, h, k, 2, 0); break;
	case 5: push_rows(dst, src, w, stride, h, k, 2, 1); break;
	case 6: push_rows(dst, src, w, stride, h, k, 3, 0); break;
	case 7: push_rows(dst, src, w, stride, h, k, 3, 1); break;
	case 8: push_rows(dst, src, w, stride, h, k, 4, 0); break;
	case 9: push_rows(dst, src, w, stride, h, k, 4, 1); break;
	default: break;
	}
}

static CW_ALWAYS_INLINE void
module_tick(cwrnn_state *s, int i)
{
	module_update(&s->mod[i], s->x, s->m);
	module_push(&s->mod[i]);
}

/* Maps the input into s->x (audio scaled, controls onto 0..1); returns 0
 * if any value is NaN or infinite (then the network sees zeros instead). */
static CW_ALWAYS_INLINE int
load_input(cwrnn_state *s, const float *in)
{
	int m = s->m, audio = s->audio, ok = 1;
	float scale = s->in_scale;
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

/* y = out_scale * (b_O + W_O h) (+ the audio input); W_O h is acc[0]'s
 * first rows. */
static CW_ALWAYS_INLINE void
write_output(cwrnn_state *s, const float *in, int input_ok, float *out)
{
	int bad = 0, skip = s->skip && input_ok;
	const float *acc = s->acc[0];
	if (s->p == 1) {
		float y = (s->b_out[0] + acc[0]) * s->out_scale + (skip ? in[0] : 0.0f);
		bad = !isfinite(y);
		out[0] = y;
	} else {
		for (int o = 0; o < s->p; o++) {
			float y = (s->b_out[o] + acc[o]) * s->out_scale + (skip ? in[o] : 0.0f);
			bad |= !isfinite(y);
			out[o] = y;
		}
	}
	if (bad)
		cw_state_guard_output(s, in, input_ok, out);
}

/* One step: the modules that tick (due), slow to fast, each updated from
 * its old acc and then pushed; every acc below the slowest one that ticked
 * is rebuilt. With power-of-two periods the ticking modules are a prefix. */
static CW_ALWAYS_INLINE void
step_one(cwrnn_state *s, const float *in, float *out)
{
	int input_ok = s->m ? load_input(s, in) : 1;
	if (!input_ok) {
		s->nonfinite_events++;
		cw_state_zero_hidden(s);
	}
	uint64_t t = s->t;
	if (s->pow2) {
		for (int j = s->prefix[cw_ctz64(t + s->phase)] - 1; j >= 0; j--)
			module_tick(s, j);
	} else if (t == s->next_event) {
		uint32_t due = cw_clock_due(s);
		for (int j = 31 - cw_clz32(due); j >= 0; j--) {
			if (due >> j & 1)
				module_update(&s->mod[j], s->x, s->m);
			module_push(&s->mod[j]);
		}
	}
	write_output(s, in, input_ok, out);
	s->t = t + 1;
}

static inline void
cw_run_body(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	size_t m = (size_t)s->m, p = (size_t)s->p;
	for (size_t f = 0; f < frames; f++)
		step_one(s, in ? in + f * m : NULL, out + f * p);
}
