/* The plugin tests' guarded host (see host.h). */
#include "host.h"

#include <check.h>
#include <stdlib.h>

#include "heap.h"

lh_host *
host_open(const char *uri, double rate, int options)
{
	lh_host *h = calloc(1, sizeof *h);
	ck_assert_ptr_nonnull(h);
	char msg[1024];
	ck_assert_msg(lh_open(h, uri, rate, options, msg, sizeof msg) == 0, "%s", msg);
	h->rt_guard = th_heap_guard;
	return h;
}

void
host_free(lh_host *h)
{
	lh_close(h);
	free(h);
	ck_assert_msg(th_heap_violations() == 0, "%ld heap calls inside run()",
	              th_heap_violations());
}
