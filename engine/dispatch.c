/* The one place that chooses an inference kernel: once per state, in
 * cwrnn_state_new, from what this CPU runs (and CWRNN_ISA, which forces a
 * path so tests and benchmarks can cover each). No AVX-512 kernel: modules
 * of 4..16 units fill at most one or two 16-float vectors, and no machine we
 * test on has AVX-512 to show it pays; CWRNN_ISA=avx512 takes the best path
 * there is. */
#include <string.h>

#include "infer.h"

cw_kernel
cw_select_kernel(const char *forced)
{
	const cw_kernel generic = {"generic", cw_run_generic, 4};
	if (forced && strcmp(forced, "generic") == 0)
		return generic;
#if defined(__x86_64__)
	const cw_kernel sse2 = {"sse2", cw_run_sse2, 4}, avx2 = {"avx2", cw_run_avx2, 8};
	__builtin_cpu_init();
	int has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	if ((forced && strcmp(forced, "sse2") == 0) || !has_avx2)
		return sse2;
	return avx2;
#else
	return generic;
#endif
}
