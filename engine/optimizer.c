/* Optimizers over flat parameter arrays: Adam, and SGD with Nesterov
 * momentum (the paper's), plus gradient-norm clipping. */
#include "cwrnn.h"

#include <math.h>
#include <stdlib.h>

double
cwrnn_clip_grad_norm(double *grad, size_t n, double max_norm)
{
	double sq = 0.0;
	for (size_t i = 0; i < n; i++)
		sq += grad[i] * grad[i];
	double norm = sqrt(sq);
	if (max_norm > 0.0 && norm > max_norm) {
		double f = max_norm / norm;
		for (size_t i = 0; i < n; i++)
			grad[i] *= f;
	}
	return norm;
}

int
cwrnn_optimizer_init(cwrnn_optimizer *opt, cwrnn_optimizer_kind kind, size_t n, double lr)
{
	*opt = (cwrnn_optimizer){
		.kind = kind, .lr = lr, .momentum = 0.95, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .n = n,
	};
	opt->m = calloc(n ? n : 1, sizeof *opt->m);
	opt->v = calloc(n ? n : 1, sizeof *opt->v);
	if (!opt->m || !opt->v) {
		cwrnn_optimizer_free(opt);
		return -1;
	}
	return 0;
}

void
cwrnn_optimizer_free(cwrnn_optimizer *opt)
{
	free(opt->m);
	free(opt->v);
	opt->m = opt->v = NULL;
}

/* PyTorch's form of Nesterov: v = mu v + g; p -= lr (g + mu v). */
static void
nesterov_step(cwrnn_optimizer *opt, double *params, const double *grad)
{
	double mu = opt->momentum;
	for (size_t i = 0; i < opt->n; i++) {
		opt->m[i] = mu * opt->m[i] + grad[i];
		params[i] -= opt->lr * (grad[i] + mu * opt->m[i]);
	}
}

static void
adam_step(cwrnn_optimizer *opt, double *params, const double *grad)
{
	double b1 = opt->beta1, b2 = opt->beta2;
	double c1 = 1.0 - pow(b1, (double)opt->steps), c2 = 1.0 - pow(b2, (double)opt->steps);
	double step = opt->lr * sqrt(c2) / c1;
	for (size_t i = 0; i < opt->n; i++) {
		opt->m[i] = b1 * opt->m[i] + (1.0 - b1) * grad[i];
		opt->v[i] = b2 * opt->v[i] + (1.0 - b2) * grad[i] * grad[i];
		params[i] -= step * opt->m[i] / (sqrt(opt->v[i]) + opt->eps * sqrt(c2));
	}
}

void
cwrnn_optimizer_step(cwrnn_optimizer *opt, double *params, const double *grad)
{
	opt->steps++;
	if (opt->kind == CWRNN_OPT_ADAM)
		adam_step(opt, params, grad);
	else
		nesterov_step(opt, params, grad);
}
