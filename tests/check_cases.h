/* What every Check runner shares (tests/engine, tests/trainer, tests/plugin,
 * tools/demo): a test case filled from one list instead of a call per test. */
#ifndef CW_CHECK_CASES_H
#define CW_CHECK_CASES_H

#include <check.h>

/* The NULL-terminated list of tests suite_add_tests takes: TESTS(a, b, c).
 * A macro because only the caller's block can hold the list. */
#define TESTS(...) ((const TTest *const[]){__VA_ARGS__, NULL})

/* Adds the tests to tc in order, then tc to s; returns tc (for loop tests,
 * fixtures and timeouts, which Check reads only when the suite runs). */
static inline TCase *
suite_add_tests(Suite *s, TCase *tc, const TTest *const *tests)
{
	for (; *tests; tests++)
		tcase_add_test(tc, *tests);
	suite_add_tcase(s, tc);
	return tc;
}

#endif
