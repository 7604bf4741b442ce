/*
 * Git through libgit2: local repositories, and remotes kept as bare clones
 * in a cache. The only file that includes <git2.h>: nothing outside sees a
 * git_error.
 *
 * Cache entries are made whole or not at all: a clone goes to a temporary
 * folder beside the entry and is renamed into place when complete. A lock
 * file per entry keeps two runs apart; a lock whose process is gone is
 * taken over.
 */
#define _XOPEN_SOURCE 700 /* realpath() */

#include "contracts/file.h"
#include "contracts/sha1.h"
#include "contracts/xalloc.h"
#include "source_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Index ids of trees already seen (see ct_git_index_id): by tree id. */
struct index_memo {
	git_oid *keys;
	char (*ids)[GIT_OID_HEXSZ + 1];
	size_t n, cap;
};

struct ct_git {
	git_repository *repo;
	git_tree *tree;
	char commit[GIT_OID_HEXSZ + 1];
	long long time, fetched;
	char *label;
	char *subdir; /* the folder of the commit read, or NULL */
	struct index_memo memo;
};

/* ---- errors ------------------------------------------------------------- */

/* The last libgit2 error as text, with URLs' user-info redacted. */
static void last_error(struct ct_buf *out)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown error";
	const char *p = msg;

	/* redact anything that looks like scheme://user@host */
	while (*p) {
		const char *s = strstr(p, "://");
		const char *end;
		if (!s) {
			ct_buf_adds(out, p);
			break;
		}
		end = s + 3 + strcspn(s + 3, " '\"");
		ct_buf_add(out, p, (size_t)(s + 3 - p));
		{
			const char *at =
			    memchr(s + 3, '@', (size_t)(end - s - 3));
			const char *slash =
			    memchr(s + 3, '/', (size_t)(end - s - 3));
			if (at && (!slash || at < slash)) {
				ct_buf_adds(out, "***");
				ct_buf_add(out, at, (size_t)(end - at));
			} else {
				ct_buf_add(out, s + 3, (size_t)(end - s - 3));
			}
		}
		p = end;
	}
}

static int net_error(void)
{
	const git_error *e = git_error_last();

	return e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_SSL ||
		     e->klass == GIT_ERROR_HTTP || e->klass == GIT_ERROR_SSH ||
		     e->klass == GIT_ERROR_OS);
}

static int fail(struct ct_err *err, int code, const char *what,
		const char *label)
{
	struct ct_buf msg = CT_BUF_INIT;
	int rc;

	last_error(&msg);
	rc = ct_err_set(err, code, "%s '%s': %s", what, label, msg.ptr);
	ct_buf_release(&msg);
	return rc;
}

/* ---- the cache ------------------------------------------------------------
 */

static int cache_root(struct ct_buf *out, const struct ct_source_opts *opts,
		      struct ct_err *err)
{
	const char *env;

	if (opts->cache_dir)
		ct_buf_adds(out, opts->cache_dir);
	else if ((env = getenv("CONTRACTS_CACHE_DIR")) && *env)
		ct_buf_adds(out, env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		ct_buf_addf(out, "%s/contracts", env);
	else if ((env = getenv("HOME")) && *env)
		ct_buf_addf(out, "%s/.cache/contracts", env);
	else
		return ct_err_set(err, CT_EINVAL,
				  "no cache folder: set CONTRACTS_CACHE_DIR");
	return 0;
}

/* One entry per normalised URL: lower-case scheme and host, no user-info,
 * no trailing "/" or ".git"; named readably plus a hash. */
static void entry_name(struct ct_buf *out, const char *url)
{
	struct ct_buf norm = CT_BUF_INIT;
	const char *s = strstr(url, "://"), *host, *at, *slash;
	uint64_t h = 0xcbf29ce484222325ULL;

	host = s ? s + 3 : url;
	slash = host + strcspn(host, "/");
	at = memchr(host, '@', (size_t)(slash - host));
	if (at)
		host = at + 1;
	for (const char *p = url; s && p < s + 3; p++)
		ct_buf_addch(&norm,
			     (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	for (const char *p = host; p < slash; p++)
		ct_buf_addch(&norm,
			     (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	ct_buf_adds(&norm, slash);
	while (norm.len && norm.ptr[norm.len - 1] == '/')
		norm.ptr[--norm.len] = '\0';
	if (norm.len > 4 && !strcmp(norm.ptr + norm.len - 4, ".git"))
		norm.ptr[norm.len -= 4] = '\0';
	for (size_t i = 0; i < norm.len; i++) {
		h ^= (unsigned char)norm.ptr[i];
		h *= 0x100000001b3ULL;
	}
	for (const char *p = strstr(norm.ptr, "://")
				 ? strstr(norm.ptr, "://") + 3
				 : norm.ptr;
	     *p && out->len < 80; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '-';
		ct_buf_addch(out, ok ? c : '_');
	}
	ct_buf_addf(out, "-%08llx", (unsigned long long)(h & 0xffffffffULL));
	ct_buf_release(&norm);
}

static int lock_entry(const char *lock, unsigned wait_ms, const char *label,
		      struct ct_err *err)
{
	struct timespec nap = {0, 50 * 1000 * 1000};
	unsigned waited = 0;

	for (;;) {
		int fd =
		    open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			char pid[32];
			int n =
			    snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
			if (write(fd, pid, (size_t)n) != n) {
				/* the lock holds even without its pid */
			}
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			return ct_err_set(
			    err, CT_EIO,
			    "cannot lock the cache entry of '%s' (%s): %s",
			    label, lock, strerror(errno));
		{
			/* a lock whose process is gone is stale */
			FILE *f = fopen(lock, "r");
			long pid = 0;
			if (f) {
				if (fscanf(f, "%ld", &pid) != 1)
					pid = 0;
				fclose(f);
			}
			if (pid > 0 && kill((pid_t)pid, 0) < 0 &&
			    errno == ESRCH) {
				unlink(lock);
				continue;
			}
		}
		if (waited >= wait_ms)
			return ct_err_set(
			    err, CT_EIO,
			    "the cache entry of '%s' is locked by another run (%s); waited %u ms",
			    label, lock, waited);
		nanosleep(&nap, NULL);
		waited += 50;
	}
}

/* Removes a folder and everything in it (a half-made clone). */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		struct ct_buf sub = CT_BUF_INIT;
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ct_buf_addf(&sub, "%s/%s", path, e->d_name);
		if (!lstat(sub.ptr, &st) && S_ISDIR(st.st_mode))
			remove_tree(sub.ptr);
		else
			unlink(sub.ptr);
		ct_buf_release(&sub);
	}
	closedir(d);
	rmdir(path);
}

/* ---- fetching ---------------------------------------------------------------
 */

struct progress {
	int show;
	int asked; /* credentials given once */
};

static int on_transfer(const git_indexer_progress *st, void *data)
{
	struct progress *pr = data;

	if (pr->show)
		fprintf(stderr,
			"\rcontracts: receiving objects %u/%u, %.1f MiB",
			st->received_objects, st->total_objects,
			(double)st->received_bytes / (1024.0 * 1024.0));
	return 0;
}

static int on_credentials(git_credential **out, const char *url,
			  const char *user, unsigned int allowed, void *data)
{
	struct progress *pr = data;
	const char *token = getenv("CONTRACTS_GIT_TOKEN");

	(void)url;
	(void)user;
	if (!token || !*token)
		token = getenv("GITHUB_TOKEN");
	if (!token || !*token || pr->asked ||
	    !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
		return GIT_PASSTHROUGH;
	pr->asked = 1;
	return git_credential_userpass_plaintext_new(out, "x-access-token",
						     token);
}

/* Fetches every branch and tag of origin into the bare repository, and
 * points HEAD at the remote's default branch. */
static int is_full_id(const char *ref)
{
	size_t n = ref ? strlen(ref) : 0;

	return n == GIT_OID_HEXSZ && strspn(ref, "0123456789abcdef") == n;
}

/* The refspecs that fetch only what `ref` needs: the remote's refs named
 * so (a branch, a tag, or a full name), or its default branch for NULL
 * or HEAD; with `all_tags`, every tag too. 0 when narrowed; -1 when the
 * whole remote is to be fetched (a commit id, a name it lacks: the
 * usual error then lists the closest names). */
static int narrow(git_strarray *out, git_remote *remote, const char *ref,
		  const char *head, int all_tags)
{
	const git_remote_head **heads;
	size_t n, k = 0;
	char **v;

	if (is_full_id(ref) || git_remote_ls(&heads, &n, remote))
		return -1;
	v = ct_xcalloc(n + 2, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const char *name = heads[i]->name;
		struct ct_buf b = CT_BUF_INIT;
		int want;
		if (strncmp(name, "refs/heads/", 11) &&
		    strncmp(name, "refs/tags/", 10))
			continue;
		if (!strcmp(name + strlen(name) - 3, "^{}"))
			continue; /* a peeled tag, not a ref */
		if (!ref || !strcmp(ref, "HEAD"))
			want = head && !strcmp(name, head);
		else
			want = !strcmp(name, ref) ||
			       (!strncmp(name, "refs/heads/", 11) &&
				!strcmp(name + 11, ref)) ||
			       (!strncmp(name, "refs/tags/", 10) &&
				!strcmp(name + 10, ref));
		if (!want || (all_tags && !strncmp(name, "refs/tags/", 10)))
			continue;
		ct_buf_addf(&b, "+%s:%s", name, name);
		v[k++] = ct_buf_detach(&b, NULL);
	}
	if (!k) {
		free(v);
		return -1;
	}
	if (all_tags)
		v[k++] = ct_xstrdup("+refs/tags/*:refs/tags/*");
	out->strings = v;
	out->count = k;
	return 0;
}

static void strarray_free(git_strarray *a)
{
	for (size_t i = 0; i < a->count; i++)
		free(a->strings[i]);
	free(a->strings);
	a->strings = NULL;
	a->count = 0;
}

static int fetch(git_repository *repo, const char *label, const char *ref,
		 const struct ct_source_opts *opts, struct ct_err *err)
{
	git_remote *remote = NULL;
	git_remote_callbacks cb;
	git_fetch_options fo;
	git_buf head = {0};
	git_strarray specs = {NULL, 0};
	struct progress pr = {!opts->quiet && isatty(STDERR_FILENO), 0};
	int rc = 0, narrowed;

	/* the INIT macros trip -Wmissing-field-initializers */
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	cb.transfer_progress = on_transfer;
	cb.credentials = on_credentials;
	cb.payload = &pr;
	fo.callbacks = cb;
	fo.prune = GIT_FETCH_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
	if (git_remote_lookup(&remote, repo, "origin") ||
	    git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) {
		rc = fail(err, net_error() || remote ? CT_EUNREACHABLE : CT_EIO,
			  "cannot reach", label);
		goto done;
	}
	if (!git_remote_default_branch(&head, remote) &&
	    git_repository_set_head(repo, head.ptr)) {
		rc = fail(err, CT_EIO, "cannot set HEAD of the cached", label);
		goto done;
	}
	/* only the refs the run reads (the real plugin has hundreds) */
	narrowed = !narrow(&specs, remote, ref, head.size ? head.ptr : NULL,
			   opts->all_tags);
	if (narrowed)
		fo.download_tags = opts->all_tags
				       ? GIT_REMOTE_DOWNLOAD_TAGS_ALL
				       : GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if (git_remote_download(remote, narrowed ? &specs : NULL, &fo) ||
	    git_remote_update_tips(remote, &cb, 0, fo.download_tags, NULL) ||
	    (!narrowed && git_remote_prune(remote, &cb))) {
		/* a network fault leaves the entry as it is; anything else
		 * (objects missing locally) means the entry is damaged */
		rc = fail(err, net_error() ? CT_EUNREACHABLE : CT_EIO,
			  "cannot fetch", label);
		goto done;
	}
done:
	if (pr.show)
		fputs("\r\033[K", stderr);
	if (remote) {
		git_remote_disconnect(remote);
		git_remote_free(remote);
	}
	git_buf_dispose(&head);
	strarray_free(&specs);
	return rc;
}

static void touch(const char *dir)
{
	struct ct_buf f = CT_BUF_INIT;
	int fd;

	ct_buf_addf(&f, "%s/contracts-fetched", dir);
	fd = open(f.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	ct_buf_release(&f);
}

static long long fetched_at(const char *dir)
{
	struct ct_buf f = CT_BUF_INIT;
	struct stat st;
	long long t = 0;

	ct_buf_addf(&f, "%s/contracts-fetched", dir);
	if (!stat(f.ptr, &st))
		t = (long long)st.st_mtime;
	ct_buf_release(&f);
	return t;
}

/* Makes a new entry: a bare repository in a temporary folder, fetched,
 * then renamed into place. */
static int clone_entry(const char *url, const char *entry, const char *label,
		       const char *ref, const struct ct_source_opts *opts,
		       struct ct_err *err)
{
	struct ct_buf tmp = CT_BUF_INIT;
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	int rc = 0;

	ct_buf_addf(&tmp, "%s.tmp-%ld", entry, (long)getpid());
	remove_tree(tmp.ptr);
	if (git_repository_init(&repo, tmp.ptr, 1) ||
	    git_remote_create_with_fetchspec(&remote, repo, "origin", url,
					     "+refs/heads/*:refs/heads/*") ||
	    git_remote_add_fetch(repo, "origin", "+refs/tags/*:refs/tags/*")) {
		rc = fail(err, CT_EIO, "cannot make a cache entry for", label);
		goto done;
	}
	git_remote_free(remote);
	remote = NULL;
	if ((rc = fetch(repo, label, ref, opts, err)))
		goto done;
	touch(tmp.ptr);
	git_repository_free(repo);
	repo = NULL;
	if (rename(tmp.ptr, entry) < 0)
		rc = ct_err_set(
		    err, CT_EIO,
		    "cannot move the clone of '%s' into the cache: %s", label,
		    strerror(errno));
done:
	git_remote_free(remote);
	git_repository_free(repo);
	if (rc)
		remove_tree(tmp.ptr);
	ct_buf_release(&tmp);
	return rc;
}

/* ---- refs ------------------------------------------------------------------
 */

static size_t distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), *row, result;

	if (na > 200 || nb > 200)
		return 1000;
	row = ct_xmalloc((nb + 1) * sizeof(*row));
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j],
			       best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	result = row[nb];
	free(row);
	return result;
}

struct candidate {
	char name[256];
	size_t dist;
};

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* "unknown ref 'mian' in 'repo' (closest: main, maint)" */
static int unknown_ref(git_repository *repo, const char *ref, const char *label,
		       struct ct_err *err)
{
	git_strarray refs = {0};
	struct candidate *c = NULL;
	struct ct_buf near = CT_BUF_INIT;
	size_t n = 0;
	int rc;

	if (!git_reference_list(&refs, repo)) {
		c = ct_xcalloc(refs.count ? refs.count : 1, sizeof(*c));
		for (size_t i = 0; i < refs.count; i++) {
			const char *r = refs.strings[i];
			static const char *const prefixes[] = {
			    "refs/heads/", "refs/tags/", "refs/remotes/"};
			for (size_t k = 0; k < 3; k++)
				if (!strncmp(r, prefixes[k],
					     strlen(prefixes[k])))
					r += strlen(prefixes[k]);
			snprintf(c[n].name, sizeof(c[n].name), "%s", r);
			c[n].dist = distance(ref, c[n].name);
			n++;
		}
		qsort(c, n, sizeof(*c), cmp_candidate);
	}
	for (size_t i = 0; i < n && i < 5; i++)
		ct_buf_addf(&near, "%s%s", i ? ", " : "", c[i].name);
	rc =
	    ct_err_set(err, CT_ENOTFOUND, "unknown ref '%s' in '%s'%s%s%s", ref,
		       label, n ? " (closest: " : "", near.ptr, n ? ")" : "");
	git_strarray_dispose(&refs);
	free(c);
	ct_buf_release(&near);
	return rc;
}

/* HEAD names a branch with no commit: an empty repository, or a HEAD left
 * pointing at a branch that is gone (a mirror that kept only "main"). */
static int unborn_head(git_repository *repo, const char *label,
		       struct ct_err *err)
{
	git_reference *head = NULL;
	const char *target = NULL;
	int rc;

	if (!git_reference_lookup(&head, repo, "HEAD"))
		target = git_reference_symbolic_target(head);
	if (!target)
		target = "?";
	if (!strncmp(target, "refs/heads/", 11))
		target += 11;
	if (git_repository_is_empty(repo) == 1)
		rc = ct_err_set(
		    err, CT_ENOTFOUND,
		    "'%s' is an empty repository: HEAD names branch '%s', which has no commit yet",
		    label, target);
	else
		rc = ct_err_set(
		    err, CT_ENOTFOUND,
		    "HEAD of '%s' names branch '%s', which does not exist; give a ref as LOCATION@REF",
		    label, target);
	git_reference_free(head);
	return rc;
}

static int resolve(struct ct_git *g, const char *ref, struct ct_err *err)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int rc = 0;

	if ((!ref || !strcmp(ref, "HEAD")) &&
	    git_repository_head_unborn(g->repo) == 1)
		return unborn_head(g->repo, g->label, err);
	if (git_revparse_single(&obj, g->repo, ref ? ref : "HEAD"))
		return ref ? unknown_ref(g->repo, ref, g->label, err)
			   : fail(err, CT_ENOTFOUND, "no HEAD commit in",
				  g->label);
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT)) {
		rc = ct_err_set(err, CT_EINVAL, "'%s' in '%s' is not a commit",
				ref ? ref : "HEAD", g->label);
		goto done;
	}
	git_oid_tostr(g->commit, sizeof(g->commit), git_commit_id(commit));
	g->time = (long long)git_commit_time(commit);
	if (git_commit_tree(&g->tree, commit))
		rc = fail(err, CT_EIO, "cannot read the tree of", g->label);
done:
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* Whether every object the commit's tree names is in the object database
 * (a cache entry that lost objects is cloned again). */
struct verify {
	git_odb *odb;
	int missing;
};

static int verify_entry(const char *root, const git_tree_entry *e, void *data)
{
	struct verify *v = data;

	(void)root;
	if (git_tree_entry_filemode(e) == GIT_FILEMODE_COMMIT)
		return 0;
	if (!git_odb_exists(v->odb, git_tree_entry_id(e))) {
		v->missing = 1;
		return -1;
	}
	return 0;
}

static int complete(struct ct_git *g)
{
	struct verify v = {NULL, 0};

	if (git_repository_odb(&v.odb, g->repo))
		return 0;
	git_tree_walk(g->tree, GIT_TREEWALK_PRE, verify_entry, &v);
	git_odb_free(v.odb);
	return !v.missing;
}

/* ---- opening
 * ----------------------------------------------------------------- */

/* With the entry's lock held, what killed runs left of it goes: clone
 * folders of dead processes (ENTRY.tmp-PID) and partial packs of fetches
 * (objects/pack/pack_git2_*, tmp_pack_*), which no one else can be
 * writing while we hold the lock. */
static void clean_entry(const char *entry)
{
	struct ct_buf dir = CT_BUF_INIT, prefix = CT_BUF_INIT,
		      path = CT_BUF_INIT;
	const char *slash = strrchr(entry, '/');
	DIR *d;
	struct dirent *e;

	ct_buf_add(&dir, entry, slash ? (size_t)(slash - entry) : 0);
	ct_buf_addf(&prefix, "%s.tmp-", slash ? slash + 1 : entry);
	if ((d = opendir(dir.len ? dir.ptr : "."))) {
		while ((e = readdir(d))) {
			char *end;
			long pid;
			if (strncmp(e->d_name, prefix.ptr, prefix.len))
				continue;
			pid = strtol(e->d_name + prefix.len, &end, 10);
			if (*end || pid <= 0 || pid == (long)getpid() ||
			    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
			ct_buf_reset(&path);
			ct_buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
			remove_tree(path.ptr);
		}
		closedir(d);
	}
	ct_buf_reset(&dir);
	ct_buf_addf(&dir, "%s/objects/pack", entry);
	if ((d = opendir(dir.ptr))) {
		while ((e = readdir(d))) {
			if (strncmp(e->d_name, "pack_git2_", 10) &&
			    strncmp(e->d_name, "tmp_pack_", 9))
				continue;
			ct_buf_reset(&path);
			ct_buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
			unlink(path.ptr);
		}
		closedir(d);
	}
	ct_buf_release(&dir);
	ct_buf_release(&prefix);
	ct_buf_release(&path);
}

/* How long to wait for another run's lock: the option, else
 * $CONTRACTS_LOCK_WAIT_MS, else a minute. */
static unsigned lock_wait(const struct ct_source_opts *opts)
{
	const char *env = getenv("CONTRACTS_LOCK_WAIT_MS");

	if (opts->lock_wait_ms)
		return opts->lock_wait_ms;
	if (env && *env)
		return (unsigned)strtoul(env, NULL, 10);
	return 60000;
}

static int open_cached(struct ct_git *g, const char *url, const char *ref,
		       const struct ct_source_opts *opts, struct ct_err *err)
{
	struct ct_buf root = CT_BUF_INIT, entry = CT_BUF_INIT,
		      lock = CT_BUF_INIT;
	struct stat st;
	int rc, tries = 0;

	if ((rc = cache_root(&root, opts, err)))
		goto done;
	if (ct_file_mkdirs(root.ptr, err)) {
		rc =
		    ct_err_set(err, CT_EIO,
			       "cannot create the cache folder '%s'", root.ptr);
		goto done;
	}
	ct_buf_addf(&entry, "%s/", root.ptr);
	entry_name(&entry, url);
	ct_buf_addf(&entry, ".git");
	ct_buf_addf(&lock, "%s.lock", entry.ptr);
	if (!opts->offline &&
	    (rc = lock_entry(lock.ptr, lock_wait(opts), g->label, err)))
		goto done;
	if (!opts->offline)
		clean_entry(entry.ptr);
again:
	if (stat(entry.ptr, &st)) {
		if (opts->offline) {
			rc = ct_err_set(
			    err, CT_EUNREACHABLE,
			    "'%s' is not in the cache (%s) and --offline forbids fetching it",
			    g->label, root.ptr);
			goto unlock;
		}
		if ((rc =
			 clone_entry(url, entry.ptr, g->label, ref, opts, err)))
			goto unlock;
	} else if (!opts->offline) {
		git_repository *repo = NULL;
		if (git_repository_open_bare(&repo, entry.ptr)) {
			rc = -1; /* unreadable: clone anew below */
		} else {
			rc = fetch(repo, g->label, ref, opts, err);
			if (!rc)
				touch(entry.ptr);
		}
		git_repository_free(repo);
		if (rc == CT_EUNREACHABLE)
			goto unlock; /* the entry stays as it was */
		if (rc && tries++ == 0) {
			remove_tree(entry.ptr);
			goto again;
		}
		if (rc)
			goto unlock;
	}
	if (git_repository_open_bare(&g->repo, entry.ptr)) {
		rc = fail(err, CT_EIO, "cannot open the cache entry of",
			  g->label);
		goto unlock;
	}
	g->fetched = fetched_at(entry.ptr);
	rc = resolve(g, ref, err);
	if (!rc && !complete(g)) {
		/* objects went missing: a corrupt entry is cloned again */
		git_tree_free(g->tree);
		git_repository_free(g->repo);
		g->tree = NULL;
		g->repo = NULL;
		if (opts->offline || tries++) {
			rc = ct_err_set(
			    err, CT_EIO,
			    "the cache entry of '%s' (%s) is missing objects",
			    g->label, entry.ptr);
			goto unlock;
		}
		remove_tree(entry.ptr);
		goto again;
	}
unlock:
	if (!opts->offline)
		unlink(lock.ptr);
done:
	ct_buf_release(&root);
	ct_buf_release(&entry);
	ct_buf_release(&lock);
	return rc;
}

/* Narrows the tree to the folder `subdir` of the commit, so a folder inside
 * a work tree reads at a ref as it does on disk: paths start below it. */
static int descend(struct ct_git *g, const char *subdir, struct ct_err *err)
{
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	int rc = 0;

	if (git_tree_entry_bypath(&e, g->tree, subdir) ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		rc = ct_err_set(
		    err, CT_ENOTFOUND,
		    "'%s' at %.12s: its folder '%s' is not in that commit",
		    g->label, g->commit, subdir);
		goto done;
	}
	if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(e))) {
		rc = fail(err, CT_EIO, "cannot read the folder", g->label);
		goto done;
	}
	git_tree_free(g->tree);
	g->tree = sub;
done:
	git_tree_entry_free(e);
	return rc;
}

/* realpath() into a buffer with one trailing "/", to compare folders. */
static int real_dir(struct ct_buf *out, const char *path)
{
	char *r = realpath(path, NULL);

	if (!r)
		return -1;
	ct_buf_adds(out, r);
	if (!out->len || out->ptr[out->len - 1] != '/')
		ct_buf_addch(out, '/');
	free(r);
	return 0;
}

/* Whether the repository has a work tree. libgit2 takes a git directory
 * without core.bare (a copied mirror) for one whose work tree is its
 * parent folder; git takes it for bare when it is given itself rather than
 * found from a work tree, and so do we. */
static int has_worktree(git_repository *repo, int given_itself)
{
	git_config *cfg = NULL;
	int bare = 0, rc;

	if (git_repository_is_bare(repo) || !git_repository_workdir(repo))
		return 0;
	if (git_repository_config_snapshot(&cfg, repo))
		return 1;
	rc = git_config_get_bool(&bare, cfg, "core.bare");
	git_config_free(cfg);
	if (rc == 0)
		return !bare;
	return !given_itself || git_repository_is_worktree(repo) == 1;
}

int ct_git_probe(struct ct_git_place *out, const char *path, const char *label,
		 struct ct_err *err)
{
	git_repository *repo = NULL;
	struct ct_buf real = CT_BUF_INIT, gitdir = CT_BUF_INIT,
		      top = CT_BUF_INIT;
	int rc = 0, validate = 1, worktree;

	memset(out, 0, sizeof(*out));
	git_libgit2_init();
	/* Only the kind of folder is asked here; nothing is read through
	 * git. A repository owned by another user is refused later, when
	 * read at a ref, as git refuses it; its work tree reads as before. */
	git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &validate);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	rc = git_repository_open_ext(&repo, path, 0, NULL);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, validate);
	if (rc == GIT_ENOTFOUND) {
		out->kind = CT_GIT_PLAIN;
		rc = 0;
		goto done;
	}
	if (rc) {
		rc = fail(err, CT_EINVAL, "cannot open the repository at",
			  label);
		goto done;
	}
	if (real_dir(&real, path) ||
	    real_dir(&gitdir, git_repository_path(repo))) {
		rc = ct_err_set(err, CT_EIO, "cannot resolve the path '%s': %s",
				label, strerror(errno));
		goto done;
	}
	worktree = has_worktree(repo, !strcmp(real.ptr, gitdir.ptr));
	if (worktree && real_dir(&top, git_repository_workdir(repo)))
		worktree = 0;
	if (worktree)
		out->worktree = ct_xstrndup(top.ptr, top.len - 1);
	if (!strcmp(real.ptr, gitdir.ptr)) {
		out->kind = CT_GIT_GITDIR;
	} else if (!strncmp(real.ptr, gitdir.ptr, gitdir.len)) {
		rc = ct_err_set(
		    err, CT_EINVAL,
		    "'%s' is a folder inside the git directory '%.*s', not a repository",
		    label, (int)gitdir.len - 1, gitdir.ptr);
	} else if (worktree && !strcmp(real.ptr, top.ptr)) {
		out->kind = CT_GIT_TOP;
	} else if (worktree && !strncmp(real.ptr, top.ptr, top.len)) {
		out->kind = CT_GIT_SUBDIR;
		out->prefix =
		    ct_xstrndup(real.ptr + top.len, real.len - top.len - 1);
	} else {
		out->kind = CT_GIT_PLAIN;
		free(out->worktree);
		out->worktree = NULL;
	}
done:
	if (rc)
		ct_git_place_release(out);
	git_repository_free(repo);
	git_libgit2_shutdown();
	ct_buf_release(&real);
	ct_buf_release(&gitdir);
	ct_buf_release(&top);
	return rc;
}

void ct_git_place_release(struct ct_git_place *p)
{
	free(p->worktree);
	free(p->prefix);
	p->worktree = p->prefix = NULL;
}

int ct_git_open(struct ct_git **out, const char *location, int remote,
		const char *ref, const char *subdir, const char *label,
		const struct ct_source_opts *opts, struct ct_err *err)
{
	struct ct_git *g = ct_xcalloc(1, sizeof(*g));
	int rc;

	git_libgit2_init();
	g->label = ct_xstrdup(label);
	if (opts->ca_file && git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS,
					      opts->ca_file, NULL)) {
		rc = fail(err, CT_EINVAL, "cannot use the CA file",
			  opts->ca_file);
		ct_git_free(g);
		return rc;
	}
	if (remote) {
		rc = open_cached(g, location, ref, opts, err);
	} else if (git_repository_open_ext(
		       &g->repo, location,
		       subdir ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) {
		rc = fail(err, CT_ENOTFOUND, "not a git repository:", label);
	} else {
		rc = resolve(g, ref, err);
		if (!rc && subdir && *subdir) {
			g->subdir = ct_xstrdup(subdir);
			rc = descend(g, subdir, err);
		}
	}
	if (rc) {
		ct_git_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void ct_git_free(struct ct_git *g)
{
	if (!g)
		return;
	git_tree_free(g->tree);
	git_repository_free(g->repo);
	free(g->label);
	free(g->subdir);
	free(g->memo.keys);
	free(g->memo.ids);
	free(g);
	git_libgit2_shutdown();
}

const char *ct_git_commit(const struct ct_git *g)
{
	return g->commit;
}

long long ct_git_commit_time(const struct ct_git *g)
{
	return g->time;
}

long long ct_git_fetched_at(const struct ct_git *g)
{
	return g->fetched;
}

/* ---- reading
 * ----------------------------------------------------------------- */

int ct_git_read(struct ct_git *g, const char *path, size_t max,
		struct ct_buf *out, struct ct_err *err)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc = 0;
	size_t size;

	if (git_tree_entry_bypath(&e, g->tree, path))
		return ct_err_set(err, CT_ENOTFOUND,
				  "'%s' at %.12s has no file '%s'", g->label,
				  g->commit, path);
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_LINK:
		rc =
		    ct_err_set(err, CT_EINVAL,
			       "'%s' at %.12s: '%s' is a symlink; not followed",
			       g->label, g->commit, path);
		goto done;
	case GIT_FILEMODE_COMMIT:
		rc = ct_err_set(
		    err, CT_EINVAL,
		    "'%s' at %.12s: '%s' is a submodule; its files are in another repository",
		    g->label, g->commit, path);
		goto done;
	case GIT_FILEMODE_TREE:
		rc = ct_err_set(err, CT_EINVAL,
				"'%s' at %.12s: '%s' is a folder, not a file",
				g->label, g->commit, path);
		goto done;
	default:
		break;
	}
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(e))) {
		rc = ct_err_set(
		    err, CT_ENOTFOUND,
		    "'%s' at %.12s: the blob of '%s' is missing from the object database",
		    g->label, g->commit, path);
		goto done;
	}
	size = (size_t)git_blob_rawsize(blob);
	if (size > max) {
		rc = ct_err_set(
		    err, CT_ETOOBIG,
		    "'%s' at %.12s: '%s' is %zu bytes, over the %zu byte limit",
		    g->label, g->commit, path, size, max);
		goto done;
	}
	ct_buf_add(out, git_blob_rawcontent(blob), size);
done:
	git_blob_free(blob);
	git_tree_entry_free(e);
	return rc;
}

static int collect(const char *root, const git_tree_entry *e, void *data)
{
	struct ct_buf *out = data;
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
		ct_buf_adds(out, root);
		ct_buf_adds(out, git_tree_entry_name(e));
		ct_buf_addch(out, '\0');
	}
	return 0;
}

int ct_git_paths(struct ct_git *g, struct ct_buf *out, struct ct_err *err)
{
	if (git_tree_walk(g->tree, GIT_TREEWALK_PRE, collect, out))
		return fail(err, CT_EIO, "cannot list", g->label);
	return 0;
}

/* ---- ids, and moving through history ----------------------------------- */

void ct_git_tree_id(const struct ct_git *g, char out[41])
{
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, git_tree_id(g->tree));
}

int ct_git_blob_id(struct ct_git *g, const char *path, char out[41])
{
	git_tree_entry *e = NULL;
	int rc = CT_ENOTFOUND;

	if (!git_tree_entry_bypath(&e, g->tree, path) &&
	    (git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB ||
	     git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, git_tree_entry_id(e));
		rc = 0;
	}
	git_tree_entry_free(e);
	return rc;
}

static size_t memo_slot(const struct index_memo *m, const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	for (h &= m->cap - 1;
	     !git_oid_is_zero(&m->keys[h]) && git_oid_cmp(&m->keys[h], id);
	     h = (h + 1) & (m->cap - 1))
		;
	return h;
}

static void memo_put(struct index_memo *m, const git_oid *id, const char *hex)
{
	size_t h;

	if (2 * (m->n + 1) > m->cap) {
		struct index_memo bigger = {NULL, NULL, 0,
					    m->cap ? 2 * m->cap : 256};
		bigger.keys = ct_xcalloc(bigger.cap, sizeof(*bigger.keys));
		bigger.ids = ct_xcalloc(bigger.cap, sizeof(*bigger.ids));
		for (size_t i = 0; i < m->cap; i++)
			if (!git_oid_is_zero(&m->keys[i])) {
				size_t k = memo_slot(&bigger, &m->keys[i]);
				bigger.keys[k] = m->keys[i];
				memcpy(bigger.ids[k], m->ids[i],
				       sizeof(bigger.ids[k]));
			}
		bigger.n = m->n;
		free(m->keys);
		free(m->ids);
		*m = bigger;
	}
	h = memo_slot(m, id);
	if (git_oid_is_zero(&m->keys[h]))
		m->n++;
	m->keys[h] = *id;
	memcpy(m->ids[h], hex, GIT_OID_HEXSZ + 1);
}

/* The index id of `tree`: a hash of the names and kinds of everything in
 * it, files' contents left out; subtrees by their own index ids. */
static int index_id(struct ct_git *g, const git_tree *tree, char out[41])
{
	const git_oid *tid = git_tree_id(tree);
	struct ct_sha1 h;

	if (g->memo.cap) {
		size_t k = memo_slot(&g->memo, tid);
		if (!git_oid_is_zero(&g->memo.keys[k])) {
			memcpy(out, g->memo.ids[k], GIT_OID_HEXSZ + 1);
			return 0;
		}
	}
	ct_sha1_init(&h);
	for (size_t i = 0; i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		char sub[GIT_OID_HEXSZ + 1] = "";
		if (mode == GIT_FILEMODE_TREE) {
			git_tree *t = NULL;
			if (git_tree_lookup(&t, g->repo, git_tree_entry_id(e)))
				return -1;
			int rc = index_id(g, t, sub);
			git_tree_free(t);
			if (rc)
				return rc;
		}
		ct_sha1_add(&h, mode == GIT_FILEMODE_TREE ? "d " : "f ", 2);
		ct_sha1_add(&h, name, strlen(name) + 1);
		ct_sha1_add(&h, sub, strlen(sub));
	}
	ct_sha1_hex(&h, out);
	memo_put(&g->memo, tid, out);
	return 0;
}

int ct_git_index_id(struct ct_git *g, char out[41], struct ct_err *err)
{
	if (index_id(g, g->tree, out))
		return fail(err, CT_EIO, "cannot list", g->label);
	return 0;
}

int ct_git_move(struct ct_git *g, const char *commit, struct ct_err *err)
{
	git_tree *old = g->tree;
	char was[GIT_OID_HEXSZ + 1];
	long long time = g->time;
	int rc;

	memcpy(was, g->commit, sizeof(was));
	g->tree = NULL;
	if ((rc = resolve(g, commit, err)) ||
	    (g->subdir && (rc = descend(g, g->subdir, err)))) {
		git_tree_free(g->tree);
		g->tree = old;
		memcpy(g->commit, was, sizeof(was));
		g->time = time;
		return rc;
	}
	git_tree_free(old);
	return 0;
}

static void fill_commit(struct ct_git_commit *out, const git_commit *c)
{
	const char *summary = git_commit_summary((git_commit *)c);

	memset(out, 0, sizeof(*out));
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(c));
	out->time = (long long)git_commit_time(c);
	out->nparents = git_commit_parentcount(c);
	if (out->nparents > 1)
		git_oid_tostr(out->merged, sizeof(out->merged),
			      git_commit_parent_id(c, 1));
	snprintf(out->summary, sizeof(out->summary), "%s",
		 summary ? summary : "");
}

int ct_git_history(struct ct_git *g, const char *from, const char *hide,
		   int first_parent, struct ct_git_commit **out, size_t *n,
		   struct ct_err *err)
{
	git_revwalk *walk = NULL;
	git_oid id;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, g->repo)) {
		rc = fail(err, CT_EIO, "cannot walk the history of", g->label);
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (first_parent)
		git_revwalk_simplify_first_parent(walk);
	{
		git_object *obj = NULL;
		if (git_revparse_single(&obj, g->repo, from)) {
			rc = unknown_ref(g->repo, from, g->label, err);
			goto done;
		}
		git_object *peeled = NULL;
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
			git_object_free(obj);
			rc = ct_err_set(err, CT_EINVAL,
					"'%s' in '%s' is not a commit", from,
					g->label);
			goto done;
		}
		git_revwalk_push(walk, git_object_id(peeled));
		git_object_free(peeled);
		git_object_free(obj);
	}
	if (hide) {
		git_object *obj = NULL, *peeled = NULL;
		if (git_revparse_single(&obj, g->repo, hide) ||
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
			git_object_free(obj);
			rc = unknown_ref(g->repo, hide, g->label, err);
			goto done;
		}
		git_revwalk_hide(walk, git_object_id(peeled));
		git_object_free(peeled);
		git_object_free(obj);
	}
	while (!git_revwalk_next(&id, walk)) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &id)) {
			rc = fail(err, CT_EIO, "cannot read a commit of",
				  g->label);
			goto done;
		}
		*out = ct_xgrow(*out, &cap, *n + 1, sizeof(**out));
		fill_commit(&(*out)[(*n)++], c);
		git_commit_free(c);
	}
done:
	git_revwalk_free(walk);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- tags ----------------------------------------------------------------
 */

struct tag_walk {
	git_repository *repo;
	struct ct_buf *out;
};

static int each_tag(const char *name, git_oid *oid, void *data)
{
	struct tag_walk *w = data;
	git_object *obj = NULL, *commit = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	/* a tag that names no commit (a tree, a blob) is no release */
	if (!git_object_lookup(&obj, w->repo, oid, GIT_OBJECT_ANY) &&
	    !git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)) {
		git_oid_tostr(hex, sizeof(hex), git_object_id(commit));
		ct_buf_adds(w->out, name + strlen("refs/tags/"));
		ct_buf_addch(w->out, '\0');
		ct_buf_add(w->out, hex, GIT_OID_HEXSZ + 1);
		ct_buf_addf(w->out, "%lld",
			    (long long)git_commit_time((git_commit *)commit));
		ct_buf_addch(w->out, '\0');
	}
	git_object_free(commit);
	git_object_free(obj);
	return 0;
}

static int list_tags(git_repository *repo, const char *label,
		     struct ct_buf *out, struct ct_err *err)
{
	struct tag_walk w = {repo, out};

	if (git_tag_foreach(repo, each_tag, &w))
		return fail(err, CT_EIO, "cannot list the tags of", label);
	return 0;
}

int ct_git_tags(struct ct_git *g, struct ct_buf *out, struct ct_err *err)
{
	return list_tags(g->repo, g->label, out, err);
}

int ct_git_tags_at(const char *path, char head[41], long long *head_time,
		   struct ct_buf *out, struct ct_err *err)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;
	int rc = 0;

	head[0] = '\0';
	*head_time = 0;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, path, 0, NULL))
		goto done; /* in no repository: no tags */
	if (!git_revparse_single(&obj, repo, "HEAD^{commit}")) {
		git_oid_tostr(head, GIT_OID_HEXSZ + 1, git_object_id(obj));
		*head_time = (long long)git_commit_time((git_commit *)obj);
	}
	rc = list_tags(repo, path, out, err);
done:
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

int ct_git_is_ancestor(struct ct_git *g, const char *root, const char *ancestor,
		       const char *commit)
{
	git_repository *repo = g ? g->repo : NULL;
	git_oid a, b;
	int yes = 0;

	if (!g) {
		git_libgit2_init();
		if (git_repository_open_ext(&repo, root, 0, NULL)) {
			git_libgit2_shutdown();
			return 0;
		}
	}
	if (!git_oid_fromstr(&a, ancestor) && !git_oid_fromstr(&b, commit))
		yes = git_oid_equal(&a, &b) ||
		      git_graph_descendant_of(repo, &b, &a) == 1;
	if (!g) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}
	return yes;
}

void ct_git_hold(void)
{
	git_libgit2_init();
}

void ct_git_unhold(void)
{
	git_libgit2_shutdown();
}
