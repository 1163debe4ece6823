/*
 * The files of materials on disk (R-MAT-004): <data>/materials/ab/cd/<sha256>, written so that a
 * name, once it exists, stands for whole and durable bytes. The name is the content's hash and
 * nothing a client sent, so a title can never reach a path; two folder levels of 256 keep any
 * one folder small at millions of files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "materials/internal.h"

/* fsync a folder, so that a name made or renamed in it survives a power cut. */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* mkdir that tolerates the folder being there (another upload made it first) and makes a new
 * folder's own name durable in its parent. */
static int make_dir(const char *path, const char *parent)
{
	if (mkdir(path, 0750) == 0)
		return sync_dir(parent);
	return errno == EEXIST ? 0 : -1;
}

static yw_err io_fail(const char *what, const char *sha256)
{
	/* The hash names the file for an operator; nothing about its owner is logged. */
	yw_log(YW_LOG_ERROR, "materials: %s %.12s…: %s", what, sha256, strerror(errno));
	return YW_E_IO;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

yw_err yw_mat_blob_write(yw_arena *a, const char *data_dir, const char *sha256, const void *data,
                         size_t n)
{
	const char *path = yw_mat_blob_path(a, data_dir, sha256);
	const char *root = yw_sprintf(a, "%s/materials", data_dir);
	const char *d1 = yw_sprintf(a, "%s/%.2s", root ? root : "", sha256);
	const char *d2 = yw_sprintf(a, "%s/%.2s", d1 ? d1 : "", sha256 + 2);
	char *tmp = yw_sprintf(a, "%s/.upload-XXXXXX", d2 ? d2 : "");
	if (!path || !root || !d1 || !d2 || !tmp)
		return YW_E_NO_MEMORY;
	if (make_dir(root, data_dir) || make_dir(d1, root) || make_dir(d2, d1))
		return io_fail("mkdir", sha256);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == n) {
		/* Named already: renamed into place whole by an earlier upload. Its folder is synced
		 * again in case that upload is still between its rename and its own sync. */
		return sync_dir(d2) ? io_fail("fsync folder", sha256) : YW_E_OK;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return io_fail("create", sha256);
	if (fchmod(fd, 0640) || write_all(fd, data, n) || fsync(fd)) {
		yw_err e = io_fail("write", sha256);
		close(fd);
		unlink(tmp);
		return e;
	}
	if (close(fd)) {
		yw_err e = io_fail("close", sha256);
		unlink(tmp);
		return e;
	}
	/* rename replaces a damaged file of that name (wrong size) atomically. */
	if (rename(tmp, path)) {
		yw_err e = io_fail("rename", sha256);
		unlink(tmp);
		return e;
	}
	return sync_dir(d2) ? io_fail("fsync folder", sha256) : YW_E_OK;
}

yw_err yw_mat_blob_read(yw_arena *a, const char *data_dir, const char *sha256, long long size,
                        const char **out)
{
	const char *path = yw_mat_blob_path(a, data_dir, sha256);
	if (!path)
		return YW_E_NO_MEMORY;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_fail("open", sha256);
	struct stat st;
	if (fstat(fd, &st) || st.st_size != size || size < 0) {
		close(fd);
		errno = EIO;
		return io_fail("size differs", sha256);
	}
	char *buf = yw_alloc(a, (size_t)size + 1);
	if (!buf) {
		close(fd);
		return YW_E_NO_MEMORY;
	}
	size_t got = 0;
	while (got < (size_t)size) {
		ssize_t k = read(fd, buf + got, (size_t)size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			yw_err e = io_fail("read", sha256);
			close(fd);
			return e;
		}
		got += (size_t)k;
	}
	close(fd);
	buf[size] = '\0';
	*out = buf;
	return YW_E_OK;
}
