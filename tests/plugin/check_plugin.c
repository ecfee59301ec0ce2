/*
 * The plugin tests through lilv (the project's host, tools/lv2host, with the
 * heap guard of heap.h): suite "plugin", one file per test case theme
 * (check_bundle.c, check_models.c, check_state.c, check_controls.c,
 * check_generators.c, check_rates.c, check_knobs.c), then the resampler and the abuse
 * suites. Needs LV2_PATH pointing at build/lv2 (make check-plugin sets it).
 */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	Suite *s = suite_create("plugin");
	bundle_tcases(s);
	models_tcases(s);
	state_tcases(s);
	controls_tcases(s);
	generators_tcases(s);
	rates_tcases(s);
	knobs_tcases(s);
	SRunner *sr = srunner_create(s);
	srunner_add_suite(sr, resample_suite());
	srunner_add_suite(sr, abuse_suite());
	srunner_add_suite(sr, hosts_suite());
	srunner_add_suite(sr, instrument_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
