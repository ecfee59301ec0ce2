/* Check suites of the plugin test runner. */
#ifndef TH_SUITES_H
#define TH_SUITES_H

#include <check.h>

Suite *resample_suite(void);
Suite *abuse_suite(void);
Suite *hosts_suite(void);

#endif
