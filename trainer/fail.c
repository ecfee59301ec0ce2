/* One-line error messages. */
#include "fail.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

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

int
tr_check_destination(const char *path, char *msg, size_t msg_len)
{
	struct stat st;
	if (lstat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		return tr_fail(msg, msg_len, "cannot write '%s': it is a directory; give a file name",
		               path);
	return tr_fail(msg, msg_len, "cannot write '%s': it is not a regular file (a device, pipe "
	               "or socket); give a file name", path);
}
