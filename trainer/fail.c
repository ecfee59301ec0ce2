/* One-line error messages. */
#include "fail.h"

#include <stdarg.h>
#include <stdio.h>

int
tr_fail(char *msg, size_t msg_len, const char *fmt, ...)
{
	if (msg && msg_len > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, msg_len, fmt, ap);
		va_end(ap);
	}
	return -1;
}
