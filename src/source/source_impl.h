/* source_impl.h - the two kinds of source behind source.h. Private to
 * src/source/. git.c is the only file that sees libgit2. */
#ifndef CT_SOURCE_IMPL_H
#define CT_SOURCE_IMPL_H

#include "contracts/source.h"

struct ct_git;

/* Opens a local repository (remote 0) or a cached clone of a remote URL
 * (remote 1, cloned or fetched as opts say) at `ref` (NULL: HEAD or the
 * remote's default branch). `label` names it in messages (redacted). */
int ct_git_open(struct ct_git **out, const char *location, int remote,
		const char *ref, const char *label,
		const struct ct_source_opts *opts, struct ct_err *err);
const char *ct_git_commit(const struct ct_git *g);
long long ct_git_commit_time(const struct ct_git *g);
long long ct_git_fetched_at(const struct ct_git *g);
int ct_git_read(struct ct_git *g, const char *path, size_t max,
		struct ct_buf *out, struct ct_err *err);
/* Appends every file path of the commit's tree, one per NUL-terminated
 * string, to `out`. */
int ct_git_paths(struct ct_git *g, struct ct_buf *out, struct ct_err *err);
void ct_git_free(struct ct_git *g);

int ct_worktree_read(const char *root, const char *label, const char *path,
		     size_t max, struct ct_buf *out, struct ct_err *err);
int ct_worktree_paths(const char *root, struct ct_buf *out, struct ct_err *err);

#endif
