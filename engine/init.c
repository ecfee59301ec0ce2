/* Parameter initialisation: Gaussian weights, zero biases, seeded. */
#include "cwrnn.h"

#include <math.h>
#include <string.h>

#include "util.h"

static void
fill_normal(double *w, size_t count, double sigma, cw_rng *rng)
{
	for (size_t i = 0; i < count; i++)
		w[i] = sigma * cw_rng_normal(rng);
}

/* sigma > 0: the paper's N(0, sigma) everywhere; otherwise 1/sqrt(fan_in),
 * which keeps pre-activations near unit scale whatever the module sizes. */
static double
pick_sigma(double sigma, int fan_in)
{
	return sigma > 0.0 ? sigma : 1.0 / sqrt(fan_in > 0 ? fan_in : 1);
}

void
cwrnn_params_init(const cwrnn_config *cfg, double *params, double sigma, uint64_t seed)
{
	cwrnn_layout L;
	cwrnn_layout_of(cfg, &L);
	cw_rng rng = {seed};
	memset(params, 0, L.n_params * sizeof *params);
	for (int i = 0; i < cfg->n_modules; i++) {
		size_t k = (size_t)cfg->sizes[i], cols = (size_t)(L.n - L.unit_offset[i]);
		size_t m = (size_t)cfg->n_inputs;
		double s = pick_sigma(sigma, (int)(cols + m));
		fill_normal(params + L.w_h[i], k * cols, s, &rng);
		fill_normal(params + L.w_i[i], k * m, s, &rng);
	}
	fill_normal(params + L.w_o, (size_t)cfg->n_outputs * (size_t)L.n, pick_sigma(sigma, L.n), &rng);
}
