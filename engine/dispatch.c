/* The one place that chooses an inference kernel: once per state, in
 * cwrnn_state_new, from what this CPU runs (and CWRNN_ISA, which forces a
 * path so tests and benchmarks can cover each). No AVX-512 kernel: modules
 * of 4..16 units fill at most one or two 16-float vectors, and no machine we
 * test on has AVX-512 to show it pays; CWRNN_ISA=avx512 takes the best path
 * there is. */
#include <string.h>

#include "infer.h"

cw_run_fn *
cw_select_kernel(const char *forced, const char **name)
{
	if (!forced)
		forced = "";
	if (strcmp(forced, "generic") == 0) {
		*name = "generic";
		return cw_run_generic;
	}
#if defined(__x86_64__)
	__builtin_cpu_init();
	int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	if (strcmp(forced, "sse2") == 0 || !avx2) {
		*name = "sse2";
		return cw_run_sse2;
	}
	*name = "avx2";
	return cw_run_avx2;
#else
	*name = "generic";
	return cw_run_generic;
#endif
}
