/* The trainer's random numbers: splitmix64, one 64-bit word of state, so a
 * checkpoint stores it exactly and a seed replays the same segments. */
#ifndef TRAINER_RNG_H
#define TRAINER_RNG_H

#include <stdint.h>

static inline uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (n >= 1); the modulo bias is about n / 2^64,
 * negligible for any n that fits in memory. */
static inline uint64_t
rng_below(uint64_t *state, uint64_t n)
{
	return rng_next(state) % n;
}

#endif
