/* One-line error messages written into a caller's buffer. */
#ifndef TRAINER_FAIL_H
#define TRAINER_FAIL_H

#include <stddef.h>

/* Writes a printf-style message into msg (if not NULL) and returns -1, so
 * checks read `return tr_fail(msg, len, "...", ...)`. */
int tr_fail(char *msg, size_t msg_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
