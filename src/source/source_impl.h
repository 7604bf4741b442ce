/* source_impl.h - the two kinds of source behind source.h. Private to
 * src/source/. git.c is the only file that sees libgit2. */
#ifndef CT_SOURCE_IMPL_H
#define CT_SOURCE_IMPL_H

#include "contracts/source.h"

struct ct_git;

/* What a local folder is to git. */
enum ct_git_kind {
	CT_GIT_PLAIN,  /* in no repository's work tree */
	CT_GIT_GITDIR, /* a git directory itself: bare, or DIR/.git */
	CT_GIT_TOP,    /* the top folder of a work tree */
	CT_GIT_SUBDIR  /* a folder inside a work tree */
};

struct ct_git_place {
	enum ct_git_kind kind;
	char *worktree; /* the repository's work tree, no trailing "/";
			   NULL when bare or CT_GIT_PLAIN */
	char *prefix;	/* CT_GIT_SUBDIR: the folder's path below the top,
			   '/'-separated; else NULL */
};

/* Finds what the existing folder `path` is (a folder inside a git directory
 * is an error). Release *out with ct_git_place_release(). */
int ct_git_probe(struct ct_git_place *out, const char *path, const char *label,
		 struct ct_err *err);
void ct_git_place_release(struct ct_git_place *p);

/* Opens a local repository (remote 0) or a cached clone of a remote URL
 * (remote 1, cloned or fetched as opts say) at `ref` (NULL: HEAD or the
 * remote's default branch). A local `subdir` (a folder inside the work
 * tree, or NULL) narrows reading to that folder of the commit. `label`
 * names it in messages (redacted). */
int ct_git_open(struct ct_git **out, const char *location, int remote,
		const char *ref, const char *subdir, const char *label,
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
/* Appends each tag as "NAME\0COMMIT\0TIME\0" (NAME without "refs/tags/",
 * COMMIT the 40-hex commit it peels to, TIME its commit time in decimal
 * seconds; tags of no commit are left out). */
int ct_git_tags(struct ct_git *g, struct ct_buf *out, struct ct_err *err);
/* The same for the repository holding the folder `path` (nothing when it
 * is in none), and its HEAD commit in `head` ("" when unknown) with its
 * time. */
int ct_git_tags_at(const char *path, char head[41], long long *head_time,
		   struct ct_buf *out, struct ct_err *err);
/* Whether commit `ancestor` is `commit` or one of its ancestors, in g's
 * repository (or, g NULL, the one holding the folder `root`); 0 when
 * unknown. */
/* One reference on the library's set-up (ct_source_hold()). */
void ct_git_hold(void);
void ct_git_unhold(void);
int ct_git_is_ancestor(struct ct_git *g, const char *root, const char *ancestor,
		       const char *commit);

/* The id of the tree read (40 hex digits and a NUL). */
void ct_git_tree_id(const struct ct_git *g, char out[41]);
/* The blob id of the file `path`: 0, or CT_ENOTFOUND. */
int ct_git_blob_id(struct ct_git *g, const char *path, char out[41]);
/* A hash of the paths of the tree (not their contents), remembered by
 * tree id so that walking history hashes only the folders that changed. */
int ct_git_index_id(struct ct_git *g, char out[41], struct ct_err *err);
/* Reads commit `commit` from now on (the same folder of it). */
int ct_git_move(struct ct_git *g, const char *commit, struct ct_err *err);
/* The commits reachable from `from` and not from `hide` (NULL: none),
 * oldest first; along first parents only when `first_parent`. The caller
 * frees *out. */
int ct_git_history(struct ct_git *g, const char *from, const char *hide,
		   int first_parent, struct ct_git_commit **out, size_t *n,
		   struct ct_err *err);

/* The commit id a plain ref ("main", "v1.2", "refs/heads/x", "HEAD", a
 * full id) names in git directory `gitdir`, read from its files: 0 with
 * out set, -1 when it cannot tell without libgit2 (revision syntax, an
 * abbreviated id, anything unusual). An annotated tag is peeled only when
 * packed-refs peels it; else its own id comes back (the caller's cache,
 * keyed by commit ids, then misses). */
int ct_refs_resolve(char out[41], const char *gitdir, const char *ref);

int ct_worktree_read(const char *root, const char *label, const char *path,
		     size_t max, struct ct_buf *out, struct ct_err *err);
int ct_worktree_paths(const char *root, struct ct_buf *out, struct ct_err *err);

#endif
