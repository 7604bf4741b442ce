#include "contracts/source.h"

#include "contracts/cache.h"
#include "contracts/sha1.h"
#include "contracts/xalloc.h"
#include "source_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ct_source {
	char *label; /* location, redacted */
	char *ref;
	char *root; /* a work tree */
	struct ct_git *git;
	size_t max;
	char tree[41]; /* a git source: the id of the tree read */
	/* a local git directory whose ref, tree and commit time were known
	 * without libgit2 (see quick_open): opened on first real use */
	char *deferred; /* its location, until then */
	char commit[41];
	long long time;
	struct ct_source_opts opts;
	char head[41]; /* a work tree's HEAD, for ct_source_release_commit */
	long long head_time;
};

static int is_url(const char *s)
{
	return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7) ||
	       !strncmp(s, "git://", 6) || !strncmp(s, "file://", 7) ||
	       !strncmp(s, "ssh://", 6);
}

int ct_source_spec_split(const char *spec, char **location, char **ref)
{
	const char *at = NULL, *from = spec;
	struct stat st;

	if (is_url(spec)) {
		/* user-info ends before the first "/" of the path */
		const char *host = strstr(spec, "://") + 3;
		from = host + strcspn(host, "/");
	} else if (!stat(spec, &st)) {
		from = spec + strlen(spec); /* an existing path with an "@" */
	}
	at = strrchr(from, '@');
	if (at && at[1] && at > spec) { /* refs may hold "/": feature/x */
		*location = ct_xstrndup(spec, (size_t)(at - spec));
		*ref = ct_xstrdup(at + 1);
	} else {
		*location = ct_xstrdup(spec);
		*ref = NULL;
	}
	return **location ? 0 : CT_EINVAL;
}

void ct_redact_url(struct ct_buf *out, const char *url)
{
	const char *scheme = strstr(url, "://"), *at, *slash;

	if (!scheme) {
		ct_buf_adds(out, url);
		return;
	}
	slash = scheme + 3 + strcspn(scheme + 3, "/");
	at = memchr(scheme + 3, '@', (size_t)(slash - scheme - 3));
	if (!at) {
		ct_buf_adds(out, url);
		return;
	}
	ct_buf_add(out, url, (size_t)(scheme + 3 - url));
	ct_buf_adds(out, "***");
	ct_buf_adds(out, at);
}

int ct_path_is_safe(const char *path)
{
	const char *p = path;

	if (!*p || *p == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return p[-1] != '/';
}

int ct_glob_match(const char *g, const char *s)
{
	if (!g)
		return 1;
	while (*g) {
		if (g[0] == '*' && g[1] == '*') {
			/* "**" and "**\/": any number of folders */
			const char *rest = g + 2;
			if (*rest == '/')
				rest++;
			if (!*rest)
				return 1;
			for (const char *t = s;; t++) {
				if ((t == s || t[-1] == '/') &&
				    ct_glob_match(rest, t))
					return 1;
				if (!*t)
					return 0;
			}
		}
		if (*g == '*') {
			for (const char *t = s;; t++) {
				if (ct_glob_match(g + 1, t))
					return 1;
				if (!*t || *t == '/')
					return 0;
			}
		}
		if (!*s || (*g != '?' && *g != *s) || (*g == '?' && *s == '/'))
			return 0;
		g++;
		s++;
	}
	return !*s;
}

/* A local path: a git directory (bare, or DIR/.git) reads at HEAD unless
 * a ref is given; a folder on disk (the top of a work tree, a folder inside
 * one, or one in no repository) reads as it is, uncommitted edits
 * included, unless a ref is given: then its repository's commit, narrowed
 * to that folder. */
static int open_local(struct ct_source *s, const char *location,
		      const struct ct_source_opts *opts, struct ct_err *err)
{
	struct ct_git_place place;
	const char *subdir = NULL;
	struct stat st;
	int rc, on_disk;

	if (stat(location, &st))
		return ct_err_set(err, CT_ENOTFOUND,
				  "no repository at '%s': no such folder",
				  s->label);
	if (!S_ISDIR(st.st_mode))
		return ct_err_set(
		    err, CT_EINVAL,
		    "no repository at '%s': it is a file, not a folder",
		    s->label);
	if ((rc = ct_git_probe(&place, location, s->label, err)))
		return rc;
	on_disk = !s->ref || !strcmp(s->ref, "WORKTREE");
	switch (place.kind) {
	case CT_GIT_GITDIR:
		if (!s->ref) {
			s->ref = ct_xstrdup("HEAD");
			on_disk = 0;
		} else if (on_disk && !place.worktree) {
			rc = ct_err_set(
			    err, CT_EINVAL,
			    "'%s' is a bare repository: it has no work tree",
			    s->label);
			goto done;
		}
		if (on_disk) {
			/* DIR/.git@WORKTREE: the work tree is DIR */
			s->root = place.worktree;
			place.worktree = NULL;
			goto done;
		}
		break;
	case CT_GIT_SUBDIR:
		subdir = place.prefix;
		break;
	case CT_GIT_PLAIN:
		if (!on_disk) {
			rc = ct_err_set(
			    err, CT_ENOTFOUND,
			    "'%s' is a folder in no git repository: it has no ref '%s'",
			    s->label, s->ref);
			goto done;
		}
		break;
	case CT_GIT_TOP:
		break;
	}
	if (on_disk) {
		s->root = ct_xstrdup(location);
		if (!s->ref)
			s->ref = ct_xstrdup("WORKTREE");
	} else {
		rc = ct_git_open(&s->git, location, 0, s->ref, subdir, s->label,
				 opts, err);
	}
done:
	ct_git_place_release(&place);
	return rc;
}

/* The cache's entry "commit": a commit's tree id and time, which never
 * change. */
static void note_commit(struct ct_source *s)
{
	char text[64];
	int n;

	if (!s->git || !s->opts.facts)
		return;
	n = snprintf(text, sizeof(text), "%s %lld", ct_source_tree_id(s),
		     ct_git_commit_time(s->git));
	ct_cache_put(s->opts.facts, "commit", ct_git_commit(s->git), text,
		     (size_t)n);
}

static int has(const char *dir, const char *name, int want_dir)
{
	struct ct_buf p = CT_BUF_INIT;
	struct stat st;
	int ok;

	ct_buf_addf(&p, "%s/%s", dir, name);
	ok = !stat(p.ptr, &st) &&
	     (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	ct_buf_release(&p);
	return ok;
}

/* A git directory (bare, or DIR/.git given with @REF) whose ref names a
 * commit the cache knows: its commit, tree and time without starting
 * libgit2, which opens on first real use. 1 when so; 0 to open as usual. */
static int quick_open(struct ct_source *s, const char *location)
{
	struct ct_buf gitdir = CT_BUF_INIT, entry = CT_BUF_INIT;
	char tree[41];
	long long time;
	int ok = 0;

	if (!s->opts.facts || !ct_cache_enabled(s->opts.facts) ||
	    (s->ref && !strcmp(s->ref, "WORKTREE")))
		return 0;
	if (has(location, "HEAD", 0) && has(location, "objects", 1))
		ct_buf_adds(&gitdir, location);
	else if (s->ref && has(location, ".git/HEAD", 0) &&
		 has(location, ".git/objects", 1))
		ct_buf_addf(&gitdir, "%s/.git", location);
	if (gitdir.len && !ct_refs_resolve(s->commit, gitdir.ptr, s->ref) &&
	    !ct_cache_get(s->opts.facts, "commit", s->commit, &entry) &&
	    sscanf(entry.ptr, "%40s %lld", tree, &time) == 2 &&
	    strlen(tree) == 40) {
		memcpy(s->tree, tree, 41);
		s->time = time;
		s->deferred = ct_xstrdup(location);
		if (!s->ref)
			s->ref = ct_xstrdup("HEAD");
		ok = 1;
	}
	ct_buf_release(&gitdir);
	ct_buf_release(&entry);
	return ok;
}

/* Opens what quick_open() deferred. */
static int need_git(struct ct_source *s, struct ct_err *err)
{
	int rc;

	if (!s->deferred)
		return 0;
	rc = ct_git_open(&s->git, s->deferred, 0, s->commit, NULL, s->label,
			 &s->opts, err);
	free(s->deferred);
	s->deferred = NULL;
	return rc;
}

int ct_source_open(struct ct_source **out, const char *spec,
		   const struct ct_source_opts *opts, struct ct_err *err)
{
	struct ct_source_opts none;
	struct ct_source *s;
	struct ct_buf label = CT_BUF_INIT;
	char *location = NULL, *ref = NULL;
	int rc;

	if (!opts) {
		memset(&none, 0, sizeof(none));
		opts = &none;
	}
	if (ct_source_spec_split(spec, &location, &ref)) {
		free(location);
		free(ref);
		return ct_err_set(err, CT_EINVAL, "empty repository spec '%s'",
				  spec);
	}
	s = ct_xcalloc(1, sizeof(*s));
	ct_redact_url(&label, location);
	s->label = ct_buf_detach(&label, NULL);
	s->ref = ref;
	s->max = opts->max_file_size ? opts->max_file_size
				     : CT_SOURCE_MAX_FILE_DEFAULT;
	s->opts = *opts;
	if (!is_url(location) && quick_open(s, location)) {
		rc = 0;
	} else if (!is_url(location)) {
		rc = open_local(s, location, opts, err);
		if (!rc)
			note_commit(s);
	} else if (ref && !strcmp(ref, "WORKTREE")) {
		rc =
		    ct_err_set(err, CT_EINVAL,
			       "'%s' is remote: it has no work tree", s->label);
	} else {
		rc = ct_git_open(&s->git, location, 1, ref, NULL, s->label,
				 opts, err);
	}
	free(location);
	if (rc) {
		ct_source_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void ct_source_free(struct ct_source *s)
{
	if (!s)
		return;
	ct_git_free(s->git);
	free(s->deferred);
	free(s->label);
	free(s->ref);
	free(s->root);
	free(s);
}

const char *ct_source_location(const struct ct_source *s)
{
	return s->label;
}

const char *ct_source_ref(const struct ct_source *s)
{
	return s->ref;
}

const char *ct_source_commit(const struct ct_source *s)
{
	return s->deferred ? s->commit : s->git ? ct_git_commit(s->git) : NULL;
}

long long ct_source_commit_time(const struct ct_source *s)
{
	return s->deferred ? s->time : s->git ? ct_git_commit_time(s->git) : 0;
}

long long ct_source_fetched_at(const struct ct_source *s)
{
	return s->git ? ct_git_fetched_at(s->git) : 0;
}

int ct_source_read(struct ct_source *s, const char *path, struct ct_buf *out,
		   struct ct_err *err)
{
	int rc;

	if (!ct_path_is_safe(path))
		return ct_err_set(err, CT_EINVAL,
				  "path '%s' escapes the repository '%s'", path,
				  s->label);
	if ((rc = need_git(s, err)))
		return rc;
	if (s->git)
		return ct_git_read(s->git, path, s->max, out, err);
	return ct_worktree_read(s->root, s->label, path, s->max, out, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ct_source_list(struct ct_source *s, const char *glob, ct_source_file_fn fn,
		   void *data, struct ct_err *err)
{
	struct ct_buf all = CT_BUF_INIT;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (glob) {
		/* a glob stays inside the repository as a path must, or it
		 * would quietly match nothing */
		for (const char *q = glob; *q; q++)
			ct_buf_addch(&all, *q == '*' || *q == '?' ? 'x' : *q);
		rc = ct_path_is_safe(all.ptr);
		ct_buf_release(&all);
		if (!rc)
			return ct_err_set(
			    err, CT_EINVAL,
			    "glob '%s' escapes the repository '%s'", glob,
			    s->label);
	}
	if ((rc = need_git(s, err)))
		return rc;
	rc = s->git ? ct_git_paths(s->git, &all, err)
		    : ct_worktree_paths(s->root, &all, err);
	for (size_t off = 0; !rc && off < all.len;
	     off += strlen(all.ptr + off) + 1) {
		if (!ct_glob_match(glob, all.ptr + off))
			continue;
		v = ct_xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = all.ptr + off;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fn(v[i], data);
	free(v);
	ct_buf_release(&all);
	return rc;
}

/* ---- ids and history ---------------------------------------------------- */

const char *ct_source_tree_id(const struct ct_source *s)
{
	if (s->deferred)
		return s->tree;
	if (!s->git)
		return NULL;
	ct_git_tree_id(s->git, ((struct ct_source *)s)->tree);
	return s->tree;
}

int ct_source_blob_id(struct ct_source *s, const char *path, char out[41],
		      struct ct_err *err)
{
	struct ct_buf bytes = CT_BUF_INIT;
	int rc;

	if (!ct_path_is_safe(path))
		return ct_err_set(err, CT_EINVAL,
				  "path '%s' escapes the repository '%s'", path,
				  s->label);
	if ((rc = need_git(s, err)))
		return rc;
	if (s->git) {
		if (ct_git_blob_id(s->git, path, out))
			return ct_err_set(
			    err, CT_ENOTFOUND, "'%s' at %.12s has no file '%s'",
			    s->label, ct_git_commit(s->git), path);
		return 0;
	}
	/* a work tree: hashed as git would store it */
	if (!(rc = ct_worktree_read(s->root, s->label, path, s->max, &bytes,
				    err)))
		ct_sha1_blob_id(out, bytes.ptr, bytes.len);
	ct_buf_release(&bytes);
	return rc;
}

int ct_source_index_id(struct ct_source *s, char out[41], struct ct_err *err)
{
	struct ct_buf all = CT_BUF_INIT;
	struct ct_sha1 h;
	int rc;

	if ((rc = need_git(s, err)))
		return rc;
	if (s->git)
		return ct_git_index_id(s->git, out, err);
	if ((rc = ct_worktree_paths(s->root, &all, err))) {
		ct_buf_release(&all);
		return rc;
	}
	/* the listing's order is the walk's: hash it sorted */
	{
		size_t n = 0, k = 0;
		const char **v;
		for (size_t i = 0; i < all.len; i += strlen(all.ptr + i) + 1)
			n++;
		v = ct_xcalloc(n ? n : 1, sizeof(*v));
		for (size_t i = 0; i < all.len; i += strlen(all.ptr + i) + 1)
			v[k++] = all.ptr + i;
		qsort(v, n, sizeof(*v), cmp_str);
		ct_sha1_init(&h);
		for (size_t i = 0; i < n; i++)
			ct_sha1_add(&h, v[i], strlen(v[i]) + 1);
		ct_sha1_hex(&h, out);
		free(v);
	}
	ct_buf_release(&all);
	return 0;
}

int ct_source_history(struct ct_source *s, const char *from, const char *hide,
		      int first_parent, struct ct_git_commit **out, size_t *n,
		      struct ct_err *err)
{
	int rc;

	if ((rc = need_git(s, err)))
		return rc;
	if (!s->git)
		return ct_err_set(err, CT_EINVAL,
				  "'%s' is a work tree: it has no history",
				  s->label);
	return ct_git_history(s->git, from ? from : ct_git_commit(s->git), hide,
			      first_parent, out, n, err);
}

int ct_source_move(struct ct_source *s, const char *commit, struct ct_err *err)
{
	int rc;

	if ((rc = need_git(s, err)))
		return rc;
	if (!s->git)
		return ct_err_set(err, CT_EINVAL,
				  "'%s' is a work tree: it has no history",
				  s->label);
	return ct_git_move(s->git, commit, err);
}

int ct_source_tags(struct ct_source *s, struct ct_buf *out, struct ct_err *err)
{
	int rc;

	if ((rc = need_git(s, err)))
		return rc;
	if (s->git)
		return ct_git_tags(s->git, out, err);
	return ct_git_tags_at(s->root, s->head, &s->head_time, out, err);
}

const char *ct_source_release_commit(struct ct_source *s)
{
	struct ct_buf none = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;

	if (s->deferred && need_git(s, &err))
		return NULL;
	if (s->git)
		return ct_git_commit(s->git);
	if (!s->head[0] &&
	    ct_git_tags_at(s->root, s->head, &s->head_time, &none, &err))
		s->head[0] = '\0';
	ct_buf_release(&none);
	return s->head[0] ? s->head : NULL;
}

long long ct_source_release_time(struct ct_source *s)
{
	struct ct_err err = CT_ERR_INIT;

	if (s->deferred && need_git(s, &err))
		return 0;
	if (s->git)
		return ct_git_commit_time(s->git);
	ct_source_release_commit(s);
	return s->head_time;
}

int ct_source_has_ancestor(struct ct_source *s, const char *ancestor)
{
	const char *commit = ct_source_release_commit(s);

	return commit && ct_git_is_ancestor(s->git, s->root, ancestor, commit);
}

void ct_source_hold(void)
{
	ct_git_hold();
}

void ct_source_unhold(void)
{
	ct_git_unhold();
}
