/*
 * Inference internals shared by state.c (allocation, packing, clock) and the
 * kernel files (one per instruction set). Engine-internal.
 *
 * The packed layout, built once in cwrnn_state_new. Module i has k_i units,
 * padded to kp_i = k_i rounded up to 4 floats (one SSE vector; AVX2 works in
 * 8s with a 4-float tail), so every block starts on a vector. "Rows" are the
 * p outputs (padded to pp) followed by every module's units:
 *
 *   row 0 .. pp-1          the outputs
 *   row pp + roff[i] + r   unit r of module i
 *
 *   hp                 (np) padded hidden state, module i at roff[i]
 *   bias[i]            (kp_i)
 *   w_in[i]            (m, kp_i) column-major: W_I[i][:, c] at c * kp_i
 *   w_push[j]          (k_j, R_j) column-major, R_j = pp + roff[j+1]: column u
 *                      is W_O[:, unit u of j] then W_H[i][j][:, u] for every
 *                      module i <= j (the rows that read module j)
 *   acc[j]             (R_j) Σ_{j' >= j} w_push[j'] h_j' over rows < R_j;
 *                      acc[g] is zeros
 *
 * So acc[i]'s rows of module i are exactly Σ_{j >= i} W_H[i][j] h_j, its
 * input from itself and every slower module, and acc[0]'s first rows are
 * W_O h. When module j ticks, acc[j] = acc[j+1] + w_push[j] h_j is one run of
 * whole-vector multiply-adds that starts from acc[j+1]: a slow module pushes
 * its contribution to the faster modules and the output when it ticks, and
 * nothing is cached, stamped or summed over inactive modules. Modules run
 * slow to fast: module i reads its old acc[i] before it is rebuilt, and every
 * acc below the slowest module that ticked is rebuilt (with the periods
 * powers of two, as models have them, those modules all tick anyway).
 */
#ifndef CWRNN_INFER_H
#define CWRNN_INFER_H

#include <stddef.h>
#include <stdint.h>

#include "cwrnn.h"

#if defined(__GNUC__)
#define CW_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CW_ALWAYS_INLINE inline
#endif

/* Fully unrolls the loop that follows over a handful of vectors, so their
 * accumulators stay in registers. */
#if defined(__clang__)
#define CW_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define CW_UNROLL _Pragma("GCC unroll 8")
#else
#define CW_UNROLL
#endif

/* Runs frames samples (in: frames x m, out: frames x p); one per ISA. */
typedef void cw_run_fn(cwrnn_state *s, const float *in, float *out, size_t frames);

/* Everything one module's tick touches, resolved at creation (infer.h's
 * layout), so a tick starts without address arithmetic. */
typedef struct {
	const float *bias, *w_in, *acc_in; /* acc_in: acc[i]'s rows of module i */
	float *h;                          /* hp + roff[i] */
	const float *w_push, *src;         /* w_push[i], acc[i+1] */
	float *dst;                        /* acc[i] */
	int k, kp, rows;                   /* rows = pp + roff[i+1] */
	int chunks;                        /* push: whole chunks of 4 wide vectors... */
	int rest;                          /* ...then rest wide vectors * 2 + a 4-float tail */
} cw_module;

struct cwrnn_state {
	const cwrnn_model *model;
	cw_run_fn *run;                         /* the kernel chosen at creation */
	const char *isa;                        /* its name */
	int g, m, p, pp, audio, skip;           /* pp = p padded to 4; audio = m - n_controls */
	float in_scale, out_scale;
	uint64_t t;                             /* index of the next step */
	uint64_t nonfinite_events;

	/* The clock (DESIGN.md §1: i ticks when (t + phase) mod T_i == 0). When
	 * every period is a power of two and they do not decrease, the active
	 * modules are the prefix prefix[ctz(t + phase)] (ctz of 0 taken as 64);
	 * otherwise next_tick says when each module ticks and next_event is the
	 * earliest, so steps where nothing ticks cost nothing. */
	uint32_t phase;
	int pow2;
	uint8_t prefix[65];
	uint64_t next_event;
	uint64_t next_tick[CWRNN_MAX_MODULES];
	uint32_t override[CWRNN_MAX_MODULES];   /* 0 = the model's period */
	uint32_t period[CWRNN_MAX_MODULES];     /* effective period */

	cw_module mod[CWRNN_MAX_MODULES];
	int k[CWRNN_MAX_MODULES], kp[CWRNN_MAX_MODULES];
	int roff[CWRNN_MAX_MODULES + 1];        /* roff[g] = np */
	const float *bias[CWRNN_MAX_MODULES];
	const float *w_in[CWRNN_MAX_MODULES];
	const float *w_push[CWRNN_MAX_MODULES];
	float *acc[CWRNN_MAX_MODULES + 1];
	const float *b_out;                     /* (pp) */
	float *hp;                              /* (np) */
	size_t dyn_floats;                      /* hp and every acc[j], contiguous from hp */
	float *x;                               /* (m) input as the network sees it */
	float *h_view;                          /* (n) unpadded copy for cwrnn_state_hidden */
	float control_gain[CWRNN_MAX_CONTROLS]; /* cwrnn_input_affine of each control */
	float control_offset[CWRNN_MAX_CONTROLS];
	void *mem;                              /* one aligned block holding all of the above */
};

/* state.c, called by the kernels (rarely: on clock events and bad numbers). */
void cw_state_zero_hidden(cwrnn_state *s);
uint32_t cw_clock_due(cwrnn_state *s);
void cw_state_guard_output(cwrnn_state *s, const float *in, int input_ok, float *out);

/* The kernels. Each file defines its own only on the architectures it
 * builds for; dispatch.c knows which exist and picks one. */
void cw_run_generic(cwrnn_state *s, const float *in, float *out, size_t frames);
#if defined(__x86_64__)
void cw_run_sse2(cwrnn_state *s, const float *in, float *out, size_t frames);
void cw_run_avx2(cwrnn_state *s, const float *in, float *out, size_t frames);
#endif

/* A kernel: its name, its step, the floats in its wide vector. */
typedef struct {
	const char *name;
	cw_run_fn *run;
	int lanes;
} cw_kernel;

/* dispatch.c: the kernel for a new state. forced names one
 * (generic|sse2|avx2|avx512, from CWRNN_ISA); NULL, unknown or unsupported
 * by this CPU picks the best this CPU runs. */
cw_kernel cw_select_kernel(const char *forced);

static inline int
cw_ctz64(uint64_t v)
{
#if defined(__GNUC__)
	return v ? __builtin_ctzll(v) : 64;
#else
	int z = 0;
	if (!v)
		return 64;
	while (!(v & 1)) {
		v >>= 1;
		z++;
	}
	return z;
#endif
}

/* Leading zeros of a non-zero 32-bit value. */
static inline int
cw_clz32(uint32_t v)
{
#if defined(__GNUC__)
	return __builtin_clz(v);
#else
	int z = 0;
	while (!(v & 0x80000000u)) {
		v <<= 1;
		z++;
	}
	return z;
#endif
}

#endif
