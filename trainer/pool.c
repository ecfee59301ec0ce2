/* Worker threads driven by a generation counter under one mutex. */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
	pool *p;
	int index;
	pthread_t thread;
} worker;

struct pool {
	int n, started;
	pthread_mutex_t lock;
	pthread_cond_t go, done;
	unsigned long generation;
	int pending;
	int quit;
	pool_job job;
	void *ctx;
	worker *workers;  /* (n - 1) */
};

static void *
worker_main(void *arg)
{
	worker *w = arg;
	pool *p = w->p;
	unsigned long seen = 0;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->generation == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->lock);
		if (p->quit)
			break;
		seen = p->generation;
		pool_job job = p->job;
		void *ctx = p->ctx;
		pthread_mutex_unlock(&p->lock);
		job(ctx, w->index);
		pthread_mutex_lock(&p->lock);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

pool *
pool_new(int n)
{
	pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->n = n;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	p->workers = calloc((size_t)(n > 1 ? n - 1 : 1), sizeof *p->workers);
	if (!p->workers) {
		pool_free(p);
		return NULL;
	}
	for (int i = 1; i < n; i++) {
		worker *w = &p->workers[i - 1];
		w->p = p;
		w->index = i;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			pool_free(p);
			return NULL;
		}
		p->started++;
	}
	return p;
}

void
pool_run(pool *p, pool_job job, void *ctx)
{
	pthread_mutex_lock(&p->lock);
	p->job = job;
	p->ctx = ctx;
	p->pending = p->n - 1;
	p->generation++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);
	job(ctx, 0);
	pthread_mutex_lock(&p->lock);
	while (p->pending > 0)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void
pool_free(pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->started; i++)
		pthread_join(p->workers[i].thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p->workers);
	free(p);
}
