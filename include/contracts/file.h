/*
 * file.h - reading whole files with a size limit, and replacing files
 * atomically (temporary file in the same folder, fsync, rename), so a
 * reader never sees half a pinned document or report.
 */
#ifndef CT_FILE_H
#define CT_FILE_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

/* Default limit for documents read from disk. */
#define CT_FILE_MAX_DEFAULT ((size_t)64 << 20)

/* Appends the contents of `path` to `out`. Errors name the path: missing
 * (CT_ENOTFOUND), a directory or unreadable (CT_EIO), larger than `max`
 * bytes (CT_ETOOBIG). */
int ct_file_read(struct ct_buf *out, const char *path, size_t max,
		 struct ct_err *err);

/* Replaces `path` with `data` atomically; on failure the old file is intact
 * and no temporary file is left. */
int ct_file_write_atomic(const char *path, const void *data, size_t len,
			 struct ct_err *err);

/* The two halves of ct_file_write_atomic(), for replacing several files
 * together: ct_file_write_temp() writes and syncs `path`.tmp.PID (removed
 * again on failure), ct_file_commit() renames it over `path`,
 * ct_file_discard() removes it. A kill between them leaves only
 * temporaries, never a half-written file. */
int ct_file_write_temp(const char *path, const void *data, size_t len,
		       struct ct_err *err);
int ct_file_commit(const char *path, struct ct_err *err);
void ct_file_discard(const char *path);

/* Removes the temporaries (NAME.tmp.PID) that processes no longer alive
 * left in folder `dir`; returns how many. */
size_t ct_file_clean_temporaries(const char *dir);

/* Creates `path` and its missing parents (mode 0777 & ~umask). */
int ct_file_mkdirs(const char *path, struct ct_err *err);

/* Creates the folder that will hold `path`, and its parents. */
int ct_file_mkdirs_parent(const char *path, struct ct_err *err);

#endif
