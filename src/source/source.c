#include "contracts/source.h"

#include "contracts/xalloc.h"
#include "source_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ct_source {
	char *label; /* location, redacted */
	char *ref;
	char *root; /* a work tree */
	struct ct_git *git;
	size_t max;
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
	if (!is_url(location)) {
		rc = open_local(s, location, opts, err);
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
	return s->git ? ct_git_commit(s->git) : NULL;
}

long long ct_source_commit_time(const struct ct_source *s)
{
	return s->git ? ct_git_commit_time(s->git) : 0;
}

long long ct_source_fetched_at(const struct ct_source *s)
{
	return s->git ? ct_git_fetched_at(s->git) : 0;
}

int ct_source_read(struct ct_source *s, const char *path, struct ct_buf *out,
		   struct ct_err *err)
{
	if (!ct_path_is_safe(path))
		return ct_err_set(err, CT_EINVAL,
				  "path '%s' escapes the repository '%s'", path,
				  s->label);
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

int ct_source_tags(struct ct_source *s, struct ct_buf *out, struct ct_err *err)
{
	if (s->git)
		return ct_git_tags(s->git, out, err);
	return ct_git_tags_at(s->root, s->head, &s->head_time, out, err);
}

const char *ct_source_release_commit(struct ct_source *s)
{
	struct ct_buf none = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;

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
