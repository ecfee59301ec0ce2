/* How the plugin tests open the project's lilv host (tools/lv2host):
 * allocated, asserted open, with the heap counter (heap.h) installed as its
 * real-time guard, so that host_free fails the test if run() or a worker
 * response touched the heap. */
#ifndef TH_HOST_H
#define TH_HOST_H

#include "lv2host.h"

/* Opens uri at rate with options (LH_*), or fails the test. */
lh_host *host_open(const char *uri, double rate, int options);

/* Closes and frees h, then fails the test if any guarded call used the heap. */
void host_free(lh_host *h);

#endif
