/* Checkpoint files: encode, decode, restore. */
#include "checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "util.h"

static const char MAGIC[8] = {'C', 'W', 'R', 'N', 'N', 'C', 'K', 'P'};
#define CHECKPOINT_MAX_BYTES ((size_t)CWRNN_MAX_PARAMS * 40 + CWRNN_FILE_MAX_BYTES)

/* ---------------------------------------------------------------- writing */

typedef struct {
	unsigned char *data;
	size_t len, cap;
	int failed;
} buffer;

static void
put_bytes(buffer *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *d = realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* v as `bytes` little-endian bytes. */
static void
put_le(buffer *b, uint64_t v, int bytes)
{
	unsigned char le[8];
	for (int i = 0; i < bytes; i++)
		le[i] = (unsigned char)(v >> (8 * i));
	put_bytes(b, le, (size_t)bytes);
}

static void
put_u64(buffer *b, uint64_t v)
{
	put_le(b, v, 8);
}

static void
put_u32(buffer *b, uint32_t v)
{
	put_le(b, v, 4);
}

static void
put_f64(buffer *b, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, 8);
	put_u64(b, bits);
}

static void
put_f64s(buffer *b, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_f64(b, v[i]);
}

int
checkpoint_save(const trainer *t, const char *path, char *msg, size_t msg_len)
{
	cwrnn_model *model = cwrnn_model_new(&t->cfg, msg, msg_len);
	if (!model)
		return -1;
	size_t model_len = 0;
	void *encoded = NULL;
	if (cwrnn_model_from_double(model, t->params) == 0)
		encoded = cwrnn_model_encode(model, &model_len);
	cwrnn_model_free(model);
	if (!encoded)
		return cw_fail(msg, msg_len, "cannot encode the network for '%s' (weights not finite "
		               "or out of memory)", path);
	buffer b = {0};
	put_bytes(&b, MAGIC, sizeof MAGIC);
	put_u32(&b, CHECKPOINT_VERSION);
	put_u32(&b, (uint32_t)t->opt.kind);
	put_u64(&b, (uint64_t)t->epoch);
	put_u64(&b, t->updates);
	put_u64(&b, t->rng);
	put_u64(&b, t->opt.steps);
	put_u64(&b, (uint64_t)(int64_t)t->since_best);
	put_f64(&b, t->s.lr);  /* the run's learning rate (before any annealing) */
	put_f64(&b, t->opt.momentum);
	put_f64(&b, t->opt.beta1);
	put_f64(&b, t->opt.beta2);
	put_f64(&b, t->opt.eps);
	put_f64(&b, t->best_esr);
	put_f64(&b, t->best_nmse);
	put_f64(&b, t->best_epoch);
	put_f64(&b, trainer_seconds(t));
	put_u64(&b, (uint64_t)t->n_params);
	put_u64(&b, (uint64_t)model_len);
	put_bytes(&b, encoded, model_len);
	free(encoded);
	put_f64s(&b, t->params, t->n_params);
	put_f64s(&b, t->best, t->n_params);
	put_f64s(&b, t->opt.m, t->n_params);
	for (size_t i = 0; i < t->n_params; i++)
		put_f64(&b, t->opt.v ? t->opt.v[i] : 0.0);
	put_u64(&b, (uint64_t)t->n_history);
	for (size_t i = 0; i < t->n_history; i++) {
		const train_point *p = &t->history[i];
		put_f64(&b, p->epoch);
		put_f64(&b, p->train_loss);
		put_f64(&b, p->val_esr);
		put_f64(&b, p->val_nmse);
		put_f64(&b, p->seconds);
	}
	int rc;
	if (b.failed) {
		rc = cw_fail(msg, msg_len, "out of memory writing '%s'", path);
	} else {
		put_u32(&b, cwrnn_crc32(0, b.data, b.len));
		rc = b.failed ? cw_fail(msg, msg_len, "out of memory writing '%s'", path)
		              : cw_write_atomically(path, b.data, b.len, msg, msg_len);
	}
	free(b.data);
	return rc;
}

/* ---------------------------------------------------------------- reading */

typedef struct {
	const unsigned char *p;
	size_t left;
	int short_read;
} reader;

static const unsigned char *
take(reader *r, size_t n)
{
	if (r->short_read || n > r->left) {
		r->short_read = 1;
		return NULL;
	}
	const unsigned char *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

/* The next little-endian whole number of `bytes` bytes; 0 past the end. */
static uint64_t
get_le(reader *r, int bytes)
{
	const unsigned char *p = take(r, (size_t)bytes);
	uint64_t v = 0;
	for (int i = 0; p && i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t
get_u64(reader *r)
{
	return get_le(r, 8);
}

static uint32_t
get_u32(reader *r)
{
	return (uint32_t)get_le(r, 4);
}

static double
get_f64(reader *r)
{
	uint64_t bits = get_u64(r);
	double v;
	memcpy(&v, &bits, 8);
	return v;
}

static double *
get_f64s(reader *r, size_t n)
{
	if (n > r->left / 8) {
		r->short_read = 1;
		return NULL;
	}
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = get_f64(r);
	return v;
}

static int
read_file(const char *path, unsigned char **data, size_t *len, char *msg, size_t msg_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cw_fail(msg, msg_len, "cannot open checkpoint '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 ||
	    (uint64_t)st.st_size > CHECKPOINT_MAX_BYTES) {
		fclose(f);
		return cw_fail(msg, msg_len, "'%s' is not a checkpoint (unreadable or too large)", path);
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len ? *len : 1);
	if (!*data || fread(*data, 1, *len, f) != *len) {
		fclose(f);
		free(*data);
		*data = NULL;
		return cw_fail(msg, msg_len, "cannot read checkpoint '%s'", path);
	}
	fclose(f);
	return 0;
}

static int
decode(const unsigned char *data, size_t len, checkpoint *ck, const char *path, char *msg,
       size_t msg_len)
{
	if (len < sizeof MAGIC + 8 || memcmp(data, MAGIC, sizeof MAGIC) != 0)
		return cw_fail(msg, msg_len, "'%s' is not a cwrnn checkpoint", path);
	uint32_t stored = (uint32_t)data[len - 4] | (uint32_t)data[len - 3] << 8 |
	                  (uint32_t)data[len - 2] << 16 | (uint32_t)data[len - 1] << 24;
	if (cwrnn_crc32(0, data, len - 4) != stored)
		return cw_fail(msg, msg_len, "checkpoint '%s' is damaged (checksum mismatch)", path);
	reader r = {data + sizeof MAGIC, len - sizeof MAGIC - 4, 0};
	uint32_t version = get_u32(&r);
	if (version != CHECKPOINT_VERSION)
		return cw_fail(msg, msg_len, "checkpoint '%s' has version %u; this build reads %d", path,
		               version, CHECKPOINT_VERSION);
	uint32_t kind = get_u32(&r);
	ck->opt_kind = kind == CWRNN_OPT_NESTEROV ? CWRNN_OPT_NESTEROV : CWRNN_OPT_ADAM;
	ck->epoch = get_u64(&r);
	ck->updates = get_u64(&r);
	ck->rng = get_u64(&r);
	ck->opt_steps = get_u64(&r);
	ck->since_best = (int64_t)get_u64(&r);
	ck->lr = get_f64(&r);
	ck->momentum = get_f64(&r);
	ck->beta1 = get_f64(&r);
	ck->beta2 = get_f64(&r);
	ck->eps = get_f64(&r);
	ck->best_esr = get_f64(&r);
	ck->best_nmse = get_f64(&r);
	ck->best_epoch = get_f64(&r);
	ck->seconds = get_f64(&r);
	uint64_t n = get_u64(&r), model_len = get_u64(&r);
	if (r.short_read || kind > CWRNN_OPT_NESTEROV || model_len > r.left ||
	    ck->epoch > INT32_MAX || !(ck->lr > 0.0) || ck->since_best < 0)
		return cw_fail(msg, msg_len, "checkpoint '%s' has an invalid header", path);
	char why[256];
	const unsigned char *model = take(&r, (size_t)model_len);
	if (cwrnn_model_load_buffer(model, (size_t)model_len, &ck->model, why, sizeof why) != CWRNN_OK)
		return cw_fail(msg, msg_len, "checkpoint '%s' holds an invalid network: %s", path, why);
	if (n != ck->model->layout.n_params)
		return cw_fail(msg, msg_len, "checkpoint '%s' has %llu weights for a network of %zu",
		               path, (unsigned long long)n, ck->model->layout.n_params);
	ck->n_params = (size_t)n;
	ck->params = get_f64s(&r, ck->n_params);
	ck->best = get_f64s(&r, ck->n_params);
	ck->m = get_f64s(&r, ck->n_params);
	ck->v = get_f64s(&r, ck->n_params);
	uint64_t rows = get_u64(&r);
	if (r.short_read || rows > r.left / 40)
		return cw_fail(msg, msg_len, "checkpoint '%s' is truncated", path);
	ck->n_history = (size_t)rows;
	ck->history = calloc(ck->n_history ? ck->n_history : 1, sizeof *ck->history);
	if (!ck->params || !ck->best || !ck->m || !ck->v || !ck->history)
		return cw_fail(msg, msg_len, "out of memory reading checkpoint '%s'", path);
	for (size_t i = 0; i < ck->n_history; i++) {
		train_point *p = &ck->history[i];
		p->epoch = get_f64(&r);
		p->train_loss = get_f64(&r);
		p->val_esr = get_f64(&r);
		p->val_nmse = get_f64(&r);
		p->seconds = get_f64(&r);
	}
	if (r.short_read || r.left != 0)
		return cw_fail(msg, msg_len, "checkpoint '%s' has the wrong length", path);
	for (size_t i = 0; i < ck->n_params; i++)
		if (!isfinite(ck->params[i]) || !isfinite(ck->best[i]) || !isfinite(ck->m[i]) ||
		    !isfinite(ck->v[i]))
			return cw_fail(msg, msg_len, "checkpoint '%s' holds non-finite numbers", path);
	return 0;
}

int
checkpoint_load(const char *path, checkpoint *ck, char *msg, size_t msg_len)
{
	memset(ck, 0, sizeof *ck);
	unsigned char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len, msg, msg_len) != 0)
		return -1;
	int rc = decode(data, len, ck, path, msg, msg_len);
	free(data);
	if (rc != 0)
		checkpoint_free(ck);
	return rc;
}

void
checkpoint_free(checkpoint *ck)
{
	cwrnn_model_free(ck->model);
	free(ck->params);
	free(ck->best);
	free(ck->m);
	free(ck->v);
	free(ck->history);
	memset(ck, 0, sizeof *ck);
}

int
checkpoint_restore(trainer *t, const checkpoint *ck, char *msg, size_t msg_len)
{
	if (ck->n_params != t->n_params || ck->opt_kind != t->opt.kind)
		return cw_fail(msg, msg_len, "the checkpoint does not match this network");
	size_t bytes = t->n_params * sizeof(double);
	memcpy(t->params, ck->params, bytes);
	memcpy(t->best, ck->best, bytes);
	memcpy(t->opt.m, ck->m, bytes);
	if (t->opt.v)
		memcpy(t->opt.v, ck->v, bytes);
	t->opt.steps = ck->opt_steps;
	t->opt.lr = ck->lr;
	t->opt.momentum = ck->momentum;
	t->opt.beta1 = ck->beta1;
	t->opt.beta2 = ck->beta2;
	t->opt.eps = ck->eps;
	t->epoch = (int)ck->epoch;
	t->updates = ck->updates;
	t->rng = ck->rng;
	t->since_best = (int)ck->since_best;
	t->best_esr = ck->best_esr;
	t->best_nmse = ck->best_nmse;
	t->best_epoch = ck->best_epoch;
	t->seconds_before = ck->seconds;
	t->n_history = 0;
	for (size_t i = 0; i < ck->n_history; i++)
		if (trainer_record(t, &ck->history[i]) != 0)
			return cw_fail(msg, msg_len, "out of memory restoring the learning curve");
	return 0;
}
