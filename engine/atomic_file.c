/* Atomic file replacement (see atomic_file.h). */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int
cw_atomic_check_destination(const char *path, char *msg, size_t msg_len)
{
	struct stat st;
	if (lstat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		return cw_fail(msg, msg_len, "cannot write '%s': it is a directory; give a file name",
		               path);
	return cw_fail(msg, msg_len, "cannot write '%s': it is not a regular file (a device, pipe "
	               "or socket); give a file name", path);
}

int
cw_atomic_open(cw_atomic_file *f, const char *path, char *msg, size_t msg_len)
{
	f->tmp = NULL;
	f->fd = -1;
	if (cw_atomic_check_destination(path, msg, msg_len) != 0)
		return -1;
	/* Our own unique name opened O_EXCL with mode 0666, so the kernel applies
	 * the user's umask (mkstemp makes 0600, and a fixed chmod would ignore
	 * it). A clash with another writer's name is retried with the next. */
	static _Atomic unsigned long counter;
	static const char suffix[] = ".tmp.xxxxxxxxxxxx";
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof suffix);
	if (!tmp)
		return cw_fail(msg, msg_len, "cannot write '%s': out of memory", path);
	memcpy(tmp, path, len);
	int fd = -1, err = EEXIST;
	for (int attempt = 0; fd < 0 && err == EEXIST && attempt < 1000; attempt++) {
		unsigned long n = counter++ * 2654435761ul + (unsigned long)getpid() * 40503ul;
		snprintf(tmp + len, sizeof suffix, ".tmp.%012lx", n & 0xFFFFFFFFFFFFul);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		err = fd < 0 ? errno : 0;
	}
	if (fd < 0) {
		free(tmp);
		return cw_fail(msg, msg_len, "cannot write '%s': %s", path, strerror(err));
	}
	f->tmp = tmp;
	f->fd = fd;
	return 0;
}

void
cw_atomic_abandon(cw_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp) {
		unlink(f->tmp);
		free(f->tmp);
	}
	f->tmp = NULL;
	f->fd = -1;
}

/* Makes the rename itself durable. Best effort: the file is complete either
 * way, and some file systems refuse fsync on a directory. */
static void
sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int
cw_atomic_commit(cw_atomic_file *f, const char *path, char *msg, size_t msg_len)
{
	int err = fsync(f->fd) != 0 ? errno : 0;
	if (close(f->fd) != 0 && !err)
		err = errno;
	f->fd = -1;
	if (!err && rename(f->tmp, path) != 0)
		err = errno;
	if (err) {
		cw_atomic_abandon(f);
		return cw_fail(msg, msg_len, "cannot write '%s': %s", path, strerror(err));
	}
	free(f->tmp);
	f->tmp = NULL;
	sync_parent_dir(path);
	return 0;
}

int
cw_write_atomically(const char *path, const void *data, size_t size, char *msg, size_t msg_len)
{
	cw_atomic_file f;
	if (cw_atomic_open(&f, path, msg, msg_len) != 0)
		return -1;
	const unsigned char *p = data;
	while (size > 0) {
		ssize_t n = write(f.fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A short write without errno is a full disk. */
			int err = n < 0 ? errno : ENOSPC;
			cw_atomic_abandon(&f);
			return cw_fail(msg, msg_len, "cannot write '%s': %s", path, strerror(err));
		}
		p += n;
		size -= (size_t)n;
	}
	return cw_atomic_commit(&f, path, msg, msg_len);
}
