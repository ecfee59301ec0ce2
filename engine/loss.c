/* Losses on pre-emphasised errors: MSE and error-to-signal ratio (ESR). */
#include "cwrnn.h"

#include <stddef.h>

/* Index of output o of sequence s at step t in a (steps, B, p) array. */
static size_t
at(int t, int s, int o, int batch, int outputs)
{
	return ((size_t)t * (size_t)batch + (size_t)s) * (size_t)outputs + (size_t)o;
}

double
cwrnn_loss_scale(cwrnn_loss_kind kind, const double *target, int steps, int batch, int outputs,
                 int warmup, double preemph)
{
	if (warmup < 0)
		warmup = 0;
	if (steps <= warmup)
		return 0.0;
	if (kind == CWRNN_LOSS_MSE)
		return 1.0 / ((double)(steps - warmup) * batch * outputs);
	double energy = 0.0;
	for (int s = 0; s < batch; s++)
		for (int o = 0; o < outputs; o++) {
			double prev = 0.0;
			for (int t = warmup; t < steps; t++) {
				double v = target[at(t, s, o, batch, outputs)];
				double filtered = v - preemph * prev;
				energy += filtered * filtered;
				prev = v;
			}
		}
	/* A silent target has no defined ESR; the trainer refuses it earlier.
	 * The floor only keeps this function finite. */
	return 1.0 / (energy > 1e-20 ? energy : 1e-20);
}

double
cwrnn_loss(const double *y, const double *target, double *dy, int steps, int batch, int outputs,
           int warmup, double preemph, double scale)
{
	double loss = 0.0;
	if (warmup < 0)
		warmup = 0;
	for (int s = 0; s < batch; s++)
		for (int o = 0; o < outputs; o++) {
			/* First pass: dy holds the filtered error e'(t). */
			double prev = 0.0;
			for (int t = 0; t < steps; t++) {
				size_t i = at(t, s, o, batch, outputs);
				if (t < warmup) {
					dy[i] = 0.0;
					continue;
				}
				double e = y[i] - target[i];
				dy[i] = e - preemph * prev;
				prev = e;
				loss += dy[i] * dy[i];
			}
			/* Second pass: dL/de(t) = 2 scale (e'(t) - a e'(t+1)). */
			for (int t = warmup; t < steps; t++) {
				size_t i = at(t, s, o, batch, outputs);
				double next = t + 1 < steps ? dy[at(t + 1, s, o, batch, outputs)] : 0.0;
				dy[i] = 2.0 * scale * (dy[i] - preemph * next);
			}
		}
	return scale * loss;
}
