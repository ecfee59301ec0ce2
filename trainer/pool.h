/* A fixed set of worker threads that run one job on every thread index and
 * wait for all of them: the caller's thread is index 0. */
#ifndef TRAINER_POOL_H
#define TRAINER_POOL_H

typedef void (*pool_job)(void *ctx, int index);
typedef struct pool pool;

/* Starts n - 1 threads (n >= 1). Returns NULL on failure. */
pool *pool_new(int n);

/* Runs job(ctx, i) for i = 0..n-1 concurrently and returns when all are
 * done. Only one thread may call it at a time. */
void pool_run(pool *p, pool_job job, void *ctx);

void pool_free(pool *p);

#endif
