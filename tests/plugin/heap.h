/* Counts heap calls made while th_heap_guard is raised (around run() and
 * work_response()). The test binary defines malloc and friends, forwarding
 * to glibc's __libc_* entry points, the approach of hosts/rtcheck.c. */
#ifndef TH_HEAP_H
#define TH_HEAP_H

/* Raise (1) or lower (0) the guard on this thread. */
void th_heap_guard(int on);

/* Heap calls seen while the guard was raised, since the process started. */
long th_heap_violations(void);

/* Forgets the calls counted so far: for the test that makes some on purpose,
 * when every test runs in one process (CK_FORK=no, make valgrind). */
void th_heap_reset(void);

/* 1 if the hooks are compiled in (not under SANITIZE=1). */
int th_heap_hooked(void);

#endif
