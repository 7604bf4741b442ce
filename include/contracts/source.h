/*
 * source.h - where contract sources are read from: a git repository at a
 * ref (local, or a remote kept in a cache of bare clones), or a work tree
 * as it is on disk, uncommitted edits included.
 *
 * A spec is LOCATION[@REF]. LOCATION is an https://, http://, git:// or
 * file:// URL, or a local path. REF is a branch, a tag, a full or
 * abbreviated commit id, HEAD, or WORKTREE. Without @REF, a git directory
 * given itself (a bare repository, with or without a config file, or
 * DIR/.git) is read at HEAD; a folder on disk (the top of a checkout, a
 * folder inside one, or one in no repository) is read as it is,
 * uncommitted edits included; a remote is read at its default branch.
 * With @REF, a folder inside a checkout reads that folder of the commit
 * (paths start below it). WORKTREE is the folder itself, or DIR for
 * DIR/.git. Reading a ref goes straight to the object database: no
 * checkout.
 *
 * Errors: a local path that is missing or a file, a folder inside a git
 * directory, WORKTREE on a bare repository or a remote, a ref on a folder
 * in no repository, an empty repository or a HEAD naming a missing branch,
 * an unknown ref, a path that is missing, escapes the tree, is a symlink,
 * a submodule or over the size limit, a blob missing from the object
 * database: CT_ENOTFOUND or CT_EINVAL (exit 2), naming repo, commit and
 * path. A remote that cannot be reached: CT_EUNREACHABLE (exit 3).
 * Every message shows URLs with their user-info replaced by "***".
 *
 * Only src/source/git.c includes <git2.h>.
 */
#ifndef CT_SOURCE_H
#define CT_SOURCE_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

#define CT_SOURCE_MAX_FILE_DEFAULT ((size_t)16 << 20)
/* How many files one glob of a manifest may match (docs/limits.md). */
#define CT_SOURCE_MAX_GLOB_FILES 20000

struct ct_cache;

struct ct_source_opts {
	const char
	    *cache_dir;	      /* NULL: $CONTRACTS_CACHE_DIR,
				 $XDG_CACHE_HOME/contracts, ~/.cache/contracts */
	int offline;	      /* use the cache as it is, never fetch */
	int quiet;	      /* no progress on stderr */
	size_t max_file_size; /* 0: CT_SOURCE_MAX_FILE_DEFAULT */
	unsigned
	    lock_wait_ms; /* how long to wait for another run's lock; 0: 60 s */
	const char *ca_file; /* an extra CA certificate file for https */
	int all_tags; /* a remote: fetch every tag too (else only the ref read
		       * and its history) */
	struct ct_cache *facts; /* the cache of facts (borrowed), or NULL: a
				   local git directory whose ref names a
				   commit it knows is read without opening
				   libgit2 until a file is needed */
};

struct ct_source;

/* Opens `spec`. The caller frees *out with ct_source_free(). */
int ct_source_open(struct ct_source **out, const char *spec,
		   const struct ct_source_opts *opts, struct ct_err *err);
void ct_source_free(struct ct_source *s);

/* The location with user-info redacted, the ref as asked ("WORKTREE" for a
 * work tree, "HEAD" for a git directory without @REF, NULL for a remote's
 * default branch), the resolved commit id
 * (40 hex; NULL for a work tree) and its commit time (seconds since the
 * epoch; 0 for a work tree). Borrowed. */
const char *ct_source_location(const struct ct_source *s);
const char *ct_source_ref(const struct ct_source *s);
const char *ct_source_commit(const struct ct_source *s);
long long ct_source_commit_time(const struct ct_source *s);
/* For a cached remote: when it was last fetched (seconds since the epoch). */
long long ct_source_fetched_at(const struct ct_source *s);

/* Appends the bytes of `path` (relative, '/'-separated) to `out`. */
int ct_source_read(struct ct_source *s, const char *path, struct ct_buf *out,
		   struct ct_err *err);

/* Calls `fn` with each file path matching `glob` ("*" within a name, "**"
 * across folders, "?" one character; NULL matches everything), in sorted
 * order. A non-zero return from `fn` stops the walk and is returned. */
typedef int (*ct_source_file_fn)(const char *path, void *data);
int ct_source_list(struct ct_source *s, const char *glob, ct_source_file_fn fn,
		   void *data, struct ct_err *err);

/* ---- ids, for the cache, and history ---------------------------------- */

/* The id of the tree read (40 hex digits): the same tree gives the same
 * extraction. NULL for a work tree. Borrowed until the source moves. */
const char *ct_source_tree_id(const struct ct_source *s);

/* The id git gives the blob of `path` (40 hex digits and a NUL): from the
 * tree for a commit, by hashing the file for a work tree. 0, or an error
 * naming the path. */
int ct_source_blob_id(struct ct_source *s, const char *path, char out[41],
		      struct ct_err *err);

/* A hash of the paths of the files the source holds (not their contents):
 * what decides which modules exist and what globs match. */
int ct_source_index_id(struct ct_source *s, char out[41], struct ct_err *err);

struct ct_git_commit {
	char id[41];
	char merged[41]; /* a merge: its second parent; else "" */
	long long time;	 /* committer time, seconds since the epoch */
	unsigned nparents;
	char summary[120];
};

/* The commits reachable from `from` and not from `hide` (NULL: none),
 * oldest first; along first parents only when `first_parent`. CT_EINVAL
 * for a work tree. The caller frees *out. */
int ct_source_history(struct ct_source *s, const char *from, const char *hide,
		      int first_parent, struct ct_git_commit **out, size_t *n,
		      struct ct_err *err);

/* Reads commit `commit` from now on (a git source; the same folder of
 * it). On failure the source still reads what it read. */
int ct_source_move(struct ct_source *s, const char *commit, struct ct_err *err);
/* Appends every tag of the source's repository as "NAME\0COMMIT\0TIME\0"
 * (NAME without "refs/tags/", COMMIT the 40-hex commit it peels to, TIME
 * that commit's time in decimal seconds), in no particular order; for a
 * work tree, those of the repository holding it (none when it is in no
 * repository). */
int ct_source_tags(struct ct_source *s, struct ct_buf *out, struct ct_err *err);

/* The commit a release from this source is made of: the commit read, or
 * for a work tree its repository's HEAD (NULL when there is none).
 * Borrowed until the next call or ct_source_free(). */
const char *ct_source_release_commit(struct ct_source *s);
/* The time of that commit (seconds since the epoch; 0 when unknown). */
long long ct_source_release_time(struct ct_source *s);
/* Whether commit `ancestor` (40 hex) is that commit or one of its
 * ancestors; 0 when unknown. */
int ct_source_has_ancestor(struct ct_source *s, const char *ancestor);

/* Keeps the git library set up between ct_source_hold() and its
 * ct_source_unhold(), so that opening several sources one after another
 * sets it up once (with mbedTLS, that reads every system CA certificate).
 * Calls nest. */
void ct_source_hold(void);
void ct_source_unhold(void);

/* --- helpers, exposed for tests --- */

/* Splits LOCATION[@REF]: *location and *ref are malloc'ed (ref NULL when
 * absent). */
int ct_source_spec_split(const char *spec, char **location, char **ref);
/* Whether `path` matches `glob` (see ct_source_list). */
int ct_glob_match(const char *glob, const char *path);
/* Copies `url` with any user-info replaced by "***". */
void ct_redact_url(struct ct_buf *out, const char *url);
/* Whether a relative path stays inside its tree (no "..", not absolute,
 * no empty or "." segments). */
int ct_path_is_safe(const char *path);

#endif
