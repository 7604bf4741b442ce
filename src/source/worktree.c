/* A work tree as it is on disk: what a developer checks before merging. */
#include "contracts/file.h"
#include "contracts/xalloc.h"
#include "source_impl.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ct_worktree_read(const char *root, const char *label, const char *path,
		     size_t max, struct ct_buf *out, struct ct_err *err)
{
	struct ct_buf full = CT_BUF_INIT;
	struct stat st;
	int rc = 0;

	ct_buf_addf(&full, "%s/%s", root, path);
	/* no component may be a symlink: it could lead out of the tree */
	for (char *p = full.ptr + strlen(root) + 1;; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (lstat(full.ptr, &st)) {
			rc =
			    ct_err_set(err, CT_ENOTFOUND,
				       "'%s' has no file '%s' in its work tree",
				       label, path);
		} else if (S_ISLNK(st.st_mode)) {
			rc = ct_err_set(
			    err, CT_EINVAL,
			    "'%s' in the work tree of '%s' is a symlink; not followed",
			    path, label);
		}
		*p = c;
		if (rc || !c)
			break;
	}
	if (!rc && S_ISDIR(st.st_mode))
		rc = ct_err_set(err, CT_EINVAL,
				"'%s' in '%s' is a folder, not a file", path,
				label);
	if (!rc && (size_t)st.st_size > max)
		rc = ct_err_set(
		    err, CT_ETOOBIG,
		    "'%s' in '%s' is %lld bytes, over the %zu byte limit", path,
		    label, (long long)st.st_size, max);
	if (!rc)
		rc = ct_file_read(out, full.ptr, max, err);
	ct_buf_release(&full);
	return rc;
}

static int walk(struct ct_buf *dir, size_t rel, struct ct_buf *out,
		struct ct_err *err, unsigned depth)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > 64)
		return 0;
	if (!(d = opendir(dir->ptr)))
		return ct_err_set(err, CT_EIO, "cannot list '%s': %s", dir->ptr,
				  strerror(errno));
	while (!rc && (e = readdir(d))) {
		size_t mark = dir->len;
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, ".git"))
			continue;
		ct_buf_addf(dir, "/%s", e->d_name);
		if (!lstat(dir->ptr, &st)) {
			if (S_ISDIR(st.st_mode))
				rc = walk(dir, rel, out, err, depth + 1);
			else if (S_ISREG(st.st_mode))
				ct_buf_add(out, dir->ptr + rel,
					   dir->len - rel + 1);
		}
		dir->len = mark;
		dir->ptr[mark] = '\0';
	}
	closedir(d);
	return rc;
}

int ct_worktree_paths(const char *root, struct ct_buf *out, struct ct_err *err)
{
	struct ct_buf dir = CT_BUF_INIT;
	int rc;

	ct_buf_adds(&dir, root);
	rc = walk(&dir, dir.len + 1, out, err, 0);
	ct_buf_release(&dir);
	return rc;
}
