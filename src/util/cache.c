/* cache.c - the content-addressed store: DIR/facts/KIND/ab/cdef..., each
 * entry a header and its bytes (see cache.h). */
#include "contracts/cache.h"

#include "contracts/file.h"
#include "contracts/strset.h"
#include "contracts/xalloc.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "ctcache"
#define HEADER 32 /* magic[7] format[1] len[8] sum[8] reserved[8] */
#define MAX_ENTRY ((uint64_t)256 << 20)

/* An entry to write: the writer thread renames `tmp` to `path`. */
struct job {
	char *path, *tmp;
	unsigned char *bytes; /* header and data */
	size_t len;
	struct job *next;
};

/* Entries queued for writing at most, in bytes: a run that makes many
 * waits for the disk rather than holding them all. */
#define MAX_QUEUED ((size_t)8 << 20)

struct ct_cache {
	char *dir;   /* the cache folder */
	char *facts; /* dir/facts */
	int off;
	char *warning;
	struct ct_cache_counts counts;
	unsigned serial;       /* names of this process's temporaries */
	struct ct_strset made; /* the folders "KIND/ab" known to exist */
	/* entries are written by a thread of their own, so a cold run
	 * parses while the disk writes; `lock` guards what follows and
	 * `off`, `warning` and `counts.writes` */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t writer;
	int started, stop, busy;
	struct job *head, *tail;
	size_t queued;
};

/* `verb` is "create" or "write to". */
static void turn_off(struct ct_cache *c, const char *verb, int errnum)
{
	char line[1024];

	c->off = 1;
	if (c->warning)
		return;
	snprintf(line, sizeof(line),
		 "cannot %s the cache folder '%s' (%s): running without the "
		 "cache",
		 verb, c->facts, strerror(errnum));
	c->warning = ct_xstrdup(line);
}

struct ct_cache *ct_cache_open(const char *dir)
{
	struct ct_cache *c = ct_xcalloc(1, sizeof(*c));
	struct ct_buf b = CT_BUF_INIT;

	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->changed, NULL);
	struct ct_err err = CT_ERR_INIT;
	const char *env = getenv("CONTRACTS_CACHE");

	if (dir)
		ct_buf_adds(&b, dir);
	else if ((env = getenv("CONTRACTS_CACHE_DIR")) && *env)
		ct_buf_adds(&b, env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		ct_buf_addf(&b, "%s/contracts", env);
	else if ((env = getenv("HOME")) && *env)
		ct_buf_addf(&b, "%s/.cache/contracts", env);
	c->dir = ct_buf_detach(&b, NULL);
	ct_buf_addf(&b, "%s/facts", c->dir);
	c->facts = ct_buf_detach(&b, NULL);
	env = getenv("CONTRACTS_CACHE");
	if (env && !strcmp(env, "off"))
		c->off = 1;
	else if (!*c->dir) {
		c->off = 1;
		c->warning = ct_xstrdup(
		    "no cache folder (set CONTRACTS_CACHE_DIR): running without "
		    "the cache");
	} else if (ct_file_mkdirs(c->facts, &err))
		turn_off(c, "create", errno ? errno : EACCES);
	return c;
}

void ct_cache_free(struct ct_cache *c)
{
	if (!c)
		return;
	ct_cache_flush(c);
	if (c->started) {
		pthread_mutex_lock(&c->lock);
		c->stop = 1;
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->writer, NULL);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->changed);
	free(c->dir);
	free(c->facts);
	free(c->warning);
	ct_strset_release(&c->made);
	free(c);
}

const char *ct_cache_dir(const struct ct_cache *c)
{
	return c->dir;
}

int ct_cache_enabled(const struct ct_cache *c)
{
	struct ct_cache *m = (struct ct_cache *)c;
	int on;

	pthread_mutex_lock(&m->lock);
	on = !c->off;
	pthread_mutex_unlock(&m->lock);
	return on;
}

const char *ct_cache_warning(const struct ct_cache *c)
{
	ct_cache_flush((struct ct_cache *)c);
	return c->warning;
}

struct ct_cache_counts ct_cache_counts(const struct ct_cache *c)
{
	ct_cache_flush((struct ct_cache *)c);
	return c->counts;
}

void ct_cache_flush(struct ct_cache *c)
{
	pthread_mutex_lock(&c->lock);
	while (c->head || c->busy)
		pthread_cond_wait(&c->changed, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

static int valid_name(const char *kind, const char *id)
{
	size_t n = strlen(id), k = strlen(kind);

	if (n < 8 || n > 64 || strspn(id, "0123456789abcdef") != n)
		return 0;
	if (!k || k > 16)
		return 0;
	for (const char *p = kind; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

static void entry_path(struct ct_buf *out, const struct ct_cache *c,
		       const char *kind, const char *id)
{
	ct_buf_addf(out, "%s/%s/%.2s/%s", c->facts, kind, id, id + 2);
}

/* A 64-bit checksum over the id and the bytes, eight bytes at a step:
 * enough to catch a torn or foreign entry (the ids themselves are
 * SHA-1), and fast beside the read. */
static uint64_t checksum(const char *id, const void *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u ^ len;
	const unsigned char *p = (const unsigned char *)id;
	size_t i = 0;

	for (; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	p = data;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15u;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return h;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ct_cache_get(struct ct_cache *c, const char *kind, const char *id,
		 struct ct_buf *out)
{
	struct ct_buf path = CT_BUF_INIT;
	unsigned char head[HEADER];
	uint64_t len;
	size_t at = out->len;
	int fd, rc = CT_ENOTFOUND;

	if (!ct_cache_enabled(c) || !valid_name(kind, id))
		return CT_ENOTFOUND;
	entry_path(&path, c, kind, id);
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	ct_buf_release(&path);
	if (fd < 0) {
		c->counts.misses++;
		return CT_ENOTFOUND;
	}
	if (read_all(fd, head, HEADER) || memcmp(head, MAGIC, 7) ||
	    head[7] != CT_CACHE_FORMAT || (len = get64(head + 8)) > MAX_ENTRY)
		goto damaged;
	if (ct_buf_grow(out, (size_t)len))
		goto damaged;
	if (read_all(fd, out->ptr + at, (size_t)len))
		goto damaged;
	{ /* nothing may follow */
		char extra;
		if (read(fd, &extra, 1) != 0)
			goto damaged;
	}
	if (checksum(id, out->ptr + at, (size_t)len) != get64(head + 16))
		goto damaged;
	out->len = at + (size_t)len;
	out->ptr[out->len] = '\0';
	c->counts.hits++;
	rc = 0;
	goto done;
damaged:
	c->counts.damaged++;
	c->counts.misses++;
	out->len = at;
	out->ptr[at] = '\0';
done:
	close(fd);
	return rc;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes one job: 0, or the errno that turns the cache off. */
static int write_job(const struct job *j)
{
	int fd = open(j->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	int e;

	if (fd < 0)
		return errno ? errno : EIO;
	if (write_all(fd, j->bytes, j->len)) {
		e = errno ? errno : ENOSPC;
		close(fd);
		unlink(j->tmp);
		return e;
	}
	close(fd);
	if (rename(j->tmp, j->path)) {
		e = errno;
		unlink(j->tmp);
		return e;
	}
	return 0;
}

static void free_job(struct job *j)
{
	free(j->path);
	free(j->tmp);
	free(j->bytes);
	free(j);
}

static void *writer(void *data)
{
	struct ct_cache *c = data;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct job *j;
		int e, skip;
		while (!c->head && !c->stop)
			pthread_cond_wait(&c->changed, &c->lock);
		if (!c->head)
			break;
		j = c->head;
		c->head = j->next;
		if (!c->head)
			c->tail = NULL;
		c->queued -= j->len;
		c->busy = 1;
		skip = c->off;
		pthread_mutex_unlock(&c->lock);
		e = skip ? 0 : write_job(j);
		pthread_mutex_lock(&c->lock);
		c->busy = 0;
		if (e)
			turn_off(c, "write to", e);
		else if (!c->off)
			c->counts.writes++;
		free_job(j);
		pthread_cond_broadcast(&c->changed);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

void ct_cache_put(struct ct_cache *c, const char *kind, const char *id,
		  const void *data, size_t len)
{
	struct ct_buf path = CT_BUF_INIT, tmp = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct job *j;

	if (!ct_cache_enabled(c) || !valid_name(kind, id))
		return;
	entry_path(&path, c, kind, id);
	/* a temporary of this process, renamed into place: another process
	 * writing the same entry writes the same bytes */
	ct_buf_addf(&tmp, "%s.tmp.%ld.%u", path.ptr, (long)getpid(),
		    c->serial++);
	{ /* its folder, made once per run */
		char dir[24];
		snprintf(dir, sizeof(dir), "%s/%.2s", kind, id);
		if (!ct_strset_has(&c->made, dir) &&
		    !ct_file_mkdirs_parent(path.ptr, &err))
			ct_strset_add(&c->made, dir);
	}
	j = ct_xcalloc(1, sizeof(*j));
	j->path = ct_buf_detach(&path, NULL);
	j->tmp = ct_buf_detach(&tmp, NULL);
	j->len = HEADER + len;
	j->bytes = ct_xmalloc(j->len);
	memset(j->bytes, 0, HEADER);
	memcpy(j->bytes, MAGIC, 7);
	j->bytes[7] = CT_CACHE_FORMAT;
	put64(j->bytes + 8, len);
	put64(j->bytes + 16, checksum(id, data, len));
	memcpy(j->bytes + HEADER, data, len);
	pthread_mutex_lock(&c->lock);
	if (!c->started) {
		c->started = !pthread_create(&c->writer, NULL, writer, c);
		if (!c->started) { /* no thread: write here */
			int e;
			pthread_mutex_unlock(&c->lock);
			e = write_job(j);
			pthread_mutex_lock(&c->lock);
			if (e)
				turn_off(c, "write to", e);
			else
				c->counts.writes++;
			pthread_mutex_unlock(&c->lock);
			free_job(j);
			return;
		}
	}
	while (c->queued && c->queued + j->len > MAX_QUEUED && !c->off)
		pthread_cond_wait(&c->changed, &c->lock);
	if (c->tail)
		c->tail->next = j;
	else
		c->head = j;
	c->tail = j;
	c->queued += j->len;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

/* ---- what is on disk ------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder `dir` (sorted), without "." and "..". */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		v = ct_xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = ct_xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Walks kind folder `kdir`: counts entries (and bytes), or removes them
 * and any temporary when `remove`. */
static void walk_kind(const char *kdir, int remove, size_t *entries,
		      uint64_t *bytes)
{
	size_t nfan, nent;
	char **fan = list_dir(kdir, &nfan);
	struct ct_buf p = CT_BUF_INIT;

	for (size_t i = 0; i < nfan; i++) {
		char **ent;
		ct_buf_reset(&p);
		ct_buf_addf(&p, "%s/%s", kdir, fan[i]);
		ent = list_dir(p.ptr, &nent);
		for (size_t k = 0; k < nent; k++) {
			struct ct_buf f = CT_BUF_INIT;
			struct stat st;
			int temp = strstr(ent[k], ".tmp.") != NULL;
			ct_buf_addf(&f, "%s/%s", p.ptr, ent[k]);
			if (!remove && !temp && !stat(f.ptr, &st) &&
			    S_ISREG(st.st_mode)) {
				(*entries)++;
				*bytes += (uint64_t)st.st_size;
			} else if (remove && !unlink(f.ptr) && !temp) {
				(*entries)++;
			}
			ct_buf_release(&f);
		}
		free_list(ent, nent);
		if (remove)
			rmdir(p.ptr);
	}
	free_list(fan, nfan);
	if (remove)
		rmdir(kdir);
	ct_buf_release(&p);
}

int ct_cache_scan(const struct ct_cache *c, ct_cache_kind_fn fn, void *data,
		  struct ct_err *err)
{
	size_t nkinds;
	char **kinds = list_dir(c->facts, &nkinds);
	struct ct_buf p = CT_BUF_INIT;

	(void)err;
	for (size_t i = 0; i < nkinds; i++) {
		size_t entries = 0;
		uint64_t bytes = 0;
		ct_buf_reset(&p);
		ct_buf_addf(&p, "%s/%s", c->facts, kinds[i]);
		walk_kind(p.ptr, 0, &entries, &bytes);
		fn(kinds[i], entries, bytes, data);
	}
	free_list(kinds, nkinds);
	ct_buf_release(&p);
	return 0;
}

int ct_cache_clear(struct ct_cache *c, size_t *removed, struct ct_err *err)
{
	ct_cache_flush(c);
	size_t nkinds;
	char **kinds = list_dir(c->facts, &nkinds);
	struct ct_buf p = CT_BUF_INIT;
	uint64_t unused = 0;
	struct stat st;

	*removed = 0;
	for (size_t i = 0; i < nkinds; i++) {
		ct_buf_reset(&p);
		ct_buf_addf(&p, "%s/%s", c->facts, kinds[i]);
		walk_kind(p.ptr, 1, removed, &unused);
	}
	free_list(kinds, nkinds);
	ct_buf_release(&p);
	/* what is left could not be removed */
	kinds = list_dir(c->facts, &nkinds);
	free_list(kinds, nkinds);
	if (nkinds && !stat(c->facts, &st))
		return ct_err_set(
		    err, CT_EIO, "cannot remove every entry of '%s'", c->facts);
	return 0;
}
