/* Interposes the heap functions of this test binary and counts calls made
 * while counting is on (forwarding to glibc's own entry points). Skipped
 * under AddressSanitizer, which must own malloc itself. */
#include "heap_count.h"

#include <stddef.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
int heap_count_available(void) { return 0; }
void heap_count_start(void) {}
long heap_count_stop(void) { return 0; }
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Thread_local int counting;
static _Thread_local long calls;

int heap_count_available(void) { return 1; }
void heap_count_start(void) { calls = 0; counting = 1; }
long heap_count_stop(void) { counting = 0; return calls; }

static void note(void) { if (counting) calls++; }

void *malloc(size_t n) { note(); return __libc_malloc(n); }
void *calloc(size_t c, size_t n) { note(); return __libc_calloc(c, n); }
void *realloc(void *p, size_t n) { note(); return __libc_realloc(p, n); }
void free(void *p) { note(); __libc_free(p); }
void *aligned_alloc(size_t a, size_t n) { note(); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n)
{
	note();
	*out = __libc_memalign(a, n);
	return *out ? 0 : 12;
}
#endif
