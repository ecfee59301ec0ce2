/* The portable kernel: plain C over 4-float blocks, for any architecture
 * (the compiler may vectorise it; nothing here depends on it). See
 * infer_step.h for the step and infer.h for the layout. */
typedef struct {
	float v[4];
} cw_v4;

#define CW_W 4
typedef cw_v4 cw_wide;
typedef cw_v4 cw_narrow;

static inline cw_v4
v4_load(const float *p)
{
	cw_v4 r;
	for (int l = 0; l < 4; l++)
		r.v[l] = p[l];
	return r;
}

static inline void
v4_store(float *p, cw_v4 a)
{
	for (int l = 0; l < 4; l++)
		p[l] = a.v[l];
}

static inline cw_v4
v4_add(cw_v4 a, cw_v4 b)
{
	for (int l = 0; l < 4; l++)
		a.v[l] += b.v[l];
	return a;
}

/* a * b + c, rounded twice (no FMA contraction in C11 mode). */
static inline cw_v4
v4_fma(cw_v4 a, cw_v4 b, cw_v4 c)
{
	for (int l = 0; l < 4; l++)
		c.v[l] += a.v[l] * b.v[l];
	return c;
}

static inline cw_v4
v4_bcast(float x)
{
	cw_v4 r = {{x, x, x, x}};
	return r;
}

static inline cw_v4
v4_zero(void)
{
	return v4_bcast(0.0f);
}

static inline cw_v4
v4_mul(cw_v4 a, cw_v4 b)
{
	for (int l = 0; l < 4; l++)
		a.v[l] *= b.v[l];
	return a;
}

static inline cw_v4
v4_div(cw_v4 a, cw_v4 b)
{
	for (int l = 0; l < 4; l++)
		a.v[l] /= b.v[l];
	return a;
}

/* min(a, x) and max(a, x) that return x when it is NaN (the comparison is
 * false), as minps/maxps do. */
static inline cw_v4
v4_min(cw_v4 a, cw_v4 x)
{
	for (int l = 0; l < 4; l++)
		x.v[l] = a.v[l] < x.v[l] ? a.v[l] : x.v[l];
	return x;
}

static inline cw_v4
v4_max(cw_v4 a, cw_v4 x)
{
	for (int l = 0; l < 4; l++)
		x.v[l] = a.v[l] > x.v[l] ? a.v[l] : x.v[l];
	return x;
}

#define wload v4_load
#define wstore v4_store
#define wadd v4_add
#define wfma v4_fma
#define wbcast v4_bcast
#define wzero v4_zero
#define wmul v4_mul
#define wdiv v4_div
#define wmin v4_min
#define wmax v4_max
#define nload v4_load
#define nstore v4_store
#define nadd v4_add
#define nfma v4_fma
#define nbcast v4_bcast
#define nzero v4_zero

#define wlow(v) (v)
#define wwiden(v) (v)

#include "infer_step.h"

void
cw_run_generic(cwrnn_state *s, const float *in, float *out, size_t frames)
{
	cw_run_body(s, in, out, frames);
}
