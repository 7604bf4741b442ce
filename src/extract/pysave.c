/* pysave.c - a parsed module as bytes and back, so the cache can hand a
 * module over without tokenizing its file again.
 *
 * The bytes: "ctpy" VERSION, the source, every expression node (the
 * module's `exprs`, in order; references are indices + 1, 0 for none),
 * then the statements, depth first. Numbers are LEB128 varints; strings
 * are a varint length + 1 (0 for NULL) and the bytes. Loading checks
 * every length and index against what is there. */
#include "contracts/pyparse.h"

#include "contracts/xalloc.h"
#include "pyparse_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "ctpy"
#define VERSION 1
#define MAGIC_ERR "ctpe"

/* ---- writing -------------------------------------------------------- */

struct writer {
	struct ct_buf *out;
	/* expression node -> index + 1: open addressing on the pointer */
	const struct ct_pyexpr **keys;
	size_t *vals, cap;
};

static void put_num(struct ct_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	ct_buf_add(b, tmp, n);
}

static void put_str(struct ct_buf *b, const char *s)
{
	if (!s) {
		put_num(b, 0);
		return;
	}
	size_t n = strlen(s);
	put_num(b, (uint64_t)n + 1);
	ct_buf_add(b, s, n);
}

static size_t slot(const struct writer *w, const struct ct_pyexpr *e)
{
	size_t h = (size_t)((uintptr_t)e >> 4) * 0x9E3779B97F4A7C15u;

	for (h &= w->cap - 1; w->keys[h] && w->keys[h] != e;
	     h = (h + 1) & (w->cap - 1))
		;
	return h;
}

/* The reference of `e`: its index + 1 in the module's node list. */
static uint64_t ref(const struct writer *w, const struct ct_pyexpr *e)
{
	size_t h;

	if (!e)
		return 0;
	h = slot(w, e);
	if (!w->keys[h])
		CT_BUG("an expression node the module does not list");
	return w->vals[h];
}

static void put_expr(struct writer *w, const struct ct_pyexpr *e)
{
	struct ct_buf *b = w->out;

	put_num(b, (uint64_t)e->kind);
	put_num(b, e->line);
	put_num(b, e->col);
	put_num(b, e->start);
	put_num(b, e->end >= e->start ? e->end - e->start : 0);
	put_str(b, e->str);
	put_num(b, ref(w, e->value));
	put_num(b, e->nitems);
	for (size_t i = 0; i < e->nitems; i++)
		put_num(b, ref(w, e->items[i]));
	put_num(b, e->nkeywords);
	for (size_t i = 0; i < e->nkeywords; i++) {
		put_str(b, e->keywords[i].name);
		put_num(b, ref(w, e->keywords[i].value));
	}
}

static void put_stmts(struct writer *w, const struct ct_pystmt *v, size_t n);

static void put_stmt(struct writer *w, const struct ct_pystmt *s)
{
	struct ct_buf *b = w->out;

	put_num(b, (uint64_t)s->kind);
	put_num(b, s->line);
	put_num(b, s->col);
	put_str(b, s->name);
	put_num(b, s->ndecorators);
	for (size_t i = 0; i < s->ndecorators; i++)
		put_num(b, ref(w, s->decorators[i]));
	put_num(b, ref(w, s->bases));
	put_num(b, s->ntargets);
	for (size_t i = 0; i < s->ntargets; i++)
		put_num(b, ref(w, s->targets[i]));
	put_num(b, ref(w, s->annotation));
	put_num(b, ref(w, s->value));
	put_num(b, s->nparams);
	for (size_t i = 0; i < s->nparams; i++) {
		put_str(b, s->params[i].name);
		put_num(b, ref(w, s->params[i].value));
	}
	put_str(b, s->module);
	put_num(b, s->level);
	put_num(b, s->nnames);
	for (size_t i = 0; i < s->nnames; i++) {
		put_str(b, s->names[i].name);
		put_str(b, s->names[i].asname);
	}
	put_stmts(w, s->body, s->nbody);
}

static void put_stmts(struct writer *w, const struct ct_pystmt *v, size_t n)
{
	put_num(w->out, n);
	for (size_t i = 0; i < n; i++)
		put_stmt(w, &v[i]);
}

void ct_pymodule_save(struct ct_buf *out, const struct ct_pymodule *m)
{
	struct writer w;

	w.out = out;
	for (w.cap = 16; w.cap < 2 * m->nexprs + 2; w.cap *= 2)
		;
	w.keys = ct_xcalloc(w.cap, sizeof(*w.keys));
	w.vals = ct_xcalloc(w.cap, sizeof(*w.vals));
	for (size_t i = 0; i < m->nexprs; i++) {
		size_t h = slot(&w, m->exprs[i]);
		w.keys[h] = m->exprs[i];
		w.vals[h] = i + 1;
	}
	ct_buf_add(out, MAGIC, 4);
	put_num(out, VERSION);
	put_num(out, m->len);
	ct_buf_add(out, m->source, m->len);
	put_num(out, m->nexprs);
	for (size_t i = 0; i < m->nexprs; i++)
		put_expr(&w, m->exprs[i]);
	put_stmts(&w, m->body, m->nbody);
	free(w.keys);
	free(w.vals);
}

/* ---- reading -------------------------------------------------------- */

struct reader {
	const unsigned char *p, *end;
	int bad;
	struct ct_pymodule *m;
	struct ct_pyexpr *nodes;
	size_t nnodes;
	unsigned depth;
};

static uint64_t get_num(struct reader *r)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = 1;
			return 0;
		}
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

/* A count of items that each take at least `least` bytes: never more than
 * what is left, so a damaged count cannot ask for much memory. */
static size_t get_count(struct reader *r, size_t least)
{
	uint64_t n = get_num(r);

	if (n > (uint64_t)(r->end - r->p) / least) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static unsigned get_uint(struct reader *r)
{
	uint64_t v = get_num(r);

	if (v > UINT32_MAX)
		r->bad = 1;
	return (unsigned)v;
}

static const char *get_str(struct reader *r)
{
	uint64_t n = get_num(r);
	char *s;

	if (!n || r->bad)
		return NULL;
	n--;
	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	s = ct_pyarena_alloc(&r->m->arena, (size_t)n + 1);
	memcpy(s, r->p, (size_t)n);
	r->p += n;
	return s;
}

static struct ct_pyexpr *get_ref(struct reader *r)
{
	uint64_t i = get_num(r);

	if (!i)
		return NULL;
	if (i > r->nnodes) {
		r->bad = 1;
		return NULL;
	}
	return &r->nodes[i - 1];
}

static struct ct_pyexpr **get_refs(struct reader *r, size_t *n)
{
	struct ct_pyexpr **v;

	*n = get_count(r, 1);
	if (!*n || r->bad)
		return NULL;
	v = ct_pyarena_alloc(&r->m->arena, *n * sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = get_ref(r);
	return v;
}

static struct ct_pykeyword *get_keywords(struct reader *r, size_t *n)
{
	struct ct_pykeyword *v;

	*n = get_count(r, 2);
	if (!*n || r->bad)
		return NULL;
	v = ct_pyarena_alloc(&r->m->arena, *n * sizeof(*v));
	for (size_t i = 0; i < *n; i++) {
		v[i].name = get_str(r);
		v[i].value = get_ref(r);
	}
	return v;
}

static void get_expr(struct reader *r, struct ct_pyexpr *e)
{
	uint64_t kind = get_num(r), span;

	if (kind > CT_PY_OTHER)
		r->bad = 1;
	e->kind = (enum ct_pyexpr_kind)kind;
	e->line = get_uint(r);
	e->col = get_uint(r);
	e->start = (size_t)get_num(r);
	span = get_num(r);
	if (e->start > r->m->len || span > r->m->len - e->start)
		r->bad = 1;
	e->end = e->start + (size_t)span;
	e->str = get_str(r);
	e->value = get_ref(r);
	e->items = get_refs(r, &e->nitems);
	e->keywords = get_keywords(r, &e->nkeywords);
}

static struct ct_pystmt *get_stmts(struct reader *r, size_t *n);

static void get_stmt(struct reader *r, struct ct_pystmt *s)
{
	uint64_t kind = get_num(r);

	if (kind > CT_PY_TYPE_ALIAS)
		r->bad = 1;
	s->kind = (enum ct_pystmt_kind)kind;
	s->line = get_uint(r);
	s->col = get_uint(r);
	s->name = get_str(r);
	s->decorators = get_refs(r, &s->ndecorators);
	s->bases = get_ref(r);
	s->targets = get_refs(r, &s->ntargets);
	s->annotation = get_ref(r);
	s->value = get_ref(r);
	s->params = get_keywords(r, &s->nparams);
	s->module = get_str(r);
	s->level = get_uint(r);
	s->nnames = get_count(r, 2);
	if (s->nnames && !r->bad) {
		struct ct_pyalias *v =
		    ct_pyarena_alloc(&r->m->arena, s->nnames * sizeof(*v));
		for (size_t i = 0; i < s->nnames; i++) {
			v[i].name = get_str(r);
			v[i].asname = get_str(r);
		}
		s->names = v;
	}
	s->body = get_stmts(r, &s->nbody);
}

static struct ct_pystmt *get_stmts(struct reader *r, size_t *n)
{
	struct ct_pystmt *v;

	*n = get_count(r, 14);
	if (!*n || r->bad)
		return NULL;
	if (++r->depth > 1000) { /* the parser never nests this deep */
		r->bad = 1;
		return NULL;
	}
	v = ct_pyarena_alloc(&r->m->arena, *n * sizeof(*v));
	for (size_t i = 0; i < *n && !r->bad; i++)
		get_stmt(r, &v[i]);
	r->depth--;
	return v;
}

int ct_pymodule_load(struct ct_pymodule **out, const char *data, size_t len,
		     const char *path)
{
	struct reader r;
	struct ct_pymodule *m;
	size_t srclen;
	char *src;

	memset(&r, 0, sizeof(r));
	r.p = (const unsigned char *)data;
	r.end = r.p + len;
	if (len < 4 || memcmp(data, MAGIC, 4))
		return CT_EPARSE;
	r.p += 4;
	if (get_num(&r) != VERSION)
		return CT_EPARSE;
	srclen = get_count(&r, 1);
	if (r.bad)
		return CT_EPARSE;
	m = ct_xcalloc(1, sizeof(*m));
	r.m = m;
	src = ct_xmalloc(srclen + 1);
	memcpy(src, r.p, srclen);
	src[srclen] = '\0';
	r.p += srclen;
	m->source = m->owned_source = src;
	m->len = srclen;
	r.nnodes = get_count(&r, 8);
	if (r.nnodes && !r.bad) {
		r.nodes =
		    ct_pyarena_alloc(&m->arena, r.nnodes * sizeof(*r.nodes));
		m->exprs =
		    ct_pyarena_alloc(&m->arena, r.nnodes * sizeof(*m->exprs));
		m->nexprs = r.nnodes;
		for (size_t i = 0; i < r.nnodes && !r.bad; i++) {
			m->exprs[i] = &r.nodes[i];
			get_expr(&r, &r.nodes[i]);
		}
	}
	if (!r.bad)
		m->body = get_stmts(&r, &m->nbody);
	if (r.bad || r.p != r.end) {
		ct_pymodule_free(m);
		return CT_EPARSE;
	}
	m->path = ct_pyarena_alloc(&m->arena, strlen(path) + 1);
	strcpy((char *)m->path, path);
	*out = m;
	return 0;
}

void ct_pyerror_save(struct ct_buf *out, const struct ct_err *err)
{
	ct_buf_add(out, MAGIC_ERR, 4);
	put_num(out, VERSION);
	put_num(out, (uint64_t)(int64_t)err->code);
	put_num(out, err->line);
	put_num(out, err->col);
	put_str(out, err->msg);
}

int ct_pyerror_load(struct ct_err *out, const char *data, size_t len,
		    const char *path)
{
	struct reader r;
	uint64_t code, n;

	memset(&r, 0, sizeof(r));
	r.p = (const unsigned char *)data;
	r.end = r.p + len;
	if (len < 4 || memcmp(data, MAGIC_ERR, 4))
		return CT_EPARSE;
	r.p += 4;
	if (get_num(&r) != VERSION)
		return CT_EPARSE;
	code = get_num(&r);
	out->line = get_uint(&r);
	out->col = get_uint(&r);
	n = get_num(&r);
	if (r.bad || !n || n - 1 != (uint64_t)(r.end - r.p) ||
	    n - 1 >= sizeof(out->msg) || (int64_t)code >= 0)
		return CT_EPARSE;
	out->code = (int)(int64_t)code;
	memcpy(out->msg, r.p, (size_t)(n - 1));
	out->msg[n - 1] = '\0';
	snprintf(out->path, sizeof(out->path), "%s", path);
	return 0;
}
