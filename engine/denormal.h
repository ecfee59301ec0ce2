/* Flush-to-zero and denormals-are-zero around a block of audio work, so a
 * decaying state can never fall into slow subnormal arithmetic. Not part
 * of the public API: the engine's block calls and the plugin's run() (the
 * one place each sets it). On x86 this sets MXCSR, on aarch64 FPCR.FZ (one
 * instruction, no system call). Elsewhere it changes nothing. */
#ifndef CWRNN_DENORMAL_H
#define CWRNN_DENORMAL_H

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>

typedef unsigned int cw_denormal_state;

static inline cw_denormal_state
cw_denormals_off(void)
{
	unsigned int saved = _mm_getcsr();
	_mm_setcsr(saved | 0x8040u); /* FTZ (bit 15) | DAZ (bit 6) */
	return saved;
}

static inline void
cw_denormals_restore(cw_denormal_state saved)
{
	_mm_setcsr(saved);
}
#elif defined(__aarch64__)
/* GCC's FPCR builtins (the upper 32 bits of FPCR are reserved) */
typedef unsigned int cw_denormal_state;

static inline cw_denormal_state
cw_denormals_off(void)
{
	unsigned int saved = __builtin_aarch64_get_fpcr();
	__builtin_aarch64_set_fpcr(saved | (1u << 24)); /* FZ */
	return saved;
}

static inline void
cw_denormals_restore(cw_denormal_state saved)
{
	__builtin_aarch64_set_fpcr(saved);
}
#else
typedef int cw_denormal_state;

static inline cw_denormal_state
cw_denormals_off(void)
{
	return 0;
}

static inline void
cw_denormals_restore(cw_denormal_state saved)
{
	(void)saved;
}
#endif

#endif
