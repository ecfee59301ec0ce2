/* The small text files that list recordings (a pairs file, an instrument's
 * notes manifest; read whole with cw_read_file): file names in them are
 * relative to the list's own directory. */
#ifndef TRAINER_LISTFILE_H
#define TRAINER_LISTFILE_H

#include <stddef.h>

/* name (len bytes, not terminated) relative to list's directory, unless it
 * is absolute; malloc'ed, NULL when out of memory. */
char *listfile_resolve(const char *list, const char *name, size_t len);

#endif
