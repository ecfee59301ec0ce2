/* One network step for a caller that has already set flush-to-zero
 * (denormal.h) around its own block, as the plugin's run() does: the same
 * arithmetic as cwrnn_step, without saving and restoring the floating-point
 * environment at every step. Engine-internal: linked from libcwrnn.a, not
 * exported from libcwrnn.so (cwrnn.map exports only cwrnn_*). Outside flush-
 * to-zero it still runs, but may differ from cwrnn_step on subnormals. */
#ifndef CWRNN_STEP_FTZ_H
#define CWRNN_STEP_FTZ_H

#include "cwrnn.h"

/* [RT] One step of state: n_inputs from in, n_outputs to out. */
void cw_step_ftz(cwrnn_state *state, const float *in, float *out);

#endif
