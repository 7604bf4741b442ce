#include "contracts/pyrepo.h"

#include "contracts/cache.h"
#include "contracts/keymap.h"
#include "contracts/sha1.h"
#include "contracts/strset.h"
#include "contracts/xalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 32
#define MAX_STARS 16 /* `from M import *` a lookup follows in a module */

enum state { UNREAD, PARSED, FAILED };

/* The names a module binds at module level (blocks included, class and
 * function bodies not), each with the first statement that binds it, and
 * its first `from M import *`: a lookup without a scan of the module. */
struct names {
	struct ct_keymap first; /* name -> the statement, in stmts */
	const struct ct_pystmt **stmts;
	size_t nstmts, capstmts;
	const struct ct_pystmt *stars[MAX_STARS];
	size_t nstars;
};

struct entry {
	char *path;
	enum state state;
	int lite;      /* parsed with CT_PY_DROP_BODIES: no function bodies */
	char blob[41]; /* PARSED: the blob parsed, when the view knows ids */
	struct ct_pymodule *mod;
	struct names *names; /* of mod, once a lookup asked; or NULL */
	struct ct_err *err;  /* FAILED */
};

struct ct_pyrepo {
	struct entry *files; /* sorted by path */
	size_t n;
	char **dirs; /* every folder that holds a file, sorted */
	size_t ndirs;
	ct_pyrepo_read_fn read;
	void *data;
	unsigned flags;
	struct ct_cache *cache; /* borrowed; NULL: none */
	ct_pyrepo_id_fn id;
	ct_pyrepo_touch_fn touch;
	void *touch_data;
	/* what filters refused, by filter and blob: "KEY\nBLOB" */
	const char *filter_key;
	struct ct_strset own_refused, *refused;
	size_t parsed, bytes;
	/* lite parses replaced by full ones: still borrowed by whoever asked
	 * for them, so kept until the view goes */
	struct ct_pymodule **old;
	size_t nold, capold;
	/* absolute imports resolved so far, by importer folder and name */
	struct ct_keymap resolved_of;
	struct resolved *resolved;
	size_t nresolved, capresolved;
};

/* snprintf that says whether it all fit (paths longer than the buffers
 * resolve to nothing rather than to a truncated name). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
put(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < size;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
		      ((const struct entry *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ct_pyrepo *ct_pyrepo_new(const char *const *paths, size_t n,
				ct_pyrepo_read_fn read, void *data,
				unsigned flags)
{
	struct ct_pyrepo *r = ct_xcalloc(1, sizeof(*r));
	size_t capdirs = 0;

	r->files = ct_xcalloc(n ? n : 1, sizeof(*r->files));
	for (size_t i = 0; i < n; i++) {
		char *slash, *p = ct_xstrdup(paths[i]);
		r->files[r->n++].path = ct_xstrdup(paths[i]);
		/* every ancestor folder, for namespace packages */
		while ((slash = strrchr(p, '/'))) {
			*slash = '\0';
			r->dirs = ct_xgrow(r->dirs, &capdirs, r->ndirs + 1,
					   sizeof(*r->dirs));
			r->dirs[r->ndirs++] = ct_xstrdup(p);
		}
		free(p);
	}
	qsort(r->files, r->n, sizeof(*r->files), cmp_entry);
	/* drop duplicates */
	for (size_t i = 1, k = 1; i <= r->n; i++) {
		if (i == r->n) {
			r->n = r->n ? k : 0;
			break;
		}
		if (!strcmp(r->files[i].path, r->files[k - 1].path))
			free(r->files[i].path);
		else
			r->files[k++] = r->files[i];
	}
	if (r->ndirs) {
		size_t k = 1;
		qsort(r->dirs, r->ndirs, sizeof(*r->dirs), cmp_str);
		for (size_t i = 1; i < r->ndirs; i++) {
			if (!strcmp(r->dirs[i], r->dirs[k - 1]))
				free(r->dirs[i]);
			else
				r->dirs[k++] = r->dirs[i];
		}
		r->ndirs = k;
	}
	r->read = read;
	r->data = data;
	r->flags = flags;
	r->refused = &r->own_refused;
	return r;
}

static void names_free(struct names *names)
{
	if (!names)
		return;
	ct_keymap_release(&names->first);
	free(names->stmts);
	free(names);
}

void ct_pyrepo_free(struct ct_pyrepo *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->files[i].path);
		ct_pymodule_free(r->files[i].mod);
		names_free(r->files[i].names);
		free(r->files[i].err);
	}
	for (size_t i = 0; i < r->nold; i++)
		ct_pymodule_free(r->old[i]);
	ct_strset_release(&r->own_refused);
	free(r->old);
	ct_keymap_release(&r->resolved_of);
	free(r->resolved);
	for (size_t i = 0; i < r->ndirs; i++)
		free(r->dirs[i]);
	free(r->files);
	free(r->dirs);
	free(r);
}

static struct entry *find(const struct ct_pyrepo *r, const char *path)
{
	struct entry key;

	key.path = (char *)path;
	return r->n
		   ? bsearch(&key, r->files, r->n, sizeof(*r->files), cmp_entry)
		   : NULL;
}

static int is_dir(const struct ct_pyrepo *r, const char *path)
{
	return r->ndirs &&
	       bsearch(&path, r->dirs, r->ndirs, sizeof(*r->dirs), cmp_str);
}

int ct_pyrepo_has(const struct ct_pyrepo *r, const char *path)
{
	return find(r, path) != NULL;
}

static void fail(struct entry *e, const struct ct_err *err)
{
	e->state = FAILED;
	e->err = ct_xmalloc(sizeof(*e->err));
	*e->err = *err;
}

static void parsed(struct ct_pyrepo *r, struct entry *e,
		   struct ct_pymodule *mod, unsigned flags)
{
	if (e->state == PARSED && e->mod) { /* a lite parse made whole */
		r->old =
		    ct_xgrow(r->old, &r->capold, r->nold + 1, sizeof(*r->old));
		r->old[r->nold++] = e->mod;
	}
	names_free(e->names);
	e->names = NULL;
	e->state = PARSED;
	e->mod = mod;
	e->lite = (flags & CT_PY_DROP_BODIES) != 0;
	if (!r->id || r->id(r->data, e->path, e->blob))
		e->blob[0] = '\0';
	r->parsed++;
	r->bytes += mod->len;
}

void ct_pyrepo_set_cache(struct ct_pyrepo *r, struct ct_cache *cache,
			 ct_pyrepo_id_fn id)
{
	r->cache = cache;
	r->id = id;
}

void ct_pyrepo_set_observer(struct ct_pyrepo *r, ct_pyrepo_touch_fn touch,
			    void *data)
{
	r->touch = touch;
	r->touch_data = data;
}

void ct_pyrepo_set_filter_key(struct ct_pyrepo *r, const char *key)
{
	r->filter_key = key;
}

void ct_pyrepo_share_refusals(struct ct_pyrepo *r, struct ct_strset *set)
{
	r->refused = set ? set : &r->own_refused;
}

/* The name of what the current filter decided about `path`'s blob, or
 * NULL when decisions are not remembered. */
static const char *refusal(struct ct_pyrepo *r, const char *path,
			   struct ct_buf *b)
{
	char blob[41];

	if (!r->filter_key || !r->id || r->id(r->data, path, blob))
		return NULL;
	ct_buf_reset(b);
	ct_buf_addf(b, "%s\n%s", r->filter_key, blob);
	return b->ptr;
}

static void touched(struct ct_pyrepo *r, const char *path)
{
	if (r->touch)
		r->touch(r->touch_data, path);
}

/* The cache entry of `path` parsed with `flags`: kind "py<flags>", named
 * by the blob id. 0 with kind and id filled, or -1 when there is no cache
 * or the blob id is unknown. */
static int entry_name(struct ct_pyrepo *r, const char *path, unsigned flags,
		      char kind[16], char id[41])
{
	char blob[41];
	struct ct_sha1 h;

	if (!r->cache || !r->id || !ct_cache_enabled(r->cache) ||
	    r->id(r->data, path, blob))
		return -1;
	/* what a parse gives depends on the parser too: a new version of
	 * the tool starts afresh */
	snprintf(kind, 16, "py%u", flags & 0xffu);
	ct_sha1_init(&h);
	ct_sha1_add(&h, CT_VERSION, sizeof(CT_VERSION));
	ct_sha1_add(&h, blob, 40);
	ct_sha1_hex(&h, id);
	return 0;
}

/* What the cache knows of `path` parsed with `flags`: 1 with *mod set, or
 * with *err set for a file that does not parse; 0 when it knows nothing
 * (or only a damaged entry). A file whose full parse is cached serves a
 * lite request too. */
static int from_cache(struct ct_pyrepo *r, const char *path, unsigned flags,
		      struct ct_pymodule **mod, struct ct_err *err,
		      unsigned *got)
{
	char kind[16], id[41];
	struct ct_buf b = CT_BUF_INIT;
	int found = 0;

	for (int pass = 0; pass < 2 && !found; pass++) {
		unsigned f = pass ? flags & ~CT_PY_DROP_BODIES : flags;
		if ((pass && f == flags) || entry_name(r, path, f, kind, id))
			continue;
		ct_buf_reset(&b);
		if (ct_cache_get(r->cache, kind, id, &b))
			continue;
		*got = f;
		if (!ct_pymodule_load(mod, b.ptr, b.len, path))
			found = 1;
		else if (!ct_pyerror_load(err, b.ptr, b.len, path))
			found = 1, *mod = NULL;
	}
	ct_buf_release(&b);
	return found;
}

/* Keeps what parsing `path` with `flags` gave: the module, or its error. */
static void to_cache(struct ct_pyrepo *r, const char *path, unsigned flags,
		     const struct ct_pymodule *mod, const struct ct_err *err)
{
	char kind[16], id[41];
	struct ct_buf b = CT_BUF_INIT;

	if (entry_name(r, path, flags, kind, id))
		return;
	if (mod)
		ct_pymodule_save(&b, mod);
	else
		ct_pyerror_save(&b, err);
	ct_cache_put(r->cache, kind, id, b.ptr, b.len);
	ct_buf_release(&b);
}

/* The module of e; `lite_ok`: without function bodies will do (names,
 * classes and module constants), which a module needed only to resolve
 * a name is parsed as, holding a fraction of the memory. */
static int get(const struct ct_pymodule **out, struct ct_pyrepo *r,
	       struct entry *e, int lite_ok, struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_pymodule *mod = NULL;
	struct ct_err perr = CT_ERR_INIT;
	unsigned flags = lite_ok ? r->flags | CT_PY_DROP_BODIES : r->flags;

	touched(r, e->path);
	if (e->state == UNREAD ||
	    (e->state == PARSED && e->lite && !(flags & CT_PY_DROP_BODIES))) {
		unsigned got;
		if (from_cache(r, e->path, flags, &mod, &perr, &got)) {
			if (mod)
				parsed(r, e, mod, got);
			else
				fail(e, &perr);
		} else if (r->read(r->data, e->path, &text, &perr)) {
			fail(e, &perr);
		} else if (ct_pymodule_parse_ex(&mod, text.ptr, text.len,
						e->path, flags, &perr)) {
			to_cache(r, e->path, flags, NULL, &perr);
			fail(e, &perr);
		} else {
			to_cache(r, e->path, flags, mod, NULL);
			parsed(r, e, mod, flags);
		}
		ct_buf_release(&text);
	}
	if (e->state == FAILED) {
		*err = *e->err;
		return err->code ? err->code : CT_EPARSE;
	}
	*out = e->mod;
	return 0;
}

int ct_pyrepo_module(const struct ct_pymodule **out, struct ct_pyrepo *r,
		     const char *path, struct ct_err *err)
{
	struct entry *e = find(r, path);

	if (!e)
		return ct_err_set(err, CT_ENOTFOUND, "no file %s", path);
	return get(out, r, e, 0, err);
}

int ct_pyrepo_module_lite(const struct ct_pymodule **out, struct ct_pyrepo *r,
			  const char *path, struct ct_err *err)
{
	struct entry *e = find(r, path);

	if (!e)
		return ct_err_set(err, CT_ENOTFOUND, "no file %s", path);
	return get(out, r, e, 1, err);
}

/* ---- parsing on every core ---------------------------------------------- */

struct work {
	const char **paths;
	struct ct_buf *texts;
	struct ct_pymodule **mods;
	struct ct_err *errs;
	int *rcs;
	unsigned char *ready; /* from the cache: nothing to parse */
	unsigned *got;	      /* the flags a module was parsed with */
	size_t n, next;
	unsigned flags;
	pthread_mutex_t lock;
};

static void *parse_some(void *data)
{
	struct work *w = data;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->n)
			return NULL;
		if (w->ready[i])
			continue;
		w->rcs[i] = ct_pymodule_parse_ex(&w->mods[i], w->texts[i].ptr,
						 w->texts[i].len, w->paths[i],
						 w->flags, &w->errs[i]);
		ct_buf_release(&w->texts[i]);
	}
}

/* Parses texts[0..n) (released on the way) into mods, rcs and errs. */
static void parse_all(struct work *w)
{
	pthread_t threads[8];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = w->n < 4    ? 0
			  : cores < 2 ? 0
			  : cores > 8 ? 8
				      : (size_t)cores;
	size_t started = 0;

	w->next = 0;
	pthread_mutex_init(&w->lock, NULL);
	for (; started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, parse_some, w))
			break;
	parse_some(w); /* this thread works too */
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&w->lock);
}

static void work_init(struct work *w, size_t cap, unsigned flags)
{
	memset(w, 0, sizeof(*w));
	cap = cap ? cap : 1;
	w->paths = ct_xcalloc(cap, sizeof(*w->paths));
	w->texts = ct_xcalloc(cap, sizeof(*w->texts));
	w->mods = ct_xcalloc(cap, sizeof(*w->mods));
	w->errs = ct_xcalloc(cap, sizeof(*w->errs));
	w->rcs = ct_xcalloc(cap, sizeof(*w->rcs));
	w->ready = ct_xcalloc(cap, sizeof(*w->ready));
	w->got = ct_xcalloc(cap, sizeof(*w->got));
	w->flags = flags;
}

static void work_release(struct work *w)
{
	free(w->paths);
	free(w->texts);
	free(w->mods);
	free(w->errs);
	free(w->rcs);
	free(w->ready);
	free(w->got);
}

/* Hands what was parsed (not what came from the cache) to the cache. */
static void keep_parsed(struct ct_pyrepo *r, const struct work *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (!w->ready[i])
			to_cache(r, w->paths[i], w->flags,
				 w->rcs[i] ? NULL : w->mods[i], &w->errs[i]);
}

/* Reads `e` into the next slot of w, when the filter takes it: 1 when
 * queued, 0 when skipped, -1 (with *err) when unreadable. Reading stays on
 * this thread: the reader need not be thread-safe. */
static int queue(struct work *w, struct ct_pyrepo *r, const struct entry *e,
		 ct_pyrepo_filter_fn filter, void *data, struct ct_err *err)
{
	struct ct_buf init = CT_BUF_INIT;
	size_t i = w->n;
	struct ct_pymodule *mod = NULL;
	struct ct_err perr = CT_ERR_INIT;
	unsigned got = w->flags;
	struct ct_buf name = CT_BUF_INIT;
	const char *refused = filter ? refusal(r, e->path, &name) : NULL;
	int cached;

	if (refused && ct_strset_has(r->refused, refused)) {
		ct_buf_release(&name);
		return 0; /* this blob was refused before */
	}
	cached = from_cache(r, e->path, w->flags, &mod, &perr, &got);

	w->texts[i] = init;
	w->ready[i] = 0;
	if (cached && mod) {
		/* the module holds its source: the filter reads that */
		if (filter && !filter(mod->source, mod->len, data)) {
			ct_pymodule_free(mod);
			if (refused)
				ct_strset_add(r->refused, refused);
			ct_buf_release(&name);
			return 0;
		}
		ct_buf_release(&name);
		w->ready[i] = 1;
		w->mods[i] = mod;
		w->rcs[i] = 0;
		w->got[i] = got;
		w->paths[w->n++] = e->path;
		return 1;
	}
	ct_buf_release(&name);
	if (r->read(r->data, e->path, &w->texts[i], err)) {
		ct_buf_release(&w->texts[i]);
		return -1;
	}
	if (filter && !filter(w->texts[i].ptr, w->texts[i].len, data)) {
		ct_buf_release(&w->texts[i]);
		if (refused && (refused = refusal(r, e->path, &name)))
			ct_strset_add(r->refused, refused);
		ct_buf_release(&name);
		return 0;
	}
	if (cached) { /* a known syntax error */
		ct_buf_release(&w->texts[i]);
		w->ready[i] = 1;
		w->mods[i] = NULL;
		w->errs[i] = perr;
		w->rcs[i] = perr.code ? perr.code : CT_EPARSE;
	}
	w->got[i] = w->flags;
	w->paths[w->n++] = e->path;
	return 1;
}

/* Whether `filter` takes the module e holds (its source, as queue() reads
 * a cached module's): what was parsed for another reader, or adopted from
 * another commit, is judged as if it were read now. */
static int takes(struct ct_pyrepo *r, const struct entry *e,
		 ct_pyrepo_filter_fn filter, void *data)
{
	struct ct_buf name = CT_BUF_INIT;
	const char *refused = refusal(r, e->path, &name);
	int ok = !refused || !ct_strset_has(r->refused, refused);

	if (ok && !filter(e->mod->source, e->mod->len, data)) {
		ok = 0;
		if (refused)
			ct_strset_add(r->refused, refused);
	}
	ct_buf_release(&name);
	return ok;
}

void ct_pyrepo_prefetch(struct ct_pyrepo *r, const char *const *paths, size_t n,
			ct_pyrepo_filter_fn filter, void *data,
			unsigned char *kept, int lite_ok)
{
	struct entry **todo = ct_xcalloc(n ? n : 1, sizeof(*todo));
	struct work w;
	unsigned flags = lite_ok ? r->flags | CT_PY_DROP_BODIES : r->flags;

	work_init(&w, n, flags);
	for (size_t i = 0; i < n; i++) {
		struct entry *e = find(r, paths[i]);
		struct ct_err err = CT_ERR_INIT;
		int q;
		if (kept)
			kept[i] = e && e->state != UNREAD;
		if (e)
			touched(r, e->path);
		if (kept && filter && e && e->state == PARSED)
			kept[i] = takes(r, e, filter, data);
		if (!e || e->state != UNREAD)
			continue;
		if ((q = queue(&w, r, e, filter, data, &err)) < 0) {
			fail(e, &err);
			if (kept)
				kept[i] = 1;
		} else if (q) {
			e->state =
			    PARSED; /* claimed: no duplicate in a batch */
			todo[w.n - 1] = e;
			if (kept)
				kept[i] = 1;
		}
	}
	parse_all(&w);
	keep_parsed(r, &w);
	for (size_t i = 0; i < w.n; i++) {
		todo[i]->state = UNREAD;
		if (w.rcs[i])
			fail(todo[i], &w.errs[i]);
		else
			parsed(r, todo[i], w.mods[i], w.got[i]);
	}
	work_release(&w);
	free(todo);
}

/* Files parsed at a time by a scan: enough for every core, few enough that
 * a scan holds little more than its largest files. */
#define SCAN_BATCH 4

void ct_pyrepo_scan(struct ct_pyrepo *r, const char *const *paths, size_t n,
		    ct_pyrepo_filter_fn filter, ct_pyrepo_visit_fn visit,
		    void *data, struct ct_errs *problems)
{
	struct work w;
	size_t i = 0;

	work_init(&w, SCAN_BATCH, r->flags & ~CT_PY_DROP_BODIES);
	while (i < n) {
		/* modules the view holds go as they come; the others are
		 * parsed in batches, visited in order, and freed */
		size_t start = i;
		w.n = 0;
		for (; i < n && w.n < SCAN_BATCH; i++) {
			struct entry *e = find(r, paths[i]);
			struct ct_err err = CT_ERR_INIT;
			if (e)
				touched(r, e->path);
			/* a lite module has no bodies: read it whole again */
			if (!e || e->state == FAILED ||
			    (e->state == PARSED && !e->lite))
				continue;
			if (queue(&w, r, e, filter, data, &err) < 0)
				ct_errs_add(problems, &err);
		}
		parse_all(&w);
		keep_parsed(r, &w);
		for (size_t k = start, b = 0; k < i; k++) {
			struct entry *e = find(r, paths[k]);
			if (!e)
				continue;
			if (b < w.n && !strcmp(w.paths[b], e->path)) {
				if (w.rcs[b]) {
					ct_errs_add(problems, &w.errs[b]);
				} else {
					visit(w.mods[b], data);
					ct_pymodule_free(w.mods[b]);
				}
				w.mods[b++] = NULL;
			} else if (e->state == PARSED && !e->lite) {
				visit(e->mod, data);
			} else if (e->state == FAILED) {
				ct_errs_add(problems, e->err);
			}
		}
	}
	work_release(&w);
}

void ct_pyrepo_adopt(struct ct_pyrepo *r, struct ct_pyrepo *old)
{
	char blob[41];

	if (!r->id)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct entry *e = &r->files[i], *o = find(old, e->path);
		if (!o || o->state != PARSED || !o->blob[0] ||
		    e->state != UNREAD || r->id(r->data, e->path, blob) ||
		    strcmp(blob, o->blob))
			continue;
		e->state = PARSED;
		e->mod = o->mod;
		e->lite = o->lite;
		e->names = o->names;
		memcpy(e->blob, o->blob, sizeof(e->blob));
		o->mod = NULL;
		o->names = NULL;
		o->state = UNREAD;
	}
}

size_t ct_pyrepo_parsed(const struct ct_pyrepo *r, size_t *bytes)
{
	if (bytes)
		*bytes = r->bytes;
	return r->parsed;
}

/* ---- modules by name ------------------------------------------------------
 */

/* A module as resolution sees it: a file (x.py or x/__init__.py), or a
 * namespace package (a folder without __init__.py). */
struct mod {
	char path[512];
	int package;   /* a folder: x/__init__.py, or a namespace package */
	int namespace; /* path is the folder; there is no file */
};

static void dirname_of(char *out, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n >= size)
		n = size - 1;
	memcpy(out, path, n);
	out[n] = '\0';
}

/* The module `dotted` under folder `base` ("" is the root). */
static int module_at(struct mod *out, const struct ct_pyrepo *r,
		     const char *base, const char *dotted)
{
	char rel[400], cand[520];
	size_t n = strlen(dotted);

	if (n >= sizeof(rel))
		return 0;
	for (size_t i = 0; i <= n; i++)
		rel[i] = dotted[i] == '.' ? '/' : dotted[i];
	memset(out, 0, sizeof(*out));
	if (put(cand, sizeof(cand), "%s%s%s.py", base, *base ? "/" : "", rel) &&
	    find(r, cand))
		return put(out->path, sizeof(out->path), "%s", cand);
	out->package = 1;
	if (put(cand, sizeof(cand), "%s%s%s/__init__.py", base,
		*base ? "/" : "", rel) &&
	    find(r, cand))
		return put(out->path, sizeof(out->path), "%s", cand);
	out->namespace = 1;
	if (put(cand, sizeof(cand), "%s%s%s", base, *base ? "/" : "", rel) &&
	    is_dir(r, cand))
		return put(out->path, sizeof(out->path), "%s", cand);
	return 0;
}

/* The folder a file's package chain starts from: up from its folder while
 * there is an __init__.py. */
static void chain_root(char *out, size_t size, const struct ct_pyrepo *r,
		       const char *path)
{
	char init[600];

	dirname_of(out, size, path);
	while (*out) {
		put(init, sizeof(init), "%s/__init__.py", out);
		if (!find(r, init))
			break;
		dirname_of(out, size, out);
	}
}

/* An absolute module: under the root, src/, or the importer's chain root. */
static int find_absolute(struct mod *out, const struct ct_pyrepo *r,
			 const char *importer, const char *dotted)
{
	char root[512];

	if (module_at(out, r, "", dotted) || module_at(out, r, "src", dotted))
		return 1;
	chain_root(root, sizeof(root), r, importer);
	return *root && module_at(out, r, root, dotted);
}

/* What find_absolute() gave for an importer folder and a dotted name (the
 * chain root is the folder's): the files of a package import alike. */
struct resolved {
	int found;
	struct mod m;
};

static int absolute(struct mod *out, struct ct_pyrepo *r, const char *importer,
		    const char *dotted)
{
	char key[1024];
	size_t at, n = strlen(dotted), i;

	dirname_of(key, 512, importer);
	at = strlen(key) + 1;
	if (at + n > sizeof(key))
		return find_absolute(out, r, importer, dotted);
	memcpy(key + at, dotted, n);
	if (!ct_keymap_get(&i, &r->resolved_of, key, at + n)) {
		r->resolved = ct_xgrow(r->resolved, &r->capresolved,
				       r->nresolved + 1, sizeof(*r->resolved));
		i = r->nresolved++;
		r->resolved[i].found =
		    find_absolute(&r->resolved[i].m, r, importer, dotted);
		ct_keymap_put(&r->resolved_of, key, at + n, i);
	}
	*out = r->resolved[i].m;
	return r->resolved[i].found;
}

/* Whether a dotted module name's top-level package is the repository's:
 * then a miss is the repository's fault, not an outside package. */
static int ours(struct ct_pyrepo *r, const char *importer, const char *dotted)
{
	char top[256];
	struct mod m;
	size_t n = strcspn(dotted, ".");

	if (n >= sizeof(top))
		return 0;
	memcpy(top, dotted, n);
	top[n] = '\0';
	return absolute(&m, r, importer, top);
}

/* `from <level dots><dotted> import ...` in file `importer`. */
static int relative(struct mod *out, const struct ct_pyrepo *r,
		    const char *importer, unsigned level, const char *dotted)
{
	char dir[512];

	dirname_of(dir, sizeof(dir), importer);
	for (unsigned i = 1; i < level; i++) {
		if (!*dir)
			return 0;
		dirname_of(dir, sizeof(dir), dir);
	}
	if (!dotted || !*dotted) {
		char init[600];
		memset(out, 0, sizeof(*out));
		out->package = 1;
		put(init, sizeof(init), "%s%s__init__.py", dir,
		    *dir ? "/" : "");
		if (find(r, init)) {
			put(out->path, sizeof(out->path), "%s", init);
			return 1;
		}
		out->namespace = 1;
		put(out->path, sizeof(out->path), "%s", dir);
		return 1;
	}
	return module_at(out, r, dir, dotted);
}

/* ---- names --------------------------------------------------------------- */

static int lookup_in(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct mod *m, const char *name, unsigned depth,
		     struct ct_err *err);
static int resolve(struct ct_pyname *out, struct ct_pyrepo *r,
		   const struct ct_pymodule *from, const struct ct_pyexpr *e,
		   unsigned depth, struct ct_err *err);
static int lookup(struct ct_pyname *out, struct ct_pyrepo *r,
		  const struct ct_pymodule *from, const char *name,
		  unsigned depth, struct ct_err *err);

static int module_name(struct ct_pyname *out, struct ct_pyrepo *r,
		       const struct mod *m, struct ct_err *err)
{
	memset(out, 0, sizeof(*out));
	out->kind = CT_PYNAME_MODULE;
	if (m->namespace) { /* no file: the folder names it */
		put(out->dotted, sizeof(out->dotted), "%s", m->path);
		return 0;
	}
	return ct_pyrepo_module_lite(&out->module, r, m->path, err);
}

static void external(struct ct_pyname *out, const char *module,
		     const char *name)
{
	memset(out, 0, sizeof(*out));
	out->kind = CT_PYNAME_EXTERNAL;
	put(out->dotted, sizeof(out->dotted), "%s%s%s", module,
	    name && *name ? "." : "", name ? name : "");
}

/* `from M import name` at statement s of module `from`. */
static int from_import(struct ct_pyname *out, struct ct_pyrepo *r,
		       const struct ct_pymodule *from,
		       const struct ct_pystmt *s, const char *name,
		       unsigned depth, struct ct_err *err)
{
	struct mod m;
	int found = s->level ? relative(&m, r, from->path, s->level, s->module)
		    : s->module ? absolute(&m, r, from->path, s->module)
				: 0;

	if (!found && !s->level && !s->module)
		return CT_ENOTFOUND; /* no module to follow */
	if (!found) {
		if (!s->level && !ours(r, from->path, s->module)) {
			external(out, s->module, name);
			return 0;
		}
		return ct_err_at(err, CT_ENOTFOUND, from->path, s->line,
				 s->col + 1, "no module %s%s in the repository",
				 s->level ? "." : "",
				 s->module ? s->module : "");
	}
	if (m.package && !m.namespace && !strcmp(m.path, from->path)) {
		/* a package's __init__ importing its own submodule: the
		 * submodule, not the name being bound here */
		char dir[512];
		struct mod sub;
		dirname_of(dir, sizeof(dir), m.path);
		if (module_at(&sub, r, dir, name))
			return module_name(out, r, &sub, err);
	}
	if (lookup_in(out, r, &m, name, depth + 1, err) == 0)
		return 0;
	if (err->code && err->code != CT_ENOTFOUND)
		return err->code;
	return ct_err_at(err, CT_ENOTFOUND, from->path, s->line, s->col + 1,
			 "%s%s defines no %s", s->level ? "." : "",
			 s->module ? s->module : "", name);
}

/* The first statement that binds `name` at module level (blocks included,
 * class and function bodies not). 1 when found, *out filled or an error;
 * 0 when nothing binds it here. `stars` collects `from M import *`. */
static int bind(struct ct_pyname *out, int *rc, struct ct_pyrepo *r,
		const struct ct_pymodule *mod, const struct ct_pystmt *body,
		size_t n, const char *name, const struct ct_pystmt **stars,
		size_t *nstars, unsigned depth, struct ct_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		switch (s->kind) {
		case CT_PY_CLASS:
			if (!strcmp(s->name, name)) {
				memset(out, 0, sizeof(*out));
				out->kind = CT_PYNAME_CLASS;
				out->module = mod;
				out->cls = s;
				*rc = 0;
				return 1;
			}
			break;
		case CT_PY_DEF:
			if (s->name && !strcmp(s->name, name)) {
				memset(out, 0, sizeof(*out));
				out->kind = CT_PYNAME_OTHER;
				out->module = mod;
				out->stmt = s;
				*rc = 0;
				return 1;
			}
			break;
		case CT_PY_ASSIGN:
		case CT_PY_ANNASSIGN:
			for (size_t t = 0; t < s->ntargets; t++) {
				if (s->targets[t]->kind != CT_PY_NAME ||
				    strcmp(s->targets[t]->str, name))
					continue;
				if (s->value &&
				    (s->value->kind == CT_PY_NAME ||
				     s->value->kind == CT_PY_ATTR)) {
					*rc = resolve(out, r, mod, s->value,
						      depth + 1, err);
					return 1;
				}
				memset(out, 0, sizeof(*out));
				out->kind = CT_PYNAME_OTHER;
				out->module = mod;
				out->stmt = s;
				*rc = 0;
				return 1;
			}
			break;
		case CT_PY_FROM:
			for (size_t k = 0; k < s->nnames; k++) {
				const struct ct_pyalias *a = &s->names[k];
				if (!strcmp(a->name, "*")) {
					if (*nstars < MAX_STARS)
						stars[(*nstars)++] = s;
					continue;
				}
				if (strcmp(a->asname ? a->asname : a->name,
					   name))
					continue;
				*rc = from_import(out, r, mod, s, a->name,
						  depth, err);
				return 1;
			}
			break;
		case CT_PY_IMPORT:
			for (size_t k = 0; k < s->nnames; k++) {
				const struct ct_pyalias *a = &s->names[k];
				char top[256];
				struct mod m;
				const char *dotted = a->name;
				if (a->asname) {
					if (strcmp(a->asname, name))
						continue;
				} else {
					size_t len = strcspn(a->name, ".");
					if (len >= sizeof(top) ||
					    strlen(name) != len ||
					    strncmp(a->name, name, len))
						continue;
					memcpy(top, a->name, len);
					top[len] = '\0';
					dotted = top; /* import a.b binds a */
				}
				if (absolute(&m, r, mod->path, dotted))
					*rc = module_name(out, r, &m, err);
				else if (!ours(r, mod->path, dotted))
					external(out, dotted, NULL), *rc = 0;
				else
					*rc = ct_err_at(
					    err, CT_ENOTFOUND, mod->path,
					    s->line, s->col + 1,
					    "no module %s in the repository",
					    dotted);
				return 1;
			}
			break;
		case CT_PY_BLOCK:
			if (bind(out, rc, r, mod, s->body, s->nbody, name,
				 stars, nstars, depth, err))
				return 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* `name` as an attribute of module m: a name its file binds, else a
 * submodule. */
static int lookup_in(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct mod *m, const char *name, unsigned depth,
		     struct ct_err *err)
{
	struct mod sub;
	int rc;

	if (depth > MAX_DEPTH)
		return CT_ENOTFOUND;
	if (!m->namespace) {
		const struct ct_pymodule *mod;
		if ((rc = ct_pyrepo_module_lite(&mod, r, m->path, err)))
			return rc;
		if ((rc = lookup(out, r, mod, name, depth, err)) !=
		    CT_ENOTFOUND)
			return rc;
		if (err->code)
			return rc;
	}
	if (m->package) {
		char dir[512];
		if (m->namespace)
			put(dir, sizeof(dir), "%s", m->path);
		else
			dirname_of(dir, sizeof(dir), m->path);
		if (module_at(&sub, r, dir, name))
			return module_name(out, r, &sub, err);
	}
	return CT_ENOTFOUND;
}

/* `name` (len bytes), bound by `s` unless an earlier statement binds it. */
static void index_name(struct names *names, const char *name, size_t len,
		       const struct ct_pystmt *s)
{
	if (!ct_keymap_put(&names->first, name, len, names->nstmts))
		return; /* an earlier statement binds it */
	names->stmts = ct_xgrow(names->stmts, &names->capstmts,
				names->nstmts + 1, sizeof(*names->stmts));
	names->stmts[names->nstmts++] = s;
}

/* Fills `names` from body[0..n), in the order bind() reads it. */
static void index_body(struct names *names, const struct ct_pystmt *body,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		switch (s->kind) {
		case CT_PY_CLASS:
		case CT_PY_DEF:
			if (s->name)
				index_name(names, s->name, strlen(s->name), s);
			break;
		case CT_PY_ASSIGN:
		case CT_PY_ANNASSIGN:
			for (size_t t = 0; t < s->ntargets; t++)
				if (s->targets[t]->kind == CT_PY_NAME)
					index_name(names, s->targets[t]->str,
						   strlen(s->targets[t]->str),
						   s);
			break;
		case CT_PY_FROM:
			for (size_t k = 0; k < s->nnames; k++) {
				const struct ct_pyalias *a = &s->names[k];
				const char *as =
				    a->asname ? a->asname : a->name;
				if (strcmp(a->name, "*"))
					index_name(names, as, strlen(as), s);
				else if (names->nstars < MAX_STARS)
					names->stars[names->nstars++] = s;
			}
			break;
		case CT_PY_IMPORT:
			for (size_t k = 0; k < s->nnames; k++) {
				const struct ct_pyalias *a = &s->names[k];
				size_t len = strcspn(a->name, ".");
				if (a->asname)
					index_name(names, a->asname,
						   strlen(a->asname), s);
				else if (len < 256) /* import a.b binds a */
					index_name(names, a->name, len, s);
			}
			break;
		case CT_PY_BLOCK:
			index_body(names, s->body, s->nbody);
			break;
		default:
			break;
		}
	}
}

/* The names of `mod` when the view holds it (not a module a scan visits
 * and frees, whose address may come again), indexed on first use. */
static const struct names *names_of(struct ct_pyrepo *r,
				    const struct ct_pymodule *mod)
{
	struct entry *e = mod->path ? find(r, mod->path) : NULL;

	if (!e || e->state != PARSED || e->mod != mod)
		return NULL;
	if (!e->names) {
		e->names = ct_xcalloc(1, sizeof(*e->names));
		index_body(e->names, mod->body, mod->nbody);
	}
	return e->names;
}

static int lookup(struct ct_pyname *out, struct ct_pyrepo *r,
		  const struct ct_pymodule *from, const char *name,
		  unsigned depth, struct ct_err *err)
{
	const struct ct_pystmt *stars[MAX_STARS];
	const struct names *names;
	size_t nstars = 0, at;
	int rc = CT_ENOTFOUND;

	if (depth > MAX_DEPTH)
		return CT_ENOTFOUND;
	if (!(names = names_of(r, from))) {
		if (bind(out, &rc, r, from, from->body, from->nbody, name,
			 stars, &nstars, depth, err))
			return rc;
	} else if (ct_keymap_get(&at, &names->first, name, strlen(name))) {
		/* the statement binds the name: bind() says to what */
		if (bind(out, &rc, r, from, names->stmts[at], 1, name, stars,
			 &nstars, depth, err))
			return rc;
		CT_BUG("an indexed statement binds no such name");
	} else {
		nstars = names->nstars;
		memcpy(stars, names->stars, nstars * sizeof(*stars));
	}
	for (size_t i = 0; i < nstars; i++) {
		struct mod m;
		const struct ct_pystmt *s = stars[i];
		struct ct_err quiet = CT_ERR_INIT;
		int found =
		    s->level ? relative(&m, r, from->path, s->level, s->module)
		    : s->module ? absolute(&m, r, from->path, s->module)
				: 0;
		if (found && !lookup_in(out, r, &m, name, depth + 1, &quiet))
			return 0;
	}
	return CT_ENOTFOUND;
}

int ct_pyrepo_lookup(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct ct_pymodule *from, const char *name,
		     struct ct_err *err)
{
	return lookup(out, r, from, name, 0, err);
}

int ct_pyrepo_import(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct ct_pymodule *from, const struct ct_pystmt *s,
		     const char *name, struct ct_err *err)
{
	if (s->kind != CT_PY_FROM)
		return CT_ENOTFOUND;
	return from_import(out, r, from, s, name, 0, err);
}

static int resolve(struct ct_pyname *out, struct ct_pyrepo *r,
		   const struct ct_pymodule *from, const struct ct_pyexpr *e,
		   unsigned depth, struct ct_err *err)
{
	struct ct_pyname owner;
	int rc;

	if (depth > MAX_DEPTH || !e)
		return CT_ENOTFOUND;
	switch (e->kind) {
	case CT_PY_NAME:
		return lookup(out, r, from, e->str, depth, err);
	case CT_PY_SUBSCRIPT: /* Generic[T], BaseModel[X] */
		return resolve(out, r, from, e->value, depth + 1, err);
	case CT_PY_ATTR:
		if ((rc = resolve(&owner, r, from, e->value, depth + 1, err)))
			return rc;
		if (owner.kind == CT_PYNAME_EXTERNAL) {
			char dotted[256];
			put(dotted, sizeof(dotted), "%s", owner.dotted);
			external(out, dotted, e->str);
			return 0;
		}
		if (owner.kind == CT_PYNAME_MODULE) {
			struct mod m;
			memset(&m, 0, sizeof(m));
			put(m.path, sizeof(m.path), "%s",
			    owner.module ? owner.module->path : owner.dotted);
			m.namespace = !owner.module;
			m.package = m.namespace ||
				    (strlen(m.path) >= 11 &&
				     !strcmp(m.path + strlen(m.path) - 11,
					     "__init__.py"));
			return lookup_in(out, r, &m, e->str, depth + 1, err);
		}
		if (owner.kind == CT_PYNAME_CLASS) { /* a nested class */
			for (size_t i = 0; i < owner.cls->nbody; i++)
				if (owner.cls->body[i].kind == CT_PY_CLASS &&
				    !strcmp(owner.cls->body[i].name, e->str)) {
					*out = owner;
					out->cls = &owner.cls->body[i];
					return 0;
				}
		}
		return CT_ENOTFOUND;
	default:
		return CT_ENOTFOUND;
	}
}

int ct_pyrepo_resolve(struct ct_pyname *out, struct ct_pyrepo *r,
		      const struct ct_pymodule *from, const struct ct_pyexpr *e,
		      struct ct_err *err)
{
	return resolve(out, r, from, e, 0, err);
}
