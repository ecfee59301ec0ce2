/* One-line error messages written into a caller's buffer. */
#ifndef TRAINER_FAIL_H
#define TRAINER_FAIL_H

#include <stddef.h>

/* Writes a printf-style message into msg (if not NULL) and returns -1, so
 * checks read `return tr_fail(msg, len, "...", ...)`. */
int tr_fail(char *msg, size_t msg_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Refuses a destination for an atomic write (temporary file renamed over
 * it) that exists and is neither a regular file nor a symbolic link: renaming
 * over /dev/full or a FIFO would replace the device node itself (as root) or
 * fail after all the work. Returns 0 or -1 with msg. */
int tr_check_destination(const char *path, char *msg, size_t msg_len);

#endif
