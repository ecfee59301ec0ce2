/* Runs every engine suite; exit status is the number of failures. */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *runner = srunner_create(inference_suite());
	srunner_add_suite(runner, gradient_suite());
	srunner_add_suite(runner, training_suite());
	srunner_add_suite(runner, model_file_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
