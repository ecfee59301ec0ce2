/* The plugin test runner's parts (check_plugin.c runs them): the test cases
 * of the "plugin" suite, one file each, and the other suites. */
#ifndef TH_SUITES_H
#define TH_SUITES_H

#include <check.h>

void bundle_tcases(Suite *s);     /* check_bundle.c */
void models_tcases(Suite *s);     /* check_models.c */
void state_tcases(Suite *s);      /* check_state.c */
void controls_tcases(Suite *s);   /* check_controls.c */
void generators_tcases(Suite *s); /* check_generators.c */
void rates_tcases(Suite *s);      /* check_rates.c */
void knobs_tcases(Suite *s);      /* check_knobs.c */

Suite *resample_suite(void);
Suite *abuse_suite(void);
Suite *hosts_suite(void);
Suite *instrument_suite(void); /* check_instrument.c */

#endif
