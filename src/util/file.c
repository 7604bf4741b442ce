#include "contracts/file.h"

#include "contracts/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* strerror() with a lowercase first letter, as our messages are. */
static const char *reason(int e)
{
	static _Thread_local char buf[128];
	snprintf(buf, sizeof(buf), "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

int ct_file_read(struct ct_buf *out, const char *path, size_t max,
		 struct ct_err *err)
{
	struct stat st;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ct_err_at(err, errno == ENOENT ? CT_ENOTFOUND : CT_EIO,
				 path, 0, 0, "cannot open: %s", reason(errno));
	if (fstat(fd, &st) < 0) {
		rc = ct_err_at(err, CT_EIO, path, 0, 0, "cannot stat: %s",
			       reason(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = ct_err_at(err, CT_EIO, path, 0, 0,
			       "is a directory, not a file");
		goto done;
	}
	if (max && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		rc = ct_err_at(err, CT_ETOOBIG, path, 0, 0,
			       "file is %lld bytes, over the %zu byte limit",
			       (long long)st.st_size, max);
		goto done;
	}
	if (S_ISREG(st.st_mode) &&
	    ct_buf_grow(out, (size_t)st.st_size + 1) < 0) {
		rc =
		    ct_err_at(err, CT_ETOOBIG, path, 0, 0, "file is too large");
		goto done;
	}
	for (;;) {
		ssize_t n;
		if (out->cap - out->len < 65536 + 1 &&
		    ct_buf_grow(out, 65536) < 0) {
			rc = ct_err_at(err, CT_ETOOBIG, path, 0, 0,
				       "file is over the %zu byte limit", max);
			goto done;
		}
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = ct_err_at(err, CT_EIO, path, 0, 0,
				       "cannot read: %s", reason(errno));
			goto done;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (max && out->len > max) {
			rc = ct_err_at(err, CT_ETOOBIG, path, 0, 0,
				       "file is over the %zu byte limit", max);
			goto done;
		}
	}
done:
	close(fd);
	return rc;
}

int ct_file_write_atomic(const char *path, const void *data, size_t len,
			 struct ct_err *err)
{
	int rc = ct_file_write_temp(path, data, len, err);

	/* fault injection for the tests: die where a crash would hurt most */
	if (!rc && getenv("CONTRACTS_TEST_DIE_BEFORE_RENAME"))
		abort();
	return rc ? rc : ct_file_commit(path, err);
}

static void temp_name(struct ct_buf *out, const char *path)
{
	ct_buf_addf(out, "%s.tmp.%ld", path, (long)getpid());
}

int ct_file_commit(const char *path, struct ct_err *err)
{
	struct ct_buf tmp = CT_BUF_INIT;
	int rc = 0;

	temp_name(&tmp, path);
	if (rename(tmp.ptr, path) < 0) {
		rc = ct_err_at(err, CT_EIO, path, 0, 0, "cannot replace: %s",
			       reason(errno));
		unlink(tmp.ptr);
	}
	ct_buf_release(&tmp);
	return rc;
}

void ct_file_discard(const char *path)
{
	struct ct_buf tmp = CT_BUF_INIT;

	temp_name(&tmp, path);
	unlink(tmp.ptr);
	ct_buf_release(&tmp);
}

size_t ct_file_clean_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		const char *mark = strstr(e->d_name, ".tmp.");
		char *end;
		long pid;
		struct ct_buf path = CT_BUF_INIT;
		if (!mark || !mark[5])
			continue;
		pid = strtol(mark + 5, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* not ours to judge, or still alive */
		ct_buf_addf(&path, "%s/%s", dir, e->d_name);
		if (!unlink(path.ptr))
			n++;
		ct_buf_release(&path);
	}
	closedir(d);
	return n;
}

int ct_file_write_temp(const char *path, const void *data, size_t len,
		       struct ct_err *err)
{
	struct ct_buf tmp = CT_BUF_INIT;
	const char *p = data;
	int fd, rc = 0;

	temp_name(&tmp, path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = ct_err_at(err, CT_EIO, path, 0, 0, "cannot write: %s",
			       reason(errno));
		goto done;
	}
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ct_err_at(err, CT_EIO, path, 0, 0,
				       "cannot write: %s", reason(errno));
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!rc && fsync(fd) < 0)
		rc = ct_err_at(err, CT_EIO, path, 0, 0, "cannot sync: %s",
			       reason(errno));
	if (close(fd) < 0 && !rc)
		rc = ct_err_at(err, CT_EIO, path, 0, 0, "cannot close: %s",
			       reason(errno));
	if (rc)
		unlink(tmp.ptr);
done:
	ct_buf_release(&tmp);
	return rc;
}

int ct_file_mkdirs(const char *path, struct ct_err *err)
{
	char *dup = ct_xstrdup(path), *p;
	int rc = 0;

	for (p = dup + 1;; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dup, 0777) < 0 && errno != EEXIST) {
			rc = ct_err_at(err, CT_EIO, dup, 0, 0,
				       "cannot create folder: %s",
				       reason(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(dup);
	return rc;
}

int ct_file_mkdirs_parent(const char *path, struct ct_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (!slash || slash == path)
		return 0;
	dir = ct_xstrndup(path, (size_t)(slash - path));
	rc = ct_file_mkdirs(dir, err);
	free(dir);
	return rc;
}
