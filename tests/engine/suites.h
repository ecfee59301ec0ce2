/* One Check suite per engine part; tests/engine/main.c runs them all. */
#ifndef CWRNN_TEST_SUITES_H
#define CWRNN_TEST_SUITES_H

#include <check.h>

Suite *inference_suite(void);
Suite *gradient_suite(void);
Suite *training_suite(void);
Suite *model_file_suite(void);

#endif
