/* Heap-call counter for the plugin tests (see heap.h). */
#include "heap.h"

#include <stddef.h>

static _Thread_local int guard;
static long violations;

void
th_heap_guard(int on)
{
	guard = on;
}

long
th_heap_violations(void)
{
	return violations;
}

void
th_heap_reset(void)
{
	__atomic_store_n(&violations, 0, __ATOMIC_RELAXED);
}

#ifdef CW_NO_HEAP_HOOK
int
th_heap_hooked(void)
{
	return 0;
}
#else
int
th_heap_hooked(void)
{
	return 1;
}

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

void *malloc(size_t n);
void *calloc(size_t c, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);
void *memalign(size_t a, size_t n);
void *aligned_alloc(size_t a, size_t n);
int posix_memalign(void **r, size_t a, size_t n);

static void
seen(void)
{
	if (guard)
		__atomic_add_fetch(&violations, 1, __ATOMIC_RELAXED);
}

void *
malloc(size_t n)
{
	seen();
	return __libc_malloc(n);
}

void *
calloc(size_t c, size_t n)
{
	seen();
	return __libc_calloc(c, n);
}

void *
realloc(void *p, size_t n)
{
	seen();
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	if (p)
		seen();
	__libc_free(p);
}

void *
memalign(size_t a, size_t n)
{
	seen();
	return __libc_memalign(a, n);
}

void *
aligned_alloc(size_t a, size_t n)
{
	seen();
	return __libc_memalign(a, n);
}

int
posix_memalign(void **r, size_t a, size_t n)
{
	seen();
	void *p = __libc_memalign(a, n);
	if (!p)
		return 12; /* ENOMEM */
	*r = p;
	return 0;
}
#endif
