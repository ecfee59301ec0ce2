/* Models and data for the engine tests. */
#ifndef CWRNN_TEST_FIXTURES_H
#define CWRNN_TEST_FIXTURES_H

#include "cwrnn.h"

/* A config with the given module sizes and periods. */
cwrnn_config fixture_config(int g, const int *sizes, const uint32_t *periods, int m, int p);

/* A model with N(0, sigma) weights, biases too, from a seed. */
cwrnn_model *fixture_model(const cwrnn_config *cfg, double sigma, uint64_t seed);

/* Deterministic uniform values in [-amp, amp). */
void fixture_fill(float *v, size_t n, float amp, uint64_t seed);
void fixture_fill_double(double *v, size_t n, double amp, uint64_t seed);

#endif
