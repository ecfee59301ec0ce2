/*
 * Writing a file so that its path names either the old file or the complete
 * new one, never a torn one, whatever happens (full disk, SIGKILL, power
 * loss). Engine-internal (cw_ names, not exported by a shared libcwrnn): the
 * engine's model save, the trainer's checkpoints, reports and WAVs, and the
 * demo's SVGs all write through it.
 *
 * The data goes to a temporary file beside the destination (same directory,
 * so the rename cannot cross file systems), named PATH.tmp.XXXXXXXXXXXX,
 * created 0666 less the user's umask; it is synced, renamed over PATH, and the directory is synced so the
 * rename is durable too. A destination that exists and is neither a regular
 * file nor a symbolic link is refused before anything is written: renaming
 * over /dev/full or a FIFO would replace the node itself (as root) or fail
 * after all the work. On any failure the temporary file is removed.
 */
#ifndef CW_ATOMIC_FILE_H
#define CW_ATOMIC_FILE_H

#include <stddef.h>

typedef struct {
	char *tmp;  /* the temporary file's path, owned; NULL when none is open */
	int fd;     /* open for writing */
} cw_atomic_file;

/* Refuses a destination that is a directory, device, pipe or socket.
 * Returns 0 or -1 with "cannot write 'PATH': why" in msg. */
int cw_atomic_check_destination(const char *path, char *msg, size_t msg_len);

/* Checks the destination and creates the temporary file (f->fd). Returns 0,
 * or -1 with msg (and nothing left behind). */
int cw_atomic_open(cw_atomic_file *f, const char *path, char *msg, size_t msg_len);

/* Syncs and closes f->fd, renames the temporary file over path and syncs
 * the directory. Returns 0, or -1 with msg and the temporary file removed
 * (path untouched). Either way f is finished. */
int cw_atomic_commit(cw_atomic_file *f, const char *path, char *msg, size_t msg_len);

/* Gives up: closes and removes the temporary file; path is untouched. Safe
 * on a finished or zeroed f. */
void cw_atomic_abandon(cw_atomic_file *f);

/* The whole thing for data already in memory. Returns 0 or -1 with msg. */
int cw_write_atomically(const char *path, const void *data, size_t size, char *msg,
                        size_t msg_len);

#endif
