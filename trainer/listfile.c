/* Lists of recordings (see listfile.h). */
#include "listfile.h"

#include <stdlib.h>
#include <string.h>

char *
listfile_resolve(const char *list, const char *name, size_t len)
{
	const char *slash = strrchr(list, '/');
	size_t dir = name[0] == '/' || !slash ? 0 : (size_t)(slash - list) + 1;
	char *p = malloc(dir + len + 1);
	if (p) {
		memcpy(p, list, dir);
		memcpy(p + dir, name, len);
		p[dir + len] = '\0';
	}
	return p;
}
